"""Parsing RDF files and bytes with Oxigraph's parsers, defensively.

Oxigraph's parsers are fast, give line and column on errors, never fetch
remote JSON-LD contexts and never resolve XML external entities; the checks
here refuse what would still make one run away (entity declarations, JSON-LD
nested thousands deep, FIFOs and devices).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph

from evidencegraph.engine.store import native_of
from evidencegraph.engine.terms import from_ox, from_ox_explicit
from evidencegraph.errors import LoadError

_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
}


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

    store = native_of(graph)
    if store is not None:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        return
    conv = from_ox_explicit if explicit_strings else from_ox
    graph.addN((conv(t.subject), conv(t.predicate), conv(t.object), graph) for t in triples)


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


def parse_rdf_answer(body: bytes, media_type: str, url: str) -> list[tuple[Any, Any, Any]]:
    """An endpoint's RDF answer (N-Triples when untyped) as rdflib triples.

    The same byte checks as for files; a type that is not RDF, or a body that
    does not parse, is a :class:`LoadError` naming ``url``.
    """
    import pyoxigraph as ox

    fmt = (
        ox.RdfFormat.N_TRIPLES
        if media_type in ("", "text/plain")
        else ox.RdfFormat.from_media_type(media_type)
    )
    if fmt is None:
        raise LoadError(f"{url} returned {media_type}, not RDF")
    fmt_name = {ox.RdfFormat.RDF_XML: "RDF_XML", ox.RdfFormat.JSON_LD: "JSON_LD"}.get(fmt, "")
    body = check_rdf_bytes(body, fmt_name, f"{url} answer")
    try:
        quads = list(ox.parse(input=body, format=fmt))
    except _PARSE_ERRORS:
        raise LoadError(f"{url} returned truncated or malformed results") from None
    return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads]
