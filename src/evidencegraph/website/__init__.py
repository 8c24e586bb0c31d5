"""``evidencegraph site``: a static site of the graph for reviewers, and the workbench
``serve`` hosts beside it.

Every node under ``https://w3id.org/evidencegraph/id/`` gets a page
(``id/<path>.html``) with its Turtle and JSON-LD beside it; guidance pages carry
the forward trace and each recommendation's evidence profile, document pages
the reverse trace. Site-wide: the home page, an index per class, the query
library with current results, the ontology's documentation, downloads, the
viz outputs (``viz/``), the search index and redirect files. Modules:

- :mod:`.reading`: the graph through ``sparql/site-*.rq`` and trace's queries;
- :mod:`.html`, :mod:`.addresses`: escaping, the page shell, relative links;
- :mod:`.home`, :mod:`.node_pages`, :mod:`.guidance_page`, :mod:`.indexes`,
  :mod:`.query_pages`, :mod:`.ontology_page`, :mod:`.downloads`,
  :mod:`.workbench`: one renderer per page kind;
- :mod:`.linked_data`, :mod:`.schema_org`, :mod:`.search`, :mod:`.redirects`.

The set is written with :func:`evidencegraph.writing.write_outputs`: whole or
not at all, and nothing removed that an earlier ``site`` did not write.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from html import escape, unescape  # names: the package's .html module is `html` here
from importlib import resources
from pathlib import Path
from typing import Any

from evidencegraph.errors import EvidenceGraphError, OutputError
from evidencegraph.website import (
    downloads,
    guidance_page,
    home,
    indexes,
    linked_data,
    node_pages,
    ontology_page,
    query_pages,
    reading,
    redirects,
    schema_org,
    search,
    workbench,
)
from evidencegraph.website.addresses import is_node, node_path, page_of
from evidencegraph.website.html import Ctx, shell
from evidencegraph.website.reading import EG, SiteData

DEFAULT_OUT = Path("build/site")
ASSETS = (
    "site.css",
    "site.js",
    "workbench.js",
    "yasqe/yasqe.min.js",
    "yasqe/yasqe.min.css",
    "yasqe/NOTICE",
)
__all__ = ["DEFAULT_OUT", "site"]


def _assets() -> dict[str, str | bytes]:
    root = resources.files("evidencegraph").joinpath("website", "assets")
    return {f"assets/{name}": root.joinpath(name).read_bytes() for name in ASSETS}


def _viz(src: Any) -> dict[str, str | bytes]:
    """The workshop views, as ``viz`` writes them, copied under ``viz/``."""
    from evidencegraph.viz import visualise

    with tempfile.TemporaryDirectory(prefix="evidencegraph-site-viz-") as tmp:
        # without Graphviz the pages are written all the same, without figures
        with contextlib.suppress(OutputError):
            visualise(tmp, source=src)
        files: dict[str, str | bytes] = {
            f"viz/{p.relative_to(tmp).as_posix()}": p.read_bytes()
            for p in sorted(Path(tmp).rglob("*"))
            if p.is_file() and not p.name.startswith(".")
        }
    if "viz/evidence-map.html" in files:
        files["viz/evidence-map.html"] = _map_links(files["viz/evidence-map.html"])
    return files


_MAP_ROW = re.compile(r'(<tr data-iri="([^"]+)"><th scope="row">)(.*?)(<span class="yr">)', re.S)


def _map_links(page: str | bytes) -> bytes:
    """The site's copy of the evidence map links each guidance (a row) to its page."""
    text = page.decode("utf-8") if isinstance(page, bytes) else page

    def link(m: re.Match[str]) -> str:
        iri = unescape(m.group(2))
        if not is_node(iri):
            return m.group(0)
        href = escape("../" + page_of(iri), quote=True)
        return f'{m.group(1)}<a href="{href}">{m.group(3)}</a>{m.group(4)}'

    return _MAP_ROW.sub(link, text).encode("utf-8")


def _shapes_source() -> Any:
    from evidencegraph.paths import SHAPES_FILE
    from evidencegraph.querying import open_source

    if not SHAPES_FILE.is_file():
        return None
    return open_source(graph_file=SHAPES_FILE)


def _kind(data: SiteData, iri: str) -> str:
    for cls, kind in (
        (EG + "Guidance", "guidance"),
        (EG + "Document", "document"),
        (EG + "Recommendation", "recommendation"),
        (EG + "Claim", "claim"),
        (EG + "DiscussionPrompt", "prompt"),
        (EG + "PageSection", "section"),
        (EG + "Organisation", "organisation"),
    ):
        if data.is_a(iri, cls):
            return kind
    return "node"


# A much-cited trial's reverse tree grows with every chain above it: a page shows the
# first paths (and says so); `evidencegraph trace --reverse` shows them all.
REVERSE_PATHS = 100


def _trace(src: Any, iri: str, reverse: bool) -> Any:
    from evidencegraph.tracing import trace

    if reverse:
        return trace(iri, reverse=True, source=src, max_paths=REVERSE_PATHS)
    return trace(iri, source=src)


