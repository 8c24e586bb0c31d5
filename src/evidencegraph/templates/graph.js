/* evidencegraph workshop graph. Data arrive as JSON (read with JSON.parse from a
   <script type="application/json"> block); every string from the data reaches the
   page through textContent or createTextNode, never parsed as HTML.

   What is lit comes from the data (focus sets from the build's evidence links,
   prompt sets from the graph's provenance); where nodes go comes from Graphviz
   (the overview, and a "stage" for each set too spread out to read in place).
   This script only shows them: it fits what is lit to the screen at a readable
   size, or switches to the set's stage when the overview cannot. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("eg-data").textContent);
  var FADED = 0.12;
  var PX = D.text.px, READABLE = D.text.readable, MARGIN = D.text.margin;
  var MIN_SCALE = READABLE / PX;  // below this a label is smaller than READABLE CSS px
  var MAX_SCALE = 1.6;
  var COMFORTABLE = MIN_SCALE * 1.25;  // labels of 17.5 px: no need to re-lay out
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });
  var promptById = {};
  D.prompts.forEach(function (p) { promptById[p.id] = p; });

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
  function setOf(list) {
    var s = {};
    list.forEach(function (i) { s[i] = true; });
    return s;
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

  /* ---------------------------------------------------------------- looks */
  var fixed = D.layout === "fixed";
  function borderOf(c) {
    return {
      width: c.border === "heavy" ? 4.5 : 2,
      dashes: c.border === "dashed" ? [9, 5] : (c.border === "dotted" ? [3, 4] : false),
      radius: c.border === "rounded" ? 14 : 3
    };
  }
  function nodeFont(n, faded) {
    var c = D.classes[n.cls];
    var colour = c.font;
    if (faded) { colour = colour.toLowerCase() === "#ffffff" ? "rgba(255,255,255,0.3)" : "rgba(0,0,0,0.25)"; }
    return { size: PX, color: colour, face: D.text.face, strokeWidth: 0, multi: false,
             align: "center" };
  }
  // Where a node is and what its box says, in the overview or on a stage.
  var place = {};   // id -> {x, y, w, h, label}
  D.nodes.forEach(function (n) { place[n.id] = { x: n.x, y: n.y, w: n.w, h: n.h, label: n.label }; });
  function sizeOf(id) {
    var p = place[id];
    if (!fixed || !p.w) { return { widthConstraint: { maximum: 330 }, heightConstraint: false }; }
    // minimum only: with a maximum, vis-network re-wraps lines that already fit
    return { widthConstraint: { minimum: p.w },
             heightConstraint: { minimum: p.h, valign: "middle" } };
  }
  function nodeStyle(n, faded) {
    var c = D.classes[n.cls], b = borderOf(c), s = sizeOf(n.id), p = place[n.id];
    return {
      id: n.id, label: p.label, shape: "box", level: n.level,
      x: p.x, y: p.y, opacity: faded ? FADED : 1,
      color: { background: c.colour, border: "#000000",
               highlight: { background: c.colour, border: "#000000" },
               hover: { background: c.colour, border: "#000000" } },
      borderWidth: b.width, borderWidthSelected: b.width + 2.5,
      shapeProperties: { borderDashes: b.dashes, borderRadius: b.radius },
      // the box sizes from Graphviz already hold the padding: vis-network adds
      // its margin on top of a width or height constraint
      margin: fixed && place[n.id].w ? { top: 0.5, right: 0.5, bottom: 0.5, left: 0.5 } : 6,
      widthConstraint: s.widthConstraint, heightConstraint: s.heightConstraint,
      font: nodeFont(n, faded),
      chosen: { label: false, node: true },  // a bold label would outgrow its box
      title: nodeTooltip(n)
    };
  }
  function edgeColour(g, faded) {
    return { color: g.colour, highlight: g.colour, hover: g.colour, opacity: faded ? 0.08 : 1 };
  }
  function edgeStyle(e, faded) {
    var r = D.relations[e.rel], g = D.groups[r.group];
    return {
      id: e.id, from: e.from, to: e.to,
      arrows: r.arrow ? { to: { enabled: true, type: r.arrow, scaleFactor: 0.8 } } : { to: false },
      dashes: g.dashes, width: g.width,
      color: edgeColour(g, faded),
      smooth: fixed ? { enabled: true, type: "cubicBezier", forceDirection: "vertical",
                        roundness: 0.35 } : { enabled: true, type: "cubicBezier" },
      title: edgeTooltip(e)
    };
  }
  var nodes = new vis.DataSet(D.nodes.map(function (n) { return nodeStyle(n, false); }));
  var edges = new vis.DataSet(D.edges.map(function (e) { return edgeStyle(e, false); }));

  /* ---------------------------------------------------------------- filters */
  var filt = { classes: {}, relations: {}, yearMin: null, yearMax: null, undated: true };
  Object.keys(D.classes).forEach(function (k) { filt.classes[k] = true; });
  Object.keys(D.relations).forEach(function (k) { filt.relations[k] = true; });
  var years = D.nodes.map(function (n) { return n.year; }).filter(function (y) { return !!y; });
  var Y0 = years.length ? Math.min.apply(null, years) : null;
  var Y1 = years.length ? Math.max.apply(null, years) : null;
  var stageSet = null;  // ids on the current stage; null: the overview
  function passes(id) {
    var n = byId[id];
    if (!filt.classes[n.cls]) { return false; }
    if (!n.year) { return filt.undated; }
    if (filt.yearMin !== null && n.year < filt.yearMin) { return false; }
    if (filt.yearMax !== null && n.year > filt.yearMax) { return false; }
    return true;
  }
  var edgeById = {};
  D.edges.forEach(function (e) { edgeById[e.id] = e; });
  var nodeView = new vis.DataView(nodes, { filter: function (item) {
    return passes(item.id) && (!stageSet || !!stageSet[item.id]);
  } });
  var edgeView = new vis.DataView(edges, { filter: function (item) {
    var e = edgeById[item.id];
    if (!filt.relations[e.rel]) { return false; }
    return !stageSet || (!!stageSet[e.from] && !!stageSet[e.to]);
  } });

  /* ---------------------------------------------------------------- network */
  var container = document.getElementById("graph");
  var options = {
    autoResize: true,
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 120, keyboard: false, multiselect: false,
                   navigationButtons: false, zoomView: true, dragView: true },
    nodes: { scaling: { label: { enabled: false, drawThreshold: 7, maxVisible: 60 } } },
    edges: { selectionWidth: 2, hoverWidth: 1 }
  };
  if (!fixed) {
    options.layout = { hierarchical: { enabled: true, direction: "UD", sortMethod: "directed",
                                       levelSeparation: 200, nodeSpacing: 360, treeSpacing: 120,
                                       shakeTowards: "roots" } };
  }
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  /* ---------------------------------------------------------------- state */
  var lit = null;  // null: nothing lit; otherwise a set of lit ids
  var state = { focus: null, prompt: null, search: "", current: null, presenting: false,
                stage: null, full: false };
  var status = document.getElementById("status");
  var aside = document.querySelector("aside");
  var panelButton = document.getElementById("toggle-panel");
  var caption = document.getElementById("caption");

  function applyLit(set) {
    lit = set;
    var nu = [], eu = [];
    D.nodes.forEach(function (n) {
      var faded = !!(set && !set[n.id]);
      nu.push({ id: n.id, opacity: faded ? FADED : 1, font: nodeFont(n, faded) });
    });
    D.edges.forEach(function (e) {
      var on = !set || (set[e.from] && set[e.to]);
      eu.push({ id: e.id, color: edgeColour(D.groups[D.relations[e.rel].group], !on) });
    });
    nodes.update(nu);
    edges.update(eu);
  }

  /* ---------------------------------------------------------------- stages */
  function movePlaces(ids) {
    nodes.update(ids.map(function (id) {
      var p = place[id], s = sizeOf(id);
      return { id: id, x: p.x, y: p.y, label: p.label,
               widthConstraint: s.widthConstraint, heightConstraint: s.heightConstraint };
    }));
  }
  function enterStage(k) {
    if (state.stage === k) { return; }
    leaveStage(true);
    var st = D.stages[k];
    var ids = Object.keys(st.pos);
    ids.forEach(function (id) {
      place[id] = { x: st.pos[id][0], y: st.pos[id][1], w: st.boxes[id][0], h: st.boxes[id][1],
                    label: st.labels[id] || byId[id].label };
    });
    stageSet = setOf(ids);
    state.stage = k;
    movePlaces(ids);
    nodeView.refresh();
    edgeView.refresh();
  }
  function leaveStage(quiet) {
    if (state.stage === null) { return; }
    var ids = Object.keys(stageSet);
    ids.forEach(function (id) {
      var n = byId[id];
      place[id] = { x: n.x, y: n.y, w: n.w, h: n.h, label: n.label };
    });
    stageSet = null;
    state.stage = null;
    movePlaces(ids);
    if (!quiet) { nodeView.refresh(); edgeView.refresh(); }
  }

  /* ---------------------------------------------------------------- fitting */
  function resize() {
    network.setSize("100%", "100%");
    network.redraw();
  }
  function screen() {
    return { w: container.clientWidth, h: container.clientHeight };
  }
  // Bounding box (canvas px) of the given nodes where they are now: from the
  // boxes Graphviz placed, or, in vis-network's own layout, as drawn.
  function extent(ids) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = place[id], b;
      if (fixed && p.w) { b = { left: p.x - p.w / 2, right: p.x + p.w / 2, top: p.y - p.h / 2, bottom: p.y + p.h / 2 }; }
      else { b = network.getBoundingBox(id); }
      if (!b) { return; }
      x0 = Math.min(x0, b.left); y0 = Math.min(y0, b.top);
      x1 = Math.max(x1, b.right); y1 = Math.max(y1, b.bottom);
    });
    return x0 === Infinity ? null : { x0: x0, y0: y0, x1: x1, y1: y1 };
  }
  function scaleToFit(box) {
    var s = screen();
    return Math.min((s.w - 2 * MARGIN) / Math.max(box.x1 - box.x0, 1),
                    (s.h - 2 * MARGIN) / Math.max(box.y1 - box.y0, 1));
  }
  // Show box whole at the given scale, or, when it cannot be, its top-left part.
  function showBox(box, scale) {
    var s = screen();
    var cx = (box.x0 + box.x1) / 2, cy = (box.y0 + box.y1) / 2;
    var halfW = (s.w - 2 * MARGIN) / 2 / scale, halfH = (s.h - 2 * MARGIN) / 2 / scale;
    if (box.x1 - box.x0 > 2 * halfW) { cx = box.x0 + halfW; }
    if (box.y1 - box.y0 > 2 * halfH) { cy = box.y0 + halfH; }
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
    network.redraw();  // now, so boxes and the page API answer for this view at once
  }
  function shown(ids) {
    return ids.filter(function (i) { return nodeView.get(i) !== null; });
  }
  function setPanel(visible) {
    if (visible) { aside.removeAttribute("hidden"); } else { aside.setAttribute("hidden", ""); }
    panelButton.setAttribute("aria-pressed", visible ? "false" : "true");
    panelButton.textContent = visible ? "Hide panel" : "Show panel";
    updateCaption();
    resize();
  }
  // A stage too big to read beside the panel gets the whole screen, as in
  // presenter mode; Esc (or leaving the focus) gives header and panel back.
  function setFull(on) {
    if (state.full === on) { return; }
    state.full = on;
    document.body.classList.toggle("full", on);
    updateCaption();
    resize();
  }
  function panelVisible() { return !aside.hasAttribute("hidden") && !state.presenting && !state.full; }
  /* Bring every lit node into view at a readable size: in place if the overview
     allows it, else on the set's own stage (hiding the side panel if the stage
     needs the room), else as large as readable from the top-left. */
  function fitLit(ids, stage) {
    if (!fixed) { network.fit({ nodes: shown(ids), animation: false }); return; }
    leaveStage(false);
    setFull(false);
    var box = extent(shown(ids));
    if (!box) { return; }
    var scale = scaleToFit(box);
    var hasStage = stage !== null && stage !== undefined;
    // In place when comfortably readable there (the room keeps its bearings);
    // else, and whenever presented, on the stage if that reads larger.
    var wanted = state.presenting ? MAX_SCALE : COMFORTABLE;
    if (hasStage && scale < wanted) {
      var before = { box: box, scale: scale };
      enterStage(stage);
      box = extent(shown(ids));
      scale = scaleToFit(box);
      if (before.scale >= MIN_SCALE && scale <= before.scale) {
        leaveStage(false);
        box = before.box; scale = before.scale;
      }
      if (scale < MIN_SCALE && !state.presenting) {
        setFull(true);
        scale = scaleToFit(box);
      }
    }
    showBox(box, Math.min(MAX_SCALE, Math.max(scale, MIN_SCALE)));
  }
  function restorePanel() { setFull(false); }

  /* ---------------------------------------------------------------- focus and prompts */
  function focusNode(id, quiet) {
    if (!byId[id]) { return []; }
    state.focus = id; state.prompt = null; state.current = id;
    markPrompt(null);
    var ids = D.focusSets[id] || [id];
    applyLit(setOf(ids));
    network.selectNodes([id]);
    showDetails(id);
    status.textContent = "Focus: " + byId[id].fullLabel + " — " + shown(ids).length + " lit";
    updateCaption();
    if (!quiet) { fitLit(ids, D.stageOfFocus[id]); }
    return ids.slice();
  }
  function promptOf(which) {
    if (typeof which === "number") { return D.prompts[which - 1] || null; }
    return promptById[which] || null;
  }
  function showPrompt(which) {
    var p = promptOf(which);
    if (!p) { return []; }
    state.focus = null; state.prompt = p.id;
    markPrompt(p.id);
    network.unselectAll();
    applyLit(setOf(p.lights));
    status.textContent = "Prompt " + p.n + " of " + D.prompts.length + ": " + p.label +
      " — " + shown(p.lights).length + " lit";
    updateCaption();
    fitLit(p.lights, p.stage);
    return p.lights.slice();
  }
  function clearHighlight() {
    state.focus = null; state.prompt = null;
    markPrompt(null);
    applyLit(null);
    leaveStage(false);
    network.unselectAll();
    status.textContent = "";
    restorePanel();
    updateCaption();
  }
  function litNow() {
    if (!lit) { return []; }
    return shown(Object.keys(lit)).sort();
  }

  /* ---------------------------------------------------------------- caption */
  var capStep = document.getElementById("cap-step");
  var capSection = document.getElementById("cap-section");
  var capKeys = document.getElementById("cap-keys");
  var capQuestion = document.getElementById("cap-question");
  var capText = document.getElementById("cap-text");
  function updateCaption() {
    var show = state.presenting || state.full ||
      (aside.hasAttribute("hidden") && (state.prompt || state.focus));
    if (!show) { if (!caption.hasAttribute("hidden")) { caption.setAttribute("hidden", ""); resize(); } return; }
    var p = state.prompt ? promptById[state.prompt] : null;
    if (p) {
      capStep.textContent = "Prompt " + p.n + " of " + D.prompts.length;
      capSection.textContent = p.section ? "Section: " + p.section : "";
      capQuestion.textContent = p.label;
      capText.textContent = p.text && p.text !== p.label ? "“" + p.text + "”" : "";
    } else if (state.focus) {
      capStep.textContent = "Focus";
      capSection.textContent = byId[state.focus].className;
      capQuestion.textContent = byId[state.focus].fullLabel;
      capText.textContent = "";
    } else {
      capStep.textContent = D.prompts.length ? D.prompts.length + " prompts" : "";
      capSection.textContent = "";
      capQuestion.textContent = D.heading;
      capText.textContent = "";
    }
    capKeys.textContent = state.presenting ? "PgDn/→ next · PgUp/← back · Esc leave"
      : (state.full ? "Esc: back to the whole page" : "");
    caption.classList.toggle("slim", !p);
    caption.removeAttribute("hidden");
    resize();  // its height follows the text: the graph gets what is left
  }

  /* ---------------------------------------------------------------- presenter mode */
  var blackout = document.getElementById("blackout");
  function present(on) {
    on = on === undefined ? !state.presenting : !!on;
    if (on === state.presenting) { return state.presenting; }
    state.presenting = on;
    document.body.classList.toggle("presenting", on);
    blackout.setAttribute("hidden", "");
    updateCaption();
    resize();
    if (on) {
      showPrompt(state.prompt ? promptById[state.prompt].n : 1);
    } else {
      restorePanel();
      if (state.prompt) { showPrompt(state.prompt); }
      else if (state.focus) { fitLit(D.focusSets[state.focus], D.stageOfFocus[state.focus]); }
      else { initialView(); }
    }
    return state.presenting;
  }
  function step(by) {
    var n = state.prompt ? promptById[state.prompt].n : 0;
    var next = Math.min(D.prompts.length, Math.max(1, n + by));
    if (D.prompts.length) { showPrompt(next); }
    return next;
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
    leaveStage(false);
    applyLit(setOf(m));
    status.textContent = m.length + (m.length === 1 ? " match" : " matches");
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var m = matches(search.value);
      if (m.length) { focusNode(m[0]); }
      ev.preventDefault();
    }
  });

  /* ---------------------------------------------------------------- legend and filter UI */
  function boxSwatch(cls) {
    var c = D.classes[cls];
    var s = el("span", "swatch " + c.border);
    s.style.background = c.colour;
    s.setAttribute("aria-hidden", "true");
    return s;
  }
  function lineSwatch(group) {
    var g = D.groups[group];
    var s = svgEl("svg", { width: 52, height: 16, viewBox: "0 0 52 16", "class": "sw",
                           "aria-hidden": "true" });
    var a = { x1: 1, y1: 8, x2: 51, y2: 8, stroke: g.colour, "stroke-width": Math.min(g.width, 4) };
    if (g.dashes) { a["stroke-dasharray"] = g.dashes.map(function (d) { return d * 0.8; }).join(","); }
    s.appendChild(svgEl("line", a));
    return s;
  }
  var counts = { classes: {}, groups: {} };
  D.nodes.forEach(function (n) { counts.classes[n.cls] = (counts.classes[n.cls] || 0) + 1; });
  D.edges.forEach(function (e) {
    var g = D.relations[e.rel].group;
    counts.groups[g] = (counts.groups[g] || 0) + 1;
  });
  function legendRow(sw, text, title) {
    var row = el("div", "legend-row");
    row.appendChild(sw);
    row.appendChild(el("span", null, text));
    if (title) { row.title = title; }
    return row;
  }
  var lc = document.getElementById("legend-classes");
  D.classOrder.forEach(function (k) {
    if (counts.classes[k]) { lc.appendChild(legendRow(boxSwatch(k), D.classes[k].name)); }
  });
  var lr = document.getElementById("legend-relations");
  D.groupOrder.forEach(function (k) {
    if (counts.groups[k]) {
      lr.appendChild(legendRow(lineSwatch(k), D.groups[k].name, D.groups[k].members.join("; ")));
    }
  });

  function checkbox(parent, attr, key, text, sw, onChange) {
    var lab = el("label", "opt");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute(attr, key);
    box.addEventListener("change", function () { onChange(box.checked); refreshFilters(); });
    lab.appendChild(box);
    lab.appendChild(sw);
    lab.appendChild(document.createTextNode(text));
    parent.appendChild(lab);
    return box;
  }
  var classBoxes = {}, groupBoxes = {};
  var classField = document.getElementById("class-filter");
  D.classOrder.forEach(function (k) {
    if (!counts.classes[k]) { return; }
    classBoxes[k] = checkbox(classField, "data-class", k,
                             D.classes[k].name + " (" + counts.classes[k] + ")", boxSwatch(k),
                             function (on) { filt.classes[k] = on; });
  });
  var relField = document.getElementById("relation-filter");
  D.groupOrder.forEach(function (g) {
    if (!counts.groups[g]) { return; }
    groupBoxes[g] = checkbox(relField, "data-group", g,
                             D.groups[g].name + " (" + counts.groups[g] + ")", lineSwatch(g),
                             function (on) {
                               Object.keys(D.relations).forEach(function (r) {
                                 if (D.relations[r].group === g) { filt.relations[r] = on; }
                               });
                             });
  });
  function syncGroupBoxes() {
    Object.keys(groupBoxes).forEach(function (g) {
      groupBoxes[g].checked = Object.keys(D.relations).some(function (r) {
        return D.relations[r].group === g && filt.relations[r];
      });
    });
  }
  // The year range: two sliders that show their years, kept in order.
  var yMin = document.getElementById("year-min"), yMax = document.getElementById("year-max");
  var yMinOut = document.getElementById("year-min-out"), yMaxOut = document.getElementById("year-max-out");
  var yRange = document.getElementById("year-range");
  var undated = document.getElementById("undated");
  if (Y0 !== null) {
    [yMin, yMax].forEach(function (i) { i.min = Y0; i.max = Y1; });
    yMin.value = Y0; yMax.value = Y1;
  } else {
    yMin.disabled = yMax.disabled = true;
  }
  function showYears() {
    yMinOut.textContent = yMin.value; yMaxOut.textContent = yMax.value;
    yRange.textContent = Y0 === null ? "none dated" : yMin.value + "–" + yMax.value;
  }
  function readYears(changed) {
    if (Y0 !== null) {
      var a = parseInt(yMin.value, 10), b = parseInt(yMax.value, 10);
      if (a > b) { if (changed === yMax) { yMin.value = b; } else { yMax.value = a; } }
      filt.yearMin = parseInt(yMin.value, 10);
      filt.yearMax = parseInt(yMax.value, 10);
    }
    filt.undated = undated.checked;
    showYears();
    refreshFilters();
  }
  [yMin, yMax].forEach(function (i) {
    i.addEventListener("input", function () { readYears(i); });
  });
  undated.addEventListener("change", function () { readYears(null); });
  showYears();
  function refreshFilters() {
    nodeView.refresh();
    edgeView.refresh();
  }

  /* ---------------------------------------------------------------- prompt list */
  var promptList = document.getElementById("prompts-list");
  var promptButtons = {};
  function markPrompt(id) {
    Object.keys(promptButtons).forEach(function (k) {
      promptButtons[k].setAttribute("aria-pressed", k === id ? "true" : "false");
    });
  }
  D.prompts.forEach(function (p) {
    var li = el("li");
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", "false");
    b.setAttribute("data-prompt", p.id);
    b.title = p.text || p.label;
    b.appendChild(el("span", "q", p.n + ". " + p.label));
    if (p.section) { b.appendChild(el("span", "s", "Section: " + p.section)); }
    b.addEventListener("click", function () {
      if (state.prompt === p.id) { clearHighlight(); } else { showPrompt(p.id); }
    });
    promptButtons[p.id] = b;
    li.appendChild(b);
    promptList.appendChild(li);
  });
  if (!D.prompts.length) {
    promptList.appendChild(el("li", "hint", "The page gives no discussion prompts for these nodes."));
  }

  /* ---------------------------------------------------------------- reset, clicks, keys */
  function reset() {
    search.value = ""; state.search = "";
    Object.keys(classBoxes).forEach(function (k) { classBoxes[k].checked = true; filt.classes[k] = true; });
    Object.keys(D.relations).forEach(function (k) { filt.relations[k] = true; });
    syncGroupBoxes();
    if (Y0 !== null) { yMin.value = Y0; yMax.value = Y1; }
    undated.checked = true;
    filt.yearMin = Y0; filt.yearMax = Y1; filt.undated = true;
    showYears();
    refreshFilters();
    clearHighlight();
    state.current = null;
    while (details.firstChild) { details.removeChild(details.firstChild); }
    initialView();
  }
  document.getElementById("reset").addEventListener("click", reset);
  network.on("click", function (params) {
    if (params.nodes.length) { focusNode(params.nodes[0]); }
    else if (!params.edges.length && !state.presenting) { clearHighlight(); }
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
    var b = box(id), r = container.getBoundingClientRect();
    if (!b || b.left < r.left || b.top < r.top || b.right > r.right || b.bottom > r.bottom) {
      network.focus(id, { scale: Math.max(network.getScale(), MIN_SCALE), animation: false });
    }
    status.textContent = "Selected: " + byId[id].fullLabel + " (Enter to focus)";
  }
  var NEXT = { PageDown: 1, ArrowRight: 1, ArrowDown: 1, " ": 1, Enter: 1, n: 1, N: 1 };
  var PREV = { PageUp: -1, ArrowLeft: -1, ArrowUp: -1, Backspace: -1 };
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    var typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
    if (ev.key === "F5") {  // a clicker's "start presentation" button
      present(true); ev.preventDefault(); return;
    }
    if (state.presenting) {
      if (ev.key === "Escape" || ev.key === "p" || ev.key === "P") { present(false); ev.preventDefault(); return; }
      if (ev.key === "b" || ev.key === "B" || ev.key === ".") {
        if (blackout.hasAttribute("hidden")) { blackout.removeAttribute("hidden"); }
        else { blackout.setAttribute("hidden", ""); }
        ev.preventDefault(); return;
      }
      if (!blackout.hasAttribute("hidden")) { blackout.setAttribute("hidden", ""); }
      if (NEXT[ev.key]) { step(1); ev.preventDefault(); return; }
      if (PREV[ev.key]) { step(-1); ev.preventDefault(); return; }
      if (ev.key === "Home") { showPrompt(1); ev.preventDefault(); return; }
      if (ev.key === "End") { showPrompt(D.prompts.length); ev.preventDefault(); return; }
      if (ev.key === "f" || ev.key === "F") { fitAll(); ev.preventDefault(); }
      return;
    }
    if (ev.key === "Escape") { reset(); search.blur(); container.focus(); ev.preventDefault(); return; }
    if (typing) { return; }
    if (ev.key === "/") { search.focus(); ev.preventDefault(); return; }
    if (ev.key === "p" || ev.key === "P") { present(true); ev.preventDefault(); return; }
    if (ev.key === "f" || ev.key === "F") { fitAll(); ev.preventDefault(); return; }
    if (ev.key === "PageDown") { step(1); ev.preventDefault(); return; }
    if (ev.key === "PageUp") { step(-1); ev.preventDefault(); return; }
    if (ev.key.indexOf("Arrow") === 0 && (t === container || t === document.body)) {
      move(ev.key); ev.preventDefault(); return;
    }
    if ((ev.key === "Enter" || ev.key === " ") && (t === container || t === document.body) &&
        state.current) {
      focusNode(state.current); ev.preventDefault();
    }
  });

  // Open on the guidance: every one of them on screen, with what lies below.
  function initialView() {
    if (!fixed) { network.fit({ animation: false }); return; }
    leaveStage(false);
    var top = nodeView.getIds().filter(function (id) { return byId[id].cls === "guidance"; });
    var box = extent(top.length ? top : nodeView.getIds());
    if (!box) { return; }
    var all = extent(nodeView.getIds());
    var scale = Math.min(1, scaleToFit(box));
    showBox({ x0: box.x0, y0: box.y0, x1: box.x1,
              y1: Math.max(box.y1, Math.min(all.y1, box.y0 + (screen().h - 2 * MARGIN) / scale)) },
            scale);
  }
  function fitAll() {
    leaveStage(false);
    network.fit({ animation: false });
    network.redraw();
  }
  document.getElementById("fit-all").addEventListener("click", fitAll);
  document.getElementById("present").addEventListener("click", function () { present(true); });
  panelButton.addEventListener("click", function () {
    setPanel(aside.hasAttribute("hidden"));
    if (state.prompt) { showPrompt(state.prompt); }
    else if (state.focus) { fitLit(D.focusSets[state.focus], D.stageOfFocus[state.focus]); }
  });

  /* ---------------------------------------------------------------- the page API */
  // The box of a node in CSS px (viewport coordinates), null when it is not drawn.
  function toDom(b) {
    var r = container.getBoundingClientRect();
    var a = network.canvasToDOM({ x: b.left, y: b.top });
    var z = network.canvasToDOM({ x: b.right, y: b.bottom });
    return { left: r.left + a.x, top: r.top + a.y, right: r.left + z.x, bottom: r.top + z.y,
             width: z.x - a.x, height: z.y - a.y };
  }
  // A node's box as drawn (its border included), in CSS px of the viewport;
  // null when it is not drawn. (vis-network's getBoundingBox adds a margin.)
  function box(iri) {
    if (nodeView.get(iri) === null) { return null; }
    var node = network.body.nodes[iri];
    if (!node) { return null; }
    var s = node.shape, bw = (node.options.borderWidth || 0) / 2;
    if (!s.width) { var b = network.getBoundingBox(iri); return b ? toDom(b) : null; }
    return toDom({ left: node.x - s.width / 2 - bw, right: node.x + s.width / 2 + bw,
                   top: node.y - s.height / 2 - bw, bottom: node.y + s.height / 2 + bw });
  }
  // The box of a node's label text, in CSS px of the viewport.
  function labelBox(iri) {
    if (nodeView.get(iri) === null) { return null; }
    var node = network.body.nodes[iri];
    var size = node && node.labelModule && node.labelModule.size;
    if (!size || !size.width) { return null; }
    return toDom({ left: size.left, top: size.top, right: size.left + size.width,
                   bottom: size.top + size.height });
  }
  // The graph's area on screen: what is outside it is not seen.
  function viewport() {
    var r = container.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom,
             width: r.width, height: r.height };
  }
  // The size (CSS px) a node's label is drawn at; 0 when too small to be drawn.
  function labelSize(iri) {
    if (nodeView.get(iri) === null) { return 0; }
    var px = PX * network.getScale();
    return px < options.nodes.scaling.label.drawThreshold - 1 ? 0 : px;
  }
  var api = {
    version: 1,
    focus: function (iri) { return focusNode(iri).slice().sort(); },
    prompt: function (n) { return showPrompt(n).slice().sort(); },
    prompts: function () {
      return D.prompts.map(function (p) {
        return { n: p.n, id: p.id, label: p.label, section: p.section };
      });
    },
    lit: litNow,
    box: box,
    labelBox: labelBox,
    labelSize: labelSize,
    viewport: viewport,
    present: present,
    next: function () { return step(1); },
    previous: function () { return step(-1); },
    reset: function () { if (state.presenting) { present(false); } reset(); return true; },
    fitAll: fitAll,
    state: function () {
      return { presenting: state.presenting, prompt: state.prompt ? promptById[state.prompt].n : null,
               focus: state.focus, stage: state.stage, panel: panelVisible(), full: state.full,
               scale: network.getScale() };
    }
  };
  window.evidencegraph = api;

  /* ---------------------------------------------------------------- inside the site */
  var startFocus = D.focus;  // --focus, or the node a site page asks for (below)
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
    if (start && byId[start]) { startFocus = start; }
  }


  /* ---------------------------------------------------------------- test hook (older tests) */
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
    focus: api.focus,
    prompt: api.prompt,
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
      leaveStage(false);
      if (f.classes) {
        Object.keys(classBoxes).forEach(function (k) {
          var on = f.classes.indexOf(k) >= 0; classBoxes[k].checked = on; filt.classes[k] = on;
        });
      }
      if (f.relations) {
        Object.keys(D.relations).forEach(function (k) { filt.relations[k] = f.relations.indexOf(k) >= 0; });
        syncGroupBoxes();
      }
      if (f.yearMin !== undefined) { yMin.value = f.yearMin === null ? Y0 : f.yearMin; }
      if (f.yearMax !== undefined) { yMax.value = f.yearMax === null ? Y1 : f.yearMax; }
      if (f.undated !== undefined) { undated.checked = !!f.undated; }
      readYears(null);
      return nodeView.getIds().slice().sort();
    },
    reset: api.reset,
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

  /* ---------------------------------------------------------------- start */
  function fromUrl() {
    var m = /(?:^|[#?&])(present|prompt)(?:=(\d+))?(?:&|$)/.exec(
      (location.hash || "") + "&" + (location.search || ""));
    if (!m) { return null; }
    return { present: m[1] === "present", n: m[2] ? parseInt(m[2], 10) : 1 };
  }
  if (startFocus) { focusNode(startFocus, true); }
  network.once("afterDrawing", function () {
    var u = fromUrl();
    if (u && u.present) { present(true); if (u.n > 1) { showPrompt(u.n); } }
    else if (u) { showPrompt(u.n); }
    else if (startFocus) { fitLit(D.focusSets[startFocus] || [startFocus], D.stageOfFocus[startFocus]); }
    else { initialView(); }
  });
})();
