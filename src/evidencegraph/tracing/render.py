"""Trace rendered as text, Markdown, JSON or Graphviz DOT.

Every name shown (relations, bases, designs, sections) is a label the trace read
from the graph; these functions only lay the facts out.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from evidencegraph.escaping import dot_quoted
from evidencegraph.tracing.model import Hop, Link, TraceResult

# Relations that put evidence under a guidance (drawn as the tree, not as bearers).
_RESTS = (
    "http://purl.org/spar/cito/citesAsEvidence",
    "http://purl.org/spar/cito/usesDataFrom",
    "https://w3id.org/evidencegraph/ontology#takesLeadFrom",
    "https://w3id.org/evidencegraph/ontology#restsOn",
)
_THROUGH_CLAIM = "https://w3id.org/evidencegraph/ontology#ThroughClaim"
RECOMMENDS = "https://w3id.org/evidencegraph/ontology#recommends"


def _names(result: TraceResult, iris: list[str] | tuple[str, ...]) -> str:
    return "; ".join(result.label(i) for i in iris)


def _says(result: TraceResult, subject: str, relation: str, target: str) -> str:
    """The page's own words for a stated relation, where they hedge it."""
    quote = result.quote(subject, relation, target)
    return f" (the page: “{quote}”)" if quote else ""


def _hop_text(result: TraceResult, hop: Hop) -> str:
    if result.reverse:  # the hop runs up, against the stated relation
        rel = ", ".join(
            (result.node(r).inverse or result.label(r)) + _says(result, hop.target, r, hop.source)
            for r in hop.relations
        )
    else:
        rel = ", ".join(
            result.label(r) + _says(result, hop.source, r, hop.target) for r in hop.relations
        )
    where = "; ".join([_names(result, hop.bases), *[result.label(s) for s in hop.sections]])
    return f"{rel} [{where}] {result.node(hop.target).describe()}"


def _tree(result: TraceResult) -> list[tuple[int, Hop]]:
    """Paths merged into a tree: (depth, hop) in display order, shared prefixes once."""
    out: list[tuple[int, Hop]] = []
    seen: set[tuple[str, ...]] = set()
    for path in result.paths:
        key: tuple[str, ...] = (result.root,)
        for depth, hop in enumerate(path):
            key = (*key, hop.target)
            if key not in seen:
                seen.add(key)
                out.append((depth, hop))
    return out


def _why(result: TraceResult, link: Link) -> str:
    return "; ".join([result.label(link.basis), *[result.label(s) for s in link.sections]])


def _later(result: TraceResult, guidance: str, evidence: str) -> str:
    bases = result.later(guidance, evidence)
    return f" — after the guidance: {_names(result, bases)}" if bases else ""


def _bearer_lines(result: TraceResult, target: str) -> list[tuple[int, str]]:
    """(depth, line) for what bears on ``target``: direct bearers, then under each claim
    the documents behind it."""
    direct = [
        x for x in result.links_to(target) if x.basis != _THROUGH_CLAIM and x.relation not in _RESTS
    ]
    through = [x for x in result.links_to(target) if x.basis == _THROUGH_CLAIM]
    lines: list[tuple[int, str]] = []
    for x in sorted(direct, key=lambda x: (result.label(x.relation), result.label(x.evidence))):
        lines.append(
            (
                0,
                f"{result.node(x.evidence).describe()} — {result.label(x.relation)} it"
                f"{_says(result, x.evidence, x.relation, x.target)} "
                f"[{_why(result, x)}]{_later(result, x.guidance, x.evidence)}",
            )
        )
        if _found(result, x.evidence):
            lines.append((1, _found(result, x.evidence)))
        for y in sorted(through, key=lambda y: result.label(y.evidence)):
            if x.evidence in y.via:
                lines.append(
                    (
                        1,
                        f"{result.node(y.evidence).describe()} — {result.label(y.relation)} "
                        f"the claim{_says(result, y.evidence, y.relation, x.evidence)} "
                        f"[{_why(result, y)}]{_later(result, y.guidance, y.evidence)}",
                    )
                )
                if _found(result, y.evidence):
                    lines.append((2, _found(result, y.evidence)))
    return lines


