"""Remote SPARQL endpoints: a real Oxigraph server, and real faulty HTTP servers.

Everything binds 127.0.0.1 (and 127.0.0.2 for the cross-host redirect);
no mocks. Each fault server records what reached it, so "refused before
anything is sent" is checked as "the server saw zero requests".
"""

from __future__ import annotations

import base64
import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import require_tool, skip_unless_ci
from endpoint_helpers import (
    EMPTY_SELECT,
    HTML_PAGE,
    ONE_ROW_SELECT,
    RESULTS_JSON,
    FaultServer,
    echo_authorization,
    redirect,
    results,
    sequence,
    stall,
    stall_mid_body,
    status,
    truncated,
)
from evidencegraph import engine
from evidencegraph.endpoint import Endpoint, ReadOnlyStoreError, split_url
from evidencegraph.errors import EndpointError, EvidenceGraphError, QueryError, ReadOnlyError
from evidencegraph.safety import check_query
from evidencegraph.serving.oxigraph import find_free_port, running_server

TURTLE = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:nice a ex:Agency ; ex:label "NICE"@en .
ex:cg115 a ex:Guidance ; ex:label "Alcohol-use disorders" ; ex:issuedBy ex:nice ;
    ex:year 2011 ; ex:cites ex:trial1, ex:review1 .
ex:review1 a ex:Review ; ex:label "A 2009 review" ; ex:year "2009"^^xsd:gYear ;
    ex:cites ex:trial1 .
