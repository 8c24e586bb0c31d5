"""The version is written once, in ``src/evidencegraph/_version.py``: pyproject.toml
reads it (hatch), the CLI prints it, and the ontology's and the dataset's
``owl:versionInfo`` must say the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

import evidencegraph
from conftest import ROOT

pytestmark = pytest.mark.core

VERSION_FILE = "src/evidencegraph/_version.py"

# The node of each file that carries the version.
VERSIONED = {
    "ontology/evidencegraph.ttl": "https://w3id.org/evidencegraph/ontology",
    "data/dataset.ttl": "https://w3id.org/evidencegraph/id/dataset/alcohol-treatment-matrix-e4",
}


def test_the_version_file_is_the_one_source() -> None:
    text = (ROOT / VERSION_FILE).read_text(encoding="utf-8")
    assert re.search(rf'^__version__ = "{re.escape(evidencegraph.__version__)}"$', text, re.M)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]$', pyproject, re.M), (
        'pyproject.toml: keep dynamic = ["version"]; the version lives in ' + VERSION_FILE
    )
    assert not re.search(r"^version = ", pyproject, re.M), (
        f"pyproject.toml: remove the version line; it lives in {VERSION_FILE}"
    )
    assert f'[tool.hatch.version]\npath = "{VERSION_FILE}"' in pyproject


@pytest.mark.parametrize("path", sorted(VERSIONED))
def test_owl_version_info_is_the_package_version(path: str) -> None:
    graph = Graph().parse(ROOT / path, format="turtle")
    node = URIRef(VERSIONED[path])
    found = sorted(str(v) for v in graph.objects(node, OWL.versionInfo))
    assert found == [evidencegraph.__version__], (
        f'{path}: set owl:versionInfo "{evidencegraph.__version__}" on <{node}> '
        f"(the version in {VERSION_FILE}); found {found or 'none'}"
    )
    others = sorted(f"<{s}> {o}" for s, o in graph.subject_objects(OWL.versionInfo) if s != node)
    assert not others, f"{path}: owl:versionInfo belongs on <{node}> only: {others}"


def test_the_installed_package_reports_the_same_version() -> None:
    from importlib.metadata import version

    assert version("evidencegraph") == evidencegraph.__version__, (
        "the installed metadata is stale: pip install -e '.[test]' again"
    )
    assert Path(evidencegraph.__file__).resolve().is_relative_to(ROOT / "src"), (
        f"the tests import {evidencegraph.__file__}, not this checkout's src/"
    )
