"""Slide figures: 1920×1080 SVG and PNG, drawn by Graphviz, one per guidance and one
per discussion prompt (:mod:`.slides` says what each shows, :mod:`.timeline` lays
it out).
"""

from __future__ import annotations

import re

from evidencegraph.errors import OutputError
from evidencegraph.viz.model import Model
from evidencegraph.viz.slides import Figure, figures, slug
from evidencegraph.viz.timeline import HEIGHT_PX, WIDTH_PX, fitted_sources

__all__ = ["figures", "render_figures", "sized_svg", "slug"]


def sized_svg(svg: bytes) -> bytes:
    """The SVG as 1920×1080 px (Graphviz writes points): same drawing, same viewBox."""
    text = svg.decode("utf-8")
    text = re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{WIDTH_PX}px" height="{HEIGHT_PX}px"',
        text,
        count=1,
    )
    return text.encode("utf-8")


def render_figures(model: Model) -> dict[str, bytes]:
    """``figures/<name>.svg`` and ``.png`` for every figure, 1920×1080.

    One ``dot`` run per file, several at a time (PNG rendering dominates).
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    import graphviz

    def run(fig: Figure) -> list[tuple[str, bytes]]:
        out = []
        try:
            for name, src in fitted_sources(model, fig):
                out.append((f"figures/{name}.svg", sized_svg(src.pipe(format="svg"))))
                out.append((f"figures/{name}.png", src.pipe(format="png")))
        except graphviz.ExecutableNotFound as err:
            raise OutputError(
                "slide figures need Graphviz's `dot` (Debian: apt install graphviz)"
            ) from err
        except graphviz.CalledProcessError as err:
            raise OutputError(f"Graphviz failed on {fig.name}: {err}") from err
        return out

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        return dict(kv for pair in pool.map(run, figures(model)) for kv in pair)
