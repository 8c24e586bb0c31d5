"""The evidence map: guidance × evidence, each cell the guidance's evidence links.

A cell lists exactly the build's evidence links between its guidance and its
document or claim (relation and basis, named by the ontology's labels) and the
post-datings (why the evidence came after the guidance). The symbols are only
a picture of those words.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass

from evidencegraph.viz.model import Model, VNode, by_year
from evidencegraph.viz.style import EVIDENCE, RELATION_OF

_GROUP = {"supports": "supports", "tempers": "tempers", "bears-on": "bears-on"}
_SYMBOLS = {  # (group, basis local name) -> symbol
    ("rests", "OwnCitation"): "●",
    ("rests", "FindingsJudgement"): "■",
    ("rests", "ThroughOtherDocuments"): "○",
    ("supports", "FindingsJudgement"): "▲",
    ("supports", "ThroughClaim"): "△",
    ("tempers", "FindingsJudgement"): "▼",
    ("tempers", "ThroughClaim"): "▽",
    ("bears-on", "FindingsJudgement"): "◆",
    ("bears-on", "ThroughClaim"): "◇",
    ("not-available-to", "FindingsJudgement"): "⊘",
    ("later", ""): "◷",
}
_EVIDENCE_LOOKS = ("review", "trial", "study")


@dataclass(frozen=True, order=True)
class Mark:
    """One entry of a cell: a relation with its basis, or a post-dating (relation "")."""

    relation: str
    basis: str

    def group(self) -> str:
        if not self.relation:
            return "later"
        key = RELATION_OF.get(self.relation, "")
        return "rests" if key in EVIDENCE else key

    def symbol(self) -> str:
        local = self.basis.rsplit("#", 1)[-1]
        return _SYMBOLS.get((self.group(), "" if not self.relation else local), "•")

    def words(self, model: Model) -> str:
        if not self.relation:
            return f"after the guidance ({model.name(self.basis)})"
        return f"{model.name(self.relation)} ({model.name(self.basis)})"


@dataclass
class EvidenceMap:
    rows: list[VNode]
    columns: list[VNode]
    cells: dict[tuple[str, str], list[Mark]]  # (guidance, evidence) -> marks


def build_map(model: Model) -> EvidenceMap:
    rows = model.guidance()
    cells: dict[tuple[str, str], set[Mark]] = {}
    for g in rows:
        for x in model.links_of(g.iri):
            if x.evidence not in model.nodes:
                continue
            marks = cells.setdefault((g.iri, x.evidence), set())
            marks.add(Mark(x.relation, x.basis))
            marks |= {Mark("", b) for b in model.later(x.evidence, g.iri)}
    marked = {e for (_g, e) in cells}
    cols = [
        n
        for n in model.nodes.values()
        if (n.cls in _EVIDENCE_LOOKS or n.iri in marked)
        and n.cls not in ("recommendation",)
        and not (n.cls == "guidance" and n.iri not in marked)
    ]
    rank = {"review": 0, "trial": 1, "study": 1}

    def order(n: VNode) -> tuple:
        return (n.cls == "claim", n.cls not in _EVIDENCE_LOOKS, *by_year(n), rank.get(n.cls, 2))

    cols.sort(key=order)
    keep = {c.iri for c in cols}
    return EvidenceMap(
        rows, cols, {k: sorted(v, key=_mark_order) for k, v in cells.items() if k[1] in keep}
    )


def _mark_order(m: Mark) -> tuple:
    groups = ["rests", "supports", "bears-on", "tempers", "not-available-to", "later"]
    g = m.group()
    return (groups.index(g) if g in groups else len(groups), m)


def _csv_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def evidence_map_csv(model: Model, em: EvidenceMap) -> str:
    """One row per guidance, one column per document or claim; a cell's entries are
    ``relation (basis)`` and ``after the guidance (basis)``, joined by ``; ``."""
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
                    "; ".join(m.words(model) for m in em.cells.get((g.iri, c.iri), []))
                    for c in em.columns
                ],
            ]
        )
    return buf.getvalue()


def legend(model: Model, em: EvidenceMap) -> list[tuple[str, str]]:
    """(symbol, words) for every kind of entry the map holds, in display order."""
    seen: dict[str, set[str]] = {}
    for marks in em.cells.values():
        for m in marks:
            if m.relation:
                seen.setdefault(m.symbol(), set()).add(m.words(model))
            else:
                seen.setdefault(m.symbol(), set()).add("published after the guidance")
    order = list(_SYMBOLS.values())
    return [
        (s, "; ".join(sorted(seen[s])))
        for s in sorted(seen, key=lambda s: order.index(s) if s in order else len(order))
    ]


def _cell_tip(model: Model, g: VNode, c: VNode, marks: list[Mark]) -> str:
    """A cell's hover: the links in words, the page sections that say so and the
    document's key finding."""
    words = "; ".join(m.words(model) for m in marks)
    tip = f"{g.title()} — {c.title()}: {words}"
    sections = sorted(
        {model.name(s) for x in model.links_of(g.iri) if x.evidence == c.iri for s in x.sections}
    )
    if sections:
        tip += f". Where the page says it: {'; '.join(sections)}"
    if c.key_finding:
        tip += f". Key finding: {c.key_finding}"
    return tip


