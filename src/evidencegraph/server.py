"""Run the ``oxigraph`` server (PyPI package ``oxigraph``) on loopback.

``evidencegraph serve``, the tests and the benchmarks share these helpers:
load the graph into a store folder with ``oxigraph load``, then start
``oxigraph serve-read-only`` (or ``serve`` for a writable store) bound to
127.0.0.1 only, and wait until it answers a query. Nothing here ever binds a
public address.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidencegraph.errors import EvidenceGraphError

HOST = "127.0.0.1"


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` executable; a clear error if it is not installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise EvidenceGraphError(
        "the oxigraph server is not installed: pip install oxigraph "
        "(or pip install 'evidencegraph[server]')"
    )


def find_free_port() -> int:
    """A port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running Oxigraph server; ``stop()`` ends it and removes its temporary store."""

    process: subprocess.Popen[bytes]
    port: int
    read_only: bool
    store_dir: Path | None
    log_path: Path
    _temp: Path | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL; it also serves Oxigraph's query page (YASGUI)."""
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"{self.url}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _last_line(path: Path) -> str:
    try:
        lines = [ln.strip() for ln in path.read_text("utf-8", "replace").splitlines()]
    except OSError:
        return ""
    lines = [ln for ln in lines if ln]
    return lines[-1] if lines else ""


def _prepare_store(store_dir: Path) -> None:
    if store_dir.exists() and any(store_dir.iterdir()):
        raise EvidenceGraphError(f"{store_dir}: not empty; give a new or empty store folder")
    store_dir.mkdir(parents=True, exist_ok=True)


def load_store(graph_file: Path, store_dir: Path, *, timeout: float = 600) -> None:
    """``oxigraph load`` a graph file (format from its extension) into ``store_dir``."""
    graph_file = Path(graph_file)
    if not graph_file.is_file():
        raise EvidenceGraphError(f"{graph_file}: no such file (run `evidencegraph build` first?)")
    cmd = [oxigraph_binary(), "load", "--location", str(store_dir), "--file", str(graph_file)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EvidenceGraphError(f"oxigraph load of {graph_file} took over {timeout:g} s") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        why = lines[0] if lines else f"exit code {proc.returncode}"
        raise EvidenceGraphError(f"oxigraph could not load {graph_file}: {why}")


def _wait_ready(server: Server, timeout: float) -> None:
    """Poll a trivial ASK until the server answers, dies, or the time is up."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(
        f"{server.query_url}?query=ASK%7B%7D",
        headers={"Accept": "application/sparql-results+json"},
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            why = _last_line(server.log_path) or f"exit code {server.process.returncode}"
            raise EvidenceGraphError(f"oxigraph did not start on {HOST}:{server.port}: {why}")
        try:
            with opener.open(req, timeout=1) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise EvidenceGraphError(f"oxigraph did not answer on {server.url} within {timeout:g} s")


def serve(
    graph_file: Path | None,
    port: int = 7878,
    store_dir: Path | None = None,
    *,
    read_only: bool = True,
    timeout: float = 20.0,
) -> Server:
    """Load ``graph_file`` and start Oxigraph on 127.0.0.1:``port`` (0: any free port).

    Read-only by default (``serve-read-only``). With ``read_only=False`` and no
    graph the store is empty and in memory, ready for a Graph Store push.
    Without ``store_dir`` the store lives in a temporary folder removed on stop.
    """
    if not 0 <= port <= 65535:
        raise EvidenceGraphError(f"port {port} is out of range (1-65535, or 0 for any free port)")
    if read_only and graph_file is None:
        raise EvidenceGraphError("a read-only server needs a graph file to serve")
    binary = oxigraph_binary()
    temp = Path(tempfile.mkdtemp(prefix="evidencegraph-oxigraph-"))
    try:
        location: Path | None = None
        if graph_file is not None:
            location = Path(store_dir) if store_dir is not None else temp / "store"
            _prepare_store(location)
            load_store(Path(graph_file), location)
        elif store_dir is not None:
            location = Path(store_dir)
            _prepare_store(location)
        attempts = 3 if port == 0 else 1
        for attempt in range(attempts):
            chosen = port or find_free_port()
            cmd = [binary, "serve-read-only" if read_only else "serve"]
            if location is not None:
                cmd += ["--location", str(location)]
            cmd += ["--bind", f"{HOST}:{chosen}"]
            log_path = temp / f"server-{chosen}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            server = Server(process, chosen, read_only, location, log_path, temp)
            try:
                _wait_ready(server, timeout)
            except EvidenceGraphError:
                server._temp = None  # keep the folder for the next attempt / cleanup below
                server.stop()
                if attempt == attempts - 1:
                    raise
                continue
            return server
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def running_server(
    graph_file: Path | None,
    read_only: bool = True,
    *,
    port: int = 0,
    store_dir: Path | None = None,
    timeout: float = 20.0,
) -> Iterator[Server]:
    """A server for the length of a ``with`` block (tests and benchmarks share it)."""
    server = serve(graph_file, port, store_dir, read_only=read_only, timeout=timeout)
    try:
        yield server
    finally:
        server.stop()
