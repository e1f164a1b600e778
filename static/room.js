// The projector of a live room, with JavaScript: it listens to the room's
// events and, on each, fetches its own page again and swaps the board in
// place — no reload, no flicker. The browser's EventSource reconnects by
// itself after a dropped connection; the board is fetched again then, so
// nothing is missed or shown twice. Without JavaScript the page reloads
// itself (its <noscript> refresh).
(function () {
  "use strict";
  var board = document.getElementById("board-live");
  if (!board || !window.EventSource || !window.fetch) return;
  var page = window.location.pathname;
  var fetching = false;
  var again = false;

  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(page, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        // The link was revoked or the room closed: the page says so.
        if (!response.ok) { window.location.reload(); return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board-live");
        if (fresh) board.replaceWith(fresh);
        board = fresh || board;
      })
      .catch(function () { /* the next event or reconnection tries again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }

  var events = new EventSource(page + "/evenements");
  events.addEventListener("changed", refresh);
  events.addEventListener("reload", refresh);
  events.addEventListener("open", refresh);
})();
