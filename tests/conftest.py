"""Shared fixtures: the real CLI, the shipped data, built outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, except in CI where it must exist."""
    found = shutil.which(name)
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
    from evidencegraph.builder import infer
    from evidencegraph.loader import load

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
