"""``evidencegraph serve`` for a room of workshop laptops (issue 11, item 9): it never
federates for a client, stops long queries, dies with its parent whatever the
signal, cleans up after itself, and says so when the port is taken.

Each test runs the real CLI and talks to it over loopback HTTP with urllib, as a
browser or another laptop would (the project's own client would refuse the
hostile queries before sending them).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, cli_command, require_tool
from endpoint_helpers import EMPTY_SELECT, FaultServer, results
from processes import alive, children, program

pytestmark = pytest.mark.server


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str

    def children(self) -> list[int]:
        return children(self.proc.pid)


@contextmanager
def serving(*args: str, background: bool = False) -> Iterator[Served]:
    """``serve`` on a free port; ``background`` starts it as a shell starts ``serve &``
    (SIGINT ignored)."""
    require_tool("oxigraph")
    proc = subprocess.Popen(
        [*cli_command(), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline() if proc.stdout else ""
            m = re.search(r"endpoint: (http://[\d.]+:\d+)/query", line)
            if m:
                url = m.group(1)
            elif not line and proc.poll() is not None:
                break
        assert url, proc.stderr.read() if proc.stderr else ""
        yield Served(proc, url)
    finally:
        kids = children(proc.pid)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [k for k in kids if alive(k)], "serve left its Oxigraph child running"


def _http(url: str, data: bytes | None = None, ctype: str | None = None, timeout: float = 30):
    req = urllib.request.Request(url, data=data)
    req.add_header("Accept", "application/sparql-results+json")
    if ctype:
        req.add_header("Content-Type", ctype)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _get_query(base: str, query: str, timeout: float = 30):
    return _http(f"{base}/query?" + urllib.parse.urlencode({"query": query}), timeout=timeout)


ESCAPED = 'SELECT ?a WHERE {{ BIND("a\\u0022 AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} \\u0023 " }}'


def test_serve_answers_reads_and_refuses_federation_and_writes() -> None:
    with FaultServer(results(EMPTY_SELECT)) as target, serving() as srv:
        status, body = _get_query(srv.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        for query in (
            f"SELECT * WHERE {{ SERVICE <{target.url}/s> {{ ?s ?p ?o }} }}",
            ESCAPED.format(url=target.url + "/s"),
            f"SELECT * FROM <{target.url}/g> WHERE {{ ?s ?p ?o }}",
        ):
            status, body = _get_query(srv.url, query)
            assert status == 400 and "refused" in body, (status, body)
            form = urllib.parse.urlencode({"query": query}).encode()
            status, _ = _http(f"{srv.url}/query", form, "application/x-www-form-urlencoded")
            assert status == 400
            status, _ = _http(f"{srv.url}/query", query.encode(), "application/sparql-query")
            assert status == 400
        status, body = _http(
            f"{srv.url}/update", b"update=DROP%20ALL", "application/x-www-form-urlencoded"
        )
        assert status == 403 and "read-only" in body
        status, body = _get_query(srv.url, "DROP ALL")
        assert status == 403 and "read-only" in body
        assert target.requests == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        # Oxigraph's --timeout-s does not stop this one: serve restarts Oxigraph
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a",
    ],
    ids=["count", "order-by"],
)
def test_serve_stops_a_long_query_and_frees_the_core(query: str) -> None:
    with serving("--timeout", "2") as srv:
        started = time.monotonic()
        status, body = _get_query(srv.url, query, timeout=60)
        assert time.monotonic() - started < 20
        assert status >= 400 or "cancelled" in body, (status, body[:200])
        # no Oxigraph process is still working on it a moment later
        time.sleep(1.5)
        for pid in srv.children():
            t0 = _cpu_seconds(pid)
            time.sleep(1)
            assert _cpu_seconds(pid) - t0 < 0.5, "Oxigraph is still busy with the query"
        # and the server still answers
        status, _ = _get_query(srv.url, "ASK { ?s ?p ?o }")
        assert status == 200


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _store_of(pid: int) -> Path:
    """The store folder an Oxigraph process serves (from its command line)."""
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return Path(args[args.index("--location") + 1])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_serve_child_dies_with_the_parent_and_files_go(sig: signal.Signals) -> None:
    with serving() as srv:
        kids = srv.children()
        assert kids and all(alive(k) for k in kids)
        stores = [_store_of(k) for k in kids]
        assert all(s.is_dir() for s in stores)
        srv.proc.send_signal(sig)
        srv.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [k for k in kids if alive(k)]
        for k in left:  # end what the old behaviour leaked before failing
            os.kill(k, signal.SIGKILL)
        assert not left, f"Oxigraph outlived serve after {sig.name}"
    if sig == signal.SIGKILL:
        # nothing runs in a process killed with SIGKILL: the next server cleans up
        with serving():
            pass
    assert [s for s in stores if s.exists()] == [], "the temporary store was left behind"


def test_serve_started_in_the_background_still_stops_on_sigint() -> None:
    """A shell's `serve &` inherits SIGINT ignored; `kill -INT` must still stop it."""
    with serving(background=True) as srv:
        kids = srv.children()
        srv.proc.send_signal(signal.SIGINT)
        srv.proc.wait(timeout=15)
        assert srv.proc.stderr and "stopped" in srv.proc.stderr.read()
    assert not [k for k in kids if alive(k)]


def test_serve_on_a_taken_port_is_one_line_exit_2() -> None:
    require_tool("oxigraph")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run(
            [*cli_command(), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "serving" not in proc.stdout
    err = proc.stderr.strip()
    assert err == f"error: port {port} on 127.0.0.1 is already in use; choose another with --port"


def test_no_oxigraph_process_is_left_by_the_server_tests() -> None:
    """Runs after the endpoint, engine and serve tests (file order). The test session
    is a child subreaper (conftest), so whatever they started and orphaned is
    a child of this process now."""
    left = [pid for pid in children(os.getpid()) if alive(pid) and program(pid) == "oxigraph"]
    assert left == [], f"Oxigraph processes left running: {left}"
