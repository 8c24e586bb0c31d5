"""A trace (:mod:`evidencegraph.tracing`) as nested HTML lists with links.

The same tree as ``evidencegraph trace`` prints, in the same order and with
the same names (relations, bases, sections are the ontology's and the page's
labels), but every document, claim and recommendation is a link to its page.
"""

from __future__ import annotations

from evidencegraph.tracing import TraceResult
from evidencegraph.tracing.model import Hop, Link
from evidencegraph.tracing.render import RESTS, THROUGH_CLAIM, merged_tree
from evidencegraph.website.html import Ctx, esc


def _node(ctx: Ctx, result: TraceResult, iri: str) -> str:
    n = result.node(iri)
    if n.kind:
        return f"“{ctx.link(iri, result.label(iri))}” ({esc(n.kind)})"
    bits = [b for b in (str(n.year) if n.year else "", n.design, ", ".join(n.countries)) if b]
    return ctx.link(iri, result.label(iri)) + (f" ({esc('; '.join(bits))})" if bits else "")


def _found(result: TraceResult, iri: str) -> str:
    finding = result.node(iri).key_finding
    return f'<p class="found">found: {esc(finding)}</p>' if finding else ""


def _names(result: TraceResult, iris: tuple[str, ...] | list[str]) -> str:
    return esc("; ".join(result.label(i) for i in iris))


def _why(result: TraceResult, bases: list[str] | tuple[str, ...], sections) -> str:
    return (
        '<span class="why">['
        + esc("; ".join([*(result.label(b) for b in bases), *(result.label(s) for s in sections)]))
        + "]</span>"
    )


def _later(result: TraceResult, guidance: str, evidence: str) -> str:
    bases = result.later(guidance, evidence)
    if not bases:
        return ""
    return f' <span class="later">after the guidance: {_names(result, bases)}</span>'


def _hop(ctx: Ctx, result: TraceResult, hop: Hop) -> str:
    if result.reverse:
        rel = ", ".join(result.node(r).inverse or result.label(r) for r in hop.relations)
    else:
        rel = ", ".join(result.label(r) for r in hop.relations)
    return (
        f'<span class="rel">{esc(rel)}</span> {_why(result, hop.bases, hop.sections)} '
        f"{_node(ctx, result, hop.target)}{_found(result, hop.target)}"
    )


def _nest(items: list[tuple[int, str]]) -> str:
    """(depth, html) items in display order as nested ``<ul>`` lists."""
    out: list[str] = []
    depth = -1
    for d, text in items:
        if d > depth:
            out.append("<ul>" * (d - depth))
        else:
            out.append("</li>" + "</ul></li>" * (depth - d))
        out.append(f"<li>{text}")
        depth = d
    if depth >= 0:
        out.append("</li>" + "</ul></li>" * depth + "</ul>")
    return "".join(out)


def tree(ctx: Ctx, result: TraceResult) -> str:
    """What the root rests on (or, reversed, what rests on it) as a tree."""
    return _nest([(d, _hop(ctx, result, h)) for d, h in merged_tree(result)])


def bearers(ctx: Ctx, result: TraceResult, target: str) -> str:
    """What bears on ``target``, with the documents behind each claim under it."""
    links = result.links_to(target)
    direct = [x for x in links if x.basis != THROUGH_CLAIM and x.relation not in RESTS]
    through = [x for x in links if x.basis == THROUGH_CLAIM]
    items: list[tuple[int, str]] = []
    for x in sorted(direct, key=lambda x: (result.label(x.relation), result.label(x.evidence))):
        items.append((0, _bearer(ctx, result, x, "it")))
        for y in sorted(through, key=lambda y: result.label(y.evidence)):
            if x.evidence in y.via:
                items.append((1, _bearer(ctx, result, y, "the claim")))
    return _nest(items)


def _bearer(ctx: Ctx, result: TraceResult, x: Link, what: str) -> str:
    return (
        f'{_node(ctx, result, x.evidence)} — <span class="rel">{esc(result.label(x.relation))}'
        f"</span> {what} {_why(result, [x.basis], x.sections)}"
        f"{_later(result, x.guidance, x.evidence)}{_found(result, x.evidence)}"
    )


def evidence_sets(ctx: Ctx, result: TraceResult) -> str:
    """Reversed: every guidance whose evidence set holds the root, and how."""
    items: list[tuple[int, str]] = []
    for g in sorted({x.guidance for x in result.links}, key=result.label):
        items.append((0, _node(ctx, result, g)))
        mine = [x for x in result.links if x.guidance == g]
        for x in sorted(
            mine, key=lambda x: (x.target != g, result.label(x.relation), result.label(x.target))
        ):
            items.append((1, _membership(ctx, result, x)))
        later = result.later(g, result.root)
        if later:
            names = _names(result, later)
            items.append((1, f'<span class="later">after the guidance: {names}</span>'))
    return _nest(items)


def _membership(ctx: Ctx, result: TraceResult, x: Link) -> str:
    """How the root is in a guidance's evidence set, said from the root's side
    ("it rests on this document", "this document tempers …"), so a reader never takes
    the guidance for the one relied on."""
    rel = esc(result.label(x.relation))
    this = "this claim" if result.node(result.root).kind else "this document"
    via = " (via " + "; ".join(ctx.link(v, result.label(v)) for v in x.via) + ")" if x.via else ""
    if x.basis == THROUGH_CLAIM:
        parts = []
        for c in x.via:
            own = sorted(
                {
                    ctx.data.label(y.relation)
                    for y in ctx.data.links
                    if y.evidence == c and y.target == x.target and y.guidance == x.guidance
                }
            )
            which = esc(" and ".join(own)) if own else "bears on"
            parts.append(
                f"{this} {rel} the claim “{ctx.link(c, result.label(c))}”, which {which} "
                f"“{ctx.link(x.target)}”"
            )
        what = "; ".join(parts)
    elif x.target == x.guidance and x.relation in RESTS:
        what = f"it {rel} {this}{via}"
    elif x.target == x.guidance:
        what = f"{this} {rel} it{via}"
    else:
        what = f"{this} {rel} “{ctx.link(x.target, result.label(x.target))}”{via}"
    return f"{what} {_why(result, [x.basis], x.sections)}"
