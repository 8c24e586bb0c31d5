"""Where the ontology, data, rules and queries live.

The project folder is, in order: ``$EVIDENCEGRAPH_HOME``; the current
directory when it holds ``ontology/evidencegraph.ttl`` (so a curator who ran
``pip install .`` still builds the checkout they are editing); the source
checkout this module lives in; the copy shipped inside the wheel
(``evidencegraph/_resources``). Everything else asks here.
"""

from __future__ import annotations

import os
import shutil
import sys
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
    """RDF files under a folder, sorted, so loading order never varies.

    Extensions match case-insensitively (``.TTL`` is Turtle); other files are
    not RDF and are left alone. Nothing is skipped silently: an unreadable
    folder, a dangling link, and a link that leads out of the project (and
    out of ``folder``) are errors that name the link, never what it points to.
    """
    from evidencegraph.errors import LoadError

    folder = Path(folder)
    allowed = (ROOT.resolve(), folder.resolve())
    out: list[Path] = []
    seen: set[Path] = set()

    def inside(target: Path) -> bool:
        return any(target == a or a in target.parents for a in allowed)

    def fail(err: OSError) -> None:
        raise LoadError(f"{err.filename}: cannot read folder ({err.strerror or err})")

    def walk(top: Path) -> None:
        real = top.resolve()
        if real in seen:  # a link loop
            return
        seen.add(real)
        for dirpath, dirnames, filenames in os.walk(top, onerror=fail):
            here = Path(dirpath)
            for name in sorted(dirnames):
                sub = here / name
                if sub.is_symlink():
                    target = sub.resolve()
                    if not inside(target):
                        raise LoadError(f"{sub}: a symbolic link out of the project; refused")
                    walk(sub)
            for name in filenames:
                p = here / name
                if p.suffix.lower() not in RDF_SUFFIXES:
                    continue
                if p.is_symlink():
                    if not p.exists():
                        raise LoadError(f"{p}: a symbolic link to a missing file")
                    if not inside(p.resolve()):
                        raise LoadError(f"{p}: a symbolic link out of the project; refused")
                out.append(p)

    walk(folder)
    return sorted(out)


def find_tool(name: str) -> str | None:
    """An executable installed beside this interpreter (a virtualenv's ``bin/``, where
    ``pip install oxigraph`` puts the server), else on ``PATH``; None if neither.

    The code, the tests and the benchmarks all look tools up here, so a tool
    a test can find is one the command can use.
    """
    beside = Path(sys.executable).with_name(name)
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)
