// The respondent's steps, with JavaScript: rows are added and removed in
// place, without a reload, and the focus goes to the first field of the new
// row. Progressive enhancement only: without this file the same buttons post
// the form, and the page comes back at the row (their `formaction` carries
// its anchor). Row fields are numbered from 0 (`firm_2`, `kinds_2_14`,
// `strength_2`): the server reads rows 0 to `rows` − 1, so the rows left are
// renumbered after a removal.
(function () {
  "use strict";

  // `firm_2`, `kinds_2_14`, `status_2_existing`, `remove_2`, `strength_2`.
  var NUMBERED = /\b([a-z]+)_(\d+)/g;
  var RENAMED = ["id", "name", "for", "aria-describedby"];
  var FIELDS = "input:not([type=hidden]), select, textarea";

  function rowsOf(container) {
    return Array.prototype.filter.call(container.children, function (el) {
      return el.hasAttribute("data-row");
    });
  }

  function countField(container) {
    return container.closest("form").elements[container.getAttribute("data-rows")];
  }

  function announce(container, message) {
    var status = document.getElementById(container.id + "-status");
    if (status) {
      // Emptied first, so that the same message twice is read twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  // Renames the row's fields for its place. A new row is renumbered before
  // it joins the form: inserted under the last row's names, its checked
  // radio would uncheck the last row's.
  function renumber(container, row, index) {
    var anchor = container.getAttribute("data-row-anchor");
    if (anchor) {
      row.id = anchor + (index + 1);
    }
    row.querySelectorAll("*").forEach(function (el) {
      RENAMED.forEach(function (name) {
        var value = el.getAttribute(name);
        if (value !== null) {
          el.setAttribute(name, value.replace(NUMBERED, function (_, prefix) {
            return prefix + "_" + index;
          }));
        }
      });
      // Only a button's value names its row (`remove_2`): a field's value is
      // what the person typed or chose.
      if (el.tagName === "BUTTON" && el.value) {
        el.value = el.value.replace(NUMBERED, function (_, prefix) {
          return prefix + "_" + index;
        });
      }
    });
    row.querySelectorAll("[data-number]").forEach(function (el) {
      el.textContent = String(index + 1);
    });
  }

  // A row as the server renders a blank one: no value, no error.
  function blank(row) {
    row.classList.remove("field-error");
    row.querySelectorAll(".error-message").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field-error").forEach(function (el) { el.classList.remove("field-error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    row.querySelectorAll("[aria-describedby]").forEach(function (el) {
      var kept = el.getAttribute("aria-describedby").split(/\s+/).filter(function (id) {
        return id && !/-error$/.test(id);
      });
      if (kept.length) {
        el.setAttribute("aria-describedby", kept.join(" "));
      } else {
        el.removeAttribute("aria-describedby");
      }
    });
    row.querySelectorAll(FIELDS).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var on = el.hasAttribute("data-blank-checked");
        el.checked = on;
        el.defaultChecked = on;
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) { o.defaultSelected = false; });
        el.selectedIndex = 0;
      } else {
        el.value = "";
        el.defaultValue = "";
      }
    });
  }

  function focusFirstField(row) {
    var field = row.querySelector(FIELDS);
    if (field) {
      field.focus();
    }
  }

  function add(button) {
    var container = document.getElementById(button.getAttribute("data-add-row"));
    var rows = rowsOf(container);
    var max = parseInt(button.getAttribute("data-max"), 10);
    if (rows.length >= max) {
      announce(container, button.getAttribute("data-max-message"));
      return;
    }
    var row = rows[rows.length - 1].cloneNode(true);
    blank(row);
    renumber(container, row, rows.length);
    container.appendChild(row);
    countField(container).value = String(rows.length + 1);
    focusFirstField(row);
  }

  function remove(button) {
    var row = button.closest("[data-row]");
    var container = row.parentNode;
    var legend = row.querySelector("legend");
    var removed = legend ? legend.textContent.replace(/\s+/g, " ").trim() : "";
    var rows = rowsOf(container);
    var index = rows.indexOf(row);
    if (rows.length === 1) {
      // A page keeps one row: the last one is emptied instead.
      blank(row);
      focusFirstField(row);
    } else {
      row.remove();
      rows = rowsOf(container);
      // In order: each row takes the names the previous one left.
      rows.forEach(function (each, i) { renumber(container, each, i); });
      countField(container).value = String(rows.length);
      focusFirstField(rows[Math.min(index, rows.length - 1)]);
    }
    if (removed) {
      announce(container, removed + " retiré.");
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var adding = target && target.closest("[data-add-row]");
    var removing = target && target.closest("[data-remove-row]");
    if (adding) {
      event.preventDefault();
      add(adding);
    } else if (removing) {
      event.preventDefault();
      remove(removing);
    }
  });
})();
