"""Benchmark suite: load, validate, build, every named query, trace and viz on
synthetic graphs of 1e3..1e6 triples and on the real E4 graph, for three
engines, with wall time, peak memory and the ratio to the rdflib baseline.

    python benchmarks/run.py [--sizes 1e3,1e4,1e5,1e6] [--out FILE.md]
                             [--repeat N] [--budget SECONDS]

See benchmarks/README.md for what each column means. How it works:

* ``generate.py`` writes each synthetic graph once (cached in benchmarks/out/);
  a preparation step loads it on Oxigraph, applies the build rules and dumps
  the inferred graph (what ``evidencegraph build`` writes as graph.nt), which
  the query, trace and server cases read, so every engine answers the same
  queries over the same triples.
* For each dataset and engine a worker process loads the graph once, then
  forks one child per run of each case. The child times only the case
  (``time.perf_counter``) and reports its own peak RSS (``ru_maxrss``: the
  graph it inherited plus what the case allocated). The worker kills a child
  that exceeds the budget (reported "> 120 s (stopped)") or the memory limit.
* A case whose time at the previous size, scaled linearly with the triple
  count, would exceed 1.5x the budget is not run (reported as skipped with
  the predicted figure), so the suite stays bounded; ``--no-predict`` runs
  everything up to the budget instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402

ENGINES = ("rdflib", "oxigraph", "server")
TITLES = {"rdflib": "rdflib store", "oxigraph": "Oxigraph (in memory)", "server": "Oxigraph server"}
PREFIXES = """PREFIX cito: <http://purl.org/spar/cito/>
PREFIX eg: <https://w3id.org/evidencegraph/ontology#>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# Built-in probes: the two whole-graph questions the issue measured, so the
# transitive-query ratio is measured even where the library lacks such a query.
PROBES = {
    "guidance-trials-path": PREFIXES
    + """
# every guidance -> every trial it rests on, through the (cites)+ property path
SELECT ?guidance ?trial WHERE {
  ?guidance a eg:Guidance .
  ?guidance (cito:citesAsEvidence|cito:usesDataFrom|eg:takesLeadFrom)+ ?trial .
  ?trial a eg:Trial .
}""",
    "temporal-consistency": PREFIXES
    + """
# anything that cites, rests on or takes its lead from a later document (none expected)
SELECT ?doc ?later WHERE {
  ?doc (cito:citesAsEvidence|cito:usesDataFrom|eg:takesLeadFrom|eg:restsOn)+ ?later .
  ?doc fabio:hasPublicationYear ?ys .
  ?later fabio:hasPublicationYear ?yo .
  FILTER (xsd:integer(STR(?yo)) > xsd:integer(STR(?ys)))
}""",
}
PATH_OP = re.compile(r"(\([^()]*\)|<[^>\s]*>|[\w:-]+)([+*])(?=[\s?<(.;])")
SCHEMA_PATHS = ("subClassOf", "subPropertyOf")


def is_transitive(text: str) -> bool:
    """Does the query follow a `+` or `*` property path over the data's relations?

    Paths over the ontology's own hierarchy (``rdfs:subClassOf*``,
    ``rdfs:subPropertyOf*``) are left out: they walk a few hundred triples.
    Comment lines are ignored.
    """
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    return any(not any(x in m.group(1) for x in SCHEMA_PATHS) for m in PATH_OP.finditer(body))


# ============================================================== preparation


def _rules_stamp() -> float:
    files = [
        ROOT / "ontology" / "evidencegraph.ttl",
        *sorted((ROOT / "ontology" / "rules").glob("*.rq")),
    ]
    return max(f.stat().st_mtime for f in files)


def prepare(name: str, data: Path | None) -> dict[str, Any]:
    """Built (inferred) graph file and metadata for a dataset, cached for synthetic data."""
    stem = "e4" if data is None else data.stem
    built = OUT / f"{stem}-built.nt"
    meta_path = OUT / f"{stem}-meta.json"
    key = [str(data), data.stat().st_mtime if data else time.time(), _rules_stamp()]
    if data is not None and meta_path.exists() and built.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("key") == key:
            return meta
    OUT.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--prepare",
            json.dumps({"name": name, "data": str(data) if data else None, "built": str(built)}),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise SystemExit(f"preparing {name} failed:\n{proc.stderr}")
    meta = json.loads(proc.stdout)
    meta["key"] = key
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta


