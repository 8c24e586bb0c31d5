"""``downloads.html`` and the whole graph in ``downloads/``: Turtle, N-Triples and
JSON-LD, written by the build's own canonical writers (byte-stable)."""

from __future__ import annotations

from typing import Any

from evidencegraph.resources import internal_query
from evidencegraph.website.html import Ctx, esc, table

FILES = (
    ("graph.ttl", "Turtle", "text/turtle"),
    ("graph.nt", "N-Triples", "application/n-triples"),
    ("graph.jsonld", "JSON-LD", "application/ld+json"),
)


def whole_graph(src: Any) -> Any:
    """The graph as an rdflib graph: the local one, or an endpoint's by CONSTRUCT."""
    graph = src.rdflib_graph()
    if graph is None:
        graph = src.run(internal_query("site-whole-graph")).graph
    return graph


def files(src: Any) -> dict[str, str]:
    from evidencegraph import engine

    graph = whole_graph(src)
    return {
        "downloads/graph.ttl": engine.to_turtle(graph),
        "downloads/graph.nt": engine.to_ntriples(graph),
        "downloads/graph.jsonld": engine.to_jsonld(graph),
    }


def render(ctx: Ctx, sizes: dict[str, int], triples: int) -> str:
    rows = [
        (
            f'<a href="{ctx.href("downloads/" + name)}" download>{esc(name)}</a>',
            esc(fmt),
            f"<code>{esc(mime)}</code>",
            esc(f"{sizes.get('downloads/' + name, 0) / 1024:.0f} KB"),
        )
        for name, fmt, mime in FILES
    ]
    return (
        f"<p>The whole graph, {triples} triples, asserted and derived (the evidence model "
        "included), in canonical form. Each node's own data is beside its page "
        "(<code>.ttl</code>, <code>.jsonld</code>).</p>"
        + table(["file", "format", "media type", "size"], rows)
    )
