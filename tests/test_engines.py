"""The engine switch (--store-engine) and the persistent store (--store DIR)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cli


@pytest.mark.slow
def test_rdflib_engine_validates_builds_and_traces_like_oxigraph(tmp_path: Path) -> None:
    a = run_cli("build", "--out", str(tmp_path / "ox"))
    b = run_cli("--store-engine", "rdflib", "build", "--out", str(tmp_path / "rd"))
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    for name in ("graph.nt", "graph.ttl", "report.txt"):
        assert (tmp_path / "ox" / name).read_bytes() == (tmp_path / "rd" / name).read_bytes(), name
    ta = run_cli("trace", "Commissioning an alcohol", "--format", "json")
    tb = run_cli(
        "--store-engine", "rdflib", "trace", "Commissioning an alcohol", "--format", "json"
    )
    assert ta.stdout == tb.stdout


@pytest.mark.slow
def test_persistent_store_is_reused_until_data_changes(tmp_path: Path) -> None:
    home = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    shutil.copytree(ROOT / "data", home / "data")
    shutil.copytree(ROOT / "queries", home / "queries")
    store = tmp_path / "store"
    env = {**os.environ, "EVIDENCEGRAPH_HOME": str(home)}

    def documents() -> subprocess.CompletedProcess:
        """The documents table (labels shown), on the persistent store."""
        proc = run_cli(
            "--store-engine",
            "oxigraph",
            "--store",
            str(store),
            "query",
            "documents",
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
        return proc

    first = documents()
    manifest = store / "evidencegraph-manifest.json"
    assert manifest.is_file()
    stamp = manifest.stat().st_mtime_ns
    assert documents().stdout == first.stdout
    assert manifest.stat().st_mtime_ns == stamp  # reused, not reloaded
    # A curator's edit invalidates the store: the new label shows at once.
    doc = home / "data" / "documents" / "2011-text-chat-therapy.ttl"
    doc.write_text(doc.read_text().replace('"Text chat therapy"', '"Text chat therapy (edited)"'))
    assert "Text chat therapy (edited)" in documents().stdout
    assert manifest.stat().st_mtime_ns != stamp


def test_store_needs_oxigraph(tmp_path: Path) -> None:
    proc = run_cli("--store-engine", "rdflib", "--store", str(tmp_path / "s"), "query", "documents")
    assert proc.returncode == 2
    assert "needs the oxigraph engine" in proc.stderr


@pytest.mark.server
def test_bulk_load_recipe_from_the_readme(tmp_path: Path) -> None:
    """export --format nt, `oxigraph load`, `oxigraph serve-read-only`, then query it."""
    import subprocess
    import time

    from conftest import require_tool

    exe = require_tool("oxigraph")
    from evidencegraph.serving.oxigraph import find_free_port

    nt = tmp_path / "all.nt"
    assert run_cli("export", "--format", "nt", "--out", str(nt)).returncode == 0
    store = tmp_path / "store"
    load = subprocess.run(
        [exe, "load", "--location", str(store), "--file", str(nt)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert load.returncode == 0, load.stderr
    port = find_free_port()
    srv = subprocess.Popen(
        [exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        remote = None
        while time.monotonic() < deadline:
            remote = run_cli("query", "cited-by-nice", "--format", "csv", "--endpoint", url)
            if remote.returncode == 0:
                break
            time.sleep(0.3)
        local = run_cli("query", "cited-by-nice", "--format", "csv")
        assert remote is not None and remote.returncode == 0, remote.stderr if remote else ""
        assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    finally:
        srv.terminate()
        srv.wait(timeout=30)
