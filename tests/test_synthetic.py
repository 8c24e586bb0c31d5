"""The benchmarks' synthetic graphs (benchmarks/generate.py): what is timed at scale
must be a valid graph shaped like E4, results included, or the timings mean little."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from iris import EG

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RESULT = f"<{EG}Result>"
HAS_FINDING = f"<{EG}hasFinding>"
KEY_FINDING = f"<{EG}keyFinding>"


@pytest.fixture(scope="module")
def generate():
    name = "evidencegraph_benchmarks_generate"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small(generate, tmp_path_factory) -> Path:
    return generate.ensure(1000, seed=5, out_dir=tmp_path_factory.mktemp("gen"), quiet=True)


def _triples(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        s, p, o = line.rstrip(" .").split(" ", 2)
        out.append((s, p, o))
    return out


def test_same_seed_same_bytes(generate, small, tmp_path) -> None:
    again = generate.ensure(1000, seed=5, out_dir=tmp_path, quiet=True)
    assert again.read_bytes() == small.read_bytes()


def test_results_key_findings_and_limitations_are_generated(small) -> None:
    """E4 has 47 results, 22 key findings and 7 limitations for 58 documents; a
    synthetic cell has them too, each key finding one of its own document's."""
    triples = _triples(small)
    results = {s for s, p, o in triples if p == TYPE and o == RESULT}
    assert len(results) >= 10
    found = {(s, o) for s, p, o in triples if p == HAS_FINDING}
    assert results <= {o for _s, o in found}
    keys = [(s, o) for s, p, o in triples if p == KEY_FINDING]
    assert keys and all(k in found for k in keys)
    assert len({s for s, _o in keys}) == len(keys)  # at most one per document
    assert any(p == f"<{EG}hasLimitation>" for _s, p, _o in triples)


def test_the_built_graph_conforms_and_answers_results(small, tmp_path) -> None:
    """The graph builds (data and derived shapes, pySHACL below 5,000 triples), and
    `results` lists every result a document reports."""
    out = tmp_path / "built"
    proc = run_cli("build", str(small), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    reported = {(s, o) for s, p, o in _triples(small) if p == HAS_FINDING}
    results = {s for s, p, o in _triples(small) if p == TYPE and o == RESULT}
    want = {(s.strip("<>"), o.strip("<>")) for s, o in reported if o in results}
    assert len(want) >= 10
    q = run_cli(
        "query",
        "results",
        "--graph-file",
        str(out / "graph.nt"),
        "--format",
        "csv",
        "--max-rows",
        "0",
    )
    assert q.returncode == 0, q.stderr
    rows = list(csv.DictReader(io.StringIO(q.stdout)))
    got = {(r["document"], r["result"]) for r in rows}
    assert got == want
