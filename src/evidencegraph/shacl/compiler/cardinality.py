"""SHACL §4.2 cardinality constraint components: ``sh:minCount``, ``sh:maxCount``.

Judged once per focus node from all its value nodes, so these are the
components with no condition on one value node: each compiles to a query
whose rows are the focus nodes with too few (``FILTER NOT EXISTS`` for 1,
else ``COUNT(DISTINCT ?value)``) or too many value nodes. They belong to
property shapes only, and cannot stand inside ``sh:or``/``sh:and``/``sh:not``/``sh:node``.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Component, Context, Scope, Term, err, name

__all__ = ["COMPONENTS"]


def _compile(ctx: Context, scope: Scope, component: Component) -> None:
    param = component.parameter
    for n in ctx.sg.objects(scope.shape, param):
        if scope.path is None:
            raise err(scope.shape, f"{name(param)} on a node shape")
        query = _count_query(scope, param, n)
        ctx.add(scope, query, component=component.iri, kind="focus")


def _count_query(scope: Scope, param: URIRef, n: Term) -> str:
    target, path = scope.target, scope.path
    if not (isinstance(n, Literal) and isinstance(n.toPython(), int)):
        raise err(scope.shape, f"{name(param)} {n.n3()} (not an integer)")
    count = int(n.toPython())
    if param == SH.minCount:
        if count <= 0:
            return "SELECT ?this WHERE { FILTER (false) }"
        if count == 1:
            return f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
        return (
            f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})"
        )
    return (
        f"SELECT ?this WHERE {{ {target} ?this {path} ?value }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {count})"
    )


COMPONENTS = (
    Component(SH.minCount, SH.MinCountConstraintComponent, compile=_compile),
    Component(SH.maxCount, SH.MaxCountConstraintComponent, compile=_compile),
)