ex:trial1 a ex:Trial ; ex:label "US 2007 trial" ; ex:year 2007 ; ex:effect 0.42 .
ex:trial2 a ex:Trial ; ex:label "UK 2012 trial" ; ex:year 2012 .
"""

PREFIX = "PREFIX ex: <http://example.org/>\n"


SAME_ANSWER = [
    "SELECT ?doc ?label ?year WHERE { ?doc ex:label ?label OPTIONAL { ?doc ex:year ?year } }",
    "SELECT ?g ?d WHERE { ?g a ex:Guidance ; ex:cites+ ?d }",
    "SELECT ?t (COUNT(?c) AS ?n) WHERE { ?t a ex:Trial OPTIONAL { ?c ex:cites ?t } } GROUP BY ?t",
    "SELECT ?x WHERE { ?x ex:effect ?e FILTER(?e > 0.4) }",
    "SELECT ?label WHERE { ?a a ex:Agency ; ex:label ?label FILTER(lang(?label) = 'en') }",
    "SELECT ?doc WHERE { ?doc ex:year ?y FILTER(?y > 2010) } ORDER BY ?doc",
]


@pytest.fixture(scope="module")
def local_graph(tmp_path_factory: pytest.TempPathFactory):
    """The small test graph, embedded, and written as sorted N-Triples."""
    folder = tmp_path_factory.mktemp("endpoint-graph")
    ttl = folder / "graph.ttl"
    ttl.write_text(TURTLE, encoding="utf-8")
    graph = engine.new_graph()
    engine.parse_file(graph, ttl)
    nt = folder / "graph.nt"
    nt.write_text("".join(engine.sorted_ntriples(graph)), encoding="utf-8")
    return graph, nt


@pytest.fixture(scope="module")
def oxigraph_ro(local_graph) -> Iterator:
    """A real read-only Oxigraph server loaded with the test graph."""
    require_tool("oxigraph")
    _, nt = local_graph
    with running_server(nt, read_only=True) as server:
        yield server


def _rows(result) -> tuple[list[str], list[tuple[str, ...]]]:
    names = [str(v) for v in result.vars]
    rows = sorted(
        tuple("" if row[i] is None else row[i].n3() for i in range(len(names))) for row in result
    )
    return names, rows


# -- a real Oxigraph server gives the embedded answers -------------------------


@pytest.mark.server
@pytest.mark.parametrize("query", SAME_ANSWER)
def test_select_matches_embedded(oxigraph_ro, local_graph, query: str) -> None:
    graph, _ = local_graph
    local = engine.run(graph, PREFIX + query)
    remote = Endpoint(oxigraph_ro.url, timeout=10).query(PREFIX + query)
    assert remote.type == local.type == "SELECT"
    assert _rows(remote) == _rows(local)
    assert _rows(local)[1], "the test query should return rows"


@pytest.mark.server
@pytest.mark.parametrize(
    "query, expected",
    [
        ("ASK { ex:cg115 ex:cites ex:trial1 }", True),
        ("ASK { ex:cg115 ex:cites ex:trial2 }", False),
    ],
)
def test_ask_matches_embedded(oxigraph_ro, local_graph, query: str, expected: bool) -> None:
    graph, _ = local_graph
    endpoint = Endpoint(oxigraph_ro.query_url, timeout=10)
    remote = endpoint.query(PREFIX + query)
    assert remote.type == "ASK"
    assert remote.askAnswer is expected is engine.run(graph, PREFIX + query).askAnswer
    assert endpoint.ask(PREFIX + query) is expected


@pytest.mark.server
def test_construct_matches_embedded(oxigraph_ro, local_graph) -> None:
    graph, _ = local_graph
    query = PREFIX + "CONSTRUCT { ?d ex:supports ?g } WHERE { ?g ex:cites+ ?d }"
    local = engine.run(graph, query)
    remote = Endpoint(oxigraph_ro.url).query(query)
    assert remote.type == "CONSTRUCT"
    assert set(remote.graph) == set(local.graph)
    assert len(remote.graph) == 3


@pytest.mark.server
def test_long_query_goes_by_post_and_matches(oxigraph_ro, local_graph) -> None:
    graph, _ = local_graph
    query = PREFIX + f"SELECT ?t WHERE {{ ?t a ex:Trial FILTER(?t != '{'x' * 5000}') }}"
    remote = Endpoint(oxigraph_ro.url).query(query)
    assert _rows(remote) == _rows(engine.run(graph, query))


@pytest.mark.parametrize("size, method", [(10, "GET"), (5000, "POST")])
def test_short_queries_use_get_long_ones_post(size: int, method: str) -> None:
    query = f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != '{'x' * size}') }}"

    def behave(h, n):  # a same-origin 307 first: the body must survive it
        if n == 0:
            h.reply(307, headers={"Location": "/moved" + h.path[len("/query") :]})
        else:
            h.reply(200, ONE_ROW_SELECT, RESULTS_JSON)

    with FaultServer(behave) as srv:
        assert len(Endpoint(srv.url).select_rows(query)) == 1
        first, second = srv.requests
        assert first.method == second.method == method
        assert first.query_text == second.query_text == query
        assert first.headers["Accept"].startswith("application/sparql-results+json")


# -- push through the Graph Store protocol --------------------------------------


@pytest.mark.server
def test_push_replaces_and_reads_back(local_graph) -> None:
    require_tool("oxigraph")
    graph, nt = local_graph
    with running_server(None, read_only=False) as server:
        endpoint = Endpoint(server.url)
        endpoint.push(b"<http://example.org/old> <http://example.org/p> <http://example.org/o> .\n")
        endpoint.push(nt.read_bytes())  # PUT replaces: the old triple goes
        count = PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert int(endpoint.select_rows(count)[0]["n"]) == len(graph)
        query = PREFIX + SAME_ANSWER[0]
        assert _rows(endpoint.query(query)) == _rows(engine.run(graph, query))

        endpoint.push(nt.read_bytes(), graph_iri="http://example.org/g?v=1&w=2")
        named = "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/g?v=1&w=2> { ?s ?p ?o } }"
        assert int(endpoint.select_rows(named)[0]["n"]) == len(graph)


@pytest.mark.server
def test_push_to_read_only_server_is_refused(oxigraph_ro, local_graph) -> None:
    _, nt = local_graph
    with pytest.raises(ReadOnlyError, match="the store is read-only") as info:
        Endpoint(oxigraph_ro.url).push(nt.read_bytes())
    assert isinstance(info.value, EndpointError)
    assert "HTTP 403" in str(info.value)
    # nothing changed
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(Endpoint(oxigraph_ro.url).select_rows(count)[0]["n"]) == len(local_graph[0])


def test_push_405_means_read_only_and_plain_403_does_not() -> None:
    with (
        FaultServer(status(405, b"Method Not Allowed")) as srv,
        pytest.raises(ReadOnlyStoreError, match="the store is read-only"),
    ):
        Endpoint(srv.url).push(b"")
    with FaultServer(status(403, b"Forbidden: bad token")) as srv:
        with pytest.raises(EndpointError, match=r"HTTP 403 Forbidden from .*/store") as info:
            Endpoint(srv.url).push(b"")
        assert not isinstance(info.value, ReadOnlyError)
        assert srv.requests[0].method == "PUT"
        assert srv.requests[0].path == "/store?default"
        assert srv.requests[0].headers["Content-Type"] == "application/n-triples"


def test_push_needs_a_graph_store_url_and_an_iri() -> None:
    with pytest.raises(EndpointError, match="Graph Store endpoint"):
        Endpoint("http://127.0.0.1:9/ds/sparql").push(b"")
    with pytest.raises(EndpointError, match="not an absolute IRI"):
        Endpoint("http://127.0.0.1:9").push(b"", graph_iri="x> <y")


def test_split_url() -> None:
    assert split_url("http://127.0.0.1:7878") == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/store",
    )
    assert split_url("http://127.0.0.1:7878/query") == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/store",
    )
    assert split_url("https://h/ds/sparql") == ("https://h/ds/sparql", None)
    for bad in ("file:///etc/passwd", "ftp://h/x", "http://user:pw@h/query"):
        with pytest.raises(EndpointError) as info:
            split_url(bad)
        assert "pw" not in str(info.value).replace("password", "")


# -- SERVICE, FROM and updates are refused before anything is sent ---------------

SERVICE_QUERIES = [
    "SELECT ?s WHERE { SERVICE <{url}/> { ?s ?p ?o } }",
    "SELECT ?s WHERE { SERVICE SILENT <{url}/> { ?s ?p ?o } }",
    "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <{url}/sparql> { ?s ?q ?r } } }",
]
FROM_QUERIES = [
    "SELECT ?s WHERE { ?s ?p ?o }".replace("WHERE", "FROM <file:///etc/passwd> WHERE"),
    "SELECT ?s FROM NAMED <{url}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s FROM <{url}/g> WHERE { ?s ?p ?o }",
]
UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/o> }",
    "LOAD <{url}/data.ttl>",
    "DROP ALL",
    "CLEAR DEFAULT",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_refused_before_anything_is_sent(template: str) -> None:
    with FaultServer(results(EMPTY_SELECT)) as listener:
        query = template.replace("{url}", listener.url)
        with pytest.raises(QueryError, match="SERVICE clauses are refused"):
            check_query(query)  # the embedded path
        with pytest.raises(QueryError, match="SERVICE clauses are refused"):
            Endpoint(listener.url, retries=0).query(query)
        time.sleep(0.05)
        assert listener.requests == []


def test_service_listener_would_see_an_unchecked_query() -> None:
    """Control: without the check the embedded engine does federate to the listener."""
    with FaultServer(results(EMPTY_SELECT)) as listener:
        query = SERVICE_QUERIES[1].replace("{url}", listener.url)
        with contextlib.suppress(Exception):  # only the request count matters here
            list(engine.run(engine.new_graph(), query))
        assert len(listener.requests) >= 1
        # and a plain query through Endpoint reaches it exactly once
        Endpoint(listener.url).query("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(listener.requests) >= 2


@pytest.mark.parametrize("template", FROM_QUERIES)
def test_from_refused_before_anything_is_sent(template: str) -> None:
    with FaultServer(results(EMPTY_SELECT)) as listener:
        query = template.replace("{url}", listener.url)
        with pytest.raises(QueryError, match="FROM / FROM NAMED are refused"):
            check_query(query)
        with pytest.raises(QueryError, match="FROM / FROM NAMED are refused"):
            Endpoint(listener.url).query(query)
        assert listener.requests == []


@pytest.mark.parametrize(
    "lead", ["", "# a harmless-looking comment\n", "PREFIX ex: <http://example.org/>\n"]
)
@pytest.mark.parametrize("template", UPDATES)
def test_updates_refused_as_read_only(template: str, lead: str) -> None:
    with FaultServer(results(EMPTY_SELECT)) as listener:
        text = lead + template.replace("{url}", listener.url)
        with pytest.raises(ReadOnlyError, match="read-only"):
            check_query(text)
        with pytest.raises(ReadOnlyError, match="read-only") as info:
            Endpoint(listener.url).query(text)
        assert "\n" not in str(info.value)
        assert listener.requests == []


def test_select_that_sparqlwrapper_takes_for_an_update_is_sent_as_a_query() -> None:
    """SPARQLWrapper 2.0's regex reads this SELECT as ADD and would send ``update=``."""
    from SPARQLWrapper import SPARQLWrapper

    query = "# title: x\n#   a row names a document; add the year\nSELECT ?s WHERE { ?s ?p ?o }"
    sw = SPARQLWrapper("http://127.0.0.1:9/query")
    sw.setQuery(query)
    assert sw.isSparqlUpdateRequest()  # the hazard is real
    with FaultServer(results()) as srv:
        assert len(Endpoint(srv.url).select_rows(query)) == 1
        (sent,) = srv.requests
        assert sent.method == "GET" and sent.path.startswith("/query?query=")
        assert sent.query_text == query and "update=" not in sent.path


