"""Small real HTTP servers on loopback threads for the endpoint tests.

Each :class:`FaultServer` answers every request with a scripted behaviour
(an HTTP status, a stall, a truncated body, a redirect) and records what it
received, so a test can assert how many requests arrived and with which
headers. Stalls are bounded and end early when the server stops, so no
thread outlives its test.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

Behaviour = Callable[["Handler", int], None]

EMPTY_SELECT = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()
ONE_ROW_SELECT = json.dumps(
    {
        "head": {"vars": ["s"]},
        "results": {"bindings": [{"s": {"type": "uri", "value": "http://example.org/a"}}]},
    }
).encode()
RESULTS_JSON = "application/sparql-results+json"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Sign in</body></html>"


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def query_text(self) -> str | None:
        """The SPARQL text sent, from the URL or a form body."""
        params = parse_qs(urlsplit(self.path).query)
        if "query" not in params and self.body:
            params = parse_qs(self.body.decode("utf-8", "replace"))
        return params.get("query", [None])[0]


class Handler(http.server.BaseHTTPRequestHandler):
    """Records the request, then hands it to the server's behaviour."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with self.server.lock:
            index = len(self.server.recorded)
            self.server.recorded.append(
                Recorded(self.command, self.path, dict(self.headers.items()), body)
            )
        self.close_connection = True
        # The client may give up first (a timeout test): fine.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.behaviour(self, index)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    # -- building blocks for behaviours -------------------------------------

    def reply(
        self,
        status: int,
        body: bytes = b"",
        ctype: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def pause(self, seconds: float) -> None:
        """Sleep up to ``seconds``, ending early when the server is stopped."""
        self.server.stopping.wait(seconds)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str, behaviour: Behaviour) -> None:
        super().__init__((host, 0), Handler)
        self.behaviour = behaviour
        self.recorded: list[Recorded] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()


@dataclass
class FaultServer:
    """A loopback HTTP server with one behaviour; use it as a context manager."""

    behaviour: Behaviour
    host: str = "127.0.0.1"
    _server: _Server | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def __enter__(self) -> FaultServer:
        self._server = _Server(self.host, self.behaviour)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[Recorded]:
        assert self._server is not None
        with self._server.lock:
            return list(self._server.recorded)


# -- behaviours ---------------------------------------------------------------


def status(
    code: int,
    body: bytes = b"",
    ctype: str = "text/plain; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Behaviour:
    """Always answer ``code`` with ``body``."""
    return lambda h, _n: h.reply(code, body, ctype, headers)


def results(body: bytes = ONE_ROW_SELECT, ctype: str = RESULTS_JSON) -> Behaviour:
    """Always answer 200 with a SPARQL results body."""
    return status(200, body, ctype)


def sequence(*steps: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour (the last one repeats)."""
    return lambda h, n: steps[min(n, len(steps) - 1)](h, n)


def stall(seconds: float) -> Behaviour:
    """Accept the request, then say nothing for up to ``seconds``."""

    def behave(h: Handler, _n: int) -> None:
        h.pause(seconds)

    return behave


def stall_mid_body(seconds: float) -> Behaviour:
    """Send headers and half a result, then say nothing for up to ``seconds``."""

    def behave(h: Handler, _n: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", RESULTS_JSON)
        h.send_header("Content-Length", str(len(ONE_ROW_SELECT)))
        h.end_headers()
        h.wfile.write(ONE_ROW_SELECT[:30])
        h.wfile.flush()
        h.pause(seconds)

    return behave


def truncated(mode: str, body: bytes = ONE_ROW_SELECT, ctype: str = RESULTS_JSON) -> Behaviour:
    """A 200 whose body stops part-way, then the connection closes.

    ``chunked``: chunked encoding without the final chunk (how Oxigraph's
    ``--timeout-s`` cancels a streamed answer); ``length``: fewer bytes than
    Content-Length says; ``close``: no length at all, just a short body.
    """
    cut = body[: len(body) // 2]

    def behave(h: Handler, _n: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        if mode == "chunked":
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            h.wfile.write(f"{len(cut):x}\r\n".encode() + cut + b"\r\n")
        elif mode == "length":
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(cut)
        else:
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(cut)
        h.wfile.flush()

    return behave


def redirect(target: Callable[[], str], code: int = 302) -> Behaviour:
    """Redirect to ``target() + path`` (target is read late: ports are known late)."""
    return lambda h, _n: h.reply(code, b"", headers={"Location": target() + h.path})


def echo_authorization(code: int = 403) -> Behaviour:
    """Answer ``code`` with the Authorization header in a plain-text body."""
    return lambda h, _n: h.reply(code, f"denied for {h.headers.get('Authorization')}".encode())


def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` briefly (a server thread may record a moment late)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
