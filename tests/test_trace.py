"""trace: the reviewer's view, written from the page (cell E4)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from conftest import require_tool, run_cli, run_cli_in_process
from iris import (
    CLINICAL,
    COMMISSIONING,
    DOC,
    EXTENSIVE_TRIAL,
    FUNDER_STUDY,
    ID,
    LATER_REVIEW,
    MUTUAL_AID_FOR_ALL,
    REVIEW2019,
    SAMHSA1998,
    SESSION_STRUCTURE,
    THIRD_TRIAL,
    UK2012,
    VA2007,
)

pytestmark = pytest.mark.core


def _trace_json(*args: str) -> dict:
    return json.loads(_trace_stdout(args))


@functools.cache
def _trace_stdout(args: tuple[str, ...]) -> str:
    """What ``trace --format json`` prints for a target, once (several tests read it);
    the command runs in process, as the golden tests hold it to the console script."""
    proc = run_cli_in_process("trace", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def test_commissioning_guidance_reaches_va_study_through_clinical_guidelines() -> None:
    # Page: NICE "took its lead from associated clinical guidelines"; the VA study
    # "was the only study cited in NICE's clinical guidelines to directly test" it.
    data = _trace_json("Commissioning an alcohol")
    assert data["root"] == COMMISSIONING
    chains = [[h["target"] for h in p] for p in data["paths"]]
    assert [CLINICAL, VA2007] in chains
    # ...and "Largely relying these findings" the guidance rests on the VA study directly.
    assert [VA2007] in chains


def test_trace_names_who_asserts_each_hop() -> None:
    data = _trace_json(COMMISSIONING)
    hops = {(h["source"], h["target"]): h for p in data["paths"] for h in p}
    # "cited in NICE's clinical guidelines": the guidelines' own citation
    assert hops[(CLINICAL, VA2007)]["basis_labels"] == ["the document's own citation"]
    assert hops[(CLINICAL, VA2007)]["relation_labels"] == ["cites as evidence"]
    # "Largely relying these findings": Findings' judgement, not a citation by the guidance
    assert hops[(COMMISSIONING, VA2007)]["basis_labels"] == ["Findings' judgement"]
    assert hops[(COMMISSIONING, VA2007)]["relation_labels"] == ["rests on"]
    assert hops[(CLINICAL, VA2007)]["sections"]


def test_trace_reaches_the_other_us_trials_cited_by_nice() -> None:
    # "Of the other studies cited by NICE ... a US trial ... In a third US trial cited by NICE"
    data = _trace_json(COMMISSIONING)
    ends = {p[-1]["target"] for p in data["paths"]}
    labels = {iri: data["nodes"][iri]["label"].lower() for iri in ends}
    assert VA2007 in ends
    assert sum("us trial" in lab or "third" in lab for lab in labels.values()) >= 2, labels


def _bearers(rec: dict, relation: str) -> set[str]:
    return {b["evidence"] for b in rec["bearers"] if b["relation_label"] == relation}


def test_recommendations_show_support_tempering_post_dating_and_no_evidence() -> None:
    data = _trace_json(COMMISSIONING)
    recs = {r["label"].lower(): r for r in data["recommendations"]}
    care = next(r for k, r in recs.items() if "care coordination" in k)
    assert care["lacks_evidence"] is True  # "the guidelines offer no evidence at all"
    mutual = next(r for k, r in recs.items() if "mutual aid" in k and "all" in k)
    assert UK2012 in _bearers(mutual, "tempers")  # "might have tempered"
    uk = next(b for b in mutual["bearers"] if b["evidence"] == UK2012)
    # "Not at the time available to NICE", and published after it
    assert set(uk["after_the_guidance"]) == {
        "not available to it, says the page",
        "published in a later year",
    }
    # "AA may help drinkers who remain untreated" bears on the support-groups recommendation
    # without supporting or tempering it
    groups = next(r for k, r in recs.items() if "support new mutual aid groups" in k)
    assert ID + "claim/aa-may-help-untreated-drinkers" in _bearers(groups, "bears on")
    # the commissioning guidance's case management (support or transport to meetings) has no
    # evidence recorded; the role "recommended only for harder-to-hold and more complex cases"
    # is the clinical guidelines', supported by "at least some research evidence"
    case = next(r for k, r in recs.items() if "case management" in k)
    assert case["lacks_evidence"] is False and not case["bearers"]
    clinical = _trace_json(CLINICAL)
    role = next(r for r in clinical["recommendations"] if "harder-to-hold" in r["label"])
    assert role["lacks_evidence"] is False
    assert {
        SAMHSA1998,
        REVIEW2019,
        CLINICAL,
    } == _bearers(role, "supports") - {ID + "claim/case-management-has-some-research-support"}


def test_evidence_not_available_to_nice_is_in_the_trace() -> None:
    # "continue reading the main text for further evidence not available to NICE at the time":
    # the British study, the 2014 synthesis and, in the same section, Findings' commentaries
    # and the later review of 12-step programmes.
    data = _trace_json(COMMISSIONING)
    unavailable = {
        x["evidence"]
        for x in data["evidence"]
        if x["relation_label"] == "not available to" and x["target"] == COMMISSIONING
    }
    assert unavailable == {
        UK2012,
        DOC + "2014-attending-aa-after-treatment-synthesis",
        LATER_REVIEW,
        DOC + "nd-findings-commentary-on-uk-active-referral-study",
        DOC + "nd-findings-commentary-on-aa-synthesis",
    }
    text = run_cli("trace", COMMISSIONING).stdout
    for label in ("Later review of 12-step programmes", "Attending AA meetings after treatment"):
        assert label in text


def test_trials_show_their_headline_result() -> None:
    # "What did that trial find?": every trial on the way shows the page's headline result
    data = _trace_json(COMMISSIONING)
    found = {
        iri: n["key_finding"]
        for iri, n in data["nodes"].items()
        if iri in {h["target"] for p in data["paths"] for h in p}
    }
    assert found[VA2007].endswith("modestly improved substance use outcomes")
    third = THIRD_TRIAL
    assert "made no overall difference to drinking" in found[third]
    assert "set on attending AA drank less" in found[third]
    extensive = EXTENSIVE_TRIAL
    assert found[extensive].startswith("More extensive encouragement to attend AA did somewhat")
    assert "unaffected" in found[extensive]


def test_text_tree_output() -> None:
    proc = run_cli("trace", "Commissioning an alcohol")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.splitlines()[0].startswith(
        "Commissioning an alcohol intervention and treatment system"
    )
    assert "└── " in out and "cites as evidence" in out and "Recommendations:" in out
    assert "rests on no evidence" in out


def test_reverse_from_the_va_study_reaches_both_nice_documents() -> None:
    data = _trace_json("--reverse", VA2007)
    ends = {h["target"] for p in data["paths"] for h in p}
    assert {COMMISSIONING, CLINICAL} <= ends


def test_reverse_from_the_uk_study_names_what_it_tempers() -> None:
    # "Not at the time available to NICE were the results of a British study ... which might
    # have tempered its enthusiasm": nothing rests on it, but it bears on NICE's guidance.
    data = _trace_json("--reverse", "In UK active referral significantly")
    assert data["paths"] == []
    got = {(x["guidance"], x["relation_label"], x["target"]) for x in data["evidence"]}
    assert (COMMISSIONING, "tempers", MUTUAL_AID_FOR_ALL) in got
    assert (COMMISSIONING, "not available to", COMMISSIONING) in got
    text = run_cli("trace", "--reverse", UK2012).stdout
    assert "(nothing rests on it)" in text and "In the evidence set of" in text
    assert "tempers “Encourage and arrange support" in text


def test_hedged_relations_carry_the_pages_own_words() -> None:
    """Page line 211: the UK study "might have tempered its enthusiasm" (not: tempers);
    line 175: the case-management role "is supported by at least some research evidence".
    The hedge travels with the relation in every view of the trace; unhedged ones say
    nothing extra."""
    tempered = "(the page: “might have tempered its enthusiasm”)"
    some = "(the page: “supported by at least some research evidence”)"
    forward = run_cli("trace", COMMISSIONING).stdout
    (uk,) = [
        ln for ln in forward.splitlines() if "In UK active referral" in ln and "tempers it" in ln
    ]
    assert f"tempers it {tempered} [" in uk
    assert forward.count("(the page: ") == 1  # the VA trial's "supports it" has no hedge
    reverse = run_cli("trace", "--reverse", UK2012).stdout
    rec = "Encourage and arrange support to attend mutual aid groups for all help-seekers"
    assert f"tempers “{rec}” {tempered}" in reverse
    clinical = run_cli("trace", CLINICAL).stdout
    hedged = [ln for ln in clinical.splitlines() if some in ln]
    assert len(hedged) == 3 and all("supports it" in ln for ln in hedged)
    data = _trace_json(COMMISSIONING)
    words = {
        (x["evidence"], x["relation_label"]): x["page_words"]
        for r in data["recommendations"]
        for x in r["bearers"]
    }
    assert words[UK2012, "tempers"] == "might have tempered its enthusiasm"
    assert words[VA2007, "supports"] is None


def test_reverse_of_case_management_and_funder_studies_names_their_recommendations() -> None:
    review = _trace_json("--reverse", REVIEW2019)
    assert {(x["guidance"], x["relation_label"]) for x in review["evidence"]} == {
        (CLINICAL, "supports")
    }
    funder = _trace_json("--reverse", FUNDER_STUDY)
    targets = {x["target"] for x in funder["evidence"] if x["relation_label"] == "tempers"}
    assert SESSION_STRUCTURE in targets
    commentary = _trace_json("--reverse", DOC + "nd-findings-commentary-on-aa-synthesis")
    got = {(x["relation_label"], x["target"]) for x in commentary["evidence"]}
    assert ("tempers", MUTUAL_AID_FOR_ALL) in got and ("not available to", COMMISSIONING) in got


def test_markdown_and_dot_formats(tmp_path: Path) -> None:
    md = run_cli("trace", COMMISSIONING, "--format", "md")
    assert md.returncode == 0 and md.stdout.startswith("# Trace: ")
    dot = run_cli("trace", COMMISSIONING, "--format", "dot")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph trace {")
    exe = require_tool("dot")
    import subprocess

    f = tmp_path / "t.dot"
    f.write_text(dot.stdout)
    svg = subprocess.run([exe, "-Tsvg", str(f)], capture_output=True, text=True, timeout=60)
    assert svg.returncode == 0 and "<svg" in svg.stdout


def test_ambiguous_and_unknown_targets_exit_2() -> None:
    proc = run_cli("trace", "NICE")
    assert proc.returncode == 2 and "matches" in proc.stderr and "<https://" in proc.stderr
    proc = run_cli("trace", "no such guidance at all")
    assert proc.returncode == 2 and "no eg:Guidance" in proc.stderr
    proc = run_cli("trace", "doc:2099-not-there")
    assert proc.returncode == 2 and "not in the graph" in proc.stderr


def _built(turtle: str) -> str:
    """The build rules applied to ``turtle`` (and the ontology), as N-Triples: a built graph
    that validation would refuse (it is cyclic), for what trace does with one."""
    from evidencegraph import engine, inference, paths

    g = engine.new_graph("oxigraph")
    engine.parse_file(g, paths.ONTOLOGY_FILE)
    from rdflib import Graph

    extra = Graph().parse(data=turtle, format="turtle")
    engine.add_triples(g, extra)
    inference.infer(g)
    return engine.to_ntriples(g)


def test_dense_cyclic_graph_is_truncated_not_hung(tmp_path: Path) -> None:
    """A complete graph of 12 guidance nodes: the path cap fires and is reported."""
    lines = [
        "@prefix eg: <https://w3id.org/evidencegraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    for i in range(12):
        lines.append(f'<urn:g{i}> a eg:Guidance ; rdfs:label "Guidance {i:02d}" .')
        for j in range(12):
            if i != j:
                lines.append(f"<urn:g{i}> eg:takesLeadFrom <urn:g{j}> .")
    f = tmp_path / "dense.nt"
    f.write_text(_built("\n".join(lines) + "\n"))
    proc = run_cli(
        "trace",
        "<urn:g0>",
        "--graph-file",
        str(f),
        "--max-paths",
        "200",
        "--format",
        "json",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["paths"]) == 200
    assert data["truncated"] == "truncated at 200 paths (raise --max-paths to see more)"
    assert "truncated at 200 paths" in proc.stderr
    proc = run_cli("trace", "<urn:g0>", "--graph-file", str(f), "--max-depth", "2", timeout=60)
    assert proc.returncode == 0 and "depth cutoff 2" in proc.stdout
