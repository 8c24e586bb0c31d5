"""evidencegraph: a knowledge graph of research evidence on alcohol treatment.

This module is the public API, and the only one the command line uses. Each
function does one job of the data flow (files → load → validate → build →
query / trace / viz / export, plus push and serve) and imports what it needs
only when called, so ``import evidencegraph`` stays cheap.

Commands that read the graph take the same three ways to reach it:
``endpoint`` (a SPARQL 1.1 endpoint URL), ``graph_file`` (a built graph), or
neither (``ontology/`` + ``data/`` with the rules applied in memory); a
``source`` from :func:`open_source` reuses one graph across calls.

Errors are the typed errors of :mod:`evidencegraph.errors`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from evidencegraph._version import __version__
from evidencegraph.errors import (
    EndpointError,
    EvidenceGraphError,
    LoadError,
    OutputError,
    ParameterError,
    QueryError,
    ReadOnlyError,
    ReadOnlyStoreError,
    UnsupportedShapeError,
    ValidationFailed,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from evidencegraph.building.canonical import FormatResult
    from evidencegraph.building.pipeline import BuildResult
    from evidencegraph.building.stats import Counts
    from evidencegraph.querying.library import NamedQuery
    from evidencegraph.querying.run import QueryOutcome
    from evidencegraph.querying.source import Source
    from evidencegraph.shacl.report import ValidationResult
    from evidencegraph.tracing.model import TraceResult

T = TypeVar("T")
Sources = Sequence[Path | str] | None

__all__ = [
    "EndpointError",
    "EvidenceGraphError",
    "LoadError",
    "OutputError",
    "ParameterError",
    "QueryError",
    "ReadOnlyError",
    "ReadOnlyStoreError",
    "UnsupportedShapeError",
    "ValidationFailed",
    "__version__",
    "build",
    "configure",
    "export",
    "format_files",
    "list_queries",
    "load",
    "open_source",
    "push",
    "queries_readme",
    "query",
    "render_trace",
    "run_bounded",
    "serve",
    "site",
    "stats",
    "terminal_safe",
    "trace",
    "validate",
    "visualise",
]


# ---------------------------------------------------------------- the graph


def configure(*, engine: str | None = None, store_dir: Path | None = None) -> None:
    """Choose the engine (``oxigraph``, or ``rdflib``: the slow baseline) and an
    on-disk Oxigraph store for every graph this process loads."""
    from evidencegraph import engine as _engine

    _engine.configure(engine, store_dir)


def load(sources: Sources = None, *, engine: str | None = None) -> Graph:
    """Ontology and data (or ``sources``: files and folders) as one rdflib graph."""
    from evidencegraph.loading import load as _load

    return _load(sources, engine_name=engine)


def validate(
    graph: Graph | None = None, *, sources: Sources = None, validator: str = "auto"
) -> ValidationResult:
    """Validate ``graph``, or ``sources`` (default: ontology + data), against the shapes.

    ``validator``: ``pyshacl`` (the reference), ``fast`` (the SHACL-to-SPARQL
    compiler) or ``auto`` (fast above 5,000 triples).
    """
    from evidencegraph.loading import load as _load
    from evidencegraph.shacl import validate as _validate

    if graph is None:
        graph = _load(sources, reuse=False)
    return _validate(graph, validator=validator)


def build(
    out_dir: Path | str = "build", sources: Sources = None, *, validator: str = "auto"
) -> BuildResult:
    """Validate, apply the rules and write ``graph.ttl/.nt/.jsonld`` and ``report.txt``.

    Raises :class:`ValidationFailed` (with ``.result``) and writes nothing
    when the data do not conform.
    """
    from evidencegraph.building import build as _build

    return _build(out_dir, sources, validator=validator)


def stats(sources: Sources = None) -> Counts:
    """Counts by class and by relation, as asserted and with the rules applied."""
    from evidencegraph.building.stats import count
    from evidencegraph.loading import load as _load

    return count(_load(sources, reuse=False))


def format_files(paths: Sequence[Path] | None = None, *, check: bool = False) -> list[FormatResult]:
    """Rewrite curated Turtle files (default: every ``.ttl`` in ``data/``) in canonical
    form; with ``check``, only report which are not."""
    from evidencegraph.building.canonical import format_files as _format

    return _format(list(paths) if paths else None, check=check)


# ---------------------------------------------------------------- queries


def open_source(
    *,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    timeout: float = 30.0,
    allow_service: bool = False,
) -> Source:
    """Where queries run: an endpoint, a built graph file, or the embedded graph."""
    from evidencegraph.querying import open_source as _open

    return _open(
        endpoint=endpoint, graph_file=graph_file, timeout=timeout, allow_service=allow_service
    )


def list_queries() -> list[NamedQuery]:
    """The named query library (``queries/``), by name."""
    from evidencegraph.querying import library

    return list(library.all_queries().values())


def queries_readme() -> str:
    """``queries/README.md`` as generated from the queries' headers."""
    from evidencegraph.querying import library

    return library.readme_text()


