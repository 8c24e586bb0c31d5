"""Where queries run: the embedded graph, a built graph file, or an endpoint.

The embedded graph is ``ontology/`` + ``data/`` with the build rules applied in
memory on every run (milliseconds on Oxigraph), so a curator's edit shows at
once; ``graph_file`` reads a built graph instead. No pySHACL on this path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from evidencegraph import engine, safety
from evidencegraph.querying import params


@dataclass
class Source:
    """Where queries run: an rdflib graph, a bare Oxigraph store, or a remote endpoint."""

    graph: Graph | None = None
    endpoint: Any = None  # evidencegraph.endpoint.Endpoint
    store: Any = None  # a pyoxigraph.Store (the fast default)
    allow_service: bool = False

    def check(self, text: str, *, grammar: bool = False) -> safety.CheckedQuery:
        """Every query that runs here passes the safety check first, the tool's own
        too (a project's queries/ and rules are files anyone may edit)."""
        return safety.check_query(text, allow_service=self.allow_service, grammar=grammar)

    def run(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        max_rows: int | None = None,
    ) -> Result:
        """Check, then run; the engine is handed the checked (normalised) text.

        ``max_rows`` stops reading a SELECT answer after that many rows
        (``result.truncated`` then says so).
        """
        bindings = dict(bindings or {})
        checked = self.check(text)
        if self.endpoint is not None:
            result = self.endpoint.query(params.bind_for_endpoint(checked, bindings))
            return engine.cap_rows(result, max_rows)
        if self.store is not None:
            return engine.run_native(self.store, checked.text, bindings, max_rows=max_rows)
        assert self.graph is not None
        return engine.cap_rows(engine.run(self.graph, checked.text, bindings), max_rows)

    def facts(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Facts:
        """A CONSTRUCT answer as a plain-string index (see ``Facts``)."""
        facts = Facts()
        if self.store is not None:
            add = facts.add
            for s, p, o in engine.construct_strings(self.store, self.check(text).text, bindings):
                add(s, p, o)
            return facts
        graph = self.run(text, bindings).graph
        for s, p, o in graph if graph is not None else ():
            facts.add(_rdflib_key(s), str(p), _rdflib_key(o))
        return facts

    def rdflib_graph(self) -> Graph | None:
        """The local graph through rdflib's API (None for an endpoint)."""
        if self.graph is None and self.store is not None:
            self.graph = engine.wrap_native(self.store)
        return self.graph


class Facts:
    """Triples as strings (IRIs and literals by value, blank nodes as ``_:id``), indexed
    by subject+predicate and predicate+object.

    Trace reads a few thousand triples and asks label/year/type lookups; building
    rdflib terms and a Memory store for them cost ~0.45 s per guidance at 10^5
    triples, these dicts ~0.02 s.
    """

    def __init__(self) -> None:
        self._sp: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
        self._po: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
        self._all: set[tuple[str, str, str]] = set()

    def add(self, s: str, p: str, o: str) -> None:
        t = (s, p, o)
        if t not in self._all:
            self._all.add(t)
            self._sp[s, p].append(o)
            self._po[p, o].append(s)

    def update(self, other: Facts) -> None:
        for t in other:
            self.add(*t)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(sorted(self._all))

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, triple: object) -> bool:
        return triple in self._all

    def value(self, s: str, p: str) -> str | None:
        """One object (the smallest, so answers are deterministic), or None."""
        found = self._sp.get((s, p))
        return min(found) if found else None

    def objects(self, s: str, p: str) -> list[str]:
        return sorted(self._sp.get((s, p), ()))

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted(self._po.get((p, o), ()))


def _rdflib_key(term: Any) -> str:
    from rdflib import BNode

    return "_:" + str(term) if isinstance(term, BNode) else str(term)


def open_source(
    *,
    endpoint: str | None = None,
    graph_file: Path | None = None,
    engine_name: str | None = None,
    timeout: float = 30.0,
    allow_service: bool = False,
) -> Source:
    """The embedded graph (built in memory), a built graph file, or an endpoint."""
    if endpoint:
        from evidencegraph.endpoint import Endpoint

        return Source(
            endpoint=Endpoint(endpoint, timeout=timeout, allow_service=allow_service),
            allow_service=allow_service,
        )
    if graph_file is not None:
        from evidencegraph.loading import load_graph_file

        return Source(
            graph=load_graph_file(graph_file, engine_name=engine_name),
            allow_service=allow_service,
        )
    if (engine_name or engine.default_engine()) == "oxigraph":
        from evidencegraph.inference import infer_native
        from evidencegraph.loading import load_store, mark_store_cached

        store, cached = load_store()
        if not cached:
            infer_native(store)
            mark_store_cached(store)
        return Source(store=store, allow_service=allow_service)
    from evidencegraph.inference import infer
    from evidencegraph.loading import load

    graph = load(engine_name=engine_name)
    infer(graph)
    return Source(graph=graph, allow_service=allow_service)
