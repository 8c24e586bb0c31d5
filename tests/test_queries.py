"""The named query library (``queries/``): one test per query with the rows the page implies.

Expected rows are written from the Findings page for cell E4
(``../shared/seeds/000_ce4cb470b6e6483c.txt``), not copied from query output.
Queries run through the real API (:func:`evidencegraph.querying.run_query`) on
the session graph, and through the real CLI where the user-facing behaviour
(label fragments, exit codes, formats) is what is tested.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import iris
from conftest import ROOT, one_line_error, run_cli
from evidencegraph import safety
from evidencegraph.errors import ParameterError, QueryError
from evidencegraph.querying import Source, library, params, run_query
from iris import CITO, DOC, EG, ID, SECTION

pytestmark = pytest.mark.core

QUERIES = ROOT / "queries"


NAMED = [
    "cited-by-nice",
    "guidance-evidence",
    "trials-behind",
    "tempers",
    "post-dated-evidence",
    "unsupported-recommendations",
    "provenance",
    "curation-gaps",
    "similar-studies",
    "claims",
    "findings",
    "cells",
    "documents",
]


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def source(graph) -> Source:
    """The session graph (shipped data, build rules applied) as a query source."""
    return Source(graph=graph)


def rows(source: Source, name: str, **values: str) -> list[dict[str, str | None]]:
    """Run a named query through the real API; rows as {var: str or None}."""
    result = run_query(name, values, source=source).result
    names = [str(v) for v in result.vars]
    return [
        {n: (None if row[i] is None else str(row[i])) for i, n in enumerate(names)}
        for row in result
    ]


def column(found: list[dict[str, str | None]], var: str) -> set[str | None]:
    return {r[var] for r in found}


def all_library() -> dict[str, library.NamedQuery]:
    return library.all_queries(QUERIES)


def checks() -> list[str]:
    return sorted(n for n in all_library() if n.startswith("checks/"))


# ---------------------------------------------------------------- the library as a whole


def test_library_has_every_named_query():
    names = set(all_library())
    missing = [n for n in NAMED if n not in names]
    assert not missing, f"queries/ lacks {missing}"
    assert len(checks()) >= 7, "queries/checks/ should hold the integrity checks"
    assert all(n.endswith("-violation") for n in checks()), "checks are named *-violation.rq"


@pytest.mark.parametrize("name", sorted(library.all_queries(QUERIES)))
def test_header_block(name):
    q = all_library()[name]
    assert q.title, f"{name}: add '# title: ...' to the header"
    assert len(q.purpose.split()) >= 12, f"{name}: '# purpose:' should be a real paragraph"
    assert q.examples, f"{name}: add '# example: evidencegraph query {name} ...'"
    for ex in q.examples:
        assert ex.startswith(f"evidencegraph query {name}"), f"{name}: example {ex!r}"
    for p in q.params:
        assert p.type.startswith("eg:"), f"{name}: parameter {p.name} needs an eg: type"
        assert p.example, f"{name}: parameter {p.name} needs an e.g. value"


def _body_without_iris_strings_comments(text: str) -> str:
    text = re.sub(r"#[^\n]*", "", text)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    return re.sub(r"<[^<>\s]*>", "<>", text)


@pytest.mark.parametrize("name", sorted(library.all_queries(QUERIES)))
def test_every_prefix_declared_and_query_is_standard_sparql(name):
    from rdflib.plugins.sparql import prepareQuery

    text = all_library()[name].text
    declared = set(re.findall(r"^PREFIX\s+([A-Za-z][\w-]*)?:", text, flags=re.M))
    body = re.sub(r"^PREFIX[^\n]*$", "", _body_without_iris_strings_comments(text), flags=re.M)
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):[A-Za-z_]", body))
    assert used <= declared, f"{name}: prefixes used but not declared: {sorted(used - declared)}"
    # rdflib's standard SPARQL 1.1 parser with no namespaces bound: an undeclared
    # prefix or an engine extension fails here.
    prepareQuery(text, initNs={})


@pytest.mark.parametrize("name", sorted(library.all_queries(QUERIES)))
def test_passes_safety_and_params_are_projected(name):
    q = all_library()[name]
    checked = safety.check_query(q.text)
    assert checked.form == "SELECT", f"{name}: the library holds SELECT queries"
    for p in q.params:
        assert p.name in checked.variables, (
            f"{name}: parameter ?{p.name} must be a top-level projected variable"
        )


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(library.all_queries(QUERIES)) if library.all_queries(QUERIES)[n].params],
)
def test_parameter_never_unbound_and_no_group_by(source, name):
    """A trailing VALUES (the endpoint path) must filter exactly like initBindings."""
    q = all_library()[name]
    body = "\n".join(ln for ln in q.text.splitlines() if not ln.lstrip().startswith("#"))
    group = re.search(r"\bGROUP\s+BY\b([^\n]*)", body, flags=re.I)
    for p in q.params if group else ():
        # a parameter bound after grouping must still pick whole groups: it is a group key
        assert f"?{p.name}" in group.group(1).split(), (
            f"{name}: a parameter of a GROUP BY query must be one of its group keys"
        )
    if all(not p.required for p in q.params):
        found = rows(source, name)
        assert found, f"{name}: returns nothing when the optional parameters are unbound"
        for p in q.params:
            assert all(r[p.name] is not None for r in found), (
                f"{name}: ?{p.name} is unbound in some rows, "
                "so a VALUES block would not filter them"
            )
    else:
        # bound to its example, a required parameter holds that term in every row
        given = {p.name: p.example for p in q.params if p.required}
        outcome = run_query(name, given, source=source)
        found = rows(source, name, **given)
        assert found, f"{name}: returns nothing for its example {given}"
        for p in given:
            assert {r[p] for r in found} == {str(outcome.bindings[p])}, (
                f"{name}: ?{p} is not the bound term in every row"
            )


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("trials-behind", "guidance", iris.COMMISSIONING),
        ("guidance-evidence", "guidance", iris.COMMISSIONING),
        ("post-dated-evidence", "guidance", iris.COMMISSIONING),
        ("provenance", "document", iris.UK2012),
        ("claims", "document", iris.VA2007),
    ],
)
def test_initbindings_and_values_block_agree(graph, name, param, value):
    """Embedded (initBindings) and endpoint (trailing VALUES) binding give the same rows."""
    text = all_library()[name].text
    term = URIRef(value)
    bound = {tuple(r) for r in graph.query(text, initBindings={param: term})}
    valued = {tuple(r) for r in graph.query(text + params.values_block({param: term}))}
    assert bound, f"{name}: no rows for {value}"
    assert bound == valued


@pytest.mark.parametrize("name", sorted(library.all_queries(QUERIES)))
def test_examples_run(source, name):
    """Each example of a query's header runs as written and shows an answer: its options
    are real, its parameters declared (the required ones given) and bound, a check finds
    nothing on the shipped data and every other query finds rows."""
    from evidencegraph.querying.render import FORMATS

    q = all_library()[name]
    declared = {p.name for p in q.params}
    required = {p.name for p in q.params if p.required}
    assert q.examples, f"{name}: add '# example: evidencegraph query {name} ...'"
    for ex in q.examples:
        argv = shlex.split(ex)[3:]
        values: dict[str, str] = {}
        fmt = "text"
        while argv:
            opt = argv.pop(0)
            if opt in ("--param", "-p"):
                k, _, v = argv.pop(0).partition("=")
                values[k] = v
            elif opt == "--format":
                fmt = argv.pop(0)
            else:
                pytest.fail(f"{name}: example {ex!r}: {opt} is not an option of query")
        assert set(values) <= declared, f"{name}: example {ex!r} sets an undeclared parameter"
        assert required <= set(values), f"{name}: example {ex!r} lacks {required - set(values)}"
        assert fmt in FORMATS, f"{name}: example {ex!r}: no format {fmt!r}"
        outcome = run_query(name, values, source=source)
        assert set(outcome.bindings) == set(values), f"{name}: {ex!r} bound {outcome.bindings}"
        shown = outcome.render(fmt)
        found = rows(source, name, **values)
        if name.startswith("checks/"):
            assert found == [], f"{name}: the shipped data break the check: {found[:3]}"
        else:
            assert found, f"{name}: example {ex!r} finds nothing on E4"
            assert shown.strip(), f"{name}: example {ex!r} prints nothing as {fmt}"


@pytest.mark.parametrize("name", checks())
def test_check_returns_no_rows_on_shipped_data(source, name):
    found = rows(source, name)
    assert not found, f"{name} found integrity problems: {found[:5]}"


PREFIXES = """
@prefix cito: <http://purl.org/spar/cito/> .
@prefix doc: <https://w3id.org/evidencegraph/id/doc/> .
@prefix eg: <https://w3id.org/evidencegraph/ontology#> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rec: <https://w3id.org/evidencegraph/id/rec/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
doc:a a eg:Trial ; rdfs:label "a" .
doc:b a eg:Trial ; rdfs:label "b" .
"""

# Seeded defects read best one per line, so this table may run past 100 columns.
# fmt: off
SEEDED = {
    "checks/listed-document-without-year-violation": "doc:a eg:listing <https://w3id.org/evidencegraph/id/listing/E4/a> .\n"
    '<https://w3id.org/evidencegraph/id/listing/E4/a> a eg:Listing ; rdfs:label "l" .',
    "checks/relation-without-provenance-violation": "doc:a eg:tempers doc:b .",
    "checks/cites-later-document-violation": 'doc:a fabio:hasPublicationYear "2000"^^xsd:gYear ; cito:citesAsEvidence doc:b .\n'
    'doc:b fabio:hasPublicationYear "2010"^^xsd:gYear .',
    "checks/restson-cycle-violation": "doc:a cito:citesAsEvidence doc:b . doc:b cito:usesDataFrom doc:a .",
    "checks/untyped-object-violation": "doc:a eg:similarTo doc:typo .",
    "checks/label-not-unique-violation": 'doc:c a eg:Trial ; rdfs:label "a" .',
    "checks/blank-node-violation": "doc:a eg:hasFinding [ a eg:Finding ] .",
    "checks/statement-without-triple-violation": '<https://w3id.org/evidencegraph/id/stmt/x> a rdf:Statement ; rdfs:label "s" ;'
    " rdf:subject doc:a ; rdf:predicate eg:tempers ; rdf:object doc:b .",
    "checks/recommendation-without-guidance-violation": 'rec:r a eg:Recommendation ; rdfs:label "r" .',
    "checks/key-finding-not-a-finding-of-its-document-violation": 'doc:a eg:keyFinding <https://w3id.org/evidencegraph/id/finding/f> .',
    "checks/summary-of-another-document-violation": 'doc:a eg:hasFinding <https://w3id.org/evidencegraph/id/finding/s> .\n'
    '<https://w3id.org/evidencegraph/id/finding/s> eg:summarises <https://w3id.org/evidencegraph/id/finding/d> .\n'
    'doc:b eg:hasFinding <https://w3id.org/evidencegraph/id/finding/d> .',
    "checks/laterthan-contradicts-years-violation": 'doc:a fabio:hasPublicationYear "2000"^^xsd:gYear ; eg:laterThan doc:b .\n'
    'doc:b fabio:hasPublicationYear "2010"^^xsd:gYear .',
}
# fmt: on


def test_every_check_has_a_seeded_defect():
    assert set(SEEDED) == set(checks()), "give each checks/*-violation.rq a seeded defect below"


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_check_catches_its_seeded_defect(tmp_path: Path, name):
    from evidencegraph.inference import infer
    from evidencegraph.loading import load

    good = tmp_path / "good.ttl"
    good.write_text(PREFIXES, encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + SEEDED[name] + "\n", encoding="utf-8")
    for path, expect_rows in ((good, False), (bad, True)):
        g = load([path])
        infer(g)
        found = rows(Source(graph=g), name)
        assert bool(found) is expect_rows, f"{name} on {path.name}: {found}"


def test_readme_is_current():
    readme = QUERIES / "README.md"
    assert readme.is_file() and readme.read_text(encoding="utf-8") == library.readme_text(
        QUERIES
    ), "queries/README.md is stale: run `evidencegraph list-queries --readme > queries/README.md`"


def test_queries_command_lists_library():
    proc = run_cli("list-queries")
    assert proc.returncode == 0, proc.stderr
    for name in NAMED:
        assert name in proc.stdout
    assert re.search(r"trials-behind.*\[guidance\]", proc.stdout)
    assert re.search(r"provenance.*\[document\?\]", proc.stdout)


# ---------------------------------------------------------------- one test per named query


def test_cited_by_nice(source):
    found = rows(source, "cited-by-nice")
    pairs = {(r["document"], r["guidance"]) for r in found}
    # The VA study "was the only study cited in NICE's clinical guidelines to directly
    # test" intensive referral; "Of the other studies cited by NICE ... a US trial" and
    # "a third US trial cited by NICE".
    assert {
        (iris.VA2007, iris.CLINICAL),
        (iris.THIRD_TRIAL, iris.CLINICAL),
        (iris.EXTENSIVE_TRIAL, iris.CLINICAL),
    } <= pairs
    assert column(found, "guidance") <= {
        iris.CLINICAL,
        iris.COMMISSIONING,
        iris.CLINICAL_FULL,
    }
    va = next(r for r in found if r["document"] == iris.VA2007)
    assert va["year"] == "2007"
    assert va["design"] == EG + "Trial"
    assert va["country"] == ID + "country/united-states"
    assert va["section"] == SECTION + "build-your-aftercare-system-on-mutual-aid"
    assert iris.UK2012 not in column(found, "document"), "the UK 2012 study came after NICE"


def test_guidance_evidence(source):
    found = rows(source, "guidance-evidence")
    commissioning, clinical, va = iris.COMMISSIONING, iris.CLINICAL, iris.VA2007
    how = {(r["guidance"], r["document"], r["relation"], r["basis"], r["via"]) for r in found}
    # NICE "took its lead from associated clinical guidelines": Findings' judgement
    assert (commissioning, clinical, EG + "takesLeadFrom", EG + "FindingsJudgement", None) in how
    # "Largely relying these findings": the guidance rests on the VA study by Findings'
    # judgement, and also through the clinical guidelines that cite it
    assert (commissioning, va, EG + "restsOn", EG + "FindingsJudgement", None) in how
    assert (commissioning, va, EG + "restsOn", EG + "ThroughOtherDocuments", clinical) in how
    # The other two US trials reach the commissioning guidance only via the clinical guidelines.
    for trial in (iris.THIRD_TRIAL, iris.EXTENSIVE_TRIAL):
        assert {(h[3], h[4]) for h in how if h[:2] == (commissioning, trial)} == {
            (EG + "ThroughOtherDocuments", clinical)
        }
    # "the only study cited in NICE's clinical guidelines": the guidelines' own citation
    assert (clinical, va, CITO + "citesAsEvidence", EG + "OwnCitation", None) in how
    va_row = next(r for r in found if r["document"] == va)
    assert (va_row["design"], va_row["year"]) == (EG + "Trial", "2007")
    guidance = next(r for r in found if r["document"] == clinical)
    assert (guidance["design"], guidance["year"]) == (EG + "Guidance", "2011")
    only = rows(source, "guidance-evidence", guidance=commissioning)
    assert column(only, "guidance") == {commissioning}
    assert {(r["document"], r["basis"]) for r in only} == {
        (h[1], h[3]) for h in how if h[0] == commissioning
    }


def test_trials_behind_commissioning_guidance(source):
    for value in (
        iris.COMMISSIONING,
        "Commissioning an alcohol",
        "doc:2011-nice-commissioning-alcohol-treatment-system",
    ):
        found = rows(source, "trials-behind", guidance=value)
        pairs = {(r["via"], r["study"]) for r in found}
        # Through the clinical guidelines to the three US trials they cite ...
        assert {
            (iris.CLINICAL, iris.VA2007),
            (iris.CLINICAL, iris.THIRD_TRIAL),
            (iris.CLINICAL, iris.EXTENSIVE_TRIAL),
        } <= pairs
        # ... and straight to the VA study it "largely relied" on.
        assert (iris.VA2007, iris.VA2007) in pairs
        assert column(found, "guidance") == {iris.COMMISSIONING}
        assert iris.UK2012 not in column(found, "study")
        assert iris.CLINICAL not in column(found, "study"), "guidance is not a primary study"
        assert all(r["design"] in {EG + "Trial", EG + "RandomisedTrial"} for r in found)


def test_trials_behind_requires_guidance(source):
    with pytest.raises(ParameterError, match="needs --param guidance"):
        run_query("trials-behind", {}, source=source)


def test_tempers(source):
    found = rows(source, "tempers")
    by_edge = {(r["source"], r["target"]): r for r in found}
    # "Not at the time available to NICE were the results of a British study ... which might
    # have tempered its enthusiasm for encouraging referral to 12-step groups."
    uk = by_edge[(iris.UK2012, iris.MUTUAL_AID_FOR_ALL)]
    assert (uk["sourceKind"], uk["targetKind"]) == ("document", "recommendation")
    assert uk["section"] == SECTION + "build-your-aftercare-system-on-mutual-aid"
    assert iris.COMMISSIONING in {
        r["recommendedBy"] for r in found if r["target"] == iris.MUTUAL_AID_FOR_ALL
    }
    # The US study of funder-constrained centres "suggests we should question" de-individualising
    # advice such as specifying session structure and duration.
    assert (iris.FUNDER_STUDY, iris.SESSION_STRUCTURE) in by_edge
    assert (
        by_edge[(iris.FUNDER_STUDY, iris.SESSION_STRUCTURE)]["section"]
        == SECTION + "where-should-i-start"
    )
    # The care-coordination "evidence black hole" is argued against by the page's claims.
    assert any(r["target"] == iris.CARE_COORDINATION and r["sourceKind"] == "claim" for r in found)
    assert all(r["section"] for r in found), "every tempers edge records its page section"
    assert iris.VA2007 not in column(found, "source")


def test_post_dated_evidence(source):
    found = rows(source, "post-dated-evidence", guidance="Commissioning an alcohol")
    assert column(found, "guidance") == {iris.COMMISSIONING}
    evidence = column(found, "evidence")
    # "evidence not available to NICE at the time": the UK 2012 study and the 2014 synthesis.
    assert {iris.UK2012, iris.SYN2014} <= evidence
    uk = {(r["bearsOn"], r["basis"]) for r in found if r["evidence"] == iris.UK2012}
    assert (iris.MUTUAL_AID_FOR_ALL, EG + "LaterYear") in uk
    assert (iris.COMMISSIONING, EG + "NotAvailableSaysThePage") in uk
    # the later review of 12-step programmes gives no year, but the page says it came after
    # the 2014 synthesis and was not available to NICE
    later = {r["basis"] for r in found if r["evidence"] == iris.LATER_REVIEW}
    assert later == {EG + "LaterSaysThePage", EG + "NotAvailableSaysThePage"}
    syn = next(r for r in found if r["evidence"] == iris.SYN2014)
    assert (syn["evidenceYear"], syn["guidanceYear"]) == ("2014", "2011")
    # Evidence NICE did have (the VA study, its own clinical guidelines) is not post-dated.
    assert not evidence & {iris.VA2007, iris.CLINICAL, iris.THIRD_TRIAL, iris.EXTENSIVE_TRIAL}
    for r in found:
        if r["basis"] == EG + "LaterYear":
            assert int(r["evidenceYear"]) > int(r["guidanceYear"])
    everything = rows(source, "post-dated-evidence")
    assert {(r["guidance"], r["evidence"]) for r in found} <= {
        (r["guidance"], r["evidence"]) for r in everything
    }


def test_unsupported_recommendations(source):
    found = rows(source, "unsupported-recommendations")
    recs = column(found, "recommendation")
    # "Care coordination should be part of the routine care of all service users ... for this
    # core function, the guidelines offer no evidence at all."
    assert iris.CARE_COORDINATION in recs
    care_guidance = {r["guidance"] for r in found if r["recommendation"] == iris.CARE_COORDINATION}
    assert iris.COMMISSIONING in care_guidance
    # "the similar but more active and specialised case management role ... is supported by at
    # least some research evidence"
    assert iris.CASE_MANAGEMENT not in recs
    care = next(r for r in found if r["recommendation"] == iris.CARE_COORDINATION)
    assert care["section"] == SECTION + "so-fundamental-it-needs-no-evidence"
    assert "no evidence" in care["basis"]


def test_provenance_for_one_document(source):
    found = rows(source, "provenance", document="In UK active referral")
    assert column(found, "document") == {iris.UK2012}
    assert all(iris.UK2012 in (r["subject"], r["object"]) for r in found)
    edges = {(r["subject"], r["predicate"], r["object"], r["section"]) for r in found}
    aftercare = SECTION + "build-your-aftercare-system-on-mutual-aid"
    assert (iris.UK2012, EG + "tempers", iris.MUTUAL_AID_FOR_ALL, aftercare) in edges
    assert (iris.UK2012, EG + "unavailableTo", iris.COMMISSIONING, aftercare) in edges
    # As an object: the seminal 1981 trial names it as a similar contemporary trial.
    assert (iris.S1981, EG + "similarTo", iris.UK2012, SECTION + "listing") in edges
    assert {r["role"] for r in found} == {"subject", "object"}
    assert column(found, "attributedTo") == {iris.FINDINGS}


def test_provenance_lists_every_statement(source, graph):
    found = rows(source, "provenance")
    statements = {
        str(s)
        for s in graph.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"),
        )
    }
    assert column(found, "statement") == statements
    assert all(r["section"] and r["section"].startswith(SECTION) for r in found)
    # the NICE commissioning guidance "largely relied" on the VA study: a Findings judgement
    assert (iris.COMMISSIONING, EG + "restsOn", iris.VA2007) in {
        (r["subject"], r["predicate"], r["object"]) for r in found
    }


def test_curation_gaps(source, graph):
    found = rows(source, "curation-gaps")
    docs = [r["document"] for r in found]
    pairs = [(r["document"], r["missing"]) for r in found]
    assert len(pairs) == len(set(pairs)), "one row per document and missing field"
    missing: dict[str, set[str]] = {}
    for doc, field_ in pairs:
        missing.setdefault(doc, set()).add(field_)
    # The page gives no year for the three coerced-AA trials, the later 12-step review, ...
    for n in (1, 2, 3):
        assert "year" in missing[DOC + f"nd-coerced-aa-attendance-trial-{n}"]
    assert "year" in missing[iris.LATER_REVIEW]
    # ... gives the year (2011) but no title for NICE's clinical guidelines ...
    assert missing[iris.CLINICAL] == {"title", "identifier"}
    # ... and the real title of the "McDonaldization" article.
    assert missing[DOC + "nd-what-do-hamburgers-and-drug-care-have-in-common"] == {
        "year",
        "identifier",
    }
    # Listed documents are not "referenced documents".
    assert not {iris.S1981, iris.UK2012, iris.VA2007, iris.SYN2014, iris.COMMISSIONING} & set(docs)
    assert all(r["section"] for r in found)


def test_similar_studies(source):
    found = rows(source, "similar-studies")
    pairs = {(r["study"], r["similar"]) for r in found}
    # "Similar contemporary trials from the UK and USA below"; "similar US study below".
    for a, b in ((iris.S1981, iris.UK2012), (iris.S1981, iris.VA2007), (iris.UK2012, iris.VA2007)):
        assert (a, b) in pairs and (b, a) in pairs
    years = {(r["studyYear"], r["similarYear"]) for r in found}
    assert {("1981", "2012"), ("2012", "2007"), ("2007", "1981")} <= years
    assert all(r["section"] == SECTION + "listing" for r in found)


def test_claims(source, graph):
    va = rows(source, "claims", document=iris.VA2007)
    assert column(va, "document") == {iris.VA2007}
    claims = column(va, "claim")
    # Supplementary text: "impacts ... were modest: another 10% ... abstinent".
    assert ID + "claim/va-study-impacts-were-modest" in claims
    # "much has been built on a US study listed above"
    assert ID + "claim/case-for-12-step-referral-rests-on-the-va-study" in claims
    assert all(r["text"] for r in va)

    everything = rows(source, "claims")
    kinds = Counter(r["kind"] for r in {r["claim"]: r for r in everything}.values())
    assert kinds["recommendation"] >= 5 and kinds["discussion prompt"] >= 3 and kinds["claim"] >= 15
    # Every claim and prompt of the page appears when no document is given.
    listed = {
        str(s)
        for cls in ("Claim", "DiscussionPrompt")
        for s in graph.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(EG + cls)
        )
    }
    assert column(everything, "claim") == listed
    prompts = {r["claim"] for r in everything if r["kind"] == "discussion prompt"}
    assert ID + "prompt/can-care-coordination-be-mandatory-without-trials" in prompts
    care = rows(source, "claims", document=iris.COMMISSIONING)
    assert iris.CARE_COORDINATION in {r["claim"] for r in care if r["link"] == "it recommends this"}


def _num(value: str | None) -> float | None:
    return None if value is None else float(value)


def test_findings(source):
    found = rows(source, "findings")
    counts = {_num(r["count"]) for r in found}
    percentages = {_num(r["percentage"]) for r in found}
    # "of the 73,556 drinkers ... just 19% were prescribed ... in primary care ... 47%"
    assert 73556 in counts and {19, 47} <= percentages
    stats = DOC + "nd-alcohol-treatment-statistics-england-2018-19"
    assert {r["period"] for r in found if r["of"] == stats} == {"2018/19"}
    # VA study: "51% v. 41%", "another 10%", "three sessions of intensive referral"
    va = [r for r in found if r["of"] == iris.VA2007]
    assert {_num(r["percentage"]) for r in va} >= {51, 41, 10}
    assert 3 in {_num(r["count"]) for r in va}
    # 1981 trial: "just 20 participants"; none went vs all did
    seminal = [r for r in found if r["of"] == iris.S1981]
    assert 20 in {_num(r["count"]) for r in seminal}
    assert {_num(r["percentage"]) for r in seminal} >= {0, 100}
    # SMART Recovery "at six sites in England"
    smart = DOC + "2010-promoting-smart-mutual-aid"
    assert 6 in {_num(r["count"]) for r in found if r["of"] == smart}
    # "For about 1 in 5 of the patients alcohol was their primary substance"
    about = [r for r in found if r["of"] == DOC + "2001-determining-who-needs-residential-care"]
    assert any(_num(r["proportion"]) == 0.2 and r["approximate"] == "true" for r in about)
    # "five minutes of highly directive advice" vs "an extended one-hour session"
    # (as minutes: the build derives them from the xsd:duration the data holds)
    assert {_num(r["minutes"]) for r in found if r["of"] == iris.THIRD_TRIAL} == {5, 60}
    # session lengths and spans are the recommendation's parameters, not findings
    params_ = [r for r in found if r["kind"] == "recommendation parameter"]
    assert column(params_, "of") == {iris.SESSION_PATTERNS}
    assert 8 in {_num(r["count"]) for r in params_}
    assert {50, 60, 12 * 7 * 24 * 60} <= {_num(r["minutes"]) for r in params_}


def test_cells(source):
    found = rows(source, "cells")
    notations = column(found, "notation")
    # "discussion in cell D2"; "Discussed in cell E3"; "introduced in cell A4"; "cell A2"
    assert {"A2", "A4", "D2", "E3"} <= notations
    assert "E4" not in notations
    items = {(r["notation"], r["item"]) for r in found}
    assert ("D2", DOC + "2011-what-promotes-longer-term-care-and-aftercare") in items
    # "Discussed in cell E3, siting case managers at detoxification services has been (2006)
    # one successful transition tactic": the 2006 study is what E3 discusses.
    assert ("E3", DOC + "2006-case-managers-at-detoxification-services") in items
    assert all(r["section"] for r in found if r["relation"] == "discussed in")


def test_documents(source):
    found = rows(source, "documents")
    listed = [r for r in found if r["role"] is not None]
    # 16 listed documents: 1 seminal, 6 key studies, 5 reviews, 4 guidance
    assert len(listed) == 16
    assert Counter(r["role"] for r in listed) == {"S": 1, "K": 6, "R": 5, "G": 4}
    assert {r["cell"] for r in listed} == {"E4"}
    assert sorted(int(r["order"]) for r in listed) == list(range(1, 17))
    first = listed[0]
    assert (first["document"], first["role"], first["year"]) == (iris.S1981, "S", "1981")
    assert first["design"] == EG + "RandomisedTrial", "the page says the 1981 trial was randomised"
    assert all(r["year"] for r in listed), "every listed document has its year"
    guidance = {r["document"] for r in listed if r["role"] == "G"}
    assert guidance == {
        iris.COMMISSIONING,
        DOC + "2006-setting-up-a-local-treatment-system",
        DOC + "2008-organising-integrated-and-holistic-care",
        iris.SAMHSA1998,
    }
    assert iris.CLINICAL in column(found, "document"), "referenced documents are included too"
    assert found[:16] == listed, "listed documents come first, in page order"


# ---------------------------------------------------------------- CLI behaviour


def test_cli_label_fragment_resolves():
    proc = run_cli(
        "query", "trials-behind", "--param", "guidance=Commissioning an alcohol", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    vias = {(b["via"]["value"], b["study"]["value"]) for b in data["results"]["bindings"]}
    assert (iris.CLINICAL, iris.VA2007) in vias


def test_cli_ambiguous_fragment_exits_2_with_candidates():
    proc = run_cli("query", "trials-behind", "--param", "guidance=NICE")
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "matches" in err and iris.CLINICAL in err
    assert "Full version of NICE" in err


def test_cli_unknown_fragment_exits_2():
    proc = run_cli("query", "trials-behind", "--param", "guidance=no such guidance anywhere")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "no" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_unknown_query_suggests_close_names():
    proc = run_cli("query", "cited-by-nic")
    assert proc.returncode == 2
    assert "cited-by-nice" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_unknown_parameter_exits_2():
    proc = run_cli("query", "tempers", "--param", "guidance=x")
    assert proc.returncode == 2
    assert "no parameter" in proc.stderr


def test_cli_injection_is_data():
    proc = run_cli("query", "trials-behind", "--param", 'guidance=x" } ; DROP ALL ; #')
    # a label fragment, looked up as data: no guidance has it in its label
    err = one_line_error(proc)
    assert "no eg:Guidance node has a label containing it" in err
    # the store was not touched: the next run still sees the data
    again = run_cli("query", "trials-behind", "--param", f"guidance=<{iris.COMMISSIONING}>")
    assert again.returncode == 0, again.stderr
    assert "In USA post-treatment substance use reduced" in again.stdout


def _skeleton(node):
    """The parsed query with every RDF term replaced by its kind: the query's structure."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    if isinstance(node, CompValue):
        return (node.name, tuple((k, _skeleton(v)) for k, v in dict.items(node)))
    if isinstance(node, Node):
        return type(node).__name__
    if isinstance(node, str):
        return "str"
    if isinstance(node, list | tuple) or (hasattr(node, "asList") and not isinstance(node, str)):
        return tuple(_skeleton(x) for x in node)
    return type(node).__name__


