"""Where each node's page lives, and relative links between pages.

The page of ``https://w3id.org/evidencegraph/id/<path>`` is ``id/<path>.html``,
with ``id/<path>.ttl`` and ``.jsonld`` beside it, so a w3id redirect maps an
IRI to its page by appending a suffix. Links are relative, so the site works
from ``file://`` and from any folder of any static host.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

ID = "https://w3id.org/evidencegraph/id/"
# What a path segment may hold as it is; anything else is percent-encoded, so a
# hostile IRI can neither leave the site folder nor break a file name.
_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


def is_node(iri: str) -> bool:
    """Whether ``iri`` gets a page: it lies under the ``id/`` namespace."""
    return iri.startswith(ID) and len(iri) > len(ID)


def node_path(iri: str) -> str:
    """``id/<path>`` for a node IRI (no suffix); unsafe segments are encoded."""
    parts = []
    for seg in iri[len(ID) :].split("/"):
        if not seg or seg in (".", "..") or not _SAFE.match(seg):
            seg = "_" + quote(seg, safe="").replace("%", "_")
        parts.append(seg)
    return "id/" + "/".join(parts)


def page_of(iri: str) -> str:
    return node_path(iri) + ".html"


def rel(from_page: str, to_file: str) -> str:
    """A relative link from the page ``from_page`` to ``to_file`` (both site-relative)."""
    base = posixpath.dirname(from_page) or "."
    return quote(posixpath.relpath(to_file, base), safe="/#.-_~")


def slug(text: str) -> str:
    """A file-name-safe slug for a class, query or term name."""
    out = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return out or "x"
