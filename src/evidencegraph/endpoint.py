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

import base64
import contextlib
import http.client
import io
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from evidencegraph.errors import EndpointError, ReadOnlyError
from evidencegraph.safety import CheckedQuery, check_query

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result
    from rdflib.term import Identifier

ENV_USER = "EVIDENCEGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "EVIDENCEGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "EVIDENCEGRAPH_ENDPOINT_TOKEN"

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
RESULTS_ACCEPT = f"{RESULTS_JSON},{RESULTS_XML};q=0.8"
NTRIPLES = "application/n-triples"
RETRY_STATUSES = frozenset({429, 503})
# An answer larger than this is refused while it is read (a 500 MB answer took
# 4.3 GB to parse); EVIDENCEGRAPH_MAX_RESPONSE_MB raises it.
MAX_RESPONSE_BYTES = int(float(os.environ.get("EVIDENCEGRAPH_MAX_RESPONSE_MB", "64")) * 1024**2)
MAX_RETRY_AFTER = 2.0
# Queries longer than this go by POST (URL-encoded form) instead of GET.
MAX_GET_URL = 4000


class ReadOnlyStoreError(EndpointError, ReadOnlyError):
    """The server refused a write because it is read-only (catchable as either)."""


@dataclass(frozen=True)
class _Response:
    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get_content_type() or "").lower() if self.headers else ""


def split_url(url: str) -> tuple[str, str | None]:
    """The query URL and Graph Store URL for a base URL or a query URL.

    A URL whose path ends in ``/query`` is a query URL with ``.../store``
    beside it (Oxigraph's layout). A bare host or a path ending in ``/`` is a
    base: ``<base>/query`` and ``<base>/store``. Anything else (``/sparql``,
    ``/repositories/x``) is a query URL whose Graph Store endpoint cannot be
    guessed (``None``: give it to :meth:`Endpoint.push`).
    """
    parts = _check_http_url(url)
    path = parts.path
    if path.rstrip("/").endswith("/query"):
        base = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/")[: -len("/query")], "", ""))
        query = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), parts.query, ""))
        return query, f"{base}/store"
    if path in ("", "/") or path.endswith("/"):
        base = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))
        suffix = f"?{parts.query}" if parts.query else ""
        return f"{base}/query{suffix}", f"{base}/store"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), None


def _check_http_url(url: str) -> Any:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"endpoint URL must be http:// or https:// with a host, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            f"put endpoint credentials in {ENV_USER} / {ENV_PASSWORD} or {ENV_TOKEN}, "
            "not in the URL"
        )
    return parts


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def _is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith("127.") or host in ("::1", "[::1]")


def _credentials() -> tuple[str | None, list[str]]:
    """The Authorization header from the environment, and the secrets to scrub."""
    token = os.environ.get(ENV_TOKEN)
    if token:
        return f"Bearer {token}", [token]
    user = os.environ.get(ENV_USER)
    if user:
        password = os.environ.get(ENV_PASSWORD, "")
        basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return f"Basic {basic}", [s for s in (password, basic) if s]
    return None, []


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only; drop credentials when the origin changes."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        method = req.get_method()
        new_headers = dict(req.headers)
        if _origin(newurl) != _origin(req.full_url):
            new_headers = {k: v for k, v in new_headers.items() if k.lower() != "authorization"}
        if method in ("GET", "HEAD") or code == 303:
            drop = {"content-length", "content-type"}
            kept = {k: v for k, v in new_headers.items() if k.lower() not in drop}
            verb = method if method in ("GET", "HEAD") else "GET"
            return urllib.request.Request(newurl, headers=kept, method=verb)
        # A query by POST or a Graph Store PUT keeps its body where HTTP says it
        # should (307/308; also 301/302 for POST, as curl's --post30x would).
        if code in (307, 308) or (method == "POST" and code in (301, 302)):
            return urllib.request.Request(newurl, data=req.data, headers=new_headers, method=method)
        raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)


class _Deadline:
    """Ends an exchange at its deadline, whatever the server does.

    A socket timeout bounds each read, not the whole answer: a server that
    sent its headers a byte at a time held a ``--timeout 3`` call for 121 s.
    At the deadline a timer shuts the connection's socket down, which ends
    any read at once.
    """

    def __init__(self, seconds: float) -> None:
        import threading

        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shut()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _watched(base: type, deadline: _Deadline) -> type:
    class Connection(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._conn = _watched(http.client.HTTPConnection, deadline)

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._conn, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._conn = _watched(http.client.HTTPSConnection, deadline)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._conn, req, context=self._context)


