"""Canonical serialisations: Turtle, N-Triples and JSON-LD whose bytes depend only
on the triples.

Two builds of the same data are byte-identical: N-Triples lines are sorted,
Turtle and JSON-LD are written subject by subject in sorted order with a fixed
prefix map, and there are no blank nodes to rename. Written here rather than
by rdflib's serialisers, which are ten times slower and order nodes by hash.
"""

from __future__ import annotations

import re

from rdflib import Graph

from evidencegraph.engine.store import ox_triples, sorted_ntriples
from evidencegraph.namespaces import PREFIXES, shorten

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# A prefixed name's local part that every Turtle 1.1 parser reads back unchanged.
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_BARE = {
    _XSD + "integer": re.compile(r"^[+-]?[0-9]+$"),
    _XSD + "decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    _XSD + "boolean": re.compile(r"^(true|false)$"),
}


class _Names:
    """IRIs as prefixed names where the fixed prefix map allows, else ``<…>``."""

    def __init__(self) -> None:
        self.by_length = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        hit = self.cache.get(iri)
        if hit is None:
            hit = self.cache[iri] = self._iri(iri)
        if hit[0] != "<":
            self.used.add(hit.split(":", 1)[0])
        return hit

    def _iri(self, iri: str) -> str:
        for prefix, ns in self.by_length:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if local == "" or _SAFE_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term: object) -> str:
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            text = str(term)
            if term.language:
                return text
            dt = term.datatype.value
            if dt == _XSD + "string":
                return text
            bare = _BARE.get(dt)
            if bare is not None and bare.match(term.value):
                return term.value
            quoted = text[: text.rindex("^^")]
            return f"{quoted}^^{self.iri(dt)}"
        return str(term)  # blank nodes never occur in this project's data


def to_turtle(graph: Graph) -> str:
    """Canonical Turtle: subjects sorted, then rdf:type and rdfs:label, then the
    other predicates and every object list sorted; fixed prefixes, only those used.

    Written here rather than by rdflib's serialiser: it is ten times faster and
    its output depends only on the triples, so builds and ``fmt`` are byte-stable.
    """
    names = _Names()
    by_subject: dict[str, dict[str, list[str]]] = {}
    for t in ox_triples(graph):
        s = names.term(t.subject)
        p = "a" if t.predicate.value == _RDF_TYPE else names.iri(t.predicate.value)
        by_subject.setdefault(s, {}).setdefault(p, []).append(names.term(t.object))
    label = names.iri(_RDFS_LABEL) if by_subject else ""

    def pred_key(p: str) -> tuple[int, str]:
        return (0 if p == "a" else 1 if p == label else 2, p)

    blocks = []
    for s in sorted(by_subject):
        preds = by_subject[s]
        lines = []
        for p in sorted(preds, key=pred_key):
            objs = sorted(set(preds[p]))
            lines.append(f"{p} " + (",\n        ".join(objs) if len(objs) > 1 else objs[0]))
        blocks.append(f"{s} " + " ;\n    ".join(lines) + " .\n")
    head = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(names.used))
    return head + ("\n" if head and blocks else "") + "\n".join(blocks)


def to_ntriples(graph: Graph) -> str:
    return "".join(sorted_ntriples(graph))


def to_jsonld(graph: Graph) -> str:
    """Deterministic JSON-LD: one node object per subject, everything sorted.

    rdflib's JSON-LD serialiser orders nodes by hash, so it is written here:
    compact IRIs through the fixed prefix map, values as value objects.
    """
    import json

    import pyoxigraph as ox

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    nodes: dict[str, dict[str, list]] = {}
    lines = "".join(sorted_ntriples(graph)).encode("utf-8")
    for t in ox.parse(input=lines, format=ox.RdfFormat.N_TRIPLES):
        sid = shorten(t.subject.value)
        node = nodes.setdefault(sid, {"@id": sid})
        o = t.object
        if t.predicate.value == rdf_type and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(shorten(o.value))
            continue
        if isinstance(o, ox.Literal):
            value: dict[str, str] = {"@value": o.value}
            if o.language:
                value["@language"] = o.language
            elif o.datatype.value != xsd_string:
                value["@type"] = shorten(o.datatype.value)
        else:
            value = {"@id": shorten(o.value)}
        node.setdefault(shorten(t.predicate.value), []).append(value)
    context = {p: ns for p, ns in PREFIXES.items() if p != "sh"}
    # One node object per line: json's C encoder (no indent) keeps 10^5 triples fast,
    # and the order is fixed by the sorted triples, so the bytes are stable.
    lines = ",\n".join(json.dumps(nodes[k], ensure_ascii=False) for k in sorted(nodes))
    head = json.dumps(context, ensure_ascii=False, sort_keys=True)
    return f'{{"@context": {head},\n"@graph": [\n{lines}\n]}}\n'
