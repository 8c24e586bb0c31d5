"""Load: files in ``ontology/`` and ``data/`` become one graph.

One graph, no named graphs, so an endpoint sees everything with plain queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


def _files(sources: Iterable[Path | str] | None, with_ontology: bool) -> list[Path]:
    files = expand_sources(sources)
    if (
        sources is not None
        and with_ontology
        and paths.ONTOLOGY_FILE.resolve() not in {f.resolve() for f in files}
    ):
        files.insert(0, paths.ONTOLOGY_FILE)
    return [f for f in files if f.resolve() != paths.SHAPES_FILE.resolve()]


def load(
    sources: Iterable[Path | str] | None = None,
    *,
    engine_name: str | None = None,
    store_dir: Path | None = None,
    with_ontology: bool = True,
    reuse: bool = True,
) -> Graph:
    """Read RDF files (default: the ontology and every data file) into one graph.

    ``with_ontology`` adds ``ontology/evidencegraph.ttl`` when explicit sources
    are given, because shapes and queries need the class hierarchy.

    With ``store_dir`` (or ``--store DIR``) the graph lives in an on-disk
    Oxigraph store that is reused while the source files are unchanged, so a
    large graph is parsed once (the query path uses :func:`load_store`, which
    also says whether the store was reused with inference already applied).
    """
    if (engine_name or engine.default_engine()) == "oxigraph":
        store, _cached = load_store(
            sources, store_dir=store_dir, with_ontology=with_ontology, reuse=reuse
        )
        return engine.wrap_native(store)
    if store_dir or engine.default_store_dir():
        raise LoadError("--store DIR needs the oxigraph engine")
    graph = engine.new_graph(engine_name)
    for f in _files(sources, with_ontology):
        engine.parse_file(graph, f)
    return graph


def load_store(
    sources: Iterable[Path | str] | None = None,
    *,
    store_dir: Path | None = None,
    with_ontology: bool = True,
    reuse: bool = True,
) -> tuple[Any, bool]:
    """Load into a bare pyoxigraph store; the flag says an up-to-date store was reused."""
    import json

    files = _files(sources, with_ontology)
    store_dir = store_dir or engine.default_store_dir()
    if store_dir is None:
        store = engine.native_store()
        for f in files:
            engine.native_load_file(store, f)
        return store, False
    store_dir = Path(store_dir)
    manifest = store_dir / _MANIFEST
    fresh = False
    if reuse and manifest.is_file():
        try:
            fresh = json.loads(manifest.read_text("utf-8")).get("files") == _fingerprint(files)
        except (OSError, ValueError):
            fresh = False
    store_dir.mkdir(parents=True, exist_ok=True)
    store = engine.native_store(store_dir)
    if fresh:
        return store, True
    manifest.unlink(missing_ok=True)
    store.clear()
    for f in files:
        engine.native_load_file(store, f)
    store.flush()
    return store, False


_MANIFEST = "evidencegraph-manifest.json"


def _fingerprint(files: list[Path]) -> list[list[object]]:
    return [[str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns] for f in files]


def mark_cached(graph: Graph, files: Iterable[Path] | None = None) -> None:
    """Record that the on-disk store now holds these sources with inference applied."""
    if engine.default_store_dir() is None or engine.engine_of(graph) != "oxigraph":
        return
    mark_store_cached(graph.store._inner, files)


def mark_store_cached(store: Any, files: Iterable[Path] | None = None) -> None:
    """:func:`mark_cached` for a bare pyoxigraph store."""
    import json

    store_dir = engine.default_store_dir()
    if store_dir is None:
        return
    chosen = list(files) if files is not None else _files(None, True)
    store.flush()
    (store_dir / _MANIFEST).write_text(json.dumps({"files": _fingerprint(chosen)}), "utf-8")


def load_graph_file(path: Path, *, engine_name: str | None = None) -> Graph:
    """Read a built graph (``build/graph.ttl`` or ``.nt``) as it is."""
    graph = engine.new_graph(engine_name)
    engine.parse_file(graph, Path(path))
    return graph
