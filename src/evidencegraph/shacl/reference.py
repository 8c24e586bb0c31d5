"""The reference route: pySHACL.

pySHACL receives graph objects, never strings (it treats strings as paths or
URLs), with owl:imports off and no inference, so validating never touches the
network or the file system beyond the shapes file.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from evidencegraph import engine
from evidencegraph.namespaces import SH
from evidencegraph.shacl.report import (
    ValidationResult,
    Violation,
    focus_label,
    row,
    sorted_results,
)
from evidencegraph.shacl.shapes import load_shapes, refuse_rules


def validate(
    graph: Graph, *, shapes: Graph | None = None, shapes_file: Path | None = None
) -> ValidationResult:
    """Validate ``graph`` with pySHACL; every result, sorted."""
    import pyshacl

    explicit = engine.engine_of(graph) == "oxigraph"
    shapes_graph = (
        shapes if shapes is not None else load_shapes(shapes_file, explicit_strings=explicit)
    )
    refuse_rules(shapes_graph)
    conforms, report, _text = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        do_owl_imports=False,
        inplace=True,
    )
    return ValidationResult(bool(conforms), _results(report, graph), report)


def _results(report: Graph, data: Graph) -> list[Violation]:
    return sorted_results(
        [
            row(
                severity=report.value(res, SH.resultSeverity),
                focus=(focus := report.value(res, SH.focusNode)),
                focus_label=focus_label(data, focus),
                messages=[str(m) for m in report.objects(res, SH.resultMessage)],
                path=report.value(res, SH.resultPath),
                component=report.value(res, SH.sourceConstraintComponent),
                shape=report.value(res, SH.sourceShape),
                value=report.value(res, SH.value),
            )
            for res in report.subjects(RDF.type, SH.ValidationResult)
        ]
    )
