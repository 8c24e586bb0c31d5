"""Commands on the files themselves: validate, build, stats, format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evidencegraph.cli.common import (
    TEXT,
    echo,
    errors_to_exit,
    format_option,
    validator_option,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option([TEXT, "turtle", "json"], TEXT, "Report format.", human=TEXT)
@validator_option
@errors_to_exit
def validate(paths: tuple[Path, ...], fmt: str, validator: str) -> None:
    """Validate the ontology and data (or PATHS) against ontology/shapes.ttl.

    Exit 0 conforms, 1 violations, 2 load or parse error.
    """
    import evidencegraph as eg

    result = eg.validate(sources=list(paths) or None, validator=validator)
    if fmt == "turtle":
        echo(result.to_turtle())
    elif fmt == "json":
        echo(result.to_json())
    else:
        for r in result.results:
            echo(r.line())
        click.echo(result.summary(), err=not result.conforms)
    sys.exit(0 if result.conforms else 1)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder.",
)
@validator_option
@errors_to_exit
def build(paths: tuple[Path, ...], out_dir: Path, validator: str) -> None:
    """Validate, apply the inference rules and write graph.ttl/.nt/.jsonld and report.txt.

    Reads ontology/ and data/ (or PATHS, files or folders). Writes nothing if
    the data do not conform (exit 1).
    """
    import evidencegraph as eg

    result = eg.build(out_dir, list(paths) or None, validator=validator)
    for line in result.summary_lines():
        click.echo(line)
    click.echo(f"built in {result.seconds:.2f} s")


@click.command()
@errors_to_exit
def stats() -> None:
    """Counts by class and by relation (asserted, then with inference)."""
    import evidencegraph as eg

    for line in eg.stats().lines():
        click.echo(line)


@click.command("format")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Only report files that are not canonical (exit 1).")
@errors_to_exit
def format_files(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite data Turtle files in canonical sorted form (default: every file in data/)."""
    import evidencegraph as eg

    results = eg.format_files(list(paths) or None, check=check)
    changed = [r.path for r in results if r.changed]
    for p in changed:
        echo(f"{'not canonical' if check else 'reformatted'}: {p}")
    if check and changed:
        click.echo("run `evidencegraph format` to fix", err=True)
        sys.exit(1)
    click.echo(
        f"{len(results)} files checked, {len(changed)} "
        f"{'not canonical' if check else 'reformatted'}"
    )
