"""Competency questions: what a reader of the E4 page can ask, answered by SPARQL.

Each test quotes the page (``../shared/seeds/000_ce4cb470b6e6483c.txt``), asks
the graph (ontology + data with the build rules applied: the session ``graph``
fixture) one SPARQL question, and compares with the answer written from the
page as a Python literal. Prefixes (``doc:``, ``rec:``, ``org:``, ``eg:`` ...)
come from :func:`evidencegraph.namespaces.sparql_prologue`.
"""

from __future__ import annotations

from collections import Counter

from conftest import select

ID = "https://w3id.org/evidencegraph/id/"
DOC = ID + "doc/"
REC = ID + "rec/"
ORG = ID + "org/"

VA2007 = DOC + "2007-us-veterans-affairs-active-linkage-to-mutual-aid"
UK2012 = DOC + "2012-uk-active-referral-to-mutual-aid"
S1981 = DOC + "1981-systematic-facilitation-of-mutual-aid-attendance"
SYN2014 = DOC + "2014-attending-aa-after-treatment-synthesis"
CLINICAL = DOC + "2011-nice-alcohol-clinical-guidelines"
COMMISSIONING = DOC + "2011-nice-commissioning-alcohol-treatment-system"
THIRD_TRIAL = DOC + "nd-third-us-trial-of-encouragement-after-detoxification"
EXTENSIVE_TRIAL = DOC + "nd-us-trial-of-more-extensive-aa-encouragement"


def values(graph, text: str, **iris: str) -> set:
    """The first column of a SELECT, as a set of strings; ``$name`` becomes ``<iris[name]>``."""
    for name, iri in iris.items():
        text = text.replace(f"${name}", f"<{iri}>")
    return {r[0] for r in select(graph, text)}


def test_which_guidance_rests_on_the_va_trial(graph):
    # "the only study cited in NICE's clinical guidelines ... Largely relying these findings,
    # NICE's alcohol services commissioning guidance ..."
    found = values(
        graph,
        """
        SELECT ?guidance WHERE {
          ?guidance eg:restsOn doc:2007-us-veterans-affairs-active-linkage-to-mutual-aid .
          FILTER EXISTS { ?guidance a eg:Guidance }
        }""",
    )
    assert found == {CLINICAL, COMMISSIONING}


def test_which_trials_the_commissioning_guidance_rests_on(graph):
    # The VA study plus "the other studies cited by NICE": "a US trial" of more extensive
    # encouragement and "a third US trial".
    found = values(
        graph,
        """
        SELECT ?trial WHERE {
          doc:2011-nice-commissioning-alcohol-treatment-system eg:restsOn ?trial .
          FILTER EXISTS { ?trial a eg:Trial }
        }""",
    )
    assert found == {VA2007, THIRD_TRIAL, EXTENSIVE_TRIAL}


def test_what_nice_clinical_guidelines_cite_as_evidence(graph):
    found = values(
        graph,
        """
        SELECT ?study WHERE {
          ?study cito:isCitedAsEvidenceBy doc:2011-nice-alcohol-clinical-guidelines .
        }""",
    )
    assert {VA2007, THIRD_TRIAL, EXTENSIVE_TRIAL} <= found
    assert UK2012 not in found


def test_what_the_commissioning_guidance_takes_its_lead_from(graph):
    # "On psychosocial interventions, NICE took its lead from associated clinical guidelines"
    found = values(
        graph,
        """
        SELECT ?lead WHERE {
          doc:2011-nice-commissioning-alcohol-treatment-system eg:takesLeadFrom ?lead .
        }""",
    )
    assert found == {CLINICAL}
    issuer = values(graph, "SELECT ?o WHERE { $d eg:issuedBy ?o }", d=CLINICAL)
    assert issuer == {ORG + "national-institute-for-health-and-care-excellence"}


