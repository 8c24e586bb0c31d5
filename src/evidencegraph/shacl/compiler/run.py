"""Running the checks on the graph's engine, and the ``sh:ValidationReport`` they make.

Each :class:`.Check`'s query runs once over the whole graph: on the graph's
own Oxigraph store, or, for a graph on rdflib's store, on a native Oxigraph
copy (rdflib's engine is far too slow), with the data's own spelling of
numbers put back. Rows become results by the check's kind: focus nodes,
value nodes (those the check's recheck confirms, :mod:`.literals`), or a
SHACL-SPARQL constraint's solutions (deduplicated, ``{?var}`` substituted in
messages). They are written as pySHACL writes them, to a standard report
graph, and as the sorted :class:`~evidencegraph.shacl.report.Violation` rows
the reference route gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from evidencegraph import engine
from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.checks import checks_for
from evidencegraph.shacl.compiler.context import Check, Term
from evidencegraph.shacl.report import (
    ValidationResult,
    Violation,
    focus_label,
    sorted_results,
)
from evidencegraph.shacl.report import (
    row as result_row,
)

__all__ = ["validate"]

_OK_SEVERITIES = {SH.Warning, SH.Info}  # allow_warnings=True: these do not break conformance


def _runner(graph: Graph) -> Callable[[str], Iterator[dict[str, Term]]]:
    """Run queries on the graph's own engine; rdflib's store is copied to Oxigraph first.

    On Oxigraph the rows come through oxrdflib, as pySHACL sees them. rdflib's
    store has no engine worth the name for these queries (property paths,
    NOT EXISTS), so its triples are copied into a bare Oxigraph store, and the
    answers mapped back to the graph's own terms.
    """
    if engine.engine_of(graph) == "oxigraph":

        def run(text: str) -> Iterator[dict[str, Term]]:
            result = engine.run(graph, text)
            names = [str(v) for v in result.vars or ()]
            for row in result:
                yield {n: row[n] for n in names if row[n] is not None}

        return run

    store = engine.native_copy(graph)
    # Oxigraph keeps numbers canonically ("20.0"^^xsd:decimal comes back "20"):
    # remember the graph's own spelling so a report shows the data's terms.
    spelling: dict[tuple[str, str], Literal] = {}
    for o in graph.objects(None, None):
        if isinstance(o, Literal) and o.datatype is not None:
            canonical = engine.canonical_lexical(str(o), str(o.datatype))
            if canonical != str(o):
                spelling.setdefault((canonical, str(o.datatype)), o)

    def back(term: Term) -> Term:
        if spelling and isinstance(term, Literal) and term.datatype is not None:
            return spelling.get((str(term), str(term.datatype)), term)
        return term

    def run_copy(text: str) -> Iterator[dict[str, Term]]:
        result = engine.run_native(store, text)
        for row in result.bindings:
            yield {str(k): back(v) for k, v in row.items() if v is not None}

    return run_copy


def _substitute(msg: str, bindings: Mapping[str, Term]) -> str:
    """pySHACL's ``{?var}`` / ``{$var}`` substitution in a SPARQL constraint's message."""
    for var, val in bindings.items():
        msg = re.sub(f"{{[?$]{var}}}", lambda _m, s=str(val): s, msg)
    return msg


@dataclass
class _Result:
    check: Check
    focus: Term
    value: Term | None = None
    path: Term | None = None
    messages: tuple[Literal, ...] = ()


def _evaluate(check: Check, run: Callable[[str], Iterator[dict[str, Term]]]) -> Iterable[_Result]:
    if check.kind == "focus":
        for row in run(check.query):
            yield _Result(check, row["this"], messages=check.messages)
    elif check.kind == "value":
        for row in run(check.query):
            value = row.get("value")
            if check.recheck is not None and not check.recheck(value):
                continue
            yield _Result(check, row["this"], value=value, messages=check.messages)
    else:
        seen: set[tuple] = set()
        for row in run(check.query):
            focus = row.pop("this")
            path = row.pop("path", None)
            value = row.pop("value", None)
            key = (focus, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            if value is None and not check.is_property_shape:
                value = focus
            bound = dict(row)
            bound.update({"this": focus})
            if path is not None:
                bound["path"] = path
            if value is not None:
                bound["value"] = value
            msgs = [m for m in check.constraint_messages if m not in check.messages]
            msgs += list(check.messages)
            yield _Result(
                check,
                focus,
                value=value,
                path=path,
                messages=tuple(Literal(_substitute(str(m), bound)) for m in msgs),
            )


def _copy_path(check: Check, dst: Graph, copied: dict[Check, Term]) -> Term:
    """A check's blank-node path, copied into the report once and shared by its results."""
    if check not in copied:
        fresh: dict[Term, BNode] = {}

        def new(n: Term) -> Term:
            return fresh.setdefault(n, BNode()) if isinstance(n, BNode) else n

        for s, p, o in check.path_triples:
            dst.add((new(s), p, new(o)))
        copied[check] = new(check.path)
    return copied[check]


def validate(
    graph: Graph,
    *,
    shapes: Graph | None = None,
    shapes_file: Path | None = None,
    checks: list[Check] | None = None,
) -> ValidationResult:
    """Validate ``graph`` (ontology + data) with whole-graph queries."""
    if checks is None:
        checks = checks_for(shapes, shapes_file)
    run = _runner(graph)
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    copied: dict[Check, Term] = {}
    labels: dict[Term, str] = {}
    rows: list[Violation] = []
    conforms = True
    for check in checks:
        for res in _evaluate(check, run):
            if res.focus not in labels:
                labels[res.focus] = focus_label(graph, res.focus)
            rows.append(_row(res, labels[res.focus]))
            _write_result(report, node, res, copied)
            if check.severity not in _OK_SEVERITIES:
                conforms = False
    report.add((node, SH.conforms, Literal(conforms)))
    return ValidationResult(conforms, sorted_results(rows), report)


def _row(res: _Result, label: str) -> Violation:
    """The same row :mod:`~evidencegraph.shacl.reference` makes from pySHACL's report."""
    check = res.check
    return result_row(
        severity=check.severity,
        focus=res.focus,
        focus_label=label,
        messages=[str(m) for m in res.messages],
        path=res.path if res.path is not None else check.path,
        component=check.component,
        shape=check.shape,
        value=res.value,
    )


def _write_result(report: Graph, node: Term, res: _Result, copied: dict[Check, Term]) -> None:
    """A ``sh:result`` of the report ``node``, as pySHACL writes it."""
    check = res.check
    r = BNode()
    report.add((node, SH.result, r))
    report.add((r, RDF.type, SH.ValidationResult))
    report.add((r, SH.focusNode, res.focus))
    report.add((r, SH.sourceConstraintComponent, check.component))
    report.add((r, SH.sourceShape, check.shape))
    report.add((r, SH.resultSeverity, check.severity))
    if res.value is not None:
        report.add((r, SH.value, res.value))
    if res.path is not None:
        report.add((r, SH.resultPath, res.path))
    elif isinstance(check.path, BNode):
        report.add((r, SH.resultPath, _copy_path(check, report, copied)))
    elif check.path is not None:
        report.add((r, SH.resultPath, check.path))
    if check.source_constraint is not None:
        report.add((r, SH.sourceConstraint, check.source_constraint))
    for m in res.messages:
        report.add((r, SH.resultMessage, m))
