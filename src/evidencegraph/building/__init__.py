"""The build layer: from loaded, validated triples to the graph with every derived fact.

- :mod:`.pipeline`: load, validate, infer, write ``build/`` (nothing if invalid);
- :mod:`.stats`: counts by class and relation, asserted and inferred;
- :mod:`.canonical`: curated Turtle files in canonical form (``format``);
- :mod:`.publish`: the validated graph to push or serve.
"""

from __future__ import annotations

from evidencegraph.building.pipeline import OUTPUTS, BuildResult, build

__all__ = ["OUTPUTS", "BuildResult", "build"]
