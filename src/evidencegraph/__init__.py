"""evidencegraph: a knowledge graph of research evidence on alcohol treatment.

The public API is small and lazy (nothing heavy is imported until used):

- :func:`load` reads ontology and data files into one graph;
- :func:`validate` checks a graph against ``ontology/shapes.ttl``;
- :func:`build` validates, materialises the inference rules and writes outputs;
- :func:`query` runs a named or ad-hoc SPARQL query, embedded or on an endpoint;
- :func:`trace` follows what a guidance rests on;
- :func:`visualise` writes the workshop visualisations.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load", "query", "trace", "validate", "visualise"]


def load(*args: Any, **kwargs: Any) -> Any:
    """Load ontology and data into one graph (see :func:`evidencegraph.loader.load`)."""
    from evidencegraph.loader import load as _load

    return _load(*args, **kwargs)


def validate(*args: Any, **kwargs: Any) -> Any:
    """Validate a graph with pySHACL (see :func:`evidencegraph.validation.validate`)."""
    from evidencegraph.validation import validate as _validate

    return _validate(*args, **kwargs)


def build(*args: Any, **kwargs: Any) -> Any:
    """Validate, infer and write outputs (see :func:`evidencegraph.builder.build`)."""
    from evidencegraph.builder import build as _build

    return _build(*args, **kwargs)


def query(*args: Any, **kwargs: Any) -> Any:
    """Run a named query (see :func:`evidencegraph.querying.run_query`)."""
    from evidencegraph.querying import run_query

    return run_query(*args, **kwargs)


def trace(*args: Any, **kwargs: Any) -> Any:
    """Trace a guidance to its evidence (see :func:`evidencegraph.tracing.trace`)."""
    from evidencegraph.tracing import trace as _trace

    return _trace(*args, **kwargs)


def visualise(*args: Any, **kwargs: Any) -> Any:
    """Write workshop visualisations (see :func:`evidencegraph.viz.visualise`)."""
    from evidencegraph.viz import visualise as _visualise

    return _visualise(*args, **kwargs)
