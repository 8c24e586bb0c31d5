"""The store: which engine holds the graph, and the graph's triples in bulk.

rdflib is the API everywhere else; this decides what backs it: Oxigraph
(``oxrdflib``, the default, in memory or on disk with ``store_dir``) or
rdflib's own in-memory store (``engine="rdflib"``, the slow baseline kept
for comparison). The query path (query, trace, viz) uses a bare pyoxigraph
store: importing oxrdflib pulls in rdflib's whole SPARQL engine (0.3 s)
that Oxigraph never uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from evidencegraph.errors import LoadError

ENGINES = ("oxigraph", "rdflib")

# Process-wide choice, set once by the CLI's --store-engine / --store options.
_settings: dict[str, Any] = {"engine": "oxigraph", "store_dir": None}


def configure(engine: str | None = None, store_dir: Path | None = None) -> None:
    """Choose the engine (and an on-disk Oxigraph store) for every graph this process loads."""
    if engine is not None:
        if engine not in ENGINES:
            raise LoadError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
        _settings["engine"] = engine
    if store_dir is not None:
        _settings["store_dir"] = Path(store_dir)


def default_engine() -> str:
    return str(_settings["engine"])


def default_store_dir() -> Path | None:
    return _settings["store_dir"]


def new_graph(engine: str | None = None, store_dir: Path | None = None) -> Graph:
    """An empty graph on the chosen engine; data goes to the default graph."""
    engine = engine or default_engine()
    if engine == "oxigraph":
        import pyoxigraph as ox

        inner = ox.Store(str(store_dir)) if store_dir is not None else ox.Store()
        return Graph(store=_store_class()(store=inner), identifier=DATASET_DEFAULT_GRAPH_ID)
    if engine == "rdflib":
        if store_dir is not None:
            raise LoadError("--store DIR needs the oxigraph engine")
        return Graph()
    raise LoadError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")


_STORE_CLASS: Any = None


def _store_class() -> Any:
    """oxrdflib's store with a constant-time ``len``.

    oxrdflib answers ``len(graph)`` with a ``COUNT(DISTINCT …)`` query; pySHACL
    asks for it each time it builds a result, which tripled validation time.
    Everything here lives in the default graph, so the store's own count is right.
    """
    global _STORE_CLASS
    if _STORE_CLASS is None:
        from oxrdflib import OxigraphStore

        class FastLenOxigraphStore(OxigraphStore):
            def __len__(self, context: Any = None) -> int:
                return len(self._inner)

        _STORE_CLASS = FastLenOxigraphStore
    return _STORE_CLASS


def engine_of(graph: Graph) -> str:
    """Which engine backs a graph."""
    return "oxigraph" if native_of(graph) is not None else "rdflib"


def native_of(graph: Graph) -> Any:
    """The bare pyoxigraph store behind an Oxigraph-backed graph, else None.

    oxrdflib keeps it as ``_inner`` (its own parser and serialiser read it the
    same way); this is the one place that does.
    """
    from oxrdflib import OxigraphStore

    return graph.store._inner if isinstance(graph.store, OxigraphStore) else None


def add_triples(graph: Graph, triples: Iterable[tuple[Any, Any, Any]]) -> int:
    """Add rdflib triples; return how many were new."""
    before = len(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return len(graph) - before


def ox_triples(graph: Graph) -> list[Any]:
    """Every triple of the graph as pyoxigraph triples (either engine)."""
    import pyoxigraph as ox

    store = native_of(graph)
    if store is not None:
        return [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    text = "".join(
        f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph.triples((None, None, None))
    )
    return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def sorted_ntriples(graph: Graph) -> list[str]:
    """Every triple as an N-Triples line, sorted: the canonical, byte-stable form."""
    store = native_of(graph)
    if store is not None:
        import pyoxigraph as ox

        quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    return sorted(
        f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph.triples((None, None, None))
    )


def dump_ntriples(graph: Graph, out: Any) -> None:
    """Stream every triple as N-Triples to a binary file object, unsorted.

    On Oxigraph the store writes straight to the file, so a graph of 10^7
    triples never sits in Python memory at once (``build`` keeps the sorted,
    canonical form for curated data).
    """
    store = native_of(graph)
    if store is not None:
        import pyoxigraph as ox

        store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return
    for s, p, o in graph.triples((None, None, None)):
        out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n".encode())


# ---------------------------------------------------------------- native Oxigraph
# The query path (query, trace, viz) talks to pyoxigraph directly: importing
# oxrdflib pulls in rdflib's whole SPARQL engine (0.3 s) that Oxigraph never uses.


def native_store(store_dir: Path | None = None) -> Any:
    """A bare pyoxigraph store (in memory, or on disk in ``store_dir``)."""
    import pyoxigraph as ox

    return ox.Store(str(store_dir)) if store_dir is not None else ox.Store()


def native_add(store: Any, triples: Iterable[Any]) -> None:
    import pyoxigraph as ox

    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)


def wrap_native(store: Any) -> Graph:
    """The rdflib API over a native store (imports oxrdflib only when asked)."""
    return Graph(store=_store_class()(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def native_copy(graph: Graph) -> Any:
    """A bare Oxigraph store holding a copy of an rdflib graph, term by term (not
    through N-Triples, so blank nodes keep their ids)."""
    import pyoxigraph as ox

    from evidencegraph.engine.terms import to_ox

    store = native_store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph)
    return store