# -- transport faults --------------------------------------------------------------


def _one_line(err: BaseException) -> str:
    text = str(err)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_connection_refused() -> None:
    port = find_free_port()  # nothing listens there
    started = time.monotonic()
    with pytest.raises(EndpointError) as info:
        Endpoint(f"http://127.0.0.1:{port}", timeout=2).query("ASK {}")
    assert _one_line(info.value) == (
        f"cannot connect to http://127.0.0.1:{port}/query: connection refused"
    )
    assert time.monotonic() - started < 3  # two short backoffs, no more


def test_403_is_reported_and_not_retried() -> None:
    with FaultServer(status(403, b"Forbidden")) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("ASK {}")
        assert _one_line(info.value).startswith(f"HTTP 403 Forbidden from {srv.url}/query")
        assert len(srv.requests) == 1


@pytest.mark.parametrize("retries", [0, 2])
def test_429_is_retried_a_bounded_number_of_times(retries: int) -> None:
    with FaultServer(status(429, headers={"Retry-After": "0"})) as srv:
        with pytest.raises(EndpointError, match="HTTP 429 Too Many Requests from") as info:
            Endpoint(srv.url, retries=retries).query("ASK {}")
        _one_line(info.value)
        assert len(srv.requests) == retries + 1


def test_502_is_not_retried() -> None:
    with FaultServer(status(502, HTML_PAGE, "text/html")) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("ASK {}")
        assert _one_line(info.value) == f"HTTP 502 Bad Gateway from {srv.url}/query"
        assert len(srv.requests) == 1