def _found(result: TraceResult, iri: str) -> str:
    finding = result.node(iri).key_finding
    return f"found: {finding}" if finding else ""


def _forward_sections(result: TraceResult) -> list[tuple[str, list[tuple[int, str]]]]:
    rests = [(d, _hop_text(result, h)) for d, h in _tree(result)]
    tree: list[tuple[int, str]] = []
    for (depth, text), (_d, hop) in zip(rests, _tree(result), strict=True):
        tree.append((depth, text))
        if _found(result, hop.target):
            tree.append((depth + 1, _found(result, hop.target)))
    if not tree:
        tree = [(0, "(no evidence it rests on is recorded)")]
    sections = [("What it rests on", tree)]
    own = _bearer_lines(result, result.root)
    if own:
        sections.append(("What bears on the guidance itself", own))
    recs: list[tuple[int, str]] = []
    for r in sorted(result.recommendations, key=lambda r: result.label(r.iri)):
        recs.append((0, result.label(r.iri)))
        if r.lacks_evidence:
            recs.append((1, "⚠ rests on no evidence (the page says so)"))
        bearers = _bearer_lines(result, r.iri)
        if not bearers and not r.lacks_evidence:
            recs.append((1, "(nothing bearing on it is recorded)"))
        recs += [(d + 1, t) for d, t in bearers]
    if recs:
        sections.append(("Recommendations", recs))
    return sections


def _reverse_sections(result: TraceResult) -> list[tuple[str, list[tuple[int, str]]]]:
    tree = [(d, _hop_text(result, h)) for d, h in _tree(result)]
    sections = [("What rests on it", tree or [(0, "(nothing rests on it)")])]
    stands: list[tuple[int, str]] = []
    for g in sorted({x.guidance for x in result.links}, key=result.label):
        stands.append((0, result.node(g).describe()))
        for x in sorted(
            (x for x in result.links if x.guidance == g),
            key=lambda x: (x.target != g, result.label(x.relation), result.label(x.target)),
        ):
            if x.target == g:
                rel = (
                    f"{result.node(x.relation).inverse or result.label(x.relation)} it"
                    if x.relation in _RESTS
                    else f"{result.label(x.relation)} it"
                )
            else:
                rel = f"{result.label(x.relation)} “{result.label(x.target)}”"
            rel += _says(result, x.evidence, x.relation, x.target)
            via = f" (via {_names(result, x.via)})" if x.via else ""
            if x.basis == _THROUGH_CLAIM:
                claims = "; ".join(
                    f"“{result.label(c)}”{_says(result, x.evidence, x.relation, c)}" for c in x.via
                )
                rel = f"{result.label(x.relation)} the claim {claims}, "
                rel += f"which bears on “{result.label(x.target)}”"
                via = ""
            stands.append((1, f"{rel}{via} [{_why(result, x)}]"))
        later = result.later(g, result.root)
        if later:
            stands.append((1, f"after the guidance: {_names(result, later)}"))
    sections.append(
        ("In the evidence set of", stands or [(0, "(no guidance's evidence set includes it)")])
    )
    return sections


def _header(result: TraceResult) -> list[str]:
    lines = [result.node(result.root).describe()]
    if _found(result, result.root):
        lines.append(_found(result, result.root))
    return lines


def _sections(result: TraceResult) -> list[tuple[str, list[tuple[int, str]]]]:
    return _reverse_sections(result) if result.reverse else _forward_sections(result)


def render_text(result: TraceResult) -> str:
    lines = _header(result)
    for title, items in _sections(result):
        lines += ["", f"{title}:"]
        for depth, text in items:
            if text.startswith(("found:", "⚠", "(")):
                lines.append("    " * (depth + 1) + text)
            else:
                lines.append("    " * depth + "└── " + text)
    if result.truncated:
        lines += ["", f"note: {result.truncated}"]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def render_markdown(result: TraceResult) -> str:
    head = _header(result)
    lines = [f"# Trace: {_md(head[0])}", ""]
    lines += [f"*{_md(h)}*" for h in head[1:]]
    for title, items in _sections(result):
        lines += ["", f"## {title}", ""]
        lines += ["  " * depth + "- " + _md(text) for depth, text in items]
    if result.truncated:
        lines += ["", f"> {_md(result.truncated)}"]
    return "\n".join(lines) + "\n"


