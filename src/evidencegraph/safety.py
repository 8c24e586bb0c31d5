"""Read-only and no-federation checks, done locally before anything runs or is sent.

rdflib and pyoxigraph both federate ``SERVICE`` by default and rdflib loads
``FROM`` graphs from the web or ``file:`` paths; SPARQLWrapper's ``query()``
sends update text as an update. So every query is checked here first and only
SELECT, ASK, CONSTRUCT and DESCRIBE without SERVICE or FROM get through
(unless the user opts in with ``--allow-service``).

The checker and the engine must read the same text. SPARQL expands ``\\uXXXX``
escapes before parsing (rdflib does, Oxigraph does not), and ends a comment at
CR as well as LF (Oxigraph does, rdflib does not): a query could hide
``SERVICE`` from one reader and show it to the other. So :func:`check_query`
first normalises the text (escapes expanded, CR turned into LF), checks that
text with a linear-time lexer, and returns it: every engine and endpoint is
handed ``CheckedQuery.text``, never the original.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from evidencegraph.errors import QueryError, ReadOnlyError
from evidencegraph.limits import run_deep

T = TypeVar("T")

# Limits, each changeable through the environment (README "Security and limits").
MAX_QUERY_BYTES = int(float(os.environ.get("EVIDENCEGRAPH_MAX_QUERY_MB", "16")) * 1024 * 1024)
# rdflib's grammar check (line and column for syntax errors) is quadratic on big
# VALUES blocks (10.9 MB took > 300 s); above this size the lexer's checks stand
# alone and the engine reports syntax errors.
GRAMMAR_CHECK_CHARS = 256 * 1024
# Oxigraph's parser recurses per level and crashes (SIGSEGV) near 5,000 levels.
MAX_NESTING = 100

# Words that only SPARQL Update uses; a read-only query never contains one.
UPDATE_WORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"]
)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: the normalised text to run, its form and
    projected variables, and the offset just after its WHERE group's ``{``."""

    text: str
    form: str
    variables: tuple[str, ...]
    where_at: int = -1