def _node_page(
    data: SiteData, iri: str, terms: set[str], src: Any, profiles: list[reading.Profile]
) -> str:
    page = page_of(iri)
    ctx = Ctx(data, page, terms)
    kind = _kind(data, iri)
    if kind == "guidance":
        forward = _trace(src, iri, False)
        body = node_pages.summary(ctx, iri) + guidance_page.forward(ctx, forward, profiles)
        body += node_pages.document(ctx, iri, _trace(src, iri, True), with_summary=False)
    elif kind == "document":
        body = node_pages.document(ctx, iri, _trace(src, iri, True))
    elif kind == "recommendation":
        mine = [p for p in profiles if p.recommendation == iri]
        body = node_pages.recommendation(ctx, iri, guidance_page.profiles_by_guidance(ctx, mine))
    elif kind == "claim":
        body = node_pages.claim(ctx, iri, _trace(src, iri, True))
    elif kind == "prompt":
        body = node_pages.prompt(ctx, iri)
    elif kind == "section":
        body = node_pages.page_section(ctx, iri)
    elif kind == "organisation":
        body = node_pages.organisation(ctx, iri)
    else:
        body = node_pages.generic(ctx, iri)
    if kind in ("guidance", "document", "recommendation", "claim"):
        body = ctx.views(iri) + body
    return shell(ctx, data.label(iri), body, node=iri, schema=schema_org.for_node(data, iri))


def render(
    src: Any, *, base_url: str | None = None, with_viz: bool = True
) -> dict[str, str | bytes]:
    """Every file of the site, by its path inside the site folder."""
    from evidencegraph.querying import library

    data = reading.read(src)
    terms = ontology_page.read(src, _shapes_source())
    known = set(terms)
    profiles = reading.profiles(src)
    queries = list(library.all_queries().values())
    by_class = indexes.members(data)
    files: dict[str, str | bytes] = {}
    files.update(_assets())
    files.update(downloads.files(src))
    files.update(search.files(data))
    files.update(redirects.files(base_url))
    files["assets/queries.js"] = workbench.queries_js(queries)
    if with_viz:
        files.update(_viz(src))

    for iri in data.nodes():
        files[page_of(iri)] = _node_page(data, iri, known, src, profiles)
        files[node_path(iri) + ".ttl"] = linked_data.turtle(data, iri)
        files[node_path(iri) + ".jsonld"] = linked_data.jsonld(data, iri)

    for page, (ctx, title, body) in indexes.class_pages(data, by_class, known).items():
        files[page] = shell(ctx, title, body)
    ctx = Ctx(data, "classes.html", known)
    files["classes.html"] = shell(ctx, "Index of classes", indexes.overview(ctx, by_class))

    for q in queries:
        ctx = Ctx(data, query_pages.page(q.name), known)
        title, body = query_pages.render(ctx, q, src)
        files[ctx.page] = shell(ctx, title, body)
    ctx = Ctx(data, "queries.html", known)
    files["queries.html"] = shell(ctx, "Query library", query_pages.library_page(ctx, queries))

    ctx = Ctx(data, "ontology.html", known)
    files["ontology.html"] = shell(ctx, "Ontology", ontology_page.render(ctx, terms))

    sizes = {k: len(v) for k, v in files.items()}
    total = sum(1 for _ in downloads.whole_graph(src))
    ctx = Ctx(data, "downloads.html", known)
    files["downloads.html"] = shell(ctx, "Downloads", downloads.render(ctx, sizes, total))

    ctx = Ctx(data, "workbench.html", known)
    files["workbench.html"] = shell(
        ctx,
        "SPARQL workbench",
        workbench.render(ctx),
        scripts=("assets/yasqe/yasqe.min.js", "assets/queries.js", "assets/workbench.js"),
        styles=("assets/yasqe/yasqe.min.css",),
    )

    counts = {
        data.label(c): len(by_class[c])
        for c in sorted(by_class, key=lambda c: data.label(c))
        if c.startswith(EG)
    }
    counts["triples in the graph"] = total
    guidance = sorted(by_class.get(EG + "Guidance", []), key=data.label)
    ctx = Ctx(data, "index.html", known)
    files["index.html"] = shell(
        ctx,
        data.dataset.get("label", "evidencegraph"),
        home.render(ctx, counts, guidance),
        schema=schema_org.for_dataset(data, counts),
        scripts=("assets/search-index.js", "assets/site.js"),
    )
    return files


def site(
    out_dir: Path | str = DEFAULT_OUT,
    *,
    source: Any = None,
    base_url: str | None = None,
    with_viz: bool = True,
) -> list[Path]:
    """Write the site into ``out_dir`` as one set; the paths written, ``index.html`` first."""
    from evidencegraph.querying import open_source
    from evidencegraph.writing import write_outputs

    src = source or open_source()
    files = render(src, base_url=base_url, with_viz=with_viz)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: not a folder")
    try:
        written = write_outputs(out, files, fsync_each=False)
    except EvidenceGraphError:
        raise
    index = out / "index.html"
    return [index, *(p for p in written if p != index)]
