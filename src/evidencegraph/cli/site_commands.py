"""The command that writes the static site: site."""

from __future__ import annotations

import time
from pathlib import Path

import click

from evidencegraph.cli.common import bounded, echo, errors_to_exit, source_options


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),  # a file here is the API's one-line error
    default=Path("build/site"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Where the site will be published, for the w3id.org redirect file (w3id.htaccess).",
)
@source_options(300.0)
@errors_to_exit
def site(
    out_dir: Path,
    base_url: str | None,
    endpoint: str | None,
    graph_file: Path | None,
    timeout: float,
) -> None:
    """Write a static site of the graph for reviewers: every node a page.

    Guidance pages show what they rest on and each recommendation's evidence
    profile; document pages what rests on them. It opens offline from
    index.html, and `evidencegraph serve` hosts it with a SPARQL workbench.
    """
    import evidencegraph as eg

    start = time.perf_counter()

    def work() -> list[Path]:
        return eg.site(
            out_dir, endpoint=endpoint, graph_file=graph_file, base_url=base_url, timeout=timeout
        )

    written = bounded(work, timeout, "site")
    click.echo(f"wrote {len(written)} files in {time.perf_counter() - start:.2f} s", err=True)
    echo(f"open {written[0].resolve().as_uri()}")