def _prepare_child(spec: dict[str, Any]) -> None:
    import pyoxigraph as ox

    from evidencegraph.inference import infer
    from evidencegraph.loading import load
    from evidencegraph.namespaces import expand
    from evidencegraph.querying import library

    data = Path(spec["data"]) if spec["data"] else None
    g = load([data] if data else None)
    store = g.store._inner
    asserted = len(store)
    infer(g)
    inferred = len(store)
    built = Path(spec["built"])
    tmp = built.with_suffix(".tmp")
    store.dump(str(tmp), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    tmp.replace(built)

    def rows(q: str) -> list[Any]:
        return list(g.query(PREFIXES + q))

    # "The first guidance": the one resting on the most documents (ties by IRI),
    # the reviewer's headline case (NICE's commissioning guidance on E4).
    top = rows("""SELECT ?g (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?g a eg:Guidance . OPTIONAL { ?g eg:restsOn ?d }
    } GROUP BY ?g ORDER BY DESC(?n) ?g LIMIT 1""")
    guidance = str(top[0][0]) if top else None
    n_guidance = int(rows("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a eg:Guidance }")[0][0])
    param_nodes: dict[str, str] = {}
    for q in library.all_queries().values():
        for p in q.params:
            if p.type in param_nodes:
                continue
            cls = expand(p.type) if ":" in p.type else None
            if not cls:
                continue
            if guidance and rows(f"ASK {{ <{guidance}> a <{cls}> }}") == [True]:
                param_nodes[p.type] = guidance
                continue
            first = rows(f"SELECT ?x WHERE {{ ?x a <{cls}> }} ORDER BY ?x LIMIT 1")
            if first:
                param_nodes[p.type] = str(first[0][0])
    print(
        json.dumps(
            {
                "name": spec["name"],
                "data": spec["data"],
                "built": str(built),
                "asserted": asserted,
                "inferred": inferred,
                "guidance": guidance,
                "n_guidance": n_guidance,
                "param_nodes": param_nodes,
            }
        )
    )


# ============================================================== cases


def case_list(engine: str, has_viz: bool) -> list[dict[str, Any]]:
    from evidencegraph.querying import library

    cases: list[dict[str, Any]] = []
    if engine == "server":
        cases.append(
            {
                "id": "load",
                "kind": "server-load",
                "needs": "none",
                "label": "load (`oxigraph load` bulk loader, on-disk store)",
            }
        )
    else:
        cases += [
            {"id": "load", "kind": "load", "needs": "none", "label": "load (parse into the store)"},
            {
                "id": "validate",
                "kind": "validate",
                "needs": "asserted",
                "label": "validate (pySHACL)",
            },
            *FAST_CASE(),
            {"id": "infer", "kind": "infer", "needs": "asserted", "label": "infer (build rules)"},
            {
                "id": "export",
                "kind": "export",
                "needs": "built",
                "label": "export (graph.ttl, .nt, .jsonld)",
            },
            {
                "id": "build",
                "kind": "build",
                "needs": "none",
                "label": "build (load + validate + infer + export)",
            },
        ]
    for name, q in library.all_queries().items():
        cases.append(
            {
                "id": f"query:{name}",
                "kind": "query",
                "needs": "source",
                "name": name,
                "label": f"query `{name}`",
                "transitive": is_transitive(q.text),
                "params": [(p.name, p.type, p.example) for p in q.params if p.required],
            }
        )
    for name, text in PROBES.items():
        cases.append(
            {
                "id": f"probe:{name}",
                "kind": "probe",
                "needs": "source",
                "name": name,
                "label": f"probe `{name}` (built-in)",
                "transitive": is_transitive(text),
            }
        )
    cases += [
        {
            "id": "trace-one",
            "kind": "trace-one",
            "needs": "source",
            "label": "trace (one guidance)",
        },
        {
            "id": "trace-all",
            "kind": "trace-all",
            "needs": "source",
            "label": "trace (every guidance)",
        },
    ]
    if has_viz:
        cases.append(
            {
                "id": "viz",
                "kind": "viz",
                "needs": "source",
                "label": "viz (`viz.visualise`: HTML graph, evidence map, figures)",
            }
        )
    return cases


def run_case(case: dict[str, Any], ctx: dict[str, Any]) -> str:
    """Run one case in the current (forked) process; return a short note."""
    kind = case["kind"]
    ds = ctx["dataset"]
    data = [ds["data"]] if ds["data"] else None
    if kind == "load":
        from evidencegraph.loading import load

        g = load(data, engine_name=ctx["engine"])
        return f"{len(g)} triples"
    if kind == "server-load":
        from evidencegraph.serving.oxigraph import load_store

        with tempfile.TemporaryDirectory(prefix="eg-bench-") as tmp:
            load_store(Path(ds["built"]), Path(tmp) / "store")
        return "child process"
    if kind == "validate":
        import inspect

        from evidencegraph.shacl import validate

        # the reference validator, also where ``validate`` would pick another by size
        kw = (
            {"validator": "pyshacl"}
            if "validator" in inspect.signature(validate).parameters
            else {}
        )
        return validate(ctx["asserted"], **kw).summary()
    if kind == "validate-fast":
        from evidencegraph.shacl import compiler

        return compiler.validate(ctx["asserted"]).summary()
    if kind == "infer":
        from evidencegraph.inference import infer

        runs = infer(ctx["asserted"])
        return f"+{sum(r.added for r in runs)} triples"
    if kind == "export":
        from evidencegraph import engine

        src = ctx["source"]
        g = src.rdflib_graph() if hasattr(src, "rdflib_graph") else src.graph
        sizes = [
            len(engine.to_turtle(g)),
            len(engine.to_ntriples(g)),
            len(engine.to_jsonld(g)),
        ]
        return f"{sum(sizes) / 1e6:.1f} MB"
    if kind == "build":
        from evidencegraph.building import build

        with tempfile.TemporaryDirectory(prefix="eg-bench-") as tmp:
            res = build(tmp, data, engine_name=ctx["engine"])
        return res.validation.summary()
    if kind == "query":
        from evidencegraph.querying import run_query

        params = {}
        for pname, ptype, example in case["params"]:
            value = ds["param_nodes"].get(ptype) or example
            if not value:
                raise RuntimeError(f"no value to bind for required parameter {pname} ({ptype})")
            params[pname] = value
        out = run_query(case["name"], params, source=ctx["source"])
        return _consume(out.result)
    if kind == "probe":
        return _consume(ctx["source"].run(PROBES[case["name"]]))
    if kind == "trace-one":
        from evidencegraph.tracing import trace

        r = trace(ds["guidance"], source=ctx["source"])
        return f"{len(r.paths)} paths" + (" (truncated)" if r.truncated else "")
    if kind == "trace-all":
        from evidencegraph.tracing import trace

        src = ctx["source"]
        gs = sorted(
            str(r[0]) for r in src.run(PREFIXES + "SELECT DISTINCT ?g WHERE { ?g a eg:Guidance }")
        )
        paths = sum(len(trace(g, source=src).paths) for g in gs)
        return f"{len(gs)} guidance, {paths} paths"
    if kind == "viz":
        from evidencegraph import viz

        with tempfile.TemporaryDirectory(prefix="eg-bench-") as tmp:
            written = viz.visualise(tmp, source=ctx["source"])
        return f"{len(written)} files"
    raise ValueError(kind)


def _consume(result: Any) -> str:
    if getattr(result, "graph", None) is not None and result.type in ("CONSTRUCT", "DESCRIBE"):
        return f"{len(result.graph)} triples"
    if result.type == "ASK":
        return f"ASK {bool(result.askAnswer)}"
    return f"{sum(1 for _ in result)} rows"


def _cli() -> list[str]:
    from evidencegraph.paths import find_tool

    found = find_tool("evidencegraph")
    return [found] if found else [sys.executable, "-m", "evidencegraph"]


# ============================================================== worker


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# With --warmup, read-only cases run once untimed in their child first: the
# first run after fork pays copy-on-write and first-touch costs (the (cites)+
# probe at 1e4: 0.016 s first, 0.007 s after). Only where that run is short.
WARMABLE = ("query", "probe", "trace-one", "trace-all")
WARMUP_BELOW = 2.0


def _fork_run(
    case: dict[str, Any],
    ctx: dict[str, Any],
    budget: float,
    mem_limit_kb: int,
    warmup: bool = False,
) -> dict[str, Any]:
    """One run of a case in a forked child, bounded in time and memory."""
    gc.collect()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        try:
            t0 = time.perf_counter()
            note = run_case(case, ctx)
            dt = time.perf_counter() - t0
            if warmup and case["kind"] in WARMABLE and dt < WARMUP_BELOW:
                t0 = time.perf_counter()
                note = run_case(case, ctx)
                dt = time.perf_counter() - t0
            me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            msg = {
                "status": "ok",
                "wall": dt,
                "peak_kb": max(me, kids) if case["kind"] in ("server-load", "viz") else me,
                "note": note,
            }
        except BaseException as err:
            msg = {
                "status": "error",
                "note": f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[
                    :160
                ],
            }
        os.write(wfd, json.dumps(msg).encode())
        os.close(wfd)
        os._exit(0)
    os.close(wfd)
    start = time.monotonic()
    status = None
    peak_seen = 0
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        rss = _rss_kb(pid)
        peak_seen = max(peak_seen, rss)
        if time.monotonic() - start > budget:
            status = "stopped"
        elif rss > mem_limit_kb:
            status = "memory"
        if status:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.005 if time.monotonic() - start < 1 else 0.05)
    chunks = []
    while True:
        b = os.read(rfd, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(rfd)
    if status:
        return {"status": status, "peak_kb": peak_seen}
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return {"status": "error", "note": "child died without a result"}


_WARMED: set[str] = set()


def _warm(ctx: dict[str, Any]) -> None:
    """Pay one-off lazy imports and parser set-up before any case is timed."""
    from evidencegraph import safety
    from evidencegraph.querying import library

    library.all_queries()
    safety.check_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    if "asserted" in ctx and "asserted" not in _WARMED:
        list(ctx["asserted"].query(text))
        _WARMED.add("asserted")
    if "source" in ctx and "source" not in _WARMED:
        list(ctx["source"].run(text))
        _WARMED.add("source")


def _local_source(engine_name: str, built: Path) -> Any:
    """The built graph on a local engine, through the path the tool's own query,
    trace and viz commands use (the bare Oxigraph store where the tool has one)."""
    from evidencegraph import engine, loading, querying

    fields = getattr(querying.Source, "__dataclass_fields__", {})
    if engine_name == "oxigraph" and "store" in fields and hasattr(engine, "native_store"):
        store = engine.native_store()
        engine.native_add(store, engine.read_triples(built))
        return querying.Source(store=store)
    return querying.Source(graph=loading.load_graph_file(built, engine_name=engine_name))


def worker(spec: dict[str, Any]) -> None:
    """Run the cases of one (dataset, engine); one JSON line per case on the result fd."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to stderr
    # import everything up front, so no case pays for imports
    import networkx  # noqa: F401
    import pyoxigraph  # noqa: F401
    import pyshacl  # noqa: F401
    import rdflib  # noqa: F401

    from evidencegraph import building, loading, querying, shacl, tracing  # noqa: F401

    engine = spec["engine"]
    ds = spec["dataset"]
    ctx: dict[str, Any] = {"engine": engine, "dataset": ds}
    budget, repeat, mem = spec["budget"], spec["repeat"], spec["mem_limit_kb"]
    for case in spec["cases"]:
        need = case["needs"]
        if spec.get("deadline") and time.time() > spec["deadline"]:
            out.write(
                json.dumps(
                    {
                        "id": case["id"],
                        "status": "skipped",
                        "note": "not run (--max-minutes reached)",
                    }
                )
                + "\n"
            )
            continue
        try:
            if need == "asserted" and "asserted" not in ctx:
                ctx.pop("source", None)
                _WARMED.clear()
                gc.collect()
                ctx["asserted"] = loading.load(
                    [ds["data"]] if ds["data"] else None, engine_name=engine
                )
            if need in ("built", "source") and "source" not in ctx:
                ctx.pop("asserted", None)
                _WARMED.clear()
                gc.collect()
                if engine == "server":
                    from evidencegraph.endpoint import Endpoint

                    ctx["source"] = querying.Source(endpoint=Endpoint(spec["url"], timeout=budget))
                else:
                    ctx["source"] = _local_source(engine, Path(ds["built"]))
            _warm(ctx)
        except Exception as err:
            out.write(
                json.dumps(
                    {
                        "id": case["id"],
                        "status": "error",
                        "note": f"setup: {type(err).__name__}: {err}"[:160],
                    }
                )
                + "\n"
            )
            continue
        walls: list[float] = []
        peaks: list[int] = []
        res: dict[str, Any] = {}
        spent = 0.0
        for i in range(repeat):
            res = _fork_run(case, ctx, budget, mem, spec.get("warmup", False))
            if res["status"] != "ok":
                break
            walls.append(res["wall"])
            peaks.append(res["peak_kb"])
            spent += res["wall"]
            # bounded: no more repeats once they would take over 20 s (or half the budget)
            if spent + res["wall"] > min(20.0, budget / 2) and i + 1 < repeat:
                break
        if walls and res["status"] != "ok":
            res = {"status": "ok", "note": res.get("note", "")}
        record = {
            "id": case["id"],
            "status": res["status"],
            "note": res.get("note", ""),
            "runs": len(walls),
        }
        if walls:
            record["wall"] = statistics.median(walls)
            record["peak_kb"] = max(peaks)
        elif res.get("peak_kb"):
            record["peak_kb"] = res["peak_kb"]
        out.write(json.dumps(record) + "\n")


# ============================================================== driver


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_engine(
    ds: dict[str, Any],
    engine: str,
    cases: list[dict[str, Any]],
    args: argparse.Namespace,
    url: str | None,
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    if not cases:
        return results
    spec = {
        "engine": engine,
        "dataset": ds,
        "cases": cases,
        "budget": args.budget,
        "repeat": args.repeat,
        "mem_limit_kb": int(args.mem_limit_gb * 1024 * 1024),
        "url": url,
        "deadline": args.deadline,
        "warmup": args.warmup,
    }
    guard = len(cases) * (args.budget * (args.repeat + 1) + 60) + 300
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        cwd=str(ROOT),
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(spec))
    proc.stdin.close()
    started = time.monotonic()
    for line in proc.stdout:
        rec = json.loads(line)
        results[rec["id"]] = rec
        log(
            f"{ds['name']:>4} {engine:8s} {rec['id']:40s} {fmt_wall(rec, args.budget):>22s}  "
            f"{fmt_mem(rec):>7s}  {rec.get('note', '')}"
        )
        if time.monotonic() - started > guard:
            proc.kill()
            break
    proc.wait()
    for c in cases:
        results.setdefault(c["id"], {"id": c["id"], "status": "error", "note": "worker died"})
    return results


def plan(
    ds: dict[str, Any],
    engine: str,
    cases: list[dict[str, Any]],
    prev: dict[str, Any] | None,
    args: argparse.Namespace,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Which cases to run, and the skipped ones with their reason."""
    run, skipped = [], {}
    for c in cases:
        if engine == "rdflib" and ds["size"] and ds["size"] >= 1_000_000:
            skipped[c["id"]] = {
                "id": c["id"],
                "status": "skipped",
                "note": "not run at 1e6 (design)",
            }
            continue
        if (
            ds["size"]
            and ds["size"] >= 1_000_000
            and args.fast_1e6
            and c["kind"] in ("build", "trace-all", "export", "viz")
        ):
            skipped[c["id"]] = {"id": c["id"], "status": "skipped", "note": "not run at 1e6 (time)"}
            continue
        p = prev.get(engine, {}).get(c["id"]) if prev else None
        if p and not args.no_predict:
            ratio = ds["triples"] / prev["triples"]
            if p["status"] in ("stopped", "memory") or (
                p["status"] == "skipped" and p.get("predicted")
            ):
                skipped[c["id"]] = {
                    "id": c["id"],
                    "status": "skipped",
                    "predicted": max(args.budget, p.get("predicted", args.budget) * ratio),
                    "note": f"{p['status']} at {prev['name']}",
                }
                continue
            if p["status"] == "ok" and p["wall"] * ratio > 1.5 * args.budget:
                skipped[c["id"]] = {
                    "id": c["id"],
                    "status": "skipped",
                    "predicted": p["wall"] * ratio,
                    "note": f"{p['wall']:.1f} s at {prev['name']} x {ratio:.0f}",
                }
                continue
        run.append(c)
    return run, skipped


def fmt_num(x: float) -> str:
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    if x >= 0.01:
        return f"{x:.3f}"
    return f"{x:.4f}"


def fmt_wall(rec: dict[str, Any] | None, budget: float) -> str:
    if rec is None:
        return "—"
    st = rec["status"]
    if st == "ok":
        return fmt_num(rec["wall"])
    if st == "stopped":
        return f"> {budget:.0f} (stopped)"
    if st == "memory":
        return "stopped (memory)"
    if st == "skipped":
        if rec.get("predicted"):
            return f"> {budget:.0f} (skipped, ≈{rec['predicted']:.0f} predicted)"
        return f"skipped ({rec.get('note', '')})"
    return "error"


def fmt_mem(rec: dict[str, Any] | None) -> str:
    if not rec or not rec.get("peak_kb") or rec["status"] not in ("ok",):
        return "—"
    return f"{rec['peak_kb'] / 1024:.0f}"


def ratio(
    base: dict[str, Any] | None, other: dict[str, Any] | None
) -> tuple[str, float | None, bool]:
    """(text, value, lower_bound) of baseline time / other time."""
    if not base or not other or other.get("status") != "ok":
        return "—", None, False
    t = max(other["wall"], 1e-6)
    if base["status"] == "ok":
        v = base["wall"] / t
        return f"{v:.1f}×" if v < 10 else f"{v:.0f}×", v, False
    if base["status"] in ("stopped", "memory"):
        v = BUDGET / t
        return f"> {v:.0f}×", v, True
    if base["status"] == "skipped" and base.get("predicted"):
        v = BUDGET / t
        return f"> {v:.0f}× (pred.)", v, True
    return "—", None, False


BUDGET = 120.0


def cli_timings(runs: int) -> list[dict[str, Any]]:
    out = []
    for label, argv in (
        ("evidencegraph build", ["build", "--out", "{tmp}"]),
        ("evidencegraph query cited-by-nice", ["query", "cited-by-nice"]),
    ):
        walls, peaks, codes, err = [], [], [], ""
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="eg-bench-cli-") as tmp:
                cmd = [*_cli(), *[a.replace("{tmp}", tmp) for a in argv]]
                errf = Path(tmp) / "stderr.txt"
                with errf.open("wb") as fh:
                    t0 = time.perf_counter()
                    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh, cwd=str(ROOT))
                    _, status, usage = os.wait4(p.pid, 0)
                    walls.append(time.perf_counter() - t0)
                p.returncode = os.waitstatus_to_exitcode(status)
                err = (errf.read_text(errors="replace").strip().splitlines() or [""])[-1]
                codes.append(p.returncode)
                peaks.append(usage.ru_maxrss)
        out.append(
            {
                "label": label,
                "wall": statistics.median(walls),
                "min": min(walls),
                "peak_kb": max(peaks),
                "codes": sorted(set(codes)),
                "runs": runs,
                "err": err if any(codes) else "",
            }
        )
        note = err if any(codes) else ""
        med = statistics.median(walls)
        log(f"CLI {label}: median {med:.3f} s, exit {sorted(set(codes))} {note}")
    return out