def test_503_is_retried_then_reported() -> None:
    with FaultServer(status(503, headers={"Retry-After": "0"})) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("ASK {}")
        assert _one_line(info.value) == (
            f"HTTP 503 Service Unavailable from {srv.url}/query (after 3 attempts)"
        )
        assert len(srv.requests) == 3


def test_503_then_success() -> None:
    behaviour = sequence(status(503, headers={"Retry-After": "0"}), results())
    with FaultServer(behaviour) as srv:
        rows = Endpoint(srv.url).select_rows("SELECT ?s WHERE { ?s ?p ?o }")
        assert [str(r["s"]) for r in rows] == ["http://example.org/a"]
        assert len(srv.requests) == 2


@pytest.mark.slow
def test_retry_after_is_honoured_but_capped() -> None:
    with FaultServer(status(503, headers={"Retry-After": "3600"})) as srv:
        started = time.monotonic()
        with pytest.raises(EndpointError, match="HTTP 503"):
            Endpoint(srv.url, retries=1).query("ASK {}")
        elapsed = time.monotonic() - started
        assert 1.9 <= elapsed < 3.5  # waited, but 2 s at most
        assert len(srv.requests) == 2


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", [stall(5), stall_mid_body(5)], ids=["no-answer", "mid-body"])
def test_stall_times_out(behaviour) -> None:
    with FaultServer(behaviour) as srv:
        started = time.monotonic()
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url, timeout=1).query("SELECT ?s WHERE { ?s ?p ?o }")
        elapsed = time.monotonic() - started
        assert _one_line(info.value) == f"{srv.url}/query did not answer within 1 s"
        assert elapsed < 2.5
        assert len(srv.requests) == 1  # a timeout is not retried


@pytest.mark.parametrize("ctype", ["text/html; charset=utf-8", RESULTS_JSON])
def test_html_body_where_results_were_expected(ctype: str) -> None:
    with FaultServer(status(200, HTML_PAGE, ctype)) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("SELECT ?s WHERE { ?s ?p ?o }")
        assert _one_line(info.value) == f"{srv.url}/query returned HTML, not SPARQL results"
        with pytest.raises(EndpointError, match="returned HTML, not RDF"):
            Endpoint(srv.url).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("mode", ["chunked", "length", "close"])
def test_truncated_json_gives_no_partial_rows(mode: str) -> None:
    with FaultServer(truncated(mode)) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("SELECT ?s WHERE { ?s ?p ?o }")
        text = _one_line(info.value)
        assert text == f"{srv.url}/query returned truncated or malformed results"
        assert len(srv.requests) == 1


@pytest.mark.parametrize(
    "body",
    [b"", b"{}", b'{"head": {"vars": ["s"]}}', b"\x00\xff\xfe", b'{"head":{},"boolean":true}'],
)
def test_malformed_results(body: bytes) -> None:
    with FaultServer(results(body)) as srv, pytest.raises(EndpointError) as info:
        Endpoint(srv.url).query("SELECT ?s WHERE { ?s ?p ?o }")
    text = _one_line(info.value)
    assert srv.url in text
    assert "\\x" not in text and "head" not in text


