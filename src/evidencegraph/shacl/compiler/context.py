"""What the compiler's section modules share: :class:`Check`, :class:`Component`, :class:`Context`.

A shape is compiled constraint component by constraint component, one module
per section of the SHACL specification (as pySHACL splits its constraint
components). The component modules do not import one another (but
:mod:`.logical`, whose ``sh:and``/``sh:or``/``sh:not`` use :mod:`.shape_based`'s
"conforms"); they meet here, and the driver (:mod:`.checks`) gathers them:

* :class:`Check`, what a constraint compiles to: one whole-graph query and how
  its rows become validation results (read by :mod:`.run`);
* :class:`Component`, what a section module declares for each constraint
  component it supports: its parameter, its IRI, and how it compiles;
* :class:`Context`, the state of one compilation (the shapes graph, the checks
  so far, fresh variable names) and the dispatch from a parameter to its
  component, through which components made of shapes reach the others;
* :class:`Constraint`, one parameter value of a shape, as a value-level
  component's condition gets it;
* :class:`Scope`, the shape being compiled (its focus nodes, path, prefixes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from evidencegraph.errors import UnsupportedShapeError
from evidencegraph.namespaces import SH

Term = Any
# Given a candidate value node, whether pySHACL would report it (see .literals).
Recheck = Callable[[Term], bool]
# A SPARQL expression, true when a value node satisfies a constraint, and its Recheck if any.
Expr = tuple[str, Recheck | None]
# How a value-level component judges one value node.
Condition = Callable[["Context", "Constraint"], Expr]
# (context, shape being compiled, component) -> None: adds the shape's checks of the component.
ShapeCompiler = Callable[["Context", "Scope", "Component"], None]

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"


@dataclass(frozen=True)
class Check:
    """One constraint of one shape (in the context of one targeted shape), as one query.

    ``kind`` says how rows become results: ``"focus"`` rows carry ?this only,
    ``"value"`` rows ?this and ?value, ``"sparql"`` rows are those of a
    SHACL-SPARQL constraint. ``recheck`` (value checks only) gets each
    candidate value and says whether pySHACL would report it.
    """

    shape: Term
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Term | None
    query: str
    kind: str
    is_property_shape: bool = False
    source_constraint: Term | None = None
    constraint_messages: tuple[Literal, ...] = ()
    recheck: Recheck | None = field(default=None, compare=False)
    # The triples of a blank-node path (sh:path [ sh:inversePath ... ]), copied into reports.
    path_triples: tuple[tuple[Term, Term, Term], ...] = ()


@dataclass(frozen=True)
class Component:
    """A constraint component the compiler supports, as its section module declares it.

    ``condition`` (value-level components) judges one value node; unless
    ``compile`` is given, a shape's checks for it are the value nodes for
    which the condition is false. ``compile`` adds a shape's checks itself
    (components judged on the focus node, SPARQL constraints). A component
    with no ``condition`` cannot stand inside ``sh:or``/``sh:and``/``sh:not``/``sh:node``.
    """

    parameter: URIRef
    iri: URIRef
    condition: Condition | None = None
    compile: ShapeCompiler | None = None


@dataclass(frozen=True)
class Constraint:
    """A shape's parameter value, to judge on the value node bound to ``var``.

    ``top`` is true for a constraint that reports (not one inside
    ``sh:or``/``sh:and``/``sh:not``/``sh:node``).
    """

    shape: Term
    param: URIRef
    value: Term
    var: str
    top: bool


@dataclass(frozen=True)
class Scope:
    """A shape being compiled: its focus-node subquery, PREFIXes, path and shared Check fields."""

    shape: Term
    target: str
    prefixes: dict[str, str]
    path: str | None  # the SPARQL property path of a property shape
    fields: Mapping[str, Any]  # the Check fields all the shape's checks share


@dataclass
class Context:
    """One compilation: the shapes graph, the supported components, the checks so far."""

    sg: Graph
    components: Mapping[URIRef, Component]
    checks: list[Check] = field(default_factory=list)
    _counter: int = 0

    def fresh(self, stem: str) -> str:
        """A new SPARQL variable name."""
        self._counter += 1
        return f"?_{stem}{self._counter}"

    def add(
        self, scope: Scope, query: str, *, prefixes: Mapping[str, str] | None = None, **kw: Any
    ) -> None:
        """A check of ``scope``'s shape; ``prefixes`` (default the scope's) head its query."""
        chosen = scope.prefixes if prefixes is None else prefixes
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(chosen.items()))
        self.checks.append(Check(query=prologue + query, **scope.fields, **kw))

    def condition(self, c: Constraint) -> Expr:
        """A SPARQL expression true when ``var`` satisfies the constraint, never an error.

        At the top level (a constraint that reports), literal-dependent
        components return a stricter expression and a Python ``recheck`` that
        gives pySHACL's verdict on the values the expression lets through.
        """
        component = self.components.get(c.param)
        if component is None or component.condition is None:
            raise err(c.shape, name(c.param))
        return component.condition(self, c)

    def severity(self, shape: Term) -> URIRef:
        sev = self.sg.value(shape, SH.severity)
        return sev if isinstance(sev, URIRef) else SH.Violation

    def messages(self, node: Term) -> tuple[Literal, ...]:
        return tuple(
            sorted(
                (m for m in self.sg.objects(node, SH.message) if isinstance(m, Literal)), key=str
            )
        )


def name(term: Term) -> str:
    """``sh:xone`` rather than ``<http://www.w3.org/ns/shacl#xone>`` in messages."""
    if isinstance(term, URIRef) and str(term).startswith(str(SH)):
        return "sh:" + str(term)[len(str(SH)) :]
    return term.n3() if isinstance(term, URIRef | BNode | Literal) else repr(term)


def err(shape: Term, what: str) -> UnsupportedShapeError:
    """The error for a construct the compiler does not support, naming shape and construct."""
    label = shape.n3() if isinstance(shape, URIRef) else f"blank node shape {shape}"
    return UnsupportedShapeError(
        f"fast validator: {label} uses {what}, which it does not support; "
        "validate with --validator pyshacl, or teach evidencegraph.shacl.compiler this construct"
    )


def n3(term: Term) -> str:
    """A constraint value as SPARQL; blank nodes have no SPARQL spelling."""
    if isinstance(term, BNode):
        raise UnsupportedShapeError(f"fast validator: a blank node ({term}) as a constraint value")
    return term.n3()


def is_true(value: Term) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def instance_of(var: str, cls: Term) -> str:
    """A triple pattern: ``var`` is a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*)."""
    return f"{var} {_RDF_TYPE}/{_SUBCLASS}* {n3(cls)}"
