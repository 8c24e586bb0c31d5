"""Command line: a thin click layer over the public API.

Imports of rdflib, pySHACL and friends happen inside the commands, so
``--help`` and ``query`` start fast. Every :class:`EvidenceGraphError` becomes
one plain line on stderr and its exit code, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from evidencegraph import __version__


def _errors_to_exit(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from evidencegraph.errors import EvidenceGraphError

        try:
            return fn(*args, **kwargs)
        except EvidenceGraphError as err:
            _echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except RecursionError:
            click.echo("error: input nested too deeply to process", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print text that may hold data: control characters never reach the terminal."""
    from evidencegraph.output import terminal_safe

    click.echo(terminal_safe(text), err=err, nl=nl)


def _bounded(fn: Callable[[], Any], timeout: float, what: str) -> Any:
    from evidencegraph.limits import bounded

    return bounded(fn, timeout=timeout, what=what)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evidencegraph")
@click.option(
    "--store-engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    envvar="EVIDENCEGRAPH_ENGINE",
    help="Store behind the rdflib API: Oxigraph, or rdflib's own (the slow baseline).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EVIDENCEGRAPH_STORE",
    help="Keep the graph in an on-disk Oxigraph store, reused while data/ is unchanged.",
)
def main(store_engine: str, store_dir: Path | None) -> None:
    """evidencegraph: a knowledge graph of research evidence on alcohol treatment.

    Build and validate the graph, query it with SPARQL, trace what guidance
    rests on, and draw it for workshops.
    """
    if store_engine != "oxigraph" or store_dir is not None:
        from evidencegraph import engine

        engine.configure(store_engine, store_dir)


