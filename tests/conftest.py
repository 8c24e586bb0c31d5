"""Shared fixtures: the real CLI, the shipped data, built outputs; and the tier guard.

Tiers (markers registered in pyproject.toml): ``core`` is the fast tier
(``make test-fast``: golden outputs, data and audit, shapes, queries, trace, the
CLI); ``server`` (an Oxigraph server, or its binary), ``browser`` (headless
Chromium), ``virtuoso`` (Virtuoso 7) and ``slow`` (heavy) are left out of it.
A test that starts Oxigraph, Chromium or Virtuoso without the marker for it
fails (processes.Watcher), so the fast tier needs no server and no browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from processes import NEEDS_MARKER, Watcher, running

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
TIER_MARKERS = ("server", "browser", "virtuoso")

_current: list[pytest.Item] = []  # the test being run, for require_tool
_watchers = pytest.StashKey[Watcher]()


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip on a developer's machine that lacks something; in CI (``CI=true``), where
    .ci/install-deps provides everything, fail instead: nothing is skipped there."""
    if IN_CI:
        pytest.fail(f"{reason}: required in CI (.ci/install-deps provides it)")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """Path of a tool, found as the code finds it (:func:`evidencegraph.paths.find_tool`:
    beside the interpreter, then on PATH); skip without it, except in CI where it
    must exist. A tool that starts a server or a browser needs the test's marker."""
    from evidencegraph.paths import find_tool

    marker = NEEDS_MARKER.get(name)
    if marker and _current and not _current[-1].get_closest_marker(marker):
        pytest.fail(f"{_current[-1].nodeid} uses {name}: mark it @pytest.mark.{marker}")
    found = find_tool(name)
    if found:
        return found
    skip_unless_ci(f"{name} not installed; run `make test` to install it")


def cli_command() -> list[str]:
    """The ``evidencegraph`` command as a user runs it: the console script installed
    with this interpreter (found like every other tool), else ``python -m``."""
    from evidencegraph.paths import find_tool

    exe = find_tool("evidencegraph")
    return [exe] if exe else [sys.executable, "-m", "evidencegraph"]


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120, **kw
) -> subprocess.CompletedProcess:
    """Run the real ``evidencegraph`` command, as a user would."""
    return subprocess.run(
        [*cli_command(), *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess:
    """The same click command as :func:`run_cli`, run in this process: no interpreter to
    start (about 30 ms instead of 200), for tests that read what a command prints.
    Exit codes, one-line errors and the console script itself are tested with run_cli."""
    from click.testing import CliRunner

    from evidencegraph.cli import main

    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1 mixes stderr into stdout otherwise
    except TypeError:  # click 8.2 keeps them apart and has no such option
        runner = CliRunner()
    result = runner.invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        list(args), result.exit_code, result.stdout_bytes, result.stderr_bytes
    )


def pytest_configure(config: pytest.Config) -> None:
    """Make the test session a child subreaper (Linux): a server a test started and
    lost track of becomes our child, so it can be found (test_serve.py) and
    ended (below) instead of running on after the suite."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not Linux: nothing to do
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


# ---------------------------------------------------------------- the tier guard


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Watch the processes this test starts, from its fixtures' setup on."""
    _current.append(item)
    allowed = {m for m in TIER_MARKERS if item.get_closest_marker(m)}
    item.stash[_watchers] = Watcher(allowed).start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test that started a server, a browser or Virtuoso without its marker fails."""
    report = yield
    watcher = item.stash.get(_watchers, None)
    if watcher is not None and call.when in ("setup", "call") and report.passed:
        watcher.scan()
        problems = watcher.problems()
        if problems:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid} " + "; ".join(problems) + " (see tests/conftest.py)"
            watcher.found.clear()
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    try:
        return (yield)
    finally:
        watcher = item.stash.get(_watchers, None)
        if watcher is not None:
            watcher.stop()
        if _current and _current[-1] is item:
            _current.pop()


def leftover_servers() -> list[int]:
    """Oxigraph processes below this session still running."""
    return running("oxigraph")


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


def read_sparql(name: str) -> str:
    """The SPARQL of ``tests/NAME.rq`` (competency questions are in tests/competency/)."""
    return (ROOT / "tests" / f"{name}.rq").read_text(encoding="utf-8")


def select(graph, text: str, **bindings) -> list[tuple]:
    """Rows of a SELECT as tuples of Python strings (IRIs as strings)."""
    from evidencegraph.namespaces import sparql_prologue

    res = graph.query(sparql_prologue() + text, initBindings=bindings or None)
    return [tuple(None if v is None else str(v) for v in row) for row in res]


# ---------------------------------------------------------------- the workshop views
# Shared by tests/test_viz.py and tests/test_workshop.py (module-scoped: each module
# draws once).


@pytest.fixture(scope="module")
def source():
    """The embedded graph, opened as the CLI opens it."""
    from evidencegraph.querying import open_source

    return open_source()


@pytest.fixture(scope="module")
def model(source):
    """What the workshop views draw, read from the embedded graph."""
    from evidencegraph import viz

    return viz.load_model(source)


@pytest.fixture(scope="module")
def out(tmp_path_factory, source) -> Path:
    """The outputs of one ``visualise`` run: graph.html, the evidence map, figures."""
    from evidencegraph import viz

    require_tool("dot")
    d = tmp_path_factory.mktemp("viz")
    viz.visualise(d, source=source)
    return d
