"""The reference route: pySHACL.

pySHACL receives graph objects, never strings (it treats strings as paths or
URLs), with owl:imports off and no inference, so validating never touches the
network or the file system beyond the shapes file.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from evidencegraph import engine
from evidencegraph.namespaces import SH
from evidencegraph.shacl.report import ValidationResult, Violation, focus_label, sorted_results
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
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        sev = report.value(res, SH.resultSeverity)
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msgs = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        value = report.value(res, SH.value)
        out.append(
            Violation(
                severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                focus=str(focus),
                focus_label=focus_label(data, focus),
                message=msgs[0] if msgs else "constraint not met",
                path=str(path) if isinstance(path, URIRef) else None,
                component=str(report.value(res, SH.sourceConstraintComponent) or ""),
                shape=str(report.value(res, SH.sourceShape) or ""),
                value=(value.n3() if isinstance(value, URIRef | Literal) else None),
            )
        )
    return sorted_results(out)
