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


VALIDATORS = ("auto", "pyshacl", "fast")

# ``validator="auto"`` uses the fast validator (evidencegraph.fastshacl) above
# this many triples and pySHACL, the reference, up to it. Measured on this
# 2-core machine (pySHACL 0.40.1, pyoxigraph 0.5.13, Oxigraph store, clean
# graphs from benchmarks/generate.py v2, seconds, one run each; "fast" excludes
# compiling the shapes, 0.05-0.09 s once per process):
#   triples    pySHACL   fast
#     1,369      0.17    0.04
#     1,989      0.23    0.04   (E4: ontology + data/)
#     3,314      0.38    0.05
#     4,966      0.60    0.07
#    10,584      1.5     0.19
#    19,734      4.0     0.58
#    49,686     33       5.7    (0.50 with the nested-EXISTS rewrite of
#    99,528    124      22       egsh:ReifiedRelationQuery: 1.6 at 99,528)
# Both are fast enough below 5,000 triples (pySHACL 0.6 s), where the
# reference is kept; above it pySHACL takes seconds and grows super-linearly.
AUTO_FAST_ABOVE = 5_000


def validate(
    graph: Graph,
    *,
    shapes: Graph | None = None,
    shapes_file: Path | None = None,
    validator: str = "auto",
) -> ValidationResult:
    """Validate ``graph`` (ontology + data) and return every result, sorted.

    ``validator``: ``"pyshacl"`` (the reference), ``"fast"`` (every shape
    compiled to whole-graph SPARQL, :mod:`evidencegraph.fastshacl`) or
    ``"auto"`` (fast above :data:`AUTO_FAST_ABOVE` triples). Both give the same
    results; ``auto`` falls back to pySHACL if a shape uses a construct the
    fast validator does not compile, while ``fast`` raises.
    """
    if validator not in VALIDATORS:
        from evidencegraph.errors import EvidenceGraphError

        raise EvidenceGraphError(
            f"unknown validator {validator!r}; choose one of: {', '.join(VALIDATORS)}"
        )
    if validator == "fast" or (validator == "auto" and len(graph) > AUTO_FAST_ABOVE):
        from evidencegraph import fastshacl

        try:
            return fastshacl.validate(graph, shapes=shapes, shapes_file=shapes_file)
        except fastshacl.UnsupportedShapeError as err:
            if validator == "fast":
                raise
            import logging

            logging.getLogger(__name__).warning("%s; using pySHACL", err)
    return _validate_pyshacl(graph, shapes=shapes, shapes_file=shapes_file)


def _refuse_rules(shapes_graph: Graph) -> None:
    """Validation never changes the data: SHACL rules (sh:rule) are not run.

    pySHACL's advanced mode (needed for SPARQL targets) would execute them on
    the data graph in place, so a shapes file that carries rules is refused.
    """
    if (None, SH.rule, None) in shapes_graph:
        from evidencegraph.errors import LoadError

        raise LoadError(
            "the shapes contain sh:rule; validation runs no SHACL rules (inference is the "
            "SPARQL rules in ontology/rules/)"
        )


def _validate_pyshacl(
    graph: Graph, *, shapes: Graph | None = None, shapes_file: Path | None = None
) -> ValidationResult:
    import pyshacl

    from evidencegraph.engine import engine_of

    explicit = engine_of(graph) == "oxigraph"
    shapes_graph = (
        shapes if shapes is not None else load_shapes(shapes_file, explicit_strings=explicit)
    )
    _refuse_rules(shapes_graph)
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
    return sorted_results(out)


def sorted_results(results: list[Violation]) -> list[Violation]:
    """Severity, then label and message; a total order, so both validators agree."""
    return sorted(
        results,
        key=lambda v: (
            SEVERITY_ORDER.get(v.severity, 9),
            v.focus_label,
            v.message,
            v.focus,
            v.path or "",
            v.component,
            v.shape,
            v.value or "",
        ),
    )
