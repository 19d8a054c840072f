"""What the terminal can show: refuse a dumb one, degrade to ASCII where Unicode cannot go out.

``TERM=dumb`` (Emacs' shell buffers, some CI logs) cannot move the cursor, so a full-screen
app would only print noise: :func:`unsupported` says so, and names the headless commands.

Under a non-UTF-8 locale (``LC_ALL=C`` with ``PYTHONUTF8=0``, or ``PYTHONIOENCODING=ascii``)
Python's output stream cannot encode the app's marks and borders; left alone, it writes
``\\u2714`` for ``✔`` and the layout falls apart. :func:`degrade_to_ascii` makes the stream
write one ASCII look-alike per cell instead (``✔`` -> ``v``, ``│`` -> ``|``), so the screen
keeps its shape.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
from collections.abc import Mapping

from rich.cells import cell_len

ERRORS = "homl-ascii"
#: Characters the app draws, and their look-alikes (one cell each, as the originals).
LOOK_ALIKES = {
    "✔": "v", "✘": "x", "▶": ">", "·": ".", "•": "*", "●": "o", "…": ".", "—": "-", "–": "-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "→": ">", "←": "<", "↑": "^", "↓": "v", "≤": "<",
    "≥": ">", "°": "o", "⚠": "!", "⧗": "%", "■": "#", "◆": "*", "›": ">", "‹": "<", "✎": "*",
    "⏎": "<", "░": ":", "▒": ":", "▓": "#", "█": "#", "▏": "|", "▕": "|", "▌": "|", "▐": "|",
    "╱": "/", "╲": "\\", "×": "x", "²": "2", "³": "3",
}
PROBE = "✔│▶…"


def unsupported(environ: Mapping[str, str]) -> str | None:
    """Why the app cannot run in this terminal (``None`` when it can)."""
    if environ.get("TERM", "").strip().lower() == "dumb":
        return (
            "homl-tui: this terminal (TERM=dumb) cannot show a full-screen app.\n"
            "Run it in a terminal such as xterm, iTerm2 or Windows Terminal, or set TERM\n"
            "if yours is one (for example TERM=xterm-256color). The headless commands\n"
            "work anywhere: homl-tui list, homl-tui check, homl-tui run."
        )
    return None


def look_alike(char: str) -> str:
    """ASCII for ``char``, as many cells wide as ``char`` is."""
    if char in LOOK_ALIKES:
        return LOOK_ALIKES[char]
    width = cell_len(char)
    if 0x2500 <= ord(char) <= 0x257F:  # box drawing: lines and corners
        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        return "+"
    if 0x2580 <= ord(char) <= 0x259F:  # block elements (bars, sparklines)
        return "#"
    if 0x2800 <= ord(char) <= 0x28FF:  # braille dots (plots)
        return "." if char != "\u2800" else " "
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if len(plain) == width:
        return plain
    return "?" * width


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(look_alike(char) for char in bad), error.end


codecs.register_error(ERRORS, _replace)


def degrade_to_ascii(stream: object) -> bool:
    """Make ``stream`` write look-alikes for what its encoding cannot; True if it had to."""
    if not isinstance(stream, io.TextIOWrapper):
        return False
    try:
        PROBE.encode(stream.encoding)
    except (UnicodeEncodeError, LookupError):
        stream.reconfigure(errors=ERRORS)
        return True
    return False