def test_what_the_commissioning_guidance_recommends(graph):
    # Psychological interventions as a key component; "specify [their] structure and
    # duration"; mutual aid "for all people seeking help"; "supporting the establishment of new
    # groups ... make rooms available"; "case management ... complex needs"; "Care
    # coordination should be part of the routine care of all service users".
    found = values(
        graph,
        """
        SELECT ?rec WHERE {
          doc:2011-nice-commissioning-alcohol-treatment-system eg:recommends ?rec .
          ?rec a eg:Recommendation .
        }""",
    )
    assert found >= {
        REC + "specify-structure-and-duration-of-psychological-interventions",
        REC + "encourage-and-arrange-mutual-aid-support-for-all",
        REC + "support-new-mutual-aid-groups-and-rooms",
        REC + "case-management-for-complex-needs",
        REC + "care-coordination-for-all",
    }


def test_what_tempers_nices_mutual_aid_recommendation(graph):
    # "Not at the time available to NICE were the results of a British study ... which might
    # have tempered its enthusiasm for encouraging referral to 12-step groups."
    found = values(
        graph,
        """
        SELECT ?source WHERE {
          ?source eg:tempers rec:encourage-and-arrange-mutual-aid-support-for-all .
          doc:2011-nice-commissioning-alcohol-treatment-system eg:recommends
              rec:encourage-and-arrange-mutual-aid-support-for-all .
          FILTER EXISTS { ?source a eg:Document }
        }""",
    )
    assert UK2012 in found
    assert VA2007 not in found, "the VA study is what NICE relied on, not what tempers it"


def test_what_tempers_the_session_structure_recommendation(graph):
    # "a US study which found substance use outcomes were relatively poor at centres
    # constrained by funders ... suggests we should question any advice ... de-individualising"
    found = values(
        graph,
        """
        SELECT ?source WHERE {
          ?source eg:tempers rec:specify-structure-and-duration-of-psychological-interventions .
          FILTER EXISTS { ?source a eg:Study }
        }""",
    )
    assert found == {DOC + "nd-us-study-of-funder-constraints-on-services"}


def test_which_recommendation_lacks_evidence(graph):
    # "for this core function, the guidelines offer no evidence at all"
    found = values(graph, "SELECT ?rec WHERE { ?rec eg:lacksEvidence true }")
    assert found == {REC + "care-coordination-for-all"}
    unsupported = values(
        graph,
        """
        SELECT ?rec WHERE { ?rec eg:lacksEvidence true . FILTER NOT EXISTS { ?x eg:supports ?rec } }
    """,
    )
    assert unsupported == found


def test_what_supports_case_management(graph):
    # "the similar but more active and specialised case management role (recommended only for
    # harder-to-hold and more complex cases) is supported by at least some research evidence in
    # NICE's clinical guidelines and from documents listed above (1 2 3)". The page does not
    # name the three documents; the two listed case-management documents point to this
    # section ("for related discussion"), the earlier 2006 review is not listed above.
    found = values(
        graph,
        """
        SELECT ?doc WHERE {
          ?doc eg:supports rec:case-management-for-harder-to-hold-and-complex-cases .
          FILTER EXISTS { ?doc a eg:Document }
        }""",
    )
    assert found == {
        CLINICAL,
        DOC + "2019-varieties-and-impacts-of-case-management",
        DOC + "1998-samhsa-case-management",
    }


def test_case_management_role_is_a_separate_recommendation(graph):
    # The commissioning guidance's "ensure that case management is available to people with
    # complex needs, so they receive additional support and/or transport ... to attend
    # meetings" is not the role "recommended only for harder-to-hold and more complex cases".
    rows = select(
        graph,
        """
        SELECT ?rec ?guidance WHERE {
          ?guidance eg:recommends ?rec .
          VALUES ?rec { rec:case-management-for-complex-needs
                        rec:case-management-for-harder-to-hold-and-complex-cases }
        }""",
    )
    assert set(rows) == {
        (REC + "case-management-for-complex-needs", COMMISSIONING),
        (REC + "case-management-for-harder-to-hold-and-complex-cases", CLINICAL),
    }
    quote = values(graph, "SELECT ?q WHERE { rec:case-management-for-complex-needs eg:quote ?q }")
    assert any("transport" in q for q in quote)


