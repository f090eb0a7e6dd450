// Progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // The language menu applies a choice at once; its button stays for keyboard users
  // who prefer to confirm, and for browsers without scripts.
  document.querySelectorAll(".js-language-form select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
