"""The SPARQL 1.1 endpoint client: query any store read-only, push the built graph.

- :mod:`.policy`: what is allowed (URLs, credentials, limits, retries);
- :mod:`.transport`: one request and its whole answer, within a deadline;
- :mod:`.protocol`: the SPARQL Protocol and Graph Store Protocol on top.
"""

from __future__ import annotations

from evidencegraph.endpoint.policy import split_url
from evidencegraph.endpoint.protocol import Endpoint
from evidencegraph.errors import ReadOnlyStoreError

__all__ = ["Endpoint", "ReadOnlyStoreError", "split_url"]
