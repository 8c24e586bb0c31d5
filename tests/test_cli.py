"""The real CLI: help for every subcommand, exit codes, atomic and stable outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

pytestmark = pytest.mark.core

BAD_TTL = """@prefix eg: <https://w3id.org/evidencegraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/evidencegraph/id/doc/2010-bad> a eg:Study .
"""


def _subcommands() -> list[str]:
    from evidencegraph.cli import main

    return sorted(main.commands)


@pytest.mark.parametrize("name", _subcommands())
def test_every_subcommand_has_help(name: str) -> None:
    proc = run_cli(name, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout
    from evidencegraph.cli import main

    assert main.commands[name].help, f"subcommand {name} has no help text"


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    from evidencegraph import __version__

    assert __version__ in proc.stdout


def test_validate_shipped_data_conforms() -> None:
    proc = run_cli("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms" in proc.stdout + proc.stderr


def test_validate_violation_exits_1_with_one_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL)
    proc = run_cli("validate", str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("Violation")]
    assert lines, proc.stdout
    assert all(ln.count("\n") == 0 for ln in lines)
    assert "Traceback" not in proc.stderr


def test_validate_json_and_turtle_formats(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL)
    proc = run_cli("validate", "--format", "json", str(bad))
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["conforms"] is False
    assert any(r["focus"].endswith("doc/2010-bad") for r in report["results"])
    proc = run_cli("validate", "--format", "turtle", str(bad))
    assert proc.returncode == 1
    assert "sh:ValidationReport" in proc.stdout


def test_validate_parse_error_exits_2_naming_file_line_col(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b "unterminated .\n')
    proc = run_cli("validate", str(bad))
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert err.startswith("error: ") and f"{bad}:2:" in err, err
    assert "Traceback" not in proc.stderr
    assert len(err.splitlines()) == 1


def test_missing_path_exits_2(tmp_path: Path) -> None:
    proc = run_cli("validate", str(tmp_path / "nope.ttl"))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def test_build_writes_outputs_and_summary(built: Path) -> None:
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "report.txt"):
        assert (built / name).stat().st_size > 0, name
    report = (built / "report.txt").read_text()
    assert "validation: conforms" in report
    assert "eg:restsOn" in report
    json.loads((built / "graph.jsonld").read_text())


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    proc = run_cli("build", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "report.txt"):
        assert (built / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_build_output_has_no_blank_nodes(built: Path) -> None:
    assert "_:" not in (built / "graph.nt").read_text()


def test_build_of_invalid_data_writes_nothing(tmp_path: Path) -> None:
    """Invalid data: exit 1, violations listed, and the old outputs stay untouched."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous build\n")
    proc = run_cli("build", "--out", str(out), str(ROOT / "data"), str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "nothing written" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]
    assert (out / "graph.ttl").read_text() == "previous build\n"


def test_build_reports_unwritable_output_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli("build", "--out", str(blocker / "sub"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: ")


def test_stats_counts_classes_and_relations() -> None:
    proc = run_cli("stats")
    assert proc.returncode == 0, proc.stderr
    assert "eg:Guidance" in proc.stdout and "cito:citesAsEvidence" in proc.stdout


def test_outputs_are_the_same_graph(built: Path) -> None:
    """graph.ttl, graph.nt and graph.jsonld hold the same triples.

    Compared as graphs after parsing each with the tool's own (Oxigraph) parser,
    which reads ``10.0`` and ``"10"^^xsd:decimal`` as the same value.
    """
    from evidencegraph import engine

    sets = []
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        g = engine.new_graph()
        engine.parse_file(g, built / name)
        sets.append(set(engine.sorted_ntriples(g)))
    assert len(sets[0]) > 1000
    assert sets[0] == sets[1], sorted(sets[0] ^ sets[1])[:5]
    assert sets[0] == sets[2], sorted(sets[0] ^ sets[2])[:5]


def test_shapes_with_rules_are_refused(tmp_path: Path) -> None:
    """No sh:rule runs during validation: pySHACL would change the data in place."""
    from evidencegraph.errors import LoadError
    from evidencegraph.loading import load
    from evidencegraph.shacl import load_shapes, validate

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        (ROOT / "ontology" / "shapes.ttl").read_text()
        + "\n<urn:s> <http://www.w3.org/ns/shacl#rule> <urn:r> .\n"
    )
    with pytest.raises(LoadError, match="sh:rule"):
        validate(load(), shapes=load_shapes(shapes), validator="pyshacl")


def test_validate_fast_gives_the_same_lines_as_pyshacl(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL)
    a = run_cli("validate", "--validator", "pyshacl", str(bad))
    b = run_cli("validate", "--validator", "fast", str(bad))
    assert a.returncode == b.returncode == 1
    assert a.stdout == b.stdout
