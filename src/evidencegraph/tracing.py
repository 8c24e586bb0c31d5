"""Trace: from a guidance down to the primary studies it rests on (or, with
``reverse``, from a study up to every guidance that rests on it).

The subgraph comes from SPARQL CONSTRUCT queries, so tracing works the same on
the embedded graph and on an endpoint; networkx then enumerates the paths on
that small subgraph, with a depth cutoff and a path cap that are reported when
hit, so a dense or cyclic graph cannot hang it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from evidencegraph import params
from evidencegraph.errors import ParameterError
from evidencegraph.namespaces import CITO, DESIGN_ORDER, EG, FABIO, PROV, shorten
from evidencegraph.querying import Facts, Source, open_source
from evidencegraph.stats import internal_query

RELATION_LABELS = {
    str(CITO.citesAsEvidence): "cites as evidence",
    str(CITO.usesDataFrom): "uses data from",
    str(EG.takesLeadFrom): "takes its lead from",
    str(EG.restsOn): "largely relies on",
}
REVERSE_LABELS = {
    str(CITO.citesAsEvidence): "is cited as evidence by",
    str(CITO.usesDataFrom): "provides data to",
    str(EG.takesLeadFrom): "is followed by",
    str(EG.restsOn): "is relied on by",
}


def asserted_by(relation: str) -> str:
    """Who asserts an edge: the document's own citation, or Findings' judgement."""
    return (
        "the document's own citation" if relation.startswith(str(CITO)) else "Findings' judgement"
    )


@dataclass
class Node:
    iri: str
    label: str = ""
    year: int | None = None
    design: str = ""
    countries: list[str] = field(default_factory=list)
    key_finding: str = ""

    def describe(self) -> str:
        bits = [
            b
            for b in (str(self.year) if self.year else "", self.design, ", ".join(self.countries))
            if b
        ]
        return f"{self.label or shorten(self.iri)}" + (f" ({'; '.join(bits)})" if bits else "")


@dataclass
class Hop:
    """One step along a path, in the direction of travel (down, or up when reversed)."""

    relation: str
    source: str
    target: str
    section: str = ""
    relations: list[str] = field(default_factory=list)


@dataclass
class RecommendationView:
    iri: str
    label: str
    supported_by: list[str] = field(default_factory=list)
    tempered_by: list[str] = field(default_factory=list)
    post_dated: list[str] = field(default_factory=list)
    lacks_evidence: bool = False

    @property
    def unsupported(self) -> bool:
        """The page says it has no evidence behind it (``eg:lacksEvidence``)."""
        return self.lacks_evidence


@dataclass
class TraceResult:
    root: str
    reverse: bool
    nodes: dict[str, Node]
    paths: list[list[Hop]]
    recommendations: list[RecommendationView]
    truncated: str = ""
    max_depth: int = 10
    max_paths: int = 1000

    def leaves(self) -> list[str]:
        """The documents at the ends of the paths (primary studies, or guidance when reversed)."""
        ends = {p[-1].target for p in self.paths if p}
        return sorted(ends, key=lambda i: self.nodes.get(i, Node(i)).label)

    def reached(self) -> set[str]:
        """Every document on any path, the root excluded."""
        out = {h.target for p in self.paths for h in p} | {h.source for p in self.paths for h in p}
        out.discard(self.root)
        return out


def trace(
    target: str,
    *,
    reverse: bool = False,
    source: Source | None = None,
    max_depth: int = 10,
    max_paths: int = 1000,
) -> TraceResult:
    """Trace ``target`` (IRI, prefixed name or label fragment) and return the paths."""
    src = source or open_source()
    root = _resolve(target, reverse, src)
    reach = src.run(
        internal_query("trace-reach-up" if reverse else "trace-reach-down"), {"root": root}
    )
    reached = sorted({row[1] for row in reach} | {root})
    edges = internal_query("trace-up" if reverse else "trace-down")
    sub = src.facts(params.values_in_where(edges, "b" if reverse else "a", reached))
    import networkx as nx

    g = nx.DiGraph()
    g.add_node(str(root))
    for s, p, o in sub:
        a, b = (o, s) if reverse else (s, o)
        if not g.has_edge(a, b):
            g.add_edge(a, b, relations=[])
        g.edges[a, b]["relations"].append(p)
    for _a, _b, data in g.edges(data=True):
        data["relations"].sort(key=lambda r: list(RELATION_LABELS).index(r))
    details = _details(src, sorted(g.nodes), root, reverse)
    nodes = {n: _node(details, n) for n in g.nodes}
    sections = _sections(details)
    paths, truncated = _enumerate(g, str(root), max_depth, max_paths)

    def hop(a: str, b: str) -> Hop:
        rels = g.edges[a, b]["relations"]
        s, o = (b, a) if reverse else (a, b)
        where = sorted({sections[(s, r, o)] for r in rels if (s, r, o) in sections})
        return Hop(rels[0], a, b, "; ".join(where), rels)

    hops = [[hop(a, b) for a, b in itertools.pairwise(p)] for p in paths]
    recs = [] if reverse else _recommendations(details, root, nodes)
    return TraceResult(str(root), reverse, nodes, hops, recs, truncated, max_depth, max_paths)


def _resolve(target: str, reverse: bool, src: Source) -> URIRef:
    term = params.parse_term(target)
    if term is None:
        cls = "eg:Document" if reverse else "eg:Guidance"
        term = params._by_label(
            "target",
            cls,
            target,
            src.run,
            internal_query,
            display="document" if reverse else "guidance",
        )
    if not isinstance(term, URIRef):
        raise ParameterError(f"trace needs a document, got the literal {target!r}")
    rows = list(
        src.run(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nASK { ?node rdfs:label ?l }",
            {"node": term},
        )
    )
    if rows and not rows[0]:
        raise ParameterError(f"{shorten(str(term))} is not in the graph")
    return term


def _details(src: Source, iris: list[str], root: URIRef, reverse: bool) -> Facts:
    """Node details for every node of the subgraph in one CONSTRUCT, plus the root's
    recommendations and what bears on them (only the root's: a guidance can have
    thousands of bearers, and other nodes' bearers are not shown)."""
    text = params.values_in_where(
        internal_query("trace-details"), "node", [URIRef(i) for i in iris]
    )
    out = src.facts(text)
    if not reverse:
        out.update(src.facts(internal_query("trace-recommendations"), {"node": root}))
    return out


_LABEL, _TYPE, _YEAR = str(RDFS.label), str(RDF.type), str(FABIO.hasPublicationYear)
_SUBJECT, _PREDICATE, _OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)


