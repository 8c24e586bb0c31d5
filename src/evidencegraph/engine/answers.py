"""Queries on the store: run, read answers, and turn engine errors into one line.

Query strings, never prepared queries: oxrdflib cannot run a prepared query
and rdflib would silently fall back to its own slow engine. Every text that
reaches here has passed :func:`evidencegraph.safety.check_query`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from evidencegraph.engine.store import engine_of, native_add
from evidencegraph.engine.terms import memo_from_ox, to_ox
from evidencegraph.errors import QueryError
from evidencegraph.limits import run_deep


def query_error(err: Exception) -> QueryError:
    """An engine's error as one line: Oxigraph's parser can list its whole grammar."""
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


def construct_strings(
    store: Any, text: str, bindings: Mapping[str, Identifier] | None = None
) -> Iterator[tuple[str, str, str]]:
    """A CONSTRUCT answer as plain strings: IRIs and literals by value, blank nodes
    as ``_:id``. Trace and viz index these; rdflib terms cost ~20 times more."""
    import pyoxigraph as ox

    blank = ox.BlankNode
    for t in iter_answer(native_answer(store, text, bindings)):
        s, o = t.subject, t.object
        yield (
            "_:" + s.value if type(s) is blank else s.value,
            t.predicate.value,
            "_:" + o.value if type(o) is blank else o.value,
        )


def construct_into(store: Any, text: str) -> int:
    """Run a CONSTRUCT on a bare store and add its triples to the same store;
    how many were new (the build rules, store to store with no rdflib terms)."""
    before = len(store)
    native_add(store, list(iter_answer(native_answer(store, text))))
    return len(store) - before
