"""The compile driver: every targeted shape of a shapes graph, as a list of :class:`.Check`.

It finds the shapes (SHACL §2.1), refuses any ``sh:`` parameter no section
module supports (so a new shape can never be skipped silently: ``sh:closed``,
``sh:xone``, the §4.5 property pair components, ``sh:qualifiedValueShape``,
string lengths ...), and for each shape with targets (:mod:`.targets`) and
each of its parameters, in a stable order, hands the parameter to the module
of its section. Value-level components share one query skeleton, written
here: the value nodes (the focus node itself, or those reached by the
:mod:`.paths` path) for which the section's condition is false. Then the
shape's ``sh:property`` shapes are compiled with the same focus nodes.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from evidencegraph import paths as files
from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler import (
    cardinality,
    logical,
    other,
    shape_based,
    sparql,
    string_based,
    value_range,
    value_type,
)
from evidencegraph.shacl.compiler.context import (
    Check,
    Component,
    Constraint,
    Context,
    Scope,
    Term,
    err,
    is_true,
    name,
)
from evidencegraph.shacl.compiler.paths import path_triples, sparql_path
from evidencegraph.shacl.compiler.targets import TARGETS, focus_nodes, has_targets
from evidencegraph.shacl.shapes import load_shapes

__all__ = ["COMPONENTS", "checks_for", "compile_shapes"]

# Every supported constraint component, by its parameter.
COMPONENTS: dict[URIRef, Component] = {
    c.parameter: c
    for section in (
        value_type,
        cardinality,
        value_range,
        string_based,
        logical,
        shape_based,
        other,
        sparql,
    )
    for c in section.COMPONENTS
}

# Predicates of a shape that are not constraint parameters: its targets, path and
# property shapes (compiled here), §2.1.4-2.1.6 (sh:deactivated skips a shape; messages
# and severity go into its results), §2.3.2 non-validating characteristics, and
# parameters read along with another (sh:flags with sh:pattern, sh:prefixes with sh:sparql).
_NON_CONSTRAINT = {
    *TARGETS,
    SH.path,
    SH.property,
    SH.deactivated,
    SH.message,
    SH.severity,
    *(SH.name, SH.description, SH.order, SH.group, SH.defaultValue),
    *(SH.flags, SH.prefixes),
}


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape, as one whole-graph query each."""
    ctx = Context(shapes, COMPONENTS)
    nodes = _shape_nodes(shapes)
    for s in sorted(nodes, key=str):
        _check_constructs(ctx, s)
    for root in sorted((s for s in nodes if has_targets(ctx, s)), key=str):
        if is_true(shapes.value(root, SH.deactivated)):
            continue
        target, prefixes = focus_nodes(ctx, root)
        _compile_shape(ctx, root, target, prefixes)
    return ctx.checks


@functools.lru_cache(maxsize=8)
def _compile_file(digest: str, path: str) -> tuple[Check, ...]:
    return tuple(compile_shapes(load_shapes(Path(path))))


def checks_for(shapes: Graph | None = None, shapes_file: Path | None = None) -> list[Check]:
    """Compiled checks of a shapes graph, or of a shapes file (cached by content hash)."""
    if shapes is not None:
        return compile_shapes(shapes)
    path = Path(shapes_file or files.SHAPES_FILE)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return list(_compile_file(digest, str(path.resolve())))


def _shape_nodes(sg: Graph) -> set[Term]:
    """Every node the shapes graph uses as a shape."""
    nodes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape))
    for p in (*TARGETS, SH.path, SH.property, SH.sparql):
        nodes |= set(sg.subjects(p, None))
    nodes |= set(sg.objects(None, SH.property)) | set(sg.objects(None, SH.node))
    nodes |= set(sg.objects(None, SH["not"]))
    for p in (SH["or"], SH["and"], SH.xone):
        for lst in sg.objects(None, p):
            nodes |= set(Collection(sg, lst))
    return nodes


def _check_constructs(ctx: Context, shape: Term) -> None:
    for p in sorted(set(ctx.sg.predicates(shape, None)), key=str):
        if str(p).startswith(str(SH)) and p not in _NON_CONSTRAINT and p not in ctx.components:
            raise err(shape, name(p))


def _compile_shape(ctx: Context, shape: Term, target: str, prefixes: dict[str, str]) -> None:
    sg = ctx.sg
    path_node = sg.value(shape, SH.path)
    path = sparql_path(ctx, path_node, shape) if path_node is not None else None
    fields = dict(
        shape=shape,
        severity=ctx.severity(shape),
        messages=ctx.messages(shape),
        path=path_node,
        path_triples=path_triples(ctx, path_node),
        is_property_shape=path is not None,
    )
    scope = Scope(shape, target, prefixes, path, fields)
    for param in sorted(set(sg.predicates(shape, None)), key=str):
        component = ctx.components.get(param)
        if component is None:
            continue
        if component.compile is not None:
            component.compile(ctx, scope, component)
        else:
            _compile_value_checks(ctx, scope, component)
    for child in shape_based.property_shapes(ctx, shape, path):
        _compile_shape(ctx, child, target, prefixes)


def _compile_value_checks(ctx: Context, scope: Scope, component: Component) -> None:
    """One check per value of a value-level parameter: the value nodes that fail it."""
    param, target, path = component.parameter, scope.target, scope.path
    for arg in ctx.sg.objects(scope.shape, param):
        ok, recheck = ctx.condition(Constraint(scope.shape, param, arg, "?value", top=True))
        if path is None:
            query = (
                f"SELECT ?this ?value WHERE {{ {target} BIND (?this AS ?value) FILTER (!({ok})) }}"
            )
        else:
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . "
                f"FILTER (!({ok})) }}"
            )
        ctx.add(scope, query, component=component.iri, kind="value", recheck=recheck)
