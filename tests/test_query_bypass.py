"""The checker and the engine read the same text: no escape, comment or library
file gets SERVICE, FROM, an update or absurd nesting past the check (issue 11, item 1).

Every case runs the real CLI; the SERVICE/FROM target is a loopback FaultServer
that counts requests, so "refused" means "nothing reached it".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import project_copy, run_cli
from endpoint_helpers import EMPTY_SELECT, FaultServer, results

# \u0022 is a double quote and \u0023 a hash once SPARQL's escapes are expanded:
# rdflib (the checker) expanded them, Oxigraph (the engine) did not, so the
# checker read the SERVICE clause as part of a string and Oxigraph ran it.
ESCAPED_SERVICE = (
    'SELECT ?a WHERE {{ BIND("a\\u0022 AS ?a) SERVICE SILENT <{url}> {{ ?s ?p ?o }} \\u0023 " }}\n'
)
ESCAPED_FROM = 'SELECT ?s FROM <{url}> WHERE {{ BIND("a\\u0022 AS ?a) ?s ?p ?o \\u0023 " }}\n'
ESCAPED_NESTING = (
    'SELECT ?a WHERE { BIND("a\\u0022 AS ?a) ' + "{" * 5000 + "}" * 5000 + ' \\u0023 " }\n'
)
# rdflib ends a comment at LF only; SPARQL (and Oxigraph) at CR too.
CR_COMMENT_SERVICE = "SELECT * WHERE {{ ?s ?p ?o # note\rSERVICE <{url}> {{ ?s ?p ?o }} }}\n"


@pytest.fixture
def target():
    """The server a bypass would send its SERVICE or FROM request to."""
    with FaultServer(results(EMPTY_SELECT)) as srv:
        yield srv


@pytest.fixture(scope="module")
def built_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bypass-build")
    proc = run_cli("build", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out / "graph.ttl"


def _sources(kind: str, built_graph: Path, tmp_path: Path, endpoint_url: str) -> list[str]:
    if kind == "embedded":
        return []
    if kind == "graph":
        return ["--graph-file", str(built_graph)]
    if kind == "endpoint":
        return ["--endpoint", endpoint_url]
    return []


@pytest.mark.parametrize("kind", ["embedded", "graph", "store", "endpoint"])
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (ESCAPED_SERVICE, "SERVICE clauses are refused"),
        (ESCAPED_FROM, "FROM / FROM NAMED are refused"),
    ],
    ids=["escaped-service", "escaped-from"],
)
def test_hidden_federation_is_refused_on_every_path(
    tmp_path: Path, target, built_graph: Path, kind: str, template: str, expected: str
) -> None:
    q = tmp_path / "hidden.rq"
    q.write_text(template.format(url=target.url + "/sparql"), encoding="utf-8")
    with FaultServer(results(EMPTY_SELECT)) as endpoint:
        pre = ["--store", str(tmp_path / "store")] if kind == "store" else []
        args = [*pre, "query", str(q), *_sources(kind, built_graph, tmp_path, endpoint.url)]
        proc = run_cli(*args, timeout=60)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.strip().splitlines() == [f"error: {proc.stderr.strip()[7:]}"]
        assert expected in proc.stderr
        assert endpoint.requests == [], "nothing may be sent to the endpoint either"
    assert target.requests == []


@pytest.mark.parametrize("kind", ["embedded", "graph"])
def test_hidden_deep_nesting_is_a_clean_error_not_a_crash(
    tmp_path: Path, built_graph: Path, kind: str
) -> None:
    q = tmp_path / "deep.rq"
    q.write_text(ESCAPED_NESTING, encoding="utf-8")
    proc = run_cli("query", str(q), *_sources(kind, built_graph, tmp_path, ""), timeout=60)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    assert "nested more than" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_escapes_still_mean_what_sparql_says(tmp_path: Path) -> None:
    """Normalising is not refusing: an escaped character in a string is that character."""
    q = tmp_path / "ok.rq"
    q.write_text('SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) }\n', "utf-8")
    proc = run_cli("query", str(q), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == "café"


def test_library_queries_are_checked_too(tmp_path: Path, target) -> None:
    home, env = project_copy(tmp_path)
    (home / "queries" / "evil.rq").write_text(
        f"# title: looks fine\nSELECT * WHERE {{ SERVICE <{target.url}/s> {{ ?s ?p ?o }} }}\n"
    )
    (home / "queries" / "wipe.rq").write_text("# title: oops\nDROP ALL\n")
    proc = run_cli("query", "evil", env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "SERVICE clauses are refused" in proc.stderr
    assert target.requests == []
    proc = run_cli("query", "wipe", env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: read-only")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_endpoint_api_refuses_a_comment_ended_by_cr(target) -> None:
    from evidencegraph.endpoint import Endpoint
    from evidencegraph.errors import QueryError

    query = CR_COMMENT_SERVICE.format(url=target.url + "/s").replace("{{", "{")
    with FaultServer(results(EMPTY_SELECT)) as endpoint:
        with pytest.raises(QueryError, match="SERVICE clauses are refused"):
            Endpoint(endpoint.url, retries=0).query(query)
        assert endpoint.requests == []
    assert target.requests == []


def test_checked_text_is_what_is_sent(target) -> None:
    """The endpoint receives the normalised text, not the escaped original."""
    from evidencegraph.endpoint import Endpoint

    Endpoint(target.url).query('SELECT ?s WHERE { BIND("\\u0041" AS ?s) }')
    (sent,) = target.requests
    assert sent.query_text == 'SELECT ?s WHERE { BIND("A" AS ?s) }'