def test_truncated_ntriples_for_construct() -> None:
    body = b'<http://example.org/a> <http://example.org/p> "one" .\n' * 3
    with (
        FaultServer(truncated("chunked", body, "application/n-triples")) as srv,
        pytest.raises(EndpointError, match="returned truncated or malformed results"),
    ):
        Endpoint(srv.url).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


# -- credentials ---------------------------------------------------------------------

USER, PASSWORD, TOKEN = "curator", "s3cret-pw-7b1c", "tok-9f2e4a77d1"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def _secrets_absent(text: str) -> None:
    for secret in (PASSWORD, TOKEN, BASIC.split()[1]):
        assert secret not in text


def _can_bind(host: str) -> bool:
    try:
        with socket.socket() as sock:
            sock.bind((host, 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("other_host", ["127.0.0.1", "127.0.0.2"])
@pytest.mark.parametrize("auth", ["basic", "token"])
def test_cross_origin_redirect_drops_credentials(monkeypatch, other_host: str, auth: str) -> None:
    if not _can_bind(other_host):
        skip_unless_ci(f"{other_host} is not a usable loopback address here")
    if auth == "basic":
        monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_USER", USER)
        monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_PASSWORD", PASSWORD)
        expected = BASIC
    else:
        monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_TOKEN", TOKEN)
        expected = f"Bearer {TOKEN}"
    with (
        FaultServer(results(), host=other_host) as other,
        FaultServer(redirect(lambda: other.url)) as origin,
    ):
        rows = Endpoint(origin.url).select_rows("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(rows) == 1  # the redirect was followed
        assert origin.requests[0].headers.get("Authorization") == expected
        assert len(other.requests) == 1
        assert "Authorization" not in other.requests[0].headers
        assert other.requests[0].query_text == "SELECT ?s WHERE { ?s ?p ?o }"


def test_same_origin_redirect_keeps_credentials(monkeypatch) -> None:
    monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_TOKEN", TOKEN)

    def behave(h, n):
        if n == 0:
            h.reply(302, headers={"Location": "/sparql-moved" + h.path[len("/query") :]})
        else:
            h.reply(200, ONE_ROW_SELECT, RESULTS_JSON)

    with FaultServer(behave) as srv:
        Endpoint(srv.url).query("SELECT ?s WHERE { ?s ?p ?o }")
        assert [r.headers.get("Authorization") for r in srv.requests] == [f"Bearer {TOKEN}"] * 2


def test_credentials_never_in_error_messages(monkeypatch) -> None:
    monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_USER", USER)
    monkeypatch.setenv("EVIDENCEGRAPH_ENDPOINT_PASSWORD", PASSWORD)
    messages = []
    with FaultServer(echo_authorization(403)) as srv:
        with pytest.raises(EndpointError) as info:
            Endpoint(srv.url).query("ASK {}")
        assert srv.requests[0].headers["Authorization"] == BASIC  # it was sent...
        messages.append(str(info.value))  # ...and the echo is not shown
    with FaultServer(echo_authorization(500)) as srv, pytest.raises(EndpointError) as info:
        Endpoint(srv.url).push(b"")
    messages.append(str(info.value))
    with pytest.raises(EndpointError) as info:
        Endpoint(f"http://127.0.0.1:{find_free_port()}", retries=0).query("ASK {}")
    messages.append(str(info.value))
    bad_request = FaultServer(status(400, b"bad query: syntax"))
    with bad_request as srv, pytest.raises(EndpointError) as info:
        Endpoint(srv.url).query("ASK {}")
    messages.append(str(info.value))
    assert messages[-1].endswith(": bad query: syntax")  # harmless server text is shown
    for text in messages:
        _secrets_absent(text)
        assert USER not in text


# -- the server helper ---------------------------------------------------------------


@pytest.mark.server
def test_server_refuses_bad_input(tmp_path: Path) -> None:
    require_tool("oxigraph")
    with (
        pytest.raises(EvidenceGraphError, match="no such file"),
        running_server(tmp_path / "missing.nt"),
    ):
        pass
    bad = tmp_path / "bad.nt"
    bad.write_text("this is not n-triples\n")
    with pytest.raises(EvidenceGraphError, match="could not load"), running_server(bad):
        pass
    with pytest.raises(EvidenceGraphError, match="needs a graph file"), running_server(None):
        pass


@pytest.mark.server
def test_server_port_in_use(local_graph) -> None:
    require_tool("oxigraph")
    _, nt = local_graph
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with (
            pytest.raises(EvidenceGraphError, match=f"did not start on 127.0.0.1:{port}"),
            running_server(nt, port=port, timeout=5),
        ):
            pass
