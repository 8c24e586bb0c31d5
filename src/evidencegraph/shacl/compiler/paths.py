"""SHACL §2.3.1 property paths, written as SPARQL property paths.

A predicate path is its IRI; ``sh:inversePath``, ``sh:alternativePath``,
sequence paths (an RDF list), ``sh:zeroOrMorePath``, ``sh:oneOrMorePath`` and
``sh:zeroOrOnePath`` map one-to-one onto SPARQL's ``^``, ``|``, ``/``, ``*``,
``+`` and ``?``, each group parenthesised. A blank-node path's triples are
also kept, so a report can copy the path as pySHACL does (:mod:`.run`).
"""

from __future__ import annotations

from rdflib import BNode, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Context, Term, err, name

__all__ = ["path_triples", "sparql_path"]

_REPEAT = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def sparql_path(ctx: Context, node: Term, shape: Term) -> str:
    """The SPARQL property path of the SHACL path ``node`` (of ``shape``, for errors)."""
    sg = ctx.sg
    if isinstance(node, URIRef):
        return node.n3()
    if not isinstance(node, BNode):
        raise err(shape, f"the path {node!r}")
    if sg.value(node, RDF.first) is not None:
        items = list(Collection(sg, node))
        if len(items) < 2:
            raise err(shape, "a sequence path with fewer than two members")
        return "(" + "/".join(sparql_path(ctx, i, shape) for i in items) + ")"
    ops = [(p, o) for p, o in sg.predicate_objects(node)]
    if len(ops) != 1:
        raise err(shape, f"a path node with {len(ops)} predicates")
    op, inner = ops[0]
    if op == SH.inversePath:
        return f"(^{sparql_path(ctx, inner, shape)})"
    if op == SH.alternativePath:
        items = list(Collection(sg, inner))
        if len(items) < 2:
            raise err(shape, "an alternative path with fewer than two members")
        return "(" + "|".join(sparql_path(ctx, i, shape) for i in items) + ")"
    suffix = _REPEAT.get(op)
    if suffix:
        return f"({sparql_path(ctx, inner, shape)}){suffix}"
    raise err(shape, f"the path operator {name(op)}")


def path_triples(ctx: Context, node: Term) -> tuple[tuple[Term, Term, Term], ...]:
    """Every triple reachable from a blank node through blank nodes."""
    out, todo, seen = [], [node], set()
    while todo:
        n = todo.pop()
        if not isinstance(n, BNode) or n in seen:
            continue
        seen.add(n)
        for p, o in ctx.sg.predicate_objects(n):
            out.append((n, p, o))
            todo.append(o)
    return tuple(out)
