"""Deterministic generator of synthetic evidence graphs shaped like the E4 data.

    python benchmarks/generate.py [--sizes 1e3,1e4,1e5,1e6] [--seed 5] [--check]

writes ``benchmarks/out/synthetic-<size>-s<seed>.nt`` (N-Triples, data only:
the ontology is added when the file is loaded, as for ``data/``) and prints
the triple count of each file. Files are cached: a file already there is
reused (the name carries the generator version, size and seed).

Shape (per matrix cell, scaled from cell E4's 58 documents):

* documents by listing role and class in E4's proportions: 16 of 58 listed
  (1 seminal study, 6 key studies, 5 reviews, 4 guidance, each with an
  ``eg:Listing`` in its cell), the rest referenced documents (reviews,
  Findings' commentaries, trials and randomised trials, observational,
  implementation and modelling studies, guidance, articles, statistics,
  plain documents); labels, descriptions, countries, issuers, publishers,
  authors; years on every listed document and on half the referenced ones;
* cells grouped in topic clusters of five (a matrix row); documents cite
  within their cluster plus a few global seminal trials, so chains are long
  but closures stay bounded as real literatures do;
* citations with a heavy-tailed degree distribution (preferential
  attachment: a document cited often is more likely to be cited again) along
  guidance -> guidance (``eg:takesLeadFrom``) -> reviews -> trials -> earlier
  trials chains, ``cito:usesDataFrom`` for modelling studies and syntheses,
  and ``eg:restsOn`` asserted directly ("largely relied on") with its
  reified ``rdf:Statement`` and ``prov:wasDerivedFrom`` a page section;
* every document has a hidden date; a document only cites, uses data from,
  rests on or takes its lead from an earlier one, so years never go forward
  along a chain, and ``eg:laterThan`` links undated documents consistently;
* recommendations of guidance (``eg:recommends``, some with
  ``eg:lacksEvidence``), claims and discussion prompts with their sections,
  findings with counts, percentages and proportions, and ``eg:tempers`` /
  ``eg:supports`` / ``eg:unavailableTo`` / ``eg:similarTo`` /
  ``eg:relatedTo`` / ``eg:sameTeamAs`` edges, each with its reified
  statement, including evidence published after a guidance that tempers
  what it recommends (the page's "not available to NICE at the time");
* results (``eg:Result``: outcome, direction, and mostly intervention and
  comparator, some population and significance) on studies, reviews,
  commentaries and guidance, key findings and limitations, in E4's proportions
  (47 results, 22 key findings and 7 limitations per 58 documents).

The output conforms to ``ontology/shapes.ttl`` (``--check`` validates the
1e3 graph with pySHACL), so validation timings measure a clean graph.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 3  # 3: results, key findings and limitations (issue 9)
HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "out"

ID = "https://w3id.org/evidencegraph/id/"
EG = "https://w3id.org/evidencegraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CITO = "http://purl.org/spar/cito/"
FABIO = "http://purl.org/spar/fabio/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
OWL = "http://www.w3.org/2002/07/owl#"
VOID = "http://rdfs.org/ns/void#"

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
DERIVED = f"<{PROV}wasDerivedFrom>"
ATTRIB = f"<{PROV}wasAttributedTo>"
YEAR = f"<{FABIO}hasPublicationYear>"
DESC = f"<{DCT}description>"


def e(local: str) -> str:
    return f"<{EG}{local}>"


def node(path: str) -> str:
    return f"<{ID}{path}>"


def lit(text: str) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


def typed(value: object, dt: str) -> str:
    return f'"{value}"^^<{XSD}{dt}>'


# E4's documents, per 58: (role or None, class, how many).
LISTED = [
    ("S", "RandomisedTrial", 1),
    ("K", "Trial", 2),
    ("K", "RandomisedTrial", 2),
    ("K", "ImplementationStudy", 2),
    ("R", "Review", 5),
    ("G", "Guidance", 4),
]
REFERENCED = [
    ("Review", 4),
    ("Commentary", 8),
    ("Document", 8),
    ("Trial", 4),
    ("RandomisedTrial", 3),
    ("ObservationalStudy", 4),
    ("Study", 2),
    ("Guidance", 2),
    ("Article", 5),
    ("ModellingStudy", 1),
    ("StatisticalReport", 1),
]
PER_CELL_DOCS = 58
# Per 58 documents, as in E4.
CLAIMS, RECS, PROMPTS, FINDINGS, SECTIONS = 35, 6, 8, 17, 10
RESULTS, KEY_FINDINGS, LIMITATIONS = 47, 22, 7
STUDY = {
    "Study",
    "Trial",
    "RandomisedTrial",
    "ObservationalStudy",
    "ImplementationStudy",
    "ModellingStudy",
}
CLUSTER = 5  # cells per topic cluster (a matrix row)
COUNTRIES = [
    "united-states",
    "united-kingdom",
    "england",
    "scotland",
    "wales",
    "ireland",
    "netherlands",
    "germany",
    "sweden",
    "norway",
    "denmark",
    "finland",
    "france",
    "spain",
    "italy",
    "switzerland",
    "australia",
    "new-zealand",
    "canada",
    "brazil",
]
ROLES = {"S": "seminal study", "K": "key study", "R": "review", "G": "guidance"}
ROW_LETTERS = "ABCDE"


@dataclass
class Doc:
    iri: str
    cls: str
    cell: int
    t: float  # hidden date; citations only go to smaller (t, serial)
    serial: int
    dated: bool
    role: str | None = None
    listing_order: int = 0
    cites: list[str] = field(default_factory=list)
    data_from: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    rests: list[str] = field(default_factory=list)
    indeg: int = 0

    @property
    def year(self) -> int:
        return int(self.t)

    @property
    def key(self) -> tuple[float, int]:
        return (self.t, self.serial)


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")


def _cell_id(c: int) -> tuple[str, str]:
    """IRI path and notation of cell number c (two 5x5 matrices per 50 cells)."""
    matrix, rest = divmod(c, 25)
    row, col = divmod(rest, 5)
    notation = f"M{matrix + 1}-{ROW_LETTERS[row]}{col + 1}"
    return f"cell/{notation.lower()}", notation


def _scaled(n: float, f: float, minimum: int = 0) -> int:
    return max(minimum, round(n * f))


def _stmt(
    w: Writer,
    rng: random.Random,
    s: str,
    pred_local: str,
    pred: str,
    o: str,
    section: str,
    label: str,
    findings_org: str,
) -> None:
    def part(iri: str) -> str:
        return iri[1 + len(ID) : -1].replace("/", ".")

    st = node(f"stmt/{part(s)}--{pred_local}--{part(o)}")
    w.t(st, A, f"<{RDF}Statement>")
    # unique, like every label (the label-not-unique check)
    w.t(st, LABEL, lit(f"{label} [{part(s)} {pred_local} {part(o)}]"))
    w.t(st, f"<{RDF}subject>", s)
    w.t(st, f"<{RDF}predicate>", pred)
    w.t(st, f"<{RDF}object>", o)
    w.t(st, DERIVED, section)
    w.t(st, ATTRIB, findings_org)


def _pick_pa(
    rng: random.Random, urn: list[Doc], limit: tuple[float, int], k: int, exclude: set[str]
) -> list[Doc]:
    """Up to k distinct earlier documents, by preferential attachment (urn holds
    one entry per document plus one per citation it has received)."""
    if not urn:
        return []
    # urn entries are appended in key order per class; only earlier ones qualify
    lo, hi = 0, len(urn)
    while lo < hi:  # first index whose key is >= limit
        mid = (lo + hi) // 2
        if urn[mid][0] < limit:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return []
    out: dict[str, Doc] = {}
    tries = 0
    while len(out) < k and tries < 6 * k:
        tries += 1
        d = urn[rng.randrange(lo)][1]
        if d.iri not in exclude and d.iri not in out:
            out[d.iri] = d
    return list(out.values())


def generate(n_docs: int, seed: int) -> tuple[list[str], int]:
    """All N-Triples lines for a graph of about n_docs documents."""
    rng = random.Random(f"evidencegraph-bench-{seed}-{n_docs}")
    w = Writer()
    n_cells = max(1, round(n_docs / PER_CELL_DOCS))
    f_cell = (n_docs / n_cells) / PER_CELL_DOCS

    # ---- shared nodes: roles, the dataset, organisations, countries, hubs
    findings_org = node("org/drug-and-alcohol-findings")
    w.t(findings_org, A, e("Organisation"))
    w.t(findings_org, LABEL, lit("Drug and Alcohol Findings"))
    n_orgs = 10 + 2 * n_cells
    orgs = [node(f"org/synthetic-organisation-{i:05d}") for i in range(n_orgs)]
    for i, o in enumerate(orgs):
        w.t(o, A, e("Organisation"))
        w.t(o, LABEL, lit(f"Synthetic organisation {i}"))
        if i % 7 == 0:
            w.t(o, f"<{SKOS}altLabel>", lit(f"SO{i}"))
    countries = [node(f"country/{c}") for c in COUNTRIES]
    for c, name in zip(countries, COUNTRIES, strict=True):
        w.t(c, A, e("Country"))
        w.t(c, LABEL, lit(name.replace("-", " ").title()))
    scheme = node("role")
    w.t(scheme, A, f"<{SKOS}ConceptScheme>")
    w.t(scheme, LABEL, lit("Alcohol Treatment Matrix listing roles"))
    roles = {}
    for letter, name in ROLES.items():
        r = node(f"role/{letter}")
        roles[letter] = r
        w.t(r, A, f"<{SKOS}Concept>")
        w.t(r, LABEL, lit(name))
        w.t(r, f"<{SKOS}inScheme>", scheme)
        w.t(r, f"<{SKOS}notation>", lit(letter))

    cells = [_cell_id(c) for c in range(max(n_cells, 5))]
    # cells beyond the generated ones exist only as targets of eg:discussedIn
    for c, (path, notation) in enumerate(cells):
        cn = node(path)
        w.t(cn, A, e("MatrixCell"))
        w.t(cn, LABEL, lit(f"Synthetic matrix cell {notation}"))
        w.t(cn, f"<{SKOS}notation>", lit(notation))
        if c < n_cells:
            w.t(cn, e("firstUploaded"), typed(f"{2010 + c % 5}-06-01", "date"))
            w.t(cn, e("lastRevised"), typed(f"{2018 + c % 3}-11-20", "date"))

    ds = node("dataset/synthetic-evidence-graph")
    w.t(ds, A, f"<{VOID}Dataset>")
    w.t(ds, LABEL, lit(f"Synthetic evidence graph ({n_docs} documents, seed {seed})"))
    w.t(ds, f"<{DCT}source>", node(cells[0][0]))
    w.t(ds, f"<{OWL}versionInfo>", lit(f"generator {GENERATOR_VERSION}"))
    w.t(ds, e("attribution"), lit("Synthetic data generated by benchmarks/generate.py."))

    n_hubs = max(3, n_docs // 400)
    hubs: list[Doc] = []
    for i in range(n_hubs):
        d = Doc(
            node(f"doc/{1965 + i % 15}-seminal-trial-{i:04d}"),
            "RandomisedTrial",
            -1,
            1965 + i % 15 + rng.random() * 0.99,
            i,
            True,
        )
        hubs.append(d)
        w.t(d.iri, A, e("RandomisedTrial"))
        w.t(d.iri, LABEL, lit(f"Seminal randomised trial {i}"))
        w.t(d.iri, DESC, lit(f"A seminal randomised trial, number {i}, widely cited."))
        w.t(d.iri, YEAR, typed(d.year, "gYear"))
        w.t(d.iri, e("conductedIn"), rng.choice(countries))

    serial = n_hubs
    people_made = 0
    for c0 in range(0, n_cells, CLUSTER):
        cluster_cells = list(range(c0, min(c0 + CLUSTER, n_cells)))
        docs: list[Doc] = []
        per_cell: dict[int, list[Doc]] = {}
        for c in cluster_cells:
            path, notation = cells[c]
            cdocs: list[Doc] = []
            order = 0
            for role, cls, n in LISTED:
                for _ in range(_scaled(n, f_cell, 1 if role in "SG" else 0)):
                    order += 1
                    lo = {"G": 1995.0, "R": 1990.0}.get(role, 1981.0)
                    t = lo + rng.random() * (2021.0 - lo)
                    slug = f"{int(t)}-{notation.lower()}-{cls.lower()}-{order:03d}"
                    cdocs.append(Doc(node(f"doc/{slug}"), cls, c, t, 0, True, role, order))
            k = 0
            for cls, n in REFERENCED:
                for _ in range(_scaled(n, f_cell, 1 if cls in ("Review", "Trial") else 0)):
                    k += 1
                    lo = 1995.0 if cls == "Guidance" else 1981.0
                    t = lo + rng.random() * (2021.0 - lo)
                    dated = rng.random() < 0.5
                    yr = str(int(t)) if dated else "nd"
                    slug = f"{yr}-{notation.lower()}-ref-{cls.lower()}-{k:03d}"
                    cdocs.append(Doc(node(f"doc/{slug}"), cls, c, t, 0, dated))
            per_cell[c] = cdocs
            docs.extend(cdocs)
        docs.sort(key=lambda d: (d.t, d.iri))
        for d in docs:
            d.serial = serial
            serial += 1

        # ---- citations, in date order, by preferential attachment within the cluster
        urns: dict[str, list[tuple[tuple[float, int], Doc]]] = {
            "study": [],
            "review": [],
            "guidance": [],
            "any": [],
        }
        for h in hubs:
            urns["study"].append((h.key, h))  # hubs are older than every cluster document
        urns["study"].sort(key=lambda x: x[0])

        def cite(src: Doc, targets: list[Doc], kind: str) -> None:
            for t_ in targets:
                getattr(src, kind).append(t_.iri)
                t_.indeg += 1
                group = _group(t_.cls)
                # one more urn entry: cited documents get cited more (inserted in
                # key order, so only documents older than a citer are drawn)
                _insort(urns[group], (t_.key, t_))  # noqa: B023 (used in this iteration only)

        for d in docs:
            lim = d.key
            taken = {d.iri}
            if d.cls == "Guidance":
                if rng.random() < 0.35:
                    g = _pick_pa(rng, urns["guidance"], lim, 1, taken)
                    cite(d, g, "leads")
                    taken |= {x.iri for x in g}
                r = _pick_pa(rng, urns["review"], lim, _degree(rng, 3.0), taken)
                cite(d, r, "cites")
                taken |= {x.iri for x in r}
                s = _pick_pa(rng, urns["study"], lim, _degree(rng, 3.0), taken)
                cite(d, s, "cites")
                taken |= {x.iri for x in s}
                if rng.random() < 0.2:
                    x = _pick_pa(rng, urns["study"], lim, 1, taken)
                    d.rests.extend(y.iri for y in x)
            elif d.cls == "Review":
                s = _pick_pa(rng, urns["study"], lim, _degree(rng, 5.0), taken)
                cite(d, s, "cites")
                taken |= {x.iri for x in s}
                if rng.random() < 0.25:
                    r = _pick_pa(rng, urns["review"], lim, 1, taken)
                    cite(d, r, "cites")
                    taken |= {x.iri for x in r}
                if rng.random() < 0.3:
                    u = _pick_pa(rng, urns["study"], lim, 1, taken)
                    cite(d, u, "data_from")
            elif d.cls == "ModellingStudy":
                u = _pick_pa(rng, urns["study"], lim, _degree(rng, 2.0), taken)
                cite(d, u, "data_from")
            elif d.cls in STUDY:
                if rng.random() < 0.45:
                    s = _pick_pa(rng, urns["study"], lim, _degree(rng, 1.0), taken)
                    cite(d, s, "cites")
            elif d.cls in ("Article", "Document") and rng.random() < 0.3:
                s = _pick_pa(rng, urns["any"], lim, 1, taken)
                cite(d, s, "cites")
            _insort(urns[_group(d.cls)], (d.key, d))
            _insort(urns["any"], (d.key, d))

        # ---- emit each cell
        for c in cluster_cells:
            people_made = _emit_cell(
                w,
                rng,
                c,
                cells,
                per_cell[c],
                per_cell,
                cluster_cells,
                f_cell,
                roles,
                orgs,
                countries,
                findings_org,
                people_made,
            )
    return w.lines, len(w.lines)


def _degree(rng: random.Random, mean: float) -> int:
    """A heavy-tailed out-degree with the given mean (log-normal, at least 1)."""
    sigma = 0.9
    mu = math.log(mean) - sigma * sigma / 2
    return max(1, round(rng.lognormvariate(mu, sigma)))


def _group(cls: str) -> str:
    if cls == "Guidance":
        return "guidance"
    if cls == "Review":
        return "review"
    if cls in STUDY:
        return "study"
    return "any"


def _insort(urn: list, item: tuple) -> None:
    key = item[0]
    lo, hi = 0, len(urn)
    if not urn or urn[-1][0] <= key:
        urn.append(item)
        return
    while lo < hi:
        mid = (lo + hi) // 2
        if urn[mid][0] <= key:
            lo = mid + 1
        else:
            hi = mid
    urn.insert(lo, item)


def _emit_cell(
    w: Writer,
    rng: random.Random,
    c: int,
    cells: list[tuple[str, str]],
    docs: list[Doc],
    per_cell: dict[int, list[Doc]],
    cluster_cells: list[int],
    f: float,
    roles: dict[str, str],
    orgs: list[str],
    countries: list[str],
    findings_org: str,
    people_made: int,
) -> int:
    path, notation = cells[c]
    cell = node(path)
    sections = [
        node(f"{path}/section/section-{i:02d}") for i in range(_scaled(SECTIONS, max(f, 0.5), 3))
    ]
    listing_section = sections[0]
    for i, s in enumerate(sections):
        w.t(cell, e("section"), s)
        w.t(s, A, e("PageSection"))
        w.t(
            s,
            LABEL,
            lit(f"{notation} section {i}: " + ("listing" if i == 0 else f"discussion {i}")),
        )

    def section() -> str:
        return sections[1 + rng.randrange(len(sections) - 1)]

    def ordered_label(d: Doc) -> str:
        design = {
            "RandomisedTrial": "randomised trial",
            "ObservationalStudy": "observational study",
            "ImplementationStudy": "implementation study",
            "ModellingStudy": "modelling study",
            "StatisticalReport": "statistics",
        }
        return f"{design.get(d.cls, d.cls.lower())} {d.iri.rsplit('/', 1)[-1][:-1]}"

    guidance = [d for d in docs if d.cls == "Guidance"]
    studies = [d for d in docs if d.cls in STUDY]
    stmt = lambda s, pl, o, sec, lab: _stmt(w, rng, s, pl, e(pl), o, sec, lab, findings_org)  # noqa: E731

    # ---- documents
    for d in docs:
        name = ordered_label(d)
        w.t(d.iri, A, e(d.cls))
        w.t(d.iri, LABEL, lit(f"Synthetic {name}"))
        w.t(
            d.iri, DESC, lit(f"A synthetic {d.cls} generated for benchmarking, in cell {notation}.")
        )
        if d.dated:
            w.t(d.iri, YEAR, typed(d.year, "gYear"))
        if d.role:
            lst = node(f"listing/{notation.lower()}/{d.iri.rsplit('/', 1)[-1][:-1]}")
            w.t(d.iri, DERIVED, listing_section)
            w.t(d.iri, e("listing"), lst)
            w.t(lst, A, e("Listing"))
            w.t(lst, LABEL, lit(f"Listing of {name} in cell {notation} ({d.role})"))
            w.t(lst, e("inCell"), cell)
            w.t(lst, e("listingOrder"), typed(d.listing_order, "integer"))
            w.t(lst, e("role"), roles[d.role])
        if d.cls in STUDY or d.cls == "Guidance":
            w.t(
                d.iri,
                e("conductedIn"),
                countries[min(len(countries) - 1, int(rng.paretovariate(1.2)) - 1)],
            )
        if d.cls in STUDY and rng.random() < 0.5:
            w.t(d.iri, e("setting"), lit(f"setting {rng.randrange(40)}"))
        for s in rng.sample(
            sections[1:], k=min(len(sections) - 1, 1 + (d.role is not None) + (rng.random() < 0.3))
        ):
            w.t(d.iri, e("discussedInSection"), s)
        if d.cls == "Guidance":
            issuer = orgs[min(len(orgs) - 1, int(rng.paretovariate(1.0)) - 1 + (c % 3))]
            w.t(d.iri, e("issuedBy"), issuer)
            if rng.random() < 0.15:
                w.t(d.iri, e("issuedBy"), orgs[rng.randrange(len(orgs))])
        elif d.cls in ("Commentary", "Review", "Article") and rng.random() < 0.2:
            w.t(
                d.iri,
                e("publishedBy"),
                findings_org if d.cls == "Commentary" else orgs[rng.randrange(len(orgs))],
            )
        if rng.random() < 0.05:
            people_made += 1
            person = node(f"person/synthetic-author-{people_made:05d}")
            w.t(person, A, f"<{FOAF}Person>")
            w.t(person, LABEL, lit(f"Synthetic author {people_made}"))
            w.t(d.iri, f"<{DCT}creator>", person)
        # every relation the page states has its reified statement (data/README.md)
        for o in d.cites:
            w.t(d.iri, f"<{CITO}citesAsEvidence>", o)
            cite_p = f"<{CITO}citesAsEvidence>"
            _stmt(
                w,
                rng,
                d.iri,
                "citesAsEvidence",
                cite_p,
                o,
                section(),
                f"{name} cites",
                findings_org,
            )
        for o in d.data_from:
            w.t(d.iri, f"<{CITO}usesDataFrom>", o)
            data_p = f"<{CITO}usesDataFrom>"
            _stmt(
                w,
                rng,
                d.iri,
                "usesDataFrom",
                data_p,
                o,
                section(),
                f"{name} uses data from",
                findings_org,
            )
        for o in d.leads:
            w.t(d.iri, e("takesLeadFrom"), o)
            stmt(
                d.iri,
                "takesLeadFrom",
                o,
                listing_section,
                f"{name} takes its lead from earlier guidance",
            )
        for o in d.rests:
            w.t(d.iri, e("restsOn"), o)
            stmt(d.iri, "restsOn", o, section(), f"{name} largely relies on an earlier study")
        if rng.random() < 0.1:
            other = rng.randrange(len(cells) - 1)
            target = node(cells[other + (other >= c)][0])
            w.t(d.iri, e("discussedIn"), target)
            stmt(d.iri, "discussedIn", target, section(), f"{name} is discussed in another cell")

    # commentaries analyse a study of the cell (Findings' judgement, reified)
    for d in docs:
        if d.cls == "Commentary" and studies:
            o = rng.choice(studies)
            w.t(d.iri, e("analyses"), o.iri)
            stmt(
                d.iri,
                "analyses",
                o.iri,
                section(),
                f"{ordered_label(d)} analyses {ordered_label(o)}",
            )

    # undated documents: "later than" in date order
    undated = sorted((d for d in docs if not d.dated), key=lambda d: d.key)
    for _ in range(_scaled(2, f)):
        if len(undated) >= 2:
            a, b = sorted(rng.sample(undated, 2), key=lambda d: d.key)
            w.t(b.iri, e("laterThan"), a.iri)
            stmt(b.iri, "laterThan", a.iri, section(), f"{ordered_label(b)} came later")

    # similar studies, related documents, same team (symmetric: stated once)
    for pred, pool, n in (
        ("similarTo", studies, 3),
        ("relatedTo", docs, 4),
        ("sameTeamAs", studies, 2),
    ):
        done = set()
        for _ in range(_scaled(n, f)):
            if len(pool) < 2:
                break
            a, b = rng.sample(pool, 2)
            if (a.iri, b.iri) in done or (b.iri, a.iri) in done:
                continue
            done.add((a.iri, b.iri))
            w.t(a.iri, e(pred), b.iri)
            stmt(a.iri, pred, b.iri, section(), f"{ordered_label(a)} {pred} {ordered_label(b)}")

    # ---- recommendations of the cell's guidance
    recs: list[tuple[str, Doc]] = []
    for i in range(_scaled(RECS, f, 1 if guidance else 0)):
        g = guidance[i % len(guidance)]
        r = node(f"rec/{notation.lower()}-recommendation-{i:03d}")
        sec = section()
        w.t(r, A, e("Recommendation"))
        w.t(r, LABEL, lit(f"Recommendation {i} of cell {notation}"))
        w.t(r, DERIVED, sec)
        w.t(r, e("text"), lit(f"Services should do thing {i} for people in cell {notation}."))
        w.t(r, e("quote"), lit(f"should consider doing thing {i}"))
        w.t(g.iri, e("recommends"), r)
        stmt(g.iri, "recommends", r, sec, f"{ordered_label(g)} recommends recommendation {i}")
        if len(guidance) > 1 and rng.random() < 0.25:
            g2 = rng.choice([x for x in guidance if x is not g])
            w.t(g2.iri, e("recommends"), r)
            stmt(g2.iri, "recommends", r, sec, f"{ordered_label(g2)} recommends recommendation {i}")
        recs.append((r, g))
    lacking = {r for r, _ in recs if rng.random() < 1 / 6}
    for r in lacking:
        w.t(r, e("lacksEvidence"), typed("true", "boolean"))

    # ---- findings, attached to studies (and some to claims below)
    findings = []
    for i in range(_scaled(FINDINGS, f, 1)):
        fi = node(f"finding/{notation.lower()}-finding-{i:03d}")
        findings.append(fi)
        w.t(fi, A, e("Finding"))
        w.t(fi, LABEL, lit(f"Finding {i} of cell {notation}"))
        w.t(fi, DERIVED, section())
        w.t(
            fi,
            e("measure"),
            lit(
                rng.choice(
                    ["abstinent", "attending mutual aid", "prescribed medication", "in treatment"]
                )
            ),
        )
        w.t(
            fi, e("group"), lit(rng.choice(["intervention group", "control group", "all patients"]))
        )
        kind = rng.random()
        if kind < 0.45:
            w.t(fi, e("percentage"), typed(f"{rng.randrange(0, 1001) / 10:.1f}", "decimal"))
        elif kind < 0.8:
            w.t(fi, e("count"), typed(rng.randrange(5, 80000), "integer"))
        elif kind < 0.9:
            w.t(fi, e("proportion"), typed(f"{rng.randrange(1, 10) / 10:.1f}", "decimal"))
            w.t(fi, e("approximate"), typed("true", "boolean"))
        else:
            w.t(fi, e("duration"), typed(rng.choice(["PT5M", "PT1H", "P84D"]), "duration"))

    _emit_results(w, rng, notation, f, docs, section)

    # ---- claims and prompts
    claims = []
    for i in range(_scaled(CLAIMS, f, 1)):
        cl = node(f"claim/{notation.lower()}-claim-{i:03d}")
        claims.append(cl)
        sec = section()
        w.t(cl, A, e("Claim"))
        w.t(cl, LABEL, lit(f"Claim {i} of cell {notation}"))
        w.t(cl, DERIVED, sec)
        w.t(cl, e("text"), lit(f"The page argues point {i} about cell {notation}."))
        for d in rng.sample(docs, k=min(len(docs), 1 + int(rng.random() * 4))):
            w.t(cl, e("about"), d.iri)
    for i in range(_scaled(PROMPTS, f)):
        pr = node(f"prompt/{notation.lower()}-prompt-{i:03d}")
        w.t(pr, A, e("DiscussionPrompt"))
        w.t(pr, LABEL, lit(f"Prompt {i} of cell {notation}"))
        w.t(pr, DERIVED, section())
        w.t(pr, e("text"), lit(f"What would you do about question {i}?"))

    holders = studies
    for i, fi in enumerate(findings):
        if claims and (not holders or i % 6 == 5):
            w.t(claims[i % len(claims)], e("hasFinding"), fi)
        else:
            w.t(holders[i % len(holders)].iri, e("hasFinding"), fi)

    # ---- what bears on recommendations and claims (reified)
    evidence = [d for d in docs if d.cls in STUDY or d.cls in ("Review", "Commentary")]
    targets = [r for r, _ in recs if r not in lacking]
    done: set[tuple[str, str, str]] = set()

    def bear(pred: str, s: str, o: str, what: str) -> None:
        if (s, pred, o) in done or s == o:
            return
        done.add((s, pred, o))
        w.t(s, e(pred), o)
        stmt(s, pred, o, section(), f"{what} {pred} {o.rsplit('/', 1)[-1][:-1]}")

    for _ in range(_scaled(16, f)):  # tempers
        if not targets:
            break
        r = rng.choice(targets)
        if rng.random() < 0.7 and evidence:
            d = rng.choice(evidence)
            bear("tempers", d.iri, r, ordered_label(d))
        elif claims:
            bear("tempers", rng.choice(claims), r, "a claim")
    for _ in range(_scaled(12, f)):  # supports
        if rng.random() < 0.5 and targets and evidence:
            d = rng.choice(evidence)
            bear("supports", d.iri, rng.choice(targets), ordered_label(d))
        elif len(claims) > 1:
            a, b = rng.sample(claims, 2)
            bear("supports", a, b, "a claim")
    for _ in range(_scaled(2, f)):  # bearsOn
        if guidance and evidence:
            d = rng.choice(evidence)
            bear("bearsOn", d.iri, rng.choice(guidance).iri, ordered_label(d))
    # evidence published after a guidance that bears on what it recommends
    for _ in range(_scaled(5, f)):
        if not recs:
            break
        r, g = rng.choice(recs)
        later = [d for d in evidence if d.dated and d.year > g.year]
        if later and r not in lacking:
            d = rng.choice(later)
            bear("unavailableTo", d.iri, g.iri, ordered_label(d))
            bear("tempers", d.iri, r, ordered_label(d))
    return people_made


def _emit_results(
    w: Writer,
    rng: random.Random,
    notation: str,
    f: float,
    docs: list[Doc],
    section: Callable[[], str],
) -> None:
    """A cell's results (eg:Result) in E4's proportions: on studies, reviews,
    commentaries and guidance, each with outcome and direction, most with what was
    tested and compared, some with a population or a significance; a key finding on
    some of the documents that have results; limitations on a few."""
    reporters = [d for d in docs if d.cls in STUDY or d.cls in ("Review", "Commentary", "Guidance")]
    if not reporters:
        return
    cell = notation.lower()
    results_of: dict[str, list[str]] = {}
    for i in range(_scaled(RESULTS, f, 1)):
        d = rng.choice(reporters)
        r = node(f"finding/{cell}-result-{i:03d}")
        w.t(r, A, e("Result"))
        w.t(r, LABEL, lit(f"Result {i} of cell {notation}"))
        w.t(r, DERIVED, section())
        w.t(r, e("outcome"), lit(rng.choice(OUTCOMES)))
        w.t(r, e("direction"), e(rng.choices(DIRECTIONS, weights=(5, 1, 3, 2))[0]))
        if rng.random() < 0.8:
            w.t(r, e("intervention"), lit(f"intervention {i % 7} of cell {notation}"))
        if rng.random() < 0.6:
            w.t(r, e("comparator"), lit(rng.choice(["usual care", "brief advice", "no treatment"])))
        if rng.random() < 0.3:
            w.t(r, e("population"), lit(rng.choice(["less committed patients", "one clinic"])))
        if rng.random() < 0.5:
            w.t(r, e("statisticallySignificant"), typed(rng.choice(["true", "false"]), "boolean"))
        w.t(d.iri, e("hasFinding"), r)
        results_of.setdefault(d.iri, []).append(r)
    holders = sorted(results_of)
    for d_iri in rng.sample(holders, k=min(len(holders), _scaled(KEY_FINDINGS, f))):
        w.t(d_iri, e("keyFinding"), results_of[d_iri][0])
    for i in range(_scaled(LIMITATIONS, f)):
        lim = node(f"limitation/{cell}-limitation-{i:03d}")
        w.t(lim, A, e("Limitation"))
        w.t(lim, LABEL, lit(f"Limitation {i} of cell {notation}"))
        w.t(lim, e("text"), lit(f"The page says study design limits what point {i} can show."))
        w.t(lim, DERIVED, section())
        w.t(rng.choice(reporters).iri, e("hasLimitation"), lim)


OUTCOMES = ["abstinence", "heavy drinking days", "attendance at mutual aid", "cost"]
DIRECTIONS = ["Favourable", "Unfavourable", "NoDifference", "Mixed"]


def path_for(size: int, seed: int, out_dir: Path | None = None) -> Path:
    return (out_dir or OUT_DIR) / f"synthetic-{_size_name(size)}-s{seed}-v{GENERATOR_VERSION}.nt"


def _size_name(size: int) -> str:
    exp = round(math.log10(size))
    return f"1e{exp}" if 10**exp == size else str(size)


def parse_size(text: str) -> int:
    return int(float(text))


def ensure(size: int, seed: int = 5, out_dir: Path | None = None, quiet: bool = False) -> Path:
    """The cached file for (size, seed), generated when missing. Returns its path."""
    out = path_for(size, seed, out_dir)
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # calibrate documents per triple on graphs of up to 3000 documents, then aim
    n_docs = max(8, size // 32)
    best: tuple[int, int] | None = None  # (distance from size, documents)
    for _ in range(6):
        probe = min(n_docs, 3000)
        _lines, count = generate(probe, seed)
        if probe < 3000 and (best is None or abs(count - size) < best[0]):
            best = (abs(count - size), probe)
        n_docs = max(8, round(probe * size / count))
        if n_docs == probe or (best and best[0] <= 0.005 * size):
            break
    if n_docs <= 3000 and best is not None:
        n_docs = best[1]
    lines, count = generate(n_docs, seed)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.writelines(lines)
    tmp.replace(out)
    if not quiet:
        print(
            f"{out.name}: {count} triples, {n_docs} documents "
            f"({time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )
    return out


def count_triples(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip() and not line.startswith(b"#"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--check",
        action="store_true",
        help="validate the smallest graph with pySHACL (must conform)",
    )
    args = ap.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    paths = [ensure(s, args.seed, args.out) for s in sizes]
    for p in paths:
        print(f"{p}\t{count_triples(p)} triples")
    if args.check:
        from evidencegraph.loading import load
        from evidencegraph.shacl import validate

        smallest = paths[sizes.index(min(sizes))]
        res = validate(load([smallest]))
        print(f"{smallest.name}: {res.summary()}")
        for v in res.results[:20]:
            print("  ", v.line(), v.focus)
        return 0 if res.conforms and not res.results else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
