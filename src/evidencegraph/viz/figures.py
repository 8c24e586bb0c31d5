"""Slide figures: one Graphviz drawing per guidance of what it rests on and what
bears on it, with each study's key finding, sized for a 16:9 slide.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections import defaultdict
from typing import Any

from evidencegraph.errors import OutputError
from evidencegraph.viz.layout import gv_id, layout_rank, wrap
from evidencegraph.viz.model import Model, by_year
from evidencegraph.viz.style import CLASSES, FIGURE_SHAPES, RELATIONS


def dot_text(text: str) -> Any:
    """A Graphviz label: backslashes doubled (no \\G, \\N), never an HTML-like label."""
    import graphviz

    from evidencegraph.output import xml_safe  # the SVG must stay well-formed XML

    return graphviz.nohtml(xml_safe(text).replace("\\", "\\\\").replace("\n", "\\n"))


def figure_source(model: Model, guidance: str) -> Any:
    """A Graphviz digraph of one guidance's evidence chain, filling a 16:9 slide.

    The nodes are the guidance's focus set (its evidence set and recommendations); the
    caption at the bottom names the guidance and repeats the attribution line.
    """
    import graphviz

    g_node = model.nodes[guidance]
    sub = model.restricted(model.focus_set(guidance))
    dot = graphviz.Digraph(name="evidence_chain", engine="dot")
    dot.attr(
        rankdir="TB",
        size="13.333,7.5",
        ratio="fill",
        dpi="150",
        nodesep="0.25",
        ranksep="0.5",
        fontname="DejaVu Sans",
        fontsize="18",
        labelloc="b",
        labeljust="c",
        pad="0.2",
        label=dot_text(
            "\n".join(
                [
                    *textwrap.wrap(f"What “{g_node.title()}” rests on, and what tempers it", 90),
                    *textwrap.wrap(model.attribution, 110),
                ]
            )
        ),
    )
    dot.attr("node", fontname="DejaVu Sans", fontsize="17", penwidth="1.5", margin="0.15,0.07")
    dot.attr("edge", fontname="DejaVu Sans", fontsize="12", penwidth="2")
    degree: dict[str, int] = defaultdict(int)
    for e in sub.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    for n in sorted(sub.nodes.values(), key=lambda n: (CLASSES[n.cls].level, *by_year(n))):
        style = CLASSES[n.cls]
        colour, font = style.colour, style.font
        later = model.later(n.iri, guidance) if n.iri != guidance else []
        meta = " · ".join(b for b in (n.role, str(n.year or ""), n.design) if b)
        bits = [wrap(n.label, 28), meta]
        if n.key_finding:
            # never cut short: a truncated result can drop its hedge
            bits.append("\n".join(textwrap.wrap(f"Found: {n.key_finding}", 34)))
        if later:
            bits.append("after the guidance: " + "; ".join(model.name(b) for b in later))
        shape, look = FIGURE_SHAPES[n.cls]
        look = ",".join(x for x in ("filled", look, "bold" if n.iri == guidance else "") if x)
        dot.node(
            gv_id(n.iri),
            label=dot_text("\n".join(bits)),
            shape=shape,
            fillcolor=colour,
            fontcolor=font,
            style=look,
            color="#000000",
            penwidth="3.5" if n.iri == guidance else "1.5",
            peripheries="2" if later else "1",
        )
    if len(sub.nodes) == 1:
        dot.node(
            "nothing",
            label="No evidence this guidance rests on, and nothing that\\n"
            "tempers it, is recorded in this selection of the graph.",
            shape="plaintext",
            fontsize="16",
        )
        dot.edge(gv_id(guidance), "nothing", style="invis")
    stagger = 0
    for e in sub.edges:
        rs = RELATIONS[e.rel]
        label, colour, dashes, arrow, width = (
            model.relation_label(e.rel),
            rs.colour,
            rs.dashes,
            rs.arrow,
            rs.width,
        )
        upper, lower, constraint = layout_rank(e.rel, e.source, e.target)
        attrs = {
            "label": dot_text(label),
            "color": colour,
            "fontcolor": "#222222",
            "penwidth": f"{max(width / 1.5, 1.2):.1f}",
            "style": "dashed" if dashes else "solid",
            "arrowhead": {"bar": "tee", "circle": "dot", "": "none"}.get(arrow, "normal"),
            "arrowtail": {"bar": "tee", "circle": "dot", "": "none"}.get(arrow, "normal"),
            "constraint": "true" if constraint else "false",
            "dir": "forward" if upper == e.source else "back",
        }
        if not arrow:
            attrs["dir"] = "none"
        if constraint and degree[lower] == 1:  # stagger leaves over two rows
            attrs["minlen"] = str(1 + stagger % 2)
            stagger += 1
        dot.edge(gv_id(upper), gv_id(lower), **attrs)
    return dot


def slug(iri: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", iri.rstrip("/").rsplit("/", 1)[-1]).strip("-").lower()
    return s[:80] or hashlib.sha1(iri.encode()).hexdigest()[:12]


def render_figures(model: Model) -> dict[str, bytes]:
    """``figures/<slug>.svg`` and ``.png`` for every guidance in the model.

    One ``dot`` run per file, several at a time (PNG rendering dominates).
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    import graphviz

    jobs = []
    used: set[str] = set()
    for g in model.guidance():
        src = figure_source(model, g.iri)
        name = slug(g.iri)
        if name in used:  # two IRIs with the same last segment
            name = f"{name}-{hashlib.sha1(g.iri.encode()).hexdigest()[:8]}"
        used.add(name)
        for fmt in ("svg", "png"):
            jobs.append((f"figures/{name}.{fmt}", src, fmt, g.curie))

    def run(job: tuple[str, Any, str, str]) -> tuple[str, bytes]:
        name, src, fmt, curie = job
        try:
            return name, src.pipe(format=fmt)
        except graphviz.ExecutableNotFound as err:
            raise OutputError(
                "slide figures need Graphviz's `dot` (Debian: apt install graphviz)"
            ) from err
        except graphviz.CalledProcessError as err:
            raise OutputError(f"Graphviz failed on {curie}: {err}") from err

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        return dict(pool.map(run, jobs))