@pytest.mark.parametrize(
    ("benign", "hostile"),
    [
        (Literal("Commissioning"), Literal('x" } ; DROP ALL ; #')),
        (Literal("Commissioning"), Literal('x\\" } ; DROP ALL ; #\n} INSERT DATA { <a> <b> <c> }')),
        (Literal("Commissioning", lang="en"), Literal("x'''\"\"\" } ; DROP ALL ; #", lang="en")),
        (
            Literal("2011", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
            Literal(
                '2011" } ; DROP ALL ; #', datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")
            ),
        ),
        (URIRef(iris.COMMISSIONING), URIRef(iris.COMMISSIONING + "?q=%3E%20DROP")),
    ],
)
def test_values_block_keeps_query_structure(benign, hostile):
    from rdflib.plugins.sparql.parser import parseQuery

    text = all_library()["trials-behind"].text
    a = parseQuery(text + params.values_block({"guidance": benign}))
    b = parseQuery(text + params.values_block({"guidance": hostile}))
    assert _skeleton(a) == _skeleton(b)
    assert str(hostile) in {str(t) for t in _terms(b)}, "the hostile value is one term, as data"


def _terms(node) -> list:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    if isinstance(node, Node):
        return [node]
    if isinstance(node, CompValue):
        return [t for v in dict.values(node) for t in _terms(v)]
    if isinstance(node, list | tuple) or (hasattr(node, "asList") and not isinstance(node, str)):
        return [t for x in node for t in _terms(x)]
    return []


@pytest.mark.parametrize(
    "hostile",
    [
        URIRef(iris.COMMISSIONING + "> } ; DROP ALL ; #"),
        URIRef("http://x/a b"),
        Literal("2011", datatype=URIRef("http://x/y> } ; DROP ALL ; #")),
        Literal("2011", datatype=URIRef('http://x/"y')),
    ],
)
def test_values_block_rejects_bad_iris(hostile):
    with pytest.raises(ParameterError):
        params.values_block({"guidance": hostile})


@pytest.mark.parametrize(
    "raw",
    [
        '"2011"^^<http://x/y> } ; DROP ALL ; #>',
        "<http://x/a> } DROP ALL #>",
        '"x"^^nosuchprefix:thing',
    ],
)
def test_parse_term_rejects_hostile_terms(raw):
    with pytest.raises(ParameterError):
        params.parse_term(raw)


def test_update_as_query_file_is_refused(tmp_path: Path):
    f = tmp_path / "evil.rq"
    f.write_text("# title: evil\nDROP ALL\n", encoding="utf-8")
    proc = run_cli("query", str(f))
    assert proc.returncode == 2 and "read-only" in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "csv", "tsv", "json", "md"])
