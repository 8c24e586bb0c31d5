"""The tool's own queries (``evidencegraph/sparql/*.rq``), shipped inside the package.

Trace, viz and the statistics read the graph through these files, so SPARQL
stays in ``.rq`` files even where the tool, not a user, asks the question.
"""

from __future__ import annotations

from importlib import resources


def internal_query(name: str) -> str:
    """Text of one of the tool's own queries (``evidencegraph/sparql/NAME.rq``)."""
    return resources.files("evidencegraph").joinpath("sparql", f"{name}.rq").read_text("utf-8")
