"""Resident memory of a run's processes, read from ``/proc`` (Linux; elsewhere: unknown).

A watchdog over resident memory is used instead of ``RLIMIT_AS``, which breaks
torch (it reserves large virtual address ranges it never touches).
"""

from __future__ import annotations

import contextlib
import os
import signal

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def session_pids(sid: int) -> list[int]:
    """PIDs of every live process in session ``sid`` (empty when /proc is absent)."""
    pids = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return pids
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == sid and fields[0] != b"Z":
            pids.append(int(entry))
    return pids


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def session_rss(sid: int) -> int:
    """Total resident memory, in bytes, of the processes in session ``sid``."""
    return sum(rss_bytes(pid) for pid in session_pids(sid))


def total_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def kill_session(sid: int, sig: int = signal.SIGKILL) -> None:
    """Signal the process group ``sid`` and every other process left in the session."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(sid, sig)
    for pid in session_pids(sid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
