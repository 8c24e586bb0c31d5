"""The ontology: every term defined in plain words, the contract vocabulary present."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT
from iris import EG

pytestmark = pytest.mark.core

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# Names queries, visualisations and outside checks rely on (issue: contract vocabulary).
CONTRACT_CLASSES = [
    "Document",
    "Study",
    "Trial",
    "RandomisedTrial",
    "ObservationalStudy",
    "ImplementationStudy",
    "ModellingStudy",
    "Review",
    "Guidance",
    "Commentary",
    "Claim",
    "Recommendation",
    "DiscussionPrompt",
    "Finding",
    "MatrixCell",
    "Organisation",
    "Country",
]
CONTRACT_PROPERTIES = [
    "listing",
    "inCell",
    "role",
    "issuedBy",
    "producedFor",
    "takesLeadFrom",
    "bearsOn",
    "supports",
    "tempers",
    "similarTo",
    "relatedTo",
    "restsOn",
    "laterThan",
    "conductedIn",
    "discussedIn",
    "hasFinding",
    "lacksEvidence",
    "recommends",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology" / "evidencegraph.ttl", format="turtle")


def _terms(g: Graph) -> list[URIRef]:
    return sorted({s for k in KINDS for s in g.subjects(RDF.type, k) if isinstance(s, URIRef)})


def test_every_term_has_one_label_and_a_comment(onto: Graph) -> None:
    terms = _terms(onto)
    assert len(terms) >= len(CONTRACT_CLASSES) + len(CONTRACT_PROPERTIES)
    for term in terms:
        labels = list(onto.objects(term, RDFS.label))
        comments = list(onto.objects(term, RDFS.comment))
        assert len(labels) == 1, f"{term}: give exactly one rdfs:label"
        assert comments, f"{term}: give an rdfs:comment with a plain definition"


def test_no_owl_imports(onto: Graph) -> None:
    assert not list(onto.objects(None, OWL.imports)), "no owl:imports: loading never fetches"


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_classes(onto: Graph, name: str) -> None:
    assert (URIRef(EG + name), RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", CONTRACT_PROPERTIES)
def test_contract_properties(onto: Graph, name: str) -> None:
    term = URIRef(EG + name)
    assert any((term, RDF.type, k) in onto for k in KINDS[1:]), name
    # No domains or ranges on relations (SHACL checks them), so inference never retypes.
    if name != "lacksEvidence":
        assert (term, RDFS.domain, None) not in onto and (term, RDFS.range, None) not in onto


def test_rests_on_semantics(onto: Graph) -> None:
    rests = URIRef(EG + "restsOn")
    assert (rests, RDF.type, OWL.TransitiveProperty) in onto
    for sub in (
        "http://purl.org/spar/cito/citesAsEvidence",
        "http://purl.org/spar/cito/usesDataFrom",
        EG + "takesLeadFrom",
    ):
        assert (URIRef(sub), RDFS.subPropertyOf, rests) in onto
    for sym in ("similarTo", "relatedTo"):
        assert (URIRef(EG + sym), RDF.type, OWL.SymmetricProperty) in onto
    assert (URIRef(EG + "Recommendation"), RDFS.subClassOf, URIRef(EG + "Claim")) in onto
