"""The RL rollout: CartPole drawn from its state vector, text renders shown verbatim."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from homl_tui.runtime.events import Event
from homl_tui.ui.render.cartpole import describe_state, draw_cartpole
from homl_tui.ui.render.downsample import as_float

EMPTY = (
    "No rollout yet. Code that calls report.frame(env, step=..., episode=..., reward=...) "
    "shows its episodes here: CartPole is drawn from its state, text environments "
    "(e.g. FrozenLake with render_mode='ansi') as they render."
)


def is_cartpole(event: Event) -> bool:
    """A frame whose state is CartPole's ``[x, x_dot, theta, theta_dot]``."""
    state = event.get("state")
    env = str(event.get("env") or "")
    return isinstance(state, list) and len(state) == 4 and (not env or "cartpole" in env.lower())


class RolloutPanel(Widget):
    """Shows the latest ``frame`` event; episode, step and reward on top."""

    DEFAULT_CSS = """
    RolloutPanel { height: 1fr; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.frame: Event | None = None
        self.frames_seen = 0

    def show_frame(self, frame: Event) -> None:
        self.frame = frame
        self.frames_seen += 1
        self.refresh()

    def clear_frame(self) -> None:
        self.frame = None
        self.frames_seen = 0
        self.refresh()

    def header(self) -> str:
        frame = self.frame or {}
        parts = [str(frame["env"])] if frame.get("env") else []
        for key in ("episode", "step"):
            if frame.get(key) is not None:
                parts.append(f"{key} {frame[key]}")
        if frame.get("reward") is not None:
            parts.append(f"reward {as_float(frame['reward']):.4g}")
        return " · ".join(parts) or "rollout"

    def render(self) -> RenderableType:
        if self.frame is None:
            return Text(EMPTY, style="dim")
        frame = self.frame
        text = Text(self.header(), style="bold")
        width, height = max(10, self.size.width), max(4, self.size.height - 2)
        if frame.get("text"):
            text.append("\n")
            text.append_text(Text.from_ansi(str(frame["text"])))
        elif is_cartpole(frame):
            state = [as_float(v) for v in frame["state"]]
            text.append("\n" + describe_state(state), style="dim")
            scene = draw_cartpole(state, width, height - 1)
            for line in scene:
                text.append("\n")
                text.append(line, style="bold" if "█" in line else "")
        elif isinstance(frame.get("state"), list):
            values = ", ".join(f"{as_float(v):.3g}" for v in frame["state"][:16])
            text.append(f"\nstate: [{values}]")
        return text
