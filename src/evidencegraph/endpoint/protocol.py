"""A client for any SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB, Neptune).

SPARQLWrapper builds the protocol request; the transport is our own urllib
opener, because SPARQLWrapper 2.0 forwards Basic credentials across a
cross-host redirect and its ``query()`` sends update text as an update. So:

* every query passes :func:`evidencegraph.safety.check_query` before anything
  is sent, and SPARQLWrapper's own guess of the form is checked again;
* credentials come only from the environment and are dropped when a redirect
  leaves the origin (scheme, host and port);
* each failure becomes one :class:`EndpointError` line naming the cause, and a
  body is parsed only once complete, so there are never partial rows.
"""

from __future__ import annotations

import contextlib
import io
import urllib.request
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from evidencegraph._version import __version__
from evidencegraph.endpoint import transport
from evidencegraph.endpoint.policy import MAX_GET_URL, check_http_url, split_url
from evidencegraph.errors import EndpointError
from evidencegraph.safety import CheckedQuery, check_query

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result
    from rdflib.term import Identifier

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_ACCEPT = f"{RESULTS_JSON},{RESULTS_XML};q=0.8"
NTRIPLES = "application/n-triples"
AGENT = f"evidencegraph/{__version__}"


@contextlib.contextmanager
def _quiet_term_conversion() -> Iterator[None]:
    """rdflib logs a traceback for every literal whose lexical form does not fit its
    datatype (Virtuoso answers ``"300.0"^^xsd:duration``); such a literal is kept and
    shown as the endpoint returned it, so the warning is noise here."""
    import logging

    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _as_local(term: Any) -> Any:
    """Simple literals typed ``xsd:string``, as oxrdflib returns them locally.

    RDF 1.1 makes the two the same literal, but rdflib compares them as
    different; this keeps endpoint rows equal to embedded rows.
    """
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term), datatype=XSD.string)
    return term


