"""The site (issue 13) in real headless Chromium and through the real ``serve``.

- A crawl from ``index.html`` (``file://``, offline) reaches a page for every node
  of the graph; no page logs a console error, requests anything outside the site,
  links to a missing file, or has a serious or critical axe-core violation.
- A guidance page's trace names exactly what ``evidencegraph trace`` names.
- A label like ``<img src=x onerror=alert(1)>`` stays text everywhere.
- ``serve``: the graph's IRIs by content negotiation (Turtle, JSON-LD, N-Triples
  that rdflib parses), the workbench runs a named query and shows a one-line error
  for a bad one, and SERVICE reaches no listener.

Expected sets come from the graph (SPARQL here) or from ``trace``, not from the
site's own output.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from chromium import chromium, watch
from conftest import IN_CI, ROOT, project_copy, run_cli, select

ID = "https://w3id.org/evidencegraph/id/"
EG = "https://w3id.org/evidencegraph/ontology#"
COMMISSIONING = ID + "doc/2011-nice-commissioning-alcohol-treatment-system"
UK_2012 = ID + "doc/2012-uk-active-referral-to-mutual-aid"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>alert(2)</script>"
NPM = ROOT / ".ci" / "npm" / "node_modules"
SHOTS = os.environ.get("EVIDENCEGRAPH_SCREENSHOTS")  # a folder: save the README's pictures


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """One real ``evidencegraph site`` for the module."""
    out = tmp_path_factory.mktemp("site")
    proc = run_cli("site", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"open {(out / 'index.html').resolve().as_uri()}"
    return out


def _npm_file(rel: str) -> Path:
    path = NPM / rel
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"{path} is required in CI (installed by .ci/install-deps)")
        pytest.skip(f"{rel} not installed; run `bash .ci/install-deps`")
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium through Playwright; each tab records its own requests."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with chromium(profile, viewport=(1280, 900), offline=False, accept_downloads=True) as (
        ctx,
        _requests,
    ):
        yield ctx


class Tab:
    """One page with its console errors, dialogs and requests recorded."""

    def __init__(self, browser, url: str, allowed: str) -> None:
        self.page = browser.new_page()
        self.errors, self.dialogs = watch(self.page)
        self.outside: list[str] = []

        def route(r):
            u = r.request.url
            if u.startswith(allowed) or u.startswith("data:") or u.startswith("blob:"):
                r.continue_()
            else:
                self.outside.append(u)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(url)

    def goto(self, url: str) -> None:
        """The next page in the same tab, with fresh records."""
        self.errors.clear()
        self.dialogs.clear()
        self.outside.clear()
        self.page.goto(url)

    def close(self) -> None:
        self.page.close()


def _axe(page) -> list[str]:
    """Serious and critical axe-core violations of the loaded page."""
    page.add_script_tag(path=str(_npm_file("axe-core/axe.min.js")))
    found = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'], preload: false})"
        ".then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"
    )
    return list(found)


def _iri_of(site: Path, file: Path) -> str | None:
    rel = file.relative_to(site).as_posix()
    if rel.startswith("id/") and rel.endswith(".html"):
        return ID + rel[len("id/") : -len(".html")]
    return None


def _facts(triples, iri: str) -> set[tuple[str, str]]:
    """(predicate, object) of ``iri`` as strings with datatypes: engines differ on
    whether a plain literal carries xsd:string."""
    from rdflib import Literal

    out = set()
    for s, p, o in triples:
        if str(s) == iri:
            kind = (o.language or str(o.datatype or "")) if isinstance(o, Literal) else "iri"
            out.add((str(p), f"{o}|{kind.replace('http://www.w3.org/2001/XMLSchema#string', '')}"))
    return out


def _graph_nodes(graph) -> set[str]:
    """Every IRI under id/ that the graph describes (a subject of some triple)."""
    rows = select(
        graph,
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}',
    )
    return {r[0] for r in rows}


# ---------------------------------------------------------------- the static site


@pytest.mark.browser
def test_crawl_reaches_every_node_with_no_error_request_broken_link_or_axe_violation(
    site: Path, browser, graph
) -> None:
    root = site.resolve().as_uri() + "/"
    queue = deque([site / "index.html"])
    seen: set[Path] = {site / "index.html"}
    problems: list[str] = []
    pages = 0
    tab = Tab(browser, "about:blank", root)
    while queue:
        file = queue.popleft()
        tab.goto(file.resolve().as_uri())
        pages += 1
        hrefs = tab.page.eval_on_selector_all(
            "a[href], link[href], script[src]", "els => els.map(e => e.href || e.src)"
        )
        if file.suffix == ".html" and not file.is_relative_to(site / "viz"):
            problems += [f"{file.name}: axe {v}" for v in _axe(tab.page)]
        problems += [f"{file.name}: console {e}" for e in tab.errors]
        problems += [f"{file.name}: request outside the site {u}" for u in tab.outside]
        problems += [f"{file.name}: dialog {d}" for d in tab.dialogs]
        for href in hrefs:
            if not href.startswith("file:"):
                if href.startswith(("http:", "https:")):
                    problems.append(f"{file.name}: link outside the site {href}")
                continue
            target = Path(unquote(urlsplit(href).path))
            if not target.is_file():
                problems.append(f"{file.name}: broken link {href}")
                continue
            if target.suffix == ".html" and target not in seen:
                seen.add(target)
                queue.append(target)
    tab.close()
    assert problems == [], "\n".join(problems[:40])
    reached = {i for f in seen if (i := _iri_of(site, f))}
    expected = _graph_nodes(graph)
    assert expected - reached == set(), sorted(expected - reached)[:10]
    assert reached - expected == set(), sorted(reached - expected)[:10]
    assert pages > len(expected)


def _linked_iris(site: Path, page: Path, html_text: str) -> set[str]:
    out = set()
    for href in re.findall(r'href="([^"#]+)"', html_text):
        target = (page.parent / unquote(href)).resolve()
        if target.is_file() and (iri := _iri_of(site.resolve(), target)):
            out.add(iri)
    return out


def _guidance(graph) -> list[str]:
    return [r[0] for r in select(graph, "SELECT ?g WHERE { ?g a eg:Guidance }")]


def test_guidance_page_names_exactly_what_trace_names(site: Path, graph) -> None:
    import evidencegraph as eg

    guidance = _guidance(graph)
    assert COMMISSIONING in guidance
    for g in guidance:
        result = eg.trace(g)
        text = eg.render_trace(result, "text")
        # what trace names: every document, claim and recommendation it shows by name
        named = {
            iri
            for iri, node in result.nodes.items()
            if iri != g
            and re.match(re.escape(ID) + r"(doc|claim|rec)/", iri)
            and node.label
            and node.label in text
        }
        page = site / "id" / (g[len(ID) :] + ".html")
        body = page.read_text("utf-8")
        trace_part = body[body.index('<div id="trace"') : body.index("<!-- /trace -->")]
        linked = _linked_iris(site, page, trace_part) - {g}  # the root heads both
        assert linked == named, (g, sorted(linked ^ named))
        # each headline result trace prints is on the page, as text
        for line in text.splitlines():
            if line.strip().startswith("found: "):
                finding = line.strip()[len("found: ") :]
                assert _text(finding) in trace_part, finding


def _text(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_every_node_has_turtle_and_json_ld_beside_its_page(site: Path, graph) -> None:
    from rdflib import Graph, URIRef

    nodes = _graph_nodes(graph)
    for iri in [*sorted(nodes)[::7], COMMISSIONING, UK_2012]:
        base = site / "id" / iri[len(ID) :]
        page = base.with_name(base.name + ".html").read_text("utf-8")
        assert 'rel="alternate" type="text/turtle"' in page
        assert 'rel="alternate" type="application/ld+json"' in page
        ttl = Graph().parse(
            data=base.with_name(base.name + ".ttl").read_text("utf-8"), format="turtle"
        )
        js = Graph().parse(
            data=base.with_name(base.name + ".jsonld").read_text("utf-8"), format="json-ld"
        )
        expected = _facts(graph.triples((URIRef(iri), None, None)), iri)
        assert _facts(ttl, iri) == expected, iri
        assert _facts(js, iri) == expected, iri


def test_schema_org_in_head(site: Path) -> None:
    def ld(path: Path) -> dict:
        m = re.search(
            r'<script type="application/ld\+json">(.*?)</script>', path.read_text("utf-8"), re.S
        )
        assert m, path
        return json.loads(m.group(1))

    assert ld(site / "index.html")["@type"] == "Dataset"
    g = ld(site / "id" / "doc" / "2011-nice-commissioning-alcohol-treatment-system.html")
    assert g["@type"] == "Guideline" and g["datePublished"] == "2011"
    s = ld(site / "id" / "doc" / "2012-uk-active-referral-to-mutual-aid.html")
    assert s["@type"] == "ScholarlyArticle" and s["name"].startswith("In UK active referral")


def test_home_lists_the_cell_as_the_page_does(site: Path, graph) -> None:
    home = (site / "index.html").read_text("utf-8")
    rows = select(
        graph,
        "SELECT ?label ?order ?n WHERE { ?d eg:listing ?l ; rdfs:label ?label . "
        "?l eg:listingOrder ?order ; eg:role ?r . ?r skos:notation ?n } ORDER BY ?order",
    )
    listed = home[home.index('id="listed"') :]
    positions = [listed.index(_text(label)) for label, _o, _n in rows]
    assert positions == sorted(positions), "listed documents not in page order"
    assert "first uploaded" in home and "2013-06-01" in home and "2020-11-20" in home
    assert "Source: Drug and Alcohol Findings, Alcohol Treatment Matrix cell E4" in home
    for role in ("S: ", "K: ", "R: ", "G: "):
        assert f"<caption>{role}" in listed


def test_pages_are_small_and_print_on_a4(site: Path) -> None:
    big = [p for p in site.rglob("*.html") if p.stat().st_size > 300_000 and "viz" not in p.parts]
    assert big == []
    css = (site / "assets" / "site.css").read_text("utf-8")
    assert "@media print" in css and "size: A4" in css


def test_site_is_byte_stable_and_never_deletes_what_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / "mine.txt").write_text("a user's own file")
    assert run_cli("site", "--out", str(out)).returncode == 0
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert run_cli("site", "--out", str(out)).returncode == 0
    second = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first == second
    assert (out / "mine.txt").read_text() == "a user's own file"
    bad = run_cli("site", "--out", str(out / "mine.txt"))
    assert bad.returncode == 2 and bad.stderr.strip().startswith("error: ")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_vendored_editor_is_the_npm_build() -> None:
    here = ROOT / "src" / "evidencegraph" / "website" / "assets" / "yasqe"
    for name in ("yasqe.min.js", "yasqe.min.css"):
        npm = _npm_file(f"@zazuko/yasqe/build/{name}").read_text("utf-8")
        npm = re.sub(r"\n?//# sourceMappingURL=\S+\n?$", "\n", npm)
        npm = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", npm)
        assert (here / name).read_text("utf-8").strip() == npm.strip(), name


# ---------------------------------------------------------------- hostile labels


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    home, env = project_copy(tmp)
    doc = home / "data" / "documents" / "2012-uk-active-referral-to-mutual-aid.ttl"
    text = doc.read_text("utf-8")
    old = (
        'rdfs:label "In UK active referral significantly promotes NA/AA attendance '
        'but not abstinence"'
    )
    assert old in text
    doc.write_text(text.replace(old, f'rdfs:label "{HOSTILE} {HOSTILE_SCRIPT}"'), "utf-8")
    out = tmp / "site"
    proc = run_cli("site", "--out", str(out), cwd=home, env=env)
    assert proc.returncode == 0, proc.stderr
    return out


def test_hostile_labels_stay_text_in_the_files(hostile_site: Path) -> None:
    page = (hostile_site / "id" / "doc" / "2012-uk-active-referral-to-mutual-aid.html").read_text(
        "utf-8"
    )
    assert HOSTILE not in page and "<script>alert" not in page
    assert _text(HOSTILE) in page
    index = (hostile_site / "assets" / "search-index.js").read_text("utf-8")
    assert "</script" not in index and HOSTILE not in index
    data = json.loads((hostile_site / "search-index.json").read_text("utf-8"))
    assert any(e["label"].startswith(HOSTILE) for e in data)


@pytest.mark.browser
def test_hostile_labels_stay_text_in_the_browser(hostile_site: Path, browser) -> None:
    root = hostile_site.resolve().as_uri() + "/"
    for rel in ("id/doc/2012-uk-active-referral-to-mutual-aid.html", "index.html"):
        tab = Tab(browser, (hostile_site / rel).resolve().as_uri(), root)
        if rel == "index.html":
            tab.page.fill("#q", "img src")
            tab.page.wait_for_timeout(100)
        tab.page.wait_for_timeout(200)
        assert tab.dialogs == [] and tab.errors == [], (tab.dialogs, tab.errors)
        assert tab.page.locator("img").count() == 0
        assert HOSTILE in tab.page.inner_text("body")
        tab.close()


# ---------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def served():
    from test_serve import serving

    with serving() as srv:
        yield srv.url


def _get(url: str, accept: str) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.mark.server
def test_iris_resolve_by_content_negotiation(served: str, graph) -> None:
    from rdflib import Graph, URIRef

    sample = [
        COMMISSIONING,
        UK_2012,
        ID + "rec/care-coordination-for-all",
        ID + "cell/E4/section/support-mutual-aid-says-nice",
        ID + "org/national-institute-for-health-and-care-excellence",
    ]
    for iri in sample:
        url = served + "/id/" + iri[len(ID) :]
        expected = _facts(graph.triples((URIRef(iri), None, None)), iri)
        assert expected
        for accept, fmt in (
            ("text/turtle", "turtle"),
            ("application/ld+json", "json-ld"),
            ("application/n-triples", "nt"),
        ):
            status, headers, body = _get(url, accept)
            assert status == 200, (iri, accept, body[:200])
            assert headers.get("Vary") == "Accept"
            got = Graph().parse(data=body.decode("utf-8"), format=fmt)
            assert _facts(got, iri) == expected, (iri, fmt)
        status, headers, body = _get(url, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert (
            _text(graph.value(URIRef(iri), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
            in body.decode()
        )
    assert _get(served + "/id/doc/no-such-document", "text/turtle")[0] == 404
    assert _get(served + "/%2e%2e/%2e%2e/etc/passwd", "text/html")[0] == 404


class Listener:
    """A loopback socket that must never be connected to."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.mark.server
