"""What the workshop views draw, read from the graph once.

Nodes, the relations the page states, the guidance evidence links and
post-datings the build derived, the rests-on closure and the ontology's names
all come from ``sparql/viz-*.rq`` (so the views work on an endpoint too). The
model then filters (``--classes``, ``--relations``, ``--focus``) and looks
things up; it never decides what counts as evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from evidencegraph.errors import ParameterError
from evidencegraph.namespaces import expand, shorten
from evidencegraph.resources import internal_query
from evidencegraph.viz.style import CLASSES, EVIDENCE, LOOK_OF, RELATION_OF, RELATIONS, SYMMETRIC

MAX_DEPTH = 10  # as `evidencegraph trace --max-depth`
NO_ATTRIBUTION = "Source: see the dataset description (it gives no attribution line)."


@dataclass
class VNode:
    iri: str
    label: str
    cls: str  # the look (viz.style.CLASSES)
    design: str = ""  # the ontology's label of its design or class
    year: int | None = None
    role: str = ""
    role_label: str = ""
    countries: list[str] = field(default_factory=list)
    setting: list[str] = field(default_factory=list)
    key_finding: str = ""
    description: str = ""
    text: str = ""
    quote: str = ""
    sections: list[str] = field(default_factory=list)
    lacks_evidence: bool = False
    rests_on_it: int = 0

    @property
    def curie(self) -> str:
        return shorten(self.iri)

    def title(self) -> str:
        return f"{self.label} ({self.year})" if self.year else self.label


@dataclass(frozen=True)
class VEdge:
    source: str
    target: str
    rel: str
    section: str = ""


@dataclass(frozen=True, order=True)
class Link:
    """One member of a guidance's evidence set (the build's ``eg:EvidenceLink``)."""

    guidance: str
    evidence: str
    relation: str
    basis: str
    target: str
    via: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()


@dataclass
class Prompt:
    """A discussion prompt of the page.

    ``lights`` is what its page section discusses, read from the graph's
    provenance (``viz-prompt-lights.rq``) with what it is ``about``: the views
    show these, they do not choose them. ``order`` and ``section_order`` are the
    page's (``eg:pageOrder``), so a presenter steps through prompts as the page
    asks them.
    """

    iri: str
    label: str
    text: str = ""
    section: str = ""
    about: list[str] = field(default_factory=list)
    lights: list[str] = field(default_factory=list)
    section_iri: str = ""
    order: int | None = None
    section_order: int | None = None

    def page_position(self) -> tuple:
        big = 10**9
        return (
            big if self.order is None else self.order,
            big if self.section_order is None else self.section_order,
            self.section,
            self.label,
            self.iri,
        )


@dataclass
class Model:
    nodes: dict[str, VNode]
    edges: list[VEdge]
    prompts: list[Prompt]
    heading: str
    attribution: str
    links: list[Link] = field(default_factory=list)
    post_dating: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    closure: list[tuple[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # term IRI -> ontology label
    inverse: dict[str, str] = field(default_factory=dict)  # property IRI -> inverse label
    focus: str | None = None

    def name(self, iri: str) -> str:
        """The ontology's label of a term (relation, basis, class)."""
        return self.names.get(iri) or shorten(iri)

    def relation_label(self, key: str) -> str:
        return self.name(RELATIONS[key].predicate)

    def class_name(self, key: str) -> str:
        return self.name(CLASSES[key].term)

    # -- indexes, built once (scanning per node made the views quadratic at scale)
    @cached_property
    def _by_rel(self) -> dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]]:
        out: dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]] = {}
        for e in self.edges:
            fwd, back = out.setdefault(e.rel, (defaultdict(set), defaultdict(set)))
            fwd[e.source].add(e.target)
            back[e.target].add(e.source)
        return out

    @cached_property
    def _touching(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.edges:
            out[e.source].add(e.target)
            out[e.target].add(e.source)
        return out

    @cached_property
    def _hops(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for rel in EVIDENCE:
            for k, v in self._by_rel.get(rel, ({}, {}))[0].items():
                out[k] |= v
        return out

    @cached_property
    def _closure(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        down: dict[str, set[str]] = defaultdict(set)
        up: dict[str, set[str]] = defaultdict(set)
        for a, b in self.closure:
            down[a].add(b)
            up[b].add(a)
        return down, up

    @cached_property
    def _links_of(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = defaultdict(list)
        for x in self.links:
            out[x.guidance].append(x)
        return out

    @cached_property
    def _links_with(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = defaultdict(list)
        for x in self.links:
            out[x.evidence].append(x)
        return out

    def links_of(self, guidance: str) -> list[Link]:
        return self._links_of.get(guidance, [])

    def links_with(self, evidence: str) -> list[Link]:
        return self._links_with.get(evidence, [])

    def recommendations(self, iri: str) -> set[str]:
        return set(self._by_rel.get("recommends", ({}, {}))[0].get(iri, ()))

    def recommended_by(self, iri: str) -> set[str]:
        return set(self._by_rel.get("recommends", ({}, {}))[1].get(iri, ()))

    def later(self, evidence: str, guidance: str) -> list[str]:
        """The bases on which ``evidence`` came after ``guidance`` (empty: it did not)."""
        return self.post_dating.get((guidance, evidence), [])

    def focus_set(self, iri: str, depth: int | None = None) -> set[str]:
        """What focus on ``iri`` lights up.

        A guidance: itself, its evidence set (every link's evidence, what it bears
        on and what it comes through) and its recommendations; with ``depth``, only
        what it rests on within that many hops. Anything else: what it rests on and
        what rests on it, every guidance whose evidence set holds it (and what it
        bears on there), and its neighbours.
        """
        lit = {iri}
        node = self.nodes.get(iri)
        if node is not None and node.cls == "guidance":
            near = None if depth is None else _bfs(self._hops, iri, depth)
            for x in self.links_of(iri):
                rests = RELATION_OF.get(x.relation) in EVIDENCE
                if near is not None and rests and x.evidence not in near:
                    continue
                lit |= {x.evidence, x.target, *x.via}
            lit |= self.recommendations(iri)
        else:
            down, up = self._closure
            lit |= down.get(iri, set()) | up.get(iri, set()) | self._touching.get(iri, set())
            for x in self.links_with(iri):
                lit |= {x.guidance, x.target, *x.via}
        return lit & self.nodes.keys()

    def prompt_set(self, prompt: Prompt) -> set[str]:
        """What a prompt lights: its ``lights`` (the section's provenance and what it is
        about) among the nodes drawn."""
        return (set(prompt.lights) | set(prompt.about)) & self.nodes.keys()

    def guidance(self) -> list[VNode]:
        return sorted((n for n in self.nodes.values() if n.cls == "guidance"), key=by_year)

    def restricted(self, keep: set[str]) -> Model:
        nodes = {k: v for k, v in self.nodes.items() if k in keep}
        edges = [e for e in self.edges if e.source in nodes and e.target in nodes]
        prompts = [
            p
            for p in self.prompts
            if any(a in nodes for a in p.about + p.lights) or not (p.about or p.lights)
        ]
        links = [x for x in self.links if x.guidance in nodes and x.evidence in nodes]
        return Model(
            nodes,
            edges,
            prompts,
            self.heading,
            self.attribution,
            links,
            self.post_dating,
            self.closure,
            self.names,
            self.inverse,
            self.focus,
        )


def _bfs(adj: Mapping[str, set[str]], start: str, depth: int) -> set[str]:
    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        cur, d = frontier.popleft()
        if d >= depth:
            continue
        for nxt in adj.get(cur, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, d + 1))
    return seen


def by_year(n: VNode) -> tuple[int, int, str]:
    return (0 if n.year else 1, n.year or 0, n.label.casefold())


def _rows(source: Any, name: str) -> list[tuple[str | None, ...]]:
    return [
        tuple(None if v is None else str(v) for v in row)
        for row in source.run(internal_query(name))
    ]


def load_model(source: Any = None) -> Model:
    """Read everything the views draw from ``source`` (default: the embedded graph)."""
    if source is None:
        from evidencegraph.querying import open_source

        source = open_source()
    names: dict[str, str] = {}
    inverse: dict[str, str] = {}
    for term, label, inv in _rows(source, "viz-term-labels"):
        if term and label:
            names.setdefault(term, label)
        if term and inv:
            inverse.setdefault(term, inv)
    nodes: dict[str, VNode] = {}
    for node, label, cls in _rows(source, "viz-nodes"):
        if node is None or node in nodes or cls is None:
            continue
        look = LOOK_OF.get(cls, "other")
        nodes[node] = VNode(node, label or shorten(node), look, names.get(cls, shorten(cls)))
    _details(source, nodes)
    for iri, count in _rows(source, "viz-rests-on-count"):
        if iri in nodes and count:
            nodes[iri].rests_on_it = int(count)
    sections: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for s, p, o, section in _rows(source, "viz-edges"):
        rel = RELATION_OF.get(p or "")
        if rel is None or s not in nodes or o not in nodes or s == o:
            continue
        if rel in SYMMETRIC and s > o:  # stated once, drawn once
            s, o = o, s
        secs = sections[(s, rel, o)]
        label = names.get(section or "", section)
        if label and label not in secs:
            secs.append(label)
    edges = [
        VEdge(s, o, rel, "; ".join(sorted(secs))) for (s, rel, o), secs in sorted(sections.items())
    ]
    grouped: dict[tuple[str, ...], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for g, e, rel, basis, target, via, section in _rows(source, "viz-evidence"):
        if None in (g, e, rel, basis, target):
            continue
        vias, secs = grouped[(g, e, rel, basis, target)]  # type: ignore[index]
        if via:
            vias.add(via)
        if section:
            secs.add(section)
    links = sorted(
        Link(*key, via=tuple(sorted(v)), sections=tuple(sorted(s)))
        for key, (v, s) in grouped.items()
    )
    post: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g, e, basis in _rows(source, "viz-post-dating"):
        if g and e and basis and basis not in post[(g, e)]:
            post[(g, e)].append(basis)
    for bases in post.values():
        bases.sort()
    closure = [(a, b) for a, b in _rows(source, "viz-closure") if a and b and a != b]
    prompts: dict[str, Prompt] = {}
    for iri, label, text, section, about, sec_iri, order, sec_order in _rows(source, "viz-prompts"):
        assert iri is not None
        p = prompts.setdefault(iri, Prompt(iri, label or shorten(iri), text or "", section or ""))
        if about and about not in p.about:
            p.about.append(about)
        p.section_iri = p.section_iri or sec_iri or ""
        p.order = p.order if p.order is not None else _int(order)
        p.section_order = p.section_order if p.section_order is not None else _int(sec_order)
    for iri, node in _rows(source, "viz-prompt-lights"):
        p = prompts.get(iri or "")
        if p is not None and node and node not in p.lights:
            p.lights.append(node)
    for p in prompts.values():
        p.lights.sort()
    heading, attribution = "Evidence graph", ""
    ds = _rows(source, "viz-dataset")
    if ds:
        heading = next((r[1] for r in ds if r[1]), heading)
        attribution = " ".join(sorted({r[2] for r in ds if r[2]}))
    return Model(
        nodes,
        edges,
        sorted(prompts.values(), key=Prompt.page_position),
        heading,
        attribution or NO_ATTRIBUTION,
        links,
        dict(post),
        closure,
        names,
        inverse,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:  # a malformed literal on an endpoint: no order rather than a crash
        return None


def _details(source: Any, nodes: dict[str, VNode]) -> None:
    for iri, key, value in _rows(source, "viz-details"):
        n = nodes.get(iri or "")
        if n is None or value is None:
            continue
        if key == "year":
            m = re.match(r"-?\d{1,4}", value)
            n.year = int(m.group(0)) if m else None
        elif key == "role":
            n.role = value[:1].upper()
        elif key == "roleLabel":
            n.role_label = value
        elif key == "country":
            n.countries.append(value)
        elif key == "setting":
            n.setting.append(value)
        elif key == "keyFinding":
            n.key_finding = n.key_finding or value
        elif key == "description":
            n.description = n.description or value
        elif key == "text":
            n.text = n.text or value
        elif key == "quote":
            n.quote = n.quote or value
        elif key == "section":
            if value not in n.sections:
                n.sections.append(value)
        elif key == "lacksEvidence":
            n.lacks_evidence = True


def _split(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def resolve_node(model: Model, target: str) -> str:
    """A node of the model from an IRI, a prefixed name or a label fragment."""
    t = target.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    iri = t if t in model.nodes else (expand(t) or "")
    if iri in model.nodes:
        return iri
    frag = t.casefold()
    hits = {k: n for k, n in model.nodes.items() if frag and frag in n.label.casefold()}
    exact = {k: n for k, n in hits.items() if n.label.casefold() == frag}
    hits = exact or hits
    if not hits:
        raise ParameterError(
            f"--focus {target!r}: no node drawn has that IRI or a label containing it"
        )
    if len(hits) > 1:
        listing = "; ".join(f"{n.label} <{n.curie}>" for n in sorted(hits.values(), key=by_year))
        raise ParameterError(
            f"--focus {target!r} matches {len(hits)} nodes, give more of the "
            f"label or an IRI: {listing}"
        )
    return next(iter(hits))


def select(
    model: Model,
    *,
    focus: str | None = None,
    depth: int | None = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
) -> Model:
    """The subset every output draws: classes, then relations, then the focus."""
    cls = _split(classes)
    rels = _split(relations)
    bad_c = [c for c in cls if c not in CLASSES]
    if bad_c:
        raise ParameterError(
            f"unknown class(es) {', '.join(bad_c)}; choose from {', '.join(CLASSES)}"
        )
    bad_r = [r for r in rels if r not in RELATIONS]
    if bad_r:
        raise ParameterError(
            f"unknown relation(s) {', '.join(bad_r)}; choose from {', '.join(RELATIONS)}"
        )
    if depth is not None and focus is None:
        raise ParameterError("--depth needs --focus")
    if depth is not None and depth < 0:
        raise ParameterError("--depth must be 0 or more")
    out = model
    if cls:
        out = out.restricted({k for k, n in out.nodes.items() if n.cls in cls})
    if rels:
        out = Model(
            out.nodes,
            [e for e in out.edges if e.rel in rels],
            out.prompts,
            out.heading,
            out.attribution,
            [x for x in out.links if RELATION_OF.get(x.relation) in rels],
            out.post_dating,
            out.closure,
            out.names,
            out.inverse,
        )
    if focus is not None:
        iri = resolve_node(out, focus)
        out = out.restricted(out.focus_set(iri, depth))
        out.focus = iri
    return out
