"""The home page: the cell as the page presents it. Listed documents by role (S, K, R,
G) in page order with headline, year and key finding; the dataset's dates and
attribution; counts; and a search box over every node (``assets/search-index.js``).
"""

from __future__ import annotations

from evidencegraph.website.addresses import page_of
from evidencegraph.website.html import Ctx, esc, section, table, ul
from evidencegraph.website.reading import EG

YEAR = "http://purl.org/spar/fabio/hasPublicationYear"
DCT = "http://purl.org/dc/terms/"


def _listed(ctx: Ctx) -> str:
    data = ctx.data
    parts = []
    for cell in sorted({x.cell for x in data.listings}):
        listed = [x for x in data.listings if x.cell == cell]
        roles: list[str] = []
        for x in listed:  # roles in the order the page first lists them
            if x.notation not in roles:
                roles.append(x.notation)
        parts.append(f"<h3>{ctx.link(cell)}</h3>")
        for role in roles:
            rows = []
            for x in (x for x in listed if x.notation == role):
                key = data.value(x.document, EG + "keyFinding")
                rows.append(
                    (
                        esc(x.order),
                        ctx.link(x.document),
                        esc(data.value(x.document, YEAR)[:4]),
                        esc(data.label(key)) if key else "",
                    )
                )
            label = next((x.role_label for x in listed if x.notation == role), role)
            parts.append(
                table(
                    ["on the page", "headline", "year", "key finding"],
                    rows,
                    caption=f"{role}: {label}",
                    cls="listing",
                )
            )
    return section("Listed documents, as the page lists them", "".join(parts), ident="listed")


def _dataset(ctx: Ctx) -> str:
    ds = ctx.data.dataset
    rows = [
        f"<dt>{esc(k)}</dt><dd>{esc(ds[v])}</dd>"
        for k, v in (
            ("version", "version"),
            ("attribution", "attribution"),
        )
        if ds.get(v)
    ]
    dataset = ds.get("dataset")
    if dataset:
        rows.append(f"<dt>dataset</dt><dd>{ctx.link(dataset)}</dd>")
    page = ds.get("source")
    if page:
        rows.append(f"<dt>from the page</dt><dd>{ctx.link(page)}</dd>")
    rows += [
        f"<dt>{esc(k)}</dt><dd>{esc(ds[v])}</dd>"
        for k, v in (
            ("page first uploaded", "firstUploaded"),
            ("page last revised", "lastRevised"),
        )
        if ds.get(v)
    ]
    return section("The dataset", '<dl class="summary">' + "".join(rows) + "</dl>")


def _counts(ctx: Ctx, counts: dict[str, int]) -> str:
    rows = [(esc(name), esc(n)) for name, n in counts.items()]
    return section("Counts", table(["what", "how many"], rows, cls="counts"), ident="counts")


def _search(ctx: Ctx) -> str:
    return section(
        "Search",
        '<form role="search" class="search" onsubmit="return false">'
        '<label for="q">Find a document, claim, recommendation or any node by name</label> '
        '<input id="q" type="search" autocomplete="off" aria-controls="hits">'
        '</form><ul id="hits" aria-live="polite"></ul>',
        ident="search",
    )


def render(ctx: Ctx, counts: dict[str, int], guidance: list[str]) -> str:
    data = ctx.data
    cells = sorted({x.cell for x in data.listings})
    about = "".join(f"<p>{esc(data.value(c, DCT + 'description'))}</p>" for c in cells)
    more = ul(
        [
            f'<a href="{ctx.href("classes.html")}">An index of every class and its nodes</a>',
            f'<a href="{ctx.href("viz/evidence-map.html")}">The evidence map</a> '
            "(guidance × evidence)",
            f'<a href="{ctx.href("viz/graph.html#site")}">The interactive graph</a>',
            f'<a href="{ctx.href("queries.html")}">The query library</a> with current results',
            f'<a href="{ctx.href("ontology.html")}">The ontology</a>',
            f'<a href="{ctx.href("downloads.html")}">Downloads</a>: Turtle, N-Triples, JSON-LD',
            f'<a href="{ctx.href("workbench.html")}">The SPARQL workbench</a> '
            "(with <code>evidencegraph serve</code>)",
        ]
    )
    trace = ul(f'<a href="{ctx.href(page_of(g))}">{esc(data.label(g))}</a>' for g in guidance)
    return "".join(
        [
            about,
            _search(ctx),
            section("Guidance and what it rests on", trace, ident="guidance"),
            _listed(ctx),
            _dataset(ctx),
            _counts(ctx, counts),
            section("Explore", more),
        ]
    )
