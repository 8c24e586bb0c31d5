"""Shared fixtures: the real CLI, the shipped data, built outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """Path of a tool, found as the code finds it (beside the interpreter, then on
    PATH); skip without it, except in CI where it must exist."""
    from evidencegraph.paths import find_tool

    found = find_tool(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI (installed by .ci/install-deps) but is missing")
    pytest.skip(f"{name} not installed; run `make test` to install it")
    raise AssertionError  # unreachable


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120, **kw
) -> subprocess.CompletedProcess:
    """Run the real ``evidencegraph`` command, as a user would."""
    exe = shutil.which("evidencegraph")
    cmd = [exe] if exe else [sys.executable, "-m", "evidencegraph"]
    return subprocess.run(
        [*cmd, *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout, **kw
    )


def pytest_configure(config: pytest.Config) -> None:
    """Make the test session a child subreaper (Linux): a server a test started and
    lost track of becomes our child, so it can be found (test_serve.py) and
    ended (below) instead of running on after the suite."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not Linux: nothing to do
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def leftover_servers() -> list[int]:
    """Oxigraph processes that are children of this session and still running."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        try:
            pids = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for pid in pids:
            try:
                exe = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if exe.endswith(b"oxigraph") and state != "Z":
                found.append(pid)
    return found


@pytest.fixture(scope="session", autouse=True)
def no_server_left_behind():
    """After the whole session: no Oxigraph process may outlive the tests."""
    yield
    left = leftover_servers()
    for pid in left:
        os.kill(pid, 9)
    assert left == [], f"the tests left Oxigraph processes running: {left}"


def project_copy(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the project to change or break, and the environment that points
    the CLI at it (``EVIDENCEGRAPH_HOME``)."""
    home = tmp / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, home / part)
    return home, {**os.environ, "EVIDENCEGRAPH_HOME": str(home)}


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    """The CLI's contract for bad input: exit 2 and one ``error:`` line, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-300:], proc.stderr[-600:])
    err = proc.stderr.strip()
    assert "Traceback" not in err and err.startswith("error: "), err
    assert len(err.splitlines()) == 1, err
    return err


def limit_memory(gigabytes: float) -> Callable[[], None]:
    """A ``preexec_fn`` that caps the child's address space: proof of bounded memory."""
    import resource

    size = int(gigabytes * 1024**3)
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (size, size))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real ``evidencegraph build`` for the whole session; returns the output folder."""
    out = tmp_path_factory.mktemp("build")
    proc = run_cli("build", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def graph():
    """The shipped ontology and data, loaded and with the build rules applied."""
    from evidencegraph.inference import infer
    from evidencegraph.loading import load

    g = load()
    infer(g)
    return g


@pytest.fixture(scope="session")
def virtuoso():
    """One private Virtuoso 7 on loopback for the session (see virtuoso_server.py).

    Skipped without Debian's virtuoso-opensource, except in CI where it must exist.
    """
    require_tool("virtuoso-t")
    require_tool("isql-vt")
    from virtuoso_server import running_virtuoso

    with running_virtuoso() as server:
        yield server


def select(graph, text: str, **bindings) -> list[tuple]:
    """Rows of a SELECT as tuples of Python strings (IRIs as strings)."""
    from evidencegraph.namespaces import sparql_prologue

    res = graph.query(sparql_prologue() + text, initBindings=bindings or None)
    return [tuple(None if v is None else str(v) for v in row) for row in res]
