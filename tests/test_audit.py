"""The fidelity ledger (``data/AUDIT.md``) holds the data to the page, row by row.

Each row names a line (or range) of the page, a few of its words verbatim, the
statement in our words, the node(s) that hold it and a status. The tests check
that the quoted words really are on those lines, that every named node exists in
``data/``, that every non-blank line of the page is accounted for, and that a
statement not modelled says why. The page itself lives outside the repository
(``../shared/seeds/``); without it the ledger's own form is still checked.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from rdflib import URIRef

from conftest import ROOT, skip_unless_ci
from evidencegraph.namespaces import expand

pytestmark = pytest.mark.core

LEDGER = ROOT / "data" / "AUDIT.md"
PAGE = ROOT.parent / "shared" / "seeds" / "000_ce4cb470b6e6483c.txt"
STATUSES = ("held", "held as text")
_ROW = re.compile(r"^\|(?P<cells>.*)\|\s*$")


@cache
def rows() -> list[dict[str, str]]:
    out = []
    for n, raw in enumerate(LEDGER.read_text(encoding="utf-8").splitlines(), 1):
        m = _ROW.match(raw)
        if not m or set(raw.replace("|", "").strip()) <= {"-", " "}:
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", m["cells"])]
        if cells[0] == "line":
            continue
        assert len(cells) == 5, f"AUDIT.md line {n}: a row has 5 cells, found {len(cells)}"
        out.append(dict(zip(("line", "words", "fact", "nodes", "status"), cells, strict=True)))
        out[-1]["at"] = str(n)
    return out


def _lines(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.strip().replace("–", "-").partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


@cache
def page_lines() -> list[str]:
    return PAGE.read_text(encoding="utf-8").splitlines()


def _plain(text: str) -> str:
    """A page line as read: links and emphasis marks dropped, quotes and spaces evened."""
    text = re.sub(r"\]\(#\)", "", text).replace("[", "").replace("**", "").replace("*", "")
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def _need_page() -> None:
    if not PAGE.is_file():
        skip_unless_ci(f"the page is not at {PAGE} (../shared beside the clone)")


def test_the_ledger_has_rows() -> None:
    assert len(rows()) >= 250, "the ledger accounts for every checkable statement of the page"


def test_every_row_is_well_formed() -> None:
    assert rows(), "data/AUDIT.md has no rows"
    for r in rows():
        where = f"AUDIT.md line {r['at']}"
        assert re.fullmatch(r"\d+(\s*[-–]\s*\d+)?(\s*,\s*\d+(\s*[-–]\s*\d+)?)*", r["line"]), (
            f"{where}: the line column is a page line number or range, e.g. 19 or 37–75"
        )
        assert re.fullmatch(r'".+"', r["words"]), (
            f'{where}: quote a few of the page\'s words verbatim, in double quotes: "…"'
        )
        assert r["fact"], f"{where}: say what the page states, in your own words"
        status = r["status"]
        if status.startswith("not modelled"):
            assert re.fullmatch(r"not modelled: .{8,}", status), (
                f"{where}: write 'not modelled: <why>'"
            )
        else:
            assert status in STATUSES, f"{where}: status is one of {STATUSES} or 'not modelled: …'"
            assert r["nodes"] and r["nodes"] != "—", f"{where}: name the node that holds it"


def test_every_named_node_exists(data_subjects: set[str]) -> None:
    missing = []
    for r in rows():
        if r["nodes"] in ("", "—"):
            continue
        for curie in (c.strip(" `") for c in r["nodes"].split(",")):
            iri = expand(curie)
            if iri is None or iri not in data_subjects:
                missing.append(f"AUDIT.md line {r['at']}: {curie}")
    assert not missing, "nodes named in the ledger but not in data/ (fix the IRI):\n" + "\n".join(
        missing
    )


def test_quoted_words_are_on_the_cited_lines() -> None:
    _need_page()
    lines = page_lines()
    wrong = []
    for r in rows():
        text = " ".join(_plain(lines[i - 1]) for i in _lines(r["line"]) if 0 < i <= len(lines))
        words = _plain(r["words"][1:-1])
        if words not in text:
            wrong.append(f"AUDIT.md line {r['at']}: {r['words']} is not on page line {r['line']}")
    assert not wrong, "\n".join(wrong)


def test_every_line_of_the_page_is_accounted_for() -> None:
    _need_page()
    covered = {i for r in rows() for i in _lines(r["line"])}
    blank = {i for i, t in enumerate(page_lines(), 1) if not t.strip()}
    missing = sorted(set(range(1, len(page_lines()) + 1)) - covered - blank)
    assert not missing, f"page lines with no row in data/AUDIT.md: {missing}"


@pytest.fixture(scope="module")
def data_subjects() -> set[str]:
    from evidencegraph.loading import load

    g = load()
    return {str(s) for s in g.subjects() if isinstance(s, URIRef)}
