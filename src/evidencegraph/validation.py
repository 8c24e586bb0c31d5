"""Validate: pySHACL against ``ontology/shapes.ttl``, the reference.

pySHACL receives graph objects, never strings (it treats strings as paths or
URLs), with owl:imports off and no inference, so validating never touches the
network or the file system beyond the shapes file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from evidencegraph import paths
from evidencegraph.namespaces import SH, shorten

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, order=True)
class Violation:
    """One validation result, with the focus node's label for humans."""

    severity: str
    focus: str
    focus_label: str
    message: str
    path: str | None = None
    component: str = ""
    shape: str = ""
    value: str | None = None

    def line(self) -> str:
        """The one-line human form: severity, focus node's label, message."""
        label = self.focus_label or shorten(self.focus)
        return f"{self.severity}: {label}: {self.message}"


@dataclass
class ValidationResult:
    """What pySHACL found, sorted so reports are stable."""

    conforms: bool
    results: list[Violation] = field(default_factory=list)
    report_graph: Graph | None = None

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Violation"]

    def summary(self) -> str:
        if self.conforms and not self.results:
            return "conforms: no violations"
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        parts = ", ".join(f"{n} {k.lower()}{'s' if n != 1 else ''}" for k, n in counts.items())
        return f"{'conforms' if self.conforms else 'does not conform'}: {parts}"


def load_shapes(shapes_file: Path | None = None, *, explicit_strings: bool = True) -> Graph:
    """Parse the shapes with Oxigraph's parser into a small in-memory graph.

    ``explicit_strings`` must match the data graph's engine (see
    :func:`evidencegraph.engine.add_ox_triples`) so ``sh:in`` values compare equal.
    """
    from evidencegraph import engine

    g = engine.new_graph("rdflib")
    engine.parse_file(g, shapes_file or paths.SHAPES_FILE, explicit_strings=explicit_strings)
    return g


def validate(
    graph: Graph, *, shapes: Graph | None = None, shapes_file: Path | None = None
) -> ValidationResult:
    """Validate ``graph`` (ontology + data) and return every result, sorted."""
    import pyshacl

    from evidencegraph.engine import engine_of

    explicit = engine_of(graph) == "oxigraph"
    shapes_graph = shapes if shapes is not None else load_shapes(shapes_file, explicit_strings=explicit)
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


def _label(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        for lab in graph.objects(node, RDFS.label):
            return str(lab)
    return ""


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
                focus_label=_label(data, focus),
                message=msgs[0] if msgs else "constraint not met",
                path=str(path) if isinstance(path, URIRef) else None,
                component=str(report.value(res, SH.sourceConstraintComponent) or ""),
                shape=str(report.value(res, SH.sourceShape) or ""),
                value=(value.n3() if isinstance(value, URIRef | Literal) else None),
            )
        )
    return sorted(out, key=lambda v: (SEVERITY_ORDER.get(v.severity, 9), v.focus_label, v.message))