@pytest.mark.browser
def test_workbench_runs_a_named_query_and_shows_a_one_line_error(served: str, browser) -> None:
    listener = Listener()
    try:
        tab = Tab(browser, served + "/workbench.html#query=cited-by-nice", served + "/")
        page = tab.page
        page.wait_for_function("window.egWorkbench !== undefined")
        assert "cited-by-nice" in page.input_value("#wb-query")
        assert "PREFIX" in page.evaluate("egWorkbench.editor.getValue()")
        page.click("#wb-run")
        page.wait_for_function("/rows? in/.test(document.getElementById('wb-status').textContent)")
        links = page.eval_on_selector_all(
            "#wb-results a", "els => els.map(e => [e.textContent, e.getAttribute('href')])"
        )
        assert [
            "NICE clinical guidelines associated with the alcohol commissioning guidance",
            "id/doc/2011-nice-alcohol-clinical-guidelines",
        ] in links
        with page.expect_download() as dl:
            page.click("#wb-csv")
        csv_text = Path(dl.value.path()).read_text("utf-8")
        assert csv_text.splitlines()[0].startswith("document") or "," in csv_text.splitlines()[0]
        # prefixes predeclared: a query that declares none still runs
        page.evaluate("egWorkbench.editor.setValue('SELECT ?g WHERE { ?g a eg:Guidance }')")
        page.click("#wb-run")
        page.wait_for_function("/rows? in/.test(document.getElementById('wb-status').textContent)")
        assert page.inner_text("#wb-error") == ""
        for bad in (
            "SELECT * WHERE { ?s ?p }",
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        ):
            page.evaluate("q => egWorkbench.editor.setValue(q)", bad)
            page.click("#wb-run")
            page.wait_for_function("document.getElementById('wb-error').textContent !== ''")
            error = page.inner_text("#wb-error")
            assert error.startswith("error: ") and "\n" not in error.strip(), error
        if SHOTS:
            page.evaluate("egWorkbench.load('trials-behind')")
            page.click("#wb-run")
            page.wait_for_function(
                "/rows? in/.test(document.getElementById('wb-status').textContent)"
            )
            page.set_viewport_size({"width": 1280, "height": 1000})
            page.screenshot(path=str(Path(SHOTS) / "screenshot-workbench.png"))
        assert tab.errors == [] and tab.outside == [], (tab.errors, tab.outside)
        tab.close()
        status, _h, body = _get(
            served
            + "/query?"
            + urllib.parse.urlencode(
                {"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"}
            ),
            "application/sparql-results+json",
        )
        assert status == 400 and b"SERVICE" in body
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.mark.browser
def test_screenshot_of_a_guidance_page(site: Path, browser) -> None:
    if not SHOTS:
        pytest.skip("set EVIDENCEGRAPH_SCREENSHOTS=docs to save the README's pictures")
    tab = Tab(
        browser,
        (site / "id" / "doc" / "2011-nice-commissioning-alcohol-treatment-system.html")
        .resolve()
        .as_uri(),
        site.resolve().as_uri(),
    )
    tab.page.set_viewport_size({"width": 1280, "height": 1300})
    tab.page.screenshot(path=str(Path(SHOTS) / "screenshot-site-guidance.png"))
    tab.close()


