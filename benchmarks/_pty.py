"""Run a command in a pseudo-terminal and time how long until a text appears on its screen.

The helper behind ``startup.py``; on its own:

    python benchmarks/_pty.py MARKER COMMAND [ARG...]

Last line: the seconds from starting ``COMMAND`` until ``MARKER`` was drawn.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import struct
import sys
import time
from collections.abc import Sequence

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def time_to_text(argv: Sequence[str], marker: str, *, env: dict[str, str] | None = None,
                 cols: int = 80, rows: int = 24, timeout: float = 30.0) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pty until ``marker`` is drawn; then kill it."""
    import fcntl
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env or {})
        os.environ.setdefault("TERM", "xterm-256color")
        try:
            os.execvp(argv[0], list(argv))
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    start = time.perf_counter()
    seen = b""
    wanted = marker.encode()
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if wanted in ANSI.sub(b"", seen[-200000:]):
                return time.perf_counter() - start
        raise TimeoutError(f"{marker!r} did not appear within {timeout} s in {argv}")
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(fd)


if __name__ == "__main__":
    print(time_to_text(sys.argv[2:], sys.argv[1]))
