"""Where graph.html puts every node: the overview laid out by Graphviz with a stage
for each set too spread out to read in place (:mod:`.layout`), or, for a graph
too big for ``dot``, plain rows by class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from evidencegraph.viz.layout import (
    FOCUS_SCREEN,
    MAX_STAGE_NODES,
    MAX_STAGE_WORK,
    NARROW_SCREEN,
    NODESEP,
    OVERVIEW_SCREEN,
    PROMPT_SCREEN,
    RANKSEP,
    STAGE_WRAPS,
    Boxes,
    Job,
    Layout,
    estimate_box,
    lay_out_sets,
    measure,
    row_candidates,
)
from evidencegraph.viz.model import Model, VNode, by_year
from evidencegraph.viz.style import WRAP

# dot's layout is super-linear: 0.6 s for the 332 nodes (739 edges) of a
# 10^4-triple graph, 200 s for the 3,219 nodes (7,197 edges) of 10^5 (measured
# with benchmarks/ data). Above this many nodes the page gets a grid.
DOT_LAYOUT_MAX_NODES = 1000

# Row groups of the grid: organisations, guidance, recommendations, claims and
# commentaries, reviews, then studies and trials.
GRID_ROWS = {"organisation": 0, "guidance": 1, "recommendation": 2, "claim": 3, "commentary": 3}
GRID_ROWS["review"] = 4


def grid_layout(
    model: Model, boxes: dict[str, tuple[float, float]] | None = None
) -> dict[str, tuple[float, float]]:
    """Rows by class (guidance above reviews above studies), oldest first, wrapped.

    Linear in the number of nodes; for graphs too big for ``dot``, where a
    workshop should use ``--focus`` anyway.
    """
    boxes = boxes or {i: estimate_box(n) for i, n in model.nodes.items()}
    per_row = 60
    dx = max((w for w, _h in boxes.values()), default=100) + NODESEP
    dy = max((h for _w, h in boxes.values()), default=50) + RANKSEP
    by_level: dict[int, list[VNode]] = defaultdict(list)
    for n in model.nodes.values():
        by_level[GRID_ROWS.get(n.cls, 5)].append(n)
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    for level in sorted(by_level):
        group = sorted(by_level[level], key=by_year)
        for i, n in enumerate(group):
            pos[n.iri] = ((i % per_row) * dx, (row + i // per_row) * dy)
        row += (len(group) + per_row - 1) // per_row + 1
    return pos


def _bbox(pos: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]], ids) -> tuple:
    xs0 = [pos[i][0] - boxes[i][0] / 2 for i in ids]
    xs1 = [pos[i][0] + boxes[i][0] / 2 for i in ids]
    ys0 = [pos[i][1] - boxes[i][1] / 2 for i in ids]
    ys1 = [pos[i][1] + boxes[i][1] / 2 for i in ids]
    return min(xs0), min(ys0), max(xs1), max(ys1)


@dataclass
class PageLayout:
    """Everything graph.html needs to place nodes: the overview and the stages
    (each with the positions, boxes and line length of its own labels)."""

    boxes: Boxes
    pos: dict[str, tuple[float, float]]
    stages: list[Layout] = field(default_factory=list)
    stage_of_focus: dict[str, int] = field(default_factory=dict)
    stage_of_prompt: dict[str, int] = field(default_factory=dict)


def page_layout(model: Model) -> PageLayout | None:
    """The overview and a stage for every focus and prompt set that needs one.

    None without ``dot`` (the page then uses vis-network's own layered layout).
    """
    if not model.nodes:
        return PageLayout({}, {})
    if len(model.nodes) > DOT_LAYOUT_MAX_NODES:
        boxes = {i: estimate_box(n) for i, n in model.nodes.items()}
        return PageLayout(boxes, grid_layout(model, boxes))
    measured = measure(model, (None, *STAGE_WRAPS))
    if any(set(b) != set(model.nodes) for b in measured.values()):
        return None
    boxes = measured[None]
    overview = lay_out_sets(
        model, [Job(set(model.nodes), OVERVIEW_SCREEN, packed=False)], measured
    )[0]
    if overview is None:
        return None
    pos = overview.pos
    wanted: dict[frozenset[str], list[tuple[str, str]]] = {}
    for iri in sorted(model.nodes):
        wanted.setdefault(frozenset(model.focus_set(iri)), []).append(("focus", iri))
    for p in model.prompts:
        wanted.setdefault(frozenset(model.prompt_set(p)), []).append(("prompt", p.iri))
    jobs, owners, work = [], [], 0
    for ids, who in sorted(wanted.items(), key=lambda kv: (len(kv[0]), sorted(kv[0]))):
        if len(ids) < 2 or len(ids) > MAX_STAGE_NODES:
            continue
        prompt = any(kind == "prompt" for kind, _ in who)
        x0, y0, x1, y1 = _bbox(pos, boxes, ids)
        if not prompt and Layout({}, x1 - x0, y1 - y0).readable_on(NARROW_SCREEN):
            continue  # readable in place (prompts always get a stage: presented, it reads larger)
        screen = PROMPT_SCREEN if prompt else FOCUS_SCREEN
        job = Job(set(ids), screen, STAGE_WRAPS if len(ids) > 12 else (WRAP,))
        work += len(ids) * 2 * len(job.wraps) * len(row_candidates(len(ids)))
        if work > MAX_STAGE_WORK:
            break
        jobs.append(job)
        owners.append(who)
    out = PageLayout(boxes, pos)
    for layout, who in zip(lay_out_sets(model, jobs, measured), owners, strict=True):
        if layout is None:
            continue
        out.stages.append(layout)
        for kind, iri in who:
            (out.stage_of_focus if kind == "focus" else out.stage_of_prompt)[iri] = (
                len(out.stages) - 1
            )
    return out


def graphviz_layout(model: Model) -> dict[str, tuple[float, float]] | None:
    """Overview positions only; see :func:`page_layout`."""
    layout = page_layout(model)
    return None if layout is None else layout.pos
