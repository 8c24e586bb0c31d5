"""Golden outputs: the E4 build and what trace, the named queries, validate and stats
print, compared with tests/golden/outputs/ (byte for byte; the graph also as a graph).

Every case runs the CLI's click command in this process (fast); the build and a
case of each command run the installed console script in a process of its own,
to hold the two to the same bytes.

They hold behaviour still while the code moves. When a change of output is intended,
regenerate them with ``python tests/golden/regenerate.py`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from golden_cases import CASES, GUIDANCE, REVERSE, run

pytestmark = pytest.mark.core

GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs"
FIX = "run `python tests/golden/regenerate.py` if the change is intended, and read the diff"


def test_every_case_has_a_golden_file() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES), FIX


def test_the_built_graph_is_the_golden_graph() -> None:
    got = run(CASES["graph.nt"])
    want = (GOLDEN / "graph.nt").read_bytes()
    a = Graph().parse(data=got.decode("utf-8"), format="nt")
    b = Graph().parse(data=want.decode("utf-8"), format="nt")
    if not isomorphic(a, b):
        _both, only_got, only_want = graph_diff(a, b)
        sample = sorted(str(t) for t in only_got)[:3] + sorted(str(t) for t in only_want)[:3]
        pytest.fail(f"the built graph differs from the golden one ({FIX}): {sample}")
    assert got == want, f"same graph, but the N-Triples are not byte-identical ({FIX})"


@pytest.mark.parametrize("name", sorted(n for n in CASES if n != "graph.nt"))
def test_output_is_the_golden_output(name: str) -> None:
    """Every case, with the CLI's click command run in this process."""
    got = run(CASES[name], in_process=True)
    want = (GOLDEN / name).read_bytes()
    assert got == want, f"{name} differs from tests/golden/outputs/{name} ({FIX})"


# One case of each command and output format through the installed console script,
# in a process of its own (the built graph above is one too): what a user runs
# prints the same bytes as the command run in process.
CONSOLE = [
    f"trace-{GUIDANCE[0]}.text",
    f"reverse-{REVERSE[0]}.json",
    "query-trials-behind.md",
    "query-evidence-set.json",
    "validate.json",
    "stats.txt",
]


@pytest.mark.parametrize("name", CONSOLE)
def test_the_console_script_prints_the_golden_output(name: str) -> None:
    got = run(CASES[name])
    want = (GOLDEN / name).read_bytes()
    assert got == want, f"{name} from the console script differs from the golden file ({FIX})"
