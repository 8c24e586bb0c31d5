"""Query parameters: parsed, validated and resolved to RDF terms, never pasted as text.

A value may be an IRI (``<…>`` or ``http…``), a prefixed name (``doc:…``), a
literal in N-Triples form (``"2011"^^xsd:gYear``, ``"x"@en``) or a label
fragment, which is looked up and must match exactly one node. Terms reach the
query through ``initBindings`` (embedded engines) or a trailing ``VALUES``
block serialised by rdflib (endpoints): the query's structure never changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from rdflib import Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from evidencegraph.errors import ParameterError
from evidencegraph.namespaces import expand
from evidencegraph.querying.library import NamedQuery
from evidencegraph.safety import CheckedQuery

# RFC 3987 excludes these from IRIs; SPARQL's IRIREF excludes them too.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LITERAL = re.compile(
    r'^"(?P<lex>(?:[^"\\]|\\.)*)"(?:\^\^(?P<dt>\S+)|@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*))?$'
)
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:[^\s]*$")

Runner = Callable[[str, Mapping[str, Identifier]], Result]


def iri(value: str) -> URIRef:
    """A checked IRI: absolute, with none of the characters SPARQL forbids."""
    if _BAD_IRI_CHARS.search(value) or ":" not in value:
        raise ParameterError(f"not a valid IRI: {value!r}")
    return URIRef(value)


def parse_term(value: str) -> Identifier | None:
    """An RDF term if ``value`` is written as one; None if it is a label fragment."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return iri(v[1:-1])
    if re.match(r"^(https?|urn|file):", v):
        return iri(v)
    m = _LITERAL.match(v)
    if m:
        lex = unescape_string(m["lex"]) if "\\" in m["lex"] else m["lex"]
        if m["lang"]:
            return Literal(lex, lang=m["lang"])
        if m["dt"]:
            dt = m["dt"]
            if dt.startswith("<") and dt.endswith(">"):
                dt_iri = iri(dt[1:-1])
            else:
                expanded = expand(dt)
                if expanded is None:
                    raise ParameterError(f"unknown prefix in datatype {dt!r}")
                dt_iri = iri(expanded)
            return Literal(lex, datatype=dt_iri)
        return Literal(lex)
    if v.startswith('"'):
        raise ParameterError(f"malformed literal: {value!r}")
    if _CURIE.match(v):
        expanded = expand(v)
        if expanded is not None:
            return iri(expanded)
    return None


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def unescape_string(lex: str) -> str:
    """A string literal's body decoded by SPARQL's rules (ECHAR and ``\\u``/``\\U``).

    Not Python's ``unicode_escape``, which reads the text as Latin-1 (so "é"
    came out as "Ã©") and accepts escapes SPARQL does not (``\\x41``, ``\\101``).
    """

    def one(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            if m.group(3) in "uU":
                raise ParameterError("\\u takes 4 hex digits and \\U takes 8")
            if m.group(3) not in _ECHAR:
                raise ParameterError(f"\\{m.group(3)} is not a SPARQL string escape")
            return _ECHAR[m.group(3)]
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise ParameterError(f"{m.group(0)} is not a Unicode character")
        return chr(code)

    out = _STRING_ESCAPE.sub(one, lex)
    if "\\" in _STRING_ESCAPE.sub("", lex):
        raise ParameterError('a backslash must start a SPARQL escape (\\t, \\n, \\", \\uXXXX, ...)')
    return out


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``k=v`` strings to a dict; a bad pair is a clear error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name.strip()):
            raise ParameterError(f"parameters are name=value, got {pair!r}")
        out[name.strip()] = value
    return out


def resolve(
    query: NamedQuery, values: Mapping[str, str], run: Runner, load_text: Callable[[str], str]
) -> dict[str, Identifier]:
    """Check parameters against the query's header and resolve each to one term."""
    known = {p.name for p in query.params}
    for name in values:
        if name not in known:
            hint = f" (it takes: {', '.join(sorted(known))})" if known else " (it takes none)"
            raise ParameterError(f"query {query.name!r} has no parameter {name!r}{hint}")
    bound: dict[str, Identifier] = {}
    for p in query.params:
        if p.name not in values:
            if p.required:
                ex = f", e.g. --param {p.name}={p.example}" if p.example else ""
                raise ParameterError(f"query {query.name!r} needs --param {p.name}=…{ex}")
            continue
        raw = values[p.name]
        if not raw.strip():
            raise ParameterError(f"--param {p.name} is empty")
        term = parse_term(raw)
        if term is None:
            term = by_label(p.name, p.type, raw, run, load_text)
        bound[p.name] = term
    return bound


