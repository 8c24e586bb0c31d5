"""SHACL validation of the graph against ``ontology/shapes.ttl``.

Two routes, one report model (:mod:`.report`):

- :mod:`.reference`: pySHACL, the reference;
- :mod:`.compiler`: every shape compiled to whole-graph SPARQL run on
  Oxigraph (the fast path), with pySHACL's results; a package with one
  module per section of the SHACL specification (targets, paths, each
  family of constraint components, SPARQL constraints), as pySHACL splits
  its constraints.

:func:`validate` chooses between them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from evidencegraph.errors import EvidenceGraphError
from evidencegraph.shacl.report import ValidationResult, Violation, sorted_results
from evidencegraph.shacl.shapes import load_shapes

__all__ = [
    "AUTO_FAST_ABOVE",
    "VALIDATORS",
    "ValidationResult",
    "Violation",
    "load_shapes",
    "sorted_results",
    "validate",
]

VALIDATORS = ("auto", "pyshacl", "fast")

# ``validator="auto"`` uses the compiler (evidencegraph.shacl.compiler) above
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
    compiled to whole-graph SPARQL, :mod:`evidencegraph.shacl.compiler`) or
    ``"auto"`` (fast above :data:`AUTO_FAST_ABOVE` triples). Both give the same
    results; ``auto`` falls back to pySHACL if a shape uses a construct the
    fast validator does not compile, while ``fast`` raises.
    """
    if validator not in VALIDATORS:
        raise EvidenceGraphError(
            f"unknown validator {validator!r}; choose one of: {', '.join(VALIDATORS)}"
        )
    if validator == "fast" or (validator == "auto" and len(graph) > AUTO_FAST_ABOVE):
        from evidencegraph.shacl import compiler

        try:
            return compiler.validate(graph, shapes=shapes, shapes_file=shapes_file)
        except compiler.UnsupportedShapeError as err:
            if validator == "fast":
                raise
            import logging

            logging.getLogger(__name__).warning("%s; using pySHACL", err)
    from evidencegraph.shacl import reference

    return reference.validate(graph, shapes=shapes, shapes_file=shapes_file)