def _node(details: Facts, iri: str) -> Node:
    node = Node(iri, details.value(iri, _LABEL) or "")
    year = details.value(iri, _YEAR)
    if year is not None:
        try:
            node.year = int(year[:4])
        except ValueError:
            node.year = None
    types = {t.rsplit("#", 1)[-1] for t in details.objects(iri, _TYPE)}
    node.design = next((_design_label(d) for d in DESIGN_ORDER if d in types), "")
    node.countries = sorted(
        details.value(c, _LABEL) or shorten(c) for c in details.objects(iri, str(EG.conductedIn))
    )
    key = details.value(iri, str(EG.keyFinding))
    node.key_finding = (details.value(key, _LABEL) or "") if key else ""
    return node


def _design_label(name: str) -> str:
    return {
        "RandomisedTrial": "randomised trial",
        "ObservationalStudy": "observational study",
        "ImplementationStudy": "implementation study",
        "ModellingStudy": "modelling study",
        "StatisticalReport": "statistics",
    }.get(name, name.lower())


def _sections(details: Facts) -> dict[tuple[str, str, str], str]:
    out = {}
    for st in sorted({t[0] for t in details if t[1] == _SUBJECT}):
        s, p, o = (details.value(st, x) for x in (_SUBJECT, _PREDICATE, _OBJECT))
        sec = details.value(st, str(PROV.wasDerivedFrom))
        if s is not None and p is not None and o is not None and sec is not None:
            out[(s, p, o)] = details.value(sec, _LABEL) or shorten(sec)
    return out


def _enumerate(g: Any, root: str, max_depth: int, max_paths: int) -> tuple[list[list[str]], str]:
    """Maximal simple paths from root, depth-first, stopping at the cutoff and the cap."""
    paths: list[list[str]] = []
    depth_hit = False
    stack: list[list[str]] = [[root]]
    while stack:
        path = stack.pop()
        nxt = sorted((n for n in g.successors(path[-1]) if n not in path), reverse=True)
        if len(path) - 1 >= max_depth and nxt:
            depth_hit = True
            nxt = []
        if not nxt:
            if len(path) > 1:
                paths.append(path)
                if len(paths) >= max_paths:
                    return paths, (
                        f"truncated at {max_paths} paths (raise --max-paths to see more)"
                    )
            continue
        stack.extend([*path, n] for n in nxt)
    note = (
        f"depth cutoff {max_depth} reached on some paths (raise --max-depth)" if depth_hit else ""
    )
    return sorted(paths), note


def _recommendations(
    details: Facts, root: URIRef, nodes: dict[str, Node]
) -> list[RecommendationView]:
    g_year = nodes.get(str(root), Node(str(root))).year
    views = []
    for rec in details.objects(str(root), str(EG.recommends)):
        v = RecommendationView(rec, details.value(rec, _LABEL) or shorten(rec))
        # "1" is a boolean true that rdflib's own store keeps as written
        v.lacks_evidence = details.value(rec, str(EG.lacksEvidence)) in ("true", "1")
        for bearer in details.subjects(str(EG.supports), rec):
            v.supported_by.append(_bearer(details, bearer))
        for bearer in details.subjects(str(EG.tempers), rec):
            v.tempered_by.append(_bearer(details, bearer))
            if _post_dates(details, bearer, root, g_year):
                v.post_dated.append(_bearer(details, bearer))
        views.append(v)
    return views


