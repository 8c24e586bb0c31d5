"""Read-only and no-federation checks, done locally before anything runs or is sent.

rdflib and pyoxigraph both federate ``SERVICE`` by default and rdflib loads
``FROM`` graphs from the web or ``file:`` paths; SPARQLWrapper's ``query()``
sends update text as an update. So every query is parsed here first and only
SELECT, ASK, CONSTRUCT and DESCRIBE without SERVICE or FROM get through
(unless the user opts in with ``--allow-service``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from evidencegraph.errors import QueryError, ReadOnlyError

T = TypeVar("T")

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks, with its form and projected variables."""

    text: str
    form: str
    variables: tuple[str, ...]


def _walk(node: Any):
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    seen: set[int] = set()
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, CompValue):
            yield cur
            stack.extend(cur.values())
        elif isinstance(cur, list | tuple):
            stack.extend(cur)
        elif hasattr(cur, "asList") and not isinstance(cur, str):
            stack.extend(list(cur))


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def run_deep(fn: Callable[[], T]) -> T:
    """Run ``fn`` in a thread with a large stack and recursion limit.

    rdflib's parser (pyparsing) and its SPARQL evaluator recurse per nesting
    level: 50 nested parentheses overflow the default limit. A big private
    stack answers those correctly; anything far deeper still ends in a clean
    RecursionError rather than a crash.
    """
    import gc
    import sys
    import threading

    box: dict[str, Any] = {}

    def work() -> None:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))
        try:
            box["result"] = fn()
        except BaseException as err:
            box["error"] = err
        finally:
            sys.setrecursionlimit(old)

    # No garbage collection while the thread runs: collecting Oxigraph result
    # objects from another thread makes pyo3 print "unsendable" noise.
    was_enabled = gc.isenabled()
    gc.disable()
    old_size = threading.stack_size()
    threading.stack_size(512 * 1024 * 1024)
    try:
        t = threading.Thread(target=work, name="sparql-deep")
        t.start()
    finally:
        threading.stack_size(old_size)
    t.join()
    if was_enabled:
        gc.enable()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _parse_deep(text: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery

    return run_deep(lambda: parseQuery(text))


@functools.lru_cache(maxsize=256)
def check_query(text: str, *, allow_service: bool = False) -> CheckedQuery:
    """Parse ``text`` and refuse updates, SERVICE and FROM; return its form.

    Raises :class:`ReadOnlyError` for updates and :class:`QueryError` with line
    and column for syntax errors. Cached per text: rdflib's parser costs 0.1-0.25 s
    and an endpoint session sends the same queries again and again.
    """
    from pyparsing import ParseException

    try:
        parsed = _parse_deep(text)
    except ParseException as err:
        if _is_update(text):
            raise ReadOnlyError(
                "read-only: updates (INSERT, DELETE, LOAD, DROP, CLEAR, ...) are refused; "
                "nothing was sent"
            ) from None
        raise QueryError(
            f"SPARQL syntax error at line {err.lineno}, column {err.col}: {err.msg}"
        ) from None
    except RecursionError:
        raise QueryError("query nested too deeply to parse safely") from None
    body = parsed[1]
    form = FORMS.get(body.name)
    if form is None:  # pragma: no cover - parseQuery only yields the four forms
        raise QueryError(f"unsupported query form {body.name}")
    if not allow_service:
        if dict.get(body, "datasetClause"):
            raise QueryError(
                "FROM / FROM NAMED are refused: they make the engine read files or the web; "
                "use --allow-service to permit them"
            )
        for node in _walk(body):
            if node.name == "ServiceGraphPattern":
                raise QueryError(
                    "SERVICE clauses are refused: they send requests to other servers; "
                    "use --allow-service to permit them"
                )
    variables: tuple[str, ...] = ()
    if form == "SELECT":
        proj = dict.get(body, "projection") or []
        names = []
        for p in proj if not isinstance(proj, str) else []:
            var = dict.get(p, "var") or dict.get(p, "evar")
            if var is not None:
                names.append(str(var))
        variables = tuple(names)
    return CheckedQuery(text, form, variables)
