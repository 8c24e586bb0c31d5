"""Competency questions: what a reader of the E4 page can ask, answered by SPARQL.

Each test quotes the page (``../shared/seeds/000_ce4cb470b6e6483c.txt``), asks
the graph (ontology + data with the build rules applied: the session ``graph``
fixture) a question kept in ``tests/competency/NAME.rq``, and compares with the
answer written from the page as a Python literal (IRIs from ``iris.py``).
Prefixes (``doc:``, ``rec:``, ``org:``, ``eg:`` ...) come from
:func:`evidencegraph.namespaces.sparql_prologue`; a question's ``$variables``
are bound to IRIs as terms.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import ROOT, read_sparql, select
from iris import (
    CARE_COORDINATION,
    CASE_MANAGEMENT,
    CASE_MANAGEMENT_ROLE,
    CLINICAL,
    CLINICAL_FULL,
    COMMISSIONING,
    DOC,
    EG,
    EXTENSIVE_TRIAL,
    FUNDER_STUDY,
    MUTUAL_AID_FOR_ALL,
    NEW_GROUPS,
    NICE,
    ORG,
    REVIEW2019,
    S1981,
    SAMHSA1998,
    SESSION_STRUCTURE,
    SYN2014,
    THIRD_TRIAL,
    UK2012,
    VA2007,
)

pytestmark = pytest.mark.core


def ask(graph, name: str, **bound: str) -> list[tuple]:
    """Rows of the question ``tests/competency/NAME.rq``; ``$name`` in it becomes
    ``<bound[name]>`` (Oxigraph binds only projected variables, these are not)."""
    text = read_sparql(f"competency/{name}")
    for var, iri in bound.items():
        assert f"${var}" in text, f"{name}.rq has no ${var}"
        text = text.replace(f"${var}", URIRef(iri).n3())
    return select(graph, text)


def values(graph, name: str, **bound: str) -> set:
    """The first column of a question's rows, as a set of strings."""
    return {r[0] for r in ask(graph, name, **bound)}


def test_every_question_is_asked_and_parses() -> None:
    from rdflib.plugins.sparql import prepareQuery

    from evidencegraph.namespaces import sparql_prologue

    files = sorted((ROOT / "tests" / "competency").glob("*.rq"))
    assert len(files) >= 40
    source = Path(__file__).read_text(encoding="utf-8")
    unused = [f.stem for f in files if f'"{f.stem}"' not in source]
    assert not unused, f"tests/competency/ holds questions no test asks: {unused}"
    for f in files:
        prepareQuery(sparql_prologue() + f.read_text(encoding="utf-8"))


def test_which_guidance_rests_on_the_va_trial(graph):
    # "the only study cited in NICE's clinical guidelines ... Largely relying these findings,
    # NICE's alcohol services commissioning guidance ..."
    found = values(graph, "guidance-resting-on-the-va-study")
    assert found == {CLINICAL, COMMISSIONING}


def test_which_trials_the_commissioning_guidance_rests_on(graph):
    # The VA study plus "the other studies cited by NICE": "a US trial" of more extensive
    # encouragement and "a third US trial".
    found = values(graph, "trials-the-commissioning-guidance-rests-on")
    assert found == {VA2007, THIRD_TRIAL, EXTENSIVE_TRIAL}


def test_what_nice_clinical_guidelines_cite_as_evidence(graph):
    found = values(graph, "cited-as-evidence-by-the-clinical-guidelines")
    assert {VA2007, THIRD_TRIAL, EXTENSIVE_TRIAL} <= found
    assert UK2012 not in found


def test_what_the_commissioning_guidance_takes_its_lead_from(graph):
    # "On psychosocial interventions, NICE took its lead from associated clinical guidelines"
    found = values(graph, "what-the-commissioning-guidance-takes-its-lead-from")
    assert found == {CLINICAL}
    issuer = values(graph, "issuers-of", g=CLINICAL)
    assert issuer == {NICE}


def test_what_the_commissioning_guidance_recommends(graph):
    # Psychological interventions as a key component; "specify [their] structure and
    # duration"; mutual aid "for all people seeking help"; "supporting the establishment of new
    # groups ... make rooms available"; "case management ... complex needs"; "Care
    # coordination should be part of the routine care of all service users".
    found = values(graph, "recommendations-of-the-commissioning-guidance")
    assert found >= {
        SESSION_STRUCTURE,
        MUTUAL_AID_FOR_ALL,
        NEW_GROUPS,
        CASE_MANAGEMENT,
        CARE_COORDINATION,
    }


def test_what_tempers_nices_mutual_aid_recommendation(graph):
    # "Not at the time available to NICE were the results of a British study ... which might
    # have tempered its enthusiasm for encouraging referral to 12-step groups."
    found = values(graph, "documents-tempering-the-mutual-aid-recommendation")
    assert UK2012 in found
    assert VA2007 not in found, "the VA study is what NICE relied on, not what tempers it"


