"""How the workshop views look: colours, shapes and line styles by class and relation.

Only looks live here. What a class or relation is called comes from the
ontology's labels (read with the model), so every view, the trace and the
ontology agree on names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evidencegraph.namespaces import CITO, EG


@dataclass(frozen=True)
class NodeStyle:
    """How one class of node is drawn. ``term`` is the ontology class whose label names it."""

    term: str
    colour: str  # Okabe–Ito, colour-blind safe
    shape: str  # vis-network shape
    font: str  # label colour inside box and ellipse shapes
    level: int  # row in the layered layout: guidance above reviews above studies


@dataclass(frozen=True)
class RelationStyle:
    """How one relation is drawn. ``predicate`` is the property whose label names it."""

    predicate: str
    colour: str
    dashes: Any  # False, or a vis-network dash pattern
    arrow: str  # "arrow", "bar", "circle" or "" (none)
    width: float
    evidence: bool  # a hop `trace` follows


CLASSES: dict[str, NodeStyle] = {
    "organisation": NodeStyle(str(EG.Organisation), "#000000", "ellipse", "#ffffff", 0),
    "guidance": NodeStyle(str(EG.Guidance), "#D55E00", "box", "#000000", 1),
    "recommendation": NodeStyle(str(EG.Recommendation), "#E69F00", "star", "#000000", 2),
    "claim": NodeStyle(str(EG.Claim), "#F0E442", "triangleDown", "#000000", 3),
    "commentary": NodeStyle(str(EG.Commentary), "#CC79A7", "hexagon", "#000000", 3),
    "review": NodeStyle(str(EG.Review), "#0072B2", "diamond", "#000000", 4),
    "trial": NodeStyle(str(EG.Trial), "#009E73", "triangle", "#000000", 5),
    "study": NodeStyle(str(EG.Study), "#56B4E9", "dot", "#000000", 5),
    "other": NodeStyle(str(EG.Document), "#BBBBBB", "square", "#000000", 5),
}

# Which look each design (the build's eg:design) takes; classes not named here are "other".
LOOK_OF = {
    str(EG[name]): look
    for name, look in (
        ("Organisation", "organisation"),
        ("Guidance", "guidance"),
        ("Recommendation", "recommendation"),
        ("Claim", "claim"),
        ("Commentary", "commentary"),
        ("Review", "review"),
        ("RandomisedTrial", "trial"),
        ("Trial", "trial"),
        ("ObservationalStudy", "study"),
        ("ImplementationStudy", "study"),
        ("ModellingStudy", "study"),
        ("Study", "study"),
    )
}

RELATIONS: dict[str, RelationStyle] = {
    "cites-as-evidence": RelationStyle(
        str(CITO.citesAsEvidence), "#0072B2", False, "arrow", 3, True
    ),
    "uses-data-from": RelationStyle(str(CITO.usesDataFrom), "#56B4E9", [14, 5], "arrow", 3, True),
    "takes-lead-from": RelationStyle(
        str(EG.takesLeadFrom), "#D55E00", [18, 6, 4, 6], "arrow", 3, True
    ),
    "rests-on": RelationStyle(str(EG.restsOn), "#000000", False, "arrow", 5, True),
    "tempers": RelationStyle(str(EG.tempers), "#CC79A7", [4, 5], "bar", 3, False),
    "supports": RelationStyle(str(EG.supports), "#009E73", [10, 4], "arrow", 2.5, False),
    "bears-on": RelationStyle(str(EG.bearsOn), "#A0457A", [6, 3, 2, 3], "arrow", 2, False),
    "similar-to": RelationStyle(str(EG.similarTo), "#777777", [2, 6], "", 2, False),
    "related-to": RelationStyle(str(EG.relatedTo), "#AAAAAA", [2, 6], "", 1.5, False),
    "same-team-as": RelationStyle(str(EG.sameTeamAs), "#AAAAAA", [2, 6], "", 1.5, False),
    "recommends": RelationStyle(str(EG.recommends), "#E69F00", False, "circle", 2, False),
    "issued-by": RelationStyle(str(EG.issuedBy), "#555555", False, "arrow", 1.5, False),
    "produced-for": RelationStyle(str(EG.producedFor), "#555555", [6, 4], "arrow", 1.5, False),
    "not-available-to": RelationStyle(str(EG.unavailableTo), "#D55E00", [3, 3], "arrow", 2, False),
    "analyses": RelationStyle(str(EG.analyses), "#CC79A7", [8, 4], "arrow", 1.5, False),
}
RELATION_OF = {r.predicate: key for key, r in RELATIONS.items()}
SYMMETRIC = {"similar-to", "related-to", "same-team-as"}
EVIDENCE = tuple(k for k, r in RELATIONS.items() if r.evidence)
ROLES = {"S": "seminal study", "K": "key study", "R": "review", "G": "guidance"}

# Slide figures: Graphviz shape and style by look.
FIGURE_SHAPES = {
    "guidance": ("box", ""),
    "recommendation": ("note", ""),
    "claim": ("box", "rounded,dashed"),
    "commentary": ("box", "rounded"),
    "review": ("box3d", ""),
    "trial": ("ellipse", ""),
    "study": ("ellipse", ""),
    "other": ("box", "rounded"),
    "organisation": ("ellipse", ""),
}