def test_output_formats(fmt):
    proc = run_cli("query", "similar-studies", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    head = ["study", "studyYear", "similar", "similarYear", "section"]
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == head
        bindings = data["results"]["bindings"]
        assert len(bindings) == 6
        assert bindings[0]["study"]["type"] == "uri"
        years = {b["studyYear"]["value"] for b in bindings}
        assert years == {"1981", "2007", "2012"}
        assert {b["studyYear"]["datatype"] for b in bindings} == {
            "http://www.w3.org/2001/XMLSchema#gYear"
        }
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(out)))
        assert table[0] == head and len(table) == 7
        assert iris.S1981 in {r[0] for r in table[1:]}
    elif fmt == "tsv":
        lines = out.strip().splitlines()
        assert lines[0].split("\t") == [f"?{h}" for h in head] and len(lines) == 7
        assert f"<{iris.S1981}>" in out
    elif fmt == "md":
        lines = out.strip().splitlines()
        assert lines[0] == "| " + " | ".join(head) + " |" and len(lines) == 8
        assert "Systematic facilitation transforms zero mutual aid group attendance" in out
    else:
        assert "(6 rows)" in out
        assert "Systematic facilitation transforms zero mutual aid" in out, "labels, not IRIs"
        assert "https://w3id.org" not in out


