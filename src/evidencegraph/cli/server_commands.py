"""Commands that talk to SPARQL servers: push, serve."""

from __future__ import annotations

from pathlib import Path

import click

from evidencegraph.cli.common import (
    echo,
    errors_to_exit,
    graph_file_option,
    renamed_option,
    timeout_option,
)


@click.command()
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Server base URL (Oxigraph: http://host:7878) or its …/query URL.",
)
@click.option(
    "--named-graph",
    "graph_iri",
    metavar="IRI",
    help="Replace this named graph (default: the default graph).",
)
@renamed_option("--graph", "--named-graph", "graph_iri")
@click.option("--gsp", "gsp_url", metavar="URL", help="Graph Store URL, if not <base>/store.")
@graph_file_option(
    "Push this built graph instead of building ontology/ + data/ in memory.", old="--file"
)
@timeout_option(30.0, "Limit in seconds for each request to the server.")
@errors_to_exit
def push(
    url: str, graph_iri: str | None, gsp_url: str | None, graph_file: Path | None, timeout: float
) -> None:
    """Upload the built, validated graph with the SPARQL 1.1 Graph Store Protocol (PUT).

    Credentials come only from EVIDENCEGRAPH_ENDPOINT_USER/_PASSWORD or _TOKEN.
    """
    import evidencegraph as eg

    n = eg.push(url, graph_iri=graph_iri, gsp_url=gsp_url, graph_file=graph_file, timeout=timeout)
    echo(f"pushed {n} triples to {url}" + (f" (graph <{graph_iri}>)" if graph_iri else ""))


@click.command()
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
@graph_file_option(
    "Serve this built graph instead of building ontology/ + data/ in memory.", old="--file"
)
@timeout_option(30.0, "Stop any one query after this many seconds.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Serve this site folder (from `evidencegraph site`) as it is, instead of "
    "writing the site of the served graph.",
)
@errors_to_exit
def serve(
    host: str, port: int, graph_file: Path | None, timeout: float, site_dir: Path | None
) -> None:
    """Serve the graph read-only with its site and a SPARQL workbench, on 127.0.0.1.

    The site's pages, and the graph's IRIs under /id/ by content negotiation
    (HTML, Turtle, JSON-LD, N-Triples); /workbench.html runs SPARQL. Oxigraph
    answers on a private loopback port behind a proxy that refuses SERVICE,
    FROM and updates and stops queries at --timeout. SIGTERM, SIGHUP and
    Ctrl-C stop the server and remove its files.
    """
    import evidencegraph as eg

    eg.serve(
        host=host,
        port=port,
        graph_file=graph_file,
        timeout=timeout,
        site_dir=site_dir,
        say=lambda line: click.echo(line),
        warn=lambda line: click.echo(line, err=True),
    )
