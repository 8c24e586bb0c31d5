"""Validate with whole-graph SPARQL: every shape compiled to queries run on the engine.

pySHACL stays the reference validator, but it evaluates each constraint focus
node by focus node in Python and runs a SHACL-SPARQL constraint once per
focus node, so it cannot validate 10^6 triples in bounded time. Here each
constraint of ``ontology/shapes.ttl`` becomes ONE SELECT over the whole
graph (ODK's ``*-violation.rq`` idea), generated from the shapes graph at run
time: the shapes file stays the single source of truth. The rows are merged
into a standard ``sh:ValidationReport`` and returned as the same
:class:`~evidencegraph.shacl.report.ValidationResult` pySHACL's route gives.

Every query has the same skeleton::

    SELECT ... WHERE {
        { SELECT DISTINCT ?this WHERE { { <target 1> } UNION { <target 2> } } }
        <the constraint, with ?this bound to a focus node>
    }

(the target subquery is left out when a shape's only target is its SPARQL
constraint with ?this free, as every SPARQL shape of shapes.ttl is written).
Queries run on the graph's own Oxigraph store; a graph on rdflib's store is
copied into a native Oxigraph store first (rdflib's engine is far too slow).
Compiled queries are cached per shapes-file content hash.

Semantics follow pySHACL 0.40 (``inference="none"``, ``advanced=True``,
``allow_warnings=True``):

* targets: ``sh:targetClass`` (and implicit class targets) through
  ``rdf:type/rdfs:subClassOf*`` in the data graph, ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, and SPARQL targets
  (``sh:target [ sh:select ... ]``);
* paths: predicate, ``sh:inversePath``, ``sh:alternativePath``, sequence,
  ``sh:zeroOrMorePath``, ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
* components: ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
  ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``,
  ``sh:pattern`` (with ``sh:flags``), ``sh:minInclusive``,
  ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:or``,
  ``sh:and``, ``sh:not``, ``sh:node`` (their member shapes may use the
  value-level components above), ``sh:property`` and ``sh:sparql`` SELECT
  constraints (``$this`` bound by joining the target inside the query's
  WHERE group, which is pySHACL's pre-binding for queries without sub-selects,
  MINUS or aggregates; ``$PATH`` substituted on property shapes).

Anything else in a shape raises :class:`UnsupportedShapeError` naming the
shape and the construct, so a new shape can never be skipped silently.

Where pySHACL's answer depends on how rdflib reads a literal (``sh:datatype``
well-formedness, ``sh:minInclusive`` and friends), the query lets through
only values that are certainly fine (a strictly valid XSD lexical form) and
returns the rest as candidates, which Python then judges with pySHACL's own
rules, so even odd literals such as ``" 20"^^xsd:integer`` get its verdict.
"""

from __future__ import annotations

import functools
import hashlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from evidencegraph import engine, paths
from evidencegraph.errors import UnsupportedShapeError
from evidencegraph.namespaces import SH
from evidencegraph.shacl.report import ValidationResult, Violation, focus_label, sorted_results
from evidencegraph.shacl.shapes import load_shapes

__all__ = [
    "Check",
    "UnsupportedShapeError",
    "checks_for",
    "compile_shapes",
    "validate",
]

Term = Any


# ---------------------------------------------------------------- what a shape may say

# Predicates that are not constraints (or are parameters read with one).
_NON_CONSTRAINT = {
    SH.path,
    SH.message,
    SH.severity,
    SH.property,
    SH.target,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.flags,
    SH.prefixes,
    SH.defaultValue,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# Components judged value node by value node (a boolean expression on ?value).
_VALUE_LEVEL = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.node,
}
# Components judged once per focus node from all its value nodes.
_FOCUS_LEVEL = {SH.minCount, SH.maxCount}
_SUPPORTED = _VALUE_LEVEL | _FOCUS_LEVEL | {SH.hasValue, SH.sparql}

_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_OK_SEVERITIES = {SH.Warning, SH.Info}  # allow_warnings=True: these do not break conformance


