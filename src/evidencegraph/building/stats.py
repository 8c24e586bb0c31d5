"""Counts by class and by relation, asserted and with inference (``stats`` and the
build report)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from evidencegraph import engine
from evidencegraph.namespaces import shorten
from evidencegraph.resources import internal_query


@dataclass
class Stats:
    """One graph's counts."""

    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)


def compute(graph: Graph) -> Stats:
    classes = {
        shorten(str(r[0])): int(r[1]) for r in engine.run(graph, internal_query("class-counts"))
    }
    relations = {
        shorten(str(r[0])): int(r[1]) for r in engine.run(graph, internal_query("relation-counts"))
    }
    return Stats(len(graph), classes, relations)


@dataclass
class Counts:
    """The same graph's counts before and after inference."""

    asserted: Stats
    inferred: Stats

    def table_lines(self) -> list[str]:
        """Classes as asserted, then each relation asserted → with inference."""
        lines = ["classes (asserted):"]
        lines += [f"  {n:5d}  {c}" for c, n in self.asserted.classes.items()]
        lines.append("relations (asserted → with inference):")
        for rel, n in self.inferred.relations.items():
            lines.append(f"  {self.asserted.relations.get(rel, 0):5d} → {n:5d}  {rel}")
        return lines

    def lines(self) -> list[str]:
        """The ``stats`` report."""
        head = f"triples: {self.asserted.triples} asserted, {self.inferred.triples} with inference"
        return [head, *self.table_lines()]


def count(graph: Graph) -> Counts:
    """Counts of ``graph`` as loaded, then with the rules applied (in place)."""
    from evidencegraph.inference import infer

    asserted = compute(graph)
    infer(graph)
    return Counts(asserted, compute(graph))
