// Opens the FAQ question named in the address (#question-id), on load and when the fragment changes.
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
      target.querySelector("summary").focus();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