def _looks_html(resp: transport.Response) -> bool:
    if resp.content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = resp.body[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


class Endpoint:
    """A remote SPARQL 1.1 endpoint, queried read-only unless told to push.

    ``url`` may be a base URL (``http://127.0.0.1:7878``) or a query URL
    (``.../query``); see :func:`split_url`.
    """

    def __init__(
        self, url: str, *, timeout: float = 30.0, retries: int = 2, allow_service: bool = False
    ) -> None:
        self.query_url, self.gsp_url = split_url(url)
        if timeout <= 0:
            raise EndpointError("the endpoint timeout must be positive")
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.allow_service = allow_service

    def __repr__(self) -> str:
        return f"Endpoint({self.query_url!r})"

    # ------------------------------------------------------------------ queries

    def query(self, text: str) -> Result:
        """Run a read-only query; rows, ``vars`` and ``graph`` behave like local results.

        As with the embedded Oxigraph engine, simple literals come back typed
        ``xsd:string`` and an explicit projection keeps its variable order.
        """
        checked = check_query(text, allow_service=self.allow_service)
        resp = self._send(lambda: self._query_request(checked), self.query_url, write=False)
        if checked.form in ("CONSTRUCT", "DESCRIBE"):
            return self._graph_result(resp, checked.form)
        return self._rows_result(resp, checked)

    def select_rows(self, text: str) -> list[dict[str, Identifier | None]]:
        """A SELECT's rows as dicts keyed by variable name (``None`` when unbound)."""
        result = self.query(text)
        if result.type != "SELECT":
            raise EndpointError(f"expected a SELECT query, got {result.type}")
        names = [str(v) for v in result.vars or []]
        return [{n: row[i] for i, n in enumerate(names)} for row in result]

    def ask(self, text: str) -> bool:
        """An ASK query's answer."""
        result = self.query(text)
        if result.type != "ASK":
            raise EndpointError(f"expected an ASK query, got {result.type}")
        return bool(result.askAnswer)

    def construct(self, text: str) -> Graph:
        """A CONSTRUCT or DESCRIBE query's graph."""
        result = self.query(text)
        if result.graph is None:
            raise EndpointError(f"expected a CONSTRUCT or DESCRIBE query, got {result.type}")
        return result.graph

    def _query_request(self, checked: CheckedQuery) -> urllib.request.Request:
        from evidencegraph.engine.client import query_request

        graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
        get_len = len(self.query_url) + len(quote(checked.text, safe="")) + 8
        req = query_request(
            self.query_url, checked.text, checked.form, agent=AGENT, use_post=get_len > MAX_GET_URL
        )
        req.add_header("Accept", f"{NTRIPLES},text/turtle;q=0.8" if graph_form else RESULTS_ACCEPT)
        return req

    def _rows_result(self, resp: transport.Response, checked: CheckedQuery) -> Result:
        from rdflib.query import Result
        from rdflib.term import Variable

        url = self.query_url
        if _looks_html(resp):
            raise EndpointError(f"{url} returned HTML, not SPARQL results")
        fmt = "xml" if resp.content_type == RESULTS_XML else "json"
        if not resp.body.strip():
            raise EndpointError(f"{url} returned an empty body, not SPARQL results")
        try:
            with _quiet_term_conversion():
                result = Result.parse(io.BytesIO(resp.body), format=fmt)
        except Exception:  # any parser failure is the same fault to the user
            raise EndpointError(f"{url} returned truncated or malformed results") from None
        if result.type != checked.form:
            raise EndpointError(f"{url} returned {result.type} results for a {checked.form} query")
        if result.type == "SELECT":
            names = [str(v) for v in result.vars or []]
            missing = [v for v in checked.variables if v not in names]
            if missing:
                raise EndpointError(
                    f"{url} returned results without "
                    f"{', '.join('?' + v for v in missing)}, which the query projects"
                )
            if checked.variables and sorted(checked.variables) == sorted(names):
                result.vars = [Variable(v) for v in checked.variables]
            result.bindings = [
                {var: _as_local(term) for var, term in row.items()} for row in result.bindings
            ]
        return result

    def _graph_result(self, resp: transport.Response, form: str) -> Result:
        from rdflib import Graph
        from rdflib.query import Result

        from evidencegraph.engine import parse_rdf_answer
        from evidencegraph.errors import LoadError

        url = self.query_url
        if _looks_html(resp):
            raise EndpointError(f"{url} returned HTML, not RDF")
        try:
            triples = parse_rdf_answer(resp.body, resp.content_type, url)
        except LoadError as err:
            raise EndpointError(str(err)) from None
        graph = Graph()
        graph.addN((s, p, _as_local(o), graph) for s, p, o in triples)
        result = Result(form if form == "CONSTRUCT" else "CONSTRUCT")
        result.graph = graph
        return result

    # --------------------------------------------------------------------- push

    def push(
        self, ntriples: bytes, graph_iri: str | None = None, gsp_url: str | None = None
    ) -> None:
        """Replace the default graph (or ``graph_iri``) with ``ntriples`` by Graph Store PUT."""
        target = gsp_url or self.gsp_url
        if target is None:
            raise EndpointError(
                f"cannot tell the Graph Store endpoint for {self.query_url}; "
                "give its URL (for Oxigraph it is <base>/store)"
            )
        check_http_url(target)
        if graph_iri is not None:
            parts = urlsplit(graph_iri)
            bad = any(c in graph_iri for c in ' <>"{}|\\^`') or any(ord(c) < 33 for c in graph_iri)
            if not parts.scheme or bad:
                raise EndpointError(f"graph name {graph_iri!r} is not an absolute IRI")
            param = "graph=" + quote(graph_iri, safe="")
        else:
            param = "default"
        url = f"{target}{'&' if '?' in target else '?'}{param}"

        def build() -> urllib.request.Request:
            req = urllib.request.Request(url, data=ntriples, method="PUT")
            req.add_header("Content-Type", NTRIPLES)
            req.add_header("User-Agent", AGENT)
            return req

        self._send(build, target, write=True)

    def _send(
        self, build: Callable[[], urllib.request.Request], url: str, *, write: bool
    ) -> transport.Response:
        return transport.send(build, url, write=write, timeout=self.timeout, retries=self.retries)
