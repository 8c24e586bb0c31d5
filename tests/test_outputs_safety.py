"""What the tool writes and deletes (issue 11, items 4-7 and 12): never someone
else's files, outputs as one set, modes as the user's umask says, and strings
escaped for the terminal, spreadsheets and XML.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, cli_command, project_copy, require_tool, run_cli, skip_unless_ci

DOC = "2011-text-chat-therapy.ttl"
LABEL = 'rdfs:label "Text chat therapy"'


def _relabel(home: Path, label: str) -> None:
    f = home / "data" / "documents" / DOC
    escaped = json.dumps(label, ensure_ascii=True)  # a valid Turtle string too
    f.write_text(f.read_text().replace(LABEL, f"rdfs:label {escaped}"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# ---------------------------------------------------------------- item 4: --store


def test_store_refuses_a_foreign_oxigraph_store_and_keeps_it(tmp_path: Path) -> None:
    import pyoxigraph as ox

    theirs = tmp_path / "their-store"
    store = ox.Store(str(theirs))
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("keep")))
    store.flush()
    del store
    proc = run_cli("--store", str(theirs), "query", "documents")
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and "not a store made by evidencegraph" in err
    assert len(ox.Store(str(theirs))) == 1, "the foreign store was changed"


def test_store_refuses_an_ordinary_folder_and_adds_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n")
    proc = run_cli("--store", str(folder), "query", "documents")
    assert proc.returncode == 2
    assert "not a store made by evidencegraph" in proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_store_in_an_empty_folder_is_marked_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    first = run_cli("--store", str(folder), "query", "documents")
    assert first.returncode == 0, first.stderr
    assert (folder / "evidencegraph-store.json").is_file()
    again = run_cli("--store", str(folder), "query", "documents")
    assert again.returncode == 0 and again.stdout == first.stdout


def test_store_made_before_the_marker_existed_is_adopted(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    assert run_cli("--store", str(folder), "query", "documents").returncode == 0
    (folder / "evidencegraph-store.json").unlink()  # as a store of the previous version
    proc = run_cli("--store", str(folder), "query", "documents")
    assert proc.returncode == 0, proc.stderr
    assert (folder / "evidencegraph-store.json").is_file()


# ---------------------------------------------------------------- item 7: rules, fmt


def test_store_is_rebuilt_when_a_rule_changes(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    store = tmp_path / "store"
    q = tmp_path / "flag.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d <http://example.org/flag> ?x }\n")

    def count() -> str:
        proc = run_cli("--store", str(store), "query", str(q), "--format", "csv", env=env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.splitlines()[1]

    assert count() == "0"
    (home / "ontology" / "rules" / "99-flag.rq").write_text(
        "PREFIX eg: <https://w3id.org/evidencegraph/ontology#>\n"
        'CONSTRUCT { ?d <http://example.org/flag> "1" } WHERE { ?d a eg:Guidance }\n'
    )
    assert int(count()) > 0, "inference is stale: the store was reused after a rule changed"


def test_fmt_keeps_the_mode_and_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real" / "doc.ttl"
    real.parent.mkdir()
    real.write_text((ROOT / "data" / "documents" / DOC).read_text() + "\n\n# not canonical\n")
    real.chmod(0o664)
    link = tmp_path / "doc.ttl"
    link.symlink_to(real)
    proc = run_cli("format", str(link))
    assert proc.returncode == 0, proc.stderr
    assert "reformatted" in proc.stdout
    assert link.is_symlink() and link.resolve() == real
    assert stat.S_IMODE(real.stat().st_mode) == 0o664
    assert "# not canonical" not in real.read_text()
    assert run_cli("format", "--check", str(real)).returncode == 0


# ---------------------------------------------------------------- item 5: viz figures


@pytest.mark.slow
def test_viz_deletes_only_figures_it_wrote(tmp_path: Path) -> None:
    require_tool("dot")
    out = tmp_path / "viz"
    figures = out / "figures"
    figures.mkdir(parents=True)
    (figures / "my-diagram.png").write_bytes(b"mine")
    (figures / "my-diagram.svg").write_text("<svg/>")
    full = run_cli("viz", "--out", str(out))
    assert full.returncode == 0, full.stderr
    drawn = {p.name for p in figures.iterdir()} - {"my-diagram.png", "my-diagram.svg"}
    assert len(drawn) >= 4
    focus = run_cli("viz", "--out", str(out), "--focus", "Commissioning an alcohol")
    assert focus.returncode == 0, focus.stderr
    now = {p.name for p in figures.iterdir()}
    assert {"my-diagram.png", "my-diagram.svg"} <= now, "viz deleted the user's figures"
    assert (figures / "my-diagram.png").read_bytes() == b"mine"
    kept = now - {"my-diagram.png", "my-diagram.svg"}
    assert kept and kept < drawn, "figures viz itself wrote for other guidance should go"


# ---------------------------------------------------------------- item 6: one set


def _build(out: Path, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return run_cli("build", "--out", str(out), env=env, **kw)


@pytest.mark.slow
def test_out_of_space_leaves_the_old_set(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    out = tmp_path / "out"
    assert _build(out, env).returncode == 0
    before = _snapshot(out)
    _relabel(home, "Text chat therapy, relabelled")
    size = max(len(b) for b in before.values())

    def small_disk() -> None:  # files past this size cannot be written: a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    proc = _build(out, env, preexec_fn=small_disk)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert _snapshot(out) == before, "a failed build changed the outputs"
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_failed_rename_part_way_puts_the_old_set_back(tmp_path: Path) -> None:
    chattr = require_tool("chattr")
    home, env = project_copy(tmp_path)
    out = tmp_path / "out"
    assert _build(out, env).returncode == 0
    before = _snapshot(out)
    _relabel(home, "Text chat therapy, relabelled")
    locked = out / "graph.jsonld"  # the third file renamed: two are in before it fails
    if subprocess.run([chattr, "+i", str(locked)], capture_output=True).returncode != 0:
        skip_unless_ci(f"{tmp_path}'s file system has no immutable flag (chattr +i)")
    try:
        proc = _build(out, env)
    finally:
        subprocess.run([chattr, "-i", str(locked)], check=True)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert _snapshot(out) == before, "the outputs are a mix of old and new"


@pytest.mark.slow
def test_build_killed_after_the_first_rename_is_completed_by_the_next_run(tmp_path: Path) -> None:
    strace = require_tool("strace")
    home, env = project_copy(tmp_path)
    out = tmp_path / "out"
    assert _build(out, env).returncode == 0
    old = _snapshot(out)
    _relabel(home, "Text chat therapy, relabelled")
    intended = tmp_path / "intended"
    assert _build(intended, env).returncode == 0
    new = _snapshot(intended)
    # SIGKILL on the second rename() of the run: the first output is in, the rest not
    killed = subprocess.run(
        [strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename,renameat,renameat2",
         "-e", "inject=rename,renameat,renameat2:signal=KILL:when=2",
         *cli_command(), "build", "--out", str(out)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert killed.returncode != 0
    mid = _snapshot(out)
    assert mid["graph.ttl"] == new["graph.ttl"] and mid["graph.nt"] == old["graph.nt"], (
        "the kill should land after the first rename"
    )
    # The next run in that folder completes the set, even one that writes nothing itself.
    (home / "data" / "broken.ttl").write_text("this is not turtle\n")
    assert _build(out, env).returncode == 2
    assert {k: v for k, v in _snapshot(out).items() if not k.startswith(".")} == new
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_stale_temporary_files_are_cleaned_and_others_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".graph.ttl.k2j3h4_x.tmp", out / ".graph.nt.99999999.0123abcd.tmp"]
    for p in stale:
        p.write_text("left by a killed run")
    keep = [out / ".notes.tmp", out / ".graph.ttl.backup", out / "graph.ttl.mine.tmp"]
    for p in keep:
        p.write_text("mine")
    assert _build(out).returncode == 0
    assert [p for p in stale if p.exists()] == []
    assert all(p.read_text() == "mine" for p in keep)


# ---------------------------------------------------------------- item 12: modes, escaping


@pytest.mark.slow
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_outputs_respect_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "out"
    proc = _build(out, preexec_fn=lambda: os.umask(umask))
    assert proc.returncode == 0, proc.stderr
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == mode, p.name
    exp = tmp_path / "g.graphml"
    proc = run_cli(
        "export", "--format", "graphml", "--out", str(exp), preexec_fn=lambda: os.umask(umask)
    )
    assert proc.returncode == 0 and stat.S_IMODE(exp.stat().st_mode) == mode


HOSTILE = "Evil\x1b]8;;http://attacker.example/\x07link\x1b]8;;\x07\x1b[2J\rOVER\x9b31m\u202edone"
FORMULA = '=HYPERLINK("http://attacker.example/","click")'
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    home, env = project_copy(tmp_path_factory.mktemp("hostile"))
    _relabel(home, HOSTILE)
    f = home / "data" / "documents" / "1998-samhsa-case-management.ttl"
    f.write_text(f.read_text().replace('"Case management"', json.dumps(FORMULA), 1))
    (home / "labels.rq").write_text(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?d rdfs:label ?label } ORDER BY ?label\n"
    )
    return home, env


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "tsv", "json"])
def test_no_control_characters_reach_the_terminal(hostile, fmt: str) -> None:
    home, env = hostile
    proc = run_cli("query", str(home / "labels.rq"), "--format", fmt, env=env)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.replace("\r\n", "\n") if fmt == "csv" else proc.stdout
    assert not RAW.search(text), repr(RAW.search(text))
    if fmt == "json":  # the data itself is intact
        values = {
            b["label"]["value"]
            for b in json.loads(proc.stdout)["results"]["bindings"]
            if "label" in b
        }
        assert HOSTILE in values
    else:
        assert "\\u001b" in proc.stdout


def test_trace_and_validate_output_is_escaped(hostile, tmp_path: Path) -> None:
    """trace heads its output with the label; validate names the focus node by its label
    (a second node given the same label makes the violation that shows it)."""
    home, env = hostile
    trace = run_cli("trace", "--reverse", "doc:2011-text-chat-therapy", env=env)
    assert trace.returncode == 0, trace.stderr
    twin = tmp_path / "twin.ttl"
    twin.write_text(
        "<https://w3id.org/evidencegraph/id/doc/2011-hostile-twin> a "
        "<https://w3id.org/evidencegraph/ontology#Study> ; "
        f"<http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(HOSTILE)} .\n"
    )
    validate = run_cli("validate", str(home / "data"), str(twin), env=env)
    assert validate.returncode == 1, validate.stdout + validate.stderr
    for proc in (trace, validate):
        out = proc.stdout + proc.stderr
        assert not RAW.search(out), out[:300]
        assert "Evil\\u001b]8;;http://attacker.example/" in out, out[:300]


def test_csv_formulas_are_quoted(hostile) -> None:
    home, env = hostile
    proc = run_cli("query", str(home / "labels.rq"), "--format", "csv", env=env)
    cells = [c for row in proc.stdout.splitlines() for c in row.split(",")]
    assert not any(c.lstrip('"').startswith("=HYPERLINK") for c in cells)
    assert any(c.lstrip('"').startswith("'=HYPERLINK") for c in cells)


def test_xml_outputs_stay_well_formed(hostile, tmp_path: Path) -> None:
    require_tool("dot")
    _home, env = hostile
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        proc = run_cli("export", "--format", fmt, "--out", str(out), env=env)
        assert proc.returncode == 0, proc.stderr
        ET.parse(out)  # raises if not well-formed
    viz = run_cli("viz", "--out", str(tmp_path / "viz"), env=env)
    assert viz.returncode == 0, viz.stderr
    svgs = list((tmp_path / "viz" / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        ET.parse(svg)
