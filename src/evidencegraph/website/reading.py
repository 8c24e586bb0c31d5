"""Everything the site shows, read from the graph with the ``sparql/site-*.rq`` queries
(and trace's own queries for the evidence model), once, into plain dictionaries.

The pages only look facts up here. Nothing decides what counts as evidence:
evidence links, hops, post-datings and designs are the build's derived facts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from evidencegraph.namespaces import shorten
from evidencegraph.resources import internal_query
from evidencegraph.tracing import model as trace_model
from evidencegraph.tracing.model import Link
from evidencegraph.website.addresses import is_node

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EG = "https://w3id.org/evidencegraph/ontology#"


@dataclass(frozen=True)
class Listing:
    document: str
    cell: str
    order: int
    notation: str
    role_label: str


@dataclass(frozen=True)
class Assertion:
    """Who asserts a relation and where: one reified ``rdf:Statement``."""

    statement: str
    section: str
    attributed_to: str


@dataclass(frozen=True, order=True)
class EvidenceHop:
    source: str
    target: str
    relation: str
    basis: str
    sections: tuple[str, ...] = ()


@dataclass
class SiteData:
    """The graph as the site reads it."""

    out: dict[str, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    into: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, str] = field(default_factory=dict)
    inverse: dict[str, str] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)  # relation -> eg:assertionBasis
    listings: list[Listing] = field(default_factory=list)
    assertions: dict[tuple[str, str, str], list[Assertion]] = field(
        default_factory=lambda: defaultdict(list)
    )
    dataset: dict[str, str] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    hops: list[EvidenceHop] = field(default_factory=list)
    post: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    triples: int = 0

    # -- look-ups ------------------------------------------------------------

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or shorten(iri)

    def types(self, iri: str) -> list[str]:
        return sorted({str(o) for p, o in self.out.get(iri, ()) if p == RDF_TYPE})

    def specific_types(self, iri: str) -> list[str]:
        """The node's classes that no other of its classes is a subclass of."""
        types = self.types(iri)
        wider = {w for t in types for w in self.supers.get(t, ())}
        return [t for t in types if t not in wider] or types

    def is_a(self, iri: str, cls: str) -> bool:
        return any(p == RDF_TYPE and str(o) == cls for p, o in self.out.get(iri, ()))

    def values(self, iri: str, pred: str) -> list[str]:
        return sorted({str(o) for p, o in self.out.get(iri, ()) if p == pred})

    def value(self, iri: str, pred: str) -> str:
        found = self.values(iri, pred)
        return found[0] if found else ""

    def subjects(self, pred: str, obj: str) -> list[str]:
        return sorted({s for s, p in self.into.get(obj, ()) if p == pred})

    def nodes(self) -> list[str]:
        """Every node that gets a page: each IRI under ``id/`` the graph describes."""
        return sorted(self.out)

    def later(self, guidance: str, evidence: str) -> list[str]:
        return sorted(self.post.get((guidance, evidence), ()))


def _s(term: Any) -> str:
    return "" if term is None else str(term)


def read(src: Any) -> SiteData:
    """Run the site's queries on ``src`` (a :class:`~evidencegraph.querying.Source`)."""
    data = SiteData()
    for s, p, o in src.run(internal_query("site-facts")):
        s, p = str(s), str(p)
        data.out[s].append((p, o))
        if is_node(str(o)) and not hasattr(o, "datatype"):
            data.into[str(o)].append((s, p))
        data.triples += 1
    for term, label, inverse, basis in src.run(internal_query("site-terms")):
        term = str(term)
        if term not in data.labels or str(label) < data.labels[term]:
            data.labels[term] = str(label)
        if inverse is not None:
            data.inverse[term] = str(inverse)
        if basis is not None:
            data.basis[term] = str(basis)
    for doc, cell, order, notation, role_label in src.run(internal_query("site-listings")):
        listing = Listing(str(doc), str(cell), int(order), str(notation), _s(role_label))
        data.listings.append(listing)
    data.listings.sort(key=lambda x: (x.cell, x.order, x.document))
    for stmt, subj, pred, obj, section, who in src.run(internal_query("site-statements")):
        key = (str(subj), str(pred), str(obj))
        data.assertions[key].append(Assertion(str(stmt), _s(section), _s(who)))
    for key in data.assertions:
        data.assertions[key].sort(key=lambda a: (a.section, a.attributed_to, a.statement))
    for sub, sup in src.run(internal_query("site-subclasses")):
        data.supers[str(sub)].add(str(sup))
    for row in src.run(internal_query("site-dataset")):
        names = (
            "dataset",
            "label",
            "attribution",
            "firstUploaded",
            "lastRevised",
            "version",
            "source",
        )
        for name, value in zip(names, row, strict=False):
            if value is not None and not data.dataset.get(name):
                data.dataset[name] = str(value)
    data.links = trace_model.links(src, None, False)
    data.hops = _hops(src)
    for g, e, basis in src.run(internal_query("trace-post-dating")):
        data.post[str(g), str(e)].append(str(basis))
    return data


def _hops(src: Any) -> list[EvidenceHop]:
    grouped: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for frm, to, rel, basis, section in src.run(internal_query("trace-hops")):
        sections = grouped[str(frm), str(to), str(rel), str(basis)]
        if section is not None:
            sections.add(str(section))
    return sorted(EvidenceHop(*k, sections=tuple(sorted(s))) for k, s in grouped.items())


@dataclass
class Profile:
    """One row of the ``evidence-profile`` named query."""

    guidance: str
    recommendation: str
    design: str
    direction: str
    results: int
    significant: int
    not_significant: int
    documents: int


def profiles(src: Any) -> list[Profile]:
    """Every recommendation's evidence profile, from the named query itself."""
    from evidencegraph.querying import run_query

    answer = run_query("evidence-profile", {}, source=src).result
    return [
        Profile(str(g), str(r), str(d), str(x), int(n), int(s), int(ns), int(docs))
        for g, r, d, x, n, s, ns, docs in answer
    ]