# ---------------------------------------------------------------- compiled checks


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
    recheck: Callable[[Term], bool] | None = field(default=None, compare=False)
    # The triples of a blank-node path (sh:path [ sh:inversePath ... ]), copied into reports.
    path_triples: tuple[tuple[Term, Term, Term], ...] = ()


def _name(term: Term) -> str:
    """``sh:xone`` rather than ``<http://www.w3.org/ns/shacl#xone>`` in messages."""
    if isinstance(term, URIRef) and str(term).startswith(str(SH)):
        return "sh:" + str(term)[len(str(SH)) :]
    return term.n3() if isinstance(term, URIRef | BNode | Literal) else repr(term)


def _err(shape: Term, what: str) -> UnsupportedShapeError:
    name = shape.n3() if isinstance(shape, URIRef) else f"blank node shape {shape}"
    return UnsupportedShapeError(
        f"fast validator: {name} uses {what}, which it does not support; "
        "validate with --validator pyshacl, or teach evidencegraph.shacl.compiler this construct"
    )


def _n3(term: Term) -> str:
    if isinstance(term, BNode):
        raise UnsupportedShapeError(f"fast validator: a blank node ({term}) as a constraint value")
    return term.n3()


def _is_true(value: Term) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


class _Compiler:
    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.checks: list[Check] = []
        self._counter = 0

    def fresh(self, stem: str) -> str:
        self._counter += 1
        return f"?_{stem}{self._counter}"

    # ------------------------------------------------------------ shapes and targets

    def shape_nodes(self) -> set[Term]:
        sg = self.sg
        nodes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(
            sg.subjects(RDF.type, SH.PropertyShape)
        )
        for p in (*_TARGETS, SH.path, SH.property, SH.sparql):
            nodes |= set(sg.subjects(p, None))
        nodes |= set(sg.objects(None, SH.property)) | set(sg.objects(None, SH.node))
        nodes |= set(sg.objects(None, SH["not"]))
        for p in (SH["or"], SH["and"], SH.xone):
            for lst in sg.objects(None, p):
                nodes |= set(Collection(sg, lst))
        return nodes

    def implicit_class(self, shape: Term) -> bool:
        classes = set(self.sg.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
        return any(t in classes for t in self.sg.objects(shape, RDF.type))

    def has_targets(self, shape: Term) -> bool:
        sg = self.sg
        return self.implicit_class(shape) or any(sg.value(shape, p) is not None for p in _TARGETS)

    def target(self, shape: Term) -> tuple[str, dict[str, str]]:
        """The focus-node subquery of a shape with targets, and the prefixes it needs."""
        sg = self.sg
        branches: list[str] = []
        prefixes: dict[str, str] = {}
        classes = list(sg.objects(shape, SH.targetClass))
        if self.implicit_class(shape):
            classes.append(shape)
        for c in sorted(classes, key=str):
            branches.append(f"?this {_RDF_TYPE}/{_SUBCLASS}* {_n3(c)} .")
        for n in sorted(sg.objects(shape, SH.targetNode), key=str):
            branches.append(f"BIND ({_n3(n)} AS ?this)")
        for p in sorted(sg.objects(shape, SH.targetSubjectsOf), key=str):
            branches.append(f"?this {_n3(p)} {self.fresh('o')} .")
        for p in sorted(sg.objects(shape, SH.targetObjectsOf), key=str):
            branches.append(f"{self.fresh('s')} {_n3(p)} ?this .")
        for t in sorted(sg.objects(shape, SH.target), key=str):
            select = sg.value(t, SH.select)
            if select is None:
                raise _err(
                    shape, f"sh:target {t.n3()} (only SPARQL targets with sh:select are supported)"
                )
            for key in sg.predicates(t, None):
                if str(key).startswith(str(SH)) and key not in (SH.select, SH.prefixes):
                    raise _err(shape, f"sh:target {t.n3()} with {_name(key)}")
            _merge_prefixes(prefixes, self.prefixes(t), shape)
            text = _strip_prologue(str(select), shape, prefixes)
            if not re.search(r"[?$]this\b", text.split("{", 1)[0]) and not re.match(
                r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", text, re.I
            ):
                raise _err(shape, f"sh:target {t.n3()} whose SELECT does not project ?this")
            branches.append(f"{{ {text} }}")
        if not branches:
            raise _err(shape, "no target")
        body = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {body} }} }}", prefixes

    def prefixes(self, node: Term) -> dict[str, str]:
        """PREFIX declarations (sh:prefixes / sh:declare) of a SPARQL-bearing node."""
        sg = self.sg
        out: dict[str, str] = {}
        for onto in sg.objects(node, SH.prefixes):
            for decl in sg.objects(onto, SH.declare):
                prefix, ns = sg.value(decl, SH.prefix), sg.value(decl, SH.namespace)
                if prefix is None or ns is None:
                    raise _err(node, "an sh:declare without sh:prefix and sh:namespace")
                _merge_prefixes(out, {str(prefix): str(ns)}, node)
        return out

    # ------------------------------------------------------------ paths

    def structure(self, node: Term) -> tuple[tuple[Term, Term, Term], ...]:
        """Every triple reachable from a blank node through blank nodes."""
        out, todo, seen = [], [node], set()
        while todo:
            n = todo.pop()
            if not isinstance(n, BNode) or n in seen:
                continue
            seen.add(n)
            for p, o in self.sg.predicate_objects(n):
                out.append((n, p, o))
                todo.append(o)
        return tuple(out)

    def path(self, node: Term, shape: Term) -> str:
        sg = self.sg
        if isinstance(node, URIRef):
            return node.n3()
        if not isinstance(node, BNode):
            raise _err(shape, f"the path {node!r}")
        if sg.value(node, RDF.first) is not None:
            items = list(Collection(sg, node))
            if len(items) < 2:
                raise _err(shape, "a sequence path with fewer than two members")
            return "(" + "/".join(self.path(i, shape) for i in items) + ")"
        ops = [(p, o) for p, o in sg.predicate_objects(node)]
        if len(ops) != 1:
            raise _err(shape, f"a path node with {len(ops)} predicates")
        op, inner = ops[0]
        if op == SH.inversePath:
            return f"(^{self.path(inner, shape)})"
        if op == SH.alternativePath:
            items = list(Collection(sg, inner))
            if len(items) < 2:
                raise _err(shape, "an alternative path with fewer than two members")
            return "(" + "|".join(self.path(i, shape) for i in items) + ")"
        suffix = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}.get(op)
        if suffix:
            return f"({self.path(inner, shape)}){suffix}"
        raise _err(shape, f"the path operator {_name(op)}")

    # ------------------------------------------------------------ the shapes

    def check_constructs(self, shape: Term) -> None:
        for p in sorted(set(self.sg.predicates(shape, None)), key=str):
            if str(p).startswith(str(SH)) and p not in _NON_CONSTRAINT and p not in _SUPPORTED:
                raise _err(shape, _name(p))

    def severity(self, shape: Term) -> URIRef:
        sev = self.sg.value(shape, SH.severity)
        return sev if isinstance(sev, URIRef) else SH.Violation

    def messages(self, node: Term) -> tuple[Literal, ...]:
        return tuple(
            sorted(
                (m for m in self.sg.objects(node, SH.message) if isinstance(m, Literal)), key=str
            )
        )

    def compile(self) -> list[Check]:
        shapes = self.shape_nodes()
        for s in sorted(shapes, key=str):
            self.check_constructs(s)
        for root in sorted((s for s in shapes if self.has_targets(s)), key=str):
            if _is_true(self.sg.value(root, SH.deactivated)):
                continue
            target, prefixes = self.target(root)
            self.compile_shape(root, target, prefixes)
        return self.checks

    def compile_shape(self, shape: Term, target: str, prefixes: dict[str, str]) -> None:
        sg = self.sg
        path_node = sg.value(shape, SH.path)
        path = self.path(path_node, shape) if path_node is not None else None
        base = dict(
            shape=shape,
            severity=self.severity(shape),
            messages=self.messages(shape),
            path=path_node,
            path_triples=self.structure(path_node),
            is_property_shape=path is not None,
        )
        for param in sorted(set(sg.predicates(shape, None)), key=str):
            if param in _FOCUS_LEVEL:
                for n in sg.objects(shape, param):
                    if path is None:
                        raise _err(shape, f"{_name(param)} on a node shape")
                    query = self.count_query(target, path, param, n, shape)
                    self.add(prefixes, query, component=_COMPONENT[param], kind="focus", **base)
            elif param == SH.hasValue:
                for v in sg.objects(shape, param):
                    if path is None:
                        query = (
                            f"SELECT ?this WHERE {{ {target} FILTER (!sameTerm(?this, {_n3(v)})) }}"
                        )
                        self.add(prefixes, query, component=_COMPONENT[param], kind="value", **base)
                    else:
                        query = (
                            f"SELECT ?this WHERE {{ {target} "
                            f"FILTER NOT EXISTS {{ ?this {path} {_n3(v)} }} }}"
                        )
                        self.add(prefixes, query, component=_COMPONENT[param], kind="focus", **base)
            elif param in _VALUE_LEVEL:
                for arg in sg.objects(shape, param):
                    ok, recheck = self.value_condition(shape, param, arg, "?value", top=True)
                    if path is None:
                        query = (
                            f"SELECT ?this ?value WHERE {{ {target} BIND (?this AS ?value) "
                            f"FILTER (!({ok})) }}"
                        )
                    else:
                        query = (
                            f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . "
                            f"FILTER (!({ok})) }}"
                        )
                    self.add(
                        prefixes,
                        query,
                        component=_COMPONENT[param],
                        kind="value",
                        recheck=recheck,
                        **base,
                    )
            elif param == SH.sparql:
                for c in sorted(sg.objects(shape, param), key=str):
                    self.compile_sparql(shape, c, target, prefixes, path, base)
        if sg.value(shape, SH.property) is not None:
            if path is not None:
                raise _err(shape, "sh:property on a property shape")
            for child in sorted(sg.objects(shape, SH.property), key=str):
                if _is_true(sg.value(child, SH.deactivated)):
                    continue
                if sg.value(child, SH.path) is None:
                    raise _err(child, "sh:property pointing at a shape without sh:path")
                self.compile_shape(child, target, prefixes)

    def add(self, prefixes: dict[str, str], query: str, **kw: Any) -> None:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        self.checks.append(Check(query=prologue + query, **kw))

    def count_query(self, target: str, path: str, param: URIRef, n: Term, shape: Term) -> str:
        if not (isinstance(n, Literal) and isinstance(n.toPython(), int)):
            raise _err(shape, f"{_name(param)} {n.n3()} (not an integer)")
        count = int(n.toPython())
        if param == SH.minCount:
            if count <= 0:
                return "SELECT ?this WHERE { FILTER (false) }"
            if count == 1:
                return (
                    f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
                )
            return (
                f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})"
            )
        return (
            f"SELECT ?this WHERE {{ {target} ?this {path} ?value }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {count})"
        )

    # ------------------------------------------------------------ value-level conditions

    def value_condition(
        self, shape: Term, param: URIRef, arg: Term, var: str, *, top: bool
    ) -> tuple[str, Callable[[Term], bool] | None]:
        """A SPARQL expression true when ``var`` satisfies the constraint, never an error.

        At the top level (a constraint that reports), literal-dependent
        components return a stricter expression and a Python ``recheck`` that
        gives pySHACL's verdict on the values the expression lets through.
        """
        sg = self.sg
        if param == SH["class"]:
            return f"EXISTS {{ {var} {_RDF_TYPE}/{_SUBCLASS}* {_n3(arg)} }}", None
        if param == SH.nodeKind:
            kinds = {
                SH.IRI: "isIRI({v})",
                SH.BlankNode: "isBlank({v})",
                SH.Literal: "isLiteral({v})",
                SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
                SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
                SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
            }
            if arg not in kinds:
                raise _err(shape, f"sh:nodeKind {_name(arg)}")
            return kinds[arg].format(v=var), None
        if param == SH["in"]:
            members = list(Collection(sg, arg))
            if not members:
                return "false", None
            return "(" + " || ".join(f"sameTerm({var}, {_n3(m)})" for m in members) + ")", None
        if param == SH.pattern:
            flags = sg.value(shape, SH.flags)
            flag_arg = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            regex = f"REGEX(STR({var}), {Literal(str(arg)).n3()}{flag_arg})"
            return f"COALESCE(!isBlank({var}) && {regex}, false)", None
        if param == SH.datatype:
            return _datatype_condition(shape, arg, var, top)
        if param in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            return _range_condition(shape, param, arg, var, top)
        if param in (SH["or"], SH["and"]):
            members = list(Collection(sg, arg))
            if not members:
                return ("false" if param == SH["or"] else "true"), None
            joiner = " || " if param == SH["or"] else " && "
            return "(" + joiner.join(self.conforms(m, var) for m in members) + ")", None
        if param == SH["not"]:
            return f"!({self.conforms(arg, var)})", None
        if param == SH.node:
            return self.conforms(arg, var), None
        raise _err(shape, _name(param))

    def conforms(self, shape: Term, var: str) -> str:
        """An expression: ``var`` conforms to ``shape`` (value-level constraints only)."""
        sg = self.sg
        if _is_true(sg.value(shape, SH.deactivated)):
            return "true"
        if sg.value(shape, SH.path) is not None:
            raise _err(shape, "a property shape inside sh:or/sh:and/sh:not/sh:node")
        parts = []
        for param in sorted(set(sg.predicates(shape, None)), key=str):
            if param in _VALUE_LEVEL:
                for arg in sg.objects(shape, param):
                    parts.append(self.value_condition(shape, param, arg, var, top=False)[0])
            elif param == SH.hasValue:
                parts.extend(f"sameTerm({var}, {_n3(v)})" for v in sg.objects(shape, param))
            elif param in (SH.property, SH.sparql, *_FOCUS_LEVEL):
                raise _err(shape, f"{_name(param)} inside sh:or/sh:and/sh:not/sh:node")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # ------------------------------------------------------------ SHACL-SPARQL

    def target_is_query(self, shape: Term, where_rest: str) -> bool:
        """Whether the shape's one target is a SPARQL target with this very WHERE clause."""
        sg = self.sg
        if self.implicit_class(shape) or any(
            sg.value(shape, p) is not None
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        ):
            return False
        targets = list(sg.objects(shape, SH.target))
        if len(targets) != 1:
            return False
        select = sg.value(targets[0], SH.select)
        if select is None or self.prefixes(targets[0]) != self.prefixes(
            next(iter(sg.objects(shape, SH.sparql)))
        ):
            return False
        text = _strip_prologue(str(select), shape, {})
        head, brace, rest = text.partition("{")
        if not brace or not re.match(
            r"\s*SELECT\s+(DISTINCT\s+)?\?this\s+(WHERE\s*)?$", head, re.I
        ):
            return False
        return _where_key(rest) == _where_key(where_rest)

    def compile_sparql(
        self,
        shape: Term,
        constraint: Term,
        target: str,
        prefixes: dict[str, str],
        path: str | None,
        base: dict[str, Any],
    ) -> None:
        sg = self.sg
        if _is_true(sg.value(constraint, SH.deactivated)):
            return
        for key in sg.predicates(constraint, None):
            if str(key).startswith(str(SH)) and key not in (
                SH.select,
                SH.message,
                SH.prefixes,
                SH.deactivated,
            ):
                raise _err(shape, f"{_name(key)} in SPARQL constraint {constraint.n3()}")
        select = sg.value(constraint, SH.select)
        if select is None:
            raise _err(
                shape,
                f"SPARQL constraint {constraint.n3()} without sh:select (ASK is not supported)",
            )
        own = dict(prefixes)
        _merge_prefixes(own, self.prefixes(constraint), shape)
        text = _strip_prologue(str(select), shape, own)
        for pattern, what in (
            (r"\bMINUS\b", "MINUS"),
            (r"\bVALUES\b", "VALUES"),
            (r"\bGROUP\s+BY\b|\bHAVING\b", "GROUP BY / HAVING"),
            (r"\bLIMIT\b|\bOFFSET\b", "LIMIT / OFFSET"),
            (r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", "an aggregate"),
            (r"\bSERVICE\b|\bFROM\b|\bGRAPH\b", "SERVICE / FROM / GRAPH"),
            (r"\$(shapesGraph|currentShape)\b", "$shapesGraph / $currentShape"),
            (r"[?$]failure\b", "?failure"),
        ):
            if re.search(pattern, text, re.I):
                raise _err(shape, f"{what} in the SPARQL constraint {constraint.n3()}")
        if len(re.findall(r"\bSELECT\b", text, re.I)) != 1:
            raise _err(shape, f"a sub-select in the SPARQL constraint {constraint.n3()}")
        if re.search(r"\$PATH\b", text):
            if path is None:
                raise _err(shape, f"$PATH in {constraint.n3()} on a node shape")
            text = re.sub(r"\$PATH\b", lambda _m: path, text)
        head, brace, rest = text.partition("{")
        if not brace or head.count("(") != head.count(")"):
            raise _err(shape, f"an unusual SELECT clause in {constraint.n3()}")
        m = re.match(
            r"\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?(.*?)\s*(WHERE\s*)?$", head, re.I | re.S
        )
        if m is None:
            raise _err(shape, f"an unusual SELECT clause in {constraint.n3()}")
        modifier, projection, where = m.group(1) or "", m.group(2), m.group(3) or ""
        if projection.strip() != "*" and not re.search(r"[?$]this\b", projection):
            projection = "?this " + projection
        if self.target_is_query(shape, rest):
            # The shape's only target is this query with ?this free (shapes.ttl's
            # convention): every solution's ?this is a focus node already, so
            # joining the target would only run the same query twice.
            target = ""
        query = f"SELECT {modifier}{projection} {where}{{ {target} {rest}"
        self.add(
            own,
            query,
            component=SH.SPARQLConstraintComponent,
            kind="sparql",
            source_constraint=constraint,
            constraint_messages=self.messages(constraint),
            **base,
        )


def _where_key(text: str) -> str:
    """A query's WHERE clause, whitespace-normalised, with $this written ?this."""
    return " ".join(text.replace("$this", "?this").split())


def _merge_prefixes(into: dict[str, str], new: Mapping[str, str], shape: Term) -> None:
    for p, ns in new.items():
        if into.get(p, ns) != ns:
            raise _err(shape, f"the prefix {p}: bound to two namespaces ({into[p]} and {ns})")
        into[p] = ns


_PROLOGUE = re.compile(r"^\s*(?:PREFIX\s+([\w.-]*):\s*<([^>]*)>\s*)", re.I)


def _strip_prologue(text: str, shape: Term, prefixes: dict[str, str]) -> str:
    """Move a query's own PREFIX lines into ``prefixes``; refuse BASE."""
    while True:
        m = _PROLOGUE.match(text)
        if not m:
            break
        _merge_prefixes(prefixes, {m.group(1): m.group(2)}, shape)
        text = text[m.end() :]
    if re.match(r"\s*BASE\b", text, re.I):
        raise _err(shape, "BASE in a SPARQL query")
    if not re.match(r"\s*SELECT\b", text, re.I):
        raise _err(shape, "a SPARQL query that is not a SELECT")
    return text.strip()


# ---------------------------------------------------------------- literals, as pySHACL reads them

# Lexical forms rdflib certainly reads as pySHACL expects (XSD's own grammar).
_STRICT_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.double: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
    XSD.float: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
}
_NUMERIC = (XSD.integer, XSD.decimal, XSD.double, XSD.float)


