"""One evidence model, four views: they hold the same facts.

For every guidance and every document, the set of (guidance, document or claim,
relation, basis) facts, and the post-datings, read from

- ``trace`` (forward from each guidance, ``--reverse`` from each document) as JSON,
- the evidence map's CSV,
- ``graph.html``'s embedded data,
- the ``evidence-set`` and ``post-dated-evidence`` named queries,

must be the same. None of them computes these facts; the build does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import read_sparql, require_tool, run_cli
from evidencegraph import tracing, viz
from evidencegraph.querying import open_source, run_query

pytestmark = pytest.mark.core

Fact = tuple[str, str, str, str]  # guidance, evidence, relation, basis


@pytest.fixture(scope="module")
def source():
    return open_source()


@pytest.fixture(scope="module")
def queried(source) -> tuple[set[Fact], set[tuple[str, str, str]]]:
    facts = {
        (str(r.guidance), str(r.evidence), str(r.relation), str(r.basis))
        for r in run_query("evidence-set", source=source).result
    }
    later = {
        (str(r.guidance), str(r.evidence), str(r.basis))
        for r in run_query("post-dated-evidence", source=source).result
    }
    return facts, later


@pytest.fixture(scope="module")
def labels(source) -> dict[str, str]:
    """Ontology label -> term IRI, to read the map's words back."""
    rows = source.run(read_sparql("sparql/term-labels"))
    return {str(label): str(t) for t, label in rows}


@pytest.fixture(scope="module")
def viz_out(tmp_path_factory, source) -> Path:
    require_tool("dot")
    out = tmp_path_factory.mktemp("consistency")
    viz.visualise(out, source=source)
    return out


def test_e4_has_an_evidence_model(queried) -> None:
    facts, later = queried
    assert len(facts) > 50 and len(later) > 5


def test_trace_forward_and_reverse_hold_the_same_facts(source, queried) -> None:
    facts, later = queried
    guidance = {f[0] for f in facts}
    documents = {str(r.document) for r in run_query("documents", source=source).result} | {
        f[1] for f in facts
    }
    forward: set[Fact] = set()
    forward_later: set[tuple[str, str, str]] = set()
    for g in sorted(guidance):
        data = json.loads(tracing.RENDERERS["json"](tracing.trace(g, source=source)))
        forward |= {
            (x["guidance"], x["evidence"], x["relation"], x["basis"]) for x in data["evidence"]
        }
        forward_later |= {(p["guidance"], p["evidence"], p["basis"]) for p in data["post_dating"]}
    assert forward == facts
    assert forward_later == later
    reverse: set[Fact] = set()
    for d in sorted(documents):
        data = json.loads(tracing.RENDERERS["json"](tracing.trace(d, reverse=True, source=source)))
        assert all(x["evidence"] == d for x in data["evidence"])
        reverse |= {
            (x["guidance"], x["evidence"], x["relation"], x["basis"]) for x in data["evidence"]
        }
    assert reverse == {f for f in facts if f[1] in documents}


def test_the_cli_prints_the_same_trace(source, queried) -> None:
    facts, _ = queried
    g = "https://w3id.org/evidencegraph/id/doc/2011-nice-commissioning-alcohol-treatment-system"
    proc = run_cli("trace", g, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    got = {(x["guidance"], x["evidence"], x["relation"], x["basis"]) for x in data["evidence"]}
    assert got == {f for f in facts if f[0] == g}


def test_evidence_map_csv_holds_the_same_facts(viz_out, queried, labels) -> None:
    facts, later = queried
    rows = list(csv.reader(io.StringIO((viz_out / "evidence-map.csv").read_text("utf-8"))))
    columns = [re.search(r"<([^<>]+)>$", h).group(1) for h in rows[0][3:]]
    shown: set[Fact] = set()
    shown_later: set[tuple[str, str, str]] = set()
    for row in rows[1:]:
        g = row[2]
        for iri, cell in zip(columns, row[3:], strict=True):
            for entry in filter(None, cell.split("; ")):
                m = re.fullmatch(r"(.+) \((.+)\)", entry)
                assert m, entry
                if m.group(1) == "after the guidance":
                    shown_later.add((g, iri, labels[m.group(2)]))
                else:
                    shown.add((g, iri, labels[m.group(1)], labels[m.group(2)]))
    assert shown == facts
    assert shown_later == later


def test_graph_page_holds_the_same_facts(viz_out, queried) -> None:
    facts, later = queried
    text = (viz_out / "graph.html").read_text("utf-8")
    m = re.search(r'<script id="eg-data" type="application/json">(.*?)</script>', text, re.S)
    data = json.loads(m.group(1))
    got = {(x["guidance"], x["evidence"], x["relation"], x["basis"]) for x in data["evidence"]}
    assert got == facts
    label_of = {}
    for x in data["evidence"]:
        label_of.setdefault((x["guidance"], x["evidence"]), set()).update(x["afterTheGuidance"])
    named = {}
    for g, e, _b in later:
        named.setdefault((g, e), 0)
    assert {k for k, v in label_of.items() if v} == set(named)


def test_the_built_graph_meets_the_shapes_of_the_derived_facts(built) -> None:
    """The rules are held to the evidence model's shapes: the whole built graph, derived
    links, hops, post-datings and designs included, validates (both validators)."""
    for validator in ("pyshacl", "fast"):
        proc = run_cli("validate", "--validator", validator, str(built / "graph.nt"))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (built / "graph.nt").read_text("utf-8")
    for cls in ("EvidenceLink", "EvidenceHop", "PostDating"):
        assert f"<https://w3id.org/evidencegraph/ontology#{cls}> ." in text, cls
