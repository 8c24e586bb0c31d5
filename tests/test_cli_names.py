"""One concept, one option name, in every command; former names still work for a release.

Read from the real click command tree: each visible option is keyed by the
parameter it sets, and a parameter must have the same spelling wherever it
appears (a built graph file is ``--graph-file`` in query, trace, viz, export,
push and serve alike).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click
import pytest

from conftest import ROOT, run_cli

# What each concept is called, everywhere it exists.
CONCEPTS = {
    "graph_file": "--graph-file",
    "endpoint": "--endpoint",
    "timeout": "--timeout",
    "fmt": "--format",
    "max_depth": "--max-depth",
    "out_dir": "--out",
    "validator": "--validator",
    "classes": "--classes",
    "relations": "--relations",
}
# The human-readable format is "text" in every command that has one.
TEXT_FORMAT_COMMANDS = ("validate", "query", "trace")
RENAMED_COMMANDS = {"fmt": "format", "queries": "list-queries"}


def _commands() -> dict[str, click.Command]:
    from evidencegraph.cli import main

    return dict(main.commands)


def _visible(cmd: click.Command) -> list[click.Option]:
    return [p for p in cmd.params if isinstance(p, click.Option) and not p.hidden]


def test_every_visible_command_has_help_and_no_renamed_one_is_listed() -> None:
    commands = _commands()
    visible = {n: c for n, c in commands.items() if not c.hidden}
    for name, cmd in visible.items():
        assert cmd.help and cmd.help.strip(), f"`{name}` has no help text"
        for opt in _visible(cmd):
            assert opt.help, f"`{name} {opt.opts[0]}` has no help text"
    assert not set(RENAMED_COMMANDS) & set(visible)
    assert set(RENAMED_COMMANDS.values()) <= set(visible)


def test_the_same_concept_has_the_same_option_name_everywhere() -> None:
    spellings: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)
    for name, cmd in _commands().items():
        if cmd.hidden:
            continue
        for opt in _visible(cmd):
            spellings[opt.name].add(opt.opts[0])
            where[opt.name].add(name)
    for dest, names in spellings.items():
        assert len(names) == 1, f"{dest} is spelled {sorted(names)} across {sorted(where[dest])}"
    for dest, expected in CONCEPTS.items():
        assert spellings[dest] == {expected}, (dest, spellings[dest])
    # the commands that read the graph all take it the same three ways
    readers = {"query", "trace", "viz", "export"}
    for dest in ("graph_file", "endpoint", "timeout"):
        assert readers <= where[dest], (dest, sorted(where[dest]))
    assert {"push", "serve"} <= where["graph_file"]


@pytest.mark.parametrize("command", TEXT_FORMAT_COMMANDS)
def test_text_is_the_human_format_everywhere(command: str) -> None:
    fmt = next(p for p in _commands()[command].params if p.name == "fmt")
    assert isinstance(fmt.type, click.Choice)
    assert fmt.default == "text" and "text" in fmt.type.choices
    assert not {"human", "table"} & set(fmt.type.choices)


def test_old_command_names_still_run_with_a_note() -> None:
    proc = run_cli("queries")
    assert proc.returncode == 0, proc.stderr
    assert "guidance-evidence" in proc.stdout
    assert "note: queries is now list-queries" in proc.stderr
    proc = run_cli("fmt", "--check")
    assert proc.returncode == 0, proc.stderr
    assert "note: fmt is now format" in proc.stderr


def test_old_option_spellings_still_work_with_a_note(tmp_path: Path) -> None:
    built = tmp_path / "b"
    assert run_cli("build", "--out", str(built)).returncode == 0
    graph = built / "graph.nt"
    new = run_cli("query", "documents", "--graph-file", str(graph), "--format", "csv")
    old = run_cli("query", "documents", "--graph", str(graph), "--format", "csv")
    assert new.returncode == old.returncode == 0, old.stderr
    assert old.stdout == new.stdout and new.stdout.count("\n") > 3
    assert "note: --graph is now --graph-file" in old.stderr
    table = run_cli("query", "documents", "--format", "table")
    text = run_cli("query", "documents", "--format", "text")
    assert table.returncode == 0 and table.stdout == text.stdout
    assert "note: --format table is now text" in table.stderr
    human = run_cli("validate", "--format", "human")
    assert human.returncode == 0 and "conforms" in human.stdout + human.stderr
    assert "note: --format human is now text" in human.stderr


def test_push_keeps_its_former_spellings_apart(tmp_path: Path) -> None:
    """push's old --graph was the named graph and --file the graph file: both still
    mean what they meant (nothing is sent: the URL refuses before any request)."""
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n")
    proc = run_cli(
        "push", "--endpoint", "ftp://nowhere", "--graph", "urn:g", "--file", str(bad), cwd=ROOT
    )
    assert proc.returncode != 0
    assert "note: --graph is now --named-graph" in proc.stderr
    assert "note: --file is now --graph-file" in proc.stderr
