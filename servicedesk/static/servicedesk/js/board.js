/* Dispatch board (templates/dispatch/board.html, _board.html). */
(function () {
  "use strict";
  // the row pickers copy the technicians (rendered once per page load in <template id="all-techs">) on first use
  document.addEventListener("focusin", function (ev) {
    var sel = ev.target;
    if (!sel.matches || !sel.matches("select.tech-pick") || sel.dataset.filled) { return; }
    sel.dataset.filled = "1";
    var skip = sel.dataset.exclude;
    document.getElementById("all-techs").content.querySelectorAll("option").forEach(function (o) {
      if (o.value !== skip) { sel.appendChild(o.cloneNode(true)); }
    });
  });
  // the 5-second refresh pauses while someone is filling in a form on the board (a cancelled request, not an
  // hx-trigger filter: those are evaluated code, which the Content-Security-Policy forbids)
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var elt = ev.detail && ev.detail.elt;
    if (!elt || elt.id !== "board" || !elt.hasAttribute("data-poll")) { return; }
    var active = document.activeElement;
    if (active && active.closest && active.closest("#board form")) { ev.preventDefault(); }
  });
})();
