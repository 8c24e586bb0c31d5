"""The SPARQL 1.1 Protocol request for a query, built by SPARQLWrapper.

SPARQLWrapper encodes the protocol (query parameters, GET or URL-encoded
POST, the endpoint's own parameters such as ``default-graph-uri``). Its
``query()`` would also send the request through urllib's global opener,
which cannot hold this tool's deadline, size limit and redirect rules, so
only the request is taken from it (``_createRequest``, the one seam it has)
and :mod:`evidencegraph.endpoint` sends it.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from evidencegraph.errors import ReadOnlyError


def query_request(
    query_url: str, text: str, form: str, *, agent: str, use_post: bool
) -> urllib.request.Request:
    """A read-only request for a checked query of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE).

    SPARQLWrapper guesses the form with a regex and sends whatever it takes
    for an update as ``update=`` (a SELECT whose header comment has a line
    "#   ...; add the year" comes out as ADD). The real parser has decided:
    its form is used, and an update is never built.
    """
    from SPARQLWrapper import GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

    parts = urlsplit(query_url)
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    sw = SPARQLWrapper(bare, agent=agent)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        sw.addParameter(key, value)  # e.g. default-graph-uri, infer=false
    sw.setQuery(text)
    sw.queryType = form
    if sw.isSparqlUpdateRequest():  # pragma: no cover - cannot happen after the line above
        raise ReadOnlyError("read-only: refusing to send an update; nothing was sent")
    sw.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    sw.setMethod(POST if use_post else GET)
    sw.setRequestMethod(URLENCODED)
    return sw._createRequest()
