"""The engine switch (--store-engine) and the persistent store (--store DIR)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_cli


def test_rdflib_engine_validates_builds_and_traces_like_oxigraph(tmp_path: Path) -> None:
    a = run_cli("build", "--out", str(tmp_path / "ox"))
    b = run_cli("--store-engine", "rdflib", "build", "--out", str(tmp_path / "rd"))
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    for name in ("graph.nt", "graph.ttl", "report.txt"):
        assert (tmp_path / "ox" / name).read_bytes() == (tmp_path / "rd" / name).read_bytes(), name
    ta = run_cli("trace", "Commissioning an alcohol", "--format", "json")
    tb = run_cli("--store-engine", "rdflib", "trace", "Commissioning an alcohol", "--format", "json")
    assert ta.stdout == tb.stdout


def test_persistent_store_is_reused_until_data_changes(tmp_path: Path) -> None:
    home = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "queries", home / "queries")
    store = tmp_path / "store"
    env = {"EVIDENCEGRAPH_HOME": str(home)}
    import os

    env = {**os.environ, **env}
    first = run_cli("--store", str(store), "query", "documents", "--format", "csv", env=env)
    assert first.returncode == 0, first.stderr
    manifest = store / "evidencegraph-manifest.json"
    assert manifest.is_file()
    stamp = manifest.stat().st_mtime_ns
    again = run_cli("--store", str(store), "query", "documents", "--format", "csv", env=env)
    assert again.stdout == first.stdout
    assert manifest.stat().st_mtime_ns == stamp  # reused, not reloaded
    # A curator's edit invalidates the store: the new label shows at once.
    doc = home / "data" / "documents" / "2011-text-chat-therapy.ttl"
    doc.write_text(doc.read_text().replace('"Text chat therapy"', '"Text chat therapy (edited)"'))
    edited = run_cli("--store", str(store), "query", "documents", "--format", "csv", env=env)
    assert edited.returncode == 0, edited.stderr
    assert "Text chat therapy (edited)" in run_cli(
        "--store", str(store), "query", "documents", env=env).stdout


def test_store_needs_oxigraph(tmp_path: Path) -> None:
    proc = run_cli("--store-engine", "rdflib", "--store", str(tmp_path / "s"), "query", "documents")
    assert proc.returncode == 2
    assert "needs the oxigraph engine" in proc.stderr
