"""The one validation report model both validators produce.

A :class:`ValidationResult` holds every result as a :class:`Violation` row,
sorted in a total order, and the standard ``sh:ValidationReport`` graph; the
reference (pySHACL) and the compiler give equal rows for equal data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from evidencegraph.namespaces import shorten

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
    """What validation found, sorted so reports are stable."""

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

    def to_json(self) -> str:
        """``{"conforms": …, "results": [{severity, focus, …}, …]}``."""
        return json.dumps(
            {"conforms": self.conforms, "results": [asdict(r) for r in self.results]},
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        """The ``sh:ValidationReport`` graph as Turtle."""
        return self.report_graph.serialize(format="turtle") if self.report_graph else ""


def row(
    *,
    severity: object,
    focus: object,
    focus_label: str,
    messages: list[str],
    path: object,
    component: object,
    shape: object,
    value: object,
) -> Violation:
    """One result as a row, from the terms either route has (pySHACL's report graph or
    the compiler's answer): the same row for the same result, whoever found it."""
    msgs = sorted(messages)
    return Violation(
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        focus=str(focus),
        focus_label=focus_label,
        message=msgs[0] if msgs else "constraint not met",
        path=str(path) if isinstance(path, URIRef) else None,
        component=str(component or ""),
        shape=str(shape or ""),
        value=value.n3() if isinstance(value, URIRef | Literal) else None,
    )


def focus_label(graph: Graph, node: object) -> str:
    """A focus node's rdfs:label in the data graph ("" when it has none)."""
    if isinstance(node, URIRef):
        for lab in graph.objects(node, RDFS.label):
            return str(lab)
    return ""


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
