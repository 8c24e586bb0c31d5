"""Namespaces and the fixed prefix map used by every serialiser.

A fixed map keeps canonical Turtle byte-stable and makes the data readable:
``doc:2012-…`` rather than full IRIs.
"""

from __future__ import annotations

import functools

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

EG = Namespace("https://w3id.org/evidencegraph/ontology#")
ID = Namespace("https://w3id.org/evidencegraph/id/")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "cito": str(CITO),
    "dcterms": str(DCTERMS),
    "eg": str(EG),
    "fabio": str(FABIO),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "void": str(VOID),
    "xsd": str(XSD),
    "id": str(ID),
    "doc": str(ID) + "doc/",
    "rec": str(ID) + "rec/",
    "claim": str(ID) + "claim/",
    "prompt": str(ID) + "prompt/",
    "finding": str(ID) + "finding/",
    "limitation": str(ID) + "limitation/",
    "stmt": str(ID) + "stmt/",
    "org": str(ID) + "org/",
    "person": str(ID) + "person/",
    "country": str(ID) + "country/",
    "role": str(ID) + "role/",
    "cell": str(ID) + "cell/",
    "e4": str(ID) + "cell/E4/section/",
    "listing": str(ID) + "listing/E4/",
}


def sparql_prologue() -> str:
    """PREFIX lines for ad-hoc queries built by the tool itself."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def expand(curie: str) -> str | None:
    """Expand ``prefix:local`` with the fixed map, or return None."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


@functools.lru_cache(maxsize=65536)
def shorten(iri: str) -> str:
    """The shortest prefixed form of an IRI, for tables and messages (cached: exports
    shorten the same IRIs hundreds of thousands of times)."""
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


# Most specific first: the first of these a document has is shown as its design
# (trace, viz, exports all use this order).
DESIGN_ORDER = (
    "RandomisedTrial",
    "Trial",
    "ObservationalStudy",
    "ImplementationStudy",
    "ModellingStudy",
    "Study",
    "Review",
    "Guidance",
    "Commentary",
    "StatisticalReport",
    "Article",
    "Document",
)
