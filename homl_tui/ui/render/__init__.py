"""Pure text rendering for the UI panels (no Textual): downsampling, charts, CartPole."""


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
