"""What a trace shows, read from the graph's evidence model.

Every fact comes from what the build materialised (``ontology/rules/``): the
evidence hops between documents, a guidance's evidence links with their basis,
the post-datings and each document's design. Names of relations, bases and
designs are the ontology's labels. Nothing here decides what counts as
evidence; it reads, groups and orders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from evidencegraph.errors import ParameterError
from evidencegraph.namespaces import shorten
from evidencegraph.querying import params
from evidencegraph.querying.records import Link
from evidencegraph.resources import internal_query


@dataclass
class Node:
    """A document, claim, recommendation or term, as trace names it."""

    iri: str
    label: str = ""
    year: int | None = None
    design: str = ""
    countries: list[str] = field(default_factory=list)
    key_finding: str = ""
    inverse: str = ""
    kind: str = ""  # for a claim or recommendation: its class's label

    def describe(self) -> str:
        if self.kind:
            return f"“{self.label or shorten(self.iri)}” ({self.kind})"
        year = str(self.year) if self.year else ""
        bits = [b for b in (year, self.design, ", ".join(self.countries)) if b]
        return f"{self.label or shorten(self.iri)}" + (f" ({'; '.join(bits)})" if bits else "")


@dataclass
class Hop:
    """One evidence hop, in the direction of travel (down, or up when reversed)."""

    source: str
    target: str
    relations: list[str]
    bases: list[str]
    sections: list[str] = field(default_factory=list)

    @property
    def relation(self) -> str:
        return self.relations[0]


@dataclass(frozen=True, order=True)
class PostDating:
    guidance: str
    evidence: str
    basis: str


@dataclass
class RecommendationView:
    iri: str
    lacks_evidence: bool = False


@dataclass
class TraceResult:
    root: str
    reverse: bool
    nodes: dict[str, Node]
    paths: list[list[Hop]]
    links: list[Link]
    post_dating: list[PostDating]
    recommendations: list[RecommendationView]
    truncated: str = ""
    # (subject, relation, object) -> the page's own words for that stated relation
    quotes: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def quote(self, subject: str, relation: str, target: str) -> str:
        return self.quotes.get((subject, relation, target), "")

    def node(self, iri: str) -> Node:
        return self.nodes.get(iri) or Node(iri)

    def label(self, iri: str) -> str:
        return self.node(iri).label or shorten(iri)

    def reached(self) -> set[str]:
        """Every document on any path, the root excluded."""
        out = {h.target for p in self.paths for h in p} | {h.source for p in self.paths for h in p}
        out.discard(self.root)
        return out

    def later(self, guidance: str, evidence: str) -> list[str]:
        """The bases on which ``evidence`` came after ``guidance`` (empty if it did not)."""
        return sorted(
            {p.basis for p in self.post_dating if p.guidance == guidance and p.evidence == evidence}
        )

    def links_to(self, target: str) -> list[Link]:
        return [x for x in self.links if x.target == target]


def resolve(target: str, reverse: bool, src: Any) -> URIRef:
    """The node to trace from: an IRI, a prefixed name or a label fragment."""
    term = params.parse_term(target)
    if term is None:
        term = params.by_label(
            "target",
            "eg:Document" if reverse else "eg:Guidance",
            target,
            src.run,
            internal_query,
            display="document" if reverse else "guidance",
        )
    if not isinstance(term, URIRef):
        raise ParameterError(f"trace needs a document, got the literal {target!r}")
    if not list(src.run(internal_query("labels"), {"node": term})):
        raise ParameterError(f"{shorten(str(term))} is not in the graph")
    return term


def reach(src: Any, root: URIRef, reverse: bool) -> list[str]:
    """The root and every document it rests on (or, reversed, that rests on it)."""
    rows = src.run(
        internal_query("trace-reach-up" if reverse else "trace-reach-down"), {"root": root}
    )
    return sorted({str(r[1]) for r in rows} | {str(root)})


def hops(src: Any, nodes: list[str], reverse: bool) -> dict[tuple[str, str], Hop]:
    """The evidence hops among ``nodes``, keyed in the direction of travel."""
    terms = [URIRef(n) for n in nodes]
    text = params.values_in_where(internal_query("trace-hops"), "from", terms)
    text = params.values_in_where(text, "to", terms)
    out: dict[tuple[str, str], Hop] = {}
    for frm, to, rel, basis, section in src.run(text):
        a, b = (str(to), str(frm)) if reverse else (str(frm), str(to))
        hop = out.setdefault((a, b), Hop(a, b, [], []))
        if str(rel) not in hop.relations:
            hop.relations.append(str(rel))
        if str(basis) not in hop.bases:
            hop.bases.append(str(basis))
        if section is not None and str(section) not in hop.sections:
            hop.sections.append(str(section))
    for hop in out.values():  # rows come in any order; answers must not
        hop.relations.sort()
        hop.bases.sort()
        hop.sections.sort()
    return out


def links(src: Any, root: URIRef | None, reverse: bool) -> list[Link]:
    """The root guidance's evidence links, or, reversed, those the root document is in
    (with no root: every evidence link of the graph, for the site)."""
    grouped: dict[tuple[str, ...], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    bound = {} if root is None else {"evidence": root} if reverse else {"guidance": root}
    for guidance, evidence, rel, basis, target, via, section in src.run(
        internal_query("trace-links"), bound
    ):
        key = (str(guidance), str(evidence), str(rel), str(basis), str(target))
        vias, sections = grouped[key]
        if via is not None:
            vias.add(str(via))
        if section is not None:
            sections.add(str(section))
    return sorted(
        Link(*key, via=tuple(sorted(v)), sections=tuple(sorted(s)))
        for key, (v, s) in grouped.items()
    )


def post_datings(src: Any, root: URIRef, reverse: bool) -> list[PostDating]:
    bound = {"evidence": root} if reverse else {"guidance": root}
    rows = src.run(internal_query("trace-post-dating"), bound)
    return sorted({PostDating(str(g), str(e), str(b)) for g, e, b in rows})


def recommendations(src: Any, root: URIRef) -> list[RecommendationView]:
    out: dict[str, RecommendationView] = {}
    for _g, rec, lacks in src.run(internal_query("trace-recommendations"), {"guidance": root}):
        view = out.setdefault(str(rec), RecommendationView(str(rec)))
        # engines hand a stored true back as "true" or "1"
        view.lacks_evidence = view.lacks_evidence or str(lacks).lower() in ("true", "1")
    return [out[k] for k in sorted(out)]


def quotes(src: Any) -> dict[tuple[str, str, str], str]:
    """The page's own words for each stated relation that has them (few: only hedges)."""
    out: dict[tuple[str, str, str], str] = {}
    for s, p, o, q in src.run(internal_query("trace-quotes")):
        key = (str(s), str(p), str(o))
        out[key] = min(out.get(key, str(q)), str(q))  # one, whatever the row order
    return out


def details(src: Any, iris: set[str]) -> dict[str, Node]:
    """Labels, years, designs, countries and key findings of ``iris``, in one query."""
    text = params.values_in_where(
        internal_query("trace-details"), "node", [URIRef(i) for i in sorted(iris)]
    )
    nodes = {i: Node(i) for i in iris}
    for iri, key, value in src.run(text):
        n = nodes.get(str(iri))
        if n is None or value is None:
            continue
        v, key = str(value), str(key)
        if key == "label" and not n.label:
            n.label = v
        elif key == "inverse" and not n.inverse:
            n.inverse = v
        elif key == "year":
            try:
                n.year = int(v[:4])
            except ValueError:
                n.year = None
        elif key == "design" and not n.design:
            n.design = v
        elif key == "country" and v not in n.countries:
            n.countries.append(v)
        elif key == "keyFinding" and not n.key_finding:
            n.key_finding = v
        elif key == "kind" and not n.kind:
            n.kind = v
    for n in nodes.values():
        n.countries.sort()
    return nodes