def test_evidence_not_available_to_nice(graph):
    # "further evidence not available to NICE at the time": the British study and the synthesis
    found = values(
        graph,
        """
        SELECT ?doc WHERE {
          ?doc eg:unavailableTo doc:2011-nice-commissioning-alcohol-treatment-system
        }""",
    )
    assert {UK2012, SYN2014} <= found
    assert VA2007 not in found


def test_similar_studies_of_the_seminal_trial(graph):
    # "Similar contemporary trials from the UK and USA below."
    found = values(
        graph,
        """
        SELECT ?s WHERE {
          doc:1981-systematic-facilitation-of-mutual-aid-attendance eg:similarTo ?s
        }""",
    )
    assert found == {VA2007, UK2012}
    # "Seminal study above and similar US study below" (from the UK study)
    assert values(graph, "SELECT ?s WHERE { $d eg:similarTo ?s }", d=UK2012) == {S1981, VA2007}


def test_seminal_trial_figures(graph):
    # "Randomised trial with just 20 participants ... none went ... all did"
    rows = select(
        graph,
        """
        SELECT ?count ?pct WHERE {
          doc:1981-systematic-facilitation-of-mutual-aid-attendance eg:hasFinding ?f .
          OPTIONAL { ?f eg:count ?count } OPTIONAL { ?f eg:percentage ?pct }
        }""",
    )
    assert 20 in {int(c) for c, _ in rows if c}
    assert {float(p) for _, p in rows if p} == {0.0, 100.0}
    assert values(graph, "SELECT ?c WHERE { $d a ?c }", d=S1981) >= {
        "https://w3id.org/evidencegraph/ontology#RandomisedTrial"
    }


def test_treatment_statistics_figures(graph):
    # "in 2018/19 in England, of the 73,556 drinkers ... just 19% were prescribed ... 47%"
    rows = select(
        graph,
        """
        SELECT ?count ?pct ?period WHERE {
          ?report eg:hasFinding ?f .
          ?f eg:referenceYear ?period .
          OPTIONAL { ?f eg:count ?count } OPTIONAL { ?f eg:percentage ?pct }
        }""",
    )
    assert {int(c) for c, _, _ in rows if c} == {73556}
    assert {float(p) for _, p, _ in rows if p} == {19.0, 47.0}
    assert {p for _, _, p in rows} == {"2018/19"}


def test_va_study_abstinence_figures(graph):
    # "another 10% of former patients abstinent ... (51% v. 41%)"; "three sessions"
    rows = select(
        graph,
        """
        SELECT ?pct ?count WHERE {
          doc:2007-us-veterans-affairs-active-linkage-to-mutual-aid eg:hasFinding ?f .
          OPTIONAL { ?f eg:percentage ?pct } OPTIONAL { ?f eg:count ?count }
        }""",
    )
    assert {float(p) for p, _ in rows if p} == {51.0, 41.0, 10.0}
    assert {int(c) for _, c in rows if c} == {3}


def test_other_figures(graph):
    # "about 1 in 5 ... alcohol was their primary substance"; "five minutes of highly directive
    # advice" vs "an extended one-hour session"
    rows = select(
        graph,
        """
        SELECT ?prop ?approx WHERE {
          doc:2001-determining-who-needs-residential-care eg:hasFinding ?f .
          ?f eg:proportion ?prop ; eg:approximate ?approx .
        }""",
    )
    assert [(float(p), a) for p, a in rows] == [(0.2, "true")]
    durations = values(
        graph,
        """
        SELECT ?d WHERE {
          doc:nd-third-us-trial-of-encouragement-after-detoxification eg:hasFinding/eg:duration ?d
        }""",
    )
    assert durations == {"PT5M", "PT1H"}


