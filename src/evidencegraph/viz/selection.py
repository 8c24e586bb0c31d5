"""The subset every output draws: ``--classes``, then ``--relations``, then ``--focus``
(a node and its focus set)."""

from __future__ import annotations

from collections.abc import Sequence

from evidencegraph.errors import ParameterError
from evidencegraph.namespaces import expand
from evidencegraph.querying.params import choose_by_label
from evidencegraph.viz.model import Model
from evidencegraph.viz.style import CLASSES, RELATION_OF, RELATIONS


def _split(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def resolve_node(model: Model, target: str) -> str:
    """A node of the model from an IRI, a prefixed name or a label fragment."""
    t = target.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    iri = t if t in model.nodes else (expand(t) or "")
    if iri in model.nodes:
        return iri
    frag = t.casefold()
    hits = {k: n.label for k, n in model.nodes.items() if frag and frag in n.label.casefold()}
    return choose_by_label(f"--focus {target!r} (among the nodes drawn)", t, hits)


def select(
    model: Model,
    *,
    focus: str | None = None,
    depth: int | None = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
) -> Model:
    """The subset every output draws: classes, then relations, then the focus."""
    cls = _split(classes)
    rels = _split(relations)
    bad_c = [c for c in cls if c not in CLASSES]
    if bad_c:
        raise ParameterError(
            f"unknown class(es) {', '.join(bad_c)}; choose from {', '.join(CLASSES)}"
        )
    bad_r = [r for r in rels if r not in RELATIONS]
    if bad_r:
        raise ParameterError(
            f"unknown relation(s) {', '.join(bad_r)}; choose from {', '.join(RELATIONS)}"
        )
    if depth is not None and focus is None:
        raise ParameterError("--max-depth needs --focus")
    if depth is not None and depth < 0:
        raise ParameterError("--max-depth must be 0 or more")
    out = model
    if cls:
        out = out.restricted({k for k, n in out.nodes.items() if n.cls in cls})
    if rels:
        out = Model(
            out.nodes,
            [e for e in out.edges if e.rel in rels],
            out.prompts,
            out.heading,
            out.attribution,
            [x for x in out.links if RELATION_OF.get(x.relation) in rels],
            out.post_dating,
            out.closure,
            out.names,
            out.inverse,
        )
    if focus is not None:
        iri = resolve_node(out, focus)
        out = out.restricted(out.focus_set(iri, depth))
        out.focus = iri
    return out