def _proc_field(path: str, key: str) -> str:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> str:
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor()
    kb = _proc_field("/proc/meminfo", "MemTotal").split()
    mem = f"{int(kb[0]) / 1024 / 1024:.0f} GB RAM" if kb else ""
    vers = []
    for mod in ("rdflib", "pyoxigraph", "oxrdflib", "pyshacl"):
        try:
            from importlib.metadata import version

            vers.append(f"{mod} {version(mod)}")
        except Exception:
            pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem}; Python {platform.python_version()}, "
        + ", ".join(vers)
    )


def main(argv: list[str] | None = None) -> int:
    global BUDGET
    ap = argparse.ArgumentParser(description="evidencegraph benchmarks (see benchmarks/README.md)")
    ap.add_argument(
        "--sizes",
        default="1e3,1e4,1e5,1e6",
        help="synthetic sizes in triples, comma-separated (default %(default)s)",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=HERE / "results-this-machine.md",
        help="Markdown file to write (default %(default)s)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per case; the median is reported")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per run of a case")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument(
        "--cases",
        help="only cases whose id starts with one of these comma-separated prefixes "
        "(e.g. load,query:,probe:,validate)",
    )
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--mem-limit-gb", type=float, default=8.0)
    ap.add_argument("--no-e4", action="store_true", help="leave out the real E4 graph")
    ap.add_argument("--no-cli", action="store_true", help="leave out the CLI timings on E4")
    ap.add_argument("--cli-runs", type=int, default=5)
    ap.add_argument(
        "--no-predict",
        action="store_true",
        help="run every case up to the budget, even when a smaller size predicts it exceeds it",
    )
    ap.add_argument(
        "--full-1e6",
        dest="fast_1e6",
        action="store_false",
        help="at 1e6 also run build, export and trace of every guidance (slow)",
    )
    ap.add_argument("--json", type=Path, help="also write the raw results as JSON")
    ap.add_argument(
        "--resume",
        type=Path,
        metavar="FILE.json",
        help="reuse the results (and datasets) of an earlier --json run and run only the "
        "cases it did not reach (--max-minutes) or lost",
    )
    ap.add_argument(
        "--warmup",
        action="store_true",
        help=f"run each query, probe and trace once untimed in its child before the timed "
        f"run (when that first run takes under {WARMUP_BELOW:g} s)",
    )
    ap.add_argument(
        "--max-minutes",
        type=float,
        help="stop starting new cases after this long (they are reported as not run)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="with --resume: only rewrite the report from the JSON, run nothing",
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--prepare", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(json.loads(sys.stdin.read()))
        return 0
    if args.prepare:
        _prepare_child(json.loads(args.prepare))
        return 0
    BUDGET = args.budget
    args.deadline = time.time() + 60 * args.max_minutes if args.max_minutes else None
    args.load_start = os.getloadavg()[0]
    args.git_start = _git()
    engines = [e for e in args.engines.split(",") if e]
    has_viz = _has_viz()
    t_start = time.monotonic()

    sizes = sorted(gen.parse_size(s) for s in args.sizes.split(",") if s.strip())
    prior = json.loads(args.resume.read_text()) if args.resume else {}
    if prior.get("git_start"):
        args.git_start = prior["git_start"]
    if prior.get("load_start") is not None:
        args.load_start = prior["load_start"]
    known = {d["name"]: d for d in prior.get("datasets", [])}
    datasets: list[dict[str, Any]] = []
    if not args.no_e4 and "E4" in known:
        datasets.append(known["E4"])
    elif not args.no_e4:
        meta = prepare("E4", None)
        datasets.append(
            {**meta, "size": None, "triples": meta["asserted"], "label": "E4 (real data)"}
        )
    for s in sizes:
        if gen._size_name(s) in known:  # the same files as the run being resumed
            datasets.append(known[gen._size_name(s)])
            continue
        path = gen.ensure(s, args.seed)
        meta = prepare(gen._size_name(s), path)
        datasets.append(
            {
                **meta,
                "size": s,
                "triples": meta["asserted"],
                "label": f"{gen._size_name(s)} synthetic",
            }
        )
    for ds in datasets:
        log(
            f"dataset {ds['label']}: {ds['asserted']} asserted, {ds['inferred']} inferred triples, "
            f"{ds['n_guidance']} guidance; bound guidance {ds['guidance']}"
        )

    all_results: dict[str, dict[str, dict[str, Any]]] = {}
    server_peaks: dict[str, int] = dict(prior.get("server_peaks", {}))
    prev: dict[str, Any] | None = None
    for ds in [] if args.report_only else datasets:
        per_engine: dict[str, dict[str, Any]] = {}
        for engine in ("oxigraph", "server", "rdflib"):
            if engine not in engines:
                continue
            cases = case_list(engine, has_viz)
            if args.cases:
                wanted = tuple(x for x in args.cases.split(",") if x)
                cases = [c for c in cases if c["id"].startswith(wanted)]
            done = {
                cid: r
                for cid, r in prior.get("results", {}).get(ds["name"], {}).get(engine, {}).items()
                if not _rerun(r)
            }
            cases = [c for c in cases if c["id"] not in done]
            to_run, skipped = plan(ds, engine, cases, prev if ds["size"] else None, args)
            res: dict[str, Any] = {**done, **skipped}
            for rid, rec in skipped.items():
                wall = fmt_wall(rec, args.budget)
                log(f"{ds['name']:>4} {engine:8s} {rid:40s} {wall} ({rec['note']})")
            if engine == "server" and to_run:
                from evidencegraph.serving.oxigraph import running_server

                with running_server(Path(ds["built"]), read_only=True, timeout=300) as srv:
                    res.update(run_engine(ds, engine, to_run, args, srv.url))
                    server_peaks[ds["name"]] = _hwm_kb(srv.process.pid)
            else:
                res.update(run_engine(ds, engine, to_run, args, None))
            per_engine[engine] = res
        all_results[ds["name"]] = per_engine
        if ds["size"]:
            prev = {**per_engine, "triples": ds["triples"], "name": ds["name"]}

    if args.report_only:
        all_results = {d["name"]: prior.get("results", {}).get(d["name"], {}) for d in datasets}
    cli = [] if args.no_cli else (prior.get("cli") or cli_timings(args.cli_runs))
    elapsed = time.monotonic() - t_start + prior.get("elapsed", 0.0)
    text = render(datasets, all_results, cli, server_peaks, engines, args, elapsed, has_viz)
    args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "datasets": datasets,
                    "results": all_results,
                    "cli": cli,
                    "server_peaks": server_peaks,
                    "elapsed": elapsed,
                    "git_start": args.git_start,
                    "load_start": args.load_start,
                },
                indent=1,
                default=str,
            )
        )
    log(f"wrote {args.out} ({elapsed / 60:.1f} min)")
    return 0