def test_issuers_of_guidance(graph):
    q = "SELECT ?org WHERE { $g eg:issuedBy ?org }"
    # "([UK] Department of Health and National Treatment Agency for Substance Misuse, 2006)"
    assert values(graph, q, g=DOC + "2006-setting-up-a-local-treatment-system") == {
        ORG + "department-of-health",
        ORG + "national-treatment-agency-for-substance-misuse",
    }
    # "([UK] National Institute for Health and Care Excellence, 2011)"
    assert values(graph, q, g=COMMISSIONING) == {
        ORG + "national-institute-for-health-and-care-excellence"
    }
    # "([US] Substance Abuse and Mental Health Services Administration, 1998)"
    assert values(graph, q, g=DOC + "1998-samhsa-case-management") == {
        ORG + "substance-abuse-and-mental-health-services-administration"
    }
    # "(Report Produced for the Scottish Advisory Committee on Drug Misuse, 2008)"
    assert values(
        graph,
        "SELECT ?o WHERE { $g eg:producedFor ?o }",
        g=(DOC + "2008-organising-integrated-and-holistic-care"),
    ) == {ORG + "scottish-advisory-committee-on-drug-misuse"}
    # NICE is the acronym the page uses
    assert values(
        graph,
        "SELECT ?a WHERE { $o skos:altLabel ?a }",
        o=(ORG + "national-institute-for-health-and-care-excellence"),
    ) == {"NICE"}


def test_countries_of_studies(graph):
    q = "SELECT ?label WHERE { $d eg:conductedIn ?c . ?c rdfs:label ?label }"
    # "Dutch trial of internet-based therapy"
    assert values(graph, q, d=DOC + "2011-text-chat-therapy") == {"Netherlands"}
    # "SMART Recovery ... at six sites in England"
    assert values(graph, q, d=DOC + "2010-promoting-smart-mutual-aid") == {"England"}
    assert values(
        graph,
        """
        SELECT ?n WHERE { doc:2010-promoting-smart-mutual-aid eg:hasFinding/eg:count ?n }
    """,
    ) == {"6"}
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
    rows = select(
        graph,
        """
        SELECT ?doc ?n WHERE {
          ?doc eg:discussedIn ?cell . ?cell skos:notation ?n .
          FILTER EXISTS { ?doc a eg:Document }
        }""",
    )
    assert set(rows) == {
        (DOC + "2011-what-promotes-longer-term-care-and-aftercare", "D2"),
        (DOC + "2006-case-managers-at-detoxification-services", "E3"),
    }
    # ... and the cells A2 and A4 the discussion points to
    cells = values(graph, "SELECT ?n WHERE { ?x eg:discussedIn ?c . ?c skos:notation ?n }")
    assert cells == {"A2", "A4", "D2", "E3"}


def test_monograph_author(graph):
    # "William White's monograph"
    found = values(
        graph,
        """
        SELECT ?name WHERE {
          doc:2009-peer-based-support-for-recovery dcterms:creator ?p .
          ?p a foaf:Person ; rdfs:label ?name .
        }""",
    )
    assert found == {"William White"}
    role = values(
        graph,
        """
        SELECT ?r WHERE {
          doc:2009-peer-based-support-for-recovery eg:listing/eg:role/skos:notation ?r
        }""",
    )
    assert role == {"R"}


def test_simulation_study_uses_text_chat_data(graph):
    # "Impacts were included in a simulation study (2011)"
    found = values(
        graph,
        """
        SELECT ?sim WHERE {
          ?sim cito:usesDataFrom doc:2011-text-chat-therapy ; a eg:ModellingStudy ;
               fabio:hasPublicationYear "2011"^^xsd:gYear .
        }""",
    )
    assert found == {DOC + "2011-simulation-study-of-online-interventions"}