def test_serve_help_and_the_site_command_exist() -> None:
    out = run_cli("site", "--help")
    assert out.returncode == 0 and "--out" in out.stdout and "--base-url" in out.stdout


@pytest.mark.browser
def test_site_and_workshop_graph_link_both_ways(site: Path, browser) -> None:
    page_file = site / "id" / "doc" / "2011-nice-commissioning-alcohol-treatment-system.html"
    html_text = page_file.read_text("utf-8")
    m = re.search(r'href="([^"]*viz/graph\.html#site&amp;focus=[^"]+)"', html_text)
    assert m, "the guidance page does not link to the graph"
    target = (page_file.parent / m.group(1).replace("&amp;", "&")).as_posix()
    path, _, fragment = target.partition("#")
    url = Path(path).resolve().as_uri() + "#" + fragment
    tab = Tab(browser, url, site.resolve().as_uri())
    tab.page.wait_for_function("typeof window.eg === 'object'")
    assert tab.page.evaluate("eg.current()") == COMMISSIONING
    href = tab.page.get_attribute("#details-body a.site-page", "href")
    assert href == "../id/doc/2011-nice-commissioning-alcohol-treatment-system.html"
    assert (site / "viz" / href).resolve() == page_file.resolve()
    assert tab.errors == [] and tab.outside == [], (tab.errors, tab.outside)
    tab.close()
    evidence_map = (site / "viz" / "evidence-map.html").read_text("utf-8")
    assert 'href="../id/doc/2011-nice-commissioning-alcohol-treatment-system.html"' in evidence_map


