"""Tests of the SHACL shapes (``ontology/shapes.ttl``).

Modelled on pySHACL's W3C-style tests: each file in ``tests/shapes/`` holds a
small data graph and, in the same file, the report it must produce
(``<#expected> a sh:ValidationReport``). The test splits the expected report
out (everything reachable from the report node through blank nodes),
validates the rest together with ``ontology/evidencegraph.ttl`` and compares
the set of (focus node, result path, constraint component, source shape,
severity) with the expected set: a fixture must produce exactly its
violation(s), nothing else. Each fixture runs on Oxigraph (the production
store); the SPARQL-based ones and good.ttl also run on rdflib's in-memory
store, whose SPARQL engine differs in small ways.

``test_every_constraint_has_a_fixture`` fails when a shape, or a constraint
component of a shape, has no fixture that expects it: adding a constraint
means adding its fixture.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from iris import EGSH

pytestmark = pytest.mark.core

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "evidencegraph.ttl"
FIXTURES_DIR = Path(__file__).resolve().parent / "shapes"
FIXTURES = sorted(FIXTURES_DIR.glob("*.ttl"))

# Shape predicates that are not constraint parameters.
NON_CONSTRAINT = {
    SH.path,
    SH.message,
    SH.severity,
    SH.property,
    SH.target,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.flags,
    SH.prefixes,
}


# ---------------------------------------------------------------- helpers


@functools.cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@functools.cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def new_graph(engine: str) -> Graph:
    from evidencegraph.engine import new_graph as eg_new_graph

    return eg_new_graph(engine)


def validate(data: Graph) -> Graph:
    """Validate ``data`` (ontology + data) with the package API; return the report graph.

    The API calls ``pyshacl.validate(data, shacl_graph=<ontology/shapes.ttl>,
    inference="none", advanced=True, do_owl_imports=False, allow_warnings=True,
    inplace=True)``; ``inplace`` matters: a clone would leave Oxigraph for
    rdflib's slow SPARQL engine.
    """
    from evidencegraph.engine import engine_of
    from evidencegraph.shacl import validate as eg_validate

    return eg_validate(data, shapes=_shapes_for(engine_of(data))).report_graph


@functools.cache
def _shapes_for(engine: str) -> Graph:
    """The shapes as the API loads them for a graph on ``engine``, parsed once: pySHACL
    only reads them, and parsing them again for every fixture took half its time."""
    from evidencegraph.shacl import load_shapes

    return load_shapes(SHAPES_FILE, explicit_strings=engine == "oxigraph")


def split_fixture(path: Path) -> tuple[Graph, Graph, URIRef]:
    """Split a fixture into (data graph, expected report graph, report node)."""
    g = Graph().parse(path, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, (
        f"{path.name}: needs exactly one sh:ValidationReport node (<#expected>)"
    )
    report_node = reports[0]
    expected = Graph()
    todo, seen = [report_node], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):
            expected.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    data = Graph()
    for t in g:
        if t not in expected:
            data.add(t)
    return data, expected, report_node


def fixture_graph(path: Path, engine: str) -> tuple[Graph, Graph, URIRef]:
    """A fixture's data with the ontology on ``engine``, its expected report and report node."""
    data, expected, report_node = split_fixture(path)
    graph = new_graph(engine)
    for t in ontology_graph():
        graph.add(t)
    for t in data:
        graph.add(t)
    return graph, expected, report_node