# ---------------------------------------------------------------- normalising

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _line_col(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def normalise(text: str) -> str:
    """The text every reader must see: codepoint escapes expanded, CR as LF.

    A surrogate or out-of-range escape is a :class:`QueryError` (engines
    cannot encode it), and so is an escape that spells another escape
    (``\\u005Cu0022``): a second reader would expand it again.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\\u" not in text and "\\U" not in text:
        return text

    def expand(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            line, col = _line_col(text, m.start())
            raise QueryError(
                f"SPARQL syntax error at line {line}, column {col}: "
                f"{m.group(0)} is not a Unicode character"
            )
        return chr(code)

    out = _ESCAPE.sub(expand, text)
    if _ESCAPE.search(out):
        raise QueryError("a codepoint escape in the query spells another escape; write it plainly")
    return out.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- lexing

_PN_LOCAL = r"(?:[\w\-:%.]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$]\w+)"
    r"|(?P<pname>(?:[^\W\d_](?:[\w\-.]*[\w\-])?)?:" + _PN_LOCAL + ")"
    r"|(?P<bnode>_:[\w\-.]*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<open>[({\[])"
    r"|(?P<close>[)}\]])"
    r"|(?P<other>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    depth: int  # brackets open around the token


def tokens(text: str) -> list[Token]:
    """Significant tokens of a SPARQL text (whitespace and comments dropped).

    Strings, IRIs and comments are single tokens, so a keyword inside them is
    never taken for one outside. Anything the lexer cannot read is an
    ``other`` token, which makes the checks stricter, never looser.
    """
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        value, start, end = m.group(), m.start(), m.end()
        if kind == "close":
            depth = max(0, depth - 1)
        if kind == "pname" and value.endswith("."):  # a trailing dot ends the triple
            end -= len(value) - len(value.rstrip("."))
            value = value.rstrip(".")
        out.append(Token(kind, value, start, end, depth))
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                line, col = _line_col(text, start)
                raise QueryError(
                    f"query nested more than {MAX_NESTING} levels deep "
                    f"(line {line}, column {col}); refused"
                )
    return out


def _form_and_where(toks: list[Token]) -> tuple[str, int, int]:
    """The query form, its keyword's index, and the offset after the WHERE group's ``{``."""
    at = next(
        (
            i
            for i, t in enumerate(toks)
            if t.kind == "word"
            and t.depth == 0
            and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
        ),
        -1,
    )
    if at < 0:
        return "", -1, -1
    form = toks[at].text.upper()
    seen_where, groups = False, 0
    for t in toks[at:]:
        if t.depth != 0:
            continue
        if t.kind == "word" and t.text.upper() == "WHERE":
            seen_where = True
        elif t.text == "{":
            groups += 1
            # CONSTRUCT { template } WHERE? { pattern }: the pattern is the second group
            if seen_where or form != "CONSTRUCT" or groups == 2:
                return form, at, t.end
    return form, at, -1


def _projection(toks: list[Token], at: int) -> tuple[str, ...]:
    """SELECT's projected variables: ``?v`` at top level and ``(… AS ?v)``."""
    names: list[str] = []
    after_as = False
    for t in toks[at + 1 :]:
        if t.depth == 0 and (t.text == "{" or t.text.upper() in ("WHERE", "FROM")):
            break
        if t.kind == "var" and (t.depth == 0 or after_as):
            names.append(t.text[1:])
        after_as = t.kind == "word" and t.text.upper() == "AS"
    return tuple(names)


def where_offset(text: str) -> int:
    """Offset just after the top-level WHERE group's ``{`` in ``text`` (-1: none)."""
    return _form_and_where(tokens(text))[2]


# ---------------------------------------------------------------- checking


def _parse_deep(text: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery

    return run_deep(lambda: parseQuery(text))


def _grammar(text: str) -> tuple[str, ...] | None:
    """rdflib's SPARQL 1.1 grammar on the text: syntax errors with line and column;
    a SELECT's projected variables as rdflib reads them."""
    from pyparsing import ParseException

    try:
        parsed = _parse_deep(text)
    except ParseException as err:
        raise QueryError(
            f"SPARQL syntax error at line {err.lineno}, column {err.col}: {err.msg}"
        ) from None
    except RecursionError:
        raise QueryError("query nested too deeply to parse safely") from None
    body = parsed[1]
    if body.name != "SelectQuery":
        return None
    proj = dict.get(body, "projection") or []
    names = []
    for p in proj if not isinstance(proj, str) else []:
        var = dict.get(p, "var") or dict.get(p, "evar")
        if var is not None:
            names.append(str(var))
    return tuple(names)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


@functools.lru_cache(maxsize=256)
def check_query(text: str, *, allow_service: bool = False, grammar: bool = True) -> CheckedQuery:
    """Normalise ``text``, refuse updates, SERVICE and FROM; return what to run.

    Raises :class:`ReadOnlyError` for updates and :class:`QueryError` for the
    rest. The lexer's checks decide safety and are linear in the text;
    ``grammar`` adds rdflib's full grammar check (line and column for syntax
    errors, 0.1-0.25 s) on texts up to :data:`GRAMMAR_CHECK_CHARS`. Cached
    per text: an endpoint session sends the same queries again and again.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryError(
            f"query text is {_mb(size)}, over the {_mb(MAX_QUERY_BYTES)} limit "
            "(set EVIDENCEGRAPH_MAX_QUERY_MB to raise it)"
        )
    text = normalise(text)
    toks = tokens(text)
    words = {t.text.upper() for t in toks if t.kind == "word"}
    if words & UPDATE_WORDS:
        raise ReadOnlyError(
            "read-only: updates (INSERT, DELETE, LOAD, DROP, CLEAR, ...) are refused; "
            "nothing was sent"
        )
    form, at, where_at = _form_and_where(toks)
    if not form:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    if not allow_service:
        if "FROM" in words:
            raise QueryError(
                "FROM / FROM NAMED are refused: they make the engine read files or the web; "
                "use --allow-service to permit them"
            )
        if "SERVICE" in words:
            raise QueryError(
                "SERVICE clauses are refused: they send requests to other servers; "
                "use --allow-service to permit them"
            )
    variables = _projection(toks, at) if form == "SELECT" else ()
    if grammar and len(text) <= GRAMMAR_CHECK_CHARS:
        parsed = _grammar(text)
        if parsed is not None:
            variables = parsed
    return CheckedQuery(text, form, variables, where_at)
