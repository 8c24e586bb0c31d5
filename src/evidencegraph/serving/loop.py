"""``serve``: the validated graph read-only on a private Oxigraph, behind the safe proxy,
with the site (``evidencegraph site``) and its workbench on the same address.

Oxigraph answers on a private loopback port; the proxy (:mod:`.proxy`) is what
clients reach, refuses SERVICE, FROM and updates, and stops queries at the
time limit. The site is written from the very graph served (or an existing
site folder is served as it is). A query stuck past its limit, or a crash, restarts Oxigraph
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
from evidencegraph.serving.site_files import SiteFiles

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    graph_file: Path | None = None,
    timeout: float = 30.0,
    site_dir: Path | None = None,
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
            proxy.site = SiteFiles(site_dir if site_dir is not None else _site(nt, Path(tmp)))
            with oxigraph.running_server(nt, read_only=True, query_timeout=timeout) as srv:
                proxy.backend_port = srv.port
                thread = threading.Thread(target=proxy.serve_forever, daemon=True)
                thread.start()
                url = f"http://{host}:{proxy.port}"
                say(f"serving {graph.triples} triples read-only on {url}/")
                say(f"site: {url}/")
                say(f"SPARQL query page: {url}/workbench.html")
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


def _site(nt: Path, tmp: Path) -> Path:
    """The site of the graph being served, written into the server's temporary folder."""
    from evidencegraph.querying import open_source
    from evidencegraph.website import site

    folder = tmp / "site"
    site(folder, source=open_source(graph_file=nt))
    return folder


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