def test_coerced_aa_synthesis_draws_on_three_trials(graph):
    # "All three to date were deeply flawed ... a synthesis of the findings"
    found = values(
        graph,
        """
        SELECT ?trial WHERE {
          doc:nd-synthesis-of-coerced-aa-attendance-trials cito:usesDataFrom ?trial .
          ?trial a eg:RandomisedTrial .
        }""",
    )
    assert len(found) == 3


def test_listed_documents_by_role(graph):
    # S Seminal studies K Key studies R Reviews G Guidance: 1 + 6 + 5 + 4 listed in cell E4
    rows = select(
        graph,
        """
        SELECT ?doc ?role WHERE {
          ?doc eg:listing ?l . ?l eg:inCell cell:E4 ; eg:role/skos:notation ?role .
        }""",
    )
    assert len({d for d, _ in rows}) == 16
    assert Counter(r for _, r in rows) == {"S": 1, "K": 6, "R": 5, "G": 4}


def test_cell_dates(graph):
    # "Last revised 20 November 2020. First uploaded 01 June 2013"
    rows = select(
        graph,
        "SELECT ?first ?last WHERE { cell:E4 eg:firstUploaded ?first ; eg:lastRevised ?last }",
    )
    assert rows == [("2013-06-01", "2020-11-20")]


def test_later_review_came_after_the_synthesis(graph):
    # "a later review of 12-step programmes" (no year on the page): later than the 2014
    # synthesis, so also later than NICE's 2011 guidance.
    found = values(
        graph,
        """
        SELECT ?earlier WHERE { doc:nd-later-review-of-12-step-programmes eg:laterThan+ ?earlier }
    """,
    )
    assert SYN2014 in found


def test_same_team_case_management_reviews(graph):
    # "From some of the same team see earlier review (2006) published by Findings."
    found = values(
        graph,
        """
        SELECT ?other WHERE { doc:2006-earlier-case-management-review eg:sameTeamAs ?other }
    """,
    )
    assert found == {DOC + "2019-varieties-and-impacts-of-case-management"}


def test_full_version_of_the_clinical_guidelines(graph):
    # "Look at the relevant recommendations (section 6.24) in the full version of the guidelines."
    found = values(
        graph,
        """
        SELECT ?v WHERE { ?v dcterms:isVersionOf doc:2011-nice-alcohol-clinical-guidelines }
    """,
    )
    assert found == {DOC + "nd-nice-alcohol-clinical-guidelines-full-version"}


def test_session_parameters_of_the_structure_recommendation(graph):
    # "Look at the relevant recommendations (section 6.24) in the full version of the
    # guidelines ... 'usually' occupy an hourly session a week, and ... eight 50-minute
    # sessions, all spanning 12 weeks": the full clinical guidelines' recommendation, not the
    # commissioning guidance's.
    rows = select(
        graph,
        """
        SELECT ?count ?duration WHERE {
          doc:nd-nice-alcohol-clinical-guidelines-full-version eg:recommends ?rec .
          ?rec eg:parameter ?p .
          OPTIONAL { ?p eg:count ?count } OPTIONAL { ?p eg:duration ?duration }
        }""",
    )
    assert ("8", "PT50M") in set(rows)
    assert "PT1H" in {d for _, d in rows}
    assert {"P84D", "P12W"} & {d for _, d in rows}, "12 weeks"
    usually = values(
        graph,
        """SELECT ?m WHERE {
             rec:usual-session-patterns-for-psychological-therapies eg:parameter ?p .
             ?p eg:measure ?m }""",
    )
    assert len(usually) == 3 and all("usually" in m for m in usually)
    # the commissioning guidance only says to "specify [their] structure and duration"
    assert not values(
        graph,
        """SELECT ?p WHERE {
             rec:specify-structure-and-duration-of-psychological-interventions eg:parameter ?p }""",
    )
    assert not values(
        graph,
        """SELECT ?r WHERE {
             doc:2011-nice-alcohol-clinical-guidelines eg:recommends
                 rec:specify-structure-and-duration-of-psychological-interventions .
             BIND(1 AS ?r) }""",
    )