@pytest.mark.server
def test_site_from_an_endpoint_is_the_same_site(served: str, site: Path, tmp_path: Path) -> None:
    """Every page reads the graph with SPARQL, so the site of the served graph equals the
    site of the embedded one (the downloads aside: an endpoint's answers type plain
    strings as xsd:string)."""
    out = tmp_path / "from-endpoint"
    proc = run_cli("site", "--endpoint", served + "/query", "--out", str(out))
    assert proc.returncode == 0, proc.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and "downloads" not in p.name and "downloads" not in p.parts
        }

    mine, theirs = files(site), files(out)
    assert set(mine) == set(theirs)
    assert [k for k in mine if mine[k] != theirs[k]] == []


def test_ontology_page_documents_every_term(site: Path, graph) -> None:
    from evidencegraph.namespaces import shorten
    from evidencegraph.website.addresses import slug

    page = (site / "ontology.html").read_text("utf-8")
    terms = select(
        graph,
        "SELECT DISTINCT ?t WHERE { VALUES ?k { owl:Class owl:ObjectProperty "
        "owl:DatatypeProperty owl:AnnotationProperty } ?t a ?k FILTER isIRI(?t) }",
    )
    assert len(terms) > 50
    for (t,) in terms:
        assert f'id="{slug(shorten(t))}"' in page, t
    result = page[page.index('id="eg-result"') :]
    result = result[: result.index("</section>")]
    assert "SEPIO_0000173" in result and "close match" in result
    assert "nodes have this class" in result
    # a shape that constrains it, with its message
    restson = page[page.index('id="eg-restson"') :]
    restson = restson[: restson.index("</section>")]
    assert "used in" in restson and "constrained by" in restson and "is relied on by" in restson


