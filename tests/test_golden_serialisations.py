"""The build's Turtle and JSON-LD hold the golden graph too, compared as graphs.

``tests/test_golden.py`` holds ``graph.nt`` byte for byte; here the other two
serialisations of the same build are parsed by rdflib (not by the Oxigraph
parsers the tool writes them with) and compared with it by ``rdflib.compare``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from conftest import run_cli

GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs" / "graph.nt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden-build")
    proc = run_cli("build", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name,fmt", [("graph.ttl", "turtle"), ("graph.jsonld", "json-ld")])
def test_serialisation_is_the_golden_graph(built: Path, name: str, fmt: str) -> None:
    got = Graph().parse(built / name, format=fmt)
    want = Graph().parse(GOLDEN, format="nt")
    assert len(got) == len(want) > 3000
    if not isomorphic(got, want):
        _both, extra, missing = graph_diff(got, want)
        pytest.fail(
            f"{name} is not the golden graph: {len(extra)} extra, {len(missing)} missing, "
            f"e.g. {sorted(map(str, extra))[:2]} / {sorted(map(str, missing))[:2]}"
        )