def _rdflib_checks_lexical(dt: URIRef) -> bool:
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


def _datatype_condition(
    shape: Term, dt: Term, var: str, top: bool
) -> tuple[str, Callable[[Term], bool] | None]:
    if not isinstance(dt, URIRef):
        raise _err(shape, f"sh:datatype {dt!r}")
    if dt == RDFS.Literal:
        return f"isLiteral({var})", None
    if dt == RDFS.Datatype:
        raise _err(shape, "sh:datatype rdfs:Datatype")
    if dt == RDF.langString:
        return f'COALESCE(isLiteral({var}) && LANG({var}) != "", false)', None
    base = f"isLiteral({var}) && DATATYPE({var}) = {dt.n3()}"
    if dt == XSD.string or not _rdflib_checks_lexical(dt):
        return f"COALESCE({base}, false)", None
    strict = _STRICT_LEXICAL.get(dt)
    if strict is None:
        # rdflib judges the lexical form; send every value to Python.
        return ("false" if top else f"COALESCE({base}, false)"), (
            _datatype_recheck(dt) if top else None
        )
    return (
        f'COALESCE({base} && REGEX(STR({var}), "{strict}"), false)',
        _datatype_recheck(dt) if top else None,
    )


def _datatype_recheck(dt: URIRef) -> Callable[[Term], bool]:
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


