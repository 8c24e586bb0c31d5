"""Where graph.html puts each node, computed by Graphviz ``dot``.

Every node is a box with its whole label inside. ``dot`` measures each label
(so a box fits its text), then lays out the graph in bands: organisations,
guidance, recommendations, claims, then the evidence in time order, each band
wrapped into rows so the drawing keeps the shape of a projector's screen. The
overview holds every node; a *stage* holds only one focus set or one discussion
prompt's set, laid out on its own, for when those nodes are too far apart in the
overview to be read together. A view is readable when it needs no zoom below
``READABLE_PX / FONT_PX``; stages are chosen to be, at 1280×720.

We choose the bands and how many boxes go in a row; ``dot`` does the layout
(order within rows to cut crossings, coordinates, spacing). Nothing here
places a node itself, except :func:`~evidencegraph.viz.overview.grid_layout`,
the plain rows used when a graph is too big for ``dot`` at all.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evidencegraph.escaping import dot_quoted
from evidencegraph.viz.model import Model, VNode, by_year
from evidencegraph.viz.style import CLASSES, FONT_FACE, FONT_PX, READABLE_PX, SYMMETRIC, WRAP

PAD_X, PAD_Y = 8, 3  # room around the text inside a box (dot's margin), canvas px
NODESEP, RANKSEP = 6, 6  # gaps between boxes in a row and between rows, canvas px
MARGIN = 12  # CSS px the page keeps clear around a fitted view
# The screens a stage must be readable on, 1280x720 less what the page shows
# around the graph: a focus gets the whole screen but a one-line caption and the
# attribution line; a prompt, presented, has its three-line caption.
FOCUS_SCREEN = (1280, 660)
PROMPT_SCREEN = (1280, 590)
# The overview is shaped like the screen beside the side panel.
OVERVIEW_SCREEN = (940, 620)
# Sets that need no stage of their own: readable where they are in the overview,
# on the smallest screen the page expects (1280 wide with the side panel open).
NARROW_SCREEN = (900, 560)
MAX_STAGE_NODES = 200  # bigger focus sets are fitted, not re-laid out
MAX_STAGE_WORK = 25_000  # boxes laid out for stages in all (big graphs keep a budget)
GUIDANCE_WRAP = 16  # in the overview, so every guidance sits readable side by side on top
STAGE_WRAPS = (22, 24, 26, 28)  # line lengths a stage may choose


def wrap(text: str, width: int = WRAP) -> str:
    """A label in lines of about ``width`` characters, never cut short."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=True) or [text])


def label_text(n: VNode, width: int | None = None) -> str:
    """What a node's box says: its whole label and its year, in lines of ``width``
    characters (default: as the overview wraps it)."""
    if width is None:
        width = GUIDANCE_WRAP if n.cls == "guidance" else WRAP
    return wrap(n.label + (f" ({n.year})" if n.year else ""), width)


def gv_id(iri: str) -> str:
    return "n" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]


def layout_rank(rel: str, source: str, target: str) -> tuple[str, str, bool]:
    """Layout direction: the upper node first. Guidance above what it rests on,
    recommendations above what bears on them, organisations above guidance."""
    if rel in ("tempers", "supports", "bears-on", "issued-by", "produced-for", "not-available-to"):
        return target, source, True
    return source, target, rel not in SYMMETRIC


def band(n: VNode) -> int:
    """Row group: guidance, recommendations, claims, evidence, then the organisations
    that issued the guidance (context, so they do not push the guidance down)."""
    level = CLASSES[n.cls].level
    return 5 if level == 0 else min(level, 4)


def estimate_box(n: VNode, width: int | None = None) -> tuple[float, float]:
    """A box's size without ``dot`` (big graphs): DejaVu Sans is about 0.6 em wide."""
    lines = label_text(n, width).split("\n")
    return (
        round(max(len(line) for line in lines) * FONT_PX * 0.62 + 2 * PAD_X, 1),
        _height(len(lines)),
    )


def _height(lines: int) -> float:
    """A box's height: vis-network draws label lines one font size apart."""
    return round(lines * FONT_PX + 2 * PAD_Y + 4, 1)


def _run_dot(sources: Sequence[str]) -> list[dict] | None:
    """Lay out several graphs with one ``dot`` process; None without a working dot."""
    import graphviz

    if not sources:
        return []
    try:
        out = graphviz.pipe("dot", "json0", "\n".join(sources).encode("utf-8"), quiet=True)
    except Exception:  # dot missing or failing: the page falls back to vis-network layers
        return None
    text, docs, i = out.decode("utf-8"), [], 0
    decoder = json.JSONDecoder(strict=False)
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)
    return docs if len(docs) == len(sources) else None