def test_query_library_shows_every_query_with_its_current_results(site: Path) -> None:
    import evidencegraph as eg

    index = (site / "queries.html").read_text("utf-8")
    for q in eg.list_queries():
        page = site / "queries" / (q.name.replace("/", "-").lower() + ".html")
        assert page.is_file(), q.name
        text = page.read_text("utf-8")
        assert _text(q.text.strip().splitlines()[-1]) in text, q.name
        assert _text(q.title) in index
    rows = len(list(eg.query("cited-by-nice").result))
    page = (site / "queries" / "cited-by-nice.html").read_text("utf-8")
    assert f"<p>{rows} rows" in page
    assert page.count("<tr>") == rows + 1


def test_redirect_files_map_iris_to_pages(site: Path) -> None:
    w3id = (site / "w3id.htaccess").read_text("utf-8")
    assert "RewriteRule ^id/(.+)$ https://example.org/evidencegraph/id/$1.html [R=303,L]" in w3id
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle" in w3id
    local = (site / ".htaccess").read_text("utf-8")
    assert "RewriteCond %{REQUEST_FILENAME} !-f" in local


@pytest.mark.server
def test_serve_an_existing_site_folder(site: Path) -> None:
    from test_serve import serving

    with serving("--site", str(site)) as srv:
        status, _headers, body = _get(srv.url + "/", "text/html")
        assert status == 200 and body == (site / "index.html").read_bytes()
        status, _h, body = _get(srv.url + "/assets/site.css", "*/*")
        assert status == 200 and body == (site / "assets" / "site.css").read_bytes()


