"""The site's files as ``serve`` hosts them, and content negotiation for ``/id/…``.

``/id/<path>`` is the graph's IRI ``https://w3id.org/evidencegraph/id/<path>``:
a browser gets its page, and a client asking by ``Accept`` for Turtle, JSON-LD
or N-Triples gets the node's data (Turtle and JSON-LD are the files beside the
page; N-Triples is asked of the SPARQL server). Only files inside the site
folder are ever read.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

ID = "https://w3id.org/evidencegraph/id/"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# What each media type asks for: the suffix of the file beside the page, or "nt".
_OFFERS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/json": ".jsonld",
    "application/n-triples": "nt",
}
_IRI_UNSAFE = set('<>"{}|^`\\ \t\r\n')


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower(), "text/plain; charset=utf-8")


def choose(accept: str | None) -> str:
    """The best of what ``/id/…`` offers for an ``Accept`` header: highest q, then an
    exact type before a wildcard, then the first listed; HTML by default."""
    ranked: list[tuple[float, bool, int, str]] = []
    for at, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        wildcard = mime in ("*/*", "text/*")
        offer = ".html" if wildcard else _OFFERS.get(mime)
        if offer is not None and q > 0:
            ranked.append((q, not wildcard, -at, offer))
    return max(ranked)[3] if ranked else ".html"


class SiteFiles:
    """The files of one site folder, found safely from URL paths."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def file(self, url_path: str) -> Path | None:
        """The file a URL path names inside the site, or None (never outside it)."""
        rel = unquote(url_path).lstrip("/")
        if "\0" in rel or any(part in ("..", ".") for part in rel.split("/")):
            return None
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        path = (self.root / rel).resolve()
        if self.root not in path.parents or not path.is_file():
            return None
        return path

    def node(self, url_path: str, accept: str | None) -> tuple[Path | None, str | None]:
        """For ``/id/<path>`` without a suffix: (the file to send, or None) and, for
        N-Triples, the node's IRI to ask the SPARQL server about."""
        want = choose(accept)
        base = unquote(url_path).lstrip("/")
        page = self.file("/" + base + ".html")
        if page is None:
            return None, None
        if want == "nt":
            iri = ID + base[len("id/") :]
            return (None, None) if _IRI_UNSAFE & set(iri) else (None, iri)
        return self.file("/" + base + want), None
