"""An index per class: ``classes.html`` lists every class with how many nodes it has,
and ``classes/<class>.html`` (split every :data:`PAGE_SIZE` nodes) lists them, so a
crawl from the home page reaches every node."""

from __future__ import annotations

from collections import defaultdict

from evidencegraph.website.facts import class_page
from evidencegraph.website.html import Ctx, esc, table
from evidencegraph.website.reading import SiteData

PAGE_SIZE = 1000
UNTYPED = "untyped"
YEAR = "http://purl.org/spar/fabio/hasPublicationYear"


def members(data: SiteData) -> dict[str, list[str]]:
    """Nodes by each class they have (inferred classes included), by label."""
    out: dict[str, list[str]] = defaultdict(list)
    for iri in data.nodes():
        types = data.types(iri)
        for t in types or [UNTYPED]:
            out[t].append(iri)
    for t in out:
        out[t].sort(key=lambda i: (data.label(i).lower(), i))
    return dict(out)


def page_names(cls: str, n: int) -> list[str]:
    first = class_page(cls) if cls != UNTYPED else "classes/untyped.html"
    pages = [first]
    for k in range(2, (n - 1) // PAGE_SIZE + 2):
        pages.append(first.removesuffix(".html") + f"-{k}.html")
    return pages


def overview(ctx: Ctx, by_class: dict[str, list[str]]) -> str:
    rows = []
    for cls in sorted(by_class, key=lambda c: ctx.data.label(c).lower()):
        name = "nodes with no class" if cls == UNTYPED else ctx.data.label(cls)
        href = ctx.href(page_names(cls, len(by_class[cls]))[0])
        rows.append((f'<a href="{href}">{esc(name)}</a>', esc(cls), str(len(by_class[cls]))))
    return table(["class", "IRI", "nodes"], rows, cls="classes")


def class_pages(data: SiteData, by_class: dict[str, list[str]], terms: set[str]) -> dict:
    """(page, title, body) for each page of each class index."""
    out = {}
    for cls, nodes in by_class.items():
        names = page_names(cls, len(nodes))
        for k, page in enumerate(names):
            ctx = Ctx(data, page, terms)
            chunk = nodes[k * PAGE_SIZE : (k + 1) * PAGE_SIZE]
            rows = [(ctx.link(i), esc(data.value(i, YEAR)[:4])) for i in chunk]
            body = ""
            if cls != UNTYPED:
                body += f"<p>Class {ctx.link(cls)}: {len(nodes)} nodes.</p>"
            if len(names) > 1:
                body += (
                    '<nav aria-label="Pages of this index"><p>Pages: '
                    + " ".join(
                        f'<a href="{ctx.href(n)}">{i + 1}</a>' if n != page else f"{i + 1}"
                        for i, n in enumerate(names)
                    )
                    + "</p></nav>"
                )
            body += table(["node", "year"], rows)
            title = "Nodes with no class" if cls == UNTYPED else f"Index: {data.label(cls)}"
            out[page] = (ctx, title + (f" (page {k + 1})" if k else ""), body)
    return out
