"""Commands that draw or export the graph: viz, export."""

from __future__ import annotations

import time
from pathlib import Path

import click

from evidencegraph.cli.common import (
    bounded,
    echo,
    errors_to_exit,
    filter_options,
    format_option,
    renamed_option,
    source_options,
)


@click.command()
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
    "--max-depth",
    type=click.IntRange(0, 100),
    default=None,
    metavar="N",
    help="With --focus: follow at most N hops of 'rests on'  [default: 10].",
)
@renamed_option("--depth", "--max-depth", "max_depth", type=click.IntRange(0, 100))
@filter_options
@source_options(300.0)
@errors_to_exit
def viz(
    out_dir: Path,
    focus: str | None,
    max_depth: int | None,
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
    import evidencegraph as eg

    start = time.perf_counter()

    def work() -> list[Path]:
        return eg.visualise(
            out_dir,
            focus=focus,
            max_depth=max_depth,
            classes=classes or None,
            relations=relations or None,
            endpoint=endpoint,
            graph_file=graph_file,
            timeout=timeout,
        )

    written = bounded(work, timeout, "viz")
    for path in written:
        echo(str(path))
    click.echo(f"wrote {len(written)} files in {time.perf_counter() - start:.2f} s", err=True)


@click.command("export")
@format_option(
    ["graphml", "gexf", "cytoscape-json", "dot", "nt"],
    None,
    "graphml and gexf for Gephi, cytoscape-json for Cytoscape Desktop, dot for Graphviz, "
    "nt: the whole graph streamed from the store as N-Triples (for bulk loaders).",
)
@click.option(
    "--out",
    "out_file",
    metavar="FILE",
    default=None,
    help="Output file, or - for standard output  "
    "[default: build/evidencegraph.<graphml|gexf|cyjs|dot|nt>].",
)
@filter_options
@source_options(300.0)
@errors_to_exit
def export_graph(
    fmt: str,
    out_file: str | None,
    classes: tuple[str, ...],
    relations: tuple[str, ...],
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Export the drawn graph with labels, classes, years and relation names as attributes."""
    import evidencegraph as eg

    def work() -> Path:
        return eg.export(
            fmt,
            out_file,
            classes=classes or None,
            relations=relations or None,
            endpoint=endpoint,
            graph_file=graph_file,
            timeout=timeout,
        )

    path = bounded(work, timeout, "export")
    if str(path) != "-":
        echo(str(path))