Boxes = dict[str, tuple[float, float]]


def measure(model: Model, widths: Sequence[int | None]) -> dict[int | None, Boxes]:
    """Each node's box (width, height in canvas px) for each line length in
    ``widths`` (None: the overview's): ``dot`` measures the text's width."""
    nodes = sorted(model.nodes)
    sources = []
    for width in widths:
        lines = [
            "digraph measure {",
            f"node [shape=box, fontname={dot_quoted(FONT_FACE)}, fontsize={FONT_PX}, "
            f'margin="{PAD_X / 72:.4f},0", width=0.01, height=0.01];',
        ]
        for i in nodes:
            lines.append(f"{gv_id(i)} [label={dot_quoted(label_text(model.nodes[i], width))}];")
        lines.append("}")
        sources.append("\n".join(lines))
    docs = _run_dot(sources)
    if not docs:
        return {w: {i: estimate_box(model.nodes[i], w) for i in nodes} for w in widths}
    ids_of = {gv_id(i): i for i in nodes}
    out: dict[int | None, Boxes] = {}
    for width, doc in zip(widths, docs, strict=True):
        boxes = {}
        for obj in doc.get("objects", []):
            iri = ids_of.get(obj.get("name", ""))
            if iri is not None:
                lines = label_text(model.nodes[iri], width).count("\n") + 1
                boxes[iri] = (round(float(obj["width"]) * 72, 1), _height(lines))
        out[width] = boxes
    return out


@dataclass
class Layout:
    """Node positions (centres, canvas px, y down) and the box each one takes."""

    pos: dict[str, tuple[float, float]]
    width: float
    height: float
    rows: int = 0
    edges_placed: bool = True
    wrap: int | None = None  # line length of its labels (None: the overview's)
    boxes: Boxes = field(default_factory=dict)

    def scale_for(self, screen: tuple[float, float], margin: float = MARGIN) -> float:
        """The zoom at which this layout fills ``screen`` (CSS px)."""
        return min(
            (screen[0] - 2 * margin) / max(self.width, 1),
            (screen[1] - 2 * margin) / max(self.height, 1),
        )

    def readable_on(self, screen: tuple[float, float]) -> bool:
        return self.scale_for(screen) * FONT_PX >= READABLE_PX


def _order_key(model: Model, ids: set[str]):
    """Order within a band: guidance and evidence by year (time order), the rest by
    what they hang from, so a row reads as the page's argument does."""
    rec_rank: dict[str, int] = {}
    guidance = sorted((i for i in ids if model.nodes[i].cls == "guidance"), key=_year_of(model))
    for gi, g in enumerate(guidance):
        for r in sorted(model.recommendations(g)):
            rec_rank.setdefault(r, gi)
    anchor: dict[str, tuple] = {}
    for e in model.edges:
        for a, b in ((e.source, e.target), (e.target, e.source)):
            if a in ids and b in ids and model.nodes[b].cls == "recommendation":
                key = (rec_rank.get(b, 99), model.nodes[b].label)
                anchor[a] = min(anchor.get(a, key), key)

    def key(i: str) -> tuple:
        n = model.nodes[i]
        if band(n) in (1, 4):
            return (*by_year(n), i)
        if n.cls == "recommendation":
            return (rec_rank.get(i, 99), n.label.casefold(), i)
        return (*anchor.get(i, (99, "")), n.label.casefold(), i)

    return key


def _year_of(model: Model):
    return lambda i: by_year(model.nodes[i])


def _rows(model: Model, ids: set[str], kmax: int) -> list[list[str]]:
    key = _order_key(model, ids)
    by_band: dict[int, list[str]] = defaultdict(list)
    for i in ids:
        by_band[band(model.nodes[i])].append(i)
    rows: list[list[str]] = []
    for b in sorted(by_band):
        members = sorted(by_band[b], key=key)
        n_rows = math.ceil(len(members) / kmax)
        per = math.ceil(len(members) / n_rows)  # balanced rows
        rows += [members[j : j + per] for j in range(0, len(members), per)]
    return rows


