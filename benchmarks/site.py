"""Benchmarks of issue 13: ``evidencegraph site`` and ``serve``.

    python benchmarks/site.py [--runs 3] [--clients 20] [--seconds 10] [--skip-1e4]

* ``site`` on E4 (the real CLI, startup included): median wall time; target <= 3 s.
* ``site`` on the 10^4-triple synthetic graph (``generate.py``; built first with
  ``evidencegraph build``, then ``site --graph-file``): median wall time, target
  <= 60 s, and the largest page, target <= 300 KB (the viz outputs aside: the
  workshop graph is one self-contained file by design).
* ``serve``: a named query (``cited-by-nice``) POSTed by 20 concurrent clients on
  loopback for a fixed time; queries answered per second, target >= 50.

Prints a Markdown table; every run is a fresh process.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate as gen  # noqa: E402


def _cli() -> list[str]:
    exe = shutil.which("evidencegraph")
    return [exe] if exe else [sys.executable, "-m", "evidencegraph"]


def _timed(args: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run([*_cli(), *args], capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return took


def _largest_page(site: Path) -> tuple[int, str]:
    pages = [p for p in site.rglob("*.html") if "viz" not in p.relative_to(site).parts]
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return biggest.stat().st_size, biggest.relative_to(site).as_posix()


def bench_site(runs: int, tmp: Path, graph_file: Path | None, name: str) -> dict:
    times = []
    for k in range(runs):
        out = tmp / f"site-{name}-{k}"
        args = ["site", "--out", str(out)]
        if graph_file is not None:
            args += ["--graph-file", str(graph_file)]
        times.append(_timed(args))
    size, page = _largest_page(tmp / f"site-{name}-0")
    files = sum(1 for p in (tmp / f"site-{name}-0").rglob("*") if p.is_file())
    return {
        "median": statistics.median(times),
        "times": times,
        "size": size,
        "page": page,
        "files": files,
    }


def _serve(tmp: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [*_cli(), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        m = re.search(r"endpoint: (http://[\d.]+:\d+)/query", line)
        if m:
            return proc, m.group(1)
        if not line and proc.poll() is not None:
            break
    proc.terminate()
    raise SystemExit("serve did not start:\n" + (proc.stderr.read() if proc.stderr else ""))


def bench_serve(clients: int, seconds: float, tmp: Path) -> dict:
    text = (ROOT / "queries" / "cited-by-nice.rq").read_text("utf-8")
    proc, url = _serve(tmp)
    body = urllib.parse.urlencode({"query": text}).encode()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    done = [0] * clients
    failed = [0] * clients
    stop = time.monotonic() + seconds
    start = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        start.wait()
        while time.monotonic() < stop:
            req = urllib.request.Request(
                f"{url}/query",
                data=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
            try:
                with opener.open(req, timeout=30) as resp:
                    resp.read()
                    done[i] += resp.status == 200
            except OSError:
                failed[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    try:
        for t in threads:
            t.start()
        began = time.monotonic()
        start.wait()
        for t in threads:
            t.join()
        took = time.monotonic() - began
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"qps": sum(done) / took, "answered": sum(done), "failed": sum(failed), "seconds": took}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--skip-1e4", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="evidencegraph-bench-site-") as t:
        tmp = Path(t)
        e4 = bench_site(args.runs, tmp, None, "e4")
        rows.append(
            (
                "`site` on E4 (CLI, startup included)",
                f"{e4['median']:.2f} s",
                "≤ 3 s",
                f"{e4['files']} files; largest page {e4['size'] / 1024:.0f} KB",
            )
        )
        if not args.skip_1e4:
            data = gen.ensure(10**4, quiet=True)
            built = tmp / "built-1e4"
            _timed(["build", "--out", str(built), str(data)])
            big = bench_site(args.runs, tmp, built / "graph.nt", "1e4")
            rows.append(
                (
                    "`site` on 1e4 (CLI, `--graph-file`)",
                    f"{big['median']:.2f} s",
                    "≤ 60 s",
                    f"{big['files']} files",
                )
            )
            rows.append(
                ("largest page at 1e4", f"{big['size'] / 1024:.0f} KB", "≤ 300 KB", big["page"])
            )
        srv = bench_serve(args.clients, args.seconds, tmp)
        rows.append(
            (
                f"`serve`: `cited-by-nice`, {args.clients} concurrent clients",
                f"{srv['qps']:.0f} queries/s",
                "≥ 50",
                f"{srv['answered']} answered, {srv['failed']} failed in {srv['seconds']:.1f} s",
            )
        )
    print("| case | median | target | notes |\n| --- | ---: | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
