"""What ``/proc`` tells about processes (Linux; elsewhere: nothing, and the callers cope).

Resident memory is watched instead of capping ``RLIMIT_AS``, which breaks torch (it reserves
large virtual address ranges it never touches).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _stat_fields(pid: int | str) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first); None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    return stat[stat.rfind(b")") + 2:].split()


def process_table() -> dict[int, tuple[int, int, int]]:
    """pid -> (parent pid, session id, start time) of every live process (empty without /proc)."""
    table: dict[int, tuple[int, int, int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for entry in entries:
        if not entry.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields is None or len(fields) < 20 or fields[0] in (b"Z", b"X"):
            continue
        table[int(entry)] = (int(fields[1]), int(fields[3]), int(fields[19]))
    return table


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) process ``pid`` itself has used so far; None if unreadable."""
    fields = _stat_fields(pid)
    try:
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # type: ignore[index]
    except (TypeError, IndexError, ValueError):
        return None


def rss_bytes(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 if unreadable)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def cmdline(pid: int) -> list[bytes] | None:
    """The command line of ``pid``; ``[]`` if it has gone or is a zombie; None without /proc."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().split(b"\0")
    except FileNotFoundError:
        return [] if Path("/proc/self").exists() else None
    except OSError:
        return []


class ProcessFamily:
    """The processes of one run: its session, and every descendant of its worker, also those
    that left the session (``setsid``, daemons). Members are remembered (pid and start time),
    so one whose parent died is still found, and killed, after the worker is gone."""

    def __init__(self, root: int) -> None:
        self.root = root
        self._known: dict[int, int] = {}
        self._lock = threading.Lock()

    def members(self) -> list[int]:
        """PIDs of the run's live processes (the worker included while it lives)."""
        table = process_table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        with self._lock:
            found = {pid for pid, (_, sid, _) in table.items() if sid == self.root}
            found |= {pid for pid, start in self._known.items()
                      if pid in table and table[pid][2] == start}
            if self.root in table:
                found.add(self.root)
            stack = list(found)
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in found:
                        found.add(child)
                        stack.append(child)
            self._known = {pid: table[pid][2] for pid in found}
        return sorted(found)

    def signal(self, sig: int) -> list[int]:
        """Send ``sig`` to every member and to the run's process group; return the members.

        The members are found first: once the worker is gone, its orphans are known only
        because they were seen before.
        """
        pids = self.members()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.root, sig)
        return pids

    def kill(self, rounds: int = 5, *, spare_root: bool = False) -> None:
        """Stop every member (so that none forks or loses its parent meanwhile), then kill
        them all; with ``spare_root``, all but the root and its process group (the root
        cleaning up after itself)."""
        frozen: set[int] = set()
        spared = {self.root} if spare_root else set()
        for _ in range(rounds):
            new = set(self.members()) - frozen - spared
            if not new:
                break
            for pid in new:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGSTOP)
            frozen |= new
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not spare_root:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.root, signal.SIGKILL)
