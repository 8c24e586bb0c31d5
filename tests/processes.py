"""Processes as Linux's /proc shows them, for the tests that watch what was started.

The test session is a child subreaper (conftest.py), so a server a test started
and lost track of becomes a child of the session: :func:`descendants` finds it.
The guard below fails a test that starts a server, a browser or Virtuoso
without the marker that keeps it out of ``make test-fast``.
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from pathlib import Path

# Programs that make a test need a tier of its own: the marker it must carry.
NEEDS_MARKER = {
    "oxigraph": "server",
    "chromium": "browser",
    "chrome": "browser",
    "headless_shell": "browser",
    "virtuoso-t": "virtuoso",
    "isql-vt": "virtuoso",
}


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's), running or not yet reaped."""
    out: list[int] = []
    try:  # a process that ends while we look has no children to report
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return out
    for task in tasks:
        with suppress(OSError, ValueError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``."""
    found: set[int] = set()
    todo = children(pid)
    while todo:
        p = todo.pop()
        if p not in found:
            found.add(p)
            todo += children(p)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, finished but not reaped, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def program(pid: int) -> str:
    """The file name of the program ``pid`` runs ("" if it is gone)."""
    with suppress(OSError):
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    with suppress(OSError, IndexError):
        return os.path.basename(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode())
    return ""


def command_line(pid: int) -> str:
    with suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return ""


def running(name: str, below: int | None = None) -> list[int]:
    """Live processes running ``name`` below ``below`` (default: this process)."""
    return sorted(p for p in descendants(below or os.getpid()) if alive(p) and program(p) == name)


class Watcher:
    """Polls the processes below this one while a test runs and records each new one
    that runs a program of :data:`NEEDS_MARKER` the test is not marked for.

    Servers and browsers live for seconds, so a poll every 20 ms sees them; what
    ran before the test (a session's server) is not the test's doing.
    """

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed
        self.before = descendants(os.getpid())
        self.found: dict[int, tuple[str, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tier-guard", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.scan()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.scan()

    def scan(self) -> None:
        for pid in descendants(os.getpid()) - self.before:
            if pid in self.found:
                continue
            name = program(pid)
            marker = NEEDS_MARKER.get(name)
            if marker and marker not in self.allowed:
                self.found[pid] = (marker, command_line(pid) or name)

    def problems(self) -> list[str]:
        return [
            f"started {cmd!r} (pid {pid}) without @pytest.mark.{marker}"
            for pid, (marker, cmd) in sorted(self.found.items())
        ]
