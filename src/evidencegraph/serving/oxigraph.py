"""Run the ``oxigraph`` server (PyPI package ``oxigraph``) on loopback.

``evidencegraph serve``, the tests and the benchmarks share these helpers:
load the graph into a store folder with ``oxigraph load``, then start
``oxigraph serve-read-only`` (or ``serve`` for a writable store) bound to
127.0.0.1 only, and wait until it answers a query. Nothing here ever binds a
public address.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidencegraph.errors import EvidenceGraphError
from evidencegraph.paths import find_tool
from evidencegraph.writing import pid_alive

HOST = "127.0.0.1"
TEMP_PREFIX = "evidencegraph-oxigraph-"


def _die_with_parent() -> None:
    """In the child before exec: be killed when the parent dies, even by SIGKILL (Linux).

    Without it a killed ``serve`` left its Oxigraph child serving for good.
    """
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def clean_stale_temp() -> None:
    """Remove temporary store folders of servers whose process is gone (killed with
    SIGKILL, which no handler sees); folders of live servers are left alone."""
    root = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in root.glob(f"{TEMP_PREFIX}*"):
            pid = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not pid_alive(int(pid)) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)


def port_is_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now (another server there means no)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` executable; a clear error if it is not installed."""
    found = find_tool("oxigraph")
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
    command: list[str] = field(default_factory=list, repr=False)

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
        self._end()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def _end(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=2 if self.read_only else 5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def restart(self, timeout: float = 20.0) -> None:
        """Kill Oxigraph and start it again on the same store (a new private port).

        Oxigraph's ``--timeout-s`` does not stop every query (an ORDER BY over a
        cross product kept a core busy and grew to 4 GB after its client had
        gone); ending the process is the one sure stop.
        """
        self.process.kill()
        self.process.wait(timeout=10)
        folder = self._temp or self.log_path.parent
        for attempt in range(3):
            self.port = find_free_port()
            self.process, self.log_path = _launch(self.command, self.port, folder)
            try:
                _wait_ready(self, timeout)
                return
            except EvidenceGraphError:
                self._end()
                if attempt == 2:
                    raise

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
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, preexec_fn=_die_with_parent
        )
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
    query_timeout: float | None = None,
) -> Server:
    """Load ``graph_file`` and start Oxigraph on 127.0.0.1:``port`` (0: any free port).

    Read-only by default (``serve-read-only``). With ``read_only=False`` and no
    graph the store is empty and in memory, ready for a Graph Store push.
    Without ``store_dir`` the store lives in a temporary folder removed on stop
    (or, if this process is killed, by the next server started). The child
    dies with this process. ``query_timeout`` is Oxigraph's ``--timeout-s``.
    """
    if not 0 <= port <= 65535:
        raise EvidenceGraphError(f"port {port} is out of range (1-65535, or 0 for any free port)")
    if read_only and graph_file is None:
        raise EvidenceGraphError("a read-only server needs a graph file to serve")
    binary = oxigraph_binary()
    if port and not port_is_free(HOST, port):
        raise EvidenceGraphError(
            f"oxigraph did not start on {HOST}:{port}: the port is already in use "
            "(choose another with --port)"
        )
    clean_stale_temp()
    temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
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
        cmd = [binary, "serve-read-only" if read_only else "serve"]
        if location is not None:
            cmd += ["--location", str(location)]
        if query_timeout is not None:
            cmd += ["--timeout-s", str(max(1, math.ceil(query_timeout)))]
        for attempt in range(attempts):
            chosen = port or find_free_port()
            process, log_path = _launch(cmd, chosen, temp)
            server = Server(process, chosen, read_only, location, log_path, temp, cmd)
            try:
                _wait_ready(server, timeout)
                time.sleep(0.05)
                if process.poll() is not None:  # another server answered on that port
                    raise EvidenceGraphError(
                        f"oxigraph did not start on {HOST}:{chosen}: "
                        f"{_last_line(log_path) or 'the port is already in use'}"
                    )
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


def _launch(cmd: list[str], port: int, folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start Oxigraph bound to 127.0.0.1:``port``, in its own session (a terminal's
    Ctrl-C goes to us, and we stop it), killed if this process dies."""
    log_path = folder / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*cmd, "--bind", f"{HOST}:{port}"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    return process, log_path


@contextlib.contextmanager
def running_server(
    graph_file: Path | None,
    read_only: bool = True,
    *,
    port: int = 0,
    store_dir: Path | None = None,
    timeout: float = 20.0,
    query_timeout: float | None = None,
) -> Iterator[Server]:
    """A server for the length of a ``with`` block (tests and benchmarks share it)."""
    server = serve(
        graph_file,
        port,
        store_dir,
        read_only=read_only,
        timeout=timeout,
        query_timeout=query_timeout,
    )
    try:
        yield server
    finally:
        server.stop()
