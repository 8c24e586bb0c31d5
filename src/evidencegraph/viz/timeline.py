"""One slide figure laid out as a timeline on a 1920×1080 page, by Graphviz.

Each figure is a timeline read left to right: one column per year, the documents
of that year in it with the key finding under each study, then the documents the
page gives no year, then the page's own arguments (claims). A guidance figure
holds what the guidance rests on, what tempers it and what came after it; a
prompt figure holds what the prompt lights in graph.html (its page section's
provenance). A title says which, and the attribution line runs along the foot.

Text is set in points on a 1440×810 pt page that the SVG and the PNG show at
1920×1080 px, so a 14 pt line is 18.7 px. Graphviz only scales a layout up to
fill the page, never down: a layout too big at that size is set again with
shorter columns or other line lengths, and a chain too long for one slide is
cut into consecutive parts ("part 2 of 3"), rather than shrinking its text below
the projector's limit.
"""

from __future__ import annotations

import itertools
import json
import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from evidencegraph.errors import OutputError
from evidencegraph.viz.layout import gv_id
from evidencegraph.viz.model import Model, VNode, by_year
from evidencegraph.viz.slides import Figure
from evidencegraph.viz.style import (
    CLASSES,
    FIGURE_SHAPES,
    GROUPS,
    RELATIONS,
    dot_text,
    tint,
)

WIDTH_PX, HEIGHT_PX = 1920, 1080

PAGE_PT = (1440.0, 810.0)  # 20 x 11.25 inches: 1920 x 1080 px at 96 px per inch

PX_PER_PT = WIDTH_PX / PAGE_PT[0]

TEXT_PT = 14  # 18.7 px: the smallest text on a figure

TITLE_PT = 22

HEADER_PT = 16

FONT = "DejaVu Sans"

FONT_BOLD = "DejaVu Sans Bold"

WRAPS = (30, 26, 36, 22)  # characters per line, tried in this order until it fits


def _column(model: Model, n: VNode, fig: Figure) -> tuple[int, str]:
    """Which column a node stands in: its year; a recommendation stands with the
    guidance that makes it; undated documents, then the page's claims, come last."""
    if n.year:
        return (n.year, str(n.year))
    if n.cls == "recommendation":
        for g in sorted(model.recommended_by(n.iri)):
            year = model.nodes[g].year if g in model.nodes else None
            if year:
                return (year, str(year))
    if n.cls == "claim":
        return (10**6 + 1, "the page argues")
    return (10**6, "year not given")


def _node_label(model: Model, n: VNode, fig: Figure, width: int) -> str:
    meta = " · ".join(x for x in (n.design or model.class_name(n.cls), n.role) if x)
    lines = textwrap.wrap(n.label + (f" ({n.year})" if n.year else ""), width)
    lines.append(f"[{meta}]")
    if fig.guidance and n.iri != fig.guidance:
        later = model.later(n.iri, fig.guidance)
        if later:
            lines += textwrap.wrap(
                "after the guidance: " + "; ".join(map(model.name, later)), width
            )
    if n.key_finding and n.cls in STUDIES:  # never cut short: it could drop its hedge
        lines.append("")
        lines += textwrap.wrap(f"Found: {n.key_finding}", width)
    return "\n".join(lines)


STUDIES = ("trial", "study", "review", "other")  # what a key finding is shown under

FOOT_WRAP, TITLE_WRAP = 150, 95  # characters: lines that fit the page's width

LINE_PT = 15.0  # Graphviz's line height at TEXT_PT in DejaVu Sans

COLUMN_PT = (600.0, 540.0, 480.0)  # how tall a column of boxes may grow, tried in turn


def _box_height(label: str) -> float:
    return (label.count("\n") + 1) * LINE_PT + 9 + 13  # margins, and the gap to the next


@dataclass
class Column:
    """A column of the timeline: the years (or kind) it covers and its boxes, in order."""

    keys: list[tuple[int, str]]
    nodes: list[VNode]
    height: float = 0.0

    def header(self) -> str:
        first, last = self.keys[0][1], self.keys[-1][1]
        return first if first == last else f"{first} – {last}"


