"""Commands that ask the graph: query, list-queries, trace."""

from __future__ import annotations

from pathlib import Path

import click

from evidencegraph.cli.common import (
    TEXT,
    bounded,
    echo,
    errors_to_exit,
    format_option,
    source_options,
)

# cut at --max-rows; json never is
_CAPPED = (TEXT, "csv", "tsv", "md")


@click.command("list-queries")
@click.option("--readme", is_flag=True, help="Print queries/README.md generated from the headers.")
@errors_to_exit
def list_queries(readme: bool) -> None:
    """List the named query library: name, title, parameters."""
    import evidencegraph as eg

    if readme:
        click.echo(eg.queries_readme(), nl=False)
        return
    queries = eg.list_queries()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        ps = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{q.name:{width}s}  {q.title}" + (f"  [{ps}]" if ps else ""))


@click.command()
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "param_pairs",
    multiple=True,
    metavar="K=V",
    help="Parameter: an IRI, prefixed name, literal or label fragment. Repeatable.",
)
@format_option([TEXT, "csv", "tsv", "json", "md"], TEXT, "Answer format.", table=TEXT)
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
    help="Show at most this many rows in text, md, csv and tsv (0: all); json is never cut.",
)
@source_options()
@errors_to_exit
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
    """Run a named query (see `evidencegraph list-queries`) or a FILE.rq.

    Read-only: updates are refused, and SERVICE/FROM unless --allow-service.
    """
    import evidencegraph as eg

    cap = max_rows if fmt in _CAPPED and max_rows else None

    def work() -> tuple[str, bool]:
        answer = eg.query(
            name,
            param_pairs,
            endpoint=endpoint,
            graph_file=graph_file,
            allow_service=allow_service,
            max_rows=cap,
            timeout=timeout,
        )
        return answer.render(fmt), answer.truncated

    text, truncated = bounded(work, timeout, "the query")
    click.echo(text)
    if truncated:
        click.echo(
            f"note: showing the first {max_rows} rows; --max-rows 0 shows them all", err=True
        )


@click.command()
@click.argument("target", metavar="GUIDANCE")
@click.option("--reverse", is_flag=True, help="From a study up to every guidance that rests on it.")
@format_option([TEXT, "md", "json", "dot"], TEXT, "Output format.")
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
@source_options()
@errors_to_exit
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
    import evidencegraph as eg

    def work() -> tuple[str, str]:
        result = eg.trace(
            target,
            reverse=reverse,
            max_depth=max_depth,
            max_paths=max_paths,
            endpoint=endpoint,
            graph_file=graph_file,
            timeout=timeout,
        )
        return eg.render_trace(result, fmt), result.truncated or ""

    text, truncated = bounded(work, timeout, "the trace")
    echo(text, nl=fmt == TEXT)
    if truncated and fmt != TEXT:
        echo(f"note: {truncated}", err=True)
