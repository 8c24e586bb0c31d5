"""The parts every node page has: what the graph says about the node, what points
to it, and who asserts each relation (a reified statement's attribution and
page section, and the relation's own basis in the ontology)."""

from __future__ import annotations

from evidencegraph.website.addresses import slug
from evidencegraph.website.html import Ctx, esc, section, table
from evidencegraph.website.reading import RDF_TYPE

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def asserted(ctx: Ctx, s: str, p: str, o: str) -> str:
    """Who asserts ``s p o``, from which page section and in what words (the reified
    statement's label keeps the page's hedges), and the relation's basis.

    A relation with a basis in the ontology but no statement was derived by the
    build's rules (an inverse, a closure, a super-property): it is said to be
    derived, not given a basis nobody asserted.
    """
    data = ctx.data
    found = data.assertions.get((s, p, o), ())
    bits = [
        " ".join(
            x
            for x in (
                ctx.link(a.attributed_to) if a.attributed_to else "",
                f"in {ctx.link(a.section)}" if a.section else "",
                f"(“{ctx.link(a.statement)}”)",
            )
            if x
        )
        for a in found
    ]
    basis = data.basis.get(p)
    if basis and found:
        bits.append(f'<span class="basis">{ctx.link(basis)}</span>')
    elif basis:
        bits.append('<span class="derived">derived by the build’s rules</span>')
    return "; ".join(bits)


def class_page(cls: str) -> str:
    from evidencegraph.namespaces import shorten

    return f"classes/{slug(shorten(cls))}.html"


def kinds(ctx: Ctx, iri: str) -> str:
    """The node's most specific classes (a trial is not also called a work and a
    document), each a link to its index; the index pages list the rest."""
    return ", ".join(
        f'<a href="{ctx.href(class_page(t))}">{esc(ctx.data.label(t))}</a>'
        for t in ctx.data.specific_types(iri)
    )


def outgoing(ctx: Ctx, iri: str) -> str:
    rows = []
    data = ctx.data
    for p, o in sorted(data.out.get(iri, ()), key=lambda po: (data.label(po[0]), str(po[1]))):
        if p in (RDF_TYPE, RDFS_LABEL):  # the class line and the page's heading say these
            continue
        rows.append((ctx.link(p), ctx.value(o), asserted(ctx, iri, p, str(o))))
    return section(
        "What the graph says about it",
        table(["relation or property", "value", "asserted by"], rows, cls="facts"),
        ident="facts",
    )


MAX_INCOMING = 300  # a page stays small however much points to a node


def incoming(ctx: Ctx, iri: str) -> str:
    data = ctx.data
    rows = []
    pairs = sorted(data.into.get(iri, ()), key=lambda sp: (data.label(sp[1]), data.label(sp[0])))
    # a reified statement points at its subject and object: it is shown as who
    # asserts the relation, not as a node that points here
    pairs = [(s, p) for s, p in pairs if not p.startswith(RDF_NS)]
    for s, p in pairs[:MAX_INCOMING]:
        rows.append((ctx.link(s), ctx.link(p), asserted(ctx, s, p, iri)))
    more = (
        f'<p class="note">The first {MAX_INCOMING} of {len(pairs)}; the workbench lists '
        "them all.</p>"
        if len(pairs) > MAX_INCOMING
        else ""
    )
    head = ["node", "relation (from that node to this one)", "asserted by"]
    return section("What points to it", table(head, rows, cls="facts") + more, ident="incoming")
