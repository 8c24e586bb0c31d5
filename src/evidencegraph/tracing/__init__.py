"""Trace: from a guidance down to the evidence it rests on and what bears on it, or,
with ``reverse``, from a document up to every guidance it stands behind.

It reads the evidence model the build materialised (hops, evidence links,
post-datings, designs) with SPARQL, so it works the same on the embedded graph
and on any endpoint, then walks the hops into bounded paths and renders them.
"""

from __future__ import annotations

import itertools

from evidencegraph.errors import ParameterError
from evidencegraph.tracing import model
from evidencegraph.tracing.model import (
    Hop,
    Link,
    Node,
    PostDating,
    RecommendationView,
    TraceResult,
)
from evidencegraph.tracing.paths import enumerate_paths
from evidencegraph.tracing.render import RECOMMENDS, RENDERERS

__all__ = [
    "RENDERERS",
    "Hop",
    "Link",
    "Node",
    "PostDating",
    "RecommendationView",
    "TraceResult",
    "render",
    "trace",
]


def trace(
    target: str,
    *,
    reverse: bool = False,
    source: object = None,
    max_depth: int = 10,
    max_paths: int = 1000,
) -> TraceResult:
    """Trace ``target`` (IRI, prefixed name or label fragment) and return what it shows."""
    from evidencegraph.querying import open_source

    src = source or open_source()
    root = model.resolve(target, reverse, src)
    reached = model.reach(src, root, reverse)
    hops = model.hops(src, reached, reverse)
    node_paths, truncated = enumerate_paths(hops, str(root), max_depth, max_paths)
    paths = [[hops[a, b] for a, b in itertools.pairwise(p)] for p in node_paths]
    links = model.links(src, root, reverse)
    post = model.post_datings(src, root, reverse)
    recs = [] if reverse else model.recommendations(src, root)
    named = {str(root), RECOMMENDS} | {n for p in node_paths for n in p}
    for h in hops.values():
        named.update(h.relations + h.bases + h.sections)
    for x in links:
        named.update((x.guidance, x.evidence, x.relation, x.basis, x.target, *x.via, *x.sections))
    named.update(p.basis for p in post)
    named.update(r.iri for r in recs)
    nodes = model.details(src, named)
    said = model.quotes(src)
    return TraceResult(str(root), reverse, nodes, paths, links, post, recs, truncated, said)


def render(result: TraceResult, fmt: str = "text") -> str:
    """A trace as ``text``, ``md``, ``json`` or ``dot``."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ParameterError(f"unknown trace format {fmt!r}; choose one of: {', '.join(RENDERERS)}")
    return renderer(result)
