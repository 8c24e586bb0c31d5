"""Running one query: resolve it, check it, bind its parameters, run it.

Parameters are bound as terms (``VALUES``, or engine substitutions), never
pasted into the query text, and the engine runs the text the checker read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib.query import Result
from rdflib.term import Identifier

from evidencegraph import safety
from evidencegraph.errors import QueryError
from evidencegraph.querying import library, params
from evidencegraph.querying.source import Source, open_source
from evidencegraph.resources import internal_query


@dataclass
class QueryOutcome:
    """One query's answer, the terms its parameters were bound to, and where it ran."""

    query: library.NamedQuery
    result: Result
    bindings: dict[str, Identifier]
    source: Source | None = None

    @property
    def truncated(self) -> bool:
        """Whether ``max_rows`` cut the answer."""
        return bool(getattr(self.result, "truncated", False))

    def render(self, fmt: str = "text") -> str:
        """The answer as ``text`` (a table with labels), ``csv``, ``tsv``, ``json`` or ``md``."""
        from evidencegraph.querying.render import render

        source = self.source
        labels = (lambda iris: labels_for(source, iris)) if source is not None else None
        return render(self.result, fmt, labels=labels)


def run_query(
    name_or_file: str,
    param_values: Mapping[str, str] | None = None,
    *,
    source: Source | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
) -> QueryOutcome:
    """Resolve, check, bind and run one query; return its rdflib result.

    Library queries and a user's file alike are checked before anything runs
    (the lexer's checks, milliseconds); a user's file also gets rdflib's
    grammar check, for syntax errors with line and column.
    """
    nq, user_file = library.find(name_or_file)
    text = nq.text
    src = source or open_source(allow_service=allow_service)
    if allow_service and not src.allow_service:
        src = dataclasses.replace(src, allow_service=True)
    checked = src.check(text, grammar=user_file)
    _check_params_projected(nq, checked)
    bindings = params.resolve(nq, param_values or {}, src.run, internal_query)
    return QueryOutcome(nq, src.run(checked.text, bindings, max_rows=max_rows), bindings, src)


def _check_params_projected(nq: library.NamedQuery, checked: safety.CheckedQuery) -> None:
    """Parameters bind projected, top-level variables (oxrdflib needs them projected)."""
    if checked.form != "SELECT" or not checked.variables:
        return
    missing = [p.name for p in nq.params if p.name not in checked.variables]
    if missing:
        raise QueryError(
            f"query {nq.name!r}: parameter(s) {', '.join(missing)} must be projected in SELECT"
        )


def labels_for(source: Source, iris: list[Any]) -> dict[str, str]:
    """rdfs:label of each IRI, so tables show names rather than bare IRIs."""
    if not iris:
        return {}
    text = internal_query("labels")
    block = "\nVALUES ?node { " + " ".join(params.iri(str(i)).n3() for i in iris) + " }\n"
    return {str(r[0]): str(r[1]) for r in source.run(text + block)}
