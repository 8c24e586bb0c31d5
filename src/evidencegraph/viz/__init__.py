"""Workshop visualisations: an interactive graph, an evidence map and slide figures.

Everything comes from one :class:`Model` read with the ``sparql/viz-*.rq``
queries (so it works on the embedded graph and on an endpoint): the relations
the page states, and the evidence links, post-datings and designs the build
derived. It is filtered once, so ``--focus``, ``--classes`` and ``--relations``
restrict every output to the same subset.

- ``graph.html`` (:mod:`.page`, laid out by :mod:`.layout`): one self-contained file,
  with presenter mode and the ``window.evidencegraph`` page API.
- ``evidence-map.html`` and ``.csv`` (:mod:`.evidence_map`): guidance × evidence.
- ``figures/<guidance>.svg`` and ``.png``, ``figures/prompt-<n>-<prompt>.svg`` and
  ``.png`` (:mod:`.figures`): 1920×1080 slides drawn by Graphviz.

Everything is sized for a 1280×720 projector seen from the back of a room
(:mod:`.style` holds the sizes and the looks).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evidencegraph.errors import OutputError
from evidencegraph.viz.evidence_map import (
    build_map,
    evidence_map_csv,
    render_evidence_map_html,
)
from evidencegraph.viz.figures import render_figures
from evidencegraph.viz.model import Model
from evidencegraph.viz.page import csp, render_graph_html, template
from evidencegraph.viz.reading import load_model
from evidencegraph.viz.selection import select
from evidencegraph.viz.style import CLASSES, RELATIONS
from evidencegraph.writing import write_outputs

DEFAULT_OUT = Path("build/viz")

__all__ = ["CLASSES", "DEFAULT_OUT", "RELATIONS", "Model", "load_model", "select", "visualise"]


def visualise(
    out_dir: Path | str = DEFAULT_OUT,
    *,
    focus: str | None = None,
    depth: int | None = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
    source: Any = None,
) -> list[Path]:
    """Write graph.html, evidence-map.html/.csv and figures/ into ``out_dir``.

    The files are replaced as one set (see :func:`write_outputs`); figures
    an earlier run wrote for guidance no longer drawn are removed, and
    nothing viz did not write.
    Without Graphviz's ``dot`` the pages are still written (graph.html then
    uses vis-network's own layered layout) and :class:`OutputError` reports
    the missing figures. Returns the paths written.
    """
    out_dir = Path(out_dir)
    model = select(
        load_model(source), focus=focus, depth=depth, classes=classes, relations=relations
    )
    em = build_map(model)
    files: dict[str, str | bytes] = {
        "graph.html": render_graph_html(model),
        "evidence-map.html": render_evidence_map_html(
            model, em, template("evidence-map.html"), csp([])
        ),
        "evidence-map.csv": evidence_map_csv(model, em),
    }
    figure_error: OutputError | None = None
    try:
        files.update(render_figures(model))
    except OutputError as err:  # no `dot`: still write the pages, then report it
        figure_error = err
    written = write_outputs(out_dir, files, prune=figure_error is None)
    if figure_error is not None:
        raise figure_error
    return written
