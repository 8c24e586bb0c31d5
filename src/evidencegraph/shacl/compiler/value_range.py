"""SHACL §4.3 value range constraint components: ``sh:min/maxInclusive``, ``sh:min/maxExclusive``.

Each is a condition on one value node. Where the bound is numeric, the query
passes only values of a numeric datatype in a strictly valid lexical form
that satisfy the bound; everything else is a candidate that
:func:`.literals.range_recheck` judges with pySHACL's literal comparison.
With a non-numeric bound every value is such a candidate. Inside
``sh:or``/``sh:and``/``sh:not``/``sh:node`` SPARQL's own comparison is used.
"""

from __future__ import annotations

from rdflib import Literal

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Component, Constraint, Context, Expr, err, name
from evidencegraph.shacl.compiler.literals import NUMERIC, STRICT_LEXICAL, range_recheck

__all__ = ["COMPONENTS"]

# Each parameter, its component, and how a conforming value compares with the bound.
_RANGES = (
    (SH.minExclusive, SH.MinExclusiveConstraintComponent, ">"),
    (SH.minInclusive, SH.MinInclusiveConstraintComponent, ">="),
    (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, "<"),
    (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, "<="),
)
_OPERATOR = {param: op for param, _, op in _RANGES}


def _range(ctx: Context, c: Constraint) -> Expr:
    bound, var = c.value, c.var
    if not isinstance(bound, Literal):
        raise err(c.shape, f"{name(c.param)} {bound!r} (not a literal)")
    op = _OPERATOR[c.param]
    native = f"COALESCE({var} {op} {bound.n3()}, false)"
    if bound.datatype not in NUMERIC or not c.top:
        if c.top:
            return "false", range_recheck(c.param, bound)
        return native, None
    strict = " || ".join(
        f'(DATATYPE({var}) = {dt.n3()} && REGEX(STR({var}), "{STRICT_LEXICAL[dt]}"))'
        for dt in NUMERIC
    )
    return (
        f"COALESCE(isLiteral({var}) && ({strict}) && {var} {op} {bound.n3()}, false)",
        range_recheck(c.param, bound),
    )


COMPONENTS = tuple(Component(param, iri, condition=_range) for param, iri, _ in _RANGES)