def path_key(g: Graph, node) -> object:
    """A comparable form of a SHACL path (IRIs as they are, blank-node paths as tuples)."""
    if node is None or isinstance(node, URIRef):
        return node
    for op in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = g.value(node, op)
        if inner is not None:
            return (op.fragment, path_key(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return ("alternativePath", tuple(path_key(g, n) for n in Collection(g, alt)))
    if g.value(node, RDF.first) is not None:
        return ("sequence", tuple(path_key(g, n) for n in Collection(g, node)))
    raise AssertionError(f"unknown SHACL path {node!r}")


def short(node) -> str:
    if node is None:
        return "-"
    if isinstance(node, tuple):
        return repr(node)
    text = str(node)
    for prefix, ns in (
        ("egsh:", EGSH),
        ("id:", "https://w3id.org/evidencegraph/id/"),
        ("eg:", "https://w3id.org/evidencegraph/ontology#"),
        ("sh:", str(SH)),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def result_keys(report: Graph, report_node=None, *, full: bool = False) -> set[tuple]:
    """(focus, path, component, shape, severity) of every result of a report;
    ``full`` adds its sorted messages and its value."""
    if report_node is None:
        report_node = next(report.subjects(RDF.type, SH.ValidationReport))
    keys = set()
    for res in report.objects(report_node, SH.result):
        key = (
            report.value(res, SH.focusNode),
            path_key(report, report.value(res, SH.resultPath)),
            report.value(res, SH.sourceConstraintComponent),
            report.value(res, SH.sourceShape),
            report.value(res, SH.resultSeverity),
        )
        if full:
            messages = tuple(sorted(str(m) for m in report.objects(res, SH.resultMessage)))
            key += (messages, report.value(res, SH.value))
        keys.add(key)
    return keys


def fmt(keys: set[tuple]) -> str:
    return (
        "\n".join(
            "  " + "  ".join(short(x) for x in k)
            for k in sorted(keys, key=lambda k: tuple(map(str, k)))
        )
        or "  (none)"
    )


def shape_nodes(sg: Graph) -> set:
    """Every shape in the shapes graph, declared or used."""
    nodes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(sg.objects(None, SH.property)) | set(sg.objects(None, SH.node))
    for lst in sg.objects(None, SH["or"]):
        nodes |= set(Collection(sg, lst))
    return nodes


def component_of(param: URIRef) -> URIRef:
    name = param.fragment
    if name == "sparql":
        return SH.SPARQLConstraintComponent
    return SH[name[0].upper() + name[1:] + "ConstraintComponent"]


def reporting_constraints(sg: Graph) -> set[tuple]:
    """(shape, component) of every constraint that can produce a result on its own.

    Shapes used only inside sh:or (no sh:message) report through the shape
    that uses them, so they are left out.
    """
    pairs = set()
    for shape in shape_nodes(sg):
        if sg.value(shape, SH.message) is None and sg.value(shape, SH.sparql) is None:
            continue
        for p in set(sg.predicates(shape, None)):
            if str(p).startswith(str(SH)) and p not in NON_CONSTRAINT:
                pairs.add((shape, component_of(p)))
    return pairs


@functools.cache
def expected_by_fixture() -> dict[str, set[tuple]]:
    out = {}
    for f in FIXTURES:
        _data, expected, node = split_fixture(f)
        out[f.name] = result_keys(expected, node)
    return out


# ---------------------------------------------------------------- fixture tests


def test_fixtures_exist():
    assert len(FIXTURES) > 1, f"no fixtures in {FIXTURES_DIR}"
    assert (FIXTURES_DIR / "good.ttl").exists(), (
        "tests/shapes/good.ttl (a conforming graph) is missing"
    )


def _engine_cases() -> list:
    """Every fixture on Oxigraph; on rdflib's slow engine, those where SPARQL runs differ.

    On rdflib each validation parses every SPARQL target with pyparsing (about
    half a second), so only the SPARQL-based fixtures and good.ttl run there.
    """
    cases = []
    for f in FIXTURES:
        cases.append(pytest.param(f, "oxigraph", id=f"{f.stem}-oxigraph"))
        text = f.read_text(encoding="utf-8")
        if f.name == "good.ttl" or "sh:SPARQLConstraintComponent" in text:
            cases.append(pytest.param(f, "rdflib", id=f"{f.stem}-rdflib", marks=pytest.mark.slow))
    return cases


@pytest.mark.parametrize(("fixture", "engine"), _engine_cases())
def test_fixture(fixture: Path, engine: str):
    graph, expected, report_node = fixture_graph(fixture, engine)
    report = validate(graph)

    want = result_keys(expected, report_node)
    got = result_keys(report)
    assert got == want, (
        f"{fixture.name} on {engine}: the shapes' report differs from the expected one.\n"
        f"expected:\n{fmt(want)}\ngot:\n{fmt(got)}\n"
        f"missing: \n{fmt(want - got)}\nunexpected:\n{fmt(got - want)}"
    )
    want_conforms = expected.value(report_node, SH.conforms)
    got_conforms = report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
    assert want_conforms is not None, f"{fixture.name}: the expected report needs sh:conforms"
    assert got_conforms.toPython() == want_conforms.toPython(), (
        f"{fixture.name}: sh:conforms differs"
    )
    # Every result carries a curator-facing message.
    for res in report.objects(None, SH.result):
        assert report.value(res, SH.resultMessage) is not None, (
            f"{fixture.name}: a result has no message"
        )


def test_expected_results_are_complete():
    """Every expected result names focus node, component, shape and severity."""
    assert sum(len(keys) for keys in expected_by_fixture().values()) >= len(FIXTURES) - 1
    for name, keys in expected_by_fixture().items():
        for focus, _path, component, shape, severity in keys:
            assert None not in (focus, component, shape, severity), (
                f"{name}: each expected result needs sh:focusNode, sh:sourceConstraintComponent, "
                "sh:sourceShape and sh:resultSeverity"
            )


def test_good_fixture_conforms_with_no_results():
    assert expected_by_fixture()["good.ttl"] == set()


# ---------------------------------------------------------------- the shapes themselves


def test_every_constraint_has_a_fixture():
    """Adding a shape (or a constraint to a shape) without a fixture fails here."""
    needed = reporting_constraints(shapes_graph())
    assert needed, "no constraints found in ontology/shapes.ttl"
    covered = {
        (shape, comp)
        for keys in expected_by_fixture().values()
        for (_f, _p, comp, shape, _s) in keys
    }
    missing = needed - covered
    assert not missing, (
        "constraints without a fixture in tests/shapes/ (add <constraint>.ttl with a bad graph and "
        "its expected report):\n"
        + "\n".join(f"  {short(s)} {short(c)}" for s, c in sorted(missing))
    )
    stale = covered - needed
    assert not stale, "fixtures expect constraints that shapes.ttl does not have:\n" + "\n".join(
        f"  {short(s)} {short(c)}" for s, c in sorted(stale)
    )


def test_every_shape_has_an_iri():
    sg = shapes_graph()
    blank = [s for s in shape_nodes(sg) if not isinstance(s, URIRef)]
    assert not blank, f"{len(blank)} blank-node shape(s): give every shape an egsh: IRI"
    for s in shape_nodes(sg):
        assert str(s).startswith(EGSH), f"{s}: shapes live in the egsh: namespace"


def test_every_constraint_has_a_message_and_severity():
    sg = shapes_graph()
    checked = 0
    for shape in shape_nodes(sg):
        params = {
            p
            for p in sg.predicates(shape, None)
            if str(p).startswith(str(SH)) and p not in NON_CONSTRAINT
        }
        if not params:
            continue
        sparqls = list(sg.objects(shape, SH.sparql))
        if sparqls:
            for c in sparqls:
                msg = sg.value(c, SH.message)
                assert isinstance(msg, Literal) and len(str(msg)) > 30, (
                    f"{short(shape)}: SPARQL constraint needs an sh:message"
                )
        elif sg.value(shape, SH.message) is None:
            # Helper shapes used inside sh:or report through the shape that uses them.
            in_or = any(shape in Collection(sg, lst) for lst in sg.objects(None, SH["or"]))
            assert in_or, f"{short(shape)}: needs an sh:message a curator understands"
            continue
        else:
            assert len(str(sg.value(shape, SH.message))) > 30, (
                f"{short(shape)}: the sh:message is too short to help"
            )
        assert sg.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), (
            f"{short(shape)}: state sh:severity explicitly"
        )
        checked += 1
    assert checked >= 10, f"only {checked} shapes with constraints in ontology/shapes.ttl"


def _select_texts(sg: Graph):
    for node, text in sg.subject_objects(SH.select):
        yield node, str(text)


def test_sparql_is_oxigraph_safe():
    """Queries project $this (Oxigraph needs pre-bound variables projected); no VALUES."""
    selects = list(_select_texts(shapes_graph()))
    assert selects, "no SPARQL-based shapes in ontology/shapes.ttl"
    for node, text in selects:
        head = text.split("WHERE", 1)[0]
        assert re.search(r"[$?]this\b", head), f"{short(node)}: SELECT must project $this"
        assert not re.search(r"\bVALUES\b", text, re.I), (
            f"{short(node)}: no VALUES in a SHACL-SPARQL query"
        )
        assert sg_has_prefixes(node), f"{short(node)}: needs sh:prefixes"


def sg_has_prefixes(node) -> bool:
    return shapes_graph().value(node, SH.prefixes) is not None


def test_sparql_targets_match_their_constraints():
    """A SPARQL shape's target is its constraint's query with ?this free: keep them in step."""
    sg = shapes_graph()

    def body(text: str) -> str:
        return " ".join(text.split("WHERE", 1)[1].replace("$this", "?this").split())

    pairs = list(sg.subject_objects(SH.sparql))
    assert pairs, "no SPARQL constraints in ontology/shapes.ttl"
    for shape, constraint in pairs:
        targets = list(sg.objects(shape, SH.target))
        assert len(targets) == 1, (
            f"{short(shape)}: give it one SPARQL target that finds the nodes breaking it"
        )
        assert body(str(sg.value(targets[0], SH.select))) == body(
            str(sg.value(constraint, SH.select))
        ), f"{short(targets[0])} and {short(constraint)} must share the same WHERE clause"


def test_sparql_messages_use_projected_variables():
    sg = shapes_graph()
    used = 0
    for node, text in _select_texts(sg):
        head = text.split("WHERE", 1)[0]
        projected = set(re.findall(r"[$?](\w+)", head))
        for msg in sg.objects(node, SH.message):
            for var in re.findall(r"\{[$?](\w+)\}", str(msg)):
                assert var in projected, (
                    f"{short(node)}: message uses {{?{var}}} but the query does not select it"
                )
                used += 1
    assert used, "no SPARQL message names a projected variable: the check has nothing to read"
