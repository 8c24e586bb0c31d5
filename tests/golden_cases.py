"""The golden cases: CLI runs on E4 whose exact output is kept in tests/golden/outputs/.

Each case is a file name and the command's arguments; ``build`` writes the built
graph, whose N-Triples are the output. Shared by tests/test_golden.py and
tests/golden/regenerate.py.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from conftest import cli_command, run_cli_in_process

ROOT = Path(__file__).resolve().parent.parent
DOC = "doc:"
GUIDANCE = [
    "2011-nice-commissioning-alcohol-treatment-system",
    "2011-nice-alcohol-clinical-guidelines",
    "2006-setting-up-a-local-treatment-system",
    "2008-organising-integrated-and-holistic-care",
    "1998-samhsa-case-management",
    "nd-nice-alcohol-clinical-guidelines-full-version",
]
REVERSE = [
    "2007-us-veterans-affairs-active-linkage-to-mutual-aid",
    "2012-uk-active-referral-to-mutual-aid",
    "nd-us-study-of-funder-constraints-on-services",
]
QUERIES = [
    "documents",
    "cited-by-nice",
    "guidance-evidence",
    "evidence-set",
    "evidence-profile",
    "post-dated-evidence",
    "results",
    "limitations",
    "findings",
    "tempers",
    "claims",
    "provenance",
    "curation-gaps",
    "unsupported-recommendations",
    "similar-studies",
    "cells",
]

CASES: dict[str, list[str]] = {"graph.nt": ["build"]}
for g in GUIDANCE:
    for fmt in ("text", "md", "json", "dot"):
        CASES[f"trace-{g}.{fmt}"] = ["trace", DOC + g, "--format", fmt]
for d in REVERSE:
    for fmt in ("text", "json"):
        CASES[f"reverse-{d}.{fmt}"] = ["trace", "--reverse", DOC + d, "--format", fmt]
for q in QUERIES:
    CASES[f"query-{q}.json"] = ["query", q, "--format", "json"]
    CASES[f"query-{q}.md"] = ["query", q, "--format", "md"]
CASES["query-trials-behind.md"] = [
    "query",
    "trials-behind",
    "--param",
    "guidance=Commissioning an alcohol",
    "--format",
    "md",
]
CASES["validate.json"] = ["validate", "--format", "json"]
CASES["stats.txt"] = ["stats"]


def run(args: list[str], *, in_process: bool = False) -> bytes:
    """The case's output: stdout, or for ``build`` the built graph.nt.

    By default the console script in a process of its own, as a user runs it.
    ``in_process`` runs the same click command in this process (no interpreter to
    start: about 30 ms a case instead of 200); test_golden.py holds the two to the
    same bytes on a case of every command and format.
    """
    if args[0] == "build":
        with tempfile.TemporaryDirectory() as tmp:
            _output([*args, "--out", tmp], in_process)
            return (Path(tmp) / "graph.nt").read_bytes()
    return _output(args, in_process)


def _output(args: list[str], in_process: bool) -> bytes:
    if in_process:
        proc = run_cli_in_process(*args)
    else:
        proc = subprocess.run([*cli_command(), *args], cwd=ROOT, capture_output=True, timeout=300)
    assert proc.returncode == 0, (args, proc.stderr.decode())
    return proc.stdout
