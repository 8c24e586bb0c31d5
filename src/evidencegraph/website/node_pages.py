"""One page per node: documents, recommendations, claims, discussion prompts, page
sections, organisations, and a plain page for every other node (findings,
statements, listings, roles, countries ...).

Each renderer lays out facts the graph holds (read by :mod:`.reading`) and,
for documents, the reverse trace; none decides anything about evidence.
"""

from __future__ import annotations

from evidencegraph.querying.records import Link
from evidencegraph.tracing import TraceResult
from evidencegraph.tracing.render import THROUGH_CLAIM
from evidencegraph.website import trace_html
from evidencegraph.website.facts import asserted, incoming, kinds, outgoing
from evidencegraph.website.html import Ctx, esc, section, table, ul
from evidencegraph.website.reading import EG

DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FABIO_YEAR = "http://purl.org/spar/fabio/hasPublicationYear"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
DERIVED = PROV + "wasDerivedFrom"
ATTRIBUTED = PROV + "wasAttributedTo"
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"

_SUMMARY = (
    ("design", EG + "design"),
    ("year", FABIO_YEAR),
    ("title", DCT + "title"),
    ("country", EG + "conductedIn"),
    ("setting", EG + "setting"),
    ("issued by", EG + "issuedBy"),
    ("published by", EG + "publishedBy"),
    ("produced for", EG + "producedFor"),
    ("creator", DCT + "creator"),
    ("identifier", DCT + "identifier"),
    ("description", DCT + "description"),
    ("text", EG + "text"),
    ("quote", EG + "quote"),
    ("key finding", EG + "keyFinding"),
    ("from the page section", DERIVED),
)


def summary(ctx: Ctx, iri: str) -> str:
    """A definition list of the node's main facts, in a fixed order."""
    rows = [f"<dt>class</dt><dd>{kinds(ctx, iri)}</dd>"]
    for name, pred in _SUMMARY:
        values = ctx.data.values(iri, pred)
        if values:
            shown = "; ".join(ctx.link(v) if v.startswith("http") else esc(v) for v in values)
            rows.append(f"<dt>{esc(name)}</dt><dd>{shown}</dd>")
    for x in (x for x in ctx.data.listings if x.document == iri):
        rows.append(
            f"<dt>listed</dt><dd>{esc(x.notation)} ({esc(x.role_label)}), "
            f"number {x.order} in {ctx.link(x.cell)}</dd>"
        )
    return '<dl class="summary">' + "".join(rows) + "</dl>"


def _results(ctx: Ctx, iri: str) -> str:
    data = ctx.data
    key = set(data.values(iri, EG + "keyFinding"))
    found = data.values(iri, EG + "hasFinding")
    results = [f for f in found if data.is_a(f, EG + "Result")]
    rows = []
    for f in sorted(results, key=lambda f: (f not in key, data.label(f))):
        sig = data.value(f, EG + "statisticallySignificant")
        direction = data.value(f, EG + "direction")
        rows.append(
            (
                ctx.link(f) + (" <strong>(headline)</strong>" if f in key else ""),
                esc(data.value(f, EG + "outcome")),
                esc(data.value(f, EG + "intervention")),
                esc(data.value(f, EG + "comparator") or "not stated on the page"),
                esc(data.value(f, EG + "population")),
                ctx.link(direction) if direction else "",
                esc({"true": "yes", "1": "yes", "false": "no", "0": "no"}.get(sig, "")),
            )
        )
    head = [
        "result",
        "outcome",
        "intervention",
        "comparator",
        "population",
        "direction",
        "statistically significant",
    ]
    body = table(head, rows, cls="results")
    figures = [f for f in found if f not in results]
    if figures:
        body += "<h3>Figures and other findings</h3>" + ul(ctx.link(f) for f in figures)
    limits = data.values(iri, EG + "hasLimitation")
    if limits:
        body += "<h3>Limitations the page states</h3>" + ul(
            ctx.link(x) + "".join(f"<br>{esc(t)}" for t in data.values(x, EG + "text"))
            for x in limits
        )
    return section("Results", body, ident="results")


