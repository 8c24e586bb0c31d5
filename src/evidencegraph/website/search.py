"""The search index: every node's label, class and page, as JSON
(``search-index.json``) and as a script the home page loads
(``assets/search-index.js``), since a page opened from ``file://`` cannot fetch
JSON."""

from __future__ import annotations

import json

from evidencegraph.website.addresses import page_of
from evidencegraph.website.html import json_script
from evidencegraph.website.reading import SiteData

YEAR = "http://purl.org/spar/fabio/hasPublicationYear"


def entries(data: SiteData) -> list[dict]:
    return [
        {
            "label": data.label(iri),
            "page": page_of(iri),
            "kind": ", ".join(data.label(t) for t in data.types(iri)[:3]),
            "year": data.value(iri, YEAR)[:4],
        }
        for iri in data.nodes()
    ]


def files(data: SiteData) -> dict[str, str]:
    index = entries(data)
    return {
        "search-index.json": json.dumps(index, ensure_ascii=False, indent=0) + "\n",
        "assets/search-index.js": f"window.EG_SEARCH = {json_script(index)};\n",
    }
