/* Behaviour every page may use, wired by data- attributes (the Content-Security-Policy allows no inline script or
   on…= attribute, docs/deployment.md):
     data-print          a button that prints the page
     data-back           a link that goes back one page (its href is the fallback when there is no history)
     data-autosubmit     a select/input whose change submits its form
     data-select-on-focus  an input whose text is selected when it gets focus (a link to copy) */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-print], [data-back]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-print")) { ev.preventDefault(); window.print(); return; }
    if (window.history.length > 1) { ev.preventDefault(); window.history.back(); }
  });
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  document.addEventListener("focusin", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("input[data-select-on-focus]")) { el.select(); }
  });
})();
