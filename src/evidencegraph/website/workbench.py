"""``workbench.html``: the SPARQL workbench ``evidencegraph serve`` hosts beside the site.

The editor is YASQE from npm (``@zazuko/yasqe``), vendored in ``assets/yasqe/`` so
the site installs with pip alone and works offline; the named queries and the
graph's prefixes travel in ``assets/queries.js``. Opened from ``file://`` the page
says to run ``evidencegraph serve``.
"""

from __future__ import annotations

from typing import Any

from evidencegraph.website.html import Ctx, json_script

VENDORED = ("assets/yasqe/yasqe.min.js", "assets/yasqe/yasqe.min.css", "assets/yasqe/NOTICE")


def queries_js(queries: list[Any]) -> str:
    from evidencegraph.namespaces import PREFIXES

    data = {
        "prefixes": dict(PREFIXES),
        "queries": [
            {
                "name": q.name,
                "title": q.title,
                "purpose": q.purpose,
                "params": [p.name for p in q.params],
                "text": q.text,
            }
            for q in queries
        ],
    }
    return f"window.EG_QUERIES = {json_script(data)};\n"


def render(ctx: Ctx) -> str:
    return (
        '<div class="workbench">'
        "<p>Write SPARQL, or load a named query. The graph's prefixes are declared for you; "
        "results name each node by its label and link to its page. Ctrl+Enter runs.</p>"
        '<div class="bar"><label for="wb-query">Named query</label>'
        '<select id="wb-query"><option value="">(choose one)</option></select></div>'
        '<p id="wb-about" class="note"></p>'
        '<div id="wb-editor" aria-label="SPARQL query editor"></div>'
        '<div class="bar"><button type="button" id="wb-run">Run</button>'
        '<button type="button" id="wb-csv">Download CSV</button>'
        '<button type="button" id="wb-json">Download JSON</button>'
        '<span id="wb-status" role="status"></span></div>'
        '<p id="wb-error" role="alert"></p>'
        '<div id="wb-results"></div>'
        "</div>"
    )
