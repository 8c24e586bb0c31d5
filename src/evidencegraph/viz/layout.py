"""Where graph.html puts each node: Graphviz ``dot`` for a readable layered layout,
a grid above a size where ``dot`` is too slow.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import textwrap
from collections import defaultdict

from evidencegraph.viz.model import Model, VNode, _bfs, by_year
from evidencegraph.viz.style import CLASSES, SYMMETRIC


def wrap(text: str, width: int = 22, lines: int = 3) -> str:
    """A node label cut to a few lines (the full label is in the tooltip and panel)."""
    parts = textwrap.wrap(text, width) or [text]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def size(n: VNode) -> float:
    return round(18 + 7 * (n.rests_on_it**0.5), 1)


def gv_id(iri: str) -> str:
    return "n" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]


def graph_label_lines(n: VNode) -> list[str]:
    return (wrap(n.label) + (f"\n({n.year})" if n.year else "")).split("\n")


def layout_rank(rel: str, source: str, target: str) -> tuple[str, str, bool]:
    """Layout direction: the upper node first. Guidance above what it rests on,
    recommendations above what bears on them, organisations above guidance."""
    if rel in ("tempers", "supports", "bears-on", "issued-by", "produced-for", "not-available-to"):
        return target, source, True
    return source, target, rel not in SYMMETRIC


def _components(model: Model) -> list[set[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for e in model.edges:
        adj[e.source].add(e.target)
        adj[e.target].add(e.source)
    seen: set[str] = set()
    out = []
    for start in sorted(model.nodes):
        if start in seen:
            continue
        comp = _bfs(adj, start, len(model.nodes) + 1)
        seen |= comp
        out.append(comp)
    return out


def footprint(n: VNode, font: int = 22) -> tuple[float, float]:
    """Width and height (px) of a node as vis-network draws it, label included."""
    lines = graph_label_lines(n)
    w = max(len(line) for line in lines) * font * 0.56 + 16
    if CLASSES[n.cls].shape in ("box", "ellipse"):
        return w + 20, len(lines) * font * 1.2 + 24
    return max(w, 2 * size(n)), 2 * size(n) + len(lines) * font * 1.2 + 12


def _dot_positions(
    model: Model, keep: set[str], *, top_rank: bool, packed: bool
) -> dict[str, tuple[float, float]] | None:
    """Run ``dot`` on part of the model; positions in vis-network's y-down pixels."""
    import graphviz

    g = graphviz.Digraph(engine="dot")
    g.attr(rankdir="TB", nodesep="0.22", ranksep="0.45")
    if packed:
        g.attr(pack="36", packmode="array_u")
    g.attr("node", shape="box", fixedsize="true", label="")
    nodes = sorted(
        (model.nodes[i] for i in keep), key=lambda n: (CLASSES[n.cls].level, *by_year(n))
    )
    for n in nodes:
        w, h = footprint(n)
        g.node(gv_id(n.iri), width=f"{w / 72:.2f}", height=f"{h / 72:.2f}")
    # Invisible level anchors: a node's rank is at least its class's level, so
    # guidance sit above reviews above studies even where no edge says so.
    levels = sorted({CLASSES[n.cls].level for n in nodes})
    for lv in levels:
        g.node(f"level{lv}", width="0.01", height="0.01", style="invis")
    for a, b in itertools.pairwise(levels):
        g.edge(f"level{a}", f"level{b}", style="invis", minlen=str(b - a))
    for n in nodes:
        g.edge(f"level{CLASSES[n.cls].level}", gv_id(n.iri), style="invis", minlen="0", weight="0")
    if top_rank:  # every guidance on one row
        with g.subgraph() as same:
            same.attr(rank="same")
            for n in nodes:
                if n.cls == "guidance":
                    same.node(gv_id(n.iri))
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    stagger = 0
    for e in model.edges:
        if e.source not in keep or e.target not in keep:
            continue
        a, b, constraint = layout_rank(e.rel, e.source, e.target)
        attrs = {"constraint": "true" if constraint else "false"}
        if constraint and degree[b] == 1:  # leaves on staggered rows (as `unflatten -l 3`)
            attrs["minlen"] = str(1 + stagger % 3)
            stagger += 1
        g.edge(gv_id(a), gv_id(b), **attrs)
    try:
        out = json.loads(g.pipe(format="json0", encoding="utf-8"))
    except Exception:  # dot missing or failing: the page falls back to vis-network layers
        return None
    pos: dict[str, tuple[float, float]] = {}
    ids = {gv_id(i): i for i in keep}
    for obj in out.get("objects", []):
        iri = ids.get(obj.get("name", ""))
        if iri is None or "pos" not in obj:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        n = model.nodes[iri]
        h = float(obj.get("height", 0)) * 72
        top = -y - h / 2
        pos[iri] = (x, top + (h / 2 if CLASSES[n.cls].shape in ("box", "ellipse") else size(n) + 6))
    return pos


# dot's layout is super-linear: 0.6 s for the 332 nodes (739 edges) of a
# 10^4-triple graph, 200 s for the 3,219 nodes (7,197 edges) of 10^5 (measured
# with benchmarks/ data). Above this many nodes the page gets a grid.
DOT_LAYOUT_MAX_NODES = 1000


def grid_layout(model: Model) -> dict[str, tuple[float, float]]:
    """Rows by class (guidance above reviews above studies), oldest first, wrapped.

    Linear in the number of nodes; for graphs too big for ``dot``, where a
    workshop should use ``--focus`` anyway.
    """
    per_row, dx, dy = 120, 150.0, 130.0
    by_level: dict[int, list[VNode]] = defaultdict(list)
    for n in model.nodes.values():
        by_level[CLASSES[n.cls].level].append(n)
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    for level in sorted(by_level):
        group = sorted(by_level[level], key=by_year)
        for i, n in enumerate(group):
            pos[n.iri] = ((i % per_row) * dx, (row + i // per_row) * dy)
        row += (len(group) + per_row - 1) // per_row + 1
    return pos


def graphviz_layout(model: Model) -> dict[str, tuple[float, float]] | None:
    """Node positions from Graphviz ``dot``; None without dot (a grid when too big).

    Two blocks: on top, everything linked to a guidance, layered (organisations,
    then every guidance on one row, then recommendations, claims, reviews,
    studies); below it, the documents not linked to any guidance, packed.
    """
    if not model.nodes:
        return {}
    if len(model.nodes) > DOT_LAYOUT_MAX_NODES:
        return grid_layout(model)
    linked: set[str] = set()
    for comp in _components(model):
        if any(model.nodes[i].cls == "guidance" for i in comp):
            linked |= comp
    rest = set(model.nodes) - linked
    pos: dict[str, tuple[float, float]] = {}
    if linked:
        top = _dot_positions(model, linked, top_rank=True, packed=False)
        if top is None:
            return None
        pos.update(top)
    if rest:
        low = _dot_positions(model, rest, top_rank=False, packed=True)
        if low is None:
            return None
        x0 = min((p[0] for p in pos.values()), default=0.0)
        y_end = max((p[1] + footprint(model.nodes[i])[1] for i, p in pos.items()), default=0.0)
        lx0 = min(p[0] for p in low.values())
        ly0 = min(p[1] - size(model.nodes[i]) for i, p in low.items())
        dy = y_end + (120 if pos else 0) - ly0
        pos.update({i: (p[0] - lx0 + x0, p[1] + dy) for i, p in low.items()})
    return {i: (round(x, 1), round(y, 1)) for i, (x, y) in pos.items()}