def test_what_tempers_the_session_structure_recommendation(graph):
    # "a US study which found substance use outcomes were relatively poor at centres
    # constrained by funders ... suggests we should question any advice ... de-individualising"
    found = values(graph, "studies-tempering-the-session-structure-recommendation")
    assert found == {FUNDER_STUDY}


def test_which_recommendation_lacks_evidence(graph):
    # "for this core function, the guidelines offer no evidence at all"
    found = values(graph, "recommendations-lacking-evidence")
    assert found == {CARE_COORDINATION}
    unsupported = values(graph, "recommendations-lacking-evidence-and-support")
    assert unsupported == found


def test_what_supports_case_management(graph):
    # "the similar but more active and specialised case management role (recommended only for
    # harder-to-hold and more complex cases) is supported by at least some research evidence in
    # NICE's clinical guidelines and from documents listed above (1 2 3)". The page does not
    # name the three documents; the two listed case-management documents point to this
    # section ("for related discussion"), the earlier 2006 review is not listed above.
    found = values(graph, "documents-supporting-the-case-management-role")
    assert found == {
        CLINICAL,
        REVIEW2019,
        SAMHSA1998,
    }


def test_case_management_role_is_a_separate_recommendation(graph):
    # The commissioning guidance's "ensure that case management is available to people with
    # complex needs, so they receive additional support and/or transport ... to attend
    # meetings" is not the role "recommended only for harder-to-hold and more complex cases".
    rows = ask(graph, "who-recommends-case-management")
    assert set(rows) == {
        (CASE_MANAGEMENT, COMMISSIONING),
        (CASE_MANAGEMENT_ROLE, CLINICAL),
    }
    quote = values(graph, "quote-of-the-case-management-recommendation")
    assert any("transport" in q for q in quote)


def test_evidence_not_available_to_nice(graph):
    # "further evidence not available to NICE at the time": the British study and the synthesis
    found = values(graph, "documents-unavailable-to-the-commissioning-guidance")
    assert {UK2012, SYN2014} <= found
    assert VA2007 not in found


def test_similar_studies_of_the_seminal_trial(graph):
    # "Similar contemporary trials from the UK and USA below."
    found = values(graph, "studies-similar-to-the-seminal-trial")
    assert found == {VA2007, UK2012}
    # "Seminal study above and similar US study below" (from the UK study)
    assert values(graph, "studies-similar-to", d=UK2012) == {S1981, VA2007}


def test_seminal_trial_figures(graph):
    # "Randomised trial with just 20 participants ... none went ... all did"
    rows = ask(graph, "figures-of-the-seminal-trial")
    assert 20 in {int(c) for c, _ in rows if c}
    assert {float(p) for _, p in rows if p} == {0.0, 100.0}
    assert values(graph, "classes-of", d=S1981) >= {EG + "RandomisedTrial"}


def test_treatment_statistics_figures(graph):
    # "in 2018/19 in England, of the 73,556 drinkers ... just 19% were prescribed ... 47%"
    rows = ask(graph, "figures-with-a-reference-year")
    assert {int(c) for c, _, _ in rows if c} == {73556}
    assert {float(p) for _, p, _ in rows if p} == {19.0, 47.0}
    assert {p for _, _, p in rows} == {"2018/19"}


def test_va_study_abstinence_figures(graph):
    # "another 10% of former patients abstinent ... (51% v. 41%)"; "three sessions"
    rows = ask(graph, "figures-of-the-va-study")
    assert {float(p) for p, _ in rows if p} == {51.0, 41.0, 10.0}
    assert {int(c) for _, c in rows if c} == {3}


def test_other_figures(graph):
    # "about 1 in 5 ... alcohol was their primary substance"; "five minutes of highly directive
    # advice" vs "an extended one-hour session"
    rows = ask(graph, "approximate-proportions-of-the-residential-care-study")
    assert [(float(p), a) for p, a in rows] == [(0.2, "true")]
    durations = values(graph, "durations-in-the-third-us-trial")
    assert durations == {"PT5M", "PT1H"}


def test_issuers_of_guidance(graph):
    q = "issuers-of"
    # "([UK] Department of Health and National Treatment Agency for Substance Misuse, 2006)"
    assert values(graph, q, g=DOC + "2006-setting-up-a-local-treatment-system") == {
        ORG + "department-of-health",
        ORG + "national-treatment-agency-for-substance-misuse",
    }
    # "([UK] National Institute for Health and Care Excellence, 2011)"
    assert values(graph, q, g=COMMISSIONING) == {NICE}
    # "([US] Substance Abuse and Mental Health Services Administration, 1998)"
    assert values(graph, q, g=SAMHSA1998) == {
        ORG + "substance-abuse-and-mental-health-services-administration"
    }
    # "(Report Produced for the Scottish Advisory Committee on Drug Misuse, 2008)"
    assert values(
        graph,
        "produced-for",
        g=(DOC + "2008-organising-integrated-and-holistic-care"),
    ) == {ORG + "scottish-advisory-committee-on-drug-misuse"}
    # NICE is the acronym the page uses
    assert values(
        graph,
        "alternative-labels-of",
        o=(NICE),
    ) == {"NICE"}


