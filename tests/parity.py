"""How the parity tests compare one query's answers from two engines.

Shared by test_endpoint_parity.py (Oxigraph server, rdflib engine) and
test_virtuoso.py, so every engine is held to the same notion of "same rows".
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from evidencegraph.querying import library


def param_values(nq: library.NamedQuery) -> dict[str, str]:
    """The example value of each required parameter (optional ones stay unbound)."""
    return {p.name: p.example for p in nq.params if p.required}


def norm(term: object) -> str | None:
    """A term as N3, with ``xsd:string`` and simple literals made equal (RDF 1.1)."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype == XSD.string:
        term = Literal(str(term))
    return term.n3() if isinstance(term, URIRef | Literal) else str(term)


def result_rows(result) -> list[tuple]:
    """Rows (or triples, or the ASK answer) as sorted tuples: order is not compared."""
    if result.type == "ASK":
        return [(result.askAnswer,)]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(tuple(norm(x) for x in t) for t in result.graph)
    return sorted((tuple(norm(v) for v in row) for row in result), key=repr)
