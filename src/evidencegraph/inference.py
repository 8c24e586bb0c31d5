"""Inference: the SPARQL CONSTRUCT rules of ``ontology/rules/*.rq``, in name order.

Every derived fact (closures, inverses, the evidence model: designs, hops,
evidence links, post-dating, evidence sets) is made here and only here; query,
trace, viz and export read the facts and decide nothing themselves.
CONSTRUCT rules run unchanged on Oxigraph, rdflib or a remote endpoint, where
OWL-RL reasoners do not (owlrl fails on the Oxigraph store) and would infer
far more than the queries need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from evidencegraph import engine, paths
from evidencegraph.safety import check_query


@dataclass(frozen=True)
class RuleRun:
    """How many new triples one rule added."""

    name: str
    added: int


def rule_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or paths.RULES_DIR).glob("*.rq"))


def _checked(rule: Path) -> str:
    """A rule's text after the safety check: rules are files anyone may edit."""
    return check_query(rule.read_text(encoding="utf-8"), grammar=False).text


def infer(graph: Graph, folder: Path | None = None) -> list[RuleRun]:
    """Apply every rule once, in order, adding its CONSTRUCT results to ``graph``.

    One pass is enough: each rule computes its own closure with property paths
    and the order (sub-properties, sub-classes, closure, symmetry, inverses,
    then the evidence model) feeds each rule what the earlier ones produced.
    """
    store = engine.native_of(graph)
    if store is not None:
        # Straight from store to store: no rdflib terms in between.
        return infer_native(store, folder)
    runs = []
    for f in rule_files(folder):
        result = engine.run(graph, _checked(f))
        added = engine.add_triples(graph, result.graph or Graph())
        runs.append(RuleRun(f.stem, added))
    return runs


def infer_native(store: Any, folder: Path | None = None) -> list[RuleRun]:
    """:func:`infer` on a bare Oxigraph store (the fast query path)."""
    return [RuleRun(f.stem, engine.construct_into(store, _checked(f))) for f in rule_files(folder)]
