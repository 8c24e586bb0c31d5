"""What each slide figure shows: one per guidance (what it rests on, what tempers it,
what came after) and one per discussion prompt (what its page section discusses),
read from the model the build's facts filled; :mod:`.timeline` draws them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from evidencegraph.viz.model import Link, Model, Prompt, VNode
from evidencegraph.viz.style import RELATION_OF, RELATIONS


@dataclass
class Figure:
    """What one slide shows: its nodes, edges and title."""

    name: str
    title: str
    nodes: list[str]
    edges: list[tuple[str, str, str, str]]  # source, target, relation key, words
    guidance: str | None = None


def _is_document(n: VNode) -> bool:
    return n.cls not in ("claim", "recommendation", "organisation")


def guidance_figure(model: Model, guidance: str) -> Figure:
    """What a guidance rests on, what tempers it and what came after it: the documents
    of its evidence set whose link is resting on, tempering or coming later (the
    build's links), with the page's relations between them."""
    g = model.nodes[guidance]
    keep = {guidance}
    for x in model.links_of(guidance):
        n = model.nodes.get(x.evidence)
        if n is None or not _is_document(n):
            continue
        group = _group(x)
        direct = x.basis.endswith(("FindingsJudgement", "OwnCitation"))
        if group in ("rests", "later") or (group == "tempers" and direct):
            keep.add(x.evidence)
    edges = _edges(model, keep)
    linked = {a for a, *_ in edges} | {b for _, b, *_ in edges}
    rank = {"rests": 0, "tempers": 1, "later": 2}
    for x in sorted(model.links_of(guidance), key=lambda x: (rank.get(_group(x), 3), x)):
        if x.evidence in keep and x.evidence not in linked and x.evidence != guidance:
            edges.append(_link_edge(model, x))
            linked.add(x.evidence)
    title = f"What “{g.title()}” rests on, what tempers it and what came after"
    return Figure(slug(guidance), title, sorted(keep), edges, guidance)


def _group(x: Link) -> str:
    return RELATIONS[RELATION_OF[x.relation]].group if x.relation in RELATION_OF else ""


def prompt_figure(model: Model, prompt: Prompt, number: int) -> Figure:
    """What a discussion prompt lights: its page section's documents, claims and
    recommendations (the graph's provenance), with the relations between them."""
    keep = model.prompt_set(prompt)
    title = f"{prompt.label}  ({prompt.section})" if prompt.section else prompt.label
    return Figure(
        f"prompt-{number:02d}-{slug(prompt.iri)}", title, sorted(keep), _edges(model, keep)
    )


def _edges(model: Model, keep: set[str]) -> list[tuple[str, str, str, str]]:
    out = []
    for e in model.edges:
        if e.source in keep and e.target in keep and e.rel not in ("issued-by", "produced-for"):
            out.append((e.source, e.target, e.rel, model.relation_label(e.rel)))
    return out


def _link_edge(model: Model, x: Link) -> tuple[str, str, str, str]:
    rel = RELATION_OF.get(x.relation, "bears-on")
    words = model.name(x.relation)
    if x.target != x.guidance and x.target in model.nodes:
        words += " a recommendation"
    return (x.evidence, x.guidance, rel, words)


def slug(iri: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", iri.rstrip("/").rsplit("/", 1)[-1]).strip("-").lower()
    return s[:80] or hashlib.sha1(iri.encode()).hexdigest()[:12]


def figures(model: Model) -> list[Figure]:
    """One figure per guidance, then one per discussion prompt, in page order.

    Above the size graph.html lays out with Graphviz (a graph of thousands of
    nodes, where a workshop starts from ``--focus``) only the guidance get figures.
    """
    from evidencegraph.viz.overview import DOT_LAYOUT_MAX_NODES

    out: list[Figure] = []
    used: set[str] = set()
    for g in model.guidance():
        fig = guidance_figure(model, g.iri)
        if fig.name in used:  # two IRIs with the same last segment
            fig.name = f"{fig.name}-{hashlib.sha1(g.iri.encode()).hexdigest()[:8]}"
        used.add(fig.name)
        out.append(fig)
    if len(model.nodes) > DOT_LAYOUT_MAX_NODES:
        return out
    for k, p in enumerate(model.prompts, 1):
        fig = prompt_figure(model, p, k)
        if fig.nodes:
            out.append(fig)
    return out