@pytest.mark.parametrize("name", ["../pyproject", "checks/../cells", "/etc/passwd", "cells.rq/x"])
def test_query_names_never_reach_outside_the_library(name):
    """A name is looked up as ``queries/NAME.rq`` only when it is a plain library name."""
    with pytest.raises(QueryError, match=r"unknown query|no such query file"):
        library.find(name)


def test_find_reads_a_check_by_its_library_name():
    nq, user_file = library.find("checks/restson-cycle-violation")
    assert not user_file and nq.path == QUERIES / "checks" / "restson-cycle-violation.rq"
    assert nq.title, "the header block was read"


def test_values_go_into_every_marked_union_branch():
    text = (
        "SELECT ?n ?x WHERE {\n  {\n    # values ?n\n    ?n <urn:p> ?x .\n  } UNION {\n"
        "    # values ?n\n    ?n <urn:q> ?x .\n  }\n}"
    )
    out = params.values_in_where(text, "n", [URIRef("urn:a"), URIRef("urn:b")])
    assert out.count("VALUES ?n { <urn:a> <urn:b> }") == 2
    assert "# values" not in out
    # a marker for another variable is left alone, and no marker means first in WHERE
    assert "# values ?n" in params.values_in_where(text, "m", [URIRef("urn:a")])
    plain = params.values_in_where("SELECT * WHERE { ?n ?p ?o }", "n", [URIRef("urn:a")])
    assert plain.startswith("SELECT * WHERE { VALUES ?n { <urn:a> } ")


