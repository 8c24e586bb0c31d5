"""export: GraphML, GEXF, Cytoscape JSON and DOT keep labels, classes, years and relations."""

from __future__ import annotations

import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from conftest import require_tool, run_cli
from evidencegraph import exporting, viz
from evidencegraph.errors import ParameterError
from iris import CLINICAL, VA2007


@pytest.fixture(scope="module")
def model():
    return viz.load_model()


def _edges(g) -> set[tuple[str, str, str]]:
    return {(a, d["relation"], b) for a, b, d in g.edges(data=True)}


def _check(g, model) -> None:
    assert set(g.nodes) == set(model.nodes)
    assert _edges(g) == {(e.source, e.rel, e.target) for e in model.edges}
    va = g.nodes[VA2007]
    assert va["label"] == model.nodes[VA2007].label
    assert va["class"] == "trial" and int(va["year"]) == 2007 and va["role"] == "K"
    rel = next(d for a, b, d in g.edges(data=True) if a == CLINICAL and b == VA2007)
    assert rel["relation_label"] == "cites as evidence"
    assert rel["predicate"] == "http://purl.org/spar/cito/citesAsEvidence"


def test_graphml_round_trip(model) -> None:
    g = nx.read_graphml(io.BytesIO(exporting.render("graphml", model).encode("utf-8")))
    _check(g, model)


def test_gexf_round_trip(model) -> None:
    g = nx.read_gexf(io.BytesIO(exporting.render("gexf", model).encode("utf-8")))
    _check(g, model)


def test_cytoscape_json_round_trip(model) -> None:
    data = json.loads(exporting.render("cytoscape-json", model))
    assert data["data"]["attribution"] == model.attribution
    g = nx.cytoscape_graph(data, name="label", ident="id")
    _check(g, model)


def test_dot_is_valid_graphviz_with_attributes(model) -> None:
    dot = require_tool("dot")
    text = exporting.render("dot", model)
    out = subprocess.run(
        [dot, "-Tjson0"], input=text, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    objs = json.loads(out)["objects"]
    va = next(o for o in objs if o.get("iri") == VA2007)
    assert va["label"] == model.nodes[VA2007].label and va["year"] == "2007"
    assert len(objs) == len(model.nodes) and len(json.loads(out)["edges"]) == len(model.edges)


def test_hostile_labels_survive_every_format(model) -> None:
    hostile = '<img src=x onerror=alert(1)> "q" \\G & </graphml>'
    node = model.nodes[VA2007]
    original = node.label
    node.label = hostile
    try:
        g = nx.read_graphml(io.BytesIO(exporting.render("graphml", model).encode("utf-8")))
        assert g.nodes[VA2007]["label"] == hostile
        g = nx.read_gexf(io.BytesIO(exporting.render("gexf", model).encode("utf-8")))
        assert g.nodes[VA2007]["label"] == hostile
        data = json.loads(exporting.render("cytoscape-json", model))
        assert any(n["data"]["label"] == hostile for n in data["elements"]["nodes"])
        dot = require_tool("dot")
        svg = subprocess.run(
            [dot, "-Tsvg"],
            input=exporting.render("dot", model),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        root = ET.fromstring(svg)
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert hostile in texts  # drawn as the same characters: no HTML label, no \G escape
        assert not [e for e in root.iter() if e.tag.endswith(("}img", "}script", "}a"))]
    finally:
        node.label = original


def test_export_writes_atomically_and_filters(tmp_path) -> None:
    path = exporting.export(
        "graphml",
        tmp_path / "e4.graphml",
        classes=["guidance", "trial"],
        relations="cites-as-evidence",
    )
    g = nx.read_graphml(path)
    assert {d["class"] for _n, d in g.nodes(data=True)} == {"guidance", "trial"}
    assert {d["relation"] for _a, _b, d in g.edges(data=True)} == {"cites-as-evidence"}
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(ParameterError):
        exporting.export("svg", tmp_path / "x.svg")


def test_cli_export(tmp_path) -> None:
    out = tmp_path / "e4.gexf"
    proc = run_cli("export", "--format", "gexf", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert nx.read_gexf(out).number_of_nodes() > 50
    proc = run_cli("export", "--format", "cytoscape-json", "--out", "-")
    assert proc.returncode == 0 and json.loads(proc.stdout)["elements"]["nodes"]


def test_nt_export_streams_the_whole_built_graph(tmp_path: Path) -> None:
    """`export --format nt` holds the same triples as build's sorted graph.nt."""
    out = tmp_path / "all.nt"
    proc = run_cli("export", "--format", "nt", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    built = tmp_path / "b"
    assert run_cli("build", "--out", str(built)).returncode == 0
    assert sorted(out.read_text().splitlines()) == (built / "graph.nt").read_text().splitlines()
    bad = run_cli("export", "--format", "nt", "--classes", "guidance")
    assert bad.returncode == 2 and "whole graph" in bad.stderr
