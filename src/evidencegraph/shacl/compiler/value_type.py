"""SHACL §4.1 value type constraint components: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``.

Each is a condition on one value node. ``sh:class`` follows
``rdf:type/rdfs:subClassOf*`` in the data graph (SHACL instances, no
inference). ``sh:nodeKind`` is SPARQL's term tests. ``sh:datatype`` depends on
how rdflib reads a literal: the query passes only strictly well-formed
values and :mod:`.literals` rechecks the rest with pySHACL's rules
(``sh:datatype rdfs:Datatype`` is refused).
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import (
    Component,
    Constraint,
    Context,
    Expr,
    err,
    instance_of,
    name,
)
from evidencegraph.shacl.compiler.literals import (
    STRICT_LEXICAL,
    datatype_recheck,
    rdflib_checks_lexical,
)

__all__ = ["COMPONENTS"]

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


def _class(ctx: Context, c: Constraint) -> Expr:
    return f"EXISTS {{ {instance_of(c.var, c.value)} }}", None


def _node_kind(ctx: Context, c: Constraint) -> Expr:
    if c.value not in _NODE_KINDS:
        raise err(c.shape, f"sh:nodeKind {name(c.value)}")
    return _NODE_KINDS[c.value].format(v=c.var), None


def _datatype(ctx: Context, c: Constraint) -> Expr:
    dt, var, top = c.value, c.var, c.top
    if not isinstance(dt, URIRef):
        raise err(c.shape, f"sh:datatype {dt!r}")
    if dt == RDFS.Literal:
        return f"isLiteral({var})", None
    if dt == RDFS.Datatype:
        raise err(c.shape, "sh:datatype rdfs:Datatype")
    if dt == RDF.langString:
        return f'COALESCE(isLiteral({var}) && LANG({var}) != "", false)', None
    base = f"isLiteral({var}) && DATATYPE({var}) = {dt.n3()}"
    if dt == XSD.string or not rdflib_checks_lexical(dt):
        return f"COALESCE({base}, false)", None
    strict = STRICT_LEXICAL.get(dt)
    if strict is None:
        # rdflib judges the lexical form; send every value to Python.
        return ("false" if top else f"COALESCE({base}, false)"), (
            datatype_recheck(dt) if top else None
        )
    return (
        f'COALESCE({base} && REGEX(STR({var}), "{strict}"), false)',
        datatype_recheck(dt) if top else None,
    )


COMPONENTS = (
    Component(SH["class"], SH.ClassConstraintComponent, condition=_class),
    Component(SH.datatype, SH.DatatypeConstraintComponent, condition=_datatype),
    Component(SH.nodeKind, SH.NodeKindConstraintComponent, condition=_node_kind),
)
