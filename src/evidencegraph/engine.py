"""The one place that knows which RDF engine holds the graph.

rdflib is the API everywhere else; this module decides what backs it:
Oxigraph (``oxrdflib``, the default, in memory or on disk with ``store_dir``)
or rdflib's own in-memory store (``engine="rdflib"``, the slow baseline kept
for comparison). Parsing always uses Oxigraph's parsers: they are fast, give
line and column on errors, never fetch remote JSON-LD contexts and never
resolve XML external entities.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier

from evidencegraph.errors import LoadError, QueryError

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


_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
}


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
    from oxrdflib import OxigraphStore

    return "oxigraph" if isinstance(graph.store, OxigraphStore) else "rdflib"


def _ox_format(path: Path) -> Any:
    import pyoxigraph as ox

    name = _FORMATS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(_FORMATS))
        raise LoadError(f"{path}: unknown RDF file type {path.suffix!r} (expected one of {known})")
    return getattr(ox.RdfFormat, name)


def _parse_error(path: Path, err: Exception) -> LoadError:
    if isinstance(err, MemoryError):
        return LoadError(f"{path}: a single term or line is too large to parse ({err})")
    line = getattr(err, "lineno", None)
    col = getattr(err, "offset", None)
    reason = str(err).splitlines()[0] if str(err) else type(err).__name__
    where = f"{path}:{line}:{col}" if line else str(path)
    return LoadError(f"{where}: {reason}")


_PARSE_ERRORS = (SyntaxError, ValueError, OSError, MemoryError)
_BOM = b"\xef\xbb\xbf"
# JSON-LD nested deeper than this is refused before parsing: Oxigraph's parser
# recurses per level and crashed (SIGSEGV) on an 80 KB file nested 5,000 deep.
MAX_JSON_DEPTH = 100
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_regular_file(path: Path) -> os.stat_result:
    """Stat before opening: a FIFO would hang the read, a device never end it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise LoadError(f"{path}: a symbolic link to a missing file") from None
        raise LoadError(f"{path}: no such file") from None
    except OSError as err:
        raise LoadError(f"{path}: cannot read ({err.strerror or err})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO, socket or device"
        raise LoadError(f"{path}: {kind}, not a regular file; refused")
    return st


def check_rdf_bytes(data: bytes, fmt_name: str, where: str) -> bytes:
    """Refuse what would make a parser run away; return ``data`` without a UTF-8 BOM.

    RDF/XML with a DOCTYPE or ENTITY declaration is refused (a 1 KB
    billion-laughs file took 23 s and 9 GB, then "conformed"); so is XML in
    UTF-16/32, which the byte scan could not read. JSON-LD deeper than
    :data:`MAX_JSON_DEPTH` is refused.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if fmt_name == "RDF_XML":
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
            raise LoadError(f"{where}: RDF/XML must be UTF-8; refused")
        if _DOCTYPE.search(data):
            raise LoadError(
                f"{where}: DOCTYPE and ENTITY declarations are refused in RDF/XML "
                "(entity expansion can exhaust memory)"
            )
    elif fmt_name == "JSON_LD" and data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH:
        depth = 0
        for m in _JSON_TOKENS.finditer(data):
            c = m.group()
            if c in (b"[", b"{"):
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    raise LoadError(
                        f"{where}: JSON-LD nested more than {MAX_JSON_DEPTH} levels deep; refused"
                    )
            elif c in (b"]", b"}"):
                depth -= 1
    return data


def _read_checked(path: Path, fmt_name: str) -> bytes:
    """A regular file's bytes, checked; opened without following it into a FIFO."""
    check_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat
                raise LoadError(f"{path}: not a regular file; refused")
            data = fh.read()
    except OSError as err:
        raise LoadError(f"{path}: cannot read ({err.strerror or err})") from None
    return check_rdf_bytes(data, fmt_name, str(path))


def read_triples(path: Path) -> list[Any]:
    """Parse one file with Oxigraph; pyoxigraph triples, or a :class:`LoadError`.

    The error names file, line and column for anything that is not well-formed
    RDF, and an empty file (almost always a mistake) is an error too.
    """
    import pyoxigraph as ox

    path = Path(path)
    fmt = _ox_format(path)
    data = _read_checked(path, _FORMATS[path.suffix.lower()])
    if not data.strip():
        raise LoadError(f"{path}: the file is empty (no triples)")
    base = path.resolve().as_uri()
    try:
        quads = list(ox.parse(input=data, format=fmt, base_iri=base))
    except _PARSE_ERRORS as err:
        raise _parse_error(path, err) from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise LoadError(f"{path}: named graphs are not supported (one graph only)")
    return [q.triple for q in quads]


def parse_file(graph: Graph, path: Path, *, explicit_strings: bool = False) -> int:
    """Add one file's triples to ``graph``; return how many the file holds."""
    triples = read_triples(path)
    add_ox_triples(graph, triples, explicit_strings=explicit_strings)
    return len(triples)


def add_ox_triples(graph: Graph, triples: Iterable[Any], *, explicit_strings: bool = False) -> None:
    """Bulk-add pyoxigraph triples, without a Python round trip on Oxigraph.

    On rdflib's store, simple literals stay plain unless ``explicit_strings``:
    oxrdflib hands back ``"x"^^xsd:string``, and rdflib compares the two forms
    as different terms, so a shapes graph must use the data engine's form.
    """
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    if isinstance(graph.store, OxigraphStore):
        graph.store._inner.extend(
            ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples
        )
        return
    conv = _from_ox_explicit if explicit_strings else from_ox
    graph.addN((conv(t.subject), conv(t.predicate), conv(t.object), graph) for t in triples)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _from_ox_explicit(term: Any) -> Any:
    from oxrdflib._converter import from_ox as ox_from_ox

    return ox_from_ox(term)


def from_ox(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (simple literals stay simple)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(_canonical_lexical(term.value, dt), datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def memo_from_ox() -> Any:
    """``from_ox`` with a memo for one answer.

    Answers repeat the same IRIs and literals row after row, and building an
    rdflib term (IRI check, literal parsing) costs ~10 µs; the memo turned 40k
    rows of ``provenance`` at 10^5 triples from 2.1 s of conversion into ~0.3 s.
    """
    memo: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        hit = memo.get(term)
        if hit is None:
            hit = memo[term] = from_ox(term)
        return hit

    return convert


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
    )
}


def _canonical_lexical(lexical: str, datatype: str) -> str:
    """The lexical form Oxigraph stores (``10.0`` → ``10``, ``+5`` → ``5``, ``1`` → ``true``).

    The Oxigraph store keeps numbers and booleans as values, so it hands back
    canonical forms; rdflib's store keeps whatever the file said. Canonicalising
    here makes both engines answer every query with the same terms.
    """
    from decimal import Decimal, InvalidOperation

    try:
        if datatype == _XSD + "decimal":
            text = format(Decimal(lexical.strip()).normalize(), "f")
            return "0" if text in ("-0", "") else text
        if datatype in _INTEGER_TYPES:
            return str(int(lexical.strip()))
        if datatype == _XSD + "boolean":
            return {"1": "true", "0": "false"}.get(lexical.strip(), lexical.strip())
    except (InvalidOperation, ValueError):
        return lexical
    return lexical


def add_triples(graph: Graph, triples: Iterable[tuple[Any, Any, Any]]) -> int:
    """Add rdflib triples; return how many were new."""
    before = len(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return len(graph) - before


def run(graph: Graph, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
    """Run a read-only query string on the graph's own engine.

    Query strings, never prepared queries: oxrdflib cannot run a prepared
    query and rdflib would silently fall back to its own slow engine.
    """
    if engine_of(graph) == "oxigraph":
        try:
            res = graph.query(text, initBindings=dict(bindings or {}))
            if res.type == "SELECT":
                res.bindings = list(res.bindings)
            return res
        except _ENGINE_ERRORS as err:
            raise query_error(err) from None
    from evidencegraph.safety import run_deep

    def evaluate() -> Result:
        # rdflib's own engine recurses per nesting level and evaluates lazily:
        # evaluate fully inside the deep-stack thread.
        res = graph.query(text, initBindings=dict(bindings or {}))
        if res.type == "SELECT":
            res.bindings = list(res.bindings)
        return res

    try:
        return run_deep(evaluate)
    except _ENGINE_ERRORS as err:
        raise query_error(err) from None


def update(graph: Graph, text: str) -> None:
    """Run a SPARQL update (used only by the build rules, never by users)."""
    graph.update(text)


def ox_triples(graph: Graph) -> list[Any]:
    """Every triple of the graph as pyoxigraph triples (either engine)."""
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    if isinstance(graph.store, OxigraphStore):
        return [
            q.triple
            for q in graph.store._inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
        ]
    text = "".join(
        f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph.triples((None, None, None))
    )
    return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def sorted_ntriples(graph: Graph) -> list[str]:
    """Every triple as an N-Triples line, sorted: the canonical, byte-stable form."""
    from oxrdflib import OxigraphStore

    if isinstance(graph.store, OxigraphStore):
        import pyoxigraph as ox

        quads = graph.store._inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
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
    from oxrdflib import OxigraphStore

    if isinstance(graph.store, OxigraphStore):
        import pyoxigraph as ox

        graph.store._inner.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
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


def _is_blank_file(path: Path) -> bool:
    with path.open("rb") as fh:
        while chunk := fh.read(65536):
            if chunk.strip():
                return False
    return True


def native_load_file(store: Any, path: Path) -> None:
    """Load one file into a bare store: Oxigraph parses it, no Python round trip.

    Big files go through ``bulk_load``, the fastest path Oxigraph offers (about
    twice parse-then-insert), small ones through ``load``; errors are the same
    one-line :class:`LoadError` as :func:`read_triples`.
    """
    import pyoxigraph as ox

    path = Path(path)
    fmt = _ox_format(path)
    fmt_name = _FORMATS[path.suffix.lower()]
    base = path.resolve().as_uri()
    size = check_regular_file(path).st_size
    # Files the byte checks must see whole (RDF/XML, JSON-LD), small ones and
    # ones that start with a BOM are read into memory; big Turtle and
    # N-Triples files stream from disk.
    try:
        with path.open("rb") as fh:
            bom = fh.read(len(_BOM)) == _BOM
    except OSError as err:
        raise LoadError(f"{path}: cannot read ({err.strerror or err})") from None
    in_memory = size < SMALL_FILE_BYTES or bom or fmt_name in ("RDF_XML", "JSON_LD")
    data = _read_checked(path, fmt_name) if in_memory else None
    try:
        if (data is not None and not data.strip()) or (data is None and _is_blank_file(path)):
            raise LoadError(f"{path}: the file is empty (no triples)")
    except OSError as err:
        raise LoadError(f"{path}: cannot read ({err.strerror or err})") from None
    if data is not None:
        # one transaction per small file: for the 74 files of data/ 23 ms, against
        # 40 ms through bulk_load, whose set-up pays off only on big files
        try:
            if len(data) < SMALL_FILE_BYTES:
                store.load(input=data, format=fmt, base_iri=base, to_graph=ox.DefaultGraph())
            else:
                store.bulk_load(input=data, format=fmt, base_iri=base, to_graph=ox.DefaultGraph())
        except _PARSE_ERRORS as err:
            raise _parse_error(path, err) from None
        return
    lenient = fmt_name in ("TURTLE", "N_TRIPLES") and (size >= PARALLEL_CHECK_BYTES)
    checker = _StrictCheck(path, fmt, base) if lenient else None
    try:
        store.bulk_load(
            path=str(path), format=fmt, base_iri=base, to_graph=ox.DefaultGraph(), lenient=lenient
        )
    except _PARSE_ERRORS as err:
        if checker is not None:
            checker.join()
        raise _parse_error(path, checker.error if checker and checker.error else err) from None
    if checker is not None:
        checker.join()
        if checker.error is not None:
            raise _parse_error(path, checker.error)


# Above this size a big file is bulk-loaded leniently (no IRI and language-tag
# checks, ~1.1 s of the ~4.5 s per 10^6 triples) while a second thread runs the
# strict parser over the same file; its error, if any, is the one reported. On
# 2 cores this loaded 10^6 triples in 3.1-3.9 s instead of 4.0-4.7 s.
PARALLEL_CHECK_BYTES = 4_000_000
SMALL_FILE_BYTES = 1_000_000


class _StrictCheck:
    """Strict parse of one file in a thread, keeping the first syntax error."""

    def __init__(self, path: Path, fmt: Any, base: str) -> None:
        import threading

        self.error: Exception | None = None
        self._args = (path, fmt, base)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import pyoxigraph as ox

        path, fmt, base = self._args
        try:
            for _ in ox.parse(path=str(path), format=fmt, base_iri=base):
                pass
        except _PARSE_ERRORS as err:
            self.error = err

    def join(self) -> None:
        self._thread.join()


def native_add(store: Any, triples: Iterable[Any]) -> None:
    import pyoxigraph as ox

    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)


def to_ox(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term (for bindings)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def query_error(err: Exception) -> QueryError:
    """An engine's error as one line: Oxigraph's parser can list its whole grammar."""
    import re

    text = str(err).strip()
    first = text.splitlines()[0] if text else type(err).__name__
    m = re.match(r"error at (\d+):(\d+): (.*)", first)
    if m:
        reason = m.group(3)
        if len(reason) > 160:
            reason = reason[:159] + "…"
        return QueryError(
            f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {reason}"
        )
    if len(first) > 200:
        first = first[:199] + "…"
    return QueryError(f"the query failed: {first}")


_ENGINE_ERRORS = (SyntaxError, ValueError, OSError, RuntimeError, TypeError)


def native_answer(store: Any, text: str, bindings: Mapping[str, Identifier] | None = None) -> Any:
    """Run a query on a bare pyoxigraph store, bindings substituted; pyoxigraph's answer.

    Errors (here or while the answer is read, see :func:`iter_answer`) are
    one-line :class:`QueryError` s.
    """
    import pyoxigraph as ox

    subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    try:
        return store.query(text, substitutions=subs, default_graph=ox.DefaultGraph())
    except _ENGINE_ERRORS as err:
        raise query_error(err) from None


def iter_answer(answer: Any) -> Iterator[Any]:
    """The solutions or triples of a pyoxigraph answer; evaluation errors as QueryError."""
    it = iter(answer)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except _ENGINE_ERRORS as err:
            raise query_error(err) from None
        yield item


def cap_rows(result: Result, max_rows: int | None) -> Result:
    """Keep the first ``max_rows`` rows of a SELECT; ``truncated`` says whether any were cut."""
    result.truncated = False  # type: ignore[attr-defined]
    if max_rows and result.type == "SELECT" and len(result.bindings) > max_rows:
        result.bindings = result.bindings[:max_rows]
        result.truncated = True  # type: ignore[attr-defined]
    return result


def run_native(
    store: Any,
    text: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    max_rows: int | None = None,
) -> Result:
    """Run a query on a bare pyoxigraph store; the answer as an rdflib Result.

    With ``max_rows`` a SELECT answer is read no further than that (a cross
    product then costs the rows shown, not the rows it has).
    """
    import itertools

    import pyoxigraph as ox
    from rdflib.term import Variable

    answer = native_answer(store, text, bindings)
    if isinstance(answer, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(answer)
        return out
    if isinstance(answer, ox.QuerySolutions):
        out = Result("SELECT")
        names = [v.value for v in answer.variables]
        out.vars = [Variable(n) for n in names]
        conv = memo_from_ox()
        keys = out.vars
        solutions = iter_answer(answer)
        if max_rows:
            solutions = itertools.islice(solutions, max_rows + 1)
        out.bindings = [
            {k: conv(t) for k, t in zip(keys, sol, strict=True) if t is not None}
            for sol in solutions
        ]
        return cap_rows(out, max_rows)
    out = Result("CONSTRUCT")
    g = Graph()
    conv = memo_from_ox()
    g.addN((conv(t.subject), conv(t.predicate), conv(t.object), g) for t in iter_answer(answer))
    out.graph = g
    return out


def wrap_native(store: Any) -> Graph:
    """The rdflib API over a native store (imports oxrdflib only when asked)."""
    return Graph(store=_store_class()(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
