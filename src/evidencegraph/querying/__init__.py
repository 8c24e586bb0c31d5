"""The query layer: named queries, their parameters, where they run, and their answers.

- :mod:`.library`: the named queries in ``queries/`` and their headers;
- :mod:`.params`: parameter values resolved to terms and bound, never pasted;
- :mod:`.source`: the embedded graph, a built graph file, or an endpoint;
- :mod:`.run`: one query resolved, checked, bound and run;
- :mod:`.render`: answers as text, CSV, TSV, JSON or Markdown.
"""

from __future__ import annotations

from evidencegraph.querying.run import QueryOutcome, labels_for, run_query
from evidencegraph.querying.source import Facts, Source, open_source

__all__ = ["Facts", "QueryOutcome", "Source", "labels_for", "open_source", "run_query"]
