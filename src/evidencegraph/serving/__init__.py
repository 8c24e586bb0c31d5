"""Serving the graph: a private Oxigraph server behind a read-only, time-limited proxy.

- :mod:`.oxigraph`: start, load, restart and stop the ``oxigraph`` server on loopback;
- :mod:`.proxy`: what clients reach (SERVICE, FROM and updates refused);
- :mod:`.loop`: ``serve``, the two together until interrupted.
"""
