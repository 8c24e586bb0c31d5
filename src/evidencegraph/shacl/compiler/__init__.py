"""Validate with whole-graph SPARQL: every shape compiled to queries run on the engine.

pySHACL stays the reference validator, but it evaluates each constraint focus
node by focus node in Python and runs a SHACL-SPARQL constraint once per
focus node, so it cannot validate 10^6 triples in bounded time. Here each
constraint of ``ontology/shapes.ttl`` becomes ONE SELECT over the whole
graph (ODK's ``*-violation.rq`` idea), generated from the shapes graph at run
time: the shapes file stays the single source of truth. The rows are merged
into a standard ``sh:ValidationReport`` and returned as the same
:class:`~evidencegraph.shacl.report.ValidationResult` pySHACL's route gives.

Every query has the same skeleton::

    SELECT ... WHERE {
        { SELECT DISTINCT ?this WHERE { { <target 1> } UNION { <target 2> } } }
        <the constraint, with ?this bound to a focus node>
    }

(the target subquery is left out when a shape's only target is its SPARQL
constraint with ?this free, as every SPARQL shape of shapes.ttl is written).
Compiled queries are cached per shapes-file content hash.

Semantics follow pySHACL 0.40 (``inference="none"``, ``advanced=True``,
``allow_warnings=True``). The package is split by section of the SHACL
specification, as pySHACL splits its constraint components:

* :mod:`.targets` (§2.1.3 targets, and SPARQL targets), :mod:`.paths`
  (§2.3.1 property paths), :mod:`.prologue` (§5.2.1 prefixes of SPARQL text);
* the constraint components: :mod:`.value_type` (§4.1 ``sh:class``,
  ``sh:datatype``, ``sh:nodeKind``), :mod:`.cardinality` (§4.2
  ``sh:minCount``, ``sh:maxCount``), :mod:`.value_range` (§4.3
  ``sh:min/maxInclusive``, ``sh:min/maxExclusive``), :mod:`.string_based`
  (§4.4 ``sh:pattern`` with ``sh:flags``), :mod:`.logical` (§4.6 ``sh:and``,
  ``sh:or``, ``sh:not``), :mod:`.shape_based` (§4.7 ``sh:node``,
  ``sh:property``), :mod:`.other` (§4.8 ``sh:in``, ``sh:hasValue``) and
  :mod:`.sparql` (§5 ``sh:sparql`` SELECT constraints, ``$this`` bound by
  joining the target, ``$PATH`` substituted);
* :mod:`.literals` (pySHACL's verdict on odd literals, rechecked in Python),
  :mod:`.context` (what they share: :class:`Check`, the compile context),
  :mod:`.checks` (the driver: shapes to checks) and :mod:`.run` (checks run
  on the engine, the report built).

Anything else in a shape raises :class:`UnsupportedShapeError` naming the
shape and the construct, so a new shape can never be skipped silently.
"""

from __future__ import annotations

from evidencegraph.errors import UnsupportedShapeError
from evidencegraph.shacl.compiler.checks import checks_for, compile_shapes
from evidencegraph.shacl.compiler.context import Check
from evidencegraph.shacl.compiler.run import validate

__all__ = [
    "Check",
    "UnsupportedShapeError",
    "checks_for",
    "compile_shapes",
    "validate",
]