def test_countries_of_studies(graph):
    q = "countries-of"
    # "Dutch trial of internet-based therapy"
    assert values(graph, q, d=DOC + "2011-text-chat-therapy") == {"Netherlands"}
    # "SMART Recovery ... at six sites in England"
    assert values(graph, q, d=DOC + "2010-promoting-smart-mutual-aid") == {"England"}
    assert values(graph, "counts-of-the-smart-study") == {"6"}
    # "In USA post-treatment substance use reduced ..."
    assert values(graph, q, d=VA2007) == {"United States"}
    # "In UK active referral ..."
    assert values(graph, q, d=UK2012) == {"United Kingdom"}
    # "Guidance ... for Scotland"
    assert values(graph, q, d=DOC + "2008-organising-integrated-and-holistic-care") == {"Scotland"}


def test_documents_discussed_in_other_cells(graph):
    # "What promotes longer term care and aftercare (2011) ... discussion in cell D2";
    # "Discussed in cell E3, siting case managers at detoxification services has been (2006)
    # one successful transition tactic" (the 2006 study, not the 2012 one it is listed under)
    rows = ask(graph, "documents-discussed-in-other-cells")
    assert set(rows) == {
        (DOC + "2011-what-promotes-longer-term-care-and-aftercare", "D2"),
        (DOC + "2006-case-managers-at-detoxification-services", "E3"),
    }
    # ... and the cells A2 and A4 the discussion points to
    cells = values(graph, "cells-the-discussion-points-to")
    assert cells == {"A2", "A4", "D2", "E3"}


def test_monograph_author(graph):
    # "William White's monograph"
    found = values(graph, "author-of-the-monograph")
    assert found == {"William White"}
    role = values(graph, "role-of-the-monograph")
    assert role == {"R"}


def test_simulation_study_uses_text_chat_data(graph):
    # "Impacts were included in a simulation study (2011)"
    found = values(graph, "simulation-study-using-the-text-chat-data")
    assert found == {DOC + "2011-simulation-study-of-online-interventions"}


def test_coerced_aa_synthesis_draws_on_three_trials(graph):
    # "All three to date were deeply flawed ... a synthesis of the findings"
    found = values(graph, "trials-the-coerced-aa-synthesis-draws-on")
    assert len(found) == 3


def test_listed_documents_by_role(graph):
    # S Seminal studies K Key studies R Reviews G Guidance: 1 + 6 + 5 + 4 listed in cell E4
    rows = ask(graph, "listed-documents-by-role")
    assert len({d for d, _ in rows}) == 16
    assert Counter(r for _, r in rows) == {"S": 1, "K": 6, "R": 5, "G": 4}


def test_cell_dates(graph):
    # "Last revised 20 November 2020. First uploaded 01 June 2013"
    rows = ask(graph, "dates-of-the-cell")
    assert rows == [("2013-06-01", "2020-11-20")]


def test_later_review_came_after_the_synthesis(graph):
    # "a later review of 12-step programmes" (no year on the page): later than the 2014
    # synthesis, so also later than NICE's 2011 guidance.
    found = values(graph, "what-the-later-review-came-after")
    assert SYN2014 in found


def test_same_team_case_management_reviews(graph):
    # "From some of the same team see earlier review (2006) published by Findings."
    found = values(graph, "same-team-as-the-earlier-review")
    assert found == {REVIEW2019}


def test_full_version_of_the_clinical_guidelines(graph):
    # "Look at the relevant recommendations (section 6.24) in the full version of the guidelines."
    found = values(graph, "versions-of-the-clinical-guidelines")
    assert found == {CLINICAL_FULL}


def test_session_parameters_of_the_structure_recommendation(graph):
    # "Look at the relevant recommendations (section 6.24) in the full version of the
    # guidelines ... 'usually' occupy an hourly session a week, and ... eight 50-minute
    # sessions, all spanning 12 weeks": the full clinical guidelines' recommendation, not the
    # commissioning guidance's.
    rows = ask(graph, "session-parameters-of-the-full-guidelines")
    assert ("8", "PT50M") in set(rows)
    assert "PT1H" in {d for _, d in rows}
    assert {"P84D", "P12W"} & {d for _, d in rows}, "12 weeks"
    usually = values(graph, "measures-of-the-usual-session-patterns")
    assert len(usually) == 3 and all("usually" in m for m in usually)
    # the commissioning guidance only says to "specify [their] structure and duration"
    assert not values(graph, "parameters-of-the-session-structure-recommendation")
    assert not values(graph, "clinical-guidelines-recommend-session-structure")
