"""schema.org JSON-LD for a page's ``<head>``: the dataset as a Dataset, guidance as a
Guideline, studies and reviews as ScholarlyArticles, anything else as a Thing.

Search engines and reference managers read these; the values are the graph's
own (label, year, description, country, publisher), nothing added: no licence is
claimed, because the graph states none for the data.
"""

from __future__ import annotations

from evidencegraph.website.reading import EG, SiteData

_CONTEXT = "https://schema.org"
DCT = "http://purl.org/dc/terms/"
YEAR = "http://purl.org/spar/fabio/hasPublicationYear"


def for_dataset(data: SiteData, counts: dict[str, int]) -> dict:
    ds = data.dataset
    out: dict = {
        "@context": _CONTEXT,
        "@type": "Dataset",
        "name": ds.get("label", "evidencegraph"),
        "description": ds.get("attribution", ""),
        "variableMeasured": [f"{k}: {v}" for k, v in sorted(counts.items())],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": f, "contentUrl": u}
            for f, u in (
                ("text/turtle", "downloads/graph.ttl"),
                ("application/n-triples", "downloads/graph.nt"),
                ("application/ld+json", "downloads/graph.jsonld"),
            )
        ],
    }
    if ds.get("dataset"):
        out["@id"] = ds["dataset"]
    if ds.get("source"):
        # the dates are the source page's, not the dataset's
        page: dict = {"@type": "WebPage", "@id": ds["source"]}
        if ds.get("firstUploaded"):
            page["datePublished"] = ds["firstUploaded"]
        if ds.get("lastRevised"):
            page["dateModified"] = ds["lastRevised"]
        out["isBasedOn"] = page
    if ds.get("version"):
        out["version"] = ds["version"]
    return out


def for_node(data: SiteData, iri: str) -> dict:
    if data.is_a(iri, EG + "Guidance"):
        kind = "Guideline"
    elif data.is_a(iri, EG + "Document"):
        kind = "ScholarlyArticle"
    elif data.is_a(iri, EG + "Organisation"):
        kind = "Organization"
    elif data.is_a(iri, EG + "Claim"):
        kind = "Claim"
    else:
        kind = "Thing"
    out: dict = {"@context": _CONTEXT, "@type": kind, "@id": iri, "name": data.label(iri)}
    year = data.value(iri, YEAR)
    if year:
        out["datePublished"] = year[:4]
    description = data.value(iri, DCT + "description") or data.value(iri, EG + "text")
    if description:
        out["description"] = description
    title = data.value(iri, DCT + "title")
    if title:
        out["alternateName"] = title
    publishers = data.values(iri, EG + "issuedBy") + data.values(iri, EG + "publishedBy")
    if publishers:
        out["publisher"] = [
            {"@type": "Organization", "@id": p, "name": data.label(p)} for p in publishers
        ]
    countries = data.values(iri, EG + "conductedIn")
    if countries:
        out["spatialCoverage"] = [{"@type": "Place", "name": data.label(c)} for c in countries]
    if kind == "Guideline":
        recs = data.values(iri, EG + "recommends")
        if recs:
            out["hasPart"] = [{"@id": r, "name": data.label(r)} for r in recs]
    identifier = data.value(iri, DCT + "identifier")
    if identifier:
        out["identifier"] = identifier
    return out
