"""The public API: typed, and what the command line prints is what it returns.

The CLI calls nothing else (an import-linter contract holds it to that), so
each command's output here is compared with the API call it makes.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

import evidencegraph as eg
from conftest import run_cli

CLINICAL = "https://w3id.org/evidencegraph/id/doc/2011-nice-alcohol-clinical-guidelines"


@pytest.mark.parametrize("name", [n for n in eg.__all__ if callable(getattr(eg, n))])
def test_every_public_function_is_typed(name: str) -> None:
    fn = getattr(eg, name)
    if inspect.isclass(fn):  # the typed errors
        assert issubclass(fn, eg.EvidenceGraphError)
        return
    sig = inspect.signature(fn)
    hints = fn.__annotations__  # strings: the types are imported only for type checkers
    assert hints.get("return"), f"eg.{name} has no return type"
    assert "Any" not in hints["return"], f"eg.{name} returns Any"
    for p in sig.parameters.values():
        assert p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD), f"eg.{name} takes *{p.name}"
        assert p.name in hints, f"eg.{name}({p.name}) has no type"
    assert fn.__doc__, f"eg.{name} has no docstring"


def test_errors_are_one_family_with_exit_codes() -> None:
    for name in eg.__all__:
        obj = getattr(eg, name)
        if inspect.isclass(obj):
            assert issubclass(obj, eg.EvidenceGraphError)
            assert obj.exit_code in (1, 2)
    assert eg.ValidationFailed.exit_code == 1


def test_query_renders_what_the_cli_prints() -> None:
    answer = eg.query("trials-behind", ["guidance=Commissioning an alcohol"])
    assert answer.bindings["guidance"].endswith("2011-nice-commissioning-alcohol-treatment-system")
    proc = run_cli(
        "query", "trials-behind", "-p", "guidance=Commissioning an alcohol", "--format", "csv"
    )
    assert proc.returncode == 0, proc.stderr
    # CSV ends its lines with CRLF; the subprocess pipe reads them as LF
    assert proc.stdout.rstrip("\n") == answer.render("csv").replace("\r\n", "\n")
    assert answer.render("csv").count("\n") >= 3  # at least three trials behind it
    assert not answer.truncated


def test_trace_renders_what_the_cli_prints() -> None:
    tree = eg.trace(CLINICAL)
    proc = run_cli("trace", CLINICAL, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(eg.render_trace(tree, "json"))
    with pytest.raises(eg.ParameterError, match="unknown trace format"):
        eg.render_trace(tree, "svg")


def test_validate_and_stats_agree_with_the_cli(tmp_path: Path) -> None:
    report = eg.validate()
    assert report.conforms and not report.results
    counts = eg.stats()
    assert counts.inferred.triples > counts.asserted.triples
    proc = run_cli("stats")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == counts.lines()
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix eg: <https://w3id.org/evidencegraph/ontology#> .\n"
        "<https://w3id.org/evidencegraph/id/doc/2010-bad> a eg:Study .\n"
    )
    report = eg.validate(sources=[bad])
    assert not report.conforms
    assert json.loads(report.to_json())["conforms"] is False


def test_build_failure_carries_the_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix eg: <https://w3id.org/evidencegraph/ontology#> .\n"
        "<https://w3id.org/evidencegraph/id/doc/2010-bad> a eg:Study .\n"
    )
    with pytest.raises(eg.ValidationFailed) as err:
        eg.build(tmp_path / "out", [bad])
    assert err.value.result is not None and err.value.result.violations
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_push_refuses_a_bad_url_before_any_work() -> None:
    with pytest.raises(eg.EndpointError, match="http:// or https://"):
        eg.push("ftp://example.org/store")
