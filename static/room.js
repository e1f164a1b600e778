// The live room's pages, with JavaScript. Without it the projector reloads
// itself (its <noscript> refresh) and a phone posts a plain form.
//
// The projector listens to the room's events and, on each, fetches its own
// page again and swaps the board in place — no reload, no flicker. The board
// is fetched again whenever the event stream (re)opens, so a dropped
// connection misses nothing, and as the board is redrawn whole nothing is
// shown twice.
//
// A phone posts its SWOT item by fetch: a send that fails (no network, a
// server error) is said on the page and tried again, later and later, with
// the same idempotency key, so the server stores it once however many sends
// arrive. The text stays in its field until the server answers, and in
// sessionStorage until it has taken it, so a reload keeps it too. The phone
// also listens to the room's events and draws its form again when the open
// sequence changes.
(function () {
  "use strict";
  if (!window.fetch) return;

  // An event stream that reopens itself. The browser retries by itself after
  // a dropped connection, but gives up for good on an HTTP error (a proxy's
  // 502 while the server restarts): then a new one, a little later.
  function listen(url, onEvent, wanted) {
    if (!window.EventSource) return;
    var delay = 1000;
    function connect() {
      if (wanted && !wanted()) return;
      var events = new EventSource(url);
      events.addEventListener("changed", onEvent);
      events.addEventListener("reload", onEvent);
      events.addEventListener("open", function () {
        delay = 1000;
        onEvent();
      });
      events.addEventListener("error", function () {
        if (events.readyState === EventSource.CLOSED) {
          window.setTimeout(connect, delay);
          delay = Math.min(delay * 2, 30000);
        }
      });
    }
    connect();
  }

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // ---- The projector ----
  function projector(board) {
    var page = window.location.pathname;
    var fetching = false;
    var again = false;

    function refresh() {
      if (fetching) { again = true; return; }
      fetching = true;
      fetch(page, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          // The link was revoked or the room closed: the page says so.
          if (response.status === 404 || response.status === 410) {
            window.location.reload();
            return null;
          }
          // Anything else that is not the page (a proxy's error while the
          // server restarts): keep the board, the next event tries again.
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) return;
          var fresh = parse(html).getElementById("board-live");
          if (fresh) board.replaceWith(fresh);
          board = fresh || board;
        })
        .catch(function () { /* the next event or reconnection tries again */ })
        .then(function () {
          fetching = false;
          if (again) { again = false; refresh(); }
        });
    }

    listen(page + "/evenements", refresh);
  }

  // ---- The phone ----
  function phone(root) {
    var draftKey = "tissu-salle:" + window.location.pathname;
    var retryTimer = null;
    var attempt = 0;

    function swotForm() {
      var current = document.getElementById("room-phone");
      return current && current.querySelector("form[action$='/swot']");
    }

    function storage() {
      try { return window.sessionStorage; } catch (e) { return null; }
    }

    // The text not yet taken by the server, with its key: sent again after
    // a reload, it is still the same item.
    function keepDraft(form) {
      var store = storage();
      if (!store) return;
      var checked = form.querySelector("input[name=quadrant]:checked");
      var draft = {
        text: form.elements.text.value,
        quadrant: checked ? checked.value : "",
        key: form.elements.key.value
      };
      try {
        if (draft.text.trim() === "") store.removeItem(draftKey);
        else store.setItem(draftKey, JSON.stringify(draft));
      } catch (e) { /* storage full or refused: the field still holds it */ }
    }

    function dropDraft() {
      var store = storage();
      if (store) store.removeItem(draftKey);
    }

    function restoreDraft(form) {
      var store = storage();
      var raw = store && store.getItem(draftKey);
      if (!form || !raw || form.elements.text.value.trim() !== "") return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { return; }
      form.elements.text.value = draft.text || "";
      if (draft.key) form.elements.key.value = draft.key;
      var radio = form.querySelector("input[name=quadrant][value='" + draft.quadrant + "']");
      if (radio) radio.checked = true;
    }

    function say(form, message) {
      var status = document.getElementById("send-status");
      if (!status) {
        status = document.createElement("p");
        status.id = "send-status";
        status.className = "notice";
        status.setAttribute("role", "status");
        form.insertBefore(status, form.querySelector(".form-actions"));
      }
      status.textContent = message;
    }

    // The server's page in place of this one, as after a plain post.
    function show(html, url) {
      var doc = parse(html);
      var fresh = doc.querySelector("main");
      var main = document.querySelector("main");
      if (!fresh || !main) { window.location.reload(); return; }
      main.replaceWith(fresh);
      document.title = doc.title;
      if (url && window.history.replaceState) window.history.replaceState(null, "", url);
      restoreDraft(swotForm());
      var first = fresh.querySelector("#error-summary") || fresh.querySelector(".notice");
      if (first && first.id === "error-summary") first.focus();
    }

    function send(form, url, body) {
      window.clearTimeout(retryTimer);
      fetch(url, {
        method: "POST",
        body: body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        cache: "no-store"
      })
        .then(function (response) {
          if (response.status >= 500) throw new Error("server " + response.status);
          return response.text().then(function (html) {
            attempt = 0;
            // Taken (a redirect followed), or refused with the page that
            // says why and keeps what was typed.
            if (response.ok) dropDraft();
            show(html, response.ok ? response.url : null);
          });
        })
        .catch(function () {
          attempt += 1;
          var seconds = Math.min(30, Math.pow(2, attempt - 1));
          say(form, "Pas envoyé\u00a0: nouvel essai dans " + seconds + "\u00a0s… Votre texte est gardé ici.");
          retryTimer = window.setTimeout(function () {
            say(form, "Pas envoyé\u00a0: nouvel essai en cours…");
            send(form, url, body);
          }, seconds * 1000);
        });
    }

    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form !== swotForm()) return;
      event.preventDefault();
      keepDraft(form);
      send(form, form.action, new URLSearchParams(new FormData(form)).toString());
    });
    document.addEventListener("input", function (event) {
      var form = swotForm();
      if (form && form.contains(event.target)) keepDraft(form);
    });
    document.addEventListener("change", function (event) {
      var form = swotForm();
      if (form && form.contains(event.target)) keepDraft(form);
    });
    restoreDraft(swotForm());

    // The open sequence: the phone's form follows it. The room's page, not
    // this address: after a refused plain post (the levers' dots) the
    // browser shows the answer at the form's action.
    var page = root.getAttribute("data-page") || window.location.pathname;
    var checking = false;
    function checkSequence() {
      if (checking) return;
      checking = true;
      fetch(page, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status >= 500) return;
          return response.text().then(function (html) {
            var doc = parse(html);
            var fresh = doc.getElementById("room-phone");
            var current = document.getElementById("room-phone");
            // The room closed, or this phone is no longer in: the page says so.
            if (!fresh) { show(html, null); return; }
            if (current && fresh.getAttribute("data-sequence") !== current.getAttribute("data-sequence")) {
              var form = swotForm();
              if (form) keepDraft(form);
              show(html, null);
            }
          });
        })
        .catch(function () { /* the next event or reconnection tries again */ })
        .then(function () { checking = false; });
    }
    // Once the page no longer shows the room (closed), nothing to follow.
    listen(root.getAttribute("data-events"), checkSequence, function () {
      return document.getElementById("room-phone") !== null;
    });
  }

  var board = document.getElementById("board-live");
  if (board) projector(board);
  var phoneRoot = document.getElementById("room-phone");
  if (phoneRoot) phone(phoneRoot);
})();
