"""SHACL §4.6 logical constraint components: ``sh:and``, ``sh:or``, ``sh:not``.

Each is a condition on one value node, made of the expressions of its member
shapes (:func:`.shape_based.conforms`) joined with ``&&``/``||`` or negated;
an empty ``sh:and`` list is true, an empty ``sh:or`` false. ``sh:xone`` is
not compiled (the driver refuses it).
"""

from __future__ import annotations

from rdflib.collection import Collection

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Component, Constraint, Context, Expr
from evidencegraph.shacl.compiler.shape_based import conforms

__all__ = ["COMPONENTS"]


def _and_or(ctx: Context, c: Constraint) -> Expr:
    members = list(Collection(ctx.sg, c.value))
    if not members:
        return ("false" if c.param == SH["or"] else "true"), None
    joiner = " || " if c.param == SH["or"] else " && "
    return "(" + joiner.join(conforms(ctx, m, c.var) for m in members) + ")", None


def _not(ctx: Context, c: Constraint) -> Expr:
    return f"!({conforms(ctx, c.value, c.var)})", None


COMPONENTS = (
    Component(SH["and"], SH.AndConstraintComponent, condition=_and_or),
    Component(SH["not"], SH.NotConstraintComponent, condition=_not),
    Component(SH["or"], SH.OrConstraintComponent, condition=_and_or),
)
