"""Records of the evidence model as the views read it: plain values, one shape for
trace, viz and the site alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Link:
    """One member of a guidance's evidence set (an ``eg:EvidenceLink`` the build made):
    what it rests on or bears on, by which relation and on what basis, through what,
    and where the page says so."""

    guidance: str
    evidence: str
    relation: str
    basis: str
    target: str
    via: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
