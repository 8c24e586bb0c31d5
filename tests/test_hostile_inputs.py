"""Hostile and odd input files (issue 11, items 2, 3, 11 and 13): one line, exit 2,
bounded time and memory, nothing skipped silently, nothing leaked.

Memory is bounded for real: the CLI runs under ``RLIMIT_AS``, so a parser that
expanded a billion laughs would fail the test rather than the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, limit_memory, one_line_error, project_copy, run_cli


def run_bounded(*args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """The real CLI with 3 GB of address space and a time limit."""
    return run_cli(*args, timeout=timeout, preexec_fn=limit_memory(3), **kw)


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/evidencegraph/id/doc/laughs"{attr}>
    {element}
  </rdf:Description>
</rdf:RDF>
"""
LAUGHS_ELEMENT = LAUGHS.format(attr="", element="<rdfs:comment>&f;</rdfs:comment>")
LAUGHS_ATTRIBUTE = LAUGHS.format(attr=' rdfs:comment="&f;"', element="")


@pytest.mark.parametrize(
    "content", [LAUGHS_ELEMENT, LAUGHS_ATTRIBUTE], ids=["element", "attribute"]
)
def test_billion_laughs_in_data_is_refused_in_bounded_memory(tmp_path: Path, content: str) -> None:
    home, env = project_copy(tmp_path)
    (home / "data" / "laughs.rdf").write_text(content, "utf-8")
    for command in ("validate", "build"):
        started = time.monotonic()
        args = (command, "--out", str(tmp_path / "out")) if command == "build" else (command,)
        proc = run_bounded(*args, env=env)
        err = one_line_error(proc)
        assert "laughs.rdf" in err and "DOCTYPE" in err
        assert "conforms" not in proc.stdout + proc.stderr
        assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()


def test_deep_json_ld_is_refused_not_a_crash(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    deep = '{"@id": "http://example.org/a", "http://example.org/p": ' * 5000
    deep += '"x"' + "}" * 5000
    (home / "data" / "deep.jsonld").write_text(deep, "utf-8")
    err = one_line_error(run_bounded("validate", env=env))
    assert "deep.jsonld" in err and "nested more than" in err


def test_shallow_json_ld_still_loads(tmp_path: Path) -> None:
    f = tmp_path / "ok.jsonld"
    f.write_text(
        '{"@id": "http://example.org/a", "http://example.org/p": '
        '[{"@id": "http://example.org/b", "http://example.org/q": [{"@value": "[{"}]}]}',
        "utf-8",
    )
    proc = run_bounded("validate", str(f))
    assert proc.returncode == 0, proc.stderr


def test_literal_over_16_mib_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "big.ttl"
    f.write_text(
        '<http://example.org/a> <http://example.org/p> "' + "x" * (17 * 1024 * 1024) + '" .\n'
    )
    err = one_line_error(run_bounded("validate", str(f)))
    assert "big.ttl" in err and "too large" in err


def test_two_processes_on_one_store_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("--store", str(store), "query", "documents").returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); print('open', flush=True);"
            " sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        err = one_line_error(run_cli("--store", str(store), "query", "documents"))
        assert "in use by another process" in err
    finally:
        holder.communicate("", timeout=30)


def test_ttl_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.ttl"
    link.symlink_to("/dev/zero")
    err = one_line_error(run_bounded("validate", str(link), timeout=30))
    assert "zero.ttl" in err and "not a regular file" in err


def test_fifo_given_explicitly_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    err = one_line_error(run_bounded("validate", str(fifo), timeout=30))
    assert "pipe.ttl" in err and "not a regular file" in err


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_symlink_out_of_the_project_is_refused_naming_the_link(tmp_path: Path, target) -> None:
    home, env = project_copy(tmp_path)
    (home / "data" / "leak.ttl").symlink_to(target)
    err = one_line_error(run_cli("query", "claims", env=env))
    assert "leak.ttl" in err and "out of the project" in err
    assert "root:" not in err and "PATH=" not in err and target not in err


