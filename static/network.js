// Exploring the network drawing (progressive enhancement: without JavaScript
// the drawing, its legend, the tables and every firm's page work as they are).
// Zoom and pan change the SVG's viewBox; search, hover and filters only add or
// remove classes styled in synthesis.css, so nothing here needs an inline
// style or script (the CSP is script-src 'self', style-src 'self').
(function () {
  "use strict";

  function init() {
    var figure = document.getElementById("network-drawing");
    var svg = figure && figure.querySelector("svg");
    if (!svg) return;
    var tools = document.getElementById("net-tools");
    var details = document.getElementById("net-details");
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".net-node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".net-edge"));
    var labels = Array.prototype.slice.call(svg.querySelectorAll(".net-label"));
    var byId = {};
    var neighbours = {};
    nodes.forEach(function (n) {
      byId[n.getAttribute("data-id")] = n;
      neighbours[n.getAttribute("data-id")] = {};
    });
    edges.forEach(function (e) {
      var s = e.getAttribute("data-source"), t = e.getAttribute("data-target");
      if (neighbours[s]) neighbours[s][t] = true;
      if (neighbours[t]) neighbours[t][s] = true;
    });
    svg.classList.add("net-interactive");

    // --- zoom and pan -------------------------------------------------------
    var vb = svg.getAttribute("viewBox").split(/\s+/).map(Number);
    var full = vb.slice();
    function apply() {
      svg.setAttribute("viewBox", vb.map(function (v) { return v.toFixed(1); }).join(" "));
    }
    function zoom(factor, cx, cy) {
      var w = vb[2] * factor, h = vb[3] * factor;
      if (w > full[2] * 1.5 || w < full[2] / 12) return;
      if (cx === undefined) { cx = vb[0] + vb[2] / 2; cy = vb[1] + vb[3] / 2; }
      vb = [cx - (cx - vb[0]) * factor, cy - (cy - vb[1]) * factor, w, h];
      apply();
    }
    function reset() { vb = full.slice(); apply(); }
    function toSvg(evt) {
      var r = svg.getBoundingClientRect();
      return [vb[0] + (evt.clientX - r.left) / r.width * vb[2],
              vb[1] + (evt.clientY - r.top) / r.height * vb[3]];
    }
    svg.addEventListener("wheel", function (evt) {
      evt.preventDefault();
      var p = toSvg(evt);
      zoom(evt.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (evt) {
      if (evt.target.closest && evt.target.closest("a")) return;
      drag = { x: evt.clientX, y: evt.clientY, vb: vb.slice(), moved: false };
      svg.setPointerCapture(evt.pointerId);
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      var dx = (evt.clientX - drag.x) / r.width * vb[2];
      var dy = (evt.clientY - drag.y) / r.height * vb[3];
      vb = [drag.vb[0] - dx, drag.vb[1] - dy, vb[2], vb[3]];
      drag.moved = true;
      apply();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointercancel", function () { drag = null; });
    // The drawing itself takes the keyboard: + and - zoom, arrows move.
    svg.setAttribute("tabindex", "0");
    svg.addEventListener("keydown", function (evt) {
      var step = vb[2] / 10;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (evt.target !== svg) return;
      if (evt.key === "+" || evt.key === "=") zoom(0.8);
      else if (evt.key === "-") zoom(1.25);
      else if (evt.key === "0") reset();
      else if (moves[evt.key]) { vb[0] += moves[evt.key][0]; vb[1] += moves[evt.key][1]; apply(); }
      else return;
      evt.preventDefault();
    });

    if (tools) {
      tools.hidden = false;
      tools.querySelectorAll("[data-zoom]").forEach(function (b) {
        b.addEventListener("click", function () {
          var what = b.getAttribute("data-zoom");
          if (what === "in") zoom(0.8); else if (what === "out") zoom(1.25); else reset();
        });
      });
    }

    // --- details on hover and focus -----------------------------------------
    var defaultDetails = details ? details.textContent : "";
    function describe(node) {
      var id = node.getAttribute("data-id");
      var names = Object.keys(neighbours[id]).map(function (k) {
        return byId[k] ? byId[k].getAttribute("data-name") : "";
      }).filter(Boolean).sort(function (a, b) { return a.localeCompare(b, "fr"); });
      var sector = node.getAttribute("data-sector");
      var group = node.getAttribute("data-group");
      var text = node.getAttribute("data-name") + (sector ? " (" + sector + ")" : "") +
        (group ? ", " + group : "") + " : " + node.getAttribute("data-degree") +
        " entreprise(s) reliée(s) par des liens existants";
      if (names.length) text += " ; sur le dessin, liée à " + names.join(", ");
      return text + ".";
    }
    function highlight(id) {
      var keep = {};
      keep[id] = true;
      Object.keys(neighbours[id] || {}).forEach(function (k) { keep[k] = true; });
      nodes.forEach(function (n) {
        var nid = n.getAttribute("data-id");
        n.classList.toggle("net-dim", !keep[nid]);
        n.classList.toggle("net-hit", nid === id);
      });
      labels.forEach(function (l) { l.classList.toggle("net-dim", !keep[l.getAttribute("data-for")]); });
      edges.forEach(function (e) {
        var touches = e.getAttribute("data-source") === id || e.getAttribute("data-target") === id;
        e.classList.toggle("net-dim", !touches);
      });
    }
    function clearHighlight() {
      nodes.concat(edges, labels).forEach(function (el) {
        el.classList.remove("net-dim");
        el.classList.remove("net-hit");
      });
    }
    var searched = null;
    nodes.forEach(function (n) {
      function show() {
        if (details) details.textContent = describe(n);
        if (!searched) highlight(n.getAttribute("data-id"));
      }
      function hide() {
        if (details && !searched) details.textContent = defaultDetails;
        if (!searched) clearHighlight();
      }
      n.addEventListener("mouseenter", show);
      n.addEventListener("focus", show);
      n.addEventListener("mouseleave", hide);
      n.addEventListener("blur", hide);
    });

    if (!tools) return;

    // --- search ---------------------------------------------------------------
    var form = tools.querySelector(".net-search");
    var input = document.getElementById("net-search-input");
    var list = document.getElementById("net-firm-names");
    nodes.map(function (n) { return n.getAttribute("data-name"); })
      .sort(function (a, b) { return a.localeCompare(b, "fr"); })
      .forEach(function (name) {
        var o = document.createElement("option");
        o.value = name;
        list.appendChild(o);
      });
    function fold(s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    }
    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      var wanted = fold(input.value);
      if (!wanted) return;
      var found = nodes.filter(function (n) { return fold(n.getAttribute("data-name")) === wanted; })[0] ||
        nodes.filter(function (n) { return fold(n.getAttribute("data-name")).indexOf(wanted) >= 0; })[0];
      if (!found) {
        details.textContent = "Aucune entreprise du dessin ne s'appelle « " + input.value + " ».";
        return;
      }
      searched = found.getAttribute("data-id");
      highlight(searched);
      details.textContent = describe(found);
      var c = found.querySelector("circle");
      var cx = Number(c.getAttribute("cx")), cy = Number(c.getAttribute("cy"));
      vb = [cx - full[2] / 4, cy - full[3] / 4, full[2] / 2, full[3] / 2];
      apply();
    });
    tools.querySelector(".net-clear").addEventListener("click", function () {
      searched = null;
      input.value = "";
      clearHighlight();
      details.textContent = defaultDetails;
      reset();
    });

    // --- filters by kind and by existing/wished --------------------------------
    function filter() {
      var kinds = {}, statuses = {};
      tools.querySelectorAll("input[name=net-kind]").forEach(function (c) { kinds[c.value] = c.checked; });
      tools.querySelectorAll("input[name=net-status]").forEach(function (c) { statuses[c.value] = c.checked; });
      edges.forEach(function (e) {
        var shown = kinds[e.getAttribute("data-kind")] !== false && statuses[e.getAttribute("data-status")] !== false;
        e.classList.toggle("net-hidden", !shown);
      });
    }
    tools.querySelectorAll("input[type=checkbox]").forEach(function (c) {
      c.addEventListener("change", filter);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