def _rerun(rec: dict[str, Any]) -> bool:
    """A result of a resumed run that was never really measured."""
    note = rec.get("note", "")
    return (rec["status"] == "skipped" and "max-minutes" in note) or (
        rec["status"] == "error" and "worker died" in note
    )


def FAST_CASE() -> list[dict[str, Any]]:
    """The SHACL compiler's row."""
    label = "validate (compiler: `shacl.compiler`, whole-graph SPARQL)"
    return [{"id": "validate-fast", "kind": "validate-fast", "needs": "asserted", "label": label}]


def _has_viz() -> bool:
    try:
        from evidencegraph import viz
    except Exception:
        return False
    return hasattr(viz, "visualise")


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# ============================================================== report


def render(
    datasets: list[dict[str, Any]],
    results: dict[str, Any],
    cli: list[dict[str, Any]],
    server_peaks: dict[str, int],
    engines: list[str],
    args: argparse.Namespace,
    elapsed: float,
    has_viz: bool,
) -> str:
    budget = args.budget
    L = ["# evidencegraph benchmarks", ""]
    L.append(f"Machine: {machine()}.  ")
    now = _git()
    if now != args.git_start:
        now += f" (at start: {args.git_start}; the code changed during the run)"
    L.append(f"Code: {now}.  ")
    L.append(
        f"Load average (1 min) at start / end: {args.load_start:.1f} / {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores (other processes inflate wall times).  "
    )
    L.append(
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, {elapsed / 60:.1f} min: "
        f"`python benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat} "
        f"--budget {budget:g}{' --warmup' if args.warmup else ''}"
        + (f" --engines {args.engines}" if args.engines != ",".join(ENGINES) else "")
        + (f' --cases "{args.cases}"' if args.cases else "")
        + (" --no-cli" if args.no_cli else "")
        + "`.  "
    )
    if args.cases:
        L.append("Only the cases named by `--cases` ran: a target below covers those cases only.  ")
    L.append(
        f"Wall: median of up to {args.repeat} runs, seconds (case only; setup excluded"
        + (
            f"; with --warmup, queries, probes and traces under {WARMUP_BELOW:g} s are timed "
            "on their second run in the child"
            if args.warmup
            else ""
        )
        + "). "
        f"Peak: peak RSS in MB of the process that ran the case (forked from a worker holding "
        f"the graph, so it includes the graph and the interpreter; `ru_maxrss`). "
        f"× = rdflib-store time / this engine's time, measured in the same run; "
        f"`> N×` is a lower bound (the baseline was stopped at {budget:g} s, or skipped because "
        f"the smaller size predicts more than that: `pred.`). See benchmarks/README.md."
    )
    L.append("")
    L += render_targets(datasets, results, cli, budget)
    if cli:
        L += [
            "## CLI on E4 (subprocess, startup included)",
            "",
            "| command | median wall s | min s | runs | peak MB | exit | target |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for c, target in zip(cli, ("≤ 1.5 s", "≤ 0.5 s"), strict=True):
            code = ",".join(map(str, c["codes"])) + (f" ({c['err'][:80]})" if c["err"] else "")
            L.append(
                f"| `{c['label']}` | {c['wall']:.3f} | {c['min']:.3f} | {c['runs']} | "
                f"{c['peak_kb'] / 1024:.0f} | {code} | {target} |"
            )
        L.append("")
    for ds in datasets:
        res = results[ds["name"]]
        L += [f"## {ds['label']}", ""]
        L.append(
            (f"Data `{Path(ds['data']).name}`: " if ds.get("data") else "Data `data/`: ")
            + f"{ds['asserted']:,} triples asserted (ontology included), {ds['inferred']:,} with "
            f"inference; {ds['n_guidance']} guidance; parameters and single trace bound to "
            f"`{_short(ds['guidance'])}`."
            + (
                " Server process peak RSS over all its cases: "
                f"{server_peaks[ds['name']] / 1024:.0f} MB."
                if ds["name"] in server_peaks
                else ""
            )
        )
        L.append("")
        head = ["case"]
        align = ["---"]
        for e in ("rdflib", "oxigraph", "server"):
            if e not in engines:
                continue
            head += [f"{TITLES[e]} s", "peak MB"] + (["×"] if e != "rdflib" else [])
            align += ["---:", "---:"] + (["---:"] if e != "rdflib" else [])
        L += ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
        ids: list[tuple[str, str]] = []
        for e in ("oxigraph", "server", "rdflib"):
            for c in case_list(e, has_viz):
                if (c["id"], c["label"]) not in ids and not any(i == c["id"] for i, _ in ids):
                    label = c["label"] + (" ⁺" if c.get("transitive") else "")
                    ids.append((c["id"], label))
        order = {
            k: n
            for n, k in enumerate(["load", "validate", "validate-fast", "infer", "export", "build"])
        }
        ids.sort(
            key=lambda x: (
                order.get(
                    x[0], 5 if x[0].startswith("query:") else 6 if x[0].startswith("probe:") else 7
                ),
                x[0],
            )
        )
        for cid, label in ids:
            if cid == "load":
                label = "load"
            row = [label]
            base = res.get("rdflib", {}).get(cid)
            for e in ("rdflib", "oxigraph", "server"):
                if e not in engines:
                    continue
                rec = res.get(e, {}).get(cid)
                cell = fmt_wall(rec, budget)
                if rec and rec["status"] == "error":
                    cell = f"error: {rec.get('note', '')[:70]}".replace("|", "/")
                row += [cell, fmt_mem(rec)]
                if e != "rdflib":
                    row.append(ratio(base, rec)[0] if rec else "—")
            L.append("| " + " | ".join(row) + " |")
        L.append("")
        notes = sorted(
            {
                f"{e} `{cid}`: {r['note']}"
                for e, rr in res.items()
                for cid, r in rr.items()
                if r.get("status") == "ok"
                and r.get("note")
                and cid in ("load", "validate", "validate-fast", "infer")
                and e != "server"
            }
        )
        if notes:
            L += ["Notes: " + "; ".join(notes) + ".", ""]
    L += [
        "Load on the server column is `oxigraph load` of the inferred graph into an on-disk store "
        "(the server's own bulk path); every other server case is a query over HTTP "
        "(SPARQLWrapper request, our urllib transport). "
        "⁺ marks queries with a `+`/`*` property path "
        "(the transitive queries of the targets).",
        "",
    ]
    return "\n".join(L)


def _git() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "queries", "ontology"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"commit {rev}" + (
        " with uncommitted changes in src/, queries/ or ontology/" if dirty else ""
    )


def _short(iri: str | None) -> str:
    return (iri or "").replace("https://w3id.org/evidencegraph/id/", "id:")


def render_targets(
    datasets: list[dict[str, Any]],
    results: dict[str, Any],
    cli: list[dict[str, Any]],
    budget: float,
) -> list[str]:
    rows: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("met" if ok else "**missed**")

    def get(name: str, engine: str, cid: str) -> dict[str, Any] | None:
        return results.get(name, {}).get(engine, {}).get(cid)

    def wall_txt(rec: dict[str, Any] | None) -> tuple[str, float | None]:
        if not rec:
            return "not run", None
        if rec["status"] == "ok":
            return f"{fmt_num(rec['wall'])} s", rec["wall"]
        measured_over = rec["status"] in ("stopped", "memory") or (
            rec["status"] == "skipped" and rec.get("predicted")
        )
        return fmt_wall(rec, budget), math.inf if measured_over else None

    for c, lim in zip(cli, (1.5, 0.5), strict=False):
        ok = c["wall"] <= lim and not any(c["codes"])
        rows.append(
            (
                f"E4 `{c['label']}` ≤ {lim} s",
                f"{c['wall']:.2f} s" + (f" (exit {c['codes']})" if any(c["codes"]) else ""),
                verdict(ok),
            )
        )
    names = {ds["name"] for ds in datasets}
    if "1e5" in names:
        txt, v = wall_txt(get("1e5", "oxigraph", "build"))
        rows.append(
            (
                "1e5: build (load, validate, infer, export) ≤ 10 s",
                txt,
                verdict(None if v is None else v <= 10),
            )
        )
        parts = [get("1e5", "oxigraph", k) for k in ("load", "infer", "export")]
        if all(p and p["status"] == "ok" for p in parts):
            s = sum(p["wall"] for p in parts)  # type: ignore[index]
            rows.append(
                (
                    "1e5: build without pySHACL (load + infer + export)",
                    f"{fmt_num(s)} s",
                    verdict(s <= 10),
                )
            )
        txt, v = wall_txt(get("1e5", "oxigraph", "trace-one"))
        rows.append(
            ("1e5: trace of one guidance ≤ 0.1 s", txt, verdict(None if v is None else v <= 0.1))
        )
        rows.append(_slowest("1e5", "oxigraph", results, 1.0, budget, verdict))
    if "1e6" in names:
        txt, v = wall_txt(get("1e6", "oxigraph", "load"))
        rows.append(
            (
                "1e6: load ≤ 4 s (Oxigraph, in memory through rdflib)",
                txt,
                verdict(None if v is None else v <= 4),
            )
        )
        txt, v = wall_txt(get("1e6", "server", "load"))
        if v is not None:
            rows.append(("1e6: load ≤ 4 s (`oxigraph load` bulk loader)", txt, verdict(v <= 4)))
        txt, v = wall_txt(get("1e6", "oxigraph", "validate"))
        txt2, v2 = wall_txt(get("1e6", "oxigraph", "validate-fast"))
        best = min((x for x in (v, v2) if x is not None), default=None)
        rows.append(
            (
                "1e6: validate ≤ 60 s",
                f"pySHACL {txt}; fast validator {txt2}",
                verdict(None if best is None else best <= 60),
            )
        )
        rows.append(_slowest("1e6", "oxigraph", results, 10.0, budget, verdict))
        peaks = [
            r["peak_kb"]
            for r in results.get("1e6", {}).get("oxigraph", {}).values()
            if r.get("status") == "ok" and r.get("peak_kb")
        ]
        if peaks:
            rows.append(
                (
                    "1e6: peak memory ≤ 4 GB (largest case, Oxigraph)",
                    f"{max(peaks) / 1024 / 1024:.2f} GB",
                    verdict(max(peaks) <= 4 * 1024 * 1024),
                )
            )
    for name in ("1e4", "1e5"):
        if name not in names:
            continue
        base = results[name].get("rdflib", {})
        ox_ = results[name].get("oxigraph", {})
        trans = [
            cid
            for cid, r in ox_.items()
            if cid.startswith(("query:", "probe:")) and _is_trans_case(cid)
        ]
        worst: tuple[float, str, str] | None = None
        measured = []
        for cid in trans:
            txt, v, _lb = ratio(base.get(cid), ox_.get(cid))
            if v is not None:
                measured.append((v, txt, cid))
                if worst is None or v < worst[0]:
                    worst = (v, txt, cid)
        if worst:
            ok = sum(1 for v, _t, _c in measured if v >= 50)
            probe = next((t for v, t, c in measured if c == "probe:guidance-trials-path"), "—")
            rows.append(
                (
                    f"{name}: ≥ 50× rdflib on transitive (`+`/`*` path) queries",
                    f"{ok} of {len(measured)} ≥ 50×; "
                    f"worst {worst[1]} (`{worst[2].split(':', 1)[1]}`); "
                    f"(cites)+ probe {probe}",
                    verdict(worst[0] >= 50),
                )
            )
        txt, v, _lb = ratio(base.get("validate"), ox_.get("validate"))
        txt2, v2, _lb2 = ratio(base.get("validate"), ox_.get("validate-fast"))
        if v is not None or v2 is not None:
            best = max(x for x in (v, v2) if x is not None)
            rows.append(
                (
                    f"{name}: ≥ 5× rdflib on validation (baseline: pySHACL on the rdflib store)",
                    f"pySHACL on Oxigraph {txt}; fast validator on Oxigraph {txt2}",
                    verdict(best >= 5),
                )
            )
    out = [
        "## Targets (issue 5, section 4)",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return [*out, ""]


_TRANS: set[str] = set()


def _is_trans_case(cid: str) -> bool:
    if not _TRANS:
        for e in ENGINES:
            for c in case_list(e, False):
                if c.get("transitive"):
                    _TRANS.add(c["id"])
    return cid in _TRANS


def _slowest(
    name: str, engine: str, results: dict[str, Any], limit: float, budget: float, verdict: Any
) -> tuple[str, str, str]:
    recs = {
        cid: r
        for cid, r in results.get(name, {}).get(engine, {}).items()
        if cid.startswith("query:")
    }
    title = f"{name}: every named query ≤ {limit:g} s"
    if not recs:
        return (title, "no named queries in queries/", "—")

    def key(item: tuple[str, dict[str, Any]]) -> float:
        r = item[1]
        if r["status"] == "ok":
            return r["wall"]
        if r["status"] in ("stopped", "memory") or r.get("predicted"):
            return math.inf
        return -1.0  # not run or failed: not a measurement

    recs_all = recs
    recs = {cid: r for cid, r in recs.items() if key(("", r)) >= 0}
    if not recs:
        return (title, f"not run ({len(recs_all)} queries)", "—")
    cid, r = max(recs.items(), key=key)
    over = sum(1 for x in recs.values() if key(("", x)) > limit)
    txt = (fmt_wall(r, budget) + (" s" if r["status"] == "ok" else "")) + f", slowest `{cid[6:]}`"
    if over:
        txt += f"; {over} of {len(recs)} over"
    errors = sum(1 for x in recs_all.values() if x["status"] == "error")
    missing = len(recs_all) - len(recs) - errors
    if errors:
        txt += f"; {errors} errored"
    if missing:
        txt += f"; {missing} not run"
    return (title, txt, verdict(over == 0 and not errors))


if __name__ == "__main__":
    sys.exit(main())
