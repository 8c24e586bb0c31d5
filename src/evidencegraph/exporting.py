"""Export the drawn graph for Gephi, Cytoscape Desktop and Graphviz.

The nodes and relations are those of the workshop views (:mod:`evidencegraph.viz`),
so an export and ``graph.html`` show the same graph. Every node carries its
IRI, label, class, design, year and listing role; every edge its relation
name, predicate IRI and the page section it comes from. GraphML, GEXF and
Cytoscape JSON are written by networkx's writers; DOT by the ``graphviz``
package (networkx's DOT writer needs pydot or pygraphviz, which are not
dependencies).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evidencegraph.errors import OutputError, ParameterError
from evidencegraph.writing import atomic_file, write_atomic

FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "cytoscape-json": ".cyjs", "dot": ".dot"}


def to_networkx(model: Any) -> Any:
    """A ``networkx.MultiDiGraph`` of the model, attributes as plain strings and ints."""
    import networkx as nx

    from evidencegraph import viz

    g = nx.MultiDiGraph(**_xml_safe({"name": model.heading, "attribution": model.attribution}))
    for n in sorted(model.nodes.values(), key=lambda n: n.iri):
        attrs: dict[str, Any] = {
            "label": n.label,
            "iri": n.iri,
            "curie": n.curie,
            "class": n.cls,
            "class_name": model.class_name(n.cls),
            "design": n.design,
            "rests_on_it": n.rests_on_it,
        }
        if n.year is not None:
            attrs["year"] = n.year
        if n.role:
            attrs["role"] = n.role
        if n.countries:
            attrs["countries"] = "; ".join(n.countries)
        g.add_node(n.iri, **_xml_safe(attrs))
    for e in model.edges:
        predicate, label = viz.RELATIONS[e.rel].predicate, model.relation_label(e.rel)
        attrs = {"relation": e.rel, "relation_label": label, "predicate": predicate}
        if e.section:
            attrs["section"] = e.section
        g.add_edge(e.source, e.target, key=e.rel, **_xml_safe(attrs))
    return g


def _xml_safe(attrs: dict[str, Any]) -> dict[str, Any]:
    """String attributes without the characters XML 1.0 forbids (GraphML and GEXF
    with a control character in a label were not well-formed)."""
    from evidencegraph.escaping import xml_safe

    return {k: xml_safe(v) if isinstance(v, str) else v for k, v in attrs.items()}


def render(fmt: str, model: Any) -> str:
    """The export of ``model`` in ``fmt`` as text."""
    import networkx as nx

    if fmt not in FORMATS:
        raise ParameterError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    g = to_networkx(model)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
        return buf.getvalue().decode("utf-8")
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
        return buf.getvalue().decode("utf-8")
    if fmt == "cytoscape-json":
        data = nx.cytoscape_data(g, name="label", ident="id")
        data["data"] = dict(g.graph)  # Cytoscape reads network attributes as an object
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return _dot(g)


def _dot(g: Any) -> str:
    import graphviz

    from evidencegraph import viz
    from evidencegraph.viz.style import dot_text

    def text(s: object) -> Any:
        return dot_text(str(s))

    dot = graphviz.Digraph(name="evidencegraph")
    dot.attr(label=text(g.graph.get("attribution", "")), labelloc="b", rankdir="TB")
    ids = {}
    for i, (node, data) in enumerate(g.nodes(data=True)):
        ids[node] = f"n{i}"
        colour = viz.CLASSES[data["class"]].colour
        dot.node(
            ids[node],
            **{k: text(v) for k, v in data.items()},
            style="filled",
            fillcolor=colour,
            shape="box",
        )
    for a, b, data in g.edges(data=True):
        dot.edge(
            ids[a],
            ids[b],
            **{k: text(v) for k, v in data.items()},
            xlabel=text(data["relation_label"]),
        )
    return dot.source


def export(
    fmt: str,
    out: Path | str | None = None,
    *,
    source: Any = None,
    classes: Sequence[str] | str | None = None,
    relations: Sequence[str] | str | None = None,
) -> Path:
    """Write the graph as ``fmt`` to ``out`` (default ``build/evidencegraph.<ext>``).

    The file is written atomically (temporary file, then rename); ``out="-"``
    writes to standard output. Returns the path written.
    """
    from evidencegraph import viz

    if fmt == "nt":
        return _export_ntriples(out, source, classes, relations)
    if fmt not in FORMATS:
        raise ParameterError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    model = viz.select(viz.load_model(source), classes=classes, relations=relations)
    if str(out) == "-":
        sys.stdout.write(render(fmt, model))
        sys.stdout.flush()
        return Path("-")
    path = Path(out) if out is not None else Path("build") / f"evidencegraph{FORMATS[fmt]}"
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    write_atomic(path, render(fmt, model))
    return path


def _export_ntriples(out: Path | str | None, source: Any, classes: Any, relations: Any) -> Path:
    """The whole graph (data + inferred) streamed from the store as N-Triples."""
    from evidencegraph import engine

    if classes or relations:
        raise ParameterError("--format nt exports the whole graph; drop --classes/--relations")
    if source is None:
        from evidencegraph.querying import open_source

        source = open_source()
    graph = source.rdflib_graph()
    if graph is None:
        raise ParameterError(
            "--format nt streams from a local store; for an endpoint use the "
            "server's own dump (e.g. `oxigraph dump`)"
        )
    if str(out) == "-":
        engine.dump_ntriples(graph, sys.stdout.buffer)
        sys.stdout.flush()
        return Path("-")
    path = Path(out) if out is not None else Path("build") / "evidencegraph.nt"
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    with atomic_file(path) as fh:
        engine.dump_ntriples(graph, fh)
    return path
