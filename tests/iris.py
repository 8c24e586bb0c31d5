"""The IRIs the tests name, written once.

Written out here rather than taken from :mod:`evidencegraph.namespaces`, so a
change of the package's namespaces shows up as failing tests. Documents and
recommendations are those of cell E4 (``../shared/seeds/000_ce4cb470b6e6483c.txt``);
each name says which the page means.
"""

from __future__ import annotations

# ---------------------------------------------------------------- namespaces

ID = "https://w3id.org/evidencegraph/id/"
EG = "https://w3id.org/evidencegraph/ontology#"
EGSH = "https://w3id.org/evidencegraph/shapes#"
CITO = "http://purl.org/spar/cito/"

DOC = ID + "doc/"
REC = ID + "rec/"
ORG = ID + "org/"
CLAIM = ID + "claim/"
FINDING = ID + "finding/"
SECTION = ID + "cell/E4/section/"

# ---------------------------------------------------------------- documents

S1981 = DOC + "1981-systematic-facilitation-of-mutual-aid-attendance"  # the seminal trial
UK2012 = DOC + "2012-uk-active-referral-to-mutual-aid"  # "a British study"
VA2007 = DOC + "2007-us-veterans-affairs-active-linkage-to-mutual-aid"  # "a US study"
SYN2014 = DOC + "2014-attending-aa-after-treatment-synthesis"
REVIEW2019 = DOC + "2019-varieties-and-impacts-of-case-management"
SAMHSA1998 = DOC + "1998-samhsa-case-management"
THIRD_TRIAL = DOC + "nd-third-us-trial-of-encouragement-after-detoxification"
EXTENSIVE_TRIAL = DOC + "nd-us-trial-of-more-extensive-aa-encouragement"
FUNDER_STUDY = DOC + "nd-us-study-of-funder-constraints-on-services"
LATER_REVIEW = DOC + "nd-later-review-of-12-step-programmes"

# NICE's guidance: the commissioning guidance (listed), the clinical guidelines it
# "took its lead from", and their full version (section 6.24)
COMMISSIONING = DOC + "2011-nice-commissioning-alcohol-treatment-system"
CLINICAL = DOC + "2011-nice-alcohol-clinical-guidelines"
CLINICAL_FULL = DOC + "nd-nice-alcohol-clinical-guidelines-full-version"
NICE = ORG + "national-institute-for-health-and-care-excellence"
FINDINGS = ORG + "drug-and-alcohol-findings"

# ---------------------------------------------------------------- recommendations

CARE_COORDINATION = REC + "care-coordination-for-all"
CASE_MANAGEMENT = REC + "case-management-for-complex-needs"
CASE_MANAGEMENT_ROLE = REC + "case-management-for-harder-to-hold-and-complex-cases"
MUTUAL_AID_FOR_ALL = REC + "encourage-and-arrange-mutual-aid-support-for-all"
NEW_GROUPS = REC + "support-new-mutual-aid-groups-and-rooms"
SESSION_STRUCTURE = REC + "specify-structure-and-duration-of-psychological-interventions"
SESSION_PATTERNS = REC + "usual-session-patterns-for-psychological-therapies"
