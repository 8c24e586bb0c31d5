"""The graph to publish (``push``) or serve: validated first, never sent if invalid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidencegraph import engine, inference, loading
from evidencegraph.errors import ValidationFailed
from evidencegraph.shacl import validate


@dataclass(frozen=True)
class Publishable:
    """Sorted N-Triples of a conforming graph, and how many triples they hold."""

    ntriples: bytes
    triples: int


def publishable(graph_file: Path | None = None) -> Publishable:
    """``graph_file`` as it is, or ontology/ + data/ with the rules applied; validated.

    Raises :class:`ValidationFailed` (carrying the result) if it does not conform.
    """
    graph = loading.load_graph_file(graph_file) if graph_file else loading.load()
    result = validate(graph)
    if not result.conforms:
        raise ValidationFailed(f"refusing to publish an invalid graph ({result.summary()})", result)
    if graph_file is None:
        inference.infer(graph)
    return Publishable(engine.to_ntriples(graph).encode("utf-8"), len(graph))
