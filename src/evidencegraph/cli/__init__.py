"""Command line: a thin click layer over the public API (:mod:`evidencegraph`).

Each command parses its options, calls one API function and prints what it
returns; rules, pipelines and formats live below the API. Imports of rdflib,
pySHACL and friends happen inside the commands, so ``--help`` and ``query``
start fast. Every :class:`EvidenceGraphError` becomes one plain line on
stderr and its exit code, never a traceback.
"""

from __future__ import annotations

import signal
from pathlib import Path

import click

from evidencegraph import __version__
from evidencegraph.cli import (
    draw_commands,
    graph_commands,
    query_commands,
    server_commands,
    site_commands,
)
from evidencegraph.cli.common import renamed_command


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
    # A shell starts a background job with SIGINT ignored, and Python keeps it so;
    # Ctrl-C's signal must stop (and clean up after) every command however started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if store_engine != "oxigraph" or store_dir is not None:
        import evidencegraph as eg

        eg.configure(engine=store_engine, store_dir=store_dir)


for _command in (
    graph_commands.validate,
    graph_commands.build,
    graph_commands.stats,
    graph_commands.format_files,
    query_commands.list_queries,
    query_commands.query,
    query_commands.trace,
    draw_commands.viz,
    draw_commands.export_graph,
    site_commands.site,
    server_commands.push,
    server_commands.serve,
):
    main.add_command(_command)

# Former names, hidden, for one release.
renamed_command(main, graph_commands.format_files, "fmt")
renamed_command(main, query_commands.list_queries, "queries")

if __name__ == "__main__":
    main()
