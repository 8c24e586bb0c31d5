"""SHACL §5 SPARQL-based constraints: ``sh:sparql [ sh:select ... ]``, one query each.

A constraint's SELECT is kept as written, with two rewrites (by regular
expression, on the query text): ``$this`` is bound by joining the shape's
focus-node subquery at the head of the WHERE group (§5.3.1), which is pySHACL's
pre-binding for queries without sub-selects, MINUS, VALUES or aggregates
(all refused, with ``$shapesGraph``, ``$currentShape``, ``?failure`` and
more); ``$PATH`` is replaced by the property shape's SPARQL path (§5.2).
``?this`` is added to the projection when missing. The join is left out when
the shape's only target is a SPARQL target with this very WHERE clause and
?this free (how every SPARQL shape of shapes.ttl is written): it would only
run the same query twice. ASK constraints are refused.
"""

from __future__ import annotations

import re

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Component, Context, Scope, Term, err, is_true, name
from evidencegraph.shacl.compiler.prologue import (
    merge_prefixes,
    prefixes,
    strip_prologue,
    where_key,
)
from evidencegraph.shacl.compiler.targets import sole_sparql_target

__all__ = ["COMPONENTS"]

_CONSTRAINT_KEYS = (SH.select, SH.message, SH.prefixes, SH.deactivated)
# What a SELECT may not use: pySHACL's pre-binding of $this would differ from a join.
_REFUSED = (
    (r"\bMINUS\b", "MINUS"),
    (r"\bVALUES\b", "VALUES"),
    (r"\bGROUP\s+BY\b|\bHAVING\b", "GROUP BY / HAVING"),
    (r"\bLIMIT\b|\bOFFSET\b", "LIMIT / OFFSET"),
    (r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", "an aggregate"),
    (r"\bSERVICE\b|\bFROM\b|\bGRAPH\b", "SERVICE / FROM / GRAPH"),
    (r"\$(shapesGraph|currentShape)\b", "$shapesGraph / $currentShape"),
    (r"[?$]failure\b", "?failure"),
)


def _compile(ctx: Context, scope: Scope, component: Component) -> None:
    for c in sorted(ctx.sg.objects(scope.shape, component.parameter), key=str):
        _compile_constraint(ctx, scope, component, c)


def _compile_constraint(ctx: Context, scope: Scope, component: Component, constraint: Term) -> None:
    sg, shape = ctx.sg, scope.shape
    if is_true(sg.value(constraint, SH.deactivated)):
        return
    for key in sg.predicates(constraint, None):
        if str(key).startswith(str(SH)) and key not in _CONSTRAINT_KEYS:
            raise err(shape, f"{name(key)} in SPARQL constraint {constraint.n3()}")
    select = sg.value(constraint, SH.select)
    if select is None:
        raise err(
            shape, f"SPARQL constraint {constraint.n3()} without sh:select (ASK is not supported)"
        )
    own = dict(scope.prefixes)
    merge_prefixes(own, prefixes(ctx, constraint), shape)
    text = strip_prologue(str(select), shape, own)
    for pattern, what in _REFUSED:
        if re.search(pattern, text, re.I):
            raise err(shape, f"{what} in the SPARQL constraint {constraint.n3()}")
    if len(re.findall(r"\bSELECT\b", text, re.I)) != 1:
        raise err(shape, f"a sub-select in the SPARQL constraint {constraint.n3()}")
    if re.search(r"\$PATH\b", text):
        path = scope.path
        if path is None:
            raise err(shape, f"$PATH in {constraint.n3()} on a node shape")
        text = re.sub(r"\$PATH\b", lambda _m: path, text)
    head, brace, rest = text.partition("{")
    if not brace or head.count("(") != head.count(")"):
        raise err(shape, f"an unusual SELECT clause in {constraint.n3()}")
    m = re.match(r"\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)\s*(WHERE\s*)?$", head, re.I | re.S)
    if m is None:
        raise err(shape, f"an unusual SELECT clause in {constraint.n3()}")
    modifier, projection, where = m.group(1) or "", m.group(2), m.group(3) or ""
    if projection.strip() != "*" and not re.search(r"[?$]this\b", projection):
        projection = "?this " + projection
    # With the target being this query, ?this is a focus node in every solution already.
    target = "" if _target_is_query(ctx, shape, rest) else scope.target
    ctx.add(
        scope,
        f"SELECT {modifier}{projection} {where}{{ {target} {rest}",
        prefixes=own,
        component=component.iri,
        kind="sparql",
        source_constraint=constraint,
        constraint_messages=ctx.messages(constraint),
    )


def _target_is_query(ctx: Context, shape: Term, where_rest: str) -> bool:
    """Whether the shape's one target is a SPARQL target with this very WHERE clause."""
    sg = ctx.sg
    target = sole_sparql_target(ctx, shape)
    if target is None:
        return False
    select = sg.value(target, SH.select)
    if select is None or prefixes(ctx, target) != prefixes(
        ctx, next(iter(sg.objects(shape, SH.sparql)))
    ):
        return False
    text = strip_prologue(str(select), shape, {})
    head, brace, rest = text.partition("{")
    if not brace or not re.match(r"\s*SELECT\s+(DISTINCT\s+)?\?this\s+(WHERE\s*)?$", head, re.I):
        return False
    return where_key(rest) == where_key(where_rest)


COMPONENTS = (Component(SH.sparql, SH.SPARQLConstraintComponent, compile=_compile),)
