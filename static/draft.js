// The respondent's steps, with JavaScript: what is typed on a step is kept on
// this device (localStorage) until the step is saved, so that leaving the page
// (a phone switching apps, a closed tab) loses nothing; coming back restores
// it with a notice, and leaving with unsaved text asks first. The key names
// the campaign, the step and a hash of the personal link, never the link
// itself (`data-brouillon` of this script's tag). Pages without a step form
// (welcome, review) load this file only to forget a step that was saved.
(function () {
  "use strict";

  var PENDING = "tissu-brouillon-envoye";
  var MAX_AGE = 30 * 24 * 3600 * 1000;
  var script = document.currentScript;
  var key = script ? script.getAttribute("data-brouillon") : "";
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(PENDING);
  } catch (e) {
    return; // storage refused (private mode, policy): the page works as before
  }

  // A step was sent from this tab: a page other than that step means it was
  // saved (the server went on), so its copy on the device is no longer needed.
  var pending = window.sessionStorage.getItem(PENDING);
  window.sessionStorage.removeItem(PENDING);
  if (pending && pending !== key) {
    storage.removeItem(pending);
  }
  var form = key && document.getElementById("step-form");
  if (!form) { return; }

  function rowsOf(container) {
    return Array.prototype.filter.call(container.children, function (el) {
      return el.hasAttribute("data-row");
    });
  }

  function kept(el) {
    return el.name && ["hidden", "submit", "button", "reset", "file", "image"].indexOf(el.type) < 0;
  }

  // The form as typed: each field's value (a box: checked or not), and how
  // many rows each growing list holds.
  function snapshot() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    var rows = {};
    form.querySelectorAll("[data-rows]").forEach(function (container) {
      rows[container.id] = rowsOf(container).length;
    });
    return JSON.stringify({ values: values, rows: rows });
  }

  function read() {
    try {
      var draft = JSON.parse(storage.getItem(key));
      return draft && typeof draft.form === "string" ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function restore(saved) {
    var state = JSON.parse(saved);
    // Rows are added by their own buttons (journey.js); a button that would
    // post the form without it is stopped.
    var stop = function (event) { event.preventDefault(); };
    form.addEventListener("submit", stop);
    Object.keys(state.rows).forEach(function (id) {
      var container = document.getElementById(id);
      var button = container && form.querySelector("[data-add-row='" + id + "']");
      for (var guard = 0; button && rowsOf(container).length < state.rows[id] && guard < 100; guard++) {
        button.click();
      }
    });
    form.removeEventListener("submit", stop);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var on = state.values[el.name + "=" + el.value];
        if (typeof on === "boolean") { el.checked = on; }
      } else if (typeof state.values[el.name] === "string") {
        el.value = state.values[el.name];
      }
    });
  }

  var discarded = false;
  var leaving = false;
  var baseline = snapshot();

  function notice() {
    var box = document.createElement("div");
    box.id = "brouillon-retrouve";
    box.className = "notice";
    box.setAttribute("role", "status");
    box.tabIndex = -1;
    var text = document.createElement("p");
    text.textContent = "Nous avons retrouvé ce que vous aviez saisi sur cet appareil, " +
      "qui n'est pas encore enregistré\u00a0: vérifiez-le, puis enregistrez.";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "button button-secondary";
    undo.textContent = "Revenir à la version enregistrée";
    undo.addEventListener("click", function () {
      discarded = true;
      storage.removeItem(key);
      window.location.reload();
    });
    box.appendChild(text);
    box.appendChild(undo);
    form.parentNode.insertBefore(box, form);
    box.focus();
  }

  if (pending === key) {
    // The step came back from the server (a refused value, a row added
    // without JavaScript): what it shows is typed, not saved.
    baseline = null;
  } else {
    var draft = read();
    if (draft && (Date.now() - draft.at > MAX_AGE || draft.form === baseline)) {
      storage.removeItem(key);
    } else if (draft) {
      restore(draft.form);
      notice();
    }
  }

  function unsaved() {
    return snapshot() !== baseline;
  }

  function keep() {
    if (discarded) { return; }
    if (unsaved()) {
      try {
        storage.setItem(key, JSON.stringify({ at: Date.now(), form: snapshot() }));
      } catch (e) {
        // Storage full: the page still works, without the copy.
      }
    } else {
      storage.removeItem(key);
    }
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  // Rows added or removed change the form without an input event.
  form.addEventListener("click", function () { window.setTimeout(keep, 0); });
  window.addEventListener("pagehide", keep);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { keep(); }
  });
  form.addEventListener("submit", function () {
    leaving = true;
    keep();
    window.sessionStorage.setItem(PENDING, key);
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || discarded || !unsaved()) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
