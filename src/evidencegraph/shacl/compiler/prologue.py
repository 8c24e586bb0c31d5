"""SPARQL text in the shapes: prefix declarations and query prologues (SHACL §5.2.1).

Both SPARQL-based targets (:mod:`.targets`) and SPARQL-based constraints
(:mod:`.sparql`) carry a SELECT with ``sh:prefixes`` pointing at
``sh:declare`` nodes, and may open with their own ``PREFIX`` lines. A
compiled query gets one prologue, so every prefix is gathered here, a prefix
bound to two namespaces is refused, and so are ``BASE`` and non-SELECT queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Context, Term, err

__all__ = ["merge_prefixes", "prefixes", "strip_prologue", "where_key"]

_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+([\w.-]*):\s*<([^>]*)>\s*)", re.I)


def prefixes(ctx: Context, node: Term) -> dict[str, str]:
    """PREFIX declarations (sh:prefixes / sh:declare) of a SPARQL-bearing node."""
    sg = ctx.sg
    out: dict[str, str] = {}
    for onto in sg.objects(node, SH.prefixes):
        for decl in sg.objects(onto, SH.declare):
            prefix, ns = sg.value(decl, SH.prefix), sg.value(decl, SH.namespace)
            if prefix is None or ns is None:
                raise err(node, "an sh:declare without sh:prefix and sh:namespace")
            merge_prefixes(out, {str(prefix): str(ns)}, node)
    return out


def merge_prefixes(into: dict[str, str], new: Mapping[str, str], shape: Term) -> None:
    for p, ns in new.items():
        if into.get(p, ns) != ns:
            raise err(shape, f"the prefix {p}: bound to two namespaces ({into[p]} and {ns})")
        into[p] = ns


def strip_prologue(text: str, shape: Term, into: dict[str, str]) -> str:
    """Move a query's own PREFIX lines into ``into``; refuse BASE."""
    while True:
        m = _PROLOGUE.match(text)
        if not m:
            break
        merge_prefixes(into, {m.group(1): m.group(2)}, shape)
        text = text[m.end() :]
    if re.match(r"\s*BASE\b", text, re.I):
        raise err(shape, "BASE in a SPARQL query")
    if not re.match(r"\s*SELECT\b", text, re.I):
        raise err(shape, "a SPARQL query that is not a SELECT")
    return text.strip()


def where_key(text: str) -> str:
    """A query's WHERE clause, whitespace-normalised, with $this written ?this."""
    return " ".join(text.replace("$this", "?this").split())
