"""The version, written once: pyproject.toml reads it (hatch), the CLI and the
User-Agent read it, and a test holds the ontology's and dataset's
``owl:versionInfo`` to it."""

__version__ = "0.1.0"
