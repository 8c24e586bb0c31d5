"""SHACL §2.1.3 targets: a shape's focus nodes, as one ``SELECT DISTINCT ?this`` subquery.

Every check of a shape joins this subquery first, so ?this is bound to a
focus node. Class targets (``sh:targetClass``, and §2.1.3.3 implicit class
targets of a shape that is also an ``rdfs:Class``) follow
``rdf:type/rdfs:subClassOf*`` in the data graph, as pySHACL does with
``inference="none"``; node, subjects-of and objects-of targets are one triple
pattern each; SPARQL-based targets (``sh:target [ sh:select ... ]``, SHACL
Advanced Features, which pySHACL runs in its advanced mode) join their
SELECT as it is. Other custom targets are refused.
"""

from __future__ import annotations

import re

from rdflib.namespace import RDF, RDFS

from evidencegraph.namespaces import SH
from evidencegraph.shacl.compiler.context import Context, Term, err, instance_of, n3, name
from evidencegraph.shacl.compiler.prologue import merge_prefixes, prefixes, strip_prologue

__all__ = ["TARGETS", "focus_nodes", "has_targets", "implicit_class", "sole_sparql_target"]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def implicit_class(ctx: Context, shape: Term) -> bool:
    """Whether the shape is also a class (§2.1.3.3), hence targets its instances."""
    classes = set(ctx.sg.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    return any(t in classes for t in ctx.sg.objects(shape, RDF.type))


def has_targets(ctx: Context, shape: Term) -> bool:
    return implicit_class(ctx, shape) or any(ctx.sg.value(shape, p) is not None for p in TARGETS)


def sole_sparql_target(ctx: Context, shape: Term) -> Term | None:
    """The shape's ``sh:target`` node when that SPARQL target is its only target."""
    sg = ctx.sg
    if implicit_class(ctx, shape) or any(
        sg.value(shape, p) is not None for p in TARGETS if p != SH.target
    ):
        return None
    targets = list(sg.objects(shape, SH.target))
    return targets[0] if len(targets) == 1 else None


def focus_nodes(ctx: Context, shape: Term) -> tuple[str, dict[str, str]]:
    """The focus-node subquery of a shape with targets, and the prefixes it needs."""
    sg = ctx.sg
    branches: list[str] = []
    needed: dict[str, str] = {}
    classes = list(sg.objects(shape, SH.targetClass))
    if implicit_class(ctx, shape):
        classes.append(shape)
    for c in sorted(classes, key=str):
        branches.append(f"{instance_of('?this', c)} .")
    for n in sorted(sg.objects(shape, SH.targetNode), key=str):
        branches.append(f"BIND ({n3(n)} AS ?this)")
    for p in sorted(sg.objects(shape, SH.targetSubjectsOf), key=str):
        branches.append(f"?this {n3(p)} {ctx.fresh('o')} .")
    for p in sorted(sg.objects(shape, SH.targetObjectsOf), key=str):
        branches.append(f"{ctx.fresh('s')} {n3(p)} ?this .")
    for t in sorted(sg.objects(shape, SH.target), key=str):
        branches.append(f"{{ {_sparql_target(ctx, shape, t, needed)} }}")
    if not branches:
        raise err(shape, "no target")
    body = " UNION ".join(f"{{ {b} }}" for b in branches)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {body} }} }}", needed


def _sparql_target(ctx: Context, shape: Term, t: Term, needed: dict[str, str]) -> str:
    """A SPARQL target's SELECT, its PREFIXes moved into ``needed``."""
    sg = ctx.sg
    select = sg.value(t, SH.select)
    if select is None:
        raise err(shape, f"sh:target {t.n3()} (only SPARQL targets with sh:select are supported)")
    for key in sg.predicates(t, None):
        if str(key).startswith(str(SH)) and key not in (SH.select, SH.prefixes):
            raise err(shape, f"sh:target {t.n3()} with {name(key)}")
    merge_prefixes(needed, prefixes(ctx, t), shape)
    text = strip_prologue(str(select), shape, needed)
    if not re.search(r"[?$]this\b", text.split("{", 1)[0]) and not re.match(
        r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", text, re.I
    ):
        raise err(shape, f"sh:target {t.n3()} whose SELECT does not project ?this")
    return text