def render_evidence_map_html(model: Model, em: EvidenceMap, template: str, csp: str) -> str:
    """The map as a page; every string escaped for HTML.

    On screen: guidance rows and evidence columns, headers sticky and wrapped, rows
    without evidence behind a "show all" switch (CSS only: the page runs no script).
    In print (A4 landscape): the same cells transposed, evidence down the page and
    guidance across, so the sheet holds every column.
    """
    from string import Template

    e = html.escape
    head = []
    for c in em.columns:
        tip = f"{c.label} ({c.year or 'no year'}; {c.design or model.class_name(c.cls)})"
        if c.key_finding:
            tip += f" — key finding: {c.key_finding}"
        badge = f'<span class="badge">{e(c.role)}</span> ' if c.role else ""
        head.append(
            f'<th scope="col" class="col {e(c.cls)}" title="{e(tip)}">{badge}'
            f'{e(c.label)} <span class="yr">({e(str(c.year or "no year"))})</span></th>'
        )
    body = []
    empty = 0
    for g in em.rows:
        cells = []
        has_any = False
        for c in em.columns:
            marks = em.cells.get((g.iri, c.iri), [])
            has_any = has_any or bool(marks)
            cells.append(_cell_html(model, g, c, marks))
        empty += not has_any
        row_class = "" if has_any else ' class="empty"'
        body.append(
            f'<tr data-iri="{e(g.iri)}"{row_class}>'
            f'<th scope="row">{e(g.label)}'
            f'<span class="yr"> ({e(str(g.year or "no year"))})</span></th>'
            + "".join(cells)
            + "</tr>"
        )
    # The print copy: evidence down, guidance across.
    shown_rows = [g for g in em.rows if any((g.iri, c.iri) in em.cells for c in em.columns)]
    phead = "".join(
        f'<th scope="col">{e(g.label)} <span class="yr">({e(str(g.year or "no year"))})</span></th>'
        for g in shown_rows
    )
    pbody = []
    for c in em.columns:
        pbody.append(
            f'<tr><th scope="row">{e(c.label)} <span class="yr">'
            f"({e(str(c.year or 'no year'))}; {e(c.design or model.class_name(c.cls))})</span></th>"
            + "".join(_cell_html(model, g, c, em.cells.get((g.iri, c.iri), [])) for g in shown_rows)
            + "</tr>"
        )
    legend_html = "".join(
        f'<li><span class="m">{s}</span> {e(words)}</li>' for s, words in legend(model, em)
    )
    toggle = (
        '<input type="checkbox" id="show-all" class="toggle">'
        f'<label for="show-all" class="toggle-label">Show all guidance ({empty} with no '
        "evidence in this selection are hidden)</label>"
        if empty
        else ""
    )
    return Template(template).substitute(
        csp=html.escape(csp, quote=True),
        heading=e(model.heading),
        attribution=e(model.attribution),
        legend=legend_html,
        header="".join(head),
        body="\n".join(body),
        toggle=toggle,
        print_header=phead,
        print_body="\n".join(pbody),
        n_rows=len(em.rows),
        n_cols=len(em.columns),
    )


def _cell_html(model: Model, g: VNode, c: VNode, marks: list[Mark]) -> str:
    e = html.escape
    words = "; ".join(m.words(model) for m in marks)
    sym = "".join(f'<span class="m {e(m.group())}">{m.symbol()}</span>' for m in marks)
    tip = _cell_tip(model, g, c, marks) if marks else ""
    cls = " ".join(sorted({m.group() for m in marks}))
    return (
        f'<td class="{e(cls)}" title="{e(tip)}" data-marks="{e(words)}">'
        f'{sym}<span class="sr">{e(words)}</span></td>'
    )
