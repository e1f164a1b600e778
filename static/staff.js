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