def _hops(ctx: Ctx, iri: str) -> str:
    data = ctx.data
    down = [h for h in data.hops if h.source == iri]
    up = [h for h in data.hops if h.target == iri]
    rows = [
        (
            esc(data.label(h.relation)),
            ctx.link(h.target),
            ctx.link(h.basis),
            ctx.links(h.sections),
            asserted(ctx, h.source, h.relation, h.target),
        )
        for h in down
    ]
    rows += [
        (
            esc(data.inverse.get(h.relation) or data.label(h.relation)),
            ctx.link(h.source),
            ctx.link(h.basis),
            ctx.links(h.sections),
            asserted(ctx, h.source, h.relation, h.target),
        )
        for h in up
    ]
    head = ["relation", "document", "basis", "page sections", "asserted by"]
    return section(
        "What it cites and rests on, and what rests on it",
        table(head, rows, cls="hops"),
        ident="rests-on",
    )


def _how(ctx: Ctx, x: Link) -> str:
    """How a member of an evidence set bears on its target, in words.

    A link through one of the page's claims carries the document's relation to
    the claim; the claim's own link says how the claim bears on the target (a
    trial can support a claim that tempers a recommendation).
    """
    data = ctx.data
    rel = esc(data.label(x.relation))
    if x.basis != THROUGH_CLAIM:
        return rel + (" (via " + ctx.links(x.via) + ")" if x.via else "")
    out = []
    for claim in x.via:
        own = sorted(
            {
                data.label(y.relation)
                for y in data.links
                if y.evidence == claim and y.target == x.target and y.guidance == x.guidance
            }
        )
        which = esc(" and ".join(own)) if own else "bears on"
        out.append(f"{rel} the claim “{ctx.link(claim)}”, which {which} it")
    return "; ".join(out)


def _supports(ctx: Ctx, iri: str) -> str:
    """The recommendations (and guidance) this document or claim supports, tempers or
    bears on, as the evidence links say."""
    data = ctx.data
    rows = [
        (
            _how(ctx, x),
            ctx.link(x.target),
            ctx.link(x.guidance),
            ctx.link(x.basis),
            ctx.links(x.sections),
            esc("; ".join(data.label(b) for b in data.later(x.guidance, iri))),
        )
        for x in data.links
        if x.evidence == iri and x.target != x.guidance
    ]
    head = ["how it bears on it", "recommendation", "of the guidance", "basis", "page sections"]
    head.append("after it")
    return section(
        "Recommendations it supports or tempers", table(head, rows), ident="recommendations"
    )


def _post_dating(ctx: Ctx, iri: str) -> str:
    data = ctx.data
    rows = [
        (ctx.link(g), esc("; ".join(data.label(b) for b in bases)))
        for (g, e), bases in sorted(data.post.items())
        if e == iri
    ]
    dated = {g for (g, e) in data.post if e == iri}
    rows += [
        (ctx.link(g), esc(data.label(EG + "unavailableTo")) + " (says the page)")
        for g in data.values(iri, EG + "unavailableTo")
        if g not in dated  # the build's post-dating already says so, with its basis
    ]
    return section(
        "Published after, or not available to, guidance",
        table(["guidance", "why"], rows),
        ident="post-dating",
    )


def _sections(ctx: Ctx, iri: str) -> str:
    """The page sections that discuss the node, each with its claims about it."""
    data = ctx.data
    items = []
    for sec in data.values(iri, EG + "discussedInSection"):
        claims = [
            c
            for c in data.subjects(DERIVED, sec)
            if data.is_a(c, EG + "Claim") and _touches(ctx, c, iri)
        ]
        items.append(ctx.link(sec) + ul(f"“{ctx.link(c)}”" for c in claims))
    return section("Page sections that discuss it", ul(items), ident="sections")


def _touches(ctx: Ctx, a: str, b: str) -> bool:
    data = ctx.data
    return any(str(o) == b for _p, o in data.out.get(a, ())) or any(
        s == b for s, _p in data.into.get(a, ())
    )


def reverse_trace(ctx: Ctx, result: TraceResult | None) -> str:
    if result is None:
        return ""
    body = "<h3>What rests on it</h3>" + (
        trace_html.tree(ctx, result) or "<p>(nothing rests on it)</p>"
    )
    body += "<h3>In the evidence set of</h3>" + (
        trace_html.evidence_sets(ctx, result) or "<p>(no guidance's evidence set includes it)</p>"
    )
    if result.truncated:
        body += f'<p class="note">{esc(result.truncated)}</p>'
    return section("Every guidance it stands behind (reverse trace)", body, ident="reverse-trace")


def document(ctx: Ctx, iri: str, reverse: TraceResult | None, *, with_summary: bool = True) -> str:
    return "".join(
        [
            summary(ctx, iri) if with_summary else "",
            _results(ctx, iri),
            _hops(ctx, iri),
            reverse_trace(ctx, reverse),
            _supports(ctx, iri),
            _post_dating(ctx, iri),
            _sections(ctx, iri),
            outgoing(ctx, iri),
            incoming(ctx, iri),
        ]
    )


