"""Where the ontology, data, rules and queries live.

In a source checkout they are the top-level folders; in an installed wheel
they are copied under ``evidencegraph/_resources``. Everything else asks here.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _root() -> Path:
    installed = _PKG / "_resources"
    if installed.is_dir():
        return installed
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
