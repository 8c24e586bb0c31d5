"""Query answers as text: a readable table with labels, standard CSV/TSV/JSON, Markdown.

Every string is escaped for where it goes (:mod:`evidencegraph.escaping`);
JSON keeps the data exact (the same escapes are JSON's own).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from evidencegraph.escaping import cell_safe, csv_safe, terminal_safe
from evidencegraph.namespaces import shorten

FORMATS = ("text", "csv", "tsv", "json", "md")
TEXT_FORMATS = ("text", "csv", "tsv", "md")  # cut at --max-rows; json never is

LabelFn = Callable[[list[URIRef]], dict[str, str]]


def _rows(result: Result) -> tuple[list[str], list[list[object]]]:
    names = [str(v) for v in (result.vars or [])]
    return names, [[row[i] for i in range(len(names))] for row in result]


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return csv_safe(str(term))


def _tsv_value(term: object) -> str:
    if term is None:
        return ""
    n3 = term.n3() if hasattr(term, "n3") else str(term)
    return terminal_safe(n3.replace("\t", "\\t").replace("\n", "\\n"))


def _json(result: Result) -> str:
    names, rows = _rows(result)
    bindings = []
    for row in rows:
        b: dict[str, dict[str, str]] = {}
        for name, term in zip(names, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                b[name] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                b[name] = {"type": "bnode", "value": str(term)}
            else:
                assert isinstance(term, Literal)
                entry = {"type": "literal", "value": str(term)}
                if term.language:
                    entry["xml:lang"] = term.language
                elif term.datatype:
                    entry["datatype"] = str(term.datatype)
                b[name] = entry
        bindings.append(b)
    return terminal_safe(
        json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}},
            indent=1,
            ensure_ascii=False,
        )
    )


def _display(term: object, labels: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return labels.get(str(term)) or shorten(str(term))
    return str(term)


def render(result: Result, fmt: str, labels: LabelFn | None = None) -> str:
    """Render a SELECT/ASK result (CONSTRUCT results are written as Turtle)."""
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from evidencegraph.engine import to_turtle

        return terminal_safe(to_turtle(result.graph))
    names, rows = _rows(result)
    if fmt == "json":
        return _json(result)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        w.writerows([[_csv_value(t) for t in row] for row in rows])
        return buf.getvalue().rstrip("\r\n")
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
        return "\n".join(lines)
    iris = sorted({t for row in rows for t in row if isinstance(t, URIRef)})
    lab = labels(iris) if labels and iris else {}
    cells = [[cell_safe(_display(t, lab)) for t in row] for row in rows]
    if fmt == "md":

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        out = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(out)
    return _table(names, cells)


def _table(names: list[str], cells: list[list[str]], max_width: int = 60) -> str:
    def clip(s: str) -> str:
        s = s.replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    clipped = [[clip(c) for c in row] for row in cells]
    widths = [max([len(n)] + [len(r[i]) for r in clipped]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    rule = "  ".join("─" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in clipped]
    return "\n".join([line, rule, *body, f"({len(cells)} row{'s' if len(cells) != 1 else ''})"])
