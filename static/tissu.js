// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // RGAA: on a page sent back with errors, move the focus to the summary so it is
  // read out first and each link leads to its field.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
