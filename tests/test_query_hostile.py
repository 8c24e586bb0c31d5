"""Hostile queries on the embedded path: nesting, SERVICE, FROM, updates — via the real CLI."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from conftest import run_cli


def test_fifty_nested_parentheses_give_the_right_answer(tmp_path: Path) -> None:
    q = tmp_path / "deep.rq"
    q.write_text("SELECT ?x WHERE { BIND(" + "(" * 50 + "1 + 1" + ")" * 50 + " AS ?x) }\n")
    proc = run_cli("query", str(q), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["x", "2"]


def test_absurdly_deep_nesting_is_a_clean_error(tmp_path: Path) -> None:
    q = tmp_path / "deeper.rq"
    q.write_text("SELECT ?x WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }\n")
    proc = run_cli("query", str(q))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


@pytest.fixture
def listener():
    """A loopback HTTP server that counts every request it receives."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/", hits
    srv.shutdown()
    srv.server_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "SELECT ?s FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT ?s FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT ?s FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_federation_refused_before_any_request(tmp_path: Path, listener, body: str) -> None:
    url, hits = listener
    q = tmp_path / "fed.rq"
    q.write_text(body.format(url=url) + "\n")
    proc = run_cli("query", str(q))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "refused" in proc.stderr and "--allow-service" in proc.stderr
    assert hits == []


@pytest.mark.parametrize(
    "body",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "DROP ALL",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# looks harmless\nCLEAR DEFAULT",
    ],
)
def test_updates_are_refused_as_read_only(tmp_path: Path, body: str) -> None:
    q = tmp_path / "upd.rq"
    q.write_text(body + "\n")
    proc = run_cli("query", str(q))
    assert proc.returncode == 2
    assert "read-only" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    q = tmp_path / "bad.rq"
    q.write_text(
        "PREFIX eg: <https://w3id.org/evidencegraph/ontology#>\nSELECT ?s WHERE { ?s eg:x }\n"
    )
    proc = run_cli("query", str(q))
    assert proc.returncode == 2
    assert "line 2" in proc.stderr and "column" in proc.stderr
