"""Canonical form of curated Turtle files (``evidencegraph format``).

A data file is canonical when it equals what the serialiser writes for its
own triples: sorted, fixed prefixes, no comments. Curators never argue about
layout and diffs show only real changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidencegraph import engine, paths, writing


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool


def canonical_text(path: Path) -> str:
    graph = engine.new_graph("oxigraph")
    engine.parse_file(graph, path)
    return engine.to_turtle(graph)


def format_files(files: list[Path] | None = None, *, check: bool = False) -> list[FormatResult]:
    """Rewrite (or with ``check`` only report) files that are not canonical."""
    targets = (
        files
        if files
        else [p for p in paths.data_files(paths.DATA_DIR) if p.suffix.lower() == ".ttl"]
    )
    out = []
    for f in targets:
        text = canonical_text(f)
        changed = f.read_text(encoding="utf-8") != text
        if changed and not check:
            writing.write_atomic(f, text)
        out.append(FormatResult(f, changed))
    return out