def by_label(
    name: str,
    type_: str,
    fragment: str,
    run: Runner,
    load_text: Callable[[str], str],
    display: str | None = None,
) -> URIRef:
    """The one node of ``type_`` whose label contains ``fragment`` (an exact label wins)."""
    what = display or f"--param {name}"
    bindings: dict[str, Identifier] = {"fragment": Literal(fragment)}
    cls = expand(type_) if ":" in type_ else None
    if cls:
        bindings["type"] = URIRef(cls)
        rows = list(run(load_text("find-by-label-typed"), bindings))
    else:
        rows = list(run(load_text("find-by-label"), bindings))
    matches: dict[str, str] = {}
    for row in rows:
        matches.setdefault(str(row[0]), str(row[1]))
    kind = f" {type_}" if cls else ""
    return URIRef(choose_by_label(f"{what}={fragment!r}", fragment, matches, kind=kind))


def choose_by_label(what: str, fragment: str, matches: Mapping[str, str], *, kind: str = "") -> str:
    """The one node whose label contains ``fragment``, from ``matches`` (node → label):
    an exact label wins; none, or several, is a :class:`ParameterError` that lists them.

    The one rule for every label fragment a user gives (query parameters, trace,
    ``viz --focus``)."""
    exact = {k: v for k, v in matches.items() if v.casefold() == fragment.casefold()}
    if len(exact) == 1:
        matches = exact
    if not matches:
        raise ParameterError(f"{what}: no{kind} node has a label containing it")
    if len(matches) > 1:
        listing = "; ".join(
            f"{label} <{node}>" for node, label in sorted(matches.items(), key=lambda kv: kv[1])
        )
        raise ParameterError(
            f"{what} matches {len(matches)} nodes, give more of the label or an IRI: {listing}"
        )
    return next(iter(matches))


def values_block(bindings: Mapping[str, Identifier]) -> str:
    """A ``VALUES`` clause with each term serialised by rdflib (escaped)."""
    if not bindings:
        return ""
    names = sorted(bindings)
    for term in bindings.values():
        if isinstance(term, URIRef):
            iri(str(term))
        elif isinstance(term, Literal) and term.datatype is not None:
            iri(str(term.datatype))
    head = " ".join(Variable(n).n3() for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    if re.search(r"\\[uU]", row):
        # A server that expands codepoint escapes (as SPARQL says) would read
        # a different value; nothing else can spell a backslash before "u".
        raise ParameterError("a value holding a backslash before 'u' cannot be sent to an endpoint")
    return f"\nVALUES ({head}) {{ ({row}) }}\n"


def bind_for_endpoint(checked: CheckedQuery, bindings: Mapping[str, Identifier]) -> str:
    """Checked query text for an endpoint with the bindings as a ``VALUES`` block.

    The block goes first inside the top-level WHERE group, found by the
    checker's lexer (so a ``WHERE {`` in a comment or string is not taken
    for it), where a FILTER that reads a parameter sees it bound, as with
    ``initBindings``; without such a group it is appended as a trailing
    ``VALUES`` clause. The terms are serialised by rdflib and checked: no
    text from the user is pasted.
    """
    block = values_block(bindings)
    text = checked.text
    if not block:
        return text
    at = checked.where_at
    if at < 0:
        return text + block
    return text[:at] + block.replace("\n", " ", 1) + text[at:]


def values_in_where(text: str, var: str, terms: list[Identifier]) -> str:
    """Insert ``VALUES ?var { … }`` (many rows) at each ``# values ?var`` marker line,
    or, without markers, first inside the top-level WHERE group.

    For the tool's own queries that are run for a set of nodes at once; every
    term is checked and serialised by rdflib, never pasted from user text.
    Markers put the block inside each UNION branch: Oxigraph does not push a
    VALUES joined with a UNION into the branches, and evaluated each branch over
    the whole graph (trace details: 0.11 s at 10^5 triples, 0.019 s with markers).
    """
    from evidencegraph.safety import where_offset

    for term in terms:
        if isinstance(term, URIRef):
            iri(str(term))
    block = f" VALUES {Variable(var).n3()} {{ " + " ".join(t.n3() for t in terms) + " } "
    marker = re.compile(rf"^[ \t]*#[ \t]*values[ \t]+\?{re.escape(var)}[ \t]*$", re.M)
    if marker.search(text):
        return marker.sub(lambda _m: block, text)
    at = where_offset(text)
    if at < 0:
        raise ValueError("query has no WHERE clause")
    return text[:at] + block + text[at:]
