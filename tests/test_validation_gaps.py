"""Validation gaps (issue 11, item 14): a shared label and a misspelt eg: term fail
``validate`` directly, in a line that names the problem."""

from __future__ import annotations

from pathlib import Path

from conftest import project_copy, run_cli


def test_two_documents_sharing_a_label_fail_validate(tmp_path: Path) -> None:
    """They passed before, and then the label check query and trace failed."""
    home, env = project_copy(tmp_path)
    docs = home / "data" / "documents"
    (docs / "2011-text-chat-therapy.ttl").write_text(
        (docs / "2011-text-chat-therapy.ttl")
        .read_text()
        .replace('rdfs:label "Text chat therapy"', 'rdfs:label "Case management"')
    )
    proc = run_cli("validate", env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if "is also the label of" in ln]
    assert len(lines) == 2, proc.stdout
    assert all(ln.startswith("Violation: Case management: ") for ln in lines)
    assert any("1998-samhsa-case-management" in ln for ln in lines)
    assert any("2011-text-chat-therapy" in ln for ln in lines)


def test_misspelt_class_is_named(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    f = next(p for p in sorted((home / "data").rglob("*.ttl")) if " a eg:Guidance" in p.read_text())
    f.write_text(f.read_text().replace(" a eg:Guidance", " a eg:Guidence", 1))
    proc = run_cli("validate", env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert any(
        "eg:Guidence is not a term of the ontology" in ln for ln in proc.stdout.splitlines()
    ), proc.stdout


def test_misspelt_property_is_named(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    f = next(p for p in sorted((home / "data").rglob("*.ttl")) if "eg:restsOn" in p.read_text())
    f.write_text(f.read_text().replace("eg:restsOn", "eg:restOn", 1))
    proc = run_cli("validate", env=env)
    assert proc.returncode == 1
    assert "eg:restOn is not a term of the ontology" in proc.stdout