def test_symlink_inside_the_project_still_loads(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    docs = home / "data" / "documents"
    first = sorted(docs.glob("*.ttl"))[0]
    moved = home / "elsewhere.ttl"
    first.rename(moved)
    first.symlink_to(moved)
    proc = run_cli("validate", env=env)
    assert proc.returncode == 0, proc.stderr


def test_dangling_link_is_an_error(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    (home / "data" / "gone.ttl").symlink_to(home / "nowhere.ttl")
    err = one_line_error(run_cli("validate", env=env))
    assert "gone.ttl" in err and "missing file" in err


def test_upper_case_extension_is_loaded(tmp_path: Path) -> None:
    """``.TTL`` is Turtle: claims answered 16 rows instead of 136 when it was skipped."""
    home, env = project_copy(tmp_path)
    claims = run_cli("query", "claims", "--format", "csv", env=env)
    assert claims.returncode == 0, claims.stderr
    for f in (home / "data" / "claims").glob("*.ttl"):
        f.rename(f.with_suffix(".TTL"))
    upper = run_cli("query", "claims", "--format", "csv", env=env)
    assert upper.returncode == 0, upper.stderr
    assert sorted(upper.stdout.splitlines()) == sorted(claims.stdout.splitlines())
    assert len(claims.stdout.splitlines()) > 100


def _without_root_privileges() -> None:
    """Drop the capabilities that let root read any folder (Linux): the CLI then
    meets permissions as an ordinary user would."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    home, env = project_copy(tmp_path)
    locked = home / "data" / "claims"
    locked.chmod(0o000)
    try:
        kw = {"preexec_fn": _without_root_privileges} if os.geteuid() == 0 else {}
        err = one_line_error(run_cli("query", "claims", env=env, **kw))
        assert "claims" in err and "cannot read folder" in err
    finally:
        locked.chmod(0o755)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    src = ROOT / "data" / "documents" / "2011-text-chat-therapy.ttl"
    f = tmp_path / "bom.ttl"
    f.write_bytes(b"\xef\xbb\xbf" + src.read_bytes())
    proc = run_cli("validate", str(f))
    assert proc.returncode in (0, 1), proc.stderr
    assert "valid subject" not in proc.stderr and "error:" not in proc.stderr


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('"\\u12"', "4 hex digits"),
        ('"\\uD800"', "not a Unicode character"),
        ('"\\x41"', "not a SPARQL string escape"),
    ],
)
def test_bad_literal_parameter_is_one_line(raw: str, message: str) -> None:
    err = one_line_error(run_cli("query", "claims", "--param", f"document={raw}"))
    assert message in err


def test_literal_parameter_uses_sparql_escapes(tmp_path: Path) -> None:
    """Python's unicode_escape read UTF-8 as Latin-1: "é" became "Ã©"."""
    q = tmp_path / "echo.rq"
    q.write_text("# param: x (literal, required)\nSELECT ?x WHERE { }\n")
    cases = [('"café"', "café"), ('"caf\\u00e9"', "café"), ('"café\\tb"', "café\tb")]
    for raw, expected in cases:
        proc = run_cli("query", str(q), "--param", f"x={raw}", "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert f'"value": "{expected}"'.replace("\t", "\\t") in proc.stdout, proc.stdout


def test_surrogate_escape_in_query_file_is_one_line(tmp_path: Path) -> None:
    q = tmp_path / "sur.rq"
    q.write_text('SELECT ?x WHERE { BIND("\\uD800" AS ?x) }\n')
    err = one_line_error(run_cli("query", str(q)))
    assert "line 1" in err and "not a Unicode character" in err


def test_control_a_plain_read_of_a_fifo_blocks() -> None:
    """Control for the FIFO test: a plain read of a FIFO does block (the hazard is real)."""
    d = Path(tempfile.mkdtemp())
    try:
        fifo = d / "p"
        os.mkfifo(fifo)
        box: list[bytes] = []
        t = threading.Thread(target=lambda: box.append(fifo.read_bytes()), daemon=True)
        t.start()
        t.join(0.5)
        assert t.is_alive()
        with open(fifo, "wb"):  # release the reader
            pass
        t.join(5)
    finally:
        shutil.rmtree(d, ignore_errors=True)
