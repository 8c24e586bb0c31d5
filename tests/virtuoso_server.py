"""A private Virtuoso 7 (Debian's ``virtuoso-t``) on loopback, for the parity tests.

:func:`running_virtuoso` writes an ini file into a fresh temporary folder
(database, logs and all), starts ``virtuoso-t +foreground`` with both its SQL
and HTTP ports bound to 127.0.0.1 on free ports, waits until ``/sparql``
answers, then configures it with ``isql-vt``:

* ``grant SPARQL_UPDATE to "SPARQL"``: the anonymous ``SPARQL`` account that
  serves ``/sparql`` and ``/sparql-graph-crud`` may then write (Graph Store PUT);
* a ``DB.DBA.SYS_SPARQL_HOST`` row for ``127.0.0.1:%`` naming
  :data:`DEFAULT_GRAPH`: Virtuoso has no default graph of its own (a query
  without ``default-graph-uri`` reads the union of every graph, its system
  graphs included, and ``/sparql-graph-crud?default`` is refused). With the
  row, ``?default`` writes into that graph and ``/sparql`` reads only it,
  so ``push`` and ``query --endpoint`` work unchanged;
* a random ``dba`` password, since the well-known default would let any local
  user administer the server while it runs.

On exit (also after an exception or a failed test) the server is shut down
(``shutdown`` by isql, which checkpoints; then SIGTERM, then SIGKILL) and the
folder removed. The server also gets SIGKILL if the Python process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evidencegraph.paths import find_tool

HOST = "127.0.0.1"
DEFAULT_GRAPH = "urn:evidencegraph:virtuoso-default-graph"
SERVER_BINARY = "virtuoso-t"
ISQL_BINARY = "isql-vt"
ONLINE = "Server online at"

# Close to Debian's /usr/share/virtuoso-opensource-7/virtuoso.ini: the same
# [SPARQL] limits and query parameters, but loopback ports, private paths, no
# hosting plugins, no periodic checkpoints, and OS calls and file access off.
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = {dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 200000000
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 4
AsyncQueueMaxThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[URIQA]
DynamicLocal = 0
DefaultHost = {host}:{http_port}

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""


class VirtuosoError(RuntimeError):
    """Virtuoso did not start or could not be configured; carries its log's tail."""


@dataclass
class Virtuoso:
    """A running private server; valid only inside :func:`running_virtuoso`."""

    process: subprocess.Popen[bytes]
    http_port: int
    sql_port: int
    workdir: Path
    password: str
    startup_seconds: float

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def gsp_url(self) -> str:
        """The SPARQL 1.1 Graph Store endpoint (anonymous, hence the grant)."""
        return f"{self.url}/sparql-graph-crud"

    @property
    def log_path(self) -> Path:
        return self.workdir / "virtuoso.log"

    def log_tail(self, lines: int = 15) -> str:
        return _tail(self.log_path, lines)

    def isql(self, sql: str, *, timeout: float = 30) -> str:
        """Run SQL statements as ``dba``; raise with isql's message if one fails."""
        return _isql(self.sql_port, self.password, sql, timeout=timeout)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: SIGKILL the server if the test process dies without cleaning up."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _isql(port: int, password: str, sql: str, *, timeout: float = 30) -> str:
    isql = find_tool(ISQL_BINARY)
    if isql is None:
        raise VirtuosoError(f"{ISQL_BINARY} is not installed (Debian: virtuoso-opensource-7-bin)")
    proc = subprocess.run(
        [isql, f"{HOST}:{port}", "dba", password, f"exec={sql}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or "*** Error" in out:
        raise VirtuosoError(f"isql failed ({proc.returncode}): {out.strip()[-500:]}")
    return out


def _answers(url: str) -> bool:
    req = urllib.request.Request(
        f"{url}/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=2) as resp:
            return resp.status == 200 and b"boolean" in resp.read()
    except (urllib.error.URLError, OSError):
        return False


def _start(binary: str, workdir: Path, deadline: float) -> tuple[subprocess.Popen[bytes], int, int]:
    """One start attempt on fresh ports; raises (with the log's tail) when it fails."""
    sql_port = _free_port()
    http_port = _free_port()
    while http_port == sql_port:
        http_port = _free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(INI.format(dir=workdir, host=HOST, sql_port=sql_port, http_port=http_port))
    (workdir / "vsp").mkdir(exist_ok=True)
    with open(workdir / "stdout.log", "ab") as out:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    url = f"http://{HOST}:{http_port}"
    log = workdir / "virtuoso.log"
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise VirtuosoError(
                    f"virtuoso-t exited with {proc.returncode}:\n{_tail(log, 15)}\n"
                    f"{_tail(workdir / 'stdout.log', 5)}"
                )
            online = log.exists() and ONLINE in log.read_text("utf-8", "replace")
            if online and _answers(url):
                return proc, sql_port, http_port
            time.sleep(0.05)
        raise VirtuosoError(f"virtuoso-t did not answer /sparql in time:\n{_tail(log, 15)}")
    except BaseException:
        _stop_process(proc, None, None)
        raise


def _stop_process(proc: subprocess.Popen[bytes], port: int | None, password: str | None) -> None:
    """``shutdown`` (checkpoint, clean exit), then SIGTERM (quick shutdown), then SIGKILL."""
    if proc.poll() is None and port is not None and password is not None:
        try:
            _isql(port, password, "shutdown;", timeout=15)
        except (VirtuosoError, subprocess.TimeoutExpired, OSError):
            pass  # SIGTERM below
        else:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    proc.wait(timeout=10)


@contextlib.contextmanager
def running_virtuoso(
    *, default_graph: str = DEFAULT_GRAPH, timeout: float = 120, attempts: int = 3
) -> Iterator[Virtuoso]:
    """Start a private Virtuoso, writable by Graph Store PUT; stop it and clean up on exit."""
    binary = find_tool(SERVER_BINARY)
    if binary is None:
        raise VirtuosoError(f"{SERVER_BINARY} is not installed (Debian: virtuoso-opensource-7-bin)")
    workdir = Path(tempfile.mkdtemp(prefix="evidencegraph-virtuoso-"))
    proc: subprocess.Popen[bytes] | None = None
    sql_port: int | None = None
    password: str | None = None
    try:
        began = time.monotonic()
        deadline = began + timeout
        for attempt in range(attempts):
            try:
                proc, sql_port, http_port = _start(binary, workdir, deadline)
                break
            except VirtuosoError:
                # Most likely a port taken between choosing and binding: retry
                # on new ports with a fresh database.
                if attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise
                for stale in workdir.iterdir():
                    if stale.is_file():
                        stale.unlink()
        assert proc is not None and sql_port is not None
        new_password = secrets.token_hex(16)
        graph = default_graph.replace("'", "''")
        _isql(
            sql_port,
            "dba",
            'grant SPARQL_UPDATE to "SPARQL"; '
            "insert replacing DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) "
            f"values ('{HOST}:%', '{graph}'); "
            f'set password "dba" "{new_password}";',
        )
        password = new_password
        server = Virtuoso(proc, http_port, sql_port, workdir, password, time.monotonic() - began)
        yield server
    finally:
        if proc is not None:
            _stop_process(proc, sql_port, password)
        shutil.rmtree(workdir, ignore_errors=True)
