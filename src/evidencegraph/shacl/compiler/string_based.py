"""SHACL §4.4 string-based constraint components: ``sh:pattern`` (with ``sh:flags``).

A condition on one value node: SPARQL's ``REGEX`` on ``STR(value)``, false
for blank nodes, as pySHACL. ``sh:minLength``, ``sh:maxLength``,
``sh:languageIn`` and ``sh:uniqueLang`` are not compiled (the shapes do not
use them); the driver refuses them like any unknown parameter.
"""

from __future__ import annotations

from rdflib import Literal

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Component, Constraint, Context, Expr

__all__ = ["COMPONENTS"]


def _pattern(ctx: Context, c: Constraint) -> Expr:
    flags = ctx.sg.value(c.shape, SH.flags)
    flag_arg = f", {Literal(str(flags)).n3()}" if flags is not None else ""
    regex = f"REGEX(STR({c.var}), {Literal(str(c.value)).n3()}{flag_arg})"
    return f"COALESCE(!isBlank({c.var}) && {regex}, false)", None


COMPONENTS = (Component(SH.pattern, SH.PatternConstraintComponent, condition=_pattern),)