def _rows_source(
    model: Model,
    ids: set[str],
    boxes: dict[str, tuple[float, float]],
    kmax: int,
    use_edges: bool,
    name: str,
) -> tuple[str, int]:
    """DOT for ``ids`` in rows of at most ``kmax`` boxes: ranks fixed by band, order
    in a row left to dot (crossings) except guidance and evidence, kept in time order;
    without ``use_edges`` every row keeps its sorted order and edges are left out,
    which packs tighter."""
    rows = _rows(model, ids, kmax)
    out = [
        f"digraph {name} {{",
        f"rankdir=TB; newrank=true; nodesep={NODESEP / 72:.4f}; ranksep={RANKSEP / 72:.4f};",
        'node [shape=box, fixedsize=true, label=""];',
    ]
    for i in sorted(ids):
        w, h = boxes[i]
        out.append(f"{gv_id(i)} [width={w / 72:.4f}, height={h / 72:.4f}];")
    for row in rows:
        out.append("{rank=same; " + " ".join(gv_id(i) for i in row) + "}")
        for a, b in itertools.pairwise(row):
            if not use_edges or band(model.nodes[a]) in (1, 4):
                out.append(f"{gv_id(a)} -> {gv_id(b)} [style=invis, weight=4];")
    for upper, lower in itertools.pairwise(rows):
        out.append(f"{gv_id(upper[0])} -> {gv_id(lower[0])} [style=invis, weight=0];")
    if use_edges:
        for e in model.edges:
            if e.source in ids and e.target in ids and e.source != e.target:
                a, b, _ = layout_rank(e.rel, e.source, e.target)
                out.append(f"{gv_id(a)} -> {gv_id(b)} [constraint=false];")
    out.append("}")
    return "\n".join(out), len(rows)


def _read(doc: dict, ids: Iterable[str], rows: int, use_edges: bool, wrap: int | None) -> Layout:
    names = {gv_id(i): i for i in ids}
    pos: dict[str, tuple[float, float]] = {}
    for obj in doc.get("objects", []):
        iri = names.get(obj.get("name", ""))
        if iri is not None and "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            pos[iri] = (round(x, 1), round(-y, 1))
    x0, y0, x1, y1 = (float(v) for v in doc["bb"].split(","))
    return Layout(pos, x1 - x0, y1 - y0, rows, use_edges, wrap)


def row_candidates(n: int) -> list[int]:
    """Row lengths worth trying for ``n`` boxes: around a square-ish grid, wider
    than tall as a screen is (fewer tries for big sets, whose runs cost more)."""
    if n <= 3:
        return [n]
    mid = math.ceil(math.sqrt(n))
    if n > 100:
        return sorted({mid, mid + 2, mid + 4})
    return list(range(max(2, mid - 2), min(n, mid + 4) + 1))


def _choose(layouts: list[Layout], screen: tuple[float, float]) -> Layout:
    """The layout to show: the most readable one that places boxes by their edges,
    unless only packing the rows tightly makes it readable."""
    with_edges = [x for x in layouts if x.edges_placed]
    packed = [x for x in layouts if not x.edges_placed]
    best = max(with_edges or layouts, key=lambda x: x.scale_for(screen))
    if packed and best.scale_for(screen) * FONT_PX < READABLE_PX + 2:
        tight = max(packed, key=lambda x: x.scale_for(screen))
        if tight.scale_for(screen) > best.scale_for(screen):
            return tight
    return best


@dataclass
class Job:
    """One set to lay out: on what screen it must be readable, with which line
    lengths, and whether rows may be packed without regard to edges."""

    ids: set[str]
    screen: tuple[float, float]
    wraps: Sequence[int | None] = (None,)
    packed: bool = True


def lay_out_sets(
    model: Model, jobs: Sequence[Job], boxes: dict[int | None, Boxes]
) -> list[Layout | None]:
    """One layout per job, chosen from several row lengths and line lengths; all
    of them run by one dot process."""
    sources: list[str] = []
    meta: list[tuple[int, int, bool, int | None]] = []
    for ji, job in enumerate(jobs):
        for width in job.wraps:
            for use_edges in (True, False) if job.packed else (True,):
                for k in row_candidates(len(job.ids)):
                    src, n_rows = _rows_source(model, job.ids, boxes[width], k, use_edges, f"s{ji}")
                    sources.append(src)
                    meta.append((ji, n_rows, use_edges, width))
    docs = _run_dot(sources)
    if docs is None:
        return [None] * len(jobs)
    found: dict[int, list[Layout]] = defaultdict(list)
    for (ji, n_rows, use_edges, width), doc in zip(meta, docs, strict=True):
        found[ji].append(_read(doc, jobs[ji].ids, n_rows, use_edges, width))
    out: list[Layout | None] = []
    for ji, job in enumerate(jobs):
        chosen = _choose(found[ji], job.screen)
        chosen.boxes = {i: boxes[chosen.wrap][i] for i in job.ids}
        out.append(chosen)
    return out
