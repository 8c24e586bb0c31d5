"""Every named query returns the same rows embedded and on a real Oxigraph server.

Also the real CLI end to end: `serve` answers `query --endpoint`, refuses
writes, and `push` uploads to a read-write server.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import cli_command, require_tool, run_cli
from evidencegraph.querying import Source, library, open_source, run_query
from parity import param_values as _param_values
from parity import result_rows as _rows

QUERIES = sorted(library.all_queries())


@pytest.fixture(scope="module")
def server(built: Path):
    require_tool("oxigraph")
    from evidencegraph.serving.oxigraph import running_server

    with running_server(built / "graph.nt", read_only=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def embedded() -> Source:
    return open_source()


@pytest.mark.server
@pytest.mark.parametrize("name", QUERIES)
def test_named_query_same_rows_embedded_and_on_oxigraph(name: str, server, embedded) -> None:
    nq = library.all_queries()[name]
    values = _param_values(nq)
    local = run_query(name, values, source=embedded)
    remote = run_query(name, values, source=open_source(endpoint=server.url))
    assert _rows(local.result) == _rows(remote.result), name


@pytest.fixture(scope="module")
def rdflib_source() -> Source:
    return open_source(engine_name="rdflib")


@pytest.mark.slow
@pytest.mark.parametrize("name", QUERIES)
def test_named_query_same_rows_on_rdflib_engine(name: str, embedded, rdflib_source) -> None:
    """The engine switch: rdflib's own store answers every query like Oxigraph."""
    nq = library.all_queries()[name]
    values = _param_values(nq)
    ox = run_query(name, values, source=embedded)
    rd = run_query(name, values, source=rdflib_source)
    assert _rows(ox.result) == _rows(rd.result), name


@pytest.mark.server
def test_cli_query_on_served_graph_matches_embedded(server) -> None:
    a = run_cli("query", "cited-by-nice", "--format", "csv")
    b = run_cli("query", "cited-by-nice", "--format", "csv", "--endpoint", server.url)
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert sorted(a.stdout.splitlines()) == sorted(b.stdout.splitlines())


@pytest.mark.server
def test_cli_serve_prints_url_and_refuses_writes(tmp_path: Path) -> None:
    require_tool("oxigraph")
    proc = subprocess.Popen(
        [*cli_command(), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            m = re.search(r"SPARQL query page: (http://127\.0\.0\.1:\d+)/", line)
            if m:
                url = m.group(1)
            elif not line and proc.poll() is not None:
                break
        assert url, proc.stderr.read()
        q = run_cli("query", "documents", "--endpoint", url, "--format", "json")
        assert q.returncode == 0, q.stderr
        push = run_cli("push", "--endpoint", url)
        assert push.returncode == 2
        assert "the store is read-only" in push.stderr
        assert len(push.stderr.strip().splitlines()) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.server
def test_cli_push_to_read_write_server(tmp_path: Path) -> None:
    exe = require_tool("oxigraph")
    from evidencegraph.serving.oxigraph import find_free_port

    port = find_free_port()
    srv = subprocess.Popen(
        [exe, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if run_cli("query", "documents", "--endpoint", url).returncode == 0:
                break
            time.sleep(0.3)
        push = run_cli("push", "--endpoint", url)
        assert push.returncode == 0, push.stderr
        assert push.stdout.startswith("pushed ")
        a = run_cli("query", "similar-studies", "--format", "csv")
        b = run_cli("query", "similar-studies", "--format", "csv", "--endpoint", url)
        assert sorted(a.stdout.splitlines()) == sorted(b.stdout.splitlines())
    finally:
        srv.terminate()
        srv.wait(timeout=30)


@pytest.mark.server
def test_label_fragment_parameters_resolve_on_an_endpoint(server) -> None:
    args = (
        "query",
        "trials-behind",
        "--param",
        "guidance=Commissioning an alcohol",
        "--format",
        "csv",
    )
    a = run_cli(*args)
    b = run_cli(*args, "--endpoint", server.url)
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert sorted(a.stdout.splitlines()) == sorted(b.stdout.splitlines())
    assert "2007-us-veterans-affairs" in b.stdout


@pytest.mark.server
def test_trace_on_an_endpoint_matches_embedded(server) -> None:
    a = run_cli("trace", "Commissioning an alcohol", "--format", "json")
    b = run_cli("trace", "Commissioning an alcohol", "--format", "json", "--endpoint", server.url)
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    import json

    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["paths"] == jb["paths"]
    assert ja["recommendations"] == jb["recommendations"]
