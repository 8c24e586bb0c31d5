"""``serve``: the validated graph read-only on a private Oxigraph, behind the safe proxy.

Oxigraph answers on a private loopback port; the proxy (:mod:`.proxy`) is what
clients reach, refuses SERVICE, FROM and updates, and stops queries at the
time limit. A query stuck past its limit, or a crash, restarts Oxigraph
(queries running at that moment fail, the rest go on).
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evidencegraph.building.publish import publishable
from evidencegraph.errors import EvidenceGraphError
from evidencegraph.limits import check_seconds
from evidencegraph.serving import oxigraph
from evidencegraph.serving.proxy import SafeProxy

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    graph_file: Path | None = None,
    timeout: float = 30.0,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
) -> None:
    """Serve until SIGTERM, SIGHUP or Ctrl-C; then stop Oxigraph and remove its files."""
    warn = warn or say
    check_seconds(timeout)

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    proxy = SafeProxy(host, port, 0, query_timeout=timeout)  # the port is taken now, or never
    try:
        graph = publishable(graph_file)
        oxigraph.clean_stale_temp()
        prefix = f"{oxigraph.TEMP_PREFIX}{os.getpid()}-"
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            nt = Path(tmp) / "graph.nt"
            nt.write_bytes(graph.ntriples)
            with oxigraph.running_server(nt, read_only=True, query_timeout=timeout) as srv:
                proxy.backend_port = srv.port
                thread = threading.Thread(target=proxy.serve_forever, daemon=True)
                thread.start()
                url = f"http://{host}:{proxy.port}"
                say(f"serving {graph.triples} triples read-only on {url}/")
                say(f"SPARQL query page: {url}/")
                say(f"endpoint: {url}/query  (evidencegraph query NAME --endpoint {url})")
                if host not in LOOPBACK:
                    say(
                        "reachable from other machines: read-only, SERVICE/FROM refused, "
                        f"queries stopped after {timeout:g} s"
                    )
                say("Ctrl-C stops the server")
                try:
                    supervise(srv, proxy, warn)
                except KeyboardInterrupt:
                    warn("stopped")
                finally:
                    proxy.shutdown()
    except KeyboardInterrupt:
        warn("stopped")
    finally:
        proxy.server_close()


def supervise(srv: oxigraph.Server, proxy: SafeProxy, warn: Callable[[str], None]) -> None:
    """Keep Oxigraph answering until interrupted, restarting it when a query runs past
    its limit or it stops; ten restarts in a minute is an error."""
    restarts: list[float] = []
    while True:
        stuck = proxy.stuck.wait(0.5)
        if not stuck and srv.process.poll() is None:
            continue
        why = "a query ran past its limit" if stuck else "it stopped"
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < 60] + [now]
        if len(restarts) > 10:
            raise EvidenceGraphError("the SPARQL server had to be restarted 10 times in a minute")
        srv.restart()
        proxy.backend_port = srv.port
        proxy.stuck.clear()
        warn(f"restarted the SPARQL server ({why})")