def recommendation(ctx: Ctx, iri: str, profile: str) -> str:
    data = ctx.data
    guidance = data.subjects(EG + "recommends", iri)
    lacks = data.value(iri, EG + "lacksEvidence") in ("true", "1")
    rows = [
        (
            ctx.link(x.evidence),
            _how(ctx, x),
            ctx.link(x.guidance),
            ctx.link(x.basis),
            ctx.links(x.sections),
            esc("; ".join(data.label(b) for b in data.later(x.guidance, x.evidence))),
        )
        for x in data.links
        if x.target == iri
    ]
    head = ["evidence", "how it bears on it", "for the guidance", "basis", "page sections"]
    head.append("after the guidance")
    body = summary(ctx, iri)
    body += section("Recommended by", ul(ctx.link(g) for g in guidance))
    if lacks:
        body += (
            '<p class="warn">The page says no evidence supports this recommendation; what '
            "bears on it below tempers it or bears on it otherwise.</p>"
        )
    body += section("What supports, tempers or bears on it", table(head, rows), ident="evidence")
    body += profile
    return body + outgoing(ctx, iri) + incoming(ctx, iri)


def claim(ctx: Ctx, iri: str, reverse: TraceResult | None) -> str:
    return (
        summary(ctx, iri)
        + reverse_trace(ctx, reverse)
        + _supports(ctx, iri)
        + outgoing(ctx, iri)
        + incoming(ctx, iri)
    )


def page_section(ctx: Ctx, iri: str) -> str:
    """A section of the page: what it discusses, the claims, prompts and relations from it."""
    data = ctx.data
    discussed = data.subjects(EG + "discussedInSection", iri)
    derived = data.subjects(DERIVED, iri)
    claims = [c for c in derived if data.is_a(c, EG + "Claim")]
    prompts = [c for c in derived if data.is_a(c, EG + "DiscussionPrompt")]
    stmts = [c for c in derived if data.is_a(c, RDF_STATEMENT)]
    rows = [
        (
            ctx.link(data.value(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")),
            ctx.link(data.value(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")),
            ctx.link(data.value(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#object")),
            ctx.link(data.value(s, ATTRIBUTED)) if data.value(s, ATTRIBUTED) else "",
        )
        for s in stmts
    ]
    cells = data.subjects(EG + "section", iri)
    body = summary(ctx, iri)
    body += section("In the page of", ul(ctx.link(c) for c in cells))
    body += section("Documents it discusses", ul(ctx.link(d) for d in discussed))
    body += section("Its claims", ul(f"“{ctx.link(c)}”" for c in claims))
    body += section("Its discussion prompts", ul(ctx.link(p) for p in prompts))
    body += section(
        "Relations it asserts",
        table(["subject", "relation", "object", "asserted by"], rows),
        ident="asserts",
    )
    other = [d for d in derived if d not in claims + prompts + stmts]
    body += section("Everything else derived from it", ul(ctx.link(d) for d in other))
    return body + outgoing(ctx, iri)


def prompt(ctx: Ctx, iri: str) -> str:
    about = ctx.data.values(iri, EG + "about")
    return (
        summary(ctx, iri)
        + section("What it is about", ul(ctx.link(a) for a in about))
        + outgoing(ctx, iri)
        + incoming(ctx, iri)
    )


def organisation(ctx: Ctx, iri: str) -> str:
    data = ctx.data
    alt = data.values(iri, SKOS_ALT)
    issued = data.subjects(EG + "issuedBy", iri) + data.subjects(EG + "publishedBy", iri)
    produced = data.subjects(EG + "producedFor", iri)
    asserts = data.subjects(ATTRIBUTED, iri)
    body = summary(ctx, iri)
    if alt:
        body += f"<p>Also called: {esc('; '.join(alt))}</p>"
    body += section("Documents it issued or published", ul(ctx.link(d) for d in issued))
    body += section("Documents produced for it", ul(ctx.link(d) for d in produced))
    body += section(
        "Relations it asserts",
        f"<p>{len(asserts)} statements are attributed to it; each is listed on the page "
        "of the node it is about.</p>"
        if asserts
        else "",
    )
    return body + outgoing(ctx, iri) + incoming(ctx, iri)


def generic(ctx: Ctx, iri: str) -> str:
    return summary(ctx, iri) + outgoing(ctx, iri) + incoming(ctx, iri)
