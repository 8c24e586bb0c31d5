"""Deterministic serialisations and atomic writes.

Two builds of the same data are byte-identical: N-Triples lines are sorted,
Turtle and JSON-LD are written from a graph filled in sorted order with a
fixed prefix map, and there are no blank nodes to rename.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph

from evidencegraph import engine
from evidencegraph.errors import OutputError
from evidencegraph.namespaces import PREFIXES


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({err.strerror or err})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def canonical_memory_graph(graph: Graph) -> Graph:
    """A plain rdflib graph filled in sorted N-Triples order, prefixes bound."""
    import pyoxigraph as ox

    lines = engine.sorted_ntriples(graph)
    mem = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        mem.bind(prefix, ns, override=True, replace=True)
    triples = ox.parse(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    engine.add_ox_triples(mem, triples)
    return mem


def _used_prefixes(text: str) -> str:
    """Drop ``@prefix`` lines the Turtle body never uses (keeps diffs small)."""
    head, body = [], []
    for line in text.splitlines(keepends=True):
        (head if line.startswith("@prefix") else body).append(line)
    body_text = "".join(body)
    kept = [h for h in head if f"{h.split()[1]}" in body_text or h.split()[1] == ":"]
    return "".join(kept) + body_text


def to_turtle(graph: Graph) -> str:
    """Canonical Turtle: sorted subjects, predicates and objects, fixed prefixes."""
    mem = canonical_memory_graph(graph)
    text = mem.serialize(format="turtle")
    return _used_prefixes(text).rstrip("\n") + "\n"


def to_ntriples(graph: Graph) -> str:
    return "".join(engine.sorted_ntriples(graph))


def to_jsonld(graph: Graph) -> str:
    """Deterministic JSON-LD: one node object per subject, everything sorted.

    rdflib's JSON-LD serialiser orders nodes by hash, so it is written here:
    compact IRIs through the fixed prefix map, values as value objects.
    """
    import json

    import pyoxigraph as ox

    from evidencegraph.namespaces import shorten

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    nodes: dict[str, dict[str, list]] = {}
    lines = "".join(engine.sorted_ntriples(graph)).encode("utf-8")
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
    doc = {"@context": context, "@graph": [nodes[k] for k in sorted(nodes)]}
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
