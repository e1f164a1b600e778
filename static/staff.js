// Progressive enhancement for staff pages: "copy" buttons. Without JavaScript the
// link stays visible and selectable in its read-only field.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentElement.querySelector(".copy-status");
  if (!source || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.value).then(function () {
      if (status) { status.textContent = "Lien copié."; }
    });
  });
});

// Long forms (those with a text area): a banner a few minutes before the
// session ends for want of activity, so that what was typed is saved in time.
// The server counts activity from its last request, which loaded this page;
// timers sleep in a hidden tab, so the time is checked again on coming back.
(function () {
  var nav = document.querySelector("[data-session-idle-seconds]");
  var main = document.querySelector("main");
  if (!nav || !main || !main.querySelector("form[method=post] textarea")) { return; }
  var idle = parseInt(nav.getAttribute("data-session-idle-seconds"), 10) * 1000;
  var WARN_BEFORE = 5 * 60 * 1000;
  var loaded = Date.now();
  var banner = null;
  function check() {
    var left = loaded + idle - Date.now();
    if (!(left <= WARN_BEFORE)) { return; }
    var minutes = Math.ceil(left / 60000);
    var text = minutes > 0
      ? "Sans activité, votre session se termine dans " + minutes + (minutes === 1 ? " minute" : " minutes") +
        "\u00a0: enregistrez ce que vous avez saisi."
      : "Sans activité, votre session a pris fin\u00a0: en enregistrant, vous vous reconnecterez sans perdre ce que vous avez saisi.";
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "notice session-warning";
      banner.setAttribute("role", "alert");
      main.insertBefore(banner, main.firstChild);
    }
    if (banner.textContent !== text) { banner.textContent = text; }
  }
  window.setInterval(check, 30000);
  window.addEventListener("focus", check);
  document.addEventListener("visibilitychange", check);
})();
