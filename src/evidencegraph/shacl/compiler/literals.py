"""Literals as pySHACL reads them: strict lexical forms for SPARQL, pySHACL's verdict in Python.

Where pySHACL's answer depends on how rdflib reads a literal (``sh:datatype``
well-formedness, ``sh:minInclusive`` and friends), the query lets through
only values that are certainly fine (a strictly valid XSD lexical form,
:data:`STRICT_LEXICAL`) and returns the rest as candidates, which Python then
judges with pySHACL 0.40's own rules (:func:`datatype_recheck`,
:func:`range_recheck`), so even odd literals such as ``" 20"^^xsd:integer``
get its verdict. Used by :mod:`.value_type` and :mod:`.value_range`.
"""

from __future__ import annotations

import warnings
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Recheck, Term

__all__ = [
    "NUMERIC",
    "STRICT_LEXICAL",
    "datatype_recheck",
    "range_recheck",
    "rdflib_checks_lexical",
]

# Lexical forms rdflib certainly reads as pySHACL expects (XSD's own grammar).
STRICT_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.double: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
    XSD.float: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
}
NUMERIC = (XSD.integer, XSD.decimal, XSD.double, XSD.float)


def rdflib_checks_lexical(dt: URIRef) -> bool:
    """Whether rdflib (hence pySHACL) can find a literal of this datatype ill-typed."""
    from rdflib.term import XSDToPython

    if dt in (
        XSD.string,
        RDF.langString,
        XSD.integer,
        XSD.float,
        XSD.decimal,
        XSD.boolean,
        XSD.date,
        XSD.time,
        XSD.dateTime,
    ):
        return True
    return XSDToPython.get(dt) is not None


def datatype_recheck(dt: URIRef) -> Recheck:
    """pySHACL 0.40's DatatypeConstraintComponent on one value: True means a violation."""
    from datetime import date, datetime, time
    from decimal import Decimal

    kinds: dict[URIRef, Any] = {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }

    def violates(v: Term) -> bool:
        if not isinstance(v, Literal):
            return True
        if v.datatype is None and not v.language and dt == XSD.string:
            return not isinstance(v.value, (str, bytes))
        if v.datatype != dt:
            return True
        if getattr(v, "ill_typed", None) is True:
            return True
        kind = kinds.get(dt)
        return kind is not None and not isinstance(v.value, kind)

    return violates


def range_recheck(param: URIRef, bound: Literal) -> Recheck:
    """pySHACL 0.40's value-range components on one value: True means a violation."""

    def violates(v: Term) -> bool:
        from pyshacl.rdfutil.compare import compare_literal

        if not isinstance(v, Literal):
            return True
        bound_is_string = isinstance(bound.value, str)
        v_is_string = isinstance(v.value, str)
        if bound_is_string != v_is_string:
            return True
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if param in (SH.minInclusive, SH.minExclusive):
                    cmp = compare_literal(v, bound)
                else:
                    cmp = compare_literal(bound, v)
        except (TypeError, NotImplementedError):
            return True
        inclusive = param in (SH.minInclusive, SH.maxInclusive)
        return not (cmp >= 0 if inclusive else cmp > 0)

    return violates
