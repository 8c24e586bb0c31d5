"""Maximal simple paths from the root over the evidence hops, bounded.

A dense or cyclic graph cannot hang a trace: a depth cutoff and a path cap stop
the walk, and both are reported when hit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def enumerate_paths(
    edges: Iterable[tuple[str, str]], root: str, max_depth: int, max_paths: int
) -> tuple[list[list[str]], str]:
    """Node paths from ``root``, depth first, and a note if a limit was hit."""
    succ: defaultdict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        succ[a].append(b)
    for a in succ:
        succ[a].sort(reverse=True)
    paths: list[list[str]] = []
    depth_hit = False
    stack: list[list[str]] = [[root]]
    while stack:
        path = stack.pop()
        nxt = [n for n in succ.get(path[-1], ()) if n not in path]
        if len(path) - 1 >= max_depth and nxt:
            depth_hit = True
            nxt = []
        if not nxt:
            if len(path) > 1:
                paths.append(path)
                if len(paths) >= max_paths:
                    return paths, f"truncated at {max_paths} paths (raise --max-paths to see more)"
            continue
        stack.extend([*path, n] for n in nxt)
    note = (
        f"depth cutoff {max_depth} reached on some paths (raise --max-depth)" if depth_hit else ""
    )
    return sorted(paths), note