def _plain(path: Path) -> str:
    """A page's text as a reader sees it: tags dropped, entities decoded, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))
    return re.sub(r"\s+", " ", html.unescape(text))


def test_a_trial_behind_a_tempering_claim_is_never_said_to_support_the_recommendation(
    site: Path,
) -> None:
    """The page uses the VA and UK trials, through its claims, to temper NICE's
    recommendation of mutual aid for all: the claim's own relation is what bears on it."""
    for doc, claim in (
        ("2007-us-veterans-affairs-active-linkage-to-mutual-aid", "impacts were modest"),
        ("2012-uk-active-referral-to-mutual-aid", "Attendance may mark rather than cause"),
    ):
        text = _plain(site / "id" / "doc" / f"{doc}.html")
        said = re.findall(r"supports the claim “ ?([^”]*?) ?”, which (\w+)", text)
        assert any(claim in c and rel == "tempers" for c, rel in said), (doc, said)
    rec = _plain(site / "id" / "rec" / "encourage-and-arrange-mutual-aid-support-for-all.html")
    assert "which tempers it" in rec


def test_relations_nobody_stated_are_shown_as_derived_not_given_a_basis(site: Path) -> None:
    """The commissioning guidance rests on the third US trial only through the build's
    closure; the page never judges that, so no basis is claimed for it."""
    page = site / "id" / "doc" / "2011-nice-commissioning-alcohol-treatment-system.html"
    facts = page.read_text("utf-8")
    facts = facts[facts.index('id="facts"') :]
    row = next(
        r for r in facts.split("<tr>") if "Third US trial cited by NICE" in r and "rests on" in r
    )
    assert "derived by the build" in row and "judgement" not in row


def test_the_site_claims_no_licence_and_no_dates_the_graph_does_not_give(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)[1])
    assert "license" not in ld and "isAccessibleForFree" not in ld
    assert "datePublished" not in ld  # 2013-06-01 is the source page's date, not the dataset's
    assert ld["isBasedOn"]["datePublished"] == "2013-06-01"
    assert ld["isBasedOn"]["dateModified"] == "2020-11-20"


def test_a_guidance_page_shows_each_evidence_profile_once(site: Path) -> None:
    """Care coordination is recommended by both NICE documents; each guidance page
    shows its own profile for it, once."""
    for doc in (
        "2011-nice-commissioning-alcohol-treatment-system",
        "2011-nice-alcohol-clinical-guidelines",
    ):
        text = (site / "id" / "doc" / f"{doc}.html").read_text("utf-8")
        block = text[text.index('id="rec-care-coordination-for-all"') :]
        block = block[: block.index("</div>")]
        assert block.count('class="profile"') == 1, doc
