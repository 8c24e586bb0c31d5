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


def render_evidence_map_html(model: Model, em: EvidenceMap, template: str, csp: str) -> str:
    """The map as a page; every string escaped for HTML."""
    from string import Template

    e = html.escape
    head = []
    for c in em.columns:
        tip = f"{c.label} ({c.year or 'no year'}; {c.design or model.class_name(c.cls)})"
        if c.key_finding:
            tip += f" — key finding: {c.key_finding}"
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
            words = "; ".join(m.words(model) for m in marks)
            sym = "".join(f'<span class="m {e(m.group())}">{m.symbol()}</span>' for m in marks)
            tip = f"{g.title()} — {c.title()}: {words}" if marks else ""
            if marks and c.key_finding:
                tip += f". Key finding: {c.key_finding}"
            sections = sorted(
                {
                    model.name(s)
                    for x in model.links_of(g.iri)
                    if x.evidence == c.iri
                    for s in x.sections
                }
            )
            if marks and sections:
                tip += f". Where the page says it: {'; '.join(sections)}"
            cls = " ".join(sorted({m.group() for m in marks}))
            cells.append(
                f'<td class="{e(cls)}" title="{e(tip)}" data-marks="{e(words)}">'
                f'{sym}<span class="sr">{e(words)}</span></td>'
            )
        body.append(
            f'<tr data-iri="{e(g.iri)}"><th scope="row">{e(g.label)}'
            f'<span class="yr"> ({e(str(g.year or "no year"))})</span></th>'
            + "".join(cells)
            + "</tr>"
        )
    legend_html = "".join(
        f'<li><span class="m">{s}</span> {e(words)}</li>' for s, words in legend(model, em)
    )
    return Template(template).substitute(
        csp=html.escape(csp, quote=True),
        heading=e(model.heading),
        attribution=e(model.attribution),
        legend=legend_html,
        header="".join(head),
        body="\n".join(body),
        n_rows=len(em.rows),
        n_cols=len(em.columns),
    )


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
