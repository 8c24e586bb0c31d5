"""The query library: ``queries.html`` lists every named query by its question, and
``queries/<name>.html`` shows its purpose, parameters, SPARQL and current results
as a table with labels (at most :data:`MAX_ROWS` rows; the workbench runs it all).

A required parameter is bound to the example the query's header gives.
"""

from __future__ import annotations

from typing import Any

from evidencegraph.errors import EvidenceGraphError
from evidencegraph.website.addresses import slug
from evidencegraph.website.html import Ctx, esc, table

MAX_ROWS = 200


def page(name: str) -> str:
    return f"queries/{slug(name)}.html"


def _cell(ctx: Ctx, term: Any) -> str:
    if term is None:
        return ""
    return ctx.value(term)


def _results(ctx: Ctx, q: Any, src: Any) -> tuple[str, int | None]:
    from evidencegraph.querying import run_query

    params = {p.name: p.example for p in q.params if p.required and p.example}
    try:
        answer = run_query(q.name, params, source=src, max_rows=MAX_ROWS).result
    except EvidenceGraphError as err:
        return f'<p class="note">Not run on this graph: {esc(err)}</p>', None
    if answer.type == "ASK":
        return f"<p>Answer: <strong>{esc(bool(answer.askAnswer))}</strong></p>", 1
    if answer.type != "SELECT":
        return '<p class="note">Not a SELECT query; run it in the workbench.</p>', None
    names = [str(v) for v in answer.vars or []]
    rows = [[_cell(ctx, t) for t in row] for row in answer]
    bound = "".join(f" with {esc(k)} = <code>{esc(v)}</code>" for k, v in params.items())
    if not rows:
        return f"<p>No rows{bound}.</p>", 0
    note = (
        f'<p class="note">The first {MAX_ROWS} rows; the workbench runs it all.</p>'
        if getattr(answer, "truncated", False)
        else ""
    )
    head = f"<p>{len(rows)} row{'s' if len(rows) != 1 else ''}{bound}:</p>"
    return head + table(names, rows, cls="answer") + note, len(rows)


def render(ctx: Ctx, q: Any, src: Any) -> tuple[str, str]:
    """(title, body) of one query's page."""
    params = "".join(
        f"<li><code>{esc(p.name)}</code> ({esc(p.type)}, "
        f"{'required' if p.required else 'optional'})"
        + (f", e.g. <code>{esc(p.example)}</code>" if p.example else "")
        + "</li>"
        for p in q.params
    )
    results, _n = _results(ctx, q, src)
    body = [
        f"<p>{esc(q.purpose)}</p>",
        f"<p>Needs: {esc(q.needs)}.</p>" if q.needs else "",
        f"<h2>Parameters</h2><ul>{params}</ul>" if params else "",
        f'<p><a href="{ctx.href("workbench.html")}#query={esc(q.name)}">Open in the workbench'
        "</a> (with <code>evidencegraph serve</code>)</p>",
        "<h2>SPARQL</h2>",
        f'<pre class="sparql"><code>{esc(q.text)}</code></pre>',
        "<h2>Current results</h2>",
        results,
    ]
    return f"{q.name}: {q.title}", "".join(body)


def library_page(ctx: Ctx, queries: list[Any]) -> str:
    rows = [
        (
            f'<a href="{ctx.href(page(q.name))}">{esc(q.name)}</a>',
            esc(q.title),
            esc(", ".join(p.name + ("" if p.required else "?") for p in q.params)),
        )
        for q in queries
    ]
    intro = (
        "<p>Every named query of <code>queries/</code>: its question, its SPARQL and its "
        "results on this graph. Queries under <code>checks/</code> are integrity checks "
        "that must return no rows.</p>"
    )
    return intro + table(["query", "question", "parameters"], rows, cls="queries")
