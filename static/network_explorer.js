// The explorable network map (with JavaScript; the server's drawing below it
// stays the no-script and printed version). The server lays the firms out
// once, deterministically, so a firm is in the same place at every visit:
// this script only draws (sigma.js on graphology), filters, searches, shows a
// firm's own links and exports what is shown. Everything the map shows is
// also reachable without it: the search, the filters and the list of a
// firm's links are ordinary form controls and lists.
// Over 400 lines: one closure shares the graph, the renderer and the filters
// between drawing, search, the firm's links and the export.
(function () {
  "use strict";

  var NBSP = "\u00a0";
  var HIGHLIGHT = "#D55E00";
  var DIMMED = "#dddddd";

  function plural(n, one, many) {
    return n + NBSP + (n > 1 ? many : one);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function xml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function init() {
    var root = document.getElementById("net-explorer");
    if (!root || !window.graphology || !window.Sigma) return;
    fetch(root.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { if (data.firms.length) start(root, data); })
      .catch(function () { /* the drawing below stays the map */ });
  }

  function start(root, data) {
    root.hidden = false;
    var stage = document.getElementById("explorer-stage");
    var status = document.getElementById("explorer-status");
    var egoBox = document.getElementById("explorer-ego");
    var firmHref = root.getAttribute("data-firm-href");
    var firmQuery = root.getAttribute("data-firm-query") || "";
    var kindOf = {};
    data.kinds.forEach(function (k) { kindOf[k.code] = k; });

    var graph = new window.graphology.MultiGraph();
    var byName = {};
    data.firms.forEach(function (f) {
      graph.addNode(String(f.id), {
        x: f.x, y: -f.y, size: 3 + 1.6 * Math.sqrt(f.degree), color: f.colour,
        label: f.name, firm: f
      });
      byName[f.name.toLowerCase()] = String(f.id);
    });
    data.links.forEach(function (l, i) {
      var k = kindOf[l.kind];
      graph.addDirectedEdgeWithKey("e" + i, String(l.source), String(l.target), {
        color: k ? k.colour : "#555555",
        size: l.status === "wished" ? 1 : 1.5,
        type: l.directed ? "arrow" : "line",
        link: l
      });
    });

    // --- filters ------------------------------------------------------------
    var shownKinds = {}, shownStatuses = { existing: true, wished: true }, shownSectors = {};
    var opportunitiesOnly = false;
    function checkbox(box, name, value, text, colour) {
      var label = el("label");
      var input = el("input", { type: "checkbox", name: name, value: value });
      input.checked = true;
      label.appendChild(input);
      if (colour) {
        var swatch = el("span", { "class": "explorer-swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = colour;
        label.appendChild(swatch);
      }
      label.appendChild(document.createTextNode(" " + text));
      box.appendChild(label);
      return input;
    }
    data.kinds.forEach(function (k) {
      shownKinds[k.code] = true;
      checkbox(document.getElementById("explorer-kinds"), "explorer-kind", k.code, k.label, k.colour)
        .addEventListener("change", function (e) { shownKinds[k.code] = e.target.checked; update(); });
    });
    var sectors = {};
    data.firms.forEach(function (f) { sectors[f.sector] = true; });
    var sectorColour = {};
    data.firms.forEach(function (f) { sectorColour[f.sector] = f.colour; });
    Object.keys(sectors).sort().forEach(function (s) {
      shownSectors[s] = true;
      checkbox(document.getElementById("explorer-sectors"), "explorer-sector", s, s || "Secteur non renseigné", sectorColour[s])
        .addEventListener("change", function (e) { shownSectors[s] = e.target.checked; update(); });
    });
    Array.prototype.forEach.call(root.querySelectorAll("input[name=explorer-status]"), function (input) {
      input.addEventListener("change", function () { shownStatuses[input.value] = input.checked; update(); });
    });
    document.getElementById("explorer-opportunities").addEventListener("change", function (e) {
      opportunitiesOnly = e.target.checked; update();
    });

    function nodeShown(node) {
      return shownSectors[graph.getNodeAttribute(node, "firm").sector] === true;
    }
    function edgeShown(edge) {
      var l = graph.getEdgeAttribute(edge, "link");
      return shownKinds[l.kind] && shownStatuses[l.status] &&
        nodeShown(graph.source(edge)) && nodeShown(graph.target(edge));
    }

    // --- the selected firm and its neighbours (one or two links away) --------
    var selected = null, ego = null;
    function neighbours(node) {
      var out = {};
      graph.forEachEdge(node, function (edge, a, s, t) {
        if (edgeShown(edge)) out[s === node ? t : s] = true;
      });
      return out;
    }
    var depth = 1;
    function select(node) {
      selected = node;
      ego = null;
      if (node) {
        ego = {};
        ego[node] = 0;
        Object.keys(neighbours(node)).forEach(function (n) { ego[n] = 1; });
        if (depth === 2) {
          Object.keys(ego).forEach(function (n) {
            if (ego[n] !== 1) return;
            Object.keys(neighbours(n)).forEach(function (m) { if (ego[m] === undefined) ego[m] = 2; });
          });
        }
      }
      update();
    }
    Array.prototype.forEach.call(root.querySelectorAll("input[name=explorer-depth]"), function (input) {
      input.addEventListener("change", function () {
        depth = Number(input.value);
        if (selected) select(selected);
      });
    });

    var renderer = new window.Sigma(graph, stage, {
      defaultEdgeType: "line",
      zIndex: true,
      labelDensity: 0.5,
      labelGridCellSize: 120,
      labelRenderedSizeThreshold: 7,
      labelFont: "sans-serif",
      hideEdgesOnMove: data.links.length > 4000,
      minCameraRatio: 0.02,
      maxCameraRatio: 3,
      nodeReducer: function (node, attrs) {
        var out = Object.assign({}, attrs);
        if (!nodeShown(node)) { out.hidden = true; return out; }
        if (ego) {
          if (ego[node] === undefined) { out.color = DIMMED; out.label = ""; out.zIndex = 0; }
          else { out.zIndex = 2; out.forceLabel = true; if (node === selected) out.highlighted = true; }
        }
        return out;
      },
      edgeReducer: function (edge, attrs) {
        var out = Object.assign({}, attrs);
        var l = attrs.link;
        if (!edgeShown(edge)) { out.hidden = true; return out; }
        if (ego && !(graph.source(edge) === selected || graph.target(edge) === selected)) {
          out.color = DIMMED; out.zIndex = 0;
        }
        if (opportunitiesOnly) {
          if (l.opportunity) { out.color = HIGHLIGHT; out.size = 3; out.zIndex = 3; }
          else { out.color = DIMMED; }
        }
        return out;
      }
    });

    // --- drag a firm ---------------------------------------------------------
    var dragged = null, moved = false;
    renderer.on("downNode", function (e) {
      dragged = e.node; moved = false;
      if (!renderer.getCustomBBox()) renderer.setCustomBBox(renderer.getBBox());
    });
    renderer.getMouseCaptor().on("mousemovebody", function (e) {
      if (!dragged) return;
      var p = renderer.viewportToGraph(e);
      graph.setNodeAttribute(dragged, "x", p.x);
      graph.setNodeAttribute(dragged, "y", p.y);
      moved = true;
      e.preventSigmaDefault();
      e.original.preventDefault();
      e.original.stopPropagation();
    });
    renderer.getMouseCaptor().on("mouseup", function () { dragged = null; });
    renderer.on("clickNode", function (e) { if (!moved) centreOn(e.node); });
    renderer.on("clickStage", function () { select(null); });

    // --- search and centre -------------------------------------------------
    var names = document.getElementById("explorer-names");
    data.firms.slice().sort(function (a, b) { return a.name.localeCompare(b.name, "fr"); })
      .forEach(function (f) { names.appendChild(el("option", { value: f.name })); });
    function find(text) {
      var q = text.trim().toLowerCase();
      if (!q) return null;
      if (byName[q]) return byName[q];
      var hit = null;
      graph.forEachNode(function (node, attrs) {
        if (!hit && attrs.label.toLowerCase().indexOf(q) >= 0) hit = node;
      });
      return hit;
    }
    // Centres on the firm, zoomed so that every neighbour stays on screen.
    function centreOn(node) {
      select(node);
      var d = renderer.getNodeDisplayData(node);
      var reach = 0;
      Object.keys(ego).forEach(function (n) {
        var o = renderer.getNodeDisplayData(n);
        reach = Math.max(reach, Math.abs(o.x - d.x), Math.abs(o.y - d.y));
      });
      var ratio = Math.min(1.2, Math.max(0.05, reach * 2.4));
      renderer.getCamera().animate({ x: d.x, y: d.y, ratio: ratio }, { duration: 400 });
    }
    var input = document.getElementById("explorer-search-input");
    document.getElementById("explorer-search").addEventListener("submit", function (e) {
      e.preventDefault();
      var node = find(input.value);
      if (node) centreOn(node);
      else status.textContent = "Aucune entreprise de la carte ne s’appelle « " + input.value.trim() + " ».";
    });
    document.getElementById("explorer-all").addEventListener("click", function () {
      select(null);
      renderer.getCamera().animatedReset({ duration: 300 });
    });

    // --- what is shown, in words ----------------------------------------------
    function counts() {
      var nodes = 0, edges = 0;
      graph.forEachNode(function (n) { if (nodeShown(n)) nodes++; });
      graph.forEachEdge(function (e) { if (edgeShown(e)) edges++; });
      return [nodes, edges];
    }
    function showEgo() {
      egoBox.textContent = "";
      if (!selected) return;
      var firm = graph.getNodeAttribute(selected, "firm");
      var links = [];
      graph.forEachEdge(selected, function (edge, attrs, s, t) {
        if (edgeShown(edge)) links.push({ other: s === selected ? t : s, link: attrs.link, out: s === selected });
      });
      links.sort(function (a, b) {
        return graph.getNodeAttribute(a.other, "label").localeCompare(graph.getNodeAttribute(b.other, "label"), "fr");
      });
      var title = el("h3", { id: "explorer-ego-title" }, "Liens de " + firm.name + " (" + links.length + ")");
      egoBox.appendChild(title);
      var page = el("a", { href: firmHref + firm.id + firmQuery }, "Page de " + firm.name);
      egoBox.appendChild(el("p")).appendChild(page);
      var list = el("ul", { "class": "explorer-ego-list", "aria-labelledby": "explorer-ego-title" });
      links.forEach(function (x) {
        var other = graph.getNodeAttribute(x.other, "label");
        var k = kindOf[x.link.kind];
        var li = el("li");
        var button = el("button", { type: "button", "class": "link-button", id: "explorer-to-" + x.other, "data-firm": x.other }, other);
        button.addEventListener("click", function () { centreOn(x.other); });
        li.appendChild(button);
        var how = (k ? k.label : x.link.kind) + ", " + (x.link.status === "wished" ? "souhaité" : "existant");
        if (x.link.directed) how += x.out ? ", déclaré par " + firm.name : ", déclaré par " + other;
        li.appendChild(document.createTextNode(NBSP + ": " + how));
        list.appendChild(li);
      });
      egoBox.appendChild(list);
      if (depth !== 2) return;
      var far = Object.keys(ego).filter(function (n) { return ego[n] === 2; }).map(function (n) {
        return [n, graph.getNodeAttribute(n, "label")];
      }).sort(function (a, b) { return a[1].localeCompare(b[1], "fr"); });
      egoBox.appendChild(el("h3", { id: "explorer-far-title" }, "À deux liens (" + far.length + ")"));
      var farList = el("ul", { "class": "explorer-ego-list explorer-far", "aria-labelledby": "explorer-far-title" });
      far.forEach(function (x) {
        var button = el("button", { type: "button", "class": "link-button", "data-firm": x[0] }, x[1]);
        button.addEventListener("click", function () { centreOn(x[0]); });
        farList.appendChild(el("li")).appendChild(button);
      });
      egoBox.appendChild(farList);
    }
    function update() {
      renderer.refresh();
      var c = counts();
      var text = plural(c[0], "entreprise", "entreprises") + " et " + plural(c[1], "lien montré", "liens montrés") + ".";
      if (selected) {
        text = "Carte centrée sur " + graph.getNodeAttribute(selected, "label") + NBSP + ": " +
          plural(Object.keys(ego).length - 1, "entreprise reliée", "entreprises reliées") + ". " + text;
      }
      status.textContent = text;
      showEgo();
    }

    // --- export as it is shown --------------------------------------------------
    function svgOfView() {
      var dim = renderer.getDimensions();
      var w = Math.round(dim.width), h = Math.round(dim.height);
      var shownLabels = renderer.getNodeDisplayedLabels();
      var pos = {};
      var parts = [];
      graph.forEachNode(function (node) {
        if (!nodeShown(node)) return;
        pos[node] = renderer.graphToViewport(graph.getNodeAttributes(node));
      });
      graph.forEachEdge(function (edge, attrs, s, t) {
        if (!edgeShown(edge) || !pos[s] || !pos[t]) return;
        var out = renderer.getSetting("edgeReducer")(edge, attrs);
        parts.push('<line class="link" data-status="' + attrs.link.status + '" data-kind="' + xml(attrs.link.kind) +
          '" x1="' + pos[s].x.toFixed(1) + '" y1="' + pos[s].y.toFixed(1) + '" x2="' + pos[t].x.toFixed(1) + '" y2="' +
          pos[t].y.toFixed(1) + '" stroke="' + out.color + '" stroke-width="' + out.size +
          (attrs.link.status === "wished" ? '" stroke-dasharray="5 3' : "") + '"/>');
      });
      graph.forEachNode(function (node, attrs) {
        if (!pos[node]) return;
        var out = renderer.getSetting("nodeReducer")(node, attrs);
        var r = renderer.getNodeDisplayData(node).size;
        parts.push('<circle class="firm" data-id="' + node + '" cx="' + pos[node].x.toFixed(1) + '" cy="' + pos[node].y.toFixed(1) +
          '" r="' + r.toFixed(1) + '" fill="' + out.color + '" stroke="#333333" stroke-width="1"/>');
        if (shownLabels.has(node) || (ego && ego[node] !== undefined)) {
          parts.push('<text x="' + (pos[node].x + r + 3).toFixed(1) + '" y="' + (pos[node].y + 4).toFixed(1) +
            '" stroke="#ffffff" stroke-width="3" paint-order="stroke">' + xml(attrs.label) + "</text>");
        }
      });
      // The legend: kinds and statuses shown, then sectors shown.
      var legend = [], y = h + 24;
      legend.push('<text x="10" y="' + y + '" font-weight="bold">Légende</text>');
      data.kinds.forEach(function (k) {
        if (!shownKinds[k.code]) return;
        y += 18;
        legend.push('<line x1="10" y1="' + (y - 4) + '" x2="40" y2="' + (y - 4) + '" stroke="' + k.colour + '" stroke-width="2"/>' +
          '<text x="48" y="' + y + '">' + xml(k.label) + "</text>");
      });
      ["existing", "wished"].forEach(function (s) {
        if (!shownStatuses[s]) return;
        y += 18;
        legend.push('<line x1="10" y1="' + (y - 4) + '" x2="40" y2="' + (y - 4) + '" stroke="#555555" stroke-width="2"' +
          (s === "wished" ? ' stroke-dasharray="5 3"' : "") + '/><text x="48" y="' + y + '">' +
          (s === "wished" ? "Lien souhaité" : "Lien existant") + "</text>");
      });
      data.sectors.forEach(function (s) {
        y += 18;
        legend.push('<circle cx="25" cy="' + (y - 4) + '" r="6" fill="' + s.colour + '" stroke="#333333"/><text x="48" y="' + y + '">' +
          xml(s.label) + "</text>");
      });
      var total = y + 14;
      return '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + total + '" viewBox="0 0 ' + w + " " + total +
        '" font-family="sans-serif" font-size="12"><title>Réseau des entreprises</title>' +
        '<rect width="100%" height="100%" fill="#ffffff"/><svg width="' + w + '" height="' + h + '">' + parts.join("") +
        "</svg>" + legend.join("") + "</svg>";
    }
    var download = document.getElementById("explorer-download");
    // The file is offered as a data: address: the CSP (default-src 'self')
    // lets a download link carry one, and the link stays on the page for
    // keyboard users and for a second download.
    function offer(href, type, name, text) {
      download.href = href;
      download.setAttribute("download", name);
      download.setAttribute("data-type", type);
      download.textContent = text;
      download.hidden = false;
      download.click();
    }
    document.getElementById("explorer-export-svg").addEventListener("click", function () {
      var svg = svgOfView();
      offer("data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(svg))), "image/svg+xml",
        "carte-reseau.svg", "Télécharger la carte (SVG)");
    });
    document.getElementById("explorer-export-png").addEventListener("click", function () {
      var svg = svgOfView();
      var img = new Image();
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = img.width * 2;
        canvas.height = img.height * 2;
        var ctx = canvas.getContext("2d");
        ctx.scale(2, 2);
        ctx.drawImage(img, 0, 0);
        offer(canvas.toDataURL("image/png"), "image/png", "carte-reseau.png", "Télécharger la carte (PNG)");
      };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    });

    update();
    // A firm's own page links here as "#carte-ID": the map opens centred on it.
    var asked = /^#carte-(\d+)$/.exec(window.location.hash);
    if (asked && graph.hasNode(asked[1])) {
      centreOn(asked[1]);
      root.scrollIntoView();
    }
    // The moment the map can be used, for the benchmark and browser tests.
    if (window.performance && performance.mark) performance.mark("network-map-ready");
    root.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
