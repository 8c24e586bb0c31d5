"""Inference as SPARQL CONSTRUCT rules (``ontology/rules/*.rq``, in name order).

CONSTRUCT rules run unchanged on Oxigraph, rdflib or a remote endpoint, where
OWL-RL reasoners do not (owlrl fails on the Oxigraph store) and would infer
far more than the queries need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from evidencegraph import engine, paths


@dataclass(frozen=True)
class RuleRun:
    """How many new triples one rule added."""

    name: str
    added: int


def rule_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or paths.RULES_DIR).glob("*.rq"))


def _checked(rule: Path) -> str:
    """A rule's text after the safety check: rules are files anyone may edit."""
    from evidencegraph.safety import check_query

    return check_query(rule.read_text(encoding="utf-8"), grammar=False).text


def apply_rules(graph: Graph, folder: Path | None = None) -> list[RuleRun]:
    """Apply every rule once, in order, adding its CONSTRUCT results to ``graph``.

    One pass is enough: each rule computes its own closure with property paths
    and the order (sub-properties, sub-classes, closure, symmetry, inverses)
    feeds each rule what the earlier ones produced.
    """
    if engine.engine_of(graph) == "oxigraph":
        # Straight from store to store: no rdflib terms in between.
        return apply_rules_native(graph.store._inner, folder)
    runs = []
    for f in rule_files(folder):
        result = engine.run(graph, _checked(f))
        added = engine.add_triples(graph, result.graph or Graph())
        runs.append(RuleRun(f.stem, added))
    return runs


def apply_rules_native(store: object, folder: Path | None = None) -> list[RuleRun]:
    """:func:`apply_rules` on a bare pyoxigraph store (the fast query path)."""
    import pyoxigraph as ox

    runs = []
    for f in rule_files(folder):
        before = len(store)  # type: ignore[arg-type]
        triples = list(
            store.query(  # type: ignore[attr-defined]
                _checked(f), default_graph=ox.DefaultGraph()
            )
        )
        engine.native_add(store, triples)
        runs.append(RuleRun(f.stem, len(store) - before))  # type: ignore[arg-type]
    return runs
