"""Sending one request and reading its whole answer within a deadline and a size limit.

urllib with our own opener: HTTP(S) only (no ``file:``, ``ftp:`` or ``data:``),
no proxy for loopback, redirects followed to http(s) only with credentials
dropped when the origin changes, a deadline that ends the exchange whatever
the server does, and every failure mapped to one :class:`EndpointError` line.
A body is returned only once complete, so there are never partial rows.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from evidencegraph.endpoint import policy
from evidencegraph.endpoint.policy import (
    RETRY_STATUSES,
    credentials,
    is_loopback,
    origin,
    retry_delay,
    snippet,
)
from evidencegraph.errors import EndpointError, ReadOnlyStoreError


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get_content_type() or "").lower() if self.headers else ""


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
        if origin(newurl) != origin(req.full_url):
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
    proxies = {} if is_loopback(urlsplit(url).hostname or "") else None
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


def send(
    build: Callable[[], urllib.request.Request],
    url: str,
    *,
    write: bool,
    timeout: float,
    retries: int,
) -> Response:
    """One request (made afresh by ``build`` for each attempt) with bounded retries
    on connect errors, 429 and 503; a 2xx answer, or one :class:`EndpointError`."""
    auth, secrets = credentials()
    attempts = retries + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        req = build()
        if auth:
            req.add_header("Authorization", auth)
        try:
            resp = exchange(req, url, timeout)
        except _ConnectFailed as err:
            if last:
                raise EndpointError(f"cannot connect to {url}: {err.reason}") from None
            time.sleep(retry_delay(None, attempt))
            continue
        if 200 <= resp.status < 300:
            return resp
        if resp.status in RETRY_STATUSES and not last:
            time.sleep(retry_delay(resp.headers, attempt))
            continue
        raise _status_error(resp, url, write=write, secrets=secrets, attempts=attempt + 1)
    raise AssertionError("unreachable")  # pragma: no cover


def _status_error(
    resp: Response, url: str, *, write: bool, secrets: list[str], attempts: int
) -> EndpointError:
    said = snippet(resp.body, resp.content_type, secrets)
    status = f"HTTP {resp.status} {resp.reason}"
    if write and (
        resp.status == 405
        or (resp.status == 403 and "read" in said.lower() and "only" in said.lower())
    ):
        return ReadOnlyStoreError(f"the store is read-only: {url} refused the write ({status})")
    msg = f"{status} from {url}"
    if said:
        msg += f": {said}"
    if resp.status in RETRY_STATUSES and attempts > 1:
        msg += f" (after {attempts} attempts)"
    return EndpointError(msg)


def exchange(req: urllib.request.Request, url: str, timeout: float) -> Response:
    """Send, then read the whole body within ``timeout`` and the size limit;
    map every failure to one line."""
    watch = _Deadline(timeout)
    try:
        return _exchange_within(req, url, watch, timeout)
    finally:
        watch.cancel()


def _exchange_within(
    req: urllib.request.Request, url: str, watch: _Deadline, timeout: float
) -> Response:
    too_slow = EndpointError(f"{url} did not answer within {timeout:g} s")
    truncated = EndpointError(f"{url} returned truncated or malformed results")
    limit = policy.MAX_RESPONSE_BYTES
    too_big = EndpointError(
        f"{url} answered more than {limit / 1024**2:g} MB; stopped reading "
        "(set EVIDENCEGRAPH_MAX_RESPONSE_MB to raise the limit)"
    )
    try:
        raw = _opener(url, watch).open(req, timeout=timeout)
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
    chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower() if headers else False
    expected = int(declared) if declared and declared.strip().isdigit() and not chunked else None
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
    return Response(int(status), reason, headers, b"".join(chunks))


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
