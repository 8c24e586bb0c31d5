"""Where the ontology, data, rules and queries live.

The project folder is, in order: ``$EVIDENCEGRAPH_HOME``; the current
directory when it holds ``ontology/evidencegraph.ttl`` (so a curator who ran
``pip install .`` still builds the checkout they are editing); the source
checkout this module lives in; the copy shipped inside the wheel
(``evidencegraph/_resources``). Everything else asks here.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _is_project(folder: Path) -> bool:
    return (folder / "ontology" / "evidencegraph.ttl").is_file()


def _root() -> Path:
    env = os.environ.get("EVIDENCEGRAPH_HOME")
    candidates = [Path(env)] if env else []
    candidates += [Path.cwd(), _PKG.parent.parent, _PKG / "_resources"]
    for c in candidates:
        if _is_project(c):
            return c.resolve()
    return _PKG.parent.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "evidencegraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
RULES_DIR = ONTOLOGY_DIR / "rules"
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"

RDF_SUFFIXES = {".ttl", ".nt", ".rdf", ".owl", ".xml", ".jsonld"}


def default_sources() -> list[Path]:
    """The ontology (without shapes) and every data file, in a stable order."""
    return [ONTOLOGY_FILE, *data_files(DATA_DIR)]


def data_files(folder: Path) -> list[Path]:
    """RDF files under a folder, sorted, so loading order never varies."""
    return sorted(p for p in folder.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())