def _columns(model: Model, fig: Figure, width: int, budget: float) -> list[Column]:
    """The timeline's columns, left to right: consecutive years share a column while
    their boxes fit its height, a year with more boxes than fit spans several; then
    the undated documents and the page's claims, each likewise."""
    groups: dict[tuple[int, str], list[VNode]] = defaultdict(list)
    for i in fig.nodes:
        n = model.nodes[i]
        groups[_column(model, n, fig)].append(n)
    out: list[Column] = []
    for key, members in sorted(groups.items()):
        members.sort(key=lambda n: (*by_year(n), CLASSES[n.cls].level))
        dated = key[0] < 10**6
        for n in members:
            h = _box_height(_node_label(model, n, fig, width))
            cur = out[-1] if out else None
            same_kind = cur is not None and (cur.keys[-1][0] < 10**6) == dated
            same_key = cur is not None and cur.keys[-1] == key
            if (
                cur is not None
                and (same_key or (dated and same_kind))
                and (cur.height + h <= budget)
            ):
                if not same_key:
                    cur.keys.append(key)
                cur.nodes.append(n)
                cur.height += h
            else:
                out.append(Column([key], [n], h))
    return out


def figure_source(
    model: Model, fig: Figure, width: int = WRAPS[0], budget: float = COLUMN_PT[0]
) -> Any:
    """The Graphviz digraph of one figure: columns by time, left to right."""
    import graphviz

    dot = graphviz.Digraph(name="figure", engine="dot")
    foot = "Lines: " + " · ".join(
        f"{g.name} ({_LINE_WORDS[k]})" for k, g in GROUPS.items() if k in _groups_of(fig)
    )
    dot.attr(
        rankdir="LR",
        newrank="true",
        pad="0",
        nodesep="0.18",
        ranksep="0.5",
        fontname=FONT,
        fontsize=str(TEXT_PT),
        labelloc="b",
        labeljust="l",
        label=dot_text(
            "\n".join(
                [
                    *(textwrap.wrap(foot, FOOT_WRAP) if fig.edges else []),
                    *textwrap.wrap(model.attribution, FOOT_WRAP),
                ]
            )
        ),
        bgcolor="white",
    )
    dot.attr("node", fontname=FONT, fontsize=str(TEXT_PT), margin="0.12,0.06")
    dot.attr("edge", penwidth="3.5", arrowsize="1.3")
    with dot.subgraph(name="cluster_content") as c:
        c.attr(
            label=dot_text("\n".join(textwrap.wrap(fig.title, TITLE_WRAP))),
            labelloc="t",
            labeljust="l",
            fontname=FONT_BOLD,
            fontsize=str(TITLE_PT),
            penwidth="0",
            margin="8",
        )
        headers = []
        for k, column in enumerate(_columns(model, fig, width, budget)):
            head = f"column{k}"
            headers.append(head)
            with c.subgraph() as col:
                col.attr(rank="same")
                col.node(
                    head,
                    label=dot_text(column.header()),
                    shape="plaintext",
                    fontname=FONT_BOLD,
                    fontsize=str(HEADER_PT),
                    fontcolor="#222222",
                )
                previous = head
                for n in column.nodes:
                    style = CLASSES[n.cls]
                    shape, look = FIGURE_SHAPES[n.cls]
                    heavy = n.iri == fig.guidance
                    col.node(
                        gv_id(n.iri),
                        label=dot_text(_node_label(model, n, fig, width)),
                        shape=shape,
                        style=",".join(x for x in ("filled", look) if x),
                        fillcolor=tint(style.colour),
                        color="#000000" if n.cls == "organisation" else _dark(style.colour),
                        fontcolor="#000000",
                        penwidth="5" if heavy else "3",
                    )
                    # a flat edge puts its tail below its head: header on top, then
                    # each box under the one before it
                    col.edge(gv_id(n.iri), previous, style="invis")
                    previous = gv_id(n.iri)
        for a, b in itertools.pairwise(headers):
            c.edge(a, b, style="invis", weight="10")
    for source, target, rel, _words in fig.edges:
        group = GROUPS[RELATIONS[rel].group]
        arrow = {"bar": "tee", "circle": "dot", "": "none"}.get(RELATIONS[rel].arrow, "normal")
        dot.edge(
            gv_id(source),
            gv_id(target),
            color=group.colour,
            style=_LINE_STYLE[RELATIONS[rel].group],
            arrowhead=arrow,
            constraint="false",
        )
    return dot


