"""Each node's own data beside its page: ``<path>.ttl`` and ``<path>.jsonld``.

They hold what the graph says about the node (every triple with it as
subject, asserted and derived), so a client that follows the IRI gets the
same facts the page shows. Terms are written with rdflib's N3 forms (valid
Turtle) and as expanded JSON-LD, which any JSON-LD processor reads without
fetching a context.
"""

from __future__ import annotations

import json
from typing import Any

from evidencegraph.website.reading import SiteData


def turtle(data: SiteData, iri: str) -> str:
    from rdflib import URIRef

    subject = URIRef(iri).n3()
    lines = [f"# What the evidencegraph says about <{iri}>"]
    for p, o in sorted(data.out.get(iri, ()), key=lambda po: (po[0], str(po[1]))):
        lines.append(f"{subject} {URIRef(p).n3()} {_n3(o)} .")
    return "\n".join(lines) + "\n"


def _n3(term: Any) -> str:
    from rdflib import Literal, URIRef

    if isinstance(term, Literal) and str(term.datatype) == _XSD_STRING:
        return Literal(str(term)).n3()  # one form for a plain string, whatever the engine
    if isinstance(term, Literal | URIRef):
        return term.n3()
    return URIRef(str(term)).n3()


def jsonld(data: SiteData, iri: str) -> str:
    """Expanded JSON-LD: one node object, no context to fetch."""
    from rdflib import Literal

    node: dict[str, Any] = {"@id": iri}
    for p, o in sorted(data.out.get(iri, ()), key=lambda po: (po[0], str(po[1]))):
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            node.setdefault("@type", []).append(str(o))
            continue
        if isinstance(o, Literal):
            value: dict[str, str] = {"@value": str(o)}
            if o.language:
                value["@language"] = o.language
            elif o.datatype is not None and str(o.datatype) != _XSD_STRING:
                value["@type"] = str(o.datatype)
        else:
            value = {"@id": str(o)}
        node.setdefault(p, []).append(value)
    return json.dumps([node], ensure_ascii=False, indent=1) + "\n"


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