def _bearer(details: Facts, node: str) -> str:
    label = details.value(node, _LABEL) or shorten(node)
    year = details.value(node, _YEAR)
    return f"{label} ({year[:4]})" if year else label


def _post_dates(details: Facts, bearer: str, guidance: URIRef, g_year: int | None) -> bool:
    g = str(guidance)
    if (bearer, str(EG.unavailableTo), g) in details:
        return True
    if (bearer, str(EG.laterThan), g) in details:
        return True
    year = details.value(bearer, _YEAR)
    return bool(year and g_year and int(year[:4]) > g_year)


# ---------------------------------------------------------------- rendering


def _tree(result: TraceResult) -> list[tuple[int, Hop]]:
    """Paths merged into a tree: (depth, hop) in display order, shared prefixes once."""
    out: list[tuple[int, Hop]] = []
    seen: set[tuple[str, ...]] = set()
    for path in result.paths:
        key: tuple[str, ...] = (result.root,)
        for depth, hop in enumerate(path):
            key = (*key, hop.relation, hop.target)
            if key not in seen:
                seen.add(key)
                out.append((depth, hop))
    return out


def _hop_text(result: TraceResult, hop: Hop) -> str:
    node = result.nodes.get(hop.target, Node(hop.target))
    names = REVERSE_LABELS if result.reverse else RELATION_LABELS
    rel = " and ".join(names.get(r, shorten(r)) for r in (hop.relations or [hop.relation]))
    who = " and ".join(sorted({asserted_by(r) for r in (hop.relations or [hop.relation])}))
    where = f"; {hop.section}" if hop.section else ""
    finding = f" — {node.key_finding}" if node.key_finding else ""
    return f"{rel} [{who}{where}] {node.describe()}{finding}"


def render_text(result: TraceResult) -> str:
    root = result.nodes.get(result.root, Node(result.root))
    lines = [root.describe()]
    for depth, hop in _tree(result):
        lines.append("    " * depth + "└── " + _hop_text(result, hop))
    if not result.paths:
        lines.append(
            "    (no evidence edges)" if not result.reverse else "    (nothing rests on it)"
        )
    lines += _rec_lines(result, "")
    if result.truncated:
        lines.append(f"note: {result.truncated}")
    return "\n".join(lines)


def _rec_lines(result: TraceResult, bullet: str) -> list[str]:
    if result.reverse or not result.recommendations:
        return []
    lines = ["", "Recommendations:"]
    for r in result.recommendations:
        if r.unsupported:
            mark = "  ⚠ rests on no evidence (the page says so)"
        elif not r.supported_by:
            mark = "  (no supporting evidence recorded)"
        else:
            mark = ""
        lines.append(f"{bullet}- {r.label}{mark}")
        for what, items in (
            ("supported by", r.supported_by),
            ("tempered by", r.tempered_by),
            ("published after the guidance", r.post_dated),
        ):
            for it in items:
                lines.append(f"{bullet}    {what}: {it}")
    return lines


def render_markdown(result: TraceResult) -> str:
    root = result.nodes.get(result.root, Node(result.root))
    lines = [f"# Trace: {root.describe()}", ""]
    for depth, hop in _tree(result):
        lines.append("  " * depth + "- " + _hop_text(result, hop).replace("|", "\\|"))
    lines += _rec_lines(result, "")
    if result.truncated:
        lines += ["", f"> {result.truncated}"]
    return "\n".join(lines) + "\n"


def render_json(result: TraceResult) -> str:
    return json.dumps(
        {
            "root": result.root,
            "reverse": result.reverse,
            "nodes": {k: v.__dict__ for k, v in sorted(result.nodes.items())},
            "paths": [
                [
                    {
                        "relations": h.relations,
                        "source": h.source,
                        "target": h.target,
                        "asserted_by": sorted({asserted_by(r) for r in h.relations}),
                        "section": h.section,
                    }
                    for h in p
                ]
                for p in result.paths
            ],
            "recommendations": [
                {**r.__dict__, "unsupported": r.unsupported} for r in result.recommendations
            ],
            "truncated": result.truncated,
        },
        indent=1,
        ensure_ascii=False,
    )


def render_dot(result: TraceResult) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    lines = ["digraph trace {", "  rankdir=TB;", '  node [shape=box, fontname="Helvetica"];']
    used = {result.root} | result.reached()
    for iri in sorted(used):
        lines.append(f"  {q(iri)} [label={q(result.nodes.get(iri, Node(iri)).describe())}];")
    edges = sorted(
        {
            (h.target, h.source, tuple(h.relations))
            if result.reverse
            else (h.source, h.target, tuple(h.relations))
            for p in result.paths
            for h in p
        }
    )
    for s, t, rels in edges:
        label = " / ".join(RELATION_LABELS.get(r, shorten(r)) for r in rels)
        lines.append(f"  {q(s)} -> {q(t)} [label={q(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "md": render_markdown, "json": render_json, "dot": render_dot}