def _range_condition(
    shape: Term, param: URIRef, bound: Term, var: str, top: bool
) -> tuple[str, Callable[[Term], bool] | None]:
    if not isinstance(bound, Literal):
        raise _err(shape, f"{_name(param)} {bound!r} (not a literal)")
    op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[
        param
    ]
    native = f"COALESCE({var} {op} {bound.n3()}, false)"
    if bound.datatype not in _NUMERIC or not top:
        if top:
            return "false", _range_recheck(param, bound)
        return native, None
    strict = " || ".join(
        f'(DATATYPE({var}) = {dt.n3()} && REGEX(STR({var}), "{_STRICT_LEXICAL[dt]}"))'
        for dt in _NUMERIC
    )
    return (
        f"COALESCE(isLiteral({var}) && ({strict}) && {var} {op} {bound.n3()}, false)",
        _range_recheck(param, bound),
    )


def _range_recheck(param: URIRef, bound: Literal) -> Callable[[Term], bool]:
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


# ---------------------------------------------------------------- compiling, cached


@functools.lru_cache(maxsize=8)
def _compile_file(digest: str, path: str) -> tuple[Check, ...]:
    return tuple(compile_shapes(load_shapes(Path(path))))


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape, as one whole-graph query each."""
    return _Compiler(shapes).compile()


def checks_for(shapes: Graph | None = None, shapes_file: Path | None = None) -> list[Check]:
    """Compiled checks of a shapes graph, or of a shapes file (cached by content hash)."""
    if shapes is not None:
        return compile_shapes(shapes)
    path = Path(shapes_file or paths.SHAPES_FILE)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return list(_compile_file(digest, str(path.resolve())))


# ---------------------------------------------------------------- running


def _runner(graph: Graph) -> Callable[[str], Iterator[dict[str, Term]]]:
    """Run queries on the graph's own engine; rdflib's store is copied to Oxigraph first.

    On Oxigraph the rows come through oxrdflib, as pySHACL sees them. rdflib's
    store has no engine worth the name for these queries (property paths,
    NOT EXISTS), so its triples are copied into a bare Oxigraph store, and the
    answers mapped back to the graph's own terms.
    """
    if engine.engine_of(graph) == "oxigraph":

        def run(text: str) -> Iterator[dict[str, Term]]:
            result = engine.run(graph, text)
            names = [str(v) for v in result.vars or ()]
            for row in result:
                yield {n: row[n] for n in names if row[n] is not None}

        return run

    store = engine.native_copy(graph)
    # Oxigraph keeps numbers canonically ("20.0"^^xsd:decimal comes back "20"):
    # remember the graph's own spelling so a report shows the data's terms.
    spelling: dict[tuple[str, str], Literal] = {}
    for o in graph.objects(None, None):
        if isinstance(o, Literal) and o.datatype is not None:
            canonical = engine.canonical_lexical(str(o), str(o.datatype))
            if canonical != str(o):
                spelling.setdefault((canonical, str(o.datatype)), o)

    def back(term: Term) -> Term:
        if spelling and isinstance(term, Literal) and term.datatype is not None:
            return spelling.get((str(term), str(term.datatype)), term)
        return term

    def run_copy(text: str) -> Iterator[dict[str, Term]]:
        result = engine.run_native(store, text)
        for row in result.bindings:
            yield {str(k): back(v) for k, v in row.items() if v is not None}

    return run_copy


def _substitute(msg: str, bindings: Mapping[str, Term]) -> str:
    """pySHACL's ``{?var}`` / ``{$var}`` substitution in a SPARQL constraint's message."""
    for var, val in bindings.items():
        msg = re.sub(f"{{[?$]{var}}}", lambda _m, s=str(val): s, msg)
    return msg


@dataclass
class _Result:
    check: Check
    focus: Term
    value: Term | None = None
    path: Term | None = None
    messages: tuple[Literal, ...] = ()


def _evaluate(check: Check, run: Callable[[str], Iterator[dict[str, Term]]]) -> Iterable[_Result]:
    if check.kind == "focus":
        for row in run(check.query):
            yield _Result(check, row["this"], messages=check.messages)
    elif check.kind == "value":
        for row in run(check.query):
            value = row.get("value")
            if check.recheck is not None and not check.recheck(value):
                continue
            yield _Result(check, row["this"], value=value, messages=check.messages)
    else:
        seen: set[tuple] = set()
        for row in run(check.query):
            focus = row.pop("this")
            path = row.pop("path", None)
            value = row.pop("value", None)
            key = (focus, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            if value is None and not check.is_property_shape:
                value = focus
            bound = dict(row)
            bound.update({"this": focus})
            if path is not None:
                bound["path"] = path
            if value is not None:
                bound["value"] = value
            msgs = [m for m in check.constraint_messages if m not in check.messages]
            msgs += list(check.messages)
            yield _Result(
                check,
                focus,
                value=value,
                path=path,
                messages=tuple(Literal(_substitute(str(m), bound)) for m in msgs),
            )


def _copy_path(check: Check, dst: Graph, copied: dict[Check, Term]) -> Term:
    """A check's blank-node path, copied into the report once and shared by its results."""
    if check not in copied:
        fresh: dict[Term, BNode] = {}

        def new(n: Term) -> Term:
            return fresh.setdefault(n, BNode()) if isinstance(n, BNode) else n

        for s, p, o in check.path_triples:
            dst.add((new(s), p, new(o)))
        copied[check] = new(check.path)
    return copied[check]


