"""The HTML every page shares: escaping, links, tables and the page shell.

Every string from the graph goes through :func:`esc` (text and attributes)
or :func:`json_script` (JSON inside ``<script>``), never into markup as it
is. Pages load only the site's own stylesheet and script, by relative links.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from evidencegraph.namespaces import shorten
from evidencegraph.website.addresses import is_node, node_path, page_of, rel, slug
from evidencegraph.website.reading import SiteData

NAV = (
    ("index.html", "Home"),
    ("classes.html", "Index"),
    ("queries.html", "Queries"),
    ("ontology.html", "Ontology"),
    ("viz/evidence-map.html", "Evidence map"),
    ("viz/graph.html#site", "Graph"),
    ("downloads.html", "Downloads"),
    ("workbench.html", "Workbench"),
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def json_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment (viz's own)."""
    from evidencegraph.viz.page import json_for_html

    return json_for_html(data)


def anchor(iri: str) -> str:
    """The anchor of an ontology term on ``ontology.html``."""
    return slug(shorten(iri))


@dataclass
class Ctx:
    """One page being written: the data, where the page lives, and what has a page."""

    data: SiteData
    page: str
    terms: set[str] = field(default_factory=set)  # ontology terms documented

    def href(self, to_file: str) -> str:
        path, _, fragment = to_file.partition("#")
        return esc(rel(self.page, path) + (f"#{fragment}" if fragment else ""))

    def views(self, iri: str) -> str:
        """Links to the node in the workshop views (``viz``), which link back here."""
        focus = esc(quote(iri, safe=""))
        return (
            f'<p class="views">See it in <a href="{self.href("viz/graph.html")}#site&amp;'
            f'focus={focus}">the interactive graph</a> · '
            f'<a href="{self.href("viz/evidence-map.html")}">the evidence map</a></p>'
        )

    def link(self, iri: str, text: str | None = None) -> str:
        """A node as a link to its page (or to its ontology entry), by its label."""
        label = esc(text if text is not None else self.data.label(iri))
        if is_node(iri) and iri in self.data.out:
            return f'<a href="{self.href(page_of(iri))}">{label}</a>'
        if iri in self.terms:
            return f'<a href="{self.href("ontology.html")}#{anchor(iri)}">{label}</a>'
        return f'<span title="{esc(iri)}">{label}</span>'

    def value(self, term: Any) -> str:
        """An RDF object: a node as a link, a literal as escaped text."""
        if hasattr(term, "datatype") or not str(term).startswith(("http:", "https:", "urn:")):
            return esc(term)
        return self.link(str(term))

    def links(self, iris: Iterable[str], sep: str = "; ") -> str:
        return sep.join(self.link(i) for i in iris)


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "", cls: str = ""
) -> str:
    """A table of already-escaped cells."""
    rows = list(rows)
    if not rows:
        return ""
    out = [f'<table class="{esc(cls)}">' if cls else "<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in head) + "</tr>")
    out.append("</thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows]
    out.append("</tbody></table>")
    return "".join(out)


def section(title: str, body: str, *, ident: str = "") -> str:
    """A headed section, or nothing when it has nothing to show."""
    if not body:
        return ""
    attr = f' id="{esc(ident)}"' if ident else ""
    return f"<section{attr}><h2>{esc(title)}</h2>{body}</section>"


def ul(items: Iterable[str]) -> str:
    items = list(items)
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def shell(
    ctx: Ctx,
    title: str,
    body: str,
    *,
    node: str | None = None,
    schema: dict | None = None,
    scripts: Sequence[str] = (),
    styles: Sequence[str] = (),
    lead: str = "",
) -> str:
    """A whole page: head (stylesheets, alternates, schema.org JSON-LD), nav, body, footer."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} · evidencegraph</title>",
        '<link rel="icon" href="data:,">',
        *(f'<link rel="stylesheet" href="{ctx.href(s)}">' for s in styles),
        f'<link rel="stylesheet" href="{ctx.href("assets/site.css")}">',
    ]
    if node is not None:
        base = node_path(node)
        head.append(f'<link rel="alternate" type="text/turtle" href="{ctx.href(base + ".ttl")}">')
        head.append(
            f'<link rel="alternate" type="application/ld+json" href="{ctx.href(base + ".jsonld")}">'
        )
    if schema is not None:
        head.append(f'<script type="application/ld+json">{json_script(schema)}</script>')
    head += [f'<script src="{ctx.href(s)}" defer></script>' for s in scripts]
    head.append("</head>")
    nav = "".join(f'<li><a href="{ctx.href(f)}">{esc(t)}</a></li>' for f, t in NAV)
    iri = (
        f'<p class="iri">IRI: <code>{esc(node)}</code> · data: '
        f'<a href="{ctx.href(node_path(node) + ".ttl")}">Turtle</a> · '
        f'<a href="{ctx.href(node_path(node) + ".jsonld")}">JSON-LD</a></p>'
        if node
        else ""
    )
    attribution = ctx.data.dataset.get("attribution", "")
    return "\n".join(
        [
            *head,
            "<body>",
            '<a class="skip" href="#main">Skip to content</a>',
            f'<header><nav aria-label="Site"><ul>{nav}</ul></nav></header>',
            f'<main id="main"><h1>{esc(title)}</h1>{lead}{iri}',
            body,
            "</main>",
            f"<footer><p>{esc(attribution)}</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
