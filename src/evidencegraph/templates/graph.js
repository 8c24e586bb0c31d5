/* evidencegraph workshop graph. Data arrive as JSON (read with JSON.parse from a
   <script type="application/json"> block); every string from the data reaches the
   page through textContent or createTextNode, never parsed as HTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("eg-data").textContent);
  var FADED = 0.12;
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  /* ---------------------------------------------------------------- tooltips */
  function facts(n) {
    var rows = [];
    rows.push(["class", n.design || n.className]);
    if (n.year) { rows.push(["year", n.year]); }
    if (n.role) { rows.push(["role", n.role + " (" + n.roleLabel + ")"]); }
    if (n.countries.length) { rows.push(["country", n.countries.join(", ")]); }
    if (n.setting.length) { rows.push(["setting", n.setting.join("; ")]); }
    if (n.keyFinding) { rows.push(["key finding", n.keyFinding]); }
    if (n.quote) { rows.push(["wording", n.quote]); }
    if (n.text) { rows.push(["the page argues", n.text]); }
    else if (n.description) { rows.push(["about", n.description]); }
    if (n.lacksEvidence) { rows.push(["evidence", "the page says none lies behind it"]); }
    if (n.restsOnIt) { rows.push(["rests on it", n.restsOnIt + " document(s)"]); }
    if (n.sections.length) { rows.push(["where the page says it", n.sections.join("; ")]); }
    return rows;
  }
  function nodeTooltip(n) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-title", n.fullLabel));
    facts(n).forEach(function (r) {
      var row = el("div", "tip-row");
      row.appendChild(el("span", "tip-key", r[0] + ": "));
      row.appendChild(document.createTextNode(String(r[1])));
      box.appendChild(row);
    });
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div", "tip");
    var a = byId[e.from], b = byId[e.to];
    box.appendChild(el("div", "tip-title", D.relations[e.rel].label));
    box.appendChild(el("div", "tip-row", a.fullLabel + " → " + b.fullLabel));
    if (e.section) {
      var row = el("div", "tip-row");
      row.appendChild(el("span", "tip-key", "where the page says it: "));
      row.appendChild(document.createTextNode(e.section));
      box.appendChild(row);
    }
    return box;
  }

  /* ---------------------------------------------------------------- data sets */
  var fixed = D.layout === "fixed";
  function fontColour(n, faded) {
    var c = D.classes[n.cls];
    var inside = c.shape === "box" || c.shape === "ellipse";
    var base = inside ? c.font : "#111111";
    if (!faded) { return base; }
    return base === "#ffffff" ? "rgba(255,255,255,0.25)" : "rgba(17,17,17,0.18)";
  }
  function nodeStyle(n, faded) {
    var c = D.classes[n.cls];
    var inside = c.shape === "box" || c.shape === "ellipse";
    return {
      id: n.id, label: n.label, shape: c.shape, size: n.size, level: n.level,
      x: n.x, y: n.y, opacity: faded ? FADED : 1,
      color: { background: c.colour, border: "#000000",
               highlight: { background: c.colour, border: "#000000" },
               hover: { background: c.colour, border: "#000000" } },
      borderWidth: n.cls === "guidance" ? 3 : 1.5,
      borderWidthSelected: 5,
      shapeProperties: { borderDashes: n.cls === "claim" ? [6, 4] : false },
      font: nodeFont(n, faded),
      margin: inside ? 10 : undefined,
      widthConstraint: inside ? { maximum: 300 } : undefined,
      title: nodeTooltip(n)
    };
  }
  // Full option objects every time: the DataSet merges updates shallowly, and a
  // node re-added by a filter is rebuilt from its stored item.
  function nodeFont(n, faded) {
    var c = D.classes[n.cls];
    var inside = c.shape === "box" || c.shape === "ellipse";
    return { size: n.cls === "guidance" ? 24 : 22, color: fontColour(n, faded),
             face: "DejaVu Sans, Verdana, Arial, sans-serif",
             strokeWidth: inside ? 0 : 5,
             strokeColor: faded ? "rgba(255,255,255,0.2)" : "#ffffff", multi: false };
  }
  function edgeColour(r, faded) {
    return { color: r.colour, highlight: r.colour, hover: r.colour, opacity: faded ? 0.08 : 1 };
  }
  function edgeFont(faded) {
    return { size: 17, color: faded ? "rgba(0,0,0,0.1)" : "#111111", strokeWidth: 4,
             strokeColor: faded ? "rgba(255,255,255,0.1)" : "#ffffff", align: "middle",
             face: "DejaVu Sans, Verdana, Arial, sans-serif" };
  }
  function edgeStyle(e, faded, labelled) {
    var r = D.relations[e.rel];
    return {
      id: e.id, from: e.from, to: e.to,
      label: labelled ? r.label : undefined,
      arrows: r.arrow ? { to: { enabled: true, type: r.arrow, scaleFactor: 0.9 } } : { to: false },
      dashes: r.dashes, width: r.width,
      color: edgeColour(r, faded),
      font: edgeFont(faded),
      smooth: fixed ? { enabled: true, type: "cubicBezier", forceDirection: "vertical",
                        roundness: 0.4 } : { enabled: true, type: "cubicBezier" },
      title: edgeTooltip(e)
    };
  }
  var nodes = new vis.DataSet(D.nodes.map(function (n) { return nodeStyle(n, false); }));
  var edges = new vis.DataSet(D.edges.map(function (e) { return edgeStyle(e, false, true); }));

  /* ---------------------------------------------------------------- filters */
  var filt = { classes: {}, relations: {}, yearMin: null, yearMax: null, undated: true };
  Object.keys(D.classes).forEach(function (k) { filt.classes[k] = true; });
  Object.keys(D.relations).forEach(function (k) { filt.relations[k] = true; });
  var years = D.nodes.map(function (n) { return n.year; }).filter(function (y) { return !!y; });
  var Y0 = years.length ? Math.min.apply(null, years) : null;
  var Y1 = years.length ? Math.max.apply(null, years) : null;
  function nodePasses(item) {
    var n = byId[item.id];
    if (!filt.classes[n.cls]) { return false; }
    if (!n.year) { return filt.undated; }
    if (filt.yearMin !== null && n.year < filt.yearMin) { return false; }
    if (filt.yearMax !== null && n.year > filt.yearMax) { return false; }
    return true;
  }
  var edgeById = {};
  D.edges.forEach(function (e) { edgeById[e.id] = e; });
  var nodeView = new vis.DataView(nodes, { filter: nodePasses });
  var edgeView = new vis.DataView(edges, { filter: function (item) {
    var e = edgeById[item.id];
    return !!filt.relations[e.rel];
  } });

  /* ---------------------------------------------------------------- network */
  var container = document.getElementById("graph");
  var options = {
    autoResize: true,
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 120, keyboard: false, multiselect: false,
                   navigationButtons: false, zoomView: true, dragView: true },
    nodes: { scaling: { label: { enabled: false } } },
    edges: { selectionWidth: 2, hoverWidth: 1 }
  };
  if (!fixed) {
    options.layout = { hierarchical: { enabled: true, direction: "UD", sortMethod: "directed",
                                       levelSeparation: 200, nodeSpacing: 290, treeSpacing: 120,
                                       shakeTowards: "roots" } };
  }
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // Role letter badges (S/K/R/G) drawn on the canvas beside each node.
  var lit = null; // null: nothing faded; otherwise a set of lit ids
  network.on("afterDrawing", function (ctx) {
    var ids = nodeView.getIds();
    var pos = network.getPositions(ids);
    ids.forEach(function (id) {
      var n = byId[id];
      if (!n.role || !pos[id]) { return; }
      var box = network.getBoundingBox(id);
      var x, y;
      var shape = D.classes[n.cls].shape;
      if (shape === "box" || shape === "ellipse") { x = box.left + 2; y = box.top + 2; }
      else { x = pos[id].x + n.size * 0.95; y = pos[id].y - n.size * 0.95; }
      ctx.save();
      ctx.globalAlpha = (lit && !lit[id]) ? FADED : 1;
      ctx.beginPath();
      ctx.arc(x, y, 13, 0, 2 * Math.PI);
      ctx.fillStyle = "#ffffff"; ctx.fill();
      ctx.lineWidth = 2.5; ctx.strokeStyle = "#000000"; ctx.stroke();
      ctx.fillStyle = "#000000";
      ctx.font = "bold 17px DejaVu Sans, Verdana, Arial, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText(n.role, x, y + 1);
      ctx.restore();
    });
  });

  /* ---------------------------------------------------------------- highlight */
  var state = { focus: null, prompt: null, search: "", current: null };
  var status = document.getElementById("status");
  function applyLit(set) {
    lit = set;
    var nu = [], eu = [];
    D.nodes.forEach(function (n) {
      var faded = !!(set && !set[n.id]);
      nu.push({ id: n.id, opacity: faded ? FADED : 1, font: nodeFont(n, faded) });
    });
    D.edges.forEach(function (e) {
      var on = !set || (set[e.from] && set[e.to]);
      eu.push({ id: e.id, color: edgeColour(D.relations[e.rel], !on), font: edgeFont(!on) });
    });
    nodes.update(nu);
    edges.update(eu);
  }
  function setOf(list) {
    var s = {};
    list.forEach(function (i) { s[i] = true; });
    return s;
  }
  function fitLit(anchor) {
    var ids = nodeView.getIds().filter(function (i) { return !lit || lit[i]; });
    if (!ids.length) { return; }
    network.fit({ nodes: ids, animation: false });
    if (network.getScale() < READABLE_FOCUS) {
      // Too wide to read whole: keep the clicked node near the top, what it rests on below.
      var a = network.getPositions([anchor || ids[0]])[anchor || ids[0]];
      var down = Math.max(0, container.clientHeight / 2 - 140) / READABLE_FOCUS;
      network.moveTo({ position: { x: a.x, y: a.y + down }, scale: READABLE_FOCUS,
                       animation: false });
    }
  }
  var READABLE_FOCUS = 0.62;
  function focusNode(id, quiet) {
    if (!byId[id]) { return []; }
    state.focus = id; state.prompt = null; state.current = id;
    markPrompt(null);
    var ids = D.focusSets[id] || [id];
    applyLit(setOf(ids));
    network.selectNodes([id]);
    showDetails(id);
    var shown = ids.filter(function (i) { return nodeView.get(i) !== null; });
    if (!quiet) { fitLit(id); }
    status.textContent = "Focus: " + byId[id].fullLabel + " — " + shown.length + " lit";
    return ids.slice();
  }
  function clearHighlight() {
    state.focus = null; state.prompt = null;
    markPrompt(null);
    applyLit(null);
    network.unselectAll();
    status.textContent = "";
  }

  /* ---------------------------------------------------------------- details */
  var details = document.getElementById("details-body");
  function showDetails(id) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    var n = byId[id];
    if (!n) { return; }
    details.appendChild(el("div", "name", n.fullLabel));
    var dl = el("dl");
    facts(n).forEach(function (r) {
      dl.appendChild(el("dt", null, r[0]));
      dl.appendChild(el("dd", null, r[1]));
    });
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(el("dd", null, n.curie));
    details.appendChild(dl);
  }

  /* ---------------------------------------------------------------- search */
  var search = document.getElementById("search");
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    return nodeView.getIds().filter(function (id) {
      var n = byId[id];
      return n.fullLabel.toLowerCase().indexOf(q) >= 0 || n.curie.toLowerCase().indexOf(q) >= 0;
    });
  }
  function runSearch() {
    state.search = search.value;
    var m = matches(search.value);
    if (!search.value.trim()) { clearHighlight(); return; }
    state.focus = null; state.prompt = null; markPrompt(null);
    applyLit(setOf(m));
    status.textContent = m.length + (m.length === 1 ? " match" : " matches");
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var m = matches(search.value);
      if (m.length) {
        state.current = m[0];
        network.selectNodes([m[0]]);
        showDetails(m[0]);
        network.focus(m[0], { scale: Math.max(network.getScale(), 0.9), animation: false });
      }
      ev.preventDefault();
    }
  });

  /* ---------------------------------------------------------------- filter UI */
  function swatch(cls) {
    var c = D.classes[cls];
    var s = svgEl("svg", { width: 26, height: 26, viewBox: "0 0 26 26", "class": "sw",
                           "aria-hidden": "true" });
    var attrs = { fill: c.colour, stroke: "#000", "stroke-width": 1.5 };
    var shape;
    switch (c.shape) {
      case "dot": shape = svgEl("circle", Object.assign({ cx: 13, cy: 13, r: 10 }, attrs)); break;
      case "ellipse": shape = svgEl("ellipse", Object.assign({ cx: 13, cy: 13, rx: 12, ry: 8 }, attrs)); break;
      case "box": shape = svgEl("rect", Object.assign({ x: 2, y: 6, width: 22, height: 14, rx: 3 }, attrs)); break;
      case "square": shape = svgEl("rect", Object.assign({ x: 3, y: 3, width: 20, height: 20 }, attrs)); break;
      case "diamond": shape = svgEl("polygon", Object.assign({ points: "13,1 25,13 13,25 1,13" }, attrs)); break;
      case "triangle": shape = svgEl("polygon", Object.assign({ points: "13,2 25,23 1,23" }, attrs)); break;
      case "triangleDown": shape = svgEl("polygon", Object.assign({ points: "1,3 25,3 13,24", "stroke-dasharray": "3,2" }, attrs)); break;
      case "hexagon": shape = svgEl("polygon", Object.assign({ points: "7,2 19,2 25,13 19,24 7,24 1,13" }, attrs)); break;
      case "star": shape = svgEl("polygon", Object.assign({ points: "13,1 16,10 25,10 18,15 21,24 13,19 5,24 8,15 1,10 10,10" }, attrs)); break;
      default: shape = svgEl("circle", Object.assign({ cx: 13, cy: 13, r: 10 }, attrs));
    }
    s.appendChild(shape);
    return s;
  }
  function lineSwatch(rel) {
    var r = D.relations[rel];
    var s = svgEl("svg", { width: 48, height: 16, viewBox: "0 0 48 16", "class": "sw",
                           "aria-hidden": "true" });
    var a = { x1: 2, y1: 8, x2: 38, y2: 8, stroke: r.colour, "stroke-width": Math.min(r.width, 4) };
    if (r.dashes) { a["stroke-dasharray"] = r.dashes.map(function (d) { return d / 2; }).join(","); }
    s.appendChild(svgEl("line", a));
    if (r.arrow === "arrow") { s.appendChild(svgEl("polygon", { points: "38,3 47,8 38,13", fill: r.colour })); }
    if (r.arrow === "bar") { s.appendChild(svgEl("line", { x1: 42, y1: 2, x2: 42, y2: 14, stroke: r.colour, "stroke-width": 3 })); }
    if (r.arrow === "circle") { s.appendChild(svgEl("circle", { cx: 42, cy: 8, r: 4, fill: r.colour })); }
    return s;
  }
  var counts = { classes: {}, relations: {} };
  D.nodes.forEach(function (n) { counts.classes[n.cls] = (counts.classes[n.cls] || 0) + 1; });
  D.edges.forEach(function (e) { counts.relations[e.rel] = (counts.relations[e.rel] || 0) + 1; });
  function checkbox(parent, kind, key, text, sw) {
    var lab = el("label", "opt");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-" + kind, key);
    box.addEventListener("change", function () {
      filt[kind === "class" ? "classes" : "relations"][key] = box.checked;
      refreshFilters();
    });
    lab.appendChild(box);
    lab.appendChild(sw);
    lab.appendChild(document.createTextNode(text));
    parent.appendChild(lab);
    return box;
  }
  var classBoxes = {}, relBoxes = {};
  var classField = document.getElementById("class-filter");
  Object.keys(D.classes).forEach(function (k) {
    if (!counts.classes[k]) { return; }
    classBoxes[k] = checkbox(classField, "class", k,
                             D.classes[k].name + " (" + counts.classes[k] + ")", swatch(k));
  });
  var relField = document.getElementById("relation-filter");
  Object.keys(D.relations).forEach(function (k) {
    if (!counts.relations[k]) { return; }
    relBoxes[k] = checkbox(relField, "relation", k,
                           D.relations[k].label + " (" + counts.relations[k] + ")", lineSwatch(k));
  });
  var yMin = document.getElementById("year-min"), yMax = document.getElementById("year-max");
  var undated = document.getElementById("undated");
  if (Y0 !== null) { yMin.value = Y0; yMax.value = Y1; yMin.min = yMax.min = Y0; yMin.max = yMax.max = Y1; }
  function readYears() {
    filt.yearMin = yMin.value === "" ? null : parseInt(yMin.value, 10);
    filt.yearMax = yMax.value === "" ? null : parseInt(yMax.value, 10);
    filt.undated = undated.checked;
    refreshFilters();
  }
  [yMin, yMax].forEach(function (i) { i.addEventListener("change", readYears); i.addEventListener("input", readYears); });
  undated.addEventListener("change", readYears);
  function refreshFilters() {
    nodeView.refresh();
    edgeView.refresh();
  }

  // Legend (classes and relations), built from data with DOM calls only.
  var lc = document.getElementById("legend-classes");
  Object.keys(D.classes).forEach(function (k) {
    if (!counts.classes[k]) { return; }
    var row = el("div", "opt");
    row.style.display = "flex"; row.style.alignItems = "center"; row.style.gap = "6px";
    row.appendChild(swatch(k));
    row.appendChild(document.createTextNode(D.classes[k].name));
    lc.appendChild(row);
  });
  var lr = document.getElementById("legend-relations");
  Object.keys(D.relations).forEach(function (k) {
    if (!counts.relations[k]) { return; }
    var row = el("div", "opt");
    row.style.display = "flex"; row.style.alignItems = "center"; row.style.gap = "6px";
    row.appendChild(lineSwatch(k));
    row.appendChild(document.createTextNode(D.relations[k].label));
    lr.appendChild(row);
  });

  /* ---------------------------------------------------------------- prompts */
  var promptList = document.getElementById("prompts-list");
  var promptButtons = {};
  function markPrompt(id) {
    Object.keys(promptButtons).forEach(function (k) {
      promptButtons[k].setAttribute("aria-pressed", k === id ? "true" : "false");
    });
  }
  function highlightPrompt(id) {
    var p = D.prompts.filter(function (x) { return x.id === id; })[0];
    if (!p) { return []; }
    state.focus = null; state.prompt = id;
    markPrompt(id);
    applyLit(setOf(p.about));
    network.unselectAll();
    status.textContent = "Prompt: " + p.label + " — " + p.about.length + " lit";
    return p.about.slice();
  }
  D.prompts.forEach(function (p) {
    var li = el("li");
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", "false");
    b.setAttribute("data-prompt", p.id);
    b.appendChild(el("span", "q", p.label));
    if (p.text) { b.appendChild(el("span", "t", p.text)); }
    if (p.section) { b.appendChild(el("span", "s", "Section: " + p.section)); }
    b.addEventListener("click", function () {
      if (state.prompt === p.id) { clearHighlight(); } else { highlightPrompt(p.id); }
    });
    promptButtons[p.id] = b;
    li.appendChild(b);
    promptList.appendChild(li);
  });
  if (!D.prompts.length) { promptList.appendChild(el("li", "hint", "The page gives no discussion prompts for these nodes.")); }

  /* ---------------------------------------------------------------- reset, clicks, keys */
  function reset() {
    search.value = ""; state.search = "";
    Object.keys(classBoxes).forEach(function (k) { classBoxes[k].checked = true; filt.classes[k] = true; });
    Object.keys(relBoxes).forEach(function (k) { relBoxes[k].checked = true; filt.relations[k] = true; });
    if (Y0 !== null) { yMin.value = Y0; yMax.value = Y1; }
    undated.checked = true;
    filt.yearMin = Y0; filt.yearMax = Y1; filt.undated = true;
    refreshFilters();
    clearHighlight();
    state.current = null;
    while (details.firstChild) { details.removeChild(details.firstChild); }
    initialView();
  }
  document.getElementById("reset").addEventListener("click", reset);
  network.on("click", function (params) {
    if (params.nodes.length) { focusNode(params.nodes[0]); }
    else if (!params.edges.length) { clearHighlight(); }
  });

  function move(dir) {
    var ids = nodeView.getIds();
    if (!ids.length) { return; }
    var pos = network.getPositions(ids);
    var cur = state.current && pos[state.current] ? state.current : null;
    if (!cur) {
      ids.sort(function (a, b) { return (pos[a].y - pos[b].y) || (pos[a].x - pos[b].x); });
      select(ids[0]);
      return;
    }
    var p = pos[cur], best = null, bestScore = Infinity;
    ids.forEach(function (id) {
      if (id === cur) { return; }
      var dx = pos[id].x - p.x, dy = pos[id].y - p.y, along, across;
      if (dir === "ArrowRight") { along = dx; across = Math.abs(dy); }
      else if (dir === "ArrowLeft") { along = -dx; across = Math.abs(dy); }
      else if (dir === "ArrowDown") { along = dy; across = Math.abs(dx); }
      else { along = -dy; across = Math.abs(dx); }
      if (along <= 1) { return; }
      var score = along + 2.5 * across;
      if (score < bestScore) { bestScore = score; best = id; }
    });
    if (best) { select(best); }
  }
  function select(id) {
    state.current = id;
    network.selectNodes([id]);
    showDetails(id);
    var dom = network.canvasToDOM(network.getPositions([id])[id]);
    var r = container.getBoundingClientRect();
    if (dom.x < 0 || dom.y < 0 || dom.x > r.width || dom.y > r.height) {
      network.focus(id, { scale: network.getScale(), animation: false });
    }
    status.textContent = "Selected: " + byId[id].fullLabel + " (Enter to focus)";
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { reset(); search.blur(); container.focus(); ev.preventDefault(); return; }
    var t = ev.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (ev.key === "/") { search.focus(); ev.preventDefault(); return; }
    if (ev.key === "f" || ev.key === "F") { fitAll(); ev.preventDefault(); return; }
    if (ev.key.indexOf("Arrow") === 0 && (t === container || t === document.body)) {
      move(ev.key); ev.preventDefault(); return;
    }
    if ((ev.key === "Enter" || ev.key === " ") && (t === container || t === document.body) &&
        state.current) {
      focusNode(state.current); ev.preventDefault();
    }
  });

  // Start readable: fit the guidance and recommendation rows, never below a
  // projector-legible scale; "Whole graph" (or the F key) fits everything.
  var READABLE = 0.62;
  function initialView() {
    var top = nodeView.getIds().filter(function (id) {
      var c = byId[id].cls;
      return c === "guidance" || c === "recommendation" || c === "organisation";
    });
    network.fit({ nodes: top.length ? top : nodeView.getIds(), animation: false });
    var s = network.getScale();
    if (s < READABLE || s > 1) {
      var pos = network.getPositions(top.length ? top : nodeView.getIds());
      var xs = [], ys = [];
      Object.keys(pos).forEach(function (k) { xs.push(pos[k].x); ys.push(pos[k].y); });
      var scale = Math.min(1, Math.max(s, READABLE));
      var h = container.clientHeight / scale;
      var cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
      var y0 = Math.min.apply(null, ys) - 80;
      network.moveTo({ position: { x: cx, y: y0 + h / 2 }, scale: scale, animation: false });
    }
  }
  function fitAll() { network.fit({ animation: false }); }
  document.getElementById("fit-all").addEventListener("click", fitAll);
  document.getElementById("toggle-panel").addEventListener("click", function (ev) {
    var aside = document.querySelector("aside");
    var hidden = aside.hasAttribute("hidden");
    if (hidden) { aside.removeAttribute("hidden"); } else { aside.setAttribute("hidden", ""); }
    ev.currentTarget.setAttribute("aria-pressed", hidden ? "false" : "true");
    window.setTimeout(function () { network.redraw(); }, 0);
  });
  if (D.focus) { focusNode(D.focus, true); }
  network.once("afterDrawing", function () {
    if (D.focus) { fitLit(); } else { initialView(); }
  });

  /* ---------------------------------------------------------------- test hook */
  /* ---------------------------------------------------------------- inside the site */
  // Opened from `evidencegraph site` (viz/graph.html#site, or #site&focus=IRI): the
  // panel links each node to its page in the site, and the node the hash names is focused.
  if (/^#site(?:&|$)/.test(location.hash)) {
    var SITE_ID = "https://w3id.org/evidencegraph/id/";
    var plainDetails = showDetails;
    showDetails = function (id) {
      plainDetails(id);
      if (byId[id] && id.indexOf(SITE_ID) === 0) {
        var a = el("a", "site-page", "Open its page in the site");
        a.href = "../id/" + id.slice(SITE_ID.length).split("/").map(encodeURIComponent).join("/") +
          ".html";
        details.appendChild(a);
      }
    };
    var wanted = /[#&]focus=([^&]+)/.exec(location.hash);
    var start = wanted ? decodeURIComponent(wanted[1]) : null;
    if (start && byId[start]) {
      state.current = start;
      focusNode(start);
      network.selectNodes([start]);
      showDetails(start);
    }
  }

  window.eg = {
    nodeCount: function () { return nodes.length; },
    edgeCount: function () { return edges.length; },
    visibleNodes: function () { return nodeView.getIds().slice().sort(); },
    visibleEdges: function () {
      return edgeView.getIds().filter(function (id) {
        var e = edgeById[id];
        return nodeView.get(e.from) !== null && nodeView.get(e.to) !== null;
      }).map(function (id) { var e = edgeById[id]; return [e.from, e.rel, e.to]; });
    },
    focus: function (iri) { return focusNode(iri).slice().sort(); },
    prompt: function (iri) { return highlightPrompt(iri).slice().sort(); },
    highlighted: function () {
      var ids = nodeView.getIds();
      return (lit ? ids.filter(function (i) { return lit[i]; }) : ids).slice().sort();
    },
    faded: function () {
      return nodes.get({ filter: function (n) { return n.opacity < 1; } })
        .map(function (n) { return n.id; }).sort();
    },
    applyFilter: function (f) {
      f = f || {};
      if (f.classes) {
        Object.keys(classBoxes).forEach(function (k) {
          var on = f.classes.indexOf(k) >= 0; classBoxes[k].checked = on; filt.classes[k] = on;
        });
      }
      if (f.relations) {
        Object.keys(relBoxes).forEach(function (k) {
          var on = f.relations.indexOf(k) >= 0; relBoxes[k].checked = on; filt.relations[k] = on;
        });
      }
      if (f.yearMin !== undefined) { yMin.value = f.yearMin === null ? "" : f.yearMin; }
      if (f.yearMax !== undefined) { yMax.value = f.yearMax === null ? "" : f.yearMax; }
      if (f.undated !== undefined) { undated.checked = !!f.undated; }
      readYears();
      return nodeView.getIds().slice().sort();
    },
    reset: function () { reset(); return true; },
    domPosition: function (iri) {
      var p = network.getPositions([iri])[iri];
      if (!p) { return null; }
      var d = network.canvasToDOM(p);
      var r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    },
    current: function () { return state.current; },
    fontSize: function (iri) { var it = nodes.get(iri); return it && it.font ? it.font.size : null; },
    scale: function () { return network.getScale(); },
    network: network
  };
})();
