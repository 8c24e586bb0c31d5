"""Typed errors, all of them. The CLI turns each into one plain line and an exit code.

Exit codes follow pySHACL: 0 conforms / success, 1 violations, 2 anything the
user must fix before the tool can run (load, parse, parameter, endpoint).
"""

from __future__ import annotations

from typing import Any


class EvidenceGraphError(Exception):
    """Base class: a problem to report in one line, never as a traceback."""

    exit_code = 2


class LoadError(EvidenceGraphError):
    """An input file could not be read or parsed (message names file:line:col)."""


class ValidationFailed(EvidenceGraphError):
    """The graph does not conform to the shapes; nothing was written.

    ``result`` is the :class:`~evidencegraph.shacl.ValidationResult` that says why.
    """

    exit_code = 1

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class QueryError(EvidenceGraphError):
    """A query is unknown, malformed, or not allowed (update, SERVICE, FROM)."""


class ParameterError(EvidenceGraphError):
    """A query parameter is missing, malformed, ambiguous or matches nothing."""


class EndpointError(EvidenceGraphError):
    """A SPARQL endpoint refused, timed out, or answered with something unusable."""


class ReadOnlyError(QueryError):
    """An update was sent where only read-only queries are allowed."""


class ReadOnlyStoreError(EndpointError, ReadOnlyError):
    """The server refused a write because it is read-only (catchable as either)."""


class UnsupportedShapeError(EvidenceGraphError, ValueError):
    """A shape uses a SHACL construct the compiler does not compile (auto falls back
    to pySHACL; ``--validator fast`` reports it)."""


class OutputError(EvidenceGraphError):
    """An output could not be written."""
