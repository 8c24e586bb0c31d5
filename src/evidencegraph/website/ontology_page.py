"""``ontology.html``: every class, property and individual the ontology declares, with
its label, comment, alignments and place in the hierarchy, how often the graph
uses it, and the shapes (``ontology/shapes.ttl``) that constrain it.

Generated from ``ontology/`` (as loaded into the graph) with ``site-ontology.rq``,
``site-usage.rq`` and ``site-shapes.rq``; nothing is written by hand here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from evidencegraph.namespaces import shorten
from evidencegraph.resources import internal_query
from evidencegraph.website.html import Ctx, anchor, esc

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
KINDS = (
    (OWL + "Class", "Classes"),
    (OWL + "ObjectProperty", "Object properties"),
    (OWL + "DatatypeProperty", "Datatype properties"),
    (OWL + "AnnotationProperty", "Annotation properties"),
    (OWL + "NamedIndividual", "Individuals"),
)
_NOT_SHOWN_AS_ALIGNMENT = {RDFS + "label", RDFS + "comment", RDFS + "isDefinedBy"}
# Names for the RDFS and OWL keys, which the ontology does not label itself.
_KEY_NAMES = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    OWL + "inverseOf": "inverse of",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
}


@dataclass
class Term:
    iri: str
    kinds: set[str] = field(default_factory=set)
    facts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    as_class: int = 0
    as_property: int = 0
    shapes: set[tuple[str, str]] = field(default_factory=set)


def read(src: Any, shapes_src: Any | None) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for term, kind, key, value in src.run(internal_query("site-ontology")):
        t = terms.setdefault(str(term), Term(str(term)))
        t.kinds.add(str(kind))
        if key is not None and value is not None:
            t.facts[str(key)].add(str(value))
    for term, how, n in src.run(internal_query("site-usage")):
        t = terms.get(str(term))
        if t is not None:
            if str(how) == "class":
                t.as_class = int(n)
            else:
                t.as_property = int(n)
    if shapes_src is not None:
        for shape, term, message in shapes_src.run(internal_query("site-shapes")):
            t = terms.get(str(term))
            if t is not None:
                name = str(shape).rsplit("#", 1)[-1] if "#" in str(shape) else shorten(str(shape))
                t.shapes.add((name, str(message or "")))
    return terms


def _entry(ctx: Ctx, t: Term) -> str:
    label = next(iter(sorted(t.facts.get(RDFS + "label", ()))), shorten(t.iri))
    comment = " ".join(sorted(t.facts.get(RDFS + "comment", ())))
    rows = []
    for key in sorted(t.facts):
        if key in _NOT_SHOWN_AS_ALIGNMENT or key.endswith("#type"):
            continue
        values = "; ".join(
            f'<a href="#{anchor(v)}">{esc(shorten(v))}</a>'
            if v in ctx.terms
            else f"<code>{esc(shorten(v))}</code>"
            for v in sorted(t.facts[key])
        )
        name = _KEY_NAMES.get(key) or ctx.data.label(key)
        rows.append(f"<dt>{esc(name)}</dt><dd>{values}</dd>")
    defined = t.facts.get(RDFS + "isDefinedBy")
    if defined:
        rows.append(f"<dt>defined by</dt><dd>{esc('; '.join(sorted(defined)))}</dd>")
    usage = []
    if OWL + "Class" in t.kinds:
        usage.append(f"{t.as_class} nodes have this class")
    if t.kinds & {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}:
        usage.append(f"used in {t.as_property} triples")
    if OWL + "NamedIndividual" in t.kinds:
        refs = len(ctx.data.into.get(t.iri, ()))
        usage.append(f"{refs} references from nodes")
    rows.append(f"<dt>usage</dt><dd>{esc('; '.join(usage))}</dd>")
    if t.shapes:
        shapes = "".join(
            f"<li><code>{esc(s)}</code>: {esc(m)}</li>" if m else f"<li><code>{esc(s)}</code></li>"
            for s, m in sorted(t.shapes)
        )
        rows.append(f"<dt>constrained by</dt><dd><ul>{shapes}</ul></dd>")
    return (
        f'<section class="term" id="{anchor(t.iri)}"><h3>{esc(label)} '
        f"<code>{esc(shorten(t.iri))}</code></h3>"
        f"<p><code>{esc(t.iri)}</code></p>"
        + (f"<p>{esc(comment)}</p>" if comment else "")
        + f'<dl class="summary">{"".join(rows)}</dl></section>'
    )


def render(ctx: Ctx, terms: dict[str, Term]) -> str:
    parts = [
        "<p>Generated from <code>ontology/evidencegraph.ttl</code> and "
        "<code>ontology/shapes.ttl</code>: every term with its label, comment, "
        "alignments, how often this graph uses it, and the shapes that constrain it.</p>"
    ]
    toc = []
    seen: set[str] = set()  # a term declared with two kinds is shown once, under the first
    for kind, title in KINDS:
        chosen = sorted(
            (t for t in terms.values() if kind in t.kinds and t.iri not in seen),
            key=lambda t: shorten(t.iri),
        )
        seen.update(t.iri for t in chosen)
        if not chosen:
            continue
        ident = "kind-" + title.split()[0].lower()
        toc.append(f'<li><a href="#{ident}">{esc(title)}</a> ({len(chosen)})</li>')
        parts.append(f'<h2 id="{ident}">{esc(title)}</h2>')
        parts += [_entry(ctx, t) for t in chosen]
    return f'<nav aria-label="Kinds of term"><ul>{"".join(toc)}</ul></nav>' + "".join(parts)
