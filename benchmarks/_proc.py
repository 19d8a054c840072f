"""CPU time of another process, read from ``/proc`` (Linux)."""

from __future__ import annotations

import os


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) that process ``pid`` itself has used; None if unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