def test_marked_values_answer_like_a_top_level_values(graph):
    """The markers change where Oxigraph joins the block, never the answer."""
    from evidencegraph.resources import internal_query

    nodes = [URIRef(iris.S1981), URIRef(iris.UK2012), URIRef(iris.SYN2014)]
    marked = internal_query("trace-details")
    unmarked = "\n".join(ln for ln in marked.splitlines() if ln.strip() != "# values ?node")
    src = Source(graph=graph)
    a = {tuple(map(str, r)) for r in src.run(params.values_in_where(marked, "node", nodes))}
    b = {tuple(map(str, r)) for r in src.run(params.values_in_where(unmarked, "node", nodes))}
    assert a == b and len(a) > 10
    assert (iris.S1981, "label") in {t[:2] for t in a}


def test_provenance_check_finds_an_unstated_rests_on_but_not_a_chain(tmp_path: Path) -> None:
    """The eg:restsOn branch: a stated "largely relied on" needs its statement; a citation
    and the closure of a chain do not."""
    from evidencegraph.inference import infer
    from evidencegraph.loading import load

    name = "checks/relation-without-provenance-violation"
    cases = {
        "unstated": ("doc:a eg:restsOn doc:b .", True),
        "chain": (
            'doc:c a eg:Trial ; rdfs:label "c" .\n'
            "doc:a cito:citesAsEvidence doc:b . doc:b cito:citesAsEvidence doc:c .\n"
            + "\n".join(
                f"<https://w3id.org/evidencegraph/id/stmt/{s}{o}> a rdf:Statement ; "
                f'rdfs:label "{s}{o}" ; rdf:subject doc:{s} ; rdf:predicate cito:citesAsEvidence ;'
                f" rdf:object doc:{o} ; <http://www.w3.org/ns/prov#wasDerivedFrom> doc:a ."
                for s, o in (("a", "b"), ("b", "c"))
            ),
            False,
        ),
    }
    for kind, (extra, expect_rows) in cases.items():
        path = tmp_path / f"{kind}.ttl"
        path.write_text(PREFIXES + extra + "\n", encoding="utf-8")
        g = load([path])
        infer(g)
        found = rows(Source(graph=g), name)
        assert bool(found) is expect_rows, (kind, found)
        if expect_rows:
            assert {(r["subject"], r["predicate"]) for r in found} == {(DOC + "a", EG + "restsOn")}
