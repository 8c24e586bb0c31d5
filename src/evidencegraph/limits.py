"""Wall-clock and memory limits for the commands that run queries, and a Ctrl-C
that stops them at once.

pyoxigraph evaluates in Rust and never looks at Python's signals, so a cross
product ignored both ``--timeout`` and Ctrl-C. Oxigraph releases the GIL
while it evaluates, so the command's work runs in a worker thread and the
main thread keeps watch: past the deadline, past the memory limit or on
Ctrl-C it prints one line and ends the process (``os._exit``; the worker
cannot be stopped any other way). The worker returns finished text, so
nothing half-done is ever printed. Starting the thread costs well under a
millisecond.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0
# Resident memory the whole process may reach while a command runs.
MAX_MEMORY_MB = float(os.environ.get("EVIDENCEGRAPH_MAX_MEMORY_MB", "4096"))
# Held while a set of outputs is being renamed into place (writing.write_set):
# the watchdog waits for it, so a time-out never leaves a mixed set.
COMMIT_LOCK = threading.Lock()
_POLL = 0.05
GRACE = 0.5


def check_seconds(value: float, what: str = "--timeout") -> float:
    """A finite, positive number of seconds (``nan``, ``inf`` and 0 are refused)."""
    from evidencegraph.errors import EvidenceGraphError

    if not math.isfinite(value) or value <= 0:
        raise EvidenceGraphError(f"{what} must be a positive number of seconds, not {value}")
    return value


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _die(message: str, code: int) -> None:
    """One line on stderr, then end the process without running anything else."""
    acquired = COMMIT_LOCK.acquire(timeout=10)
    del acquired
    from evidencegraph.escaping import terminal_safe

    sys.stdout.flush()
    os.write(2, (terminal_safe(message) + "\n").encode("utf-8", "replace"))
    os._exit(code)


def bounded(
    fn: Callable[[], T],
    *,
    timeout: float,
    what: str = "the query",
    max_memory_mb: float | None = None,
) -> T:
    """Run ``fn`` in a worker thread within ``timeout`` seconds and the memory limit.

    Its exceptions are re-raised here, so the CLI reports them as usual.
    """
    import gc

    check_seconds(timeout)
    limit = MAX_MEMORY_MB if max_memory_mb is None else max_memory_mb
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = fn()
        except BaseException as err:
            # Its traceback holds the worker's frames, and so Oxigraph objects:
            # drop them here, on this thread, before the error crosses over.
            err.__traceback__ = err.__context__ = err.__cause__ = None
            box["error"] = err
        finally:
            gc.collect()  # Oxigraph objects are freed on the thread that made them

    # As in safety.run_deep: no collection on this thread while the worker holds
    # Oxigraph objects (pyo3 objects may not be freed on another thread).
    was_enabled = gc.isenabled()
    gc.disable()
    gc.freeze()  # the worker's collection then scans only what it made: ~1 ms, not ~10
    worker = threading.Thread(target=work, name="evidencegraph-work", daemon=True)
    # A moment's grace, so an endpoint request's own time-out (the same number)
    # reports first and says which server did not answer.
    deadline = time.monotonic() + timeout + GRACE
    try:
        worker.start()
        while worker.is_alive():
            worker.join(_POLL)
            if time.monotonic() > deadline and worker.is_alive():
                _die(
                    f"error: {what} did not finish within {timeout:g} s; stopped "
                    "(--timeout sets the limit)",
                    2,
                )
            rss = _rss_mb()
            if rss is not None and rss > limit and worker.is_alive():
                _die(
                    f"error: {what} needed more than {limit:g} MB of memory; stopped "
                    "(set EVIDENCEGRAPH_MAX_MEMORY_MB to raise the limit)",
                    2,
                )
    except KeyboardInterrupt:
        _die("interrupted", 130)
    finally:
        if was_enabled:
            gc.enable()
    if "error" in box:
        raise box["error"]
    return box["result"]


def run_deep(fn: Callable[[], T]) -> T:
    """Run ``fn`` in a thread with a large stack and recursion limit.

    rdflib's parser (pyparsing) and its SPARQL evaluator recurse per nesting
    level: 50 nested parentheses overflow the default limit. A big private
    stack answers those correctly; anything far deeper still ends in a clean
    RecursionError rather than a crash.
    """
    import gc

    box: dict[str, Any] = {}

    def work() -> None:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))
        try:
            box["result"] = fn()
        except BaseException as err:
            box["error"] = err
        finally:
            sys.setrecursionlimit(old)

    # No garbage collection while the thread runs: collecting Oxigraph result
    # objects from another thread makes pyo3 print "unsendable" noise.
    was_enabled = gc.isenabled()
    gc.disable()
    old_size = threading.stack_size()
    threading.stack_size(512 * 1024 * 1024)
    try:
        t = threading.Thread(target=work, name="sparql-deep")
        t.start()
    finally:
        threading.stack_size(old_size)
    t.join()
    if was_enabled:
        gc.enable()
    if "error" in box:
        raise box["error"]
    return box["result"]
