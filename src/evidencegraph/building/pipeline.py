"""The build: load, validate, infer, then write the outputs (nothing if invalid)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evidencegraph import engine, inference, loading, writing
from evidencegraph.building import stats
from evidencegraph.errors import ValidationFailed
from evidencegraph.shacl import ValidationResult, validate

OUTPUTS = ("graph.ttl", "graph.nt", "graph.jsonld", "report.txt")


@dataclass
class BuildResult:
    out_dir: Path
    validation: ValidationResult
    asserted: stats.Stats
    inferred: stats.Stats
    rule_runs: list[inference.RuleRun]
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary_lines(self, *, with_dir: bool = True) -> list[str]:
        counts = stats.Counts(self.asserted, self.inferred)
        lines = [f"validation: {self.validation.summary()}"]
        lines.append(
            f"graph: {self.asserted.triples} asserted triples, "
            f"{self.inferred.triples - self.asserted.triples} inferred "
            f"({', '.join(f'{r.name} +{r.added}' for r in self.rule_runs)})"
        )
        lines += counts.table_lines()
        where = f" in {self.out_dir}/" if with_dir else ""
        lines.append(f"outputs{where}: {', '.join(p.name for p in self.outputs)}")
        return lines


def build(
    out_dir: Path | str = "build",
    sources: Iterable[Path | str] | None = None,
    *,
    engine_name: str | None = None,
    validator: str = "auto",
) -> BuildResult:
    """Validate the data, apply the rules and write canonical outputs.

    Raises :class:`ValidationFailed` (carrying the result) before writing
    anything when the data do not conform.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    # finish (or clear away) what a killed earlier build left, even if this one fails
    writing.clean_stale(out, OUTPUTS)
    files = loading.expand_sources(sources)
    graph = loading.load(sources, engine_name=engine_name, reuse=False)
    result = validate(graph, validator=validator)
    if not result.conforms:
        raise ValidationFailed(
            f"the graph does not conform ({result.summary()}); nothing written", result
        )
    asserted = stats.compute(graph)
    runs = inference.infer(graph)
    if sources is None:
        loading.mark_cached(graph, files)
    inferred = stats.compute(graph)
    res = BuildResult(out, result, asserted, inferred, runs)
    texts = {
        "graph.ttl": engine.to_turtle(graph),
        "graph.nt": engine.to_ntriples(graph),
        "graph.jsonld": engine.to_jsonld(graph),
    }
    res.outputs = [out / name for name in OUTPUTS]
    texts["report.txt"] = "\n".join(res.summary_lines(with_dir=False)) + "\n"
    writing.write_set(out, {name: texts[name] for name in OUTPUTS})
    res.seconds = time.perf_counter() - started
    return res
