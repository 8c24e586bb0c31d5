"""The shapes graph: ``ontology/shapes.ttl`` parsed by Oxigraph into a small graph.

Validation never changes the data, so a shapes graph that carries SHACL rules
(``sh:rule``) is refused rather than run.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from evidencegraph import engine, paths
from evidencegraph.errors import LoadError
from evidencegraph.namespaces import SH


def load_shapes(shapes_file: Path | None = None, *, explicit_strings: bool = True) -> Graph:
    """Parse the shapes with Oxigraph's parser into a small in-memory graph.

    ``explicit_strings`` must match the data graph's engine (see
    :func:`evidencegraph.engine.add_ox_triples`) so ``sh:in`` values compare equal.
    """
    g = engine.new_graph("rdflib")
    engine.parse_file(g, shapes_file or paths.SHAPES_FILE, explicit_strings=explicit_strings)
    return g


def refuse_rules(shapes_graph: Graph) -> None:
    """Validation runs no SHACL rules (``sh:rule``).

    pySHACL's advanced mode (needed for SPARQL targets) would execute them on
    the data graph in place, so a shapes file that carries rules is refused.
    """
    if (None, SH.rule, None) in shapes_graph:
        raise LoadError(
            "the shapes contain sh:rule; validation runs no SHACL rules (inference is the "
            "SPARQL rules in ontology/rules/)"
        )
