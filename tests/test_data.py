"""Per-record data integrity (bioregistry's tests/test_data.py is the model).

Every failure names the document or file and says how to fix the record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from conftest import ROOT
from evidencegraph import engine, paths
from evidencegraph.namespaces import EG, FABIO, ID

pytestmark = pytest.mark.core

DOC_DIR = ROOT / "data" / "documents"
DOC_FILES = sorted(DOC_DIR.glob("*.ttl"))
DOC_NS = str(ID) + "doc/"


def _graph(path: Path):
    g = engine.new_graph("rdflib")
    engine.parse_file(g, path)
    return g


@pytest.fixture(scope="module")
def data():
    from evidencegraph.loading import load

    return load(engine_name="rdflib")


def test_there_are_document_files() -> None:
    assert len(DOC_FILES) >= 16


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.stem)
def test_document_file_holds_its_document(path: Path) -> None:
    g = _graph(path)
    iri = URIRef(DOC_NS + path.stem)
    assert (iri, RDF.type, None) in g, (
        f"{path.name}: the file must describe <{iri}> (rename the file after the document's "
        "IRI, or move the document to the file named after it)"
    )
    others = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(DOC_NS) and s != iri}
    assert not others, f"{path.name}: move {sorted(others)} to their own files in data/documents/"


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.stem)
def test_document_iri_year_matches_its_year(path: Path) -> None:
    g = _graph(path)
    iri = URIRef(DOC_NS + path.stem)
    years = list(g.objects(iri, FABIO.hasPublicationYear))
    prefix = path.stem.split("-", 1)[0]
    if years:
        assert len(years) == 1, f"{path.stem}: keep one fabio:hasPublicationYear"
        year = years[0]
        assert isinstance(year, Literal) and year.datatype == XSD.gYear, (
            f'{path.stem}: write the year as "{year}"^^xsd:gYear'
        )
        assert prefix == str(year), (
            f"{path.stem}: the IRI says {prefix} but the year is {year}; rename the document to "
            f"doc/{year}-… (and its file) so IRI and year agree"
        )
    else:
        assert prefix == "nd", (
            f"{path.stem}: no year is given, so the IRI must start with nd- "
            "(or add the year if the page states it)"
        )


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.stem)
def test_document_has_label_and_description(path: Path) -> None:
    g = _graph(path)
    iri = URIRef(DOC_NS + path.stem)
    labels = list(g.objects(iri, RDFS.label))
    assert len(labels) == 1, f"{path.stem}: give exactly one rdfs:label (found {len(labels)})"
    assert str(labels[0]).strip() == str(labels[0]) and labels[0], (
        f"{path.stem}: the label has leading/trailing spaces or is empty"
    )
    if (iri, EG.listing, None) in g:
        desc = list(g.objects(iri, DCTERMS.description))
        assert len(desc) == 1, f"{path.stem}: a listed document needs one dcterms:description"


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.stem)
def test_no_blank_nodes(path: Path) -> None:
    g = _graph(path)
    from rdflib import BNode

    bnodes = [t for t in g if any(isinstance(x, BNode) for x in t)]
    assert not bnodes, f"{path.name}: mint an IRI under {ID} instead of each blank node"


def test_listed_documents_match_the_page(data) -> None:
    """The page lists 16 documents: 1 S, 6 K, 5 R, 4 G."""
    roles: dict[str, int] = {}
    for _doc, listing in data.subject_objects(EG.listing):
        role = data.value(listing, EG.role)
        notation = str(data.value(role, URIRef("http://www.w3.org/2004/02/skos/core#notation")))
        roles[notation] = roles.get(notation, 0) + 1
    assert roles == {"S": 1, "K": 6, "R": 5, "G": 4}, roles


LISTED_HEADLINES = [
    # The page's bold headlines, verbatim (they are Findings' summaries, not titles).
    "Systematic facilitation transforms zero mutual aid group attendance into 100%",
    "In UK active referral significantly promotes NA/AA attendance but not abstinence",
    "In USA post-treatment substance use reduced by actively linking patients to mutual aid groups",
    "Promoting SMART mutual aid",
    "Forging inter-service links to promote patient transition and aftercare",
    "Determining who needs residential care",
    "Text chat therapy",
    "What promotes longer term care and aftercare",
    "Peer-based support for recovery from problem substance use",
    "Attending AA meetings after treatment helps sustain drinking reductions",
    "Varieties and impacts of case management",
    "Severe cases differentially benefit from residential care",
    "Commissioning an alcohol intervention and treatment system",
    "Setting up a local treatment system",
    "Organising integrated and holistic care",
    "Case management",
]


def test_listed_headlines_are_verbatim_labels(data) -> None:
    listed = {str(data.value(d, RDFS.label)) for d in data.subjects(EG.listing, None)}
    missing = [h for h in LISTED_HEADLINES if h not in listed]
    assert not missing, f"listed documents whose label is not the page's headline: {missing}"


def test_titles_only_where_the_page_gives_them(data) -> None:
    """Headlines are not titles: no listed document may carry its headline as dcterms:title."""
    listed = set(data.subjects(EG.listing, None))
    assert len(listed) == len(LISTED_HEADLINES)
    for doc in listed:
        title = data.value(doc, DCTERMS.title)
        assert title is None or str(title) != str(data.value(doc, RDFS.label)), (
            f"{doc}: remove dcterms:title; the headline is Findings' summary, not the work's title"
        )


def test_data_files_are_canonical() -> None:
    from evidencegraph.building.canonical import format_files

    stale = [r.path.relative_to(ROOT) for r in format_files(check=True) if r.changed]
    assert not stale, f"not in canonical form: {stale}; run `evidencegraph format` to fix"


def test_every_data_file_lives_where_the_readme_says() -> None:
    allowed = re.compile(
        r"^(dataset\.ttl|cells/[A-Za-z0-9-]+\.ttl|vocab/[a-z0-9-]+\.ttl|agents/[a-z-]+\.ttl|"
        r"documents/(\d{4}|nd)-[a-z0-9-]+\.ttl|claims/[a-z0-9-]+\.ttl)$"
    )
    files = paths.data_files(paths.DATA_DIR)
    assert len(files) > len(DOC_FILES), "data/ holds the document files and more"
    for f in files:
        rel = f.relative_to(paths.DATA_DIR).as_posix()
        assert allowed.match(rel), f"data/{rel}: move it to the place data/README.md gives"


# Nodes that are the page's own structure rather than something it states: the cell, its
# sections, the listing roles and the dataset (whose source is the cell itself).
_STRUCTURE = {
    str(ID) + "cell/E4",
    str(ID) + "role",
    str(ID) + "dataset/alcohol-treatment-matrix-e4",
}
_STRUCTURE_CLASSES = {EG.PageSection, URIRef("http://www.w3.org/2004/02/skos/core#Concept")}
DATA_FILES = sorted(p for p in (ROOT / "data").rglob("*.ttl"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT / "data").as_posix())
def test_every_node_has_provenance(path: Path) -> None:
    """Every node says which section of the page it comes from (prov:wasDerivedFrom)."""
    from rdflib.namespace import PROV

    g = _graph(path)
    missing = sorted(
        str(s)
        for s in set(g.subjects(RDF.type, None))
        if str(s).startswith(str(ID))
        and str(s) not in _STRUCTURE
        and not (set(g.objects(s, RDF.type)) & _STRUCTURE_CLASSES)
        and (s, RDF.type, RDF.Statement) not in g
        and (s, PROV.wasDerivedFrom, None) not in g
    )
    assert not missing, (
        f"{path.name}: add prov:wasDerivedFrom e4:<section> (the page section that states it) "
        f"to {missing}"
    )
