"""The engine: the only code that imports pyoxigraph, oxrdflib or SPARQLWrapper.

Everything else sees rdflib terms and graphs, bare stores as opaque handles,
and these functions. An import-linter contract (``make lint``) keeps it so.

- :mod:`.store`: which engine backs a graph; stores; triples in bulk;
- :mod:`.parse`: files and answers parsed defensively;
- :mod:`.terms`: terms across the border;
- :mod:`.answers`: running queries and reading their answers;
- :mod:`.writers`: canonical Turtle, N-Triples and JSON-LD;
- :mod:`.client`: the SPARQL Protocol request for a remote endpoint.
"""

from __future__ import annotations

from evidencegraph.engine.answers import (
    cap_rows,
    construct_into,
    construct_strings,
    iter_answer,
    native_answer,
    query_error,
    run,
    run_native,
)
from evidencegraph.engine.parse import (
    MAX_JSON_DEPTH,
    PARALLEL_CHECK_BYTES,
    SMALL_FILE_BYTES,
    add_ox_triples,
    check_rdf_bytes,
    check_regular_file,
    native_load_file,
    parse_file,
    parse_rdf_answer,
    read_triples,
)
from evidencegraph.engine.store import (
    ENGINES,
    add_triples,
    configure,
    default_engine,
    default_store_dir,
    dump_ntriples,
    engine_of,
    native_add,
    native_copy,
    native_of,
    native_store,
    new_graph,
    ox_triples,
    sorted_ntriples,
    wrap_native,
)
from evidencegraph.engine.terms import canonical_lexical, from_ox, memo_from_ox, to_ox
from evidencegraph.engine.writers import to_jsonld, to_ntriples, to_turtle

__all__ = [
    "ENGINES",
    "MAX_JSON_DEPTH",
    "PARALLEL_CHECK_BYTES",
    "SMALL_FILE_BYTES",
    "add_ox_triples",
    "add_triples",
    "canonical_lexical",
    "cap_rows",
    "check_rdf_bytes",
    "check_regular_file",
    "configure",
    "construct_into",
    "construct_strings",
    "default_engine",
    "default_store_dir",
    "dump_ntriples",
    "engine_of",
    "from_ox",
    "iter_answer",
    "memo_from_ox",
    "native_add",
    "native_answer",
    "native_copy",
    "native_load_file",
    "native_of",
    "native_store",
    "new_graph",
    "ox_triples",
    "parse_file",
    "parse_rdf_answer",
    "query_error",
    "read_triples",
    "run",
    "run_native",
    "sorted_ntriples",
    "to_jsonld",
    "to_ntriples",
    "to_ox",
    "to_turtle",
    "wrap_native",
]
