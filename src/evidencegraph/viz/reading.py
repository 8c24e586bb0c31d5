"""Reading the model from the graph: nodes, the relations the page states, the
evidence links and post-datings the build derived, the rests-on closure, the
prompts and the ontology's names, all through ``sparql/viz-*.rq``, so the views
work on an endpoint too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from evidencegraph.namespaces import shorten
from evidencegraph.resources import internal_query
from evidencegraph.viz.model import Link, Model, Prompt, VEdge, VNode
from evidencegraph.viz.style import LOOK_OF, RELATION_OF, SYMMETRIC

NO_ATTRIBUTION = "Source: see the dataset description (it gives no attribution line)."


def _rows(source: Any, name: str) -> list[tuple[str | None, ...]]:
    return [
        tuple(None if v is None else str(v) for v in row)
        for row in source.run(internal_query(name))
    ]


def load_model(source: Any = None) -> Model:
    """Read everything the views draw from ``source`` (default: the embedded graph)."""
    if source is None:
        from evidencegraph.querying import open_source

        source = open_source()
    names: dict[str, str] = {}
    inverse: dict[str, str] = {}
    for term, label, inv in _rows(source, "viz-term-labels"):
        if term and label:
            names.setdefault(term, label)
        if term and inv:
            inverse.setdefault(term, inv)
    nodes: dict[str, VNode] = {}
    for node, label, cls in _rows(source, "viz-nodes"):
        if node is None or node in nodes or cls is None:
            continue
        look = LOOK_OF.get(cls, "other")
        nodes[node] = VNode(node, label or shorten(node), look, names.get(cls, shorten(cls)))
    _details(source, nodes)
    for iri, count in _rows(source, "viz-rests-on-count"):
        if iri in nodes and count:
            nodes[iri].rests_on_it = int(count)
    sections: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for s, p, o, section in _rows(source, "viz-edges"):
        rel = RELATION_OF.get(p or "")
        if rel is None or s not in nodes or o not in nodes or s == o:
            continue
        if rel in SYMMETRIC and s > o:  # stated once, drawn once
            s, o = o, s
        secs = sections[(s, rel, o)]
        label = names.get(section or "", section)
        if label and label not in secs:
            secs.append(label)
    edges = [
        VEdge(s, o, rel, "; ".join(sorted(secs))) for (s, rel, o), secs in sorted(sections.items())
    ]
    grouped: dict[tuple[str, ...], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for g, e, rel, basis, target, via, section in _rows(source, "viz-evidence"):
        if None in (g, e, rel, basis, target):
            continue
        vias, secs = grouped[(g, e, rel, basis, target)]  # type: ignore[index]
        if via:
            vias.add(via)
        if section:
            secs.add(section)
    links = sorted(
        Link(*key, via=tuple(sorted(v)), sections=tuple(sorted(s)))
        for key, (v, s) in grouped.items()
    )
    post: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g, e, basis in _rows(source, "viz-post-dating"):
        if g and e and basis and basis not in post[(g, e)]:
            post[(g, e)].append(basis)
    for bases in post.values():
        bases.sort()
    closure = [(a, b) for a, b in _rows(source, "viz-closure") if a and b and a != b]
    prompts: dict[str, Prompt] = {}
    for iri, label, text, section, about, sec_iri, order, sec_order in _rows(source, "viz-prompts"):
        assert iri is not None
        p = prompts.setdefault(iri, Prompt(iri, label or shorten(iri), text or "", section or ""))
        if about and about not in p.about:
            p.about.append(about)
        p.section_iri = p.section_iri or sec_iri or ""
        p.order = p.order if p.order is not None else _int(order)
        p.section_order = p.section_order if p.section_order is not None else _int(sec_order)
    for iri, node in _rows(source, "viz-prompt-lights"):
        p = prompts.get(iri or "")
        if p is not None and node and node not in p.lights:
            p.lights.append(node)
    for p in prompts.values():
        p.lights.sort()
    heading, attribution = "Evidence graph", ""
    ds = _rows(source, "viz-dataset")
    if ds:
        heading = next((r[1] for r in ds if r[1]), heading)
        attribution = " ".join(sorted({r[2] for r in ds if r[2]}))
    return Model(
        nodes,
        edges,
        sorted(prompts.values(), key=Prompt.page_position),
        heading,
        attribution or NO_ATTRIBUTION,
        links,
        dict(post),
        closure,
        names,
        inverse,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:  # a malformed literal on an endpoint: no order rather than a crash
        return None


def _details(source: Any, nodes: dict[str, VNode]) -> None:
    for iri, key, value in _rows(source, "viz-details"):
        n = nodes.get(iri or "")
        if n is None or value is None:
            continue
        if key == "year":
            m = re.match(r"-?\d{1,4}", value)
            n.year = int(m.group(0)) if m else None
        elif key == "role":
            n.role = value[:1].upper()
        elif key == "roleLabel":
            n.role_label = value
        elif key == "country":
            n.countries.append(value)
        elif key == "setting":
            n.setting.append(value)
        elif key == "keyFinding":
            n.key_finding = n.key_finding or value
        elif key == "description":
            n.description = n.description or value
        elif key == "text":
            n.text = n.text or value
        elif key == "quote":
            n.quote = n.quote or value
        elif key == "section":
            if value not in n.sections:
                n.sections.append(value)
        elif key == "lacksEvidence":
            n.lacks_evidence = True
