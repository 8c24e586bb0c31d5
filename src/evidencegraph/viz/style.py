"""How the workshop views look: colours, borders and line styles by class and relation.

Only looks live here. What a class or relation is called comes from the
ontology's labels (read with the model), so every view, the trace and the
ontology agree on names.

The looks are made for a projector in a lit room, which washes colours out:
every node is a box with its label inside in dark text on a strong fill (or
white on a dark one), at least 4.5:1 contrast (WCAG AA); a class is told by its
fill *and* its border (dashed claims, rounded recommendations, heavy
guidance), so colour is never the only cue. The fifteen relations fall into six
groups, each one dark colour (at least 4.5:1 against the white page) and one
dash pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evidencegraph.escaping import dot_escape
from evidencegraph.namespaces import CITO, EG


@dataclass(frozen=True)
class NodeStyle:
    """How one class of node is drawn. ``term`` is the ontology class whose label names it."""

    term: str
    colour: str  # fill; Okabe–Ito, colour-blind safe
    font: str  # label colour on that fill (contrast >= 4.5:1, tested)
    level: int  # band in the layouts: organisations, guidance, recommendations, claims, evidence
    border: str = "solid"  # solid, dashed, dotted, heavy, rounded
    shape: str = "box"  # vis-network shape: every node is a box with its label inside


@dataclass(frozen=True)
class Group:
    """One of the six line looks; ``name`` is the legend's words for the group."""

    name: str
    colour: str  # >= 4.5:1 against white, so the line survives a washed-out projector
    dashes: Any  # False (solid) or a vis-network dash pattern, distinct per group
    width: float


@dataclass(frozen=True)
class RelationStyle:
    """How one relation is drawn. ``predicate`` is the property whose label names it."""

    predicate: str
    group: str
    arrow: str  # "arrow", "bar", "circle" or "" (none)
    evidence: bool  # a hop `trace` follows

    @property
    def colour(self) -> str:
        return GROUPS[self.group].colour

    @property
    def dashes(self) -> Any:
        return GROUPS[self.group].dashes

    @property
    def width(self) -> float:
        return GROUPS[self.group].width


CLASSES: dict[str, NodeStyle] = {
    "organisation": NodeStyle(str(EG.Organisation), "#000000", "#ffffff", 0),
    "guidance": NodeStyle(str(EG.Guidance), "#D55E00", "#000000", 1, "heavy"),
    "recommendation": NodeStyle(str(EG.Recommendation), "#E69F00", "#000000", 2, "rounded"),
    "claim": NodeStyle(str(EG.Claim), "#CC79A7", "#000000", 3, "dashed"),
    "commentary": NodeStyle(str(EG.Commentary), "#F0E442", "#000000", 4, "dotted"),
    "review": NodeStyle(str(EG.Review), "#0072B2", "#ffffff", 4),
    "trial": NodeStyle(str(EG.Trial), "#009E73", "#000000", 4),
    "study": NodeStyle(str(EG.Study), "#56B4E9", "#000000", 4),
    "other": NodeStyle(str(EG.Document), "#BBBBBB", "#000000", 4),
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

GROUPS: dict[str, Group] = {
    "rests": Group("cites or rests on", "#000000", False, 3.5),
    "supports": Group("supports or bears on", "#006E4E", [14, 6], 3),
    "tempers": Group("tempers", "#A3246E", [5, 5], 3.5),
    "later": Group("not available / later", "#A33F00", [14, 5, 3, 5], 3),
    "related": Group("similar or related", "#595959", [2, 6], 3),
    "recommends": Group("recommends or issues", "#0061A0", [24, 5, 4, 5, 4, 5], 2.5),
}

RELATIONS: dict[str, RelationStyle] = {
    "cites-as-evidence": RelationStyle(str(CITO.citesAsEvidence), "rests", "arrow", True),
    "uses-data-from": RelationStyle(str(CITO.usesDataFrom), "rests", "arrow", True),
    "takes-lead-from": RelationStyle(str(EG.takesLeadFrom), "rests", "arrow", True),
    "rests-on": RelationStyle(str(EG.restsOn), "rests", "arrow", True),
    "analyses": RelationStyle(str(EG.analyses), "rests", "arrow", False),
    "supports": RelationStyle(str(EG.supports), "supports", "arrow", False),
    "bears-on": RelationStyle(str(EG.bearsOn), "supports", "arrow", False),
    "tempers": RelationStyle(str(EG.tempers), "tempers", "bar", False),
    "not-available-to": RelationStyle(str(EG.unavailableTo), "later", "arrow", False),
    "similar-to": RelationStyle(str(EG.similarTo), "related", "", False),
    "related-to": RelationStyle(str(EG.relatedTo), "related", "", False),
    "same-team-as": RelationStyle(str(EG.sameTeamAs), "related", "", False),
    "recommends": RelationStyle(str(EG.recommends), "recommends", "circle", False),
    "issued-by": RelationStyle(str(EG.issuedBy), "recommends", "arrow", False),
    "produced-for": RelationStyle(str(EG.producedFor), "recommends", "arrow", False),
}
RELATION_OF = {r.predicate: key for key, r in RELATIONS.items()}
SYMMETRIC = {"similar-to", "related-to", "same-team-as"}
EVIDENCE = tuple(k for k, r in RELATIONS.items() if r.evidence)
ROLES = {"S": "seminal study", "K": "key study", "R": "review", "G": "guidance"}

# Text sizes. Labels are drawn at FONT_PX canvas pixels; a view is readable when
# a label is at least READABLE_PX CSS pixels on screen (a 1280x720 projector
# seen from the back of a room), so no view zooms out below READABLE_PX / FONT_PX.
FONT_FACE = "DejaVu Sans"
FONT_STACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"
FONT_PX = 22
READABLE_PX = 14
WRAP = 26  # characters per label line; labels are wrapped, never cut short

# Slide figures: Graphviz shape and style by look (same fills and borders).
FIGURE_SHAPES = {
    "guidance": ("box", "bold"),
    "recommendation": ("box", "rounded"),
    "claim": ("box", "dashed"),
    "commentary": ("box", "dotted"),
    "review": ("box", ""),
    "trial": ("box", ""),
    "study": ("box", ""),
    "other": ("box", ""),
    "organisation": ("box", ""),
}


def luminance(colour: str) -> float:
    """Relative luminance of an ``#rrggbb`` colour (WCAG 2)."""
    h = colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21); text needs 4.5 (AA)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def dot_text(text: str) -> Any:
    """A Graphviz label (:func:`~evidencegraph.escaping.dot_escape`), never HTML-like."""
    import graphviz

    return graphviz.nohtml(dot_escape(text))


def tint(colour: str, amount: float = 0.3) -> str:
    """``colour`` mixed with white: a light fill that long black text reads well on."""
    h = colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02x}" for c in rgb)
