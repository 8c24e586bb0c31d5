"""graph.html: one self-contained page, vis-network inlined, data as JSON.

vis-network is read from the installed ``pyvis`` wheel and inlined; the data
travel as JSON in a ``<script type="application/json">`` block and every string
reaches the page through ``textContent``. A Content-Security-Policy forbids
every network load and allows only the inline scripts, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from evidencegraph.errors import OutputError
from evidencegraph.viz.layout import MARGIN, label_text
from evidencegraph.viz.model import Model, by_year
from evidencegraph.viz.overview import PageLayout, page_layout
from evidencegraph.viz.style import (
    CLASSES,
    FONT_PX,
    FONT_STACK,
    GROUPS,
    READABLE_PX,
    RELATIONS,
    ROLES,
)


def template(name: str) -> str:
    return resources.files("evidencegraph").joinpath("templates", name).read_text("utf-8")


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet from the installed pyvis wheel."""
    lib = _pyvis_lib()
    try:
        js = lib.joinpath("vis-network.min.js").read_text("utf-8")
    except (OSError, AttributeError) as err:
        raise OutputError(
            "graph.html needs vis-network from the pyvis package: pip install 'evidencegraph[viz]'"
        ) from err
    try:
        css = lib.joinpath("vis-network.css").read_text("utf-8")
    except OSError:
        css = ""
    if re.search(r"</script|<!--", js, re.I) or re.search(r"</style", css, re.I):
        raise OutputError(
            "the vis-network file cannot be inlined safely (it contains an HTML end tag)"
        )
    return js, css


def _pyvis_lib() -> Any:
    """The folder of pyvis's vis-network build, found without importing pyvis.

    ``importlib.resources.files("pyvis")`` would import pyvis (and Jinja2,
    IPython hooks...), which costs more than a second; the package's location
    from its import spec is the same folder ``importlib.resources`` reads.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("pyvis")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise OutputError(
            "graph.html needs vis-network from the pyvis package: pip install 'evidencegraph[viz]'"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"


def json_for_html(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csp(scripts: Sequence[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        + (f"script-src {hashes}; " if hashes else "")
        + "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _xy(p: tuple[float, float]) -> list[float]:
    return [round(p[0], 1), round(p[1], 1)]


def graph_data(model: Model, layout: PageLayout | None = None) -> dict:
    """Everything ``graph.html`` shows, as plain JSON-able data.

    Positions, boxes and labels come from :func:`page_layout` (Graphviz); the
    sets a focus or a prompt lights come from the model (the build's evidence
    links and the graph's provenance). The page only shows them.
    """
    nodes = []
    for n in sorted(model.nodes.values(), key=lambda n: (CLASSES[n.cls].level, *by_year(n))):
        d: dict[str, Any] = {
            "id": n.iri,
            "label": label_text(n),
            "fullLabel": n.label,
            "cls": n.cls,
            "className": model.class_name(n.cls),
            "level": CLASSES[n.cls].level,
            "year": n.year,
            "role": n.role,
            "roleLabel": n.role_label or ROLES.get(n.role, ""),
            "design": n.design,
            "countries": n.countries,
            "setting": n.setting,
            "keyFinding": n.key_finding,
            "description": n.description,
            "text": n.text,
            "quote": n.quote,
            "sections": n.sections,
            "lacksEvidence": n.lacks_evidence,
            "curie": n.curie,
            "restsOnIt": n.rests_on_it,
        }
        if layout is not None and n.iri in layout.pos:
            d["x"], d["y"] = _xy(layout.pos[n.iri])
            d["w"], d["h"] = layout.boxes[n.iri]
        nodes.append(d)
    edges = [
        {"id": f"e{i}", "from": e.source, "to": e.target, "rel": e.rel, "section": e.section}
        for i, e in enumerate(model.edges)
    ]
    stages = []
    if layout is not None:
        for st in layout.stages:
            labels = {i: label_text(model.nodes[i], st.wrap) for i in sorted(st.pos)}
            stages.append(
                {
                    "pos": {i: _xy(p) for i, p in sorted(st.pos.items())},
                    "boxes": {i: list(st.boxes[i]) for i in sorted(st.pos)},
                    "labels": {
                        i: text for i, text in labels.items() if text != label_text(model.nodes[i])
                    },
                    "packed": not st.edges_placed,
                }
            )
    prompts = []
    for k, p in enumerate(model.prompts, 1):
        prompts.append(
            {
                "id": p.iri,
                "n": k,
                "label": p.label,
                "text": p.text,
                "section": p.section,
                "about": [a for a in p.about if a in model.nodes],
                "lights": sorted(model.prompt_set(p)),
                "stage": None if layout is None else layout.stage_of_prompt.get(p.iri),
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "classes": {
            k: {
                "name": model.class_name(k),
                "colour": v.colour,
                "font": v.font,
                "border": v.border,
                "level": v.level,
            }
            for k, v in CLASSES.items()
        },
        "relations": {
            k: {
                "label": model.relation_label(k),
                "group": v.group,
                "arrow": v.arrow,
                "evidence": v.evidence,
            }
            for k, v in RELATIONS.items()
        },
        "groups": {
            k: {
                "name": g.name,
                "colour": g.colour,
                "dashes": g.dashes,
                "width": g.width,
                "members": [model.relation_label(r) for r, s in RELATIONS.items() if s.group == k],
            }
            for k, g in GROUPS.items()
        },
        "evidence": [
            {
                "guidance": x.guidance,
                "evidence": x.evidence,
                "relation": x.relation,
                "relationLabel": model.name(x.relation),
                "basis": x.basis,
                "basisLabel": model.name(x.basis),
                "target": x.target,
                "via": list(x.via),
                "sections": [model.name(s) for s in x.sections],
                "afterTheGuidance": [model.name(b) for b in model.later(x.evidence, x.guidance)],
            }
            for x in model.links
            if x.guidance in model.nodes and x.evidence in model.nodes
        ],
        "classOrder": list(CLASSES),  # the legend's order (JSON objects come sorted)
        "groupOrder": list(GROUPS),
        "roles": ROLES,
        "focusSets": {n: sorted(model.focus_set(n)) for n in sorted(model.nodes)},
        "stages": stages,
        "stageOfFocus": {} if layout is None else dict(sorted(layout.stage_of_focus.items())),
        "prompts": prompts,
        "heading": model.heading,
        "attribution": model.attribution,
        "focus": model.focus,
        "layout": "fixed" if layout is not None else "hierarchical",
        "text": {
            "px": FONT_PX,
            "readable": READABLE_PX,
            "face": FONT_STACK,
            "margin": MARGIN,
        },
    }


def render_graph_html(model: Model) -> str:
    js, css = _vis_assets()
    app = template("graph.js")
    data = graph_data(model, page_layout(model))
    return Template(template("graph.html")).substitute(
        csp=html.escape(csp([js, app]), quote=True),
        heading=html.escape(model.heading),
        attribution=html.escape(model.attribution),
        vis_css=css,
        vis_js=js,
        app_js=app,
        data=json_for_html(data),
    )
