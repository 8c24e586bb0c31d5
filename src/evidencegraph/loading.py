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
    claim_store_dir(store_dir)
    manifest = store_dir / _MANIFEST
    fresh = False
    if reuse and manifest.is_file():
        try:
            fresh = json.loads(manifest.read_text("utf-8")).get("files") == _fingerprint(files)
        except (OSError, ValueError):
            fresh = False
    try:
        store = engine.native_store(store_dir)
    except OSError as err:
        if "lock" in str(err).lower():
            raise LoadError(
                f"{store_dir}: the store is in use by another process "
                "(one evidencegraph command at a time per --store folder)"
            ) from None
        raise LoadError(
            f"{store_dir}: cannot open the store ({str(err).splitlines()[0]})"
        ) from None
    if fresh:
        return store, True
    manifest.unlink(missing_ok=True)
    store.clear()
    for f in files:
        engine.native_load_file(store, f)
    store.flush()
    return store, False


_MANIFEST = "evidencegraph-manifest.json"
# Written into a --store folder when the tool creates the store; a folder
# without it is never opened, let alone cleared.
STORE_MARKER = "evidencegraph-store.json"
STORE_FORMAT = 1


def claim_store_dir(store_dir: Path) -> None:
    """Make sure ``store_dir`` is a store this tool made, or make it one if empty.

    ``--store`` clears and reloads the store when the data change, so it must
    never open someone else's Oxigraph store or an ordinary folder: that
    wiped a user's store, or dropped RocksDB files among their own.
    """
    import json

    marker = store_dir / STORE_MARKER
    if not marker.exists() and (store_dir / _MANIFEST).is_file():
        # made by a version before the marker existed: its manifest is ours alone
        try:
            marker.write_text(json.dumps({"format": STORE_FORMAT, "tool": "evidencegraph"}))
        except OSError as err:
            raise LoadError(f"{store_dir}: cannot mark the store ({err.strerror or err})") from None
    if marker.is_file():
        try:
            version = json.loads(marker.read_text("utf-8")).get("format")
        except (OSError, ValueError, AttributeError):
            version = None
        if version != STORE_FORMAT:
            raise LoadError(
                f"{store_dir}: a store of another evidencegraph version (format {version}); "
                "give a new or empty folder"
            )
        return
    try:
        if store_dir.exists() and (not store_dir.is_dir() or any(store_dir.iterdir())):
            raise LoadError(
                f"{store_dir}: not empty and not a store made by evidencegraph; "
                "--store needs a new or empty folder, or one it made"
            )
        store_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"format": STORE_FORMAT, "tool": "evidencegraph"}), "utf-8")
    except OSError as err:
        raise LoadError(f"{store_dir}: cannot create the store ({err.strerror or err})") from None


def _fingerprint(files: list[Path]) -> list[list[object]]:
    """What the stored graph depends on: the loaded files, and the rules and shapes
    (a changed rule must re-run inference), with the tool's version."""
    from evidencegraph._version import __version__
    from evidencegraph.inference import rule_files

    deps = [*files, *rule_files(), paths.SHAPES_FILE]
    out: list[list[object]] = [["evidencegraph", __version__]]
    for f in deps:
        st = f.stat()
        out.append([str(f.resolve()), st.st_size, st.st_mtime_ns])
    return out


def mark_cached(graph: Graph, files: Iterable[Path] | None = None) -> None:
    """Record that the on-disk store now holds these sources with inference applied."""
    store = engine.native_of(graph)
    if engine.default_store_dir() is None or store is None:
        return
    mark_store_cached(store, files)


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
