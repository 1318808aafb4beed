/* Taking a call (templates/dispatch/intake.html): an existing client or a new one, one path at a time; the other's
   fields are neither validated nor sent. */
(function () {
  "use strict";
  var toggle = document.getElementById("new-client-toggle");
  var fresh = document.getElementById("new-client-fields");
  var existing = document.getElementById("existing-client");
  if (!toggle || !fresh || !existing) { return; }
  function choose(isNew) {
    toggle.checked = isNew; fresh.disabled = !isNew; existing.disabled = isNew; existing.hidden = isNew;
    if (isNew) { document.getElementById("new-client").open = true; }
  }
  toggle.addEventListener("change", function () { choose(toggle.checked); });
  // picking a client from the lookup means the caller is a client after all
  document.body.addEventListener("htmx:afterSwap", function (ev) { if (ev.target.id === "picked") { choose(false); } });
})();
