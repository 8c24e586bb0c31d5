"""What every command shares: errors as one line, safe printing, and the options
whose names must mean the same thing everywhere.

Only the public API (:mod:`evidencegraph`) is imported here, and only inside
functions, so ``--help`` starts without rdflib.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]


def errors_to_exit(fn: F) -> F:
    """Every :class:`EvidenceGraphError` becomes one plain line and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import evidencegraph as eg

        try:
            return fn(*args, **kwargs)
        except eg.EvidenceGraphError as err:
            result = getattr(err, "result", None)
            for row in getattr(result, "results", None) or ():
                echo(row.line(), err=True)
            echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except RecursionError:
            click.echo("error: input nested too deeply to process", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print text that may hold data: control characters never reach the terminal."""
    import evidencegraph as eg

    click.echo(eg.terminal_safe(text), err=err, nl=nl)


def bounded(fn: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run the command's work within ``--timeout`` and the memory limit."""
    import evidencegraph as eg

    return eg.run_bounded(fn, timeout=timeout, what=what)


# ---------------------------------------------------------------- renamed names


def _note_renamed(old: str, new: str) -> None:
    click.echo(f"note: {old} is now {new}; the old name goes in the next release", err=True)


def renamed_option(old: str, new: str, dest: str, **kwargs: Any) -> Callable[[F], F]:
    """Keep ``old`` working as a hidden alias of the option ``new`` (stored in ``dest``)
    for one release; using it prints a note."""
    hidden_dest = f"renamed_{dest}"

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kw: Any) -> Any:
            value = kw.pop(hidden_dest, None)
            if value is not None:
                _note_renamed(old, new)
                kw[dest] = value
            return fn(*args, **kw)

        return click.option(old, hidden_dest, hidden=True, default=None, **kwargs)(wrapper)

    return decorate


class AliasedChoice(click.Choice):
    """A choice whose former spellings still work: they are accepted, noted and
    mapped to the current one, but not offered in the help."""

    def __init__(self, choices: list[str], aliases: dict[str, str]) -> None:
        super().__init__(choices)
        self.aliases = aliases

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and value in self.aliases:
            new = self.aliases[value]
            _note_renamed(f"{param.opts[0]} {value}" if param else value, new)
            value = new
        return super().convert(value, param, ctx)


def renamed_command(group: click.Group, command: click.Command, old: str) -> None:
    """Register ``command`` again under its former name, hidden, with a note."""
    import copy

    alias = copy.copy(command)
    alias.hidden = True
    callback = command.callback
    assert callback is not None

    @functools.wraps(callback)
    def noted(*args: Any, **kwargs: Any) -> Any:
        _note_renamed(old, command.name or "")
        return callback(*args, **kwargs)

    alias.callback = noted
    group.add_command(alias, old)


# ---------------------------------------------------------------- shared options

TEXT = "text"  # the human-readable format, in every command that has one


def format_option(choices: list[str], default: str | None, help_text: str, **aliases: str) -> Any:
    """``--format``: the same option name and the same ``text`` for humans everywhere."""
    return click.option(
        "--format",
        "fmt",
        type=AliasedChoice(choices, aliases) if aliases else click.Choice(choices),
        default=default,
        required=default is None,
        show_default=default is not None,
        help=help_text,
    )


def validator_option(fn: F) -> F:
    return click.option(
        "--validator",
        type=click.Choice(["auto", "pyshacl", "fast"]),
        default="auto",
        show_default=True,
        help="pySHACL (the reference), fast (each shape compiled to one whole-graph SPARQL "
        "query on Oxigraph, same results), or auto: fast above 5,000 triples.",
    )(fn)


def timeout_option(default: float, help_text: str) -> Callable[[F], F]:
    return click.option("--timeout", type=float, default=default, show_default=True, help=help_text)


def graph_file_option(help_text: str, old: str = "--graph") -> Callable[[F], F]:
    """``--graph-file``: a built graph to read instead of ontology/ + data/ (``old`` is
    the command's former spelling)."""

    def decorate(fn: F) -> F:
        fn = renamed_option(
            old,
            "--graph-file",
            "graph_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
        )(fn)
        return click.option(
            "--graph-file",
            "graph_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=help_text,
        )(fn)

    return decorate


def source_options(default_timeout: float = 30.0) -> Callable[[F], F]:
    """``--endpoint``, ``--graph-file`` and ``--timeout``: where the graph is read."""

    def add(fn: F) -> F:
        fn = click.option(
            "--endpoint",
            metavar="URL",
            help="Run on this SPARQL 1.1 endpoint instead of the embedded graph.",
        )(fn)
        fn = graph_file_option(
            "Read this built graph (graph.ttl/.nt) instead of ontology/ and data/."
        )(fn)
        fn = timeout_option(
            default_timeout,
            "Wall-clock limit in seconds for the whole command (embedded graph or "
            "endpoint); also each endpoint request's limit.",
        )(fn)
        return fn

    return add


_CLASSES = "organisation, guidance, recommendation, claim, commentary, review, trial, study, other"
_RELATIONS = (
    "cites-as-evidence, uses-data-from, takes-lead-from, rests-on, tempers, "
    "supports, bears-on, similar-to, related-to, same-team-as, recommends, issued-by, "
    "produced-for, not-available-to, analyses"
)


def filter_options(fn: F) -> F:
    """``--classes`` and ``--relations``, shared by viz and export."""
    fn = click.option(
        "--relations",
        multiple=True,
        metavar="LIST",
        help=f"Draw only these relations (comma-separated, repeatable): {_RELATIONS}.",
    )(fn)
    fn = click.option(
        "--classes",
        multiple=True,
        metavar="LIST",
        help=f"Draw only these classes (comma-separated, repeatable): {_CLASSES}.",
    )(fn)
    return fn
