// Progressive enhancement for the synthesis pages: the filter form applies
// itself when a select changes. Without JavaScript, the "Appliquer" button does.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.filters");
  if (!form) return;
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.submit(); });
  });
});
