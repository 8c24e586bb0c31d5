"""What the workshop views draw: nodes, relations, evidence links, post-datings and
prompts, with the indexes every view looks things up in.

Filled once from the graph by :mod:`.reading`; narrowed by :mod:`.selection`.
The model looks things up; it never decides what counts as evidence (the
build's rules did).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from evidencegraph.namespaces import shorten
from evidencegraph.querying.records import Link
from evidencegraph.viz.style import CLASSES, EVIDENCE, RELATION_OF, RELATIONS

MAX_DEPTH = 10  # as `evidencegraph trace --max-depth`


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
