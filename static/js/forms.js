// Moves focus to the error summary after a failed submit, so screen readers announce it and
// keyboard users start from the list of problems. Links in it focus their field.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