def validate(
    graph: Graph,
    *,
    shapes: Graph | None = None,
    shapes_file: Path | None = None,
    checks: list[Check] | None = None,
) -> ValidationResult:
    """Validate ``graph`` (ontology + data) with whole-graph queries."""
    if checks is None:
        checks = checks_for(shapes, shapes_file)
    run = _runner(graph)
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    copied: dict[Check, Term] = {}
    labels: dict[Term, str] = {}
    rows: list[Violation] = []
    conforms = True
    for check in checks:
        for res in _evaluate(check, run):
            # The same row shacl.reference makes from a pySHACL report.
            if res.focus not in labels:
                labels[res.focus] = focus_label(graph, res.focus)
            path = res.path if res.path is not None else check.path
            msgs = sorted(str(m) for m in res.messages)
            rows.append(
                Violation(
                    severity=str(check.severity).rsplit("#", 1)[-1],
                    focus=str(res.focus),
                    focus_label=labels[res.focus],
                    message=msgs[0] if msgs else "constraint not met",
                    path=str(path) if isinstance(path, URIRef) else None,
                    component=str(check.component),
                    shape=str(check.shape),
                    value=res.value.n3() if isinstance(res.value, URIRef | Literal) else None,
                )
            )
            r = BNode()
            report.add((node, SH.result, r))
            report.add((r, RDF.type, SH.ValidationResult))
            report.add((r, SH.focusNode, res.focus))
            report.add((r, SH.sourceConstraintComponent, check.component))
            report.add((r, SH.sourceShape, check.shape))
            report.add((r, SH.resultSeverity, check.severity))
            if res.value is not None:
                report.add((r, SH.value, res.value))
            if res.path is not None:
                report.add((r, SH.resultPath, res.path))
            elif isinstance(check.path, BNode):
                report.add((r, SH.resultPath, _copy_path(check, report, copied)))
            elif check.path is not None:
                report.add((r, SH.resultPath, check.path))
            if check.source_constraint is not None:
                report.add((r, SH.sourceConstraint, check.source_constraint))
            for m in res.messages:
                report.add((r, SH.resultMessage, m))
            if check.severity not in _OK_SEVERITIES:
                conforms = False
    report.add((node, SH.conforms, Literal(conforms)))
    return ValidationResult(conforms, sorted_results(rows), report)
