"""SHACL §4.7 shape-based constraint components: ``sh:node``, ``sh:property``.

``sh:node`` is a condition on one value node: it conforms to the node
shape, which :func:`conforms` writes as one SPARQL expression from the
member shape's value-level components (the conditions of the other
sections, reached through the :class:`.context.Context`); ``sh:and``,
``sh:or`` and ``sh:not`` (:mod:`.logical`) use it too. Property shapes,
focus-level components and SPARQL constraints are refused there.
``sh:property`` has no query of its own: :func:`property_shapes` gives the
property shapes whose checks the driver compiles with the parent's focus
nodes. ``sh:qualifiedValueShape`` is not compiled (the driver refuses it).
"""

from __future__ import annotations

from collections.abc import Iterator

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import (
    Component,
    Constraint,
    Context,
    Expr,
    Term,
    err,
    is_true,
    name,
)

__all__ = ["COMPONENTS", "conforms", "property_shapes"]

_NESTED = "inside sh:or/sh:and/sh:not/sh:node"


def conforms(ctx: Context, shape: Term, var: str) -> str:
    """An expression: ``var`` conforms to ``shape`` (value-level constraints only)."""
    sg = ctx.sg
    if is_true(sg.value(shape, SH.deactivated)):
        return "true"
    if sg.value(shape, SH.path) is not None:
        raise err(shape, f"a property shape {_NESTED}")
    parts = []
    for param in sorted(set(sg.predicates(shape, None)), key=str):
        component = ctx.components.get(param)
        if component is not None and component.condition is not None:
            for arg in sg.objects(shape, param):
                parts.append(ctx.condition(Constraint(shape, param, arg, var, top=False))[0])
        elif component is not None or param == SH.property:
            raise err(shape, f"{name(param)} {_NESTED}")
    return "(" + " && ".join(parts) + ")" if parts else "true"


def property_shapes(ctx: Context, shape: Term, path: str | None) -> Iterator[Term]:
    """The active property shapes of ``shape``'s ``sh:property``, in a stable order."""
    sg = ctx.sg
    if sg.value(shape, SH.property) is None:
        return
    if path is not None:
        raise err(shape, "sh:property on a property shape")
    for child in sorted(sg.objects(shape, SH.property), key=str):
        if is_true(sg.value(child, SH.deactivated)):
            continue
        if sg.value(child, SH.path) is None:
            raise err(child, "sh:property pointing at a shape without sh:path")
        yield child


def _node(ctx: Context, c: Constraint) -> Expr:
    return conforms(ctx, c.value, c.var), None


COMPONENTS = (Component(SH.node, SH.NodeConstraintComponent, condition=_node),)
