"""Workshop visualisations: an interactive graph, an evidence map and slide figures.

Everything comes from one :class:`Model` read with the ``sparql/viz-*.rq``
queries (so it works on the embedded graph and on an endpoint) and filtered
once, so ``--focus``, ``--classes`` and ``--relations`` restrict every output
to the same subset.

- ``graph.html``: one self-contained file. vis-network is read at build time
  from the installed ``pyvis`` wheel and inlined; the data travel as JSON in a
  ``<script type="application/json">`` block and every string is put on the
  page with ``textContent`` (never ``innerHTML``). A Content-Security-Policy
  forbids every network load and allows only the two inline scripts (by hash).
- ``evidence-map.html`` and ``evidence-map.csv``: guidance × evidence.
- ``figures/<guidance>.svg`` and ``.png``: one evidence chain per guidance,
  drawn by Graphviz (the ``graphviz`` package and Debian's ``dot``).

Focus rule (the browser's focus mode, ``--focus`` and the figures): a guidance
lights up itself, every document :func:`evidencegraph.tracing.trace` reaches
from it (citations, data use, taking its lead, the page's "largely relied
on"), its recommendations, and whatever tempers it or its recommendations.
Any other node lights up what it rests on, what rests on it, and its direct
neighbours.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import itertools
import json
import re
import textwrap
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from evidencegraph.errors import OutputError, ParameterError
from evidencegraph.namespaces import CITO, DESIGN_ORDER, EG, expand, shorten
from evidencegraph.serialise import write_outputs
from evidencegraph.stats import internal_query

DEFAULT_OUT = Path("build/viz")
MAX_DEPTH = 10  # as `evidencegraph trace --max-depth`
NO_ATTRIBUTION = "Source: see the dataset description (it gives no attribution line)."

# ---------------------------------------------------------------- vocabulary

# key: (legend name, Okabe–Ito colour, vis-network shape, font colour, level)
# Level is the row in the layered layout: guidance above reviews above studies.
CLASSES: dict[str, tuple[str, str, str, str, int]] = {
    "organisation": ("organisation", "#000000", "ellipse", "#ffffff", 0),
    "guidance": ("guidance", "#D55E00", "box", "#000000", 1),
    "recommendation": ("recommendation", "#E69F00", "star", "#000000", 2),
    "claim": ("claim (the page's argument)", "#F0E442", "triangleDown", "#000000", 3),
    "commentary": ("Findings commentary", "#CC79A7", "hexagon", "#000000", 3),
    "review": ("review", "#0072B2", "diamond", "#000000", 4),
    "trial": ("trial", "#009E73", "triangle", "#000000", 5),
    "study": ("study", "#56B4E9", "dot", "#000000", 5),
    "other": ("other document", "#BBBBBB", "square", "#000000", 5),
}
# Most specific first: the first eg: class a node has decides its viz class.
_CLASS_OF = [
    ("Organisation", "organisation"),
    ("Guidance", "guidance"),
    ("Recommendation", "recommendation"),
    ("Review", "review"),
    ("RandomisedTrial", "trial"),
    ("Trial", "trial"),
    ("ObservationalStudy", "study"),
    ("ImplementationStudy", "study"),
    ("ModellingStudy", "study"),
    ("Study", "study"),
    ("Commentary", "commentary"),
    ("Claim", "claim"),
    ("StatisticalReport", "other"),
    ("Article", "other"),
    ("Document", "other"),
]
_DESIGN_ORDER = [*DESIGN_ORDER, "Recommendation", "Claim", "Organisation"]

# key: (predicate, legend label, colour, dashes, arrow, width, evidence?)
RELATIONS: dict[str, tuple[str, str, str, Any, str, float, bool]] = {
    "cites-as-evidence": (
        str(CITO.citesAsEvidence),
        "cites as evidence",
        "#0072B2",
        False,
        "arrow",
        3,
        True,
    ),
    "uses-data-from": (
        str(CITO.usesDataFrom),
        "uses data from",
        "#56B4E9",
        [14, 5],
        "arrow",
        3,
        True,
    ),
    "takes-lead-from": (
        str(EG.takesLeadFrom),
        "takes lead from",
        "#D55E00",
        [18, 6, 4, 6],
        "arrow",
        3,
        True,
    ),
    "rests-on": (
        str(EG.restsOn),
        "rests on (largely relies on)",
        "#000000",
        False,
        "arrow",
        5,
        True,
    ),
    "tempers": (str(EG.tempers), "tempers", "#CC79A7", [4, 5], "bar", 3, False),
    "supports": (str(EG.supports), "supports", "#009E73", [10, 4], "arrow", 2.5, False),
    "bears-on": (str(EG.bearsOn), "bears on", "#A0457A", [6, 3, 2, 3], "arrow", 2, False),
    "similar-to": (str(EG.similarTo), "similar to", "#777777", [2, 6], "", 2, False),
    "related-to": (str(EG.relatedTo), "related to", "#AAAAAA", [2, 6], "", 1.5, False),
    "recommends": (str(EG.recommends), "recommends", "#E69F00", False, "circle", 2, False),
    "issued-by": (str(EG.issuedBy), "issued by (or for)", "#555555", False, "arrow", 1.5, False),
    "not-available-to": (
        str(EG.unavailableTo),
        "was not available to",
        "#D55E00",
        [3, 3],
        "arrow",
        2,
        False,
    ),
    "analyses": (str(EG.analyses), "Findings analyses", "#CC79A7", [8, 4], "arrow", 1.5, False),
}
_PRODUCED_FOR = str(EG.producedFor)
_REL_OF = {v[0]: k for k, v in RELATIONS.items()} | {_PRODUCED_FOR: "issued-by"}
SYMMETRIC = {"similar-to", "related-to"}
EVIDENCE = tuple(k for k, v in RELATIONS.items() if v[6])  # what `trace` follows
ROLES = {"S": "seminal study", "K": "key study", "R": "review", "G": "guidance"}
MARKS = {  # evidence-map cell marks: key -> (symbol, text)
    "cites": ("●", "cites directly"),
    "through": ("○", "rests on through others"),
    "tempers": ("▼", "tempers"),
    "supports": ("▲", "supports"),
    "bears": ("◆", "bears on"),
    "later": ("◷", "published after the guidance"),
}


# ---------------------------------------------------------------- model


@dataclass
class VNode:
    iri: str
    label: str
    cls: str
    design: str = ""
    year: int | None = None
    role: str = ""
    role_label: str = ""
    countries: list[str] = field(default_factory=list)
    setting: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    description: str = ""
    text: str = ""
    quote: str = ""
    sections: list[str] = field(default_factory=list)
    lacks_evidence: bool = False
    later_than: list[str] = field(default_factory=list)
    rests_on_it: int = 0

    @property
    def curie(self) -> str:
        return shorten(self.iri)

    def title(self) -> str:
        return f"{self.label} ({self.year})" if self.year else self.label


@dataclass(frozen=True)
class VEdge:
    source: str
    target: str
    rel: str
    section: str = ""


@dataclass
class Prompt:
    iri: str
    label: str
    text: str = ""
    section: str = ""
    about: list[str] = field(default_factory=list)


@dataclass
class Model:
    nodes: dict[str, VNode]
    edges: list[VEdge]
    prompts: list[Prompt]
    heading: str
    attribution: str
    focus: str | None = None

    # -- structure (indexes built once: the views ask per node and per guidance,
    # and scanning every edge each time made viz quadratic, > 120 s at 10^5 triples)
    @cached_property
    def _by_rel(self) -> dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]]:
        """rel -> (source -> targets, target -> sources)."""
        out: dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]] = {}
        for e in self.edges:
            fwd, back = out.setdefault(e.rel, (defaultdict(set), defaultdict(set)))
            fwd[e.source].add(e.target)
            back[e.target].add(e.source)
        return out

    @cached_property
    def _touching(self) -> dict[str, set[str]]:
        """node -> the nodes it shares an edge with, whatever the relation."""
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.edges:
            out[e.source].add(e.target)
            out[e.target].add(e.source)
        return out

    @cached_property
    def _evidence_adj(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        return self._adj(EVIDENCE)

    def _adj(self, rels: Iterable[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        out: dict[str, set[str]] = defaultdict(set)
        inc: dict[str, set[str]] = defaultdict(set)
        for rel in set(rels):
            fwd, back = self._by_rel.get(rel, ({}, {}))
            for k, v in fwd.items():
                out[k] |= v
            for k, v in back.items():
                inc[k] |= v
        return out, inc

    def linked(self, rel: str, source: str, target: str) -> bool:
        return target in self._by_rel.get(rel, ({}, {}))[0].get(source, ())

    def down(self, iri: str, depth: int = MAX_DEPTH) -> set[str]:
        """What ``iri`` rests on within ``depth`` hops (the documents `trace` reaches)."""
        return _bfs(self._evidence_adj[0], iri, depth)

    def up(self, iri: str, depth: int = MAX_DEPTH) -> set[str]:
        """What rests on ``iri`` within ``depth`` hops (`trace --reverse`)."""
        return _bfs(self._evidence_adj[1], iri, depth)

    def recommendations(self, iri: str) -> set[str]:
        return set(self._by_rel.get("recommends", ({}, {}))[0].get(iri, ()))

    def bearers(self, targets: set[str], rel: str) -> set[str]:
        back = self._by_rel.get(rel, ({}, {}))[1]
        return {s for t in targets for s in back.get(t, ())}

    def focus_set(self, iri: str, depth: int = MAX_DEPTH) -> set[str]:
        """The nodes focus mode lights up for ``iri`` (see the module docstring)."""
        lit = {iri} | self.down(iri, depth)
        node = self.nodes.get(iri)
        if node is not None and node.cls == "guidance":
            recs = self.recommendations(iri)
            lit |= recs | self.bearers({iri} | recs, "tempers")
        else:
            lit |= self.up(iri, depth)
            if iri in self._touching:
                lit |= {iri} | self._touching[iri]
        return lit & self.nodes.keys()

    def post_dated(self, evidence: str, guidance: str) -> bool:
        """The page says, or the years show, that ``evidence`` came after ``guidance``."""
        if self.linked("not-available-to", evidence, guidance):
            return True
        g_year = self.nodes[guidance].year
        seen: set[str] = set()
        todo = [evidence]
        while todo:  # "later than" chains: later than something later than the guidance
            cur = todo.pop()
            if cur in seen:
                continue
            seen.add(cur)
            node = self.nodes.get(cur)
            if cur == guidance and cur != evidence:
                return True
            if node is not None and node.year and g_year and node.year > g_year:
                return True
            todo.extend(node.later_than if node else [])
        return False

    def guidance(self) -> list[VNode]:
        return sorted((n for n in self.nodes.values() if n.cls == "guidance"), key=_by_year)

    def restricted(self, keep: set[str]) -> Model:
        nodes = {k: v for k, v in self.nodes.items() if k in keep}
        edges = [e for e in self.edges if e.source in nodes and e.target in nodes]
        prompts = [p for p in self.prompts if any(a in nodes for a in p.about) or not p.about]
        return Model(nodes, edges, prompts, self.heading, self.attribution, self.focus)


def _bfs(adj: Mapping[str, set[str]], start: str, depth: int) -> set[str]:
    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        cur, d = frontier.popleft()
        if d >= depth:
            continue
        for nxt in adj.get(cur, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, d + 1))
    seen.discard(start)
    return seen


def _by_year(n: VNode) -> tuple[int, int, str]:
    return (0 if n.year else 1, n.year or 0, n.label.casefold())


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
    class_names = {str(c): str(label) for c, label in _rows(source, "viz-class-labels") if label}
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for node, label, typ in _rows(source, "viz-nodes"):
        assert node is not None and typ is not None
        labels[node] = label or shorten(node)
        types[node].add(typ.rsplit("#", 1)[-1])
    nodes: dict[str, VNode] = {}
    for iri, local_types in types.items():
        cls = next((c for t, c in _CLASS_OF if t in local_types), "other")
        design_t = next((t for t in _DESIGN_ORDER if t in local_types), "")
        design = class_names.get(str(EG) + design_t, design_t.lower()) if design_t else ""
        nodes[iri] = VNode(iri, labels[iri], cls, design)
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
        elif key == "finding":
            n.findings.append(value)
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
        elif key == "laterThan":
            n.later_than.append(value)
    for iri, count in _rows(source, "viz-rests-on-count"):
        if iri in nodes and count:
            nodes[iri].rests_on_it = int(count)
    sections: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for s, p, o, section in _rows(source, "viz-edges"):
        rel = _REL_OF.get(p or "")
        if rel is None or s not in nodes or o not in nodes or s == o:
            continue
        if rel in SYMMETRIC and s > o:  # stated once, drawn once
            s, o = o, s
        secs = sections[(s, rel, o)]
        if section and section not in secs:
            secs.append(section)
    edges = [
        VEdge(s, o, rel, "; ".join(sorted(secs))) for (s, rel, o), secs in sorted(sections.items())
    ]
    prompts: dict[str, Prompt] = {}
    for iri, label, text, section, about in _rows(source, "viz-prompts"):
        assert iri is not None
        p = prompts.setdefault(iri, Prompt(iri, label or shorten(iri), text or "", section or ""))
        if about and about not in p.about:
            p.about.append(about)
    heading, attribution = "Evidence graph", ""
    ds = _rows(source, "viz-dataset")
    if ds:
        heading = next((r[1] for r in ds if r[1]), heading)
        attribution = " ".join(sorted({r[2] for r in ds if r[2]}))
    return Model(
        nodes,
        edges,
        sorted(prompts.values(), key=lambda p: (p.section, p.label)),
        heading,
        attribution or NO_ATTRIBUTION,
    )


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
    hits = {k: n for k, n in model.nodes.items() if frag and frag in n.label.casefold()}
    exact = {k: n for k, n in hits.items() if n.label.casefold() == frag}
    hits = exact or hits
    if not hits:
        raise ParameterError(
            f"--focus {target!r}: no node drawn has that IRI or a label containing it"
        )
    if len(hits) > 1:
        listing = "; ".join(f"{n.label} <{n.curie}>" for n in sorted(hits.values(), key=_by_year))
        raise ParameterError(
            f"--focus {target!r} matches {len(hits)} nodes, give more of the "
            f"label or an IRI: {listing}"
        )
    return next(iter(hits))


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
        raise ParameterError("--depth needs --focus")
    if depth is not None and depth < 0:
        raise ParameterError("--depth must be 0 or more")
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
        )
    if focus is not None:
        iri = resolve_node(out, focus)
        out = out.restricted(out.focus_set(iri, MAX_DEPTH if depth is None else depth))
        out.focus = iri
    return out


# ---------------------------------------------------------------- evidence map


@dataclass
class EvidenceMap:
    rows: list[VNode]
    columns: list[VNode]
    cells: dict[tuple[str, str], list[str]]  # (guidance, evidence) -> mark keys


def evidence_map(model: Model) -> EvidenceMap:
    rows = model.guidance()
    out_adj, _ = model._adj(EVIDENCE)
    cells: dict[tuple[str, str], list[str]] = {}
    for g in rows:
        direct = out_adj.get(g.iri, set())
        reach = model.down(g.iri)
        recs = model.recommendations(g.iri) | {g.iri}
        temp = model.bearers(recs, "tempers")
        supp = model.bearers(recs, "supports")
        bears = model.bearers(recs, "bears-on")
        unavailable_to = model.bearers({g.iri}, "not-available-to")
        # only nodes that can get a mark, not every node for every guidance
        for iri in sorted(direct | reach | temp | supp | bears | unavailable_to):
            e = model.nodes.get(iri)
            if e is None or e.iri == g.iri or e.cls in ("organisation", "recommendation", "claim"):
                continue
            marks = []
            if e.iri in direct:
                marks.append("cites")
            elif e.iri in reach:
                marks.append("through")
            if e.iri in temp:
                marks.append("tempers")
            if e.iri in supp:
                marks.append("supports")
            if e.iri in bears:
                marks.append("bears")
            unavailable = e.iri in unavailable_to
            bearing = e.iri in temp or e.iri in supp or e.iri in bears
            if unavailable or (bearing and model.post_dated(e.iri, g.iri)):
                marks.append("later")
            if marks:
                cells[(g.iri, e.iri)] = marks
    evidence_cls = ("review", "trial", "study")
    marked = {e for (_g, e), m in cells.items() if set(m) - {"later"}}
    cols = [
        n
        for n in model.nodes.values()
        if n.cls in evidence_cls or (n.iri in marked and n.cls != "guidance")
    ]
    kind = {"review": 0, "trial": 1, "study": 1}
    cols.sort(key=lambda n: (n.cls not in evidence_cls, *_by_year(n), kind.get(n.cls, 2)))
    keep = {c.iri for c in cols}
    return EvidenceMap(rows, cols, {k: v for k, v in cells.items() if k[1] in keep})


def _csv_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def evidence_map_csv(em: EvidenceMap) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "guidance",
            "guidance year",
            "guidance IRI",
            *[_csv_safe(f"{c.label} ({c.year or 'no year'}) <{c.iri}>") for c in em.columns],
        ]
    )
    for g in em.rows:
        w.writerow(
            [
                _csv_safe(g.label),
                g.year or "",
                g.iri,
                *[
                    "; ".join(MARKS[m][1] for m in em.cells.get((g.iri, c.iri), []))
                    for c in em.columns
                ],
            ]
        )
    return buf.getvalue()


# ---------------------------------------------------------------- HTML


def _template(name: str) -> Template:
    return Template(resources.files("evidencegraph").joinpath("templates", name).read_text("utf-8"))


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


def _csp(scripts: Sequence[str]) -> str:
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


def _wrap(text: str, width: int = 22, lines: int = 3) -> str:
    parts = textwrap.wrap(text, width) or [text]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _size(n: VNode) -> float:
    return round(18 + 7 * (n.rests_on_it**0.5), 1)


def graph_data(model: Model, layout: Mapping[str, tuple[float, float]] | None = None) -> dict:
    """Everything ``graph.html`` shows, as plain JSON-able data."""
    nodes = []
    for n in sorted(model.nodes.values(), key=lambda n: (CLASSES[n.cls][4], *_by_year(n))):
        name, _colour, shape, _font, level = CLASSES[n.cls]
        d: dict[str, Any] = {
            "id": n.iri,
            "label": _wrap(n.label) + (f"\n({n.year})" if n.year else ""),
            "fullLabel": n.label,
            "cls": n.cls,
            "className": name,
            "shape": shape,
            "level": level,
            "year": n.year,
            "role": n.role,
            "roleLabel": n.role_label or ROLES.get(n.role, ""),
            "design": n.design,
            "countries": n.countries,
            "setting": n.setting,
            "findings": n.findings,
            "description": n.description,
            "text": n.text,
            "quote": n.quote,
            "sections": n.sections,
            "lacksEvidence": n.lacks_evidence,
            "curie": n.curie,
            "restsOnIt": n.rests_on_it,
            "size": _size(n),
        }
        if layout and n.iri in layout:
            d["x"], d["y"] = layout[n.iri]
        nodes.append(d)
    edges = [
        {"id": f"e{i}", "from": e.source, "to": e.target, "rel": e.rel, "section": e.section}
        for i, e in enumerate(model.edges)
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "classes": {
            k: {"name": v[0], "colour": v[1], "shape": v[2], "font": v[3], "level": v[4]}
            for k, v in CLASSES.items()
        },
        "relations": {
            k: {
                "label": v[1],
                "colour": v[2],
                "dashes": v[3],
                "arrow": v[4],
                "width": v[5],
                "evidence": v[6],
            }
            for k, v in RELATIONS.items()
        },
        "roles": ROLES,
        "focusSets": {n: sorted(model.focus_set(n)) for n in sorted(model.nodes)},
        "prompts": [
            {
                "id": p.iri,
                "label": p.label,
                "text": p.text,
                "section": p.section,
                "about": [a for a in p.about if a in model.nodes],
            }
            for p in model.prompts
        ],
        "heading": model.heading,
        "attribution": model.attribution,
        "focus": model.focus,
        "layout": "fixed" if layout else "hierarchical",
    }


def render_graph_html(model: Model) -> str:
    js, css = _vis_assets()
    app = resources.files("evidencegraph").joinpath("templates", "graph.js").read_text("utf-8")
    data = graph_data(model, graphviz_layout(model))
    return _template("graph.html").substitute(
        csp=html.escape(_csp([js, app]), quote=True),
        heading=html.escape(model.heading),
        attribution=html.escape(model.attribution),
        vis_css=css,
        vis_js=js,
        app_js=app,
        data=json_for_html(data),
    )


def render_evidence_map_html(model: Model, em: EvidenceMap) -> str:
    e = html.escape
    head = []
    for c in em.columns:
        tip = f"{c.label} ({c.year or 'no year'}; {c.design or CLASSES[c.cls][0]})"
        badge = f'<span class="badge">{e(c.role)}</span> ' if c.role else ""
        head.append(
            f'<th scope="col" class="col {e(c.cls)}" title="{e(tip)}"><div>{badge}'
            f'{e(_short(c.label, 48))}<span class="yr"> {e(str(c.year or "n.d."))}'
            f"</span></div></th>"
        )
    body = []
    for g in em.rows:
        cells = []
        for c in em.columns:
            marks = em.cells.get((g.iri, c.iri), [])
            words = "; ".join(MARKS[m][1] for m in marks)
            sym = "".join(f'<span class="m {m}">{MARKS[m][0]}</span>' for m in marks)
            tip = f"{g.title()} — {c.title()}: {words}" if marks else ""
            cls = " ".join(marks)
            cells.append(
                f'<td class="{cls}" title="{e(tip)}" data-marks="{e(" ".join(marks))}">'
                f'{sym}<span class="sr">{e(words)}</span></td>'
            )
        body.append(
            f'<tr data-iri="{e(g.iri)}"><th scope="row">{e(g.label)}'
            f'<span class="yr"> ({e(str(g.year or "no year"))})</span></th>'
            + "".join(cells)
            + "</tr>"
        )
    legend = "".join(
        f'<li><span class="m {k}">{v[0]}</span> {e(v[1])}</li>' for k, v in MARKS.items()
    )
    return _template("evidence-map.html").substitute(
        csp=html.escape(_csp([]), quote=True),
        heading=e(model.heading),
        attribution=e(model.attribution),
        legend=legend,
        header="".join(head),
        body="\n".join(body),
        n_rows=len(em.rows),
        n_cols=len(em.columns),
    )


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---------------------------------------------------------------- Graphviz


def _dot_text(text: str) -> Any:
    """A Graphviz label: backslashes doubled (no \\G, \\N), never an HTML-like label."""
    import graphviz

    from evidencegraph.output import xml_safe  # the SVG must stay well-formed XML

    return graphviz.nohtml(xml_safe(text).replace("\\", "\\\\").replace("\n", "\\n"))


def _layout_rank(e: VEdge) -> tuple[str, str, bool]:
    """Layout direction: the upper node first. Guidance above what it rests on,
    recommendations above what bears on them, organisations above guidance."""
    if e.rel in ("tempers", "supports", "bears-on", "issued-by", "not-available-to"):
        return e.target, e.source, True
    return e.source, e.target, e.rel not in SYMMETRIC


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
        comp = {start} | _bfs(adj, start, len(model.nodes) + 1)
        seen |= comp
        out.append(comp)
    return out


def _footprint(n: VNode, font: int = 22) -> tuple[float, float]:
    """Width and height (px) of a node as vis-network draws it, label included."""
    lines = graph_label_lines(n)
    w = max(len(line) for line in lines) * font * 0.56 + 16
    if CLASSES[n.cls][2] in ("box", "ellipse"):
        return w + 20, len(lines) * font * 1.2 + 24
    return max(w, 2 * _size(n)), 2 * _size(n) + len(lines) * font * 1.2 + 12


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
    nodes = sorted((model.nodes[i] for i in keep), key=lambda n: (CLASSES[n.cls][4], *_by_year(n)))
    for n in nodes:
        w, h = _footprint(n)
        g.node(_gv_id(n.iri), width=f"{w / 72:.2f}", height=f"{h / 72:.2f}")
    # Invisible level anchors: a node's rank is at least its class's level, so
    # guidance sit above reviews above studies even where no edge says so.
    levels = sorted({CLASSES[n.cls][4] for n in nodes})
    for lv in levels:
        g.node(f"level{lv}", width="0.01", height="0.01", style="invis")
    for a, b in itertools.pairwise(levels):
        g.edge(f"level{a}", f"level{b}", style="invis", minlen=str(b - a))
    for n in nodes:
        g.edge(f"level{CLASSES[n.cls][4]}", _gv_id(n.iri), style="invis", minlen="0", weight="0")
    if top_rank:  # every guidance on one row
        with g.subgraph() as same:
            same.attr(rank="same")
            for n in nodes:
                if n.cls == "guidance":
                    same.node(_gv_id(n.iri))
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    stagger = 0
    for e in model.edges:
        if e.source not in keep or e.target not in keep:
            continue
        a, b, constraint = _layout_rank(e)
        attrs = {"constraint": "true" if constraint else "false"}
        if constraint and degree[b] == 1:  # leaves on staggered rows (as `unflatten -l 3`)
            attrs["minlen"] = str(1 + stagger % 3)
            stagger += 1
        g.edge(_gv_id(a), _gv_id(b), **attrs)
    try:
        out = json.loads(g.pipe(format="json0", encoding="utf-8"))
    except Exception:  # dot missing or failing: the page falls back to vis-network layers
        return None
    pos: dict[str, tuple[float, float]] = {}
    ids = {_gv_id(i): i for i in keep}
    for obj in out.get("objects", []):
        iri = ids.get(obj.get("name", ""))
        if iri is None or "pos" not in obj:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        n = model.nodes[iri]
        h = float(obj.get("height", 0)) * 72
        top = -y - h / 2
        pos[iri] = (x, top + (h / 2 if CLASSES[n.cls][2] in ("box", "ellipse") else _size(n) + 6))
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
        by_level[CLASSES[n.cls][4]].append(n)
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    for level in sorted(by_level):
        group = sorted(by_level[level], key=_by_year)
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
        y_end = max((p[1] + _footprint(model.nodes[i])[1] for i, p in pos.items()), default=0.0)
        lx0 = min(p[0] for p in low.values())
        ly0 = min(p[1] - _size(model.nodes[i]) for i, p in low.items())
        dy = y_end + (120 if pos else 0) - ly0
        pos.update({i: (p[0] - lx0 + x0, p[1] + dy) for i, p in low.items()})
    return {i: (round(x, 1), round(y, 1)) for i, (x, y) in pos.items()}


def graph_label_lines(n: VNode) -> list[str]:
    return (_wrap(n.label) + (f"\n({n.year})" if n.year else "")).split("\n")


def _gv_id(iri: str) -> str:
    return "n" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]


_FIG_SHAPES = {
    "guidance": ("box", ""),
    "recommendation": ("note", ""),
    "claim": ("box", "rounded,dashed"),
    "commentary": ("box", "rounded"),
    "review": ("box3d", ""),
    "trial": ("ellipse", ""),
    "study": ("ellipse", ""),
    "other": ("box", "rounded"),
    "organisation": ("ellipse", ""),
}


def figure_source(model: Model, guidance: str) -> Any:
    """A Graphviz digraph of one guidance's evidence chain, filling a 16:9 slide.

    The nodes are the guidance's focus set (see the module docstring); the
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
        label=_dot_text(
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
    for n in sorted(sub.nodes.values(), key=lambda n: (CLASSES[n.cls][4], *_by_year(n))):
        name, colour, _shape, font, _lvl = CLASSES[n.cls]
        later = n.iri != guidance and model.post_dated(n.iri, guidance)
        meta = " · ".join(b for b in (n.role, str(n.year or ""), n.design or name) if b)
        bits = [_wrap(n.label, 28, 4), meta]
        if later:
            bits.append("published after the guidance")
        shape, style = _FIG_SHAPES[n.cls]
        style = ",".join(x for x in ("filled", style, "bold" if n.iri == guidance else "") if x)
        dot.node(
            _gv_id(n.iri),
            label=_dot_text("\n".join(bits)),
            shape=shape,
            fillcolor=colour,
            fontcolor=font,
            style=style,
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
        dot.edge(_gv_id(guidance), "nothing", style="invis")
    stagger = 0
    for e in sub.edges:
        _p, label, colour, dashes, arrow, width, _ev = RELATIONS[e.rel]
        upper, lower, constraint = _layout_rank(e)
        attrs = {
            "label": _dot_text(label),
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
        dot.edge(_gv_id(upper), _gv_id(lower), **attrs)
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


# ---------------------------------------------------------------- entry point


def visualise(
    out_dir: Path | str = DEFAULT_OUT,
    *,
    focus: str | None = None,
    depth: int | None = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
    source: Any = None,
) -> list[Path]:
    """Write graph.html, evidence-map.html/.csv and figures/ into ``out_dir``.

    The files are replaced as one set (see :func:`write_outputs`); figures
    an earlier run wrote for guidance no longer drawn are removed, and
    nothing viz did not write.
    Without Graphviz's ``dot`` the pages are still written (graph.html then
    uses vis-network's own layered layout) and :class:`OutputError` reports
    the missing figures. Returns the paths written.
    """
    out_dir = Path(out_dir)
    model = select(
        load_model(source), focus=focus, depth=depth, classes=classes, relations=relations
    )
    em = evidence_map(model)
    files: dict[str, str | bytes] = {
        "graph.html": render_graph_html(model),
        "evidence-map.html": render_evidence_map_html(model, em),
        "evidence-map.csv": evidence_map_csv(em),
    }
    figure_error: OutputError | None = None
    try:
        files.update(render_figures(model))
    except OutputError as err:  # no `dot`: still write the pages, then report it
        figure_error = err
    written = write_outputs(out_dir, files, prune=figure_error is None)
    if figure_error is not None:
        raise figure_error
    return written