# Graphviz draws solid, dashed or dotted lines; with the colour and the arrowhead
# that keeps the six groups apart, and the foot of the figure names them.
_LINE_STYLE = {
    "rests": "solid",
    "supports": "dashed",
    "tempers": "dotted",
    "later": "dashed",
    "related": "dotted",
    "recommends": "solid",
}

_LINE_WORDS = {
    "rests": "black line",
    "supports": "green dashes",
    "tempers": "purple dots, bar end",
    "later": "brown dashes",
    "related": "grey dots",
    "recommends": "blue line, dot end",
}


def _groups_of(fig: Figure) -> set[str]:
    return {RELATIONS[rel].group for _s, _t, rel, _w in fig.edges}


def _dark(colour: str) -> str:
    """A class's colour for a box's border: dark enough to hold on a washed-out screen."""
    return {"#F0E442": "#8A7D00", "#56B4E9": "#1F78B4", "#BBBBBB": "#666666"}.get(colour, colour)


def _natural_size(src: Any) -> tuple[float, float]:
    """The layout's size in points, as Graphviz draws it at its own scale."""
    import graphviz

    answer = graphviz.pipe("dot", "json0", src.source.encode("utf-8"), quiet=True)
    out = json.loads(answer, strict=False)
    x0, y0, x1, y1 = (float(v) for v in out["bb"].split(","))
    return x1 - x0, y1 - y0


def _fit(
    model: Model, fig: Figure, budgets: tuple[float, ...] = COLUMN_PT, wraps=WRAPS
) -> Any | None:
    """The figure on a 1440x810 pt page: the first column height and line length whose
    layout fits at full text size, padded to 16:9 and scaled up evenly to fill the
    page (Graphviz's ``pad`` and ``size`` with ``!``); None when none fits."""
    for budget in budgets:
        for width in wraps:
            src = figure_source(model, fig, width, budget)
            w, h = _natural_size(src)
            if w * h > 2 * PAGE_PT[0] * PAGE_PT[1]:
                return None  # far too big: other line lengths will not save it
            if w <= PAGE_PT[0] and h <= PAGE_PT[1]:
                # pad the drawing to 16:9 in its own units; Graphviz then scales the
                # padded drawing up to exactly the page
                scale = min(PAGE_PT[0] / w, PAGE_PT[1] / h)
                pad_x = (PAGE_PT[0] / scale - w) / 2 / 72
                pad_y = (PAGE_PT[1] / scale - h) / 2 / 72
                src.attr(
                    size=f"{PAGE_PT[0] / 72:.4f},{PAGE_PT[1] / 72:.4f}!",
                    pad=f"{pad_x:.4f},{pad_y:.4f}",
                )
                return src
    return None


def fitted_sources(model: Model, fig: Figure) -> list[tuple[str, Any]]:
    """One slide, or, when the chain is too long for one at full text size, the
    fewest slides that each fit: the timeline cut into consecutive parts, the
    guidance on every one ("part 2 of 3")."""
    src = _fit(model, fig)
    if src is not None:
        return [(fig.name, src)]
    anchor = [fig.guidance] if fig.guidance else []
    rest = sorted(
        (i for i in fig.nodes if i != fig.guidance),
        key=lambda i: (_column(model, model.nodes[i], fig), *by_year(model.nodes[i]), i),
    )
    w, h = _natural_size(figure_source(model, fig))
    parts = max(2, math.ceil(w * h / (PAGE_PT[0] * PAGE_PT[1]) * 1.2))
    while parts <= max(2, len(rest)):
        size = -(-len(rest) // parts)
        chunks = [rest[k : k + size] for k in range(0, len(rest), size)]
        out = []
        for k, chunk in enumerate(chunks, 1):
            keep = set(anchor) | set(chunk)
            sub = Figure(
                f"{fig.name}-part-{k}",
                f"{fig.title} (part {k} of {len(chunks)})",
                sorted(keep),
                [e for e in fig.edges if e[0] in keep and e[1] in keep],
                fig.guidance,
            )
            found = _fit(model, sub, COLUMN_PT[:1], WRAPS[:2])
            if found is None:
                break
            out.append((sub.name, found))
        else:
            return out
        parts = max(parts + 1, parts * 3 // 2)
    raise OutputError(
        f"figure {fig.name}: a single box does not fit a {PAGE_PT[0]:.0f}x{PAGE_PT[1]:.0f} pt "
        f"slide at {TEXT_PT} pt text"
    )
