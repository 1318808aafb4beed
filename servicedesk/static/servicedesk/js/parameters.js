/* Rule parameters page (templates/servicedesk/parameters.html): "add a row" on table-valued parameters copies the
   last row with empty inputs and the next index in every name. */
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var body = btn.closest("form").querySelector("table[data-rows] tbody");
      var last = body.lastElementChild, copy = last.cloneNode(true), n = body.children.length;
      copy.querySelectorAll("input, select").forEach(function (el) {
        el.name = el.name.replace(/^value__\d+/, "value__" + n);
        if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
        el.classList.remove("invalid");
      });
      copy.firstElementChild.textContent = String(n + 1);
      body.appendChild(copy);
    });
  });
})();
