"""What the client allows: http(s) URLs with a host, credentials only from the
environment, bounded answers and retries.

Credentials in a URL are refused (they end up in logs and shell history);
an answer larger than :data:`MAX_RESPONSE_BYTES` is refused while it is read;
only connection errors, 429 and 503 are retried, at most twice, waiting at
most :data:`MAX_RETRY_AFTER` seconds.
"""

from __future__ import annotations

import base64
import os
from email.message import Message
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from evidencegraph.errors import EndpointError

ENV_USER = "EVIDENCEGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "EVIDENCEGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "EVIDENCEGRAPH_ENDPOINT_TOKEN"

RETRY_STATUSES = frozenset({429, 503})
# An answer larger than this is refused while it is read (a 500 MB answer took
# 4.3 GB to parse); EVIDENCEGRAPH_MAX_RESPONSE_MB raises it.
MAX_RESPONSE_BYTES = int(float(os.environ.get("EVIDENCEGRAPH_MAX_RESPONSE_MB", "64")) * 1024**2)
MAX_RETRY_AFTER = 2.0
# Queries longer than this go by POST (URL-encoded form) instead of GET.
MAX_GET_URL = 4000


def split_url(url: str) -> tuple[str, str | None]:
    """The query URL and Graph Store URL for a base URL or a query URL.

    A URL whose path ends in ``/query`` is a query URL with ``.../store``
    beside it (Oxigraph's layout). A bare host or a path ending in ``/`` is a
    base: ``<base>/query`` and ``<base>/store``. Anything else (``/sparql``,
    ``/repositories/x``) is a query URL whose Graph Store endpoint cannot be
    guessed (``None``: give it to :meth:`~evidencegraph.endpoint.Endpoint.push`).
    """
    parts = check_http_url(url)
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


def check_http_url(url: str) -> Any:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"endpoint URL must be http:// or https:// with a host, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            f"put endpoint credentials in {ENV_USER} / {ENV_PASSWORD} or {ENV_TOKEN}, "
            "not in the URL"
        )
    return parts


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith("127.") or host in ("::1", "[::1]")


def credentials() -> tuple[str | None, list[str]]:
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


def snippet(body: bytes, ctype: str, secrets: list[str]) -> str:
    """The first line of a short plain-text error body, if safe to show."""
    if ctype != "text/plain" or not body:
        return ""
    text = body[:2000].decode("utf-8", "replace")
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = "".join(ch for ch in line if ch.isprintable())[:200]
    if any(s and s in line for s in secrets):
        return ""
    return line


def retry_delay(headers: Message | None, attempt: int) -> float:
    value = headers.get("Retry-After") if headers else None
    if value is not None:
        try:
            return min(max(float(value), 0.0), MAX_RETRY_AFTER)
        except ValueError:
            pass  # an HTTP date: fall back to our own backoff
    return min(0.2 * (2**attempt), MAX_RETRY_AFTER)