def _validator_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--validator",
        type=click.Choice(["auto", "pyshacl", "fast"]),
        default="auto",
        show_default=True,
        help="pySHACL (the reference), fast (each shape compiled to one whole-graph SPARQL "
        "query on Oxigraph, same results), or auto: fast above 5,000 triples.",
    )(fn)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "turtle", "json"]),
    default="human",
    show_default=True,
    help="Report format.",
)
@_validator_option
@_errors_to_exit
def validate(paths: tuple[Path, ...], fmt: str, validator: str) -> None:
    """Validate the ontology and data (or PATHS) against ontology/shapes.ttl.

    Exit 0 conforms, 1 violations, 2 load or parse error.
    """
    from evidencegraph.loader import load
    from evidencegraph.validation import validate as run_validate

    graph = load(list(paths) if paths else None, reuse=False)
    result = run_validate(graph, validator=validator)
    if fmt == "turtle":
        _echo(result.report_graph.serialize(format="turtle"))
    elif fmt == "json":
        import json

        _echo(
            json.dumps(
                {
                    "conforms": result.conforms,
                    "results": [r.__dict__ for r in result.results],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for r in result.results:
            _echo(r.line())
        click.echo(result.summary(), err=not result.conforms)
    sys.exit(0 if result.conforms else 1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder.",
)
@_validator_option
@_errors_to_exit
def build(paths: tuple[Path, ...], out_dir: Path, validator: str) -> None:
    """Validate, apply the inference rules and write graph.ttl/.nt/.jsonld and report.txt.

    Reads ontology/ and data/ (or PATHS, files or folders). Writes nothing if
    the data do not conform (exit 1).
    """
    from evidencegraph.builder import build as run_build
    from evidencegraph.errors import ValidationFailed

    try:
        res = run_build(out_dir, list(paths) if paths else None, validator=validator)
    except ValidationFailed as err:
        for r in err.result.results:
            _echo(r.line(), err=True)
        raise
    for line in res.summary_lines():
        click.echo(line)
    click.echo(f"built in {res.seconds:.2f} s")


@main.command()
@_errors_to_exit
def stats() -> None:
    """Counts by class and by relation (asserted, then with inference)."""
    from evidencegraph import stats as stats_mod
    from evidencegraph.builder import infer
    from evidencegraph.loader import load

    graph = load(reuse=False)
    asserted = stats_mod.compute(graph)
    infer(graph)
    inferred = stats_mod.compute(graph)
    click.echo(f"triples: {asserted.triples} asserted, {inferred.triples} with inference")
    click.echo("classes (asserted):")
    for c, n in asserted.classes.items():
        click.echo(f"  {n:5d}  {c}")
    click.echo("relations (asserted → with inference):")
    for rel, n in inferred.relations.items():
        click.echo(f"  {asserted.relations.get(rel, 0):5d} → {n:5d}  {rel}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1).")
@_errors_to_exit
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite data Turtle files in canonical sorted form (default: every file in data/)."""
    from evidencegraph.fmt import format_files

    results = format_files(list(paths) or None, check=check)
    changed = [r.path for r in results if r.changed]
    for p in changed:
        click.echo(f"{'not canonical' if check else 'reformatted'}: {p}")
    if check and changed:
        click.echo("run `evidencegraph fmt` to fix", err=True)
        sys.exit(1)
    click.echo(
        f"{len(results)} files checked, {len(changed)} "
        f"{'not canonical' if check else 'reformatted'}"
    )


@main.command("queries")
@click.option("--readme", is_flag=True, help="Print queries/README.md generated from the headers.")
@_errors_to_exit
def list_queries(readme: bool) -> None:
    """List the named query library: name, title, parameters."""
    from evidencegraph import library

    if readme:
        click.echo(library.readme_text(), nl=False)
        return
    queries = list(library.all_queries().values())
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        ps = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{q.name:{width}s}  {q.title}" + (f"  [{ps}]" if ps else ""))


def _source_options(default_timeout: float = 30.0) -> Callable[..., Any]:
    """Options shared by commands that read the graph or an endpoint."""

    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option(
            "--endpoint",
            metavar="URL",
            help="Run on this SPARQL 1.1 endpoint instead of the embedded graph.",
        )(fn)
        fn = click.option(
            "--graph",
            "graph_file",
            type=click.Path(exists=True, path_type=Path),
            help="Read this built graph (graph.ttl/.nt) instead of ontology/ and data/.",
        )(fn)
        fn = click.option(
            "--timeout",
            type=float,
            default=default_timeout,
            show_default=True,
            help="Wall-clock limit in seconds for the whole command (embedded graph or "
            "endpoint); also each endpoint request's limit.",
        )(fn)
        return fn

    return add


@main.command()
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "param_pairs",
    multiple=True,
    metavar="K=V",
    help="Parameter: an IRI, prefixed name, literal or label fragment. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "md"]),
    default="table",
    show_default=True,
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Permit SERVICE and FROM (network and file access). Off by default.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Show at most this many rows in table, md, csv and tsv (0: all); json is never cut.",
)
@_source_options()
@_errors_to_exit
def query(
    name: str,
    param_pairs: tuple[str, ...],
    fmt: str,
    allow_service: bool,
    max_rows: int,
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Run a named query (see `evidencegraph queries`) or a FILE.rq.

    Read-only: updates are refused, and SERVICE/FROM unless --allow-service.
    """
    from evidencegraph import output, params
    from evidencegraph import querying as q

    values = params.parse_assignments(param_pairs)
    cap = max_rows if fmt in output.TEXT_FORMATS and max_rows else None

    def work() -> tuple[str, bool]:
        source = q.open_source(
            endpoint=endpoint, graph_file=graph_file, timeout=timeout, allow_service=allow_service
        )
        outcome = q.run_query(
            name, values, source=source, allow_service=allow_service, max_rows=cap
        )
        text = output.render(outcome.result, fmt, labels=lambda iris: q.labels_for(source, iris))
        return text, bool(getattr(outcome.result, "truncated", False))

    text, truncated = _bounded(work, timeout, "the query")
    click.echo(text)
    if truncated:
        click.echo(
            f"note: showing the first {max_rows} rows; --max-rows 0 shows them all", err=True
        )


@main.command()
@click.argument("target", metavar="GUIDANCE")
@click.option("--reverse", is_flag=True, help="From a study up to every guidance that rests on it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json", "dot"]),
    default="text",
    show_default=True,
)
@click.option(
    "--max-depth",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Stop following a path after this many hops.",
)
@click.option(
    "--max-paths",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="Stop after this many paths (reported when hit).",
)
@_source_options()
@_errors_to_exit
def trace(
    target: str,
    reverse: bool,
    fmt: str,
    max_depth: int,
    max_paths: int,
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Trace GUIDANCE (IRI, prefixed name or label fragment) down to the studies it rests on.

    Shows each hop's relation, who asserts it and the page section, then the
    guidance's recommendations with what supports, tempers or post-dates them.
    """
    from evidencegraph import querying as q
    from evidencegraph import tracing as tr

    def work() -> tuple[str, str]:
        source = q.open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
        result = tr.trace(
            target, reverse=reverse, source=source, max_depth=max_depth, max_paths=max_paths
        )
        return tr.RENDERERS[fmt](result), result.truncated or ""

    text, truncated = _bounded(work, timeout, "the trace")
    _echo(text, nl=fmt == "text")
    if truncated and fmt != "text":
        _echo(f"note: {truncated}", err=True)


def _validated_ntriples(graph_file: Path | None) -> tuple[bytes, int]:
    """The graph to publish, as sorted N-Triples: validated first, never pushed if invalid."""
    from evidencegraph import serialise
    from evidencegraph.builder import infer
    from evidencegraph.errors import ValidationFailed
    from evidencegraph.loader import load, load_graph_file
    from evidencegraph.validation import validate as run_validate

    graph = load_graph_file(graph_file) if graph_file else load()
    result = run_validate(graph)
    if not result.conforms:
        for r in result.results:
            click.echo(r.line(), err=True)
        raise ValidationFailed(f"refusing to publish an invalid graph ({result.summary()})")
    if graph_file is None:
        infer(graph)
    return serialise.to_ntriples(graph).encode("utf-8"), len(graph)


@main.command()
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Server base URL (Oxigraph: http://host:7878) or its …/query URL.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="Replace this named graph (default: the default graph).",
)
@click.option("--gsp", "gsp_url", metavar="URL", help="Graph Store URL, if not <base>/store.")
@click.option(
    "--file",
    "graph_file",
    type=click.Path(exists=True, path_type=Path),
    help="Push this built graph instead of building ontology/ + data/ in memory.",
)
@click.option("--timeout", type=float, default=30.0, show_default=True)
@_errors_to_exit
def push(
    url: str, graph_iri: str | None, gsp_url: str | None, graph_file: Path | None, timeout: float
) -> None:
    """Upload the built, validated graph with the SPARQL 1.1 Graph Store Protocol (PUT).

    Credentials come only from EVIDENCEGRAPH_ENDPOINT_USER/_PASSWORD or _TOKEN.
    """
    from evidencegraph.endpoint import Endpoint
    from evidencegraph.limits import check_seconds

    check_seconds(timeout)
    data, n = _validated_ntriples(graph_file)
    Endpoint(url, timeout=timeout).push(data, graph_iri, gsp_url)
    click.echo(f"pushed {n} triples to {url}" + (f" (graph <{graph_iri}>)" if graph_iri else ""))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. 127.0.0.1: this machine only; 0.0.0.0: every machine "
    "on the network (a workshop room).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port (0 picks a free one).",
)
@click.option(
    "--file",
    "graph_file",
    type=click.Path(exists=True, path_type=Path),
    help="Serve this built graph instead of building ontology/ + data/ in memory.",
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Stop any one query after this many seconds.",
)
@_errors_to_exit
def serve(host: str, port: int, graph_file: Path | None, timeout: float) -> None:
    """Serve the built graph read-only (a SPARQL workbench), on 127.0.0.1 by default.

    Oxigraph answers on a private loopback port behind a proxy that refuses
    SERVICE, FROM and updates and stops queries at --timeout. SIGTERM, SIGHUP
    and Ctrl-C stop the server and remove its files.
    """
    import os
    import signal
    import tempfile
    import threading

    from evidencegraph import server
    from evidencegraph.limits import check_seconds
    from evidencegraph.proxy import SafeProxy

    check_seconds(timeout)

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    proxy = SafeProxy(host, port, 0, query_timeout=timeout)  # the port is taken now, or never
    try:
        data, n = _validated_ntriples(graph_file)
        server.clean_stale_temp()
        prefix = f"{server.TEMP_PREFIX}{os.getpid()}-"
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            nt = Path(tmp) / "graph.nt"
            nt.write_bytes(data)
            with server.running_server(nt, read_only=True, query_timeout=timeout) as srv:
                proxy.backend_port = srv.port
                thread = threading.Thread(target=proxy.serve_forever, daemon=True)
                thread.start()
                url = f"http://{host}:{proxy.port}"
                click.echo(f"serving {n} triples read-only on {url}/")
                click.echo(f"SPARQL query page: {url}/")
                click.echo(f"endpoint: {url}/query  (evidencegraph query NAME --endpoint {url})")
                if host not in ("127.0.0.1", "localhost", "::1"):
                    click.echo(
                        "reachable from other machines: read-only, SERVICE/FROM refused, "
                        f"queries stopped after {timeout:g} s"
                    )
                click.echo("Ctrl-C stops the server")
                try:
                    _supervise(srv, proxy)
                except KeyboardInterrupt:
                    click.echo("stopped", err=True)
                finally:
                    proxy.shutdown()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        proxy.server_close()


def _supervise(srv: Any, proxy: Any) -> None:
    """Keep Oxigraph answering until interrupted: a query stuck past its limit, or a
    crash, restarts it (queries running at that moment fail, the rest go on)."""
    import time

    restarts: list[float] = []
    while True:
        stuck = proxy.stuck.wait(0.5)
        if not stuck and srv.process.poll() is None:
            continue
        why = "a query ran past its limit" if stuck else "it stopped"
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < 60] + [now]
        if len(restarts) > 10:
            from evidencegraph.errors import EvidenceGraphError

            raise EvidenceGraphError("the SPARQL server had to be restarted 10 times in a minute")
        srv.restart()
        proxy.backend_port = srv.port
        proxy.stuck.clear()
        click.echo(f"restarted the SPARQL server ({why})", err=True)


_VIZ_CLASSES = (
    "organisation, guidance, recommendation, claim, commentary, review, trial, study, other"
)
_VIZ_RELATIONS = (
    "cites-as-evidence, uses-data-from, takes-lead-from, rests-on, tempers, "
    "supports, bears-on, similar-to, related-to, same-team-as, recommends, issued-by, "
    "produced-for, not-available-to, analyses"
)


def _filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--classes and --relations, shared by viz and export."""
    fn = click.option(
        "--relations",
        multiple=True,
        metavar="LIST",
        help=f"Draw only these relations (comma-separated, repeatable): {_VIZ_RELATIONS}.",
    )(fn)
    fn = click.option(
        "--classes",
        multiple=True,
        metavar="LIST",
        help=f"Draw only these classes (comma-separated, repeatable): {_VIZ_CLASSES}.",
    )(fn)
    return fn


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/viz"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--focus",
    metavar="LABEL|IRI",
    help="Draw only this node and its focus set: for a guidance, what it rests on, "
    "its recommendations and what tempers them.",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 100),
    default=None,
    metavar="N",
    help="With --focus: follow at most N hops of 'rests on'  [default: 10].",
)
@_filter_options
@_source_options(300.0)
@_errors_to_exit
def viz(
    out_dir: Path,
    focus: str | None,
    depth: int | None,
    classes: tuple[str, ...],
    relations: tuple[str, ...],
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Draw the graph for workshops: graph.html, evidence-map.html/.csv, figures/.

    graph.html is one self-contained file (opens offline, from a USB stick);
    figures/<guidance>.svg and .png are 16:9 slide figures drawn by Graphviz.
    --focus, --classes and --relations restrict every output to the same subset.
    """
    import time

    from evidencegraph import querying as q
    from evidencegraph.viz import visualise

    start = time.perf_counter()

    def work() -> list[Path]:
        source = q.open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
        return visualise(
            out_dir,
            focus=focus,
            depth=depth,
            classes=classes or None,
            relations=relations or None,
            source=source,
        )

    written = _bounded(work, timeout, "viz")
    for path in written:
        click.echo(str(path))
    click.echo(f"wrote {len(written)} files in {time.perf_counter() - start:.2f} s", err=True)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "cytoscape-json", "dot", "nt"]),
    required=True,
    help="graphml and gexf for Gephi, cytoscape-json for Cytoscape "
    "Desktop, dot for Graphviz, nt: the whole graph streamed from "
    "the store as N-Triples (for bulk loaders).",
)
@click.option(
    "--out",
    metavar="FILE",
    default=None,
    help="Output file, or - for standard output  "
    "[default: build/evidencegraph.<graphml|gexf|cyjs|dot|nt>].",
)
@_filter_options
@_source_options(300.0)
@_errors_to_exit
def export_graph(
    fmt: str,
    out: str | None,
    classes: tuple[str, ...],
    relations: tuple[str, ...],
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Export the drawn graph with labels, classes, years and relation names as attributes."""
    from evidencegraph import querying as q
    from evidencegraph.export import export

    def work() -> Path:
        source = q.open_source(endpoint=endpoint, graph_file=graph_file, timeout=timeout)
        return export(fmt, out, source=source, classes=classes or None, relations=relations or None)

    path = _bounded(work, timeout, "export")
    if str(path) != "-":
        click.echo(str(path))


if __name__ == "__main__":
    main()