def query(
    name_or_file: str,
    params: Mapping[str, str] | Sequence[str] | None = None,
    *,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    source: Source | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
    timeout: float = 30.0,
) -> QueryOutcome:
    """Run a named query or a ``.rq`` file, read-only, parameters bound as terms.

    ``params`` (a mapping, or ``"name=value"`` strings) are IRIs, prefixed
    names, literals or label fragments. The answer renders itself:
    ``query(...).render("csv")``.
    """
    from evidencegraph.querying import run_query
    from evidencegraph.querying.params import parse_assignments

    if params is not None and not isinstance(params, Mapping):
        params = parse_assignments(list(params))
    src = source or open_source(
        endpoint=endpoint, graph_file=graph_file, timeout=timeout, allow_service=allow_service
    )
    return run_query(
        name_or_file, params, source=src, allow_service=allow_service, max_rows=max_rows
    )


def trace(
    target: str,
    *,
    reverse: bool = False,
    max_depth: int = 10,
    max_paths: int = 1000,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    source: Source | None = None,
    timeout: float = 30.0,
) -> TraceResult:
    """What a guidance rests on (or, with ``reverse``, every guidance a document
    stands behind), read from the evidence model the build materialised."""
    from evidencegraph.tracing import trace as _trace

    src = source or open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
    return _trace(target, reverse=reverse, source=src, max_depth=max_depth, max_paths=max_paths)


def render_trace(result: TraceResult, fmt: str = "text") -> str:
    """A trace as ``text``, ``md``, ``json`` or ``dot``."""
    from evidencegraph.tracing import render

    return render(result, fmt)


# ---------------------------------------------------------------- drawings


def visualise(
    out_dir: Path | str = "build/viz",
    *,
    focus: str | None = None,
    max_depth: int | None = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    source: Source | None = None,
    timeout: float = 300.0,
) -> list[Path]:
    """Write ``graph.html``, ``evidence-map.html/.csv`` and ``figures/`` into ``out_dir``."""
    from evidencegraph.viz import visualise as _visualise

    src = source or open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
    return _visualise(
        out_dir, focus=focus, depth=max_depth, classes=classes, relations=relations, source=src
    )


def export(
    fmt: str,
    out: Path | str | None = None,
    *,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    source: Source | None = None,
    timeout: float = 300.0,
) -> Path:
    """Write the drawn graph as GraphML, GEXF, Cytoscape JSON or DOT, or the whole graph
    as N-Triples (``nt``); ``out="-"`` writes to standard output."""
    from evidencegraph.exporting import export as _export

    src = source or open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
    return _export(fmt, out, source=src, classes=classes, relations=relations)


def site(
    out_dir: Path | str = "build/site",
    *,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    source: Source | None = None,
    base_url: str | None = None,
    timeout: float = 300.0,
) -> list[Path]:
    """Write the static site (every node a page, guidance traces, query library,
    ontology docs, downloads, linked data) into ``out_dir``; ``index.html`` first.

    ``base_url``: where the site will be published, for the w3id redirect file.
    """
    from evidencegraph.website import site as _site

    src = source or open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
    return _site(out_dir, source=src, base_url=base_url)


# ---------------------------------------------------------------- servers


def push(
    url: str,
    *,
    graph_iri: str | None = None,
    gsp_url: str | None = None,
    graph_file: Path | None = None,
    timeout: float = 30.0,
) -> int:
    """Replace a store's default graph (or ``graph_iri``) with the validated, built graph
    by Graph Store PUT; how many triples were sent. Nothing is sent if it does not conform."""
    from evidencegraph.building.publish import publishable
    from evidencegraph.endpoint import Endpoint
    from evidencegraph.limits import check_seconds

    check_seconds(timeout)
    endpoint = Endpoint(url, timeout=timeout)  # a bad URL is refused before any work
    graph = publishable(graph_file)
    endpoint.push(graph.ntriples, graph_iri, gsp_url)
    return graph.triples


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    graph_file: Path | None = None,
    timeout: float = 30.0,
    site_dir: Path | None = None,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
) -> None:
    """Serve the validated graph read-only until interrupted (SIGTERM, SIGHUP, Ctrl-C),
    with its site and SPARQL workbench (``site_dir``: serve that site folder as it is
    instead of writing one from the graph).

    ``say`` receives the addresses to open; ``warn`` restarts and the stop.
    """
    from evidencegraph.serving.loop import serve as _serve

    _serve(
        host=host,
        port=port,
        graph_file=graph_file,
        timeout=timeout,
        site_dir=site_dir,
        say=say,
        warn=warn,
    )


# ---------------------------------------------------------------- for programs


def run_bounded(fn: Callable[[], T], *, timeout: float, what: str = "the query") -> T:
    """Run ``fn`` within ``timeout`` seconds and the memory limit, or end the process.

    For command-line programs: Oxigraph cannot be interrupted from Python, so
    past a limit (or on Ctrl-C) this prints one line and exits (2, or 130).
    """
    from evidencegraph.limits import bounded

    return bounded(fn, timeout=timeout, what=what)


def terminal_safe(text: str) -> str:
    """``text`` with control characters written as visible ``\\uXXXX`` escapes."""
    from evidencegraph.escaping import terminal_safe as _safe

    return _safe(text)
