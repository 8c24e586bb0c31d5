"""The named query library: ``queries/*.rq`` and their header comments.

Each file starts with a comment block the tool reads::

    # title: Documents cited as evidence by NICE guidance
    # purpose: One paragraph, possibly over several lines ...
    # param: guidance (eg:Guidance, required) e.g. doc:2011-nice-commissioning-guidance
    # needs: the build's derived facts (eg:design); plain joins and OPTIONAL
    # example: evidencegraph query cited-by-nice

``evidencegraph list-queries`` lists them and ``queries/README.md`` is generated
from them (a test fails when it is stale).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from evidencegraph import paths
from evidencegraph.errors import QueryError

_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[^,)]+)(?:,\s*(?P<req>required|optional))?\)"
    r"\s*(?:e\.g\.\s*(?P<example>.*))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    example: str = ""


@dataclass
class NamedQuery:
    name: str
    path: Path
    title: str = ""
    purpose: str = ""
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    needs: str = ""

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_NAME = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*$")


def parse_header(name: str, path: Path) -> NamedQuery:
    """Read the leading ``# key: value`` comment block of a query file."""
    q = NamedQuery(name, path)
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"^(title|purpose|param|example|needs):\s*(.*)$", body)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key == "title":
                q.title = value
            elif key == "purpose":
                q.purpose = value
            elif key == "needs":
                q.needs = value
            elif key == "param":
                pm = _PARAM.match(value)
                if not pm:
                    raise QueryError(f"{path}: malformed param line: {value!r}")
                q.params.append(
                    Param(
                        pm["name"],
                        pm["type"].strip(),
                        pm["req"] != "optional",
                        (pm["example"] or "").strip(),
                    )
                )
            else:
                q.examples.append(value)
        elif key == "purpose" and body:
            q.purpose += " " + body
        elif key == "needs" and body:
            q.needs += " " + body
        elif key == "example" and body:
            q.examples[-1] += " " + body
        elif not body:
            key = None
    return q


def all_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Named queries by name; checks live under ``checks/`` as ``checks/NAME``."""
    base = folder or paths.QUERIES_DIR
    out = {}
    for f in sorted(base.rglob("*.rq")):
        name = f.relative_to(base).with_suffix("").as_posix()
        out[name] = parse_header(name, f)
    return out


def find(name_or_file: str) -> tuple[NamedQuery, bool]:
    """Resolve a query name or an ``.rq`` file path; the flag says it is a user file."""
    p = Path(name_or_file)
    if name_or_file.endswith(".rq") or p.suffix == ".rq":
        if not p.is_file():
            raise QueryError(f"{p}: no such query file")
        return parse_header(p.stem, p), True
    if _NAME.match(name_or_file):
        # one file read instead of the whole library: ~3 ms less on every query
        direct = paths.QUERIES_DIR / f"{name_or_file}.rq"
        if direct.is_file():
            return parse_header(name_or_file, direct), False
    library = all_queries()
    if name_or_file in library:
        return library[name_or_file], False
    close = difflib.get_close_matches(name_or_file, list(library), n=3, cutoff=0.5)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; `evidencegraph list-queries` lists them"
    )
    raise QueryError(f"unknown query {name_or_file!r}{hint}")


def readme_text(folder: Path | None = None) -> str:
    """``queries/README.md``, generated from the headers."""
    lines = [
        "# Query library",
        "",
        "Generated from the header comments of the `.rq` files by "
        "`evidencegraph list-queries --readme > queries/README.md`; do not edit by hand.",
        "",
        "Run one with `evidencegraph query NAME [--param k=v ...]`, on the embedded graph "
        "or with `--endpoint URL` on any SPARQL 1.1 endpoint. Checks under `checks/` must "
        "return no rows on the shipped data. Every query is tested to give the same rows on "
        "embedded Oxigraph, rdflib's store, an Oxigraph server and Virtuoso 7; each says what "
        "it needs (the build's derived facts, and which SPARQL features).",
        "",
    ]
    for q in all_queries(folder).values():
        lines += [f"## `{q.name}`: {q.title}", "", q.purpose, ""]
        if q.needs:
            lines += [f"Needs: {q.needs}.", ""]
        if q.params:
            lines.append("Parameters:")
            lines += [
                f"- `{p.name}` ({p.type}, {'required' if p.required else 'optional'})"
                + (f", e.g. `{p.example}`" if p.example else "")
                for p in q.params
            ]
            lines.append("")
        for ex in q.examples:
            lines += ["```bash", ex, "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
