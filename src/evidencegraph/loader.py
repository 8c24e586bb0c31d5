"""Load: files in ``ontology/`` and ``data/`` become one graph.

One graph, no named graphs, so an endpoint sees everything with plain queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from evidencegraph import engine, paths
from evidencegraph.errors import LoadError


def expand_sources(sources: Iterable[Path | str] | None) -> list[Path]:
    """Turn files and folders into a sorted list of RDF files."""
    if sources is None:
        return paths.default_sources()
    out: list[Path] = []
    for src in sources:
        p = Path(src)
        if p.is_dir():
            out.extend(paths.data_files(p))
        elif p.exists():
            out.append(p)
        else:
            raise LoadError(f"{p}: no such file or folder")
    return out


def load(
    sources: Iterable[Path | str] | None = None,
    *,
    engine_name: str = "oxigraph",
    store_dir: Path | None = None,
    with_ontology: bool = True,
) -> Graph:
    """Read RDF files (default: the ontology and every data file) into one graph.

    ``with_ontology`` adds ``ontology/evidencegraph.ttl`` when explicit sources
    are given, because shapes and queries need the class hierarchy.
    """
    files = expand_sources(sources)
    if sources is not None and with_ontology and paths.ONTOLOGY_FILE.resolve() not in {
        f.resolve() for f in files
    }:
        files.insert(0, paths.ONTOLOGY_FILE)
    graph = engine.new_graph(engine_name, store_dir)
    for f in files:
        if f.resolve() == paths.SHAPES_FILE.resolve():
            continue  # shapes are the reference, not data
        engine.parse_file(graph, f)
    return graph


def load_graph_file(path: Path, *, engine_name: str = "oxigraph") -> Graph:
    """Read a built graph (``build/graph.ttl`` or ``.nt``) as it is."""
    graph = engine.new_graph(engine_name)
    engine.parse_file(graph, Path(path))
    return graph
