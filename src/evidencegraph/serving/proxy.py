"""The front door of ``evidencegraph serve``: a small HTTP proxy that applies the
tool's own safety check to every query before Oxigraph sees it.

Oxigraph's read-only server still federates ``SERVICE`` for whoever sends it a
query, and a room of workshop laptops can reach it. So Oxigraph listens on a
private loopback port, and this proxy, on the address the user chose, lets
through only what a read-only workbench needs:

* ``/query`` (GET or POST): the query passes :func:`evidencegraph.safety.check_query`
  (no SERVICE, FROM, update, absurd nesting; escapes normalised) and the
  *checked* text is forwarded; refusals are 400 with one line of text;
* ``GET /store`` (Graph Store read);
* the site (:mod:`.site_files`): its pages and files, and ``/id/…`` by content
  negotiation (HTML, Turtle, JSON-LD, N-Triples), with ``Vary: Accept``;
* nothing else: writes are 403 ("the store is read-only"), other paths 404.

Oxigraph's ``--timeout-s`` ends a query that runs too long even after its
client left. The proxy bounds what one client can hold: a request head
must arrive within :data:`HEADER_SECONDS`, a body is at most
:data:`MAX_BODY_BYTES`, and at most :data:`MAX_CLIENTS` requests run at once
(more get 503).
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import socket
import threading
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from evidencegraph.errors import EvidenceGraphError
from evidencegraph.serving.site_files import SiteFiles

HEADER_SECONDS = 10.0
MAX_BODY_BYTES = 1024 * 1024
MAX_CLIENTS = 32
_SPARQL_FORMS = ("application/x-www-form-urlencoded", "application/sparql-query")
_READ_PATHS = ("/store",)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: SafeProxy
    protocol_version = "HTTP/1.1"
    timeout = HEADER_SECONDS

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        # The whole request (head and body) must arrive in HEADER_SECONDS: a
        # socket timeout alone lets a client dribble a byte at a time forever.
        self._cut = threading.Timer(HEADER_SECONDS, self._hang_up)
        self._cut.daemon = True
        self._cut.start()

    def _hang_up(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        self._cut.cancel()
        with contextlib.suppress(OSError):
            super().finish()

    # -- replies -------------------------------------------------------------

    # The workbench asks with ``?workbench=1``: a refusal or a failed query then comes
    # back as 200 with the real status in X-Evidencegraph-Status, so the browser logs
    # no failed request while the page shows the one-line error.
    soft = False

    def _status(self, status: int) -> None:
        if self.soft and status >= 400:
            self.send_response(200)
            self.send_header("X-Evidencegraph-Status", str(status))
        else:
            self.send_response(status)

    def _text(self, status: int, message: str) -> None:
        self._cut.cancel()
        body = (message + "\n").encode("utf-8")
        self._status(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def _forward(
        self,
        method: str,
        path: str,
        body: bytes | None,
        ctype: str | None,
        *,
        accept: str | None = None,
        vary: bool = False,
    ) -> None:
        """Send to Oxigraph and stream its answer back."""
        self._cut.cancel()
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.server.backend_port, timeout=self.server.backend_timeout
        )
        headers = {"Accept": accept or self.headers.get("Accept", "*/*")}
        if ctype:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
        except TimeoutError:
            self.server.stuck.set()
            with contextlib.suppress(OSError):
                self._text(
                    503,
                    f"the query did not finish within {self.server.query_timeout:g} s; stopped",
                )
            conn.close()
            return
        except (OSError, http.client.HTTPException):
            with contextlib.suppress(OSError):
                self._text(502, "the SPARQL server did not answer")
            conn.close()
            return
        try:
            if self.soft and resp.status >= 400:
                self._status(resp.status)
            else:
                self.send_response(resp.status, resp.reason)
            for key in ("Content-Type", "Content-Length", "Cache-Control"):
                value = resp.getheader(key)
                if value:
                    self.send_header(key, value)
            if vary:
                self.send_header("Vary", "Accept")
            self.send_header("Connection", "close")
            self.end_headers()
            while chunk := resp.read(65536):
                self.wfile.write(chunk)
        except TimeoutError:
            self.server.stuck.set()  # the answer stopped coming: the body ends short
        except (OSError, http.client.HTTPException):
            pass  # the client left, or the server: the body ends short
        finally:
            conn.close()
        self.close_connection = True

    # -- requests ------------------------------------------------------------

    def _guarded(self, handle) -> None:  # type: ignore[no-untyped-def]
        if not self.server.slots.acquire(blocking=False):
            self._text(503, "busy: too many requests at once; try again")
            return
        try:
            handle()
        except TimeoutError:
            self.close_connection = True
        finally:
            self.server.slots.release()

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_HEAD(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _refuse_write(self) -> None:
        self._text(403, "the store is read-only")

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _get(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/query":
            self._query(parse_qsl(parts.query, keep_blank_values=True))
        elif parts.path in _READ_PATHS:
            self._forward(self.command, self.path, None, None)
        elif parts.path == "/update":
            self._refuse_write()
        else:
            self._site(parts.path)

    # -- the site ------------------------------------------------------------

    def _site(self, path: str) -> None:
        site = self.server.site
        found = site.file(path) if site is not None else None
        if found is not None:
            self._file(found)
            return
        if site is not None and path.startswith("/id/"):
            page, iri = site.node(path, self.headers.get("Accept"))
            if iri is not None:
                query = f"CONSTRUCT WHERE {{ <{iri}> ?p ?o }}".encode()
                self._forward(
                    "POST",
                    "/query",
                    query,
                    "application/sparql-query",
                    accept="application/n-triples",
                    vary=True,
                )
                return
            if page is not None:
                self._file(page, vary=True)
                return
        self._text(404, "not found")

    def _file(self, path: Path, *, vary: bool = False) -> None:
        from evidencegraph.serving.site_files import content_type

        self._cut.cancel()
        try:
            body = path.read_bytes()
        except OSError:
            self._text(404, "not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        if vary:
            self.send_header("Vary", "Accept")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def _post(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/query":
            self._refuse_write() if parts.path in ("/update", "/store") else self._text(
                404, "not found"
            )
            return
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._text(413, f"a query may be at most {MAX_BODY_BYTES // 1024} KB")
            return
        body = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            pairs = [("query", body.decode("utf-8", "replace"))]
        elif ctype == "application/x-www-form-urlencoded":
            pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        else:
            self._text(415, f"send the query as one of: {', '.join(_SPARQL_FORMS)}")
            return
        self._query(parse_qsl(parts.query, keep_blank_values=True) + pairs)

    def _query(self, pairs: list[tuple[str, str]]) -> None:
        from evidencegraph.safety import check_query

        self.soft = ("workbench", "1") in pairs
        pairs = [(k, v) for k, v in pairs if k != "workbench"]
        names = {k for k, _ in pairs}
        if "update" in names:
            self._refuse_write()
            return
        if names & {"default-graph-uri", "named-graph-uri"}:
            self._text(400, "default-graph-uri and named-graph-uri are refused here")
            return
        texts = [v for k, v in pairs if k == "query"]
        if len(texts) != 1:
            self._text(400, "give exactly one query parameter")
            return
        try:
            checked = check_query(texts[0], grammar=False)
        except EvidenceGraphError as err:
            self._text(403 if "read-only" in str(err) else 400, str(err))
            return
        extra = [(k, v) for k, v in pairs if k != "query"]
        path = "/query" + (f"?{urlencode(extra)}" if extra else "")
        self._forward("POST", path, checked.text.encode("utf-8"), "application/sparql-query")


class SafeProxy(http.server.ThreadingHTTPServer):
    """The checking proxy on ``host:port`` in front of Oxigraph on ``backend_port``."""

    daemon_threads = True
    allow_reuse_address = False
    request_queue_size = 128  # a room of laptops connecting at once is not refused

    def __init__(
        self,
        host: str,
        port: int,
        backend_port: int,
        *,
        query_timeout: float = 30.0,
        site: SiteFiles | None = None,
    ) -> None:
        try:
            super().__init__((host, port), _Handler)
        except OSError as err:
            if err.errno in (98, 48):  # EADDRINUSE on Linux, macOS
                raise EvidenceGraphError(
                    f"port {port} on {host} is already in use; choose another with --port"
                ) from None
            raise EvidenceGraphError(
                f"cannot listen on {host}:{port} ({err.strerror or err})"
            ) from None
        self.backend_port = backend_port
        self.site = site
        self.query_timeout = query_timeout
        # Oxigraph's own --timeout-s usually answers first; past this the query
        # is taken to be stuck, and `serve` restarts Oxigraph.
        self.backend_timeout = query_timeout + 5
        self.stuck = threading.Event()
        self.slots = threading.BoundedSemaphore(MAX_CLIENTS)

    @property
    def port(self) -> int:
        return int(self.server_address[1])
