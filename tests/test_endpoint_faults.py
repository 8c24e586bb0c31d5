"""Endpoint answers that lie, dribble, flood or attack the parser (issue 11, items 2, 3,
10 and 11): each is one line, exit 2, in bounded time and memory.

The servers are the project's loopback FaultServer; what a real user runs (the
CLI, or the Endpoint API in a child process, so a crash cannot take pytest with
it) is never mocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT, limit_memory, one_line_error, run_cli
from endpoint_helpers import FaultServer, Handler, results, truncated
from test_hostile_inputs import LAUGHS_ATTRIBUTE, LAUGHS_ELEMENT

NT = "application/n-triples"
FOUR_TRIPLES = b"".join(
    f'<http://example.org/s{i}> <http://example.org/p> "triple {i}" .\n'.encode() for i in range(4)
)


def _api_in_child(url: str, query: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``Endpoint(url).query(query)`` in a memory-limited child; prints the outcome."""
    code = textwrap.dedent(
        f"""
        from evidencegraph.endpoint import Endpoint
        from evidencegraph.errors import EvidenceGraphError
        try:
            r = Endpoint({url!r}, timeout=10, retries=0).query({query!r})
            print("ok", len(r.graph) if r.graph is not None else len(list(r)))
        except EvidenceGraphError as err:
            print("error:", err)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit_memory(2),
        cwd=ROOT,
    )


def test_body_shorter_than_content_length_is_truncated() -> None:
    """Half of four N-Triples lines is two whole lines: it parsed, and was taken for all."""
    from evidencegraph.endpoint import Endpoint
    from evidencegraph.errors import EndpointError

    with (
        FaultServer(truncated("length", FOUR_TRIPLES, NT)) as srv,
        pytest.raises(EndpointError, match="returned truncated or malformed results"),
    ):
        Endpoint(srv.url, retries=0).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_trace_on_a_truncated_answer_fails_instead_of_showing_no_edges() -> None:
    """The guidance is found (its label answers in full); every later answer, what it
    rests on and what bears on it, is cut short: trace fails instead of showing nothing."""
    from evidencegraph.safety import check_query

    doc = "https://w3id.org/evidencegraph/id/doc/2011-nice-commissioning-guidance"

    def rows(variables: list[str], row: dict | None) -> bytes:
        data = {"head": {"vars": variables}, "results": {"bindings": [row] if row else []}}
        return json.dumps(data).encode()

    def behave(h: Handler, n: int) -> None:
        checked = check_query(h.server.recorded[n].query_text or "", grammar=False)
        names = list(checked.variables)
        if n == 0:  # the label that says the guidance is in the graph
            row = {v: {"type": "literal", "value": "x"} for v in names}
            row["node"] = {"type": "uri", "value": doc}
            h.reply(200, rows(names, row), "application/sparql-results+json")
        else:
            row = {v: {"type": "uri", "value": doc} for v in names}
            truncated("length", rows(names, row), "application/sparql-results+json")(h, n)

    with FaultServer(behave) as srv:
        proc = run_cli("trace", f"<{doc}>", "--endpoint", srv.url, timeout=60)
    err = one_line_error(proc)
    assert "truncated" in err
    assert "no evidence" not in proc.stdout and "nothing bearing" not in proc.stdout


def dribble_headers(seconds: float):
    """Send a status line, then one header byte every half second for up to ``seconds``."""

    def behave(h: Handler, _n: int) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        h.wfile.flush()
        end = time.monotonic() + seconds
        while time.monotonic() < end and not h.server.stopping.is_set():
            h.wfile.write(b"X")
            h.wfile.flush()
            h.pause(0.5)

    return behave


@pytest.mark.slow
def test_dribbled_headers_end_at_the_api_timeout() -> None:
    from evidencegraph.endpoint import Endpoint
    from evidencegraph.errors import EndpointError

    with FaultServer(dribble_headers(30)) as srv:
        started = time.monotonic()
        with pytest.raises(EndpointError, match="did not answer within 2 s"):
            Endpoint(srv.url, timeout=2, retries=0).query("ASK {}")
        assert time.monotonic() - started < 4


@pytest.mark.slow
def test_dribbled_headers_end_at_the_timeout() -> None:
    with FaultServer(dribble_headers(30)) as srv:
        started = time.monotonic()
        proc = run_cli("query", "documents", "--endpoint", srv.url, "--timeout", "2", timeout=60)
        elapsed = time.monotonic() - started
    err = one_line_error(proc)
    assert "did not answer within 2 s" in err
    assert elapsed < 8


def flood(total: int):
    """A 200 answer of ``total`` bytes of valid-looking JSON, streamed without a length."""

    def behave(h: Handler, _n: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/sparql-results+json")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": [')
        row = b'{"s": {"type": "literal", "value": "' + b"x" * 1000 + b'"}},'
        sent = 0
        while sent < total and not h.server.stopping.is_set():
            h.wfile.write(row * 1000)
            sent += len(row) * 1000

    return behave


def test_huge_answer_is_cut_at_the_size_limit_in_bounded_memory() -> None:
    with FaultServer(flood(600 * 1024**2)) as srv:
        proc = run_cli(
            "query", "documents", "--endpoint", srv.url, timeout=120, preexec_fn=limit_memory(2)
        )
    err = one_line_error(proc)
    assert "answered more than 64 MB" in err and "EVIDENCEGRAPH_MAX_RESPONSE_MB" in err


def test_declared_length_over_the_limit_is_refused_before_reading(monkeypatch) -> None:
    from evidencegraph import endpoint
    from evidencegraph.endpoint import policy
    from evidencegraph.errors import EndpointError

    monkeypatch.setattr(policy, "MAX_RESPONSE_BYTES", 1000)
    with (
        FaultServer(results(b" " * 5000)) as srv,
        pytest.raises(EndpointError, match="answered more than"),
    ):
        endpoint.Endpoint(srv.url).query("SELECT ?s WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "body", [LAUGHS_ELEMENT, LAUGHS_ATTRIBUTE], ids=["laughs-element", "laughs-attribute"]
)
def test_construct_answer_with_entities_is_refused(body: str) -> None:
    with FaultServer(results(body.encode(), "application/rdf+xml")) as srv:
        proc = _api_in_child(srv.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith("error:") and "DOCTYPE" in proc.stdout, proc.stdout


def test_deep_json_ld_construct_answer_is_refused() -> None:
    deep = '{"@id": "http://example.org/a", "http://example.org/p": ' * 5000
    deep += '"x"' + "}" * 5000
    with FaultServer(results(deep.encode(), "application/ld+json")) as srv:
        proc = _api_in_child(srv.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-500:])
    assert proc.stdout.startswith("error:") and "nested more than" in proc.stdout


def test_row_with_too_few_columns_is_one_line() -> None:
    body = json.dumps(
        {
            "head": {"vars": ["s"]},
            "results": {"bindings": [{"s": {"type": "uri", "value": "http://example.org/a"}}]},
        }
    ).encode()
    with FaultServer(results(body)) as srv:
        for args in (["query", "documents"], ["trace", "Commissioning"]):
            err = one_line_error(run_cli(*args, "--endpoint", srv.url))
            assert "which the query projects" in err


@pytest.mark.parametrize(
    "head",
    [
        "SELECT ?doc ?x # the WHERE { below is the real one\n",
        'SELECT ?doc (CONCAT("WHERE { ", STR(?doc)) AS ?x)\n',
    ],
    ids=["comment", "string"],
)
def test_parameter_values_go_into_the_real_where_group(tmp_path, head: str) -> None:
    """The VALUES block was put after the first ``WHERE {`` in the text, even in a
    comment or a string, where it silently did nothing."""
    from evidencegraph.safety import check_query

    doc = "https://w3id.org/evidencegraph/id/doc/2011-text-chat-therapy"
    q = tmp_path / "p.rq"
    q.write_text(
        "# param: doc (eg:Document, required)\n"
        + head
        + "WHERE { ?doc <http://www.w3.org/2000/01/rdf-schema#label> ?l }\n"
    )
    empty = json.dumps({"head": {"vars": ["doc", "x"]}, "results": {"bindings": []}}).encode()
    with FaultServer(results(empty)) as srv:
        proc = run_cli("query", str(q), "--param", f"doc=<{doc}>", "--endpoint", srv.url)
        assert proc.returncode == 0, proc.stderr
        (sent,) = srv.requests
    text = sent.query_text or ""
    where = check_query(text, grammar=False).where_at
    assert where > 0 and text[where:].lstrip().startswith(f"VALUES (?doc) {{ (<{doc}>) }}"), text
