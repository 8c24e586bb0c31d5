"""A guidance's page: its forward trace as a readable tree, then each recommendation
with its evidence profile (results by design and direction, from the
``evidence-profile`` named query), what tempers it and what came later.

The tree is :func:`evidencegraph.trace`'s, so the page names exactly what
``evidencegraph trace`` names; a reviewer prints this page.
"""

from __future__ import annotations

from evidencegraph.tracing import TraceResult
from evidencegraph.website import trace_html
from evidencegraph.website.html import Ctx, esc, section, table
from evidencegraph.website.reading import EG, Profile

TEMPERS = "https://w3id.org/evidencegraph/ontology#tempers"


def profiles_by_guidance(ctx: Ctx, rows: list[Profile]) -> str:
    """A recommendation's profiles, one table per guidance that makes it (each
    guidance's evidence set is its own)."""
    out = []
    for g in sorted({p.guidance for p in rows}, key=ctx.data.label):
        table_html = profile_table(ctx, [p for p in rows if p.guidance == g])
        out.append(
            table_html.replace(
                "<h4>Evidence profile</h4>", f"<h4>Evidence profile, for {ctx.link(g)}</h4>", 1
            )
        )
    return "".join(out)


def profile_table(ctx: Ctx, rows: list[Profile]) -> str:
    """Results behind one recommendation, by design and direction."""
    body = table(
        ["design", "direction", "results", "significant", "not significant", "documents"],
        [
            (
                ctx.link(p.design),
                ctx.link(p.direction),
                str(p.results),
                str(p.significant),
                str(p.not_significant),
                str(p.documents),
            )
            for p in rows
        ],
        cls="profile",
    )
    if not body:
        return ""
    note = (
        '<p class="note">Counted by the <code>evidence-profile</code> query: the results of '
        "every document in the evidence set that bears on the recommendation, whether it "
        "supports or tempers it; headline results that sum up others are left out. A "
        "result's direction is its own (favourable: it favoured the intervention it "
        "tested over its comparator), which is not always the recommendation's. Where the "
        "page does not say whether a result was significant it counts in neither column.</p>"
    )
    return "<h4>Evidence profile</h4>" + body + note


def _recommendation(ctx: Ctx, result: TraceResult, rec, profiles: list[Profile]) -> str:
    iri = rec.iri
    parts = [f'<h3 id="{esc("rec-" + iri.rsplit("/", 1)[-1])}">{ctx.link(iri)}</h3>']
    for text in ctx.data.values(iri, EG + "text"):  # the recommendation in the page's words
        parts.append(f'<p class="rec-text">{esc(text)}</p>')
    if rec.lacks_evidence:
        parts.append(
            '<p class="warn">⚠ The page says no evidence supports it; what bears on it '
            "below tempers it or bears on it otherwise.</p>"
        )
    bearers = trace_html.bearers(ctx, result, iri)
    if bearers:
        parts.append("<h4>What supports, tempers or bears on it</h4>" + bearers)
    elif not rec.lacks_evidence:
        parts.append("<p>(nothing bearing on it is recorded)</p>")
    tempers = sorted(
        {x.evidence for x in result.links_to(iri) if x.relation == TEMPERS}, key=result.label
    )
    if tempers:
        parts.append(
            "<h4>What tempers it</h4><ul>"
            + "".join(f"<li>{ctx.link(t, result.label(t))}</li>" for t in tempers)
            + "</ul>"
        )
    later = sorted(
        {x.evidence for x in result.links_to(iri) if result.later(x.guidance, x.evidence)},
        key=result.label,
    )
    if later:
        parts.append(
            "<h4>What came later</h4><ul>"
            + "".join(
                f"<li>{ctx.link(e, result.label(e))}: "
                f"{esc('; '.join(result.label(b) for b in result.later(result.root, e)))}</li>"
                for e in later
            )
            + "</ul>"
        )
    mine = [p for p in profiles if p.recommendation == iri and p.guidance == result.root]
    parts.append(profile_table(ctx, mine))
    return '<div class="rec">' + "".join(parts) + "</div>"


def forward(ctx: Ctx, result: TraceResult, profiles: list[Profile]) -> str:
    """The trace sections of a guidance page."""
    body = section(
        "What it rests on",
        trace_html.tree(ctx, result) or "<p>(no evidence it rests on is recorded)</p>",
        ident="rests-on-tree",
    )
    own = trace_html.bearers(ctx, result, result.root)
    body += section("What bears on the guidance itself", own, ident="bears-on")
    recs = sorted(result.recommendations, key=lambda r: result.label(r.iri))
    body += section(
        "Recommendations and their evidence",
        "".join(_recommendation(ctx, result, r, profiles) for r in recs),
        ident="recommendation-evidence",
    )
    if result.truncated:
        body += f'<p class="note">{esc(result.truncated)}</p>'
    return f'<div id="trace" class="trace">{body}</div><!-- /trace -->'
