"""What each study found: one competency test per result the page states.

Each case below is written from the page (``../shared/seeds/000_ce4cb470b6e6483c.txt``,
its line given), not from the query's output: the document, words its outcome must
contain, the direction, the significance where the page states it (None where it does
not), and words the comparator and population must contain where the page gives
them. The test finds the result through the ``results`` named query.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import read_sparql, select
from evidencegraph.querying import open_source, run_query
from iris import DOC, EG

pytestmark = pytest.mark.core

FAV, UNFAV, NODIFF, MIXED = (
    EG + d for d in ("Favourable", "Unfavourable", "NoDifference", "Mixed")
)


@dataclass(frozen=True)
class Case:
    line: int
    document: str
    outcome: str  # words the outcome contains
    direction: str
    significant: bool | None = None
    comparator: str | None = None
    population: str | None = None
    headline: bool = False
    label: str | None = None  # words the result's own label must contain (a hedge)


CASES = [
    # "none went in the following week, but all did whose attendance had also been
    # systematically facilitated"
    Case(
        17,
        "1981-systematic-facilitation-of-mutual-aid-attendance",
        "following week",
        FAV,
        comparator="information and encouragement",
        population="20 participants",
        headline=True,
    ),
    # "substantially improved attendance at 12-step groups, but impacts on abstinence were much
    # smaller and not statistically significant"
    Case(
        19,
        "2012-uk-active-referral-to-mutual-aid",
        "attendance at 12-step",
        FAV,
        True,
        population="one treatment unit",
    ),
    Case(
        19,
        "2012-uk-active-referral-to-mutual-aid",
        "abstinence (a single, limited measure",
        FAV,
        False,
        label="small increase",
    ),
    Case(
        19,
        "2012-uk-active-referral-to-mutual-aid",
        "attendance at 12-step (NA/AA) groups, and",
        MIXED,
        headline=True,
        label="not statistically significant",
    ),
    # "strengthened 12-step group involvement after treatment and modestly improved substance
    # use outcomes"
    Case(
        21,
        "2007-us-veterans-affairs-active-linkage-to-mutual-aid",
        "12-step group involvement",
        FAV,
        comparator="merely being encouraged",
        population="ex-military",
        headline=True,
        label="modestly improved",
    ),
    Case(
        21,
        "2007-us-veterans-affairs-active-linkage-to-mutual-aid",
        "involvement in 12-step",
        FAV,
        comparator="merely being encouraged",
    ),
    # "another 10% of former patients abstinent from alcohol and drugs (51% v. 41%)", "though
    # worthwhile", "small extra reductions in drink- and drug-related problems"
    Case(
        200,
        "2007-us-veterans-affairs-active-linkage-to-mutual-aid",
        "abstinence from alcohol and drugs",
        FAV,
        comparator="merely being encouraged",
        label="though worthwhile",
    ),
    Case(
        200,
        "2007-us-veterans-affairs-active-linkage-to-mutual-aid",
        "drink- and drug-related problems",
        FAV,
        comparator="merely being encouraged",
        label="Small extra reductions",
    ),
    # "piloted ... with, according to the views of members, some success among drinkers in
    # England"
    Case(
        192,
        "2010-promoting-smart-mutual-aid",
        "according to the views of members",
        FAV,
        population="England",
    ),
    # "siting case managers at detoxification services has been (2006) one successful
    # transition tactic"
    Case(25, "2006-case-managers-at-detoxification-services", "transition", FAV, headline=True),
    # "improving treatment completion rates for both residential and non-residential options"
    Case(
        27,
        "2001-determining-who-needs-residential-care",
        "completion rates",
        FAV,
        population="1 in 5",
        headline=True,
    ),
    # "text-chat conversations with a real therapist found this improved on an automated
    # self-help option"
    Case(
        29,
        "2011-text-chat-therapy",
        "internet-based help",
        FAV,
        comparator="automated self-help",
        headline=True,
    ),
    # "suggested health would improve and/or costs reduce if ... on-line interventions
    # supplemented or replaced conventional care"
    Case(
        29,
        "2011-simulation-study-of-online-interventions",
        "health and/or costs",
        FAV,
        comparator="conventional care",
        headline=True,
        label="suggested",
    ),
    # "attending AA meetings after treatment really does help sustain drinking reductions"
    Case(
        242,
        "2014-attending-aa-after-treatment-synthesis",
        "drinking reductions",
        FAV,
        headline=True,
        label="not just",
    ),
    # "for patients who accept and can safely be sent to either, there is little to choose";
    # "Severe cases may however differentially benefit"
    Case(
        81,
        "2003-severe-cases-residential-care",
        "treatment outcomes",
        NODIFF,
        comparator="non-residential",
        population="accept and can safely be sent to either",
    ),
    Case(
        81,
        "2003-severe-cases-residential-care",
        "treatment outcomes",
        FAV,
        comparator="non-residential",
        population="severe cases",
        label="may",
    ),
    # "more extensive encouragement to attend AA groups did somewhat promote abstinence, but
    # also that alcohol-related problems and heavy drinking were unaffected"
    Case(
        206,
        "nd-us-trial-of-more-extensive-aa-encouragement",
        "abstinence",
        FAV,
        comparator="less extensive",
        label="somewhat",
    ),
    Case(206, "nd-us-trial-of-more-extensive-aa-encouragement", "alcohol-related problems", NODIFF),
    Case(206, "nd-us-trial-of-more-extensive-aa-encouragement", "heavy drinking", NODIFF),
    Case(
        206,
        "nd-us-trial-of-more-extensive-aa-encouragement",
        "abstinence, alcohol-related",
        MIXED,
        headline=True,
        label="unaffected",
    ),
    # "more extended encouragement ... after inpatient detoxification made no overall
    # difference to drinking"; "Those already set on attending AA groups drank less after
    # five minutes of highly directive advice"; "those less committed ... did better with an
    # extended one-hour session in the non-directive style of motivational interviewing"
    Case(
        206,
        "nd-third-us-trial-of-encouragement-after-detoxification",
        "drinking",
        NODIFF,
        comparator="five minutes",
        population="inpatient detoxification",
    ),
    Case(
        206,
        "nd-third-us-trial-of-encouragement-after-detoxification",
        "drinking",
        FAV,
        comparator="one-hour session",
        population="already set on attending AA",
    ),
    Case(
        206,
        "nd-third-us-trial-of-encouragement-after-detoxification",
        "drinking",
        FAV,
        comparator="five minutes",
        population="less committed",
    ),
    Case(
        206,
        "nd-third-us-trial-of-encouragement-after-detoxification",
        "drinking",
        MIXED,
        headline=True,
        label="no overall difference",
    ),
    # "Relative to alternative treatments ... despite often substantially increasing
    # attendance ... no or only modest statistically significant impacts on drinking. Some
    # studies have found abstinence modestly boosted ... but generally without any extra
    # impacts on heavy drinking or its adverse consequences."
    Case(
        216,
        "nd-findings-commentary-on-aa-synthesis",
        "attendance",
        FAV,
        comparator="alternative treatments",
    ),
    Case(
        216,
        "nd-findings-commentary-on-aa-synthesis",
        "drinking",
        MIXED,
        comparator="alternative treatments",
        label="statistically significant",
    ),
    Case(
        216,
        "nd-findings-commentary-on-aa-synthesis",
        "abstinence",
        FAV,
        comparator="alternative approaches",
        population="some of the studies",
    ),
    Case(
        216,
        "nd-findings-commentary-on-aa-synthesis",
        "heavy drinking and its adverse",
        NODIFF,
        comparator="alternative approaches",
    ),
    # "compared to other treatments, no reliable advantage ... in curbing post-treatment heavy
    # drinking or reducing alcohol-related consequences, but patchy evidence that abstinence
    # could be boosted, especially the length of continuous abstinence after manual-based
    # 12-step treatment"
    Case(
        216,
        "nd-later-review-of-12-step-programmes",
        "post-treatment heavy drinking",
        NODIFF,
        comparator="other treatments",
    ),
    Case(
        216,
        "nd-later-review-of-12-step-programmes",
        "alcohol-related consequences",
        NODIFF,
        comparator="other treatments",
    ),
    Case(
        216,
        "nd-later-review-of-12-step-programmes",
        "continuous abstinence",
        FAV,
        comparator="other treatments",
        label="patchy",
    ),
    # "substance use outcomes were relatively poor at centres constrained by funders"
    Case(
        117,
        "nd-us-study-of-funder-constraints-on-services",
        "substance use outcomes",
        UNFAV,
        headline=True,
    ),
    # "attending AA groups was estimated to help reduce the severity of their drinking"
    Case(
        244,
        "nd-earlier-analysis-of-aa-among-untreated-drinkers",
        "severity of drinking",
        FAV,
        population="remained untreated",
        headline=True,
        label="estimated",
    ),
    # "much more likely to be abstinent than those who chose to go it alone, there was no
    # substantial or significant difference in their experience of drink-related problems"
    Case(
        244,
        "nd-earlier-analysis-of-aa-among-untreated-drinkers",
        "abstinence",
        FAV,
        comparator="go it alone",
    ),
    Case(
        244,
        "nd-earlier-analysis-of-aa-among-untreated-drinkers",
        "drink-related problems",
        NODIFF,
        False,
        comparator="go it alone",
    ),
    # "those who initially opted for AA rather than outpatient treatment cost health services
    # much less, but did no worse in respect of their drinking and related problems"
    Case(
        246,
        "nd-analysis-of-costs-of-aa-versus-outpatient-treatment",
        "health service costs",
        FAV,
        comparator="outpatient treatment",
    ),
    Case(
        246,
        "nd-analysis-of-costs-of-aa-versus-outpatient-treatment",
        "drinking and related problems",
        NODIFF,
        comparator="outpatient treatment",
    ),
    # "Cost-savings were also apparent ... 12-step-based treatment programmes were compared with
    # those treated in cognitive-behavioural programmes"
    Case(
        246,
        "nd-cost-comparison-of-12-step-and-cbt-programmes",
        "health-care costs",
        FAV,
        comparator="cognitive-behavioural",
        headline=True,
    ),
    # "people forced to attend AA do worse than when coerced instead into professionally run
    # treatments or simply left to their own devices"
    Case(
        248,
        "nd-coerced-aa-attendance-trial-2",
        "coerced attendance",
        UNFAV,
        comparator="left to their own devices",
    ),
    # "no statistically significant outcome advantages over no treatment at all, but the trend
    # was for coerced participants to do worse"
    Case(
        250,
        "nd-synthesis-of-coerced-aa-attendance-trials",
        "outcomes",
        UNFAV,
        False,
        comparator="no treatment at all",
        headline=True,
        label="trend",
    ),
    # "trials have overturned other seemingly self-evident truths - such as that fully-fledged
    # treatment must be better than brief advice"
    Case(
        173,
        "nd-trial-of-treatment-versus-brief-advice",
        "treatment outcomes",
        NODIFF,
        comparator="brief advice",
        headline=True,
    ),
    # "It is not even the case ... that qualified 'experts' do better on average than
    # 'counsellors by experience'"
    Case(
        179,
        "nd-source-on-qualified-experts-versus-counsellors-by-experience",
        "counselling",
        NODIFF,
        comparator="counsellors by experience",
        headline=True,
    ),
    # "what evidence we have from the UK substance use sector is not encouraging"
    Case(
        185,
        "nd-source-on-outcome-based-commissioning",
        "commissioning by outcomes",
        NODIFF,
        population="UK substance use sector",
        headline=True,
        label="not encouraging",
    ),
    # the headlines that sum up several results (lines 81, 216, 246)
    Case(
        81,
        "2003-severe-cases-residential-care",
        "treatment outcomes",
        MIXED,
        comparator="non-residential",
        headline=True,
        label="little to choose",
    ),
    Case(
        216,
        "nd-later-review-of-12-step-programmes",
        "heavy drinking, alcohol-related",
        MIXED,
        comparator="other treatments",
        headline=True,
        label="no reliable advantage",
    ),
    Case(
        246,
        "nd-analysis-of-costs-of-aa-versus-outpatient-treatment",
        "health service costs,",
        MIXED,
        comparator="outpatient treatment",
        headline=True,
        label="did no worse",
    ),
]


@pytest.fixture(scope="module")
def results() -> list[dict]:
    res = run_query("results", source=open_source()).result
    names = [str(v) for v in res.vars]
    return [
        {n: (None if v is None else str(v)) for n, v in zip(names, row, strict=True)} for row in res
    ]


@pytest.fixture(scope="module")
def labels_of(graph) -> list[tuple[str, str]]:
    """(node, label) of every label in the graph."""
    return select(graph, read_sparql("sparql/labels"))


def _find(results: list[dict], case: Case) -> list[dict]:
    return [
        r
        for r in results
        if r["document"] == DOC + case.document
        and case.outcome in (r["outcome"] or "")
        and r["direction"] == case.direction
        and (case.comparator is None or case.comparator in (r.get("comparator") or ""))
        and (case.population is None or case.population in (r.get("population") or ""))
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.line}-{c.document}-{c.outcome}")
def test_result_as_the_page_states_it(results, labels_of, case: Case) -> None:
    found = _find(results, case)
    assert found, (
        f"page line {case.line}: no result of doc:{case.document} with outcome containing "
        f"{case.outcome!r} and direction {case.direction.rsplit('#')[-1]}"
        + (f", comparator {case.comparator!r}" if case.comparator else "")
        + (f", population {case.population!r}" if case.population else "")
    )
    sig = {r["significant"] for r in found}
    want = None if case.significant is None else str(case.significant).lower()
    assert want in sig, f"page line {case.line}: significance should be {want}, got {sig}"
    if case.headline:
        assert any(r["role"] == "headline" for r in found), f"line {case.line}: not the headline"
    if case.label:
        ours = {r["result"] for r in found}
        labels = {label for node, label in labels_of if node in ours}
        assert any(case.label.casefold() in lab.casefold() for lab in labels), (
            f"page line {case.line}: the result's label drops {case.label!r}: {labels}"
        )


def test_every_result_in_the_graph_is_a_case_above(results) -> None:
    """No result without a test: each one the graph holds is checked against the page."""
    covered = {r["result"] for c in CASES for r in _find(results, c)}
    summaries = {r["result"] for r in results if r["role"] == "summary"}
    missing = {r["result"] for r in results} - covered - summaries
    assert not missing, f"results with no competency case: {sorted(missing)}"


def test_significance_only_where_the_page_says() -> None:
    """Only three results carry a significance: the page states it for these alone."""
    res = run_query("results", source=open_source()).result
    flagged = {
        (str(r.result).rsplit("/", 1)[-1], str(r.significant))
        for r in res
        if r.significant is not None
    }
    assert flagged == {
        ("2012-uk-attendance", "true"),
        ("2012-uk-abstinence", "false"),
        ("untreated-aa-drink-related-problems", "false"),
        ("coerced-aa-synthesis-no-advantage", "false"),
    }
