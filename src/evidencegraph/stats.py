"""Counts by class and by relation, for the build summary and ``stats``."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from rdflib import Graph

from evidencegraph import engine
from evidencegraph.namespaces import shorten


def internal_query(name: str) -> str:
    """Text of one of the tool's own queries (``evidencegraph/sparql/NAME.rq``)."""
    return resources.files("evidencegraph").joinpath("sparql", f"{name}.rq").read_text("utf-8")


@dataclass
class Stats:
    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"triples: {self.triples}", "classes:"]
        out += [f"  {n:6d}  {c}" for c, n in self.classes.items()]
        out.append("relations:")
        out += [f"  {n:6d}  {r}" for r, n in self.relations.items()]
        return out


def compute(graph: Graph) -> Stats:
    classes = {
        shorten(str(r[0])): int(r[1]) for r in engine.run(graph, internal_query("class-counts"))
    }
    relations = {
        shorten(str(r[0])): int(r[1]) for r in engine.run(graph, internal_query("relation-counts"))
    }
    return Stats(len(graph), classes, relations)