def _link_json(result: TraceResult, x: Link) -> dict:
    return {
        "guidance": x.guidance,
        "evidence": x.evidence,
        "relation": x.relation,
        "relation_label": result.label(x.relation),
        "basis": x.basis,
        "basis_label": result.label(x.basis),
        "target": x.target,
        "page_words": result.quote(x.evidence, x.relation, x.target) or None,
        "via": list(x.via),
        "sections": list(x.sections),
        "after_the_guidance": [result.label(b) for b in result.later(x.guidance, x.evidence)],
    }


def render_json(result: TraceResult) -> str:
    return json.dumps(
        {
            "root": result.root,
            "reverse": result.reverse,
            "nodes": {
                k: {
                    "label": v.label,
                    "year": v.year,
                    "design": v.design,
                    "kind": v.kind,
                    "countries": v.countries,
                    "key_finding": v.key_finding,
                }
                for k, v in sorted(result.nodes.items())
            },
            "paths": [
                [
                    {
                        "source": h.source,
                        "target": h.target,
                        "relations": h.relations,
                        "relation_labels": [result.label(r) for r in h.relations],
                        "bases": h.bases,
                        "basis_labels": [result.label(b) for b in h.bases],
                        "sections": h.sections,
                    }
                    for h in p
                ]
                for p in result.paths
            ],
            "evidence": [_link_json(result, x) for x in result.links],
            "post_dating": [
                {
                    "guidance": p.guidance,
                    "evidence": p.evidence,
                    "basis": p.basis,
                    "basis_label": result.label(p.basis),
                }
                for p in result.post_dating
            ],
            "recommendations": [
                {
                    "iri": r.iri,
                    "label": result.label(r.iri),
                    "lacks_evidence": r.lacks_evidence,
                    "bearers": [_link_json(result, x) for x in result.links_to(r.iri)],
                }
                for r in result.recommendations
            ],
            "truncated": result.truncated,
        },
        indent=1,
        ensure_ascii=False,
    )


def render_dot(result: TraceResult) -> str:
    """The trace as a left-to-right digraph: the evidence tree, then each recommendation
    with what bears on it; edge labels name the relation, basis and page section."""
    q = dot_quoted
    lines = [
        "digraph trace {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="DejaVu Sans"];',
        '  edge [fontname="DejaVu Sans", fontsize=10];',
    ]
    used: dict[str, str] = {result.root: result.node(result.root).describe()}
    edges: set[tuple[str, str, str]] = set()
    for p in result.paths:
        for h in p:
            used[h.source] = result.node(h.source).describe()
            used[h.target] = result.node(h.target).describe()
            s, t = (h.target, h.source) if result.reverse else (h.source, h.target)
            edges.add((s, t, _hop_text(result, h).split(" [", 1)[0]))
    for x in result.links:
        if x.relation in _RESTS and x.target == x.guidance:
            continue
        for n in (x.guidance, x.evidence, x.target, *x.via):
            used[n] = result.node(n).describe()
        if x.target != x.guidance:
            edges.add((x.guidance, x.target, result.label(RECOMMENDS)))
        end = x.via[0] if x.basis == _THROUGH_CLAIM and x.via else x.target
        edges.add((x.evidence, end, f"{result.label(x.relation)} ({result.label(x.basis)})"))
    for iri, label in sorted(used.items()):
        finding = result.node(iri).key_finding
        text = label + (f"\nfound: {finding}" if finding else "")
        shape = ", shape=note" if result.node(iri).kind else ""
        lines.append(f"  {q(iri)} [label={q(text)}{shape}];")
    for s, t, label in sorted(edges):
        lines.append(f"  {q(s)} -> {q(t)} [label={q(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[TraceResult], str]] = {
    "text": render_text,
    "md": render_markdown,
    "json": render_json,
    "dot": render_dot,
}

# For other renderings of the same trace (the site's HTML tree): the same grouping.
RESTS = _RESTS
THROUGH_CLAIM = _THROUGH_CLAIM
merged_tree = _tree
