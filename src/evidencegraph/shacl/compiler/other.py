"""SHACL §4.8 other constraint components: ``sh:in``, ``sh:hasValue``.

``sh:in`` is a condition on one value node (``sameTerm`` with a member of
the list). ``sh:hasValue`` is judged on the focus node: on a property shape
the focus node must reach the value by the path, on a node shape it must be
the value; as a condition (inside ``sh:or``/``sh:and``/``sh:not``/``sh:node``)
it is ``sameTerm``. ``sh:closed`` (with ``sh:ignoredProperties``) is not
compiled; the driver refuses it like any unknown parameter.
"""

from __future__ import annotations

from rdflib.collection import Collection

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import (
    Component,
    Constraint,
    Context,
    Expr,
    Scope,
    Term,
    n3,
)

__all__ = ["COMPONENTS"]


def _same_term(var: str, term: Term) -> str:
    return f"sameTerm({var}, {n3(term)})"


def _in(ctx: Context, c: Constraint) -> Expr:
    members = list(Collection(ctx.sg, c.value))
    if not members:
        return "false", None
    return "(" + " || ".join(_same_term(c.var, m) for m in members) + ")", None


def _has_value(ctx: Context, c: Constraint) -> Expr:
    return _same_term(c.var, c.value), None


def _compile_has_value(ctx: Context, scope: Scope, component: Component) -> None:
    for v in ctx.sg.objects(scope.shape, component.parameter):
        if scope.path is None:
            query = f"SELECT ?this WHERE {{ {scope.target} FILTER (!{_same_term('?this', v)}) }}"
            ctx.add(scope, query, component=component.iri, kind="value")
        else:
            query = (
                f"SELECT ?this WHERE {{ {scope.target} "
                f"FILTER NOT EXISTS {{ ?this {scope.path} {n3(v)} }} }}"
            )
            ctx.add(scope, query, component=component.iri, kind="focus")


COMPONENTS = (
    Component(SH["in"], SH.InConstraintComponent, condition=_in),
    Component(
        SH.hasValue,
        SH.HasValueConstraintComponent,
        condition=_has_value,
        compile=_compile_has_value,
    ),
)
