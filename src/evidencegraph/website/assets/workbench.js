// The SPARQL workbench served by `evidencegraph serve`: YASQE (the @zazuko/yasqe editor,
// vendored) with the graph's prefixes predeclared, every named query loadable by name
// (window.EG_QUERIES, written by `evidencegraph site`), results as a table with labels
// and links to node pages, CSV and JSON downloads. It talks only to this server's
// /query; every string from an answer reaches the page through textContent.
(function () {
  "use strict";
  var Q = window.EG_QUERIES || { prefixes: {}, queries: [] };
  var ID = "https://w3id.org/evidencegraph/id/";
  var errorBox = document.getElementById("wb-error");
  var statusBox = document.getElementById("wb-status");
  var results = document.getElementById("wb-results");
  var picker = document.getElementById("wb-query");
  var about = document.getElementById("wb-about");
  var last = null;

  function oneLine(text) {
    var first = String(text || "").split(/\r?\n/).filter(Boolean)[0] || "the query failed";
    return first.length > 300 ? first.slice(0, 299) + "…" : first;
  }
  function fail(text) { errorBox.textContent = "error: " + oneLine(text); statusBox.textContent = ""; }

  var prologue = Object.keys(Q.prefixes).sort().map(function (p) {
    return "PREFIX " + p + ": <" + Q.prefixes[p] + ">";
  }).join("\n");
  var start = prologue + "\n\nSELECT ?document ?year WHERE {\n  ?document a eg:Guidance .\n" +
    "  OPTIONAL { ?document fabio:hasPublicationYear ?year }\n}\nORDER BY ?year\n";

  var yasqe = new Yasqe(document.getElementById("wb-editor"), {
    value: start,
    persistenceId: null,
    autocompleters: ["variables"],
    showQueryButton: false,
    resizeable: false,
    editorHeight: "320px",
    createShareableLink: null,
    consumeShareLink: null
  });
  // For screen readers and keyboards: the editor's input has a name, its scroller a stop.
  yasqe.getInputField().setAttribute("aria-label", "SPARQL query");
  var scroller = yasqe.getScrollerElement();
  scroller.setAttribute("tabindex", "0");
  scroller.setAttribute("aria-label", "SPARQL query text");
  yasqe.on("keydown", function (_cm, e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
  });

  // Prefixes the query uses but does not declare are added before it is sent.
  function withPrefixes(text) {
    var declared = {};
    text.replace(/PREFIX\s+([A-Za-z][\w-]*)?:/gi, function (_m, p) { declared[p || ""] = 1; return ""; });
    var body = text.replace(/<[^>]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#[^\n]*/g, " ");
    var add = [];
    Object.keys(Q.prefixes).forEach(function (p) {
      if (!declared[p] && new RegExp("(^|[^\\w:<])" + p + ":").test(body)) {
        add.push("PREFIX " + p + ": <" + Q.prefixes[p] + ">");
      }
    });
    return add.length ? add.join("\n") + "\n" + text : text;
  }

  function post(query, accept) {
    return fetch("query?workbench=1", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
      body: new URLSearchParams({ query: query }).toString()
    });
  }

  function labels(iris) {
    if (!iris.length) { return Promise.resolve({}); }
    var values = iris.slice(0, 400).map(function (i) { return "<" + i + ">"; }).join(" ");
    var q = "SELECT ?node ?label WHERE { VALUES ?node { " + values +
      " } ?node <http://www.w3.org/2000/01/rdf-schema#label> ?label }";
    return post(q, "application/sparql-results+json").then(function (r) {
      return r.ok ? r.json() : { results: { bindings: [] } };
    }).then(function (j) {
      var out = {};
      if (!j.results) { return out; }
      j.results.bindings.forEach(function (b) { out[b.node.value] = b.label.value; });
      return out;
    }).catch(function () { return {}; });
  }

  function shorten(iri) {
    var best = null;
    Object.keys(Q.prefixes).forEach(function (p) {
      var ns = Q.prefixes[p];
      if (iri.indexOf(ns) === 0 && (best === null || ns.length > Q.prefixes[best].length)) { best = p; }
    });
    return best === null ? iri : best + ":" + iri.slice(Q.prefixes[best].length);
  }

  function cell(term, names) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var name = names[term.value] || shorten(term.value);
      if (term.value.indexOf(ID) === 0) {
        var a = document.createElement("a");
        a.href = "id/" + term.value.slice(ID.length).split("/").map(encodeURIComponent).join("/");
        a.textContent = name;
        a.title = term.value;
        td.appendChild(a);
      } else {
        td.textContent = name;
        td.title = term.value;
      }
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function table(json, names) {
    var vars = json.head.vars || [];
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      head.appendChild(th);
    });
    var body = t.createTBody();
    json.results.bindings.forEach(function (b) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(b[v], names)); });
    });
    return t;
  }

  function run() {
    errorBox.textContent = "";
    statusBox.textContent = "running…";
    results.textContent = "";
    last = null;
    var text = withPrefixes(yasqe.getValue());
    var started = performance.now();
    var rdf = /^\s*(?:(?:PREFIX|BASE)[^\n]*\n|#[^\n]*\n|\s)*(CONSTRUCT|DESCRIBE)/i.test(text);
    post(text, rdf ? "text/turtle" : "application/sparql-results+json").then(function (r) {
      var failed = !r.ok || r.headers.get("X-Evidencegraph-Status");
      return r.text().then(function (body) { return { ok: !failed, body: body }; });
    }).then(function (r) {
      if (!r.ok) { fail(r.body); return; }
      var ms = Math.round(performance.now() - started);
      if (rdf) {
        var pre = document.createElement("pre");
        pre.textContent = r.body;
        results.appendChild(pre);
        last = { json: null, text: r.body };
        statusBox.textContent = "done in " + ms + " ms";
        return;
      }
      var json = JSON.parse(r.body);
      if (typeof json.boolean === "boolean") {
        results.textContent = "answer: " + json.boolean;
        last = { json: json };
        statusBox.textContent = "done in " + ms + " ms";
        return;
      }
      var iris = {};
      json.results.bindings.forEach(function (b) {
        Object.keys(b).forEach(function (k) { if (b[k].type === "uri") { iris[b[k].value] = 1; } });
      });
      return labels(Object.keys(iris)).then(function (names) {
        results.appendChild(table(json, names));
        last = { json: json };
        var n = json.results.bindings.length;
        statusBox.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
      });
    }).catch(function (e) { fail(e && e.message ? e.message : e); });
  }

  function csvCell(v) {
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) { s = "'" + s; }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }
  document.getElementById("wb-csv").addEventListener("click", function () {
    if (!last || !last.json || !last.json.results) { fail("run a SELECT query first"); return; }
    var vars = last.json.head.vars;
    var lines = [vars.map(csvCell).join(",")];
    last.json.results.bindings.forEach(function (b) {
      lines.push(vars.map(function (v) { return csvCell(b[v] ? b[v].value : ""); }).join(","));
    });
    download("results.csv", "text/csv", lines.join("\r\n") + "\r\n");
  });
  document.getElementById("wb-json").addEventListener("click", function () {
    if (!last) { fail("run a query first"); return; }
    download("results.json", "application/json", last.json ? JSON.stringify(last.json, null, 1) : last.text);
  });
  document.getElementById("wb-run").addEventListener("click", run);

  Q.queries.forEach(function (q) {
    var o = document.createElement("option");
    o.value = q.name;
    o.textContent = q.name + ": " + q.title;
    picker.appendChild(o);
  });
  function load(name) {
    var q = Q.queries.filter(function (x) { return x.name === name; })[0];
    if (!q) { return false; }
    picker.value = name;
    yasqe.setValue(q.text);
    about.textContent = q.purpose + (q.params.length ? " Parameters: " + q.params.join(", ") +
      " (unbound here: bind one with a VALUES block, or edit the query)." : "");
    errorBox.textContent = "";
    return true;
  }
  picker.addEventListener("change", function () { if (picker.value) { load(picker.value); } });
  var m = /[#&]query=([^&]+)/.exec(location.hash);
  if (m) { load(decodeURIComponent(m[1])); }
  if (location.protocol === "file:") {
    statusBox.textContent = "Opened from a file: run `evidencegraph serve` and open its workbench to run queries.";
  }
  window.egWorkbench = { run: run, load: load, editor: yasqe };
})();