def _opener(url: str, deadline: _Deadline) -> urllib.request.OpenerDirector:
    """HTTP(S) only: no file:, ftp: or data: handlers; no proxy for loopback."""
    proxies = {} if _is_loopback(urlsplit(url).hostname or "") else None
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies),
        urllib.request.UnknownHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        _RedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _reason(status: int, given: str | None) -> str:
    if given:
        return given
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _snippet(body: bytes, ctype: str, secrets: list[str]) -> str:
    """The first line of a short plain-text error body, if safe to show."""
    if ctype != "text/plain" or not body:
        return ""
    text = body[:2000].decode("utf-8", "replace")
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = "".join(ch for ch in line if ch.isprintable())[:200]
    if any(s and s in line for s in secrets):
        return ""
    return line


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


def _looks_html(resp: _Response) -> bool:
    if resp.content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = resp.body[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _retry_delay(headers: Message | None, attempt: int) -> float:
    value = headers.get("Retry-After") if headers else None
    if value is not None:
        try:
            return min(max(float(value), 0.0), MAX_RETRY_AFTER)
        except ValueError:
            pass  # an HTTP date: fall back to our own backoff
    return min(0.2 * (2**attempt), MAX_RETRY_AFTER)


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
        from SPARQLWrapper import GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

        from evidencegraph import __version__

        graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
        parts = urlsplit(self.query_url)
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        sw = SPARQLWrapper(bare, agent=f"evidencegraph/{__version__}")
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            sw.addParameter(key, value)  # e.g. default-graph-uri, infer=false
        sw.setQuery(checked.text)
        # SPARQLWrapper guesses the form with a regex and sends whatever it
        # takes for an update as ``update=`` (a SELECT whose header comment
        # has a line "#   ...; add the year" comes out as ADD). The real
        # parser has decided: use its form, and never build an update.
        sw.queryType = checked.form
        if sw.isSparqlUpdateRequest():  # pragma: no cover - cannot happen after the line above
            raise ReadOnlyError("read-only: refusing to send an update; nothing was sent")
        sw.setReturnFormat(TURTLE if graph_form else JSON)
        get_len = len(self.query_url) + len(quote(checked.text, safe="")) + 8
        sw.setMethod(GET if get_len <= MAX_GET_URL else POST)
        sw.setRequestMethod(URLENCODED)
        req = sw._createRequest()
        accept = f"{NTRIPLES},text/turtle;q=0.8" if graph_form else RESULTS_ACCEPT
        req.add_header("Accept", accept)
        return req

    def _rows_result(self, resp: _Response, checked: CheckedQuery) -> Result:
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

    def _graph_result(self, resp: _Response, form: str) -> Result:
        import pyoxigraph as ox
        from rdflib import Graph
        from rdflib.query import Result

        from evidencegraph.engine import check_rdf_bytes, from_ox
        from evidencegraph.errors import LoadError

        url = self.query_url
        if _looks_html(resp):
            raise EndpointError(f"{url} returned HTML, not RDF")
        ctype = resp.content_type
        fmt = (
            ox.RdfFormat.N_TRIPLES
            if ctype in ("", "text/plain")
            else (ox.RdfFormat.from_media_type(ctype))
        )
        if fmt is None:
            raise EndpointError(f"{url} returned {ctype}, not RDF")
        fmt_name = {ox.RdfFormat.RDF_XML: "RDF_XML", ox.RdfFormat.JSON_LD: "JSON_LD"}.get(fmt, "")
        try:
            body = check_rdf_bytes(resp.body, fmt_name, f"{url} answer")
        except LoadError as err:
            raise EndpointError(str(err)) from None
        try:
            quads = list(ox.parse(input=body, format=fmt))
        except (SyntaxError, ValueError, OSError, MemoryError):
            raise EndpointError(f"{url} returned truncated or malformed results") from None
        graph = Graph()
        graph.addN(
            (from_ox(q.subject), from_ox(q.predicate), _as_local(from_ox(q.object)), graph)
            for q in quads
        )
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
        _check_http_url(target)
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
            from evidencegraph import __version__

            req = urllib.request.Request(url, data=ntriples, method="PUT")
            req.add_header("Content-Type", NTRIPLES)
            req.add_header("User-Agent", f"evidencegraph/{__version__}")
            return req

        self._send(build, target, write=True)

    # ---------------------------------------------------------------- transport

    def _send(
        self, build: Callable[[], urllib.request.Request], url: str, *, write: bool
    ) -> _Response:
        """One request with bounded retries on connect errors, 429 and 503."""
        auth, secrets = _credentials()
        attempts = self.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            req = build()
            if auth:
                req.add_header("Authorization", auth)
            try:
                resp = self._exchange(req, url)
            except _ConnectFailed as err:
                if last:
                    raise EndpointError(f"cannot connect to {url}: {err.reason}") from None
                time.sleep(_retry_delay(None, attempt))
                continue
            if 200 <= resp.status < 300:
                return resp
            if resp.status in RETRY_STATUSES and not last:
                time.sleep(_retry_delay(resp.headers, attempt))
                continue
            raise self._status_error(resp, url, write=write, secrets=secrets, attempts=attempt + 1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _status_error(
        self, resp: _Response, url: str, *, write: bool, secrets: list[str], attempts: int
    ) -> EndpointError:
        snippet = _snippet(resp.body, resp.content_type, secrets)
        status = f"HTTP {resp.status} {resp.reason}"
        if write and (
            resp.status == 405
            or (resp.status == 403 and "read" in snippet.lower() and "only" in snippet.lower())
        ):
            return ReadOnlyStoreError(f"the store is read-only: {url} refused the write ({status})")
        msg = f"{status} from {url}"
        if snippet:
            msg += f": {snippet}"
        if resp.status in RETRY_STATUSES and attempts > 1:
            msg += f" (after {attempts} attempts)"
        return EndpointError(msg)

    def _exchange(self, req: urllib.request.Request, url: str) -> _Response:
        """Send, then read the whole body within the timeout and the size limit;
        map every failure to one line."""
        watch = _Deadline(self.timeout)
        try:
            return self._exchange_within(req, url, watch)
        finally:
            watch.cancel()

    def _exchange_within(
        self, req: urllib.request.Request, url: str, watch: _Deadline
    ) -> _Response:
        too_slow = EndpointError(f"{url} did not answer within {self.timeout:g} s")
        truncated = EndpointError(f"{url} returned truncated or malformed results")
        limit = MAX_RESPONSE_BYTES
        too_big = EndpointError(
            f"{url} answered more than {limit / 1024**2:g} MB; stopped reading "
            "(set EVIDENCEGRAPH_MAX_RESPONSE_MB to raise the limit)"
        )
        try:
            raw = _opener(url, watch).open(req, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            raw = err
        except urllib.error.URLError as err:
            cause = err.reason
            if watch.expired or isinstance(cause, TimeoutError | socket.timeout):
                raise too_slow from None
            raise _ConnectFailed(_connect_reason(cause)) from None
        except TimeoutError:
            raise too_slow from None
        except (http.client.HTTPException, ConnectionError, OSError) as err:
            if watch.expired:
                raise too_slow from None
            raise EndpointError(_answer_reason(url, err)) from None
        if raw is None:  # pragma: no cover - only for schemes we never open
            raise EndpointError(f"cannot open {url}")
        headers = raw.headers
        declared = headers.get("Content-Length") if headers else None
        chunked = (
            "chunked" in (headers.get("Transfer-Encoding") or "").lower() if headers else False
        )
        expected = (
            int(declared) if declared and declared.strip().isdigit() and not chunked else None
        )
        size = 0
        try:
            if expected is not None and expected > limit:
                raise too_big
            chunks: list[bytes] = []
            fp = raw.fp if isinstance(raw, urllib.error.HTTPError) else raw
            while fp is not None:
                chunk = fp.read1(65536) if hasattr(fp, "read1") else fp.read(65536)
                if watch.expired:
                    raise too_slow
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise too_big
                chunks.append(chunk)
        except TimeoutError:
            raise too_slow from None
        except (http.client.HTTPException, ConnectionError, OSError):
            raise too_slow if watch.expired else truncated from None
        finally:
            raw.close()
        if expected is not None and size < expected:
            # http.client ends the body quietly when the connection closes early
            # (2 of 4 triples were taken for the whole answer)
            raise truncated
        status = raw.code if isinstance(raw, urllib.error.HTTPError) else raw.status
        reason = _reason(int(status), getattr(raw, "reason", None))
        return _Response(int(status), reason, headers, b"".join(chunks))


class _ConnectFailed(Exception):
    """Internal: the connection could not be made (the only retried transport error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _connect_reason(cause: Any) -> str:
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, socket.gaierror):
        return "host not found"
    if isinstance(cause, ConnectionResetError):
        return "connection reset"
    if isinstance(cause, OSError):
        return (cause.strerror or type(cause).__name__).lower()
    return str(cause).splitlines()[0] if str(cause) else "unknown error"


def _answer_reason(url: str, err: Exception) -> str:
    if isinstance(err, http.client.RemoteDisconnected):
        return f"{url} closed the connection without answering"
    if isinstance(err, http.client.HTTPException):
        return f"{url} did not answer with valid HTTP"
    return f"{url}: connection failed while waiting for the answer"
