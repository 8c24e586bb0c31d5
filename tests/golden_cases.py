"""The golden cases: CLI runs on E4 whose exact output is kept in tests/golden/outputs/.

Each case is a file name and the command's arguments; ``build`` writes the built
graph, whose N-Triples are the output. Shared by tests/test_golden.py and
tests/golden/regenerate.py.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

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


def _cli() -> list[str]:
    import shutil

    exe = shutil.which("evidencegraph")
    return [exe] if exe else [sys.executable, "-m", "evidencegraph"]


def run(args: list[str]) -> bytes:
    """The case's output: stdout, or for ``build`` the built graph.nt."""
    if args[0] == "build":
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [*_cli(), "build", "--out", tmp], cwd=ROOT, capture_output=True, timeout=300
            )
            assert proc.returncode == 0, proc.stderr.decode()
            return (Path(tmp) / "graph.nt").read_bytes()
    proc = subprocess.run([*_cli(), *args], cwd=ROOT, capture_output=True, timeout=300)
    assert proc.returncode == 0, (args, proc.stderr.decode())
    return proc.stdout
