/* Closing out a job on the phone (templates/mobile/close_out.html): charge lines added and removed, the item list
   filtered by kind, the quote refreshed, and the drawn signature (signature_pad) kept as an SVG data URL. */
(function () {
  "use strict";
  var form = document.getElementById("close-out");
  if (!form) { return; }
  var rows = document.getElementById("line-rows");
  var next = parseInt(form.dataset.nextIndex, 10) || 0;
  function refreshQuote() { if (window.htmx) { window.htmx.trigger("#lines", "lines-changed"); } }
  function filterItems(row) {
    var kind = row.querySelector("select[data-role=kind]").value;
    var item = row.querySelector("select[data-role=item]");
    var wrap = row.querySelector("[data-role=item-wrap]");
    var visible = 0, firstVisible = null;
    Array.prototype.forEach.call(item.options, function (opt) {
      var show = opt.dataset.kind === kind;
      opt.hidden = !show; opt.disabled = !show;
      if (show) { visible += 1; if (!firstVisible) { firstVisible = opt; } }
    });
    if (item.selectedOptions.length === 0 || item.selectedOptions[0].disabled) {
      if (firstVisible) { firstVisible.selected = true; }
    }
    wrap.hidden = visible < 2;  // parts and consumables have one item (priced from cost): no choice to show
  }
  function wire(row) {
    row.querySelector("select[data-role=kind]").addEventListener("change", function () { filterItems(row); });
    row.querySelector("[data-role=remove]").addEventListener("click", function () { row.remove(); refreshQuote(); });
    filterItems(row);
  }
  Array.prototype.forEach.call(rows.querySelectorAll(".line-row"), wire);
  document.getElementById("add-line").addEventListener("click", function (ev) {
    ev.preventDefault();
    var html = document.getElementById("line-template").innerHTML.replace(/__i__/g, String(next));
    next += 1;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    if (window.htmx) { window.htmx.process(row); }
    wire(row);
    row.querySelector("select[data-role=kind]").focus();
  });
  var canvas = document.getElementById("signature-pad");
  var hidden = form.querySelector("input[name=signature_drawing]");
  function startPad() {
    if (!window.SignaturePad || !canvas) { return; }
    var pad = new window.SignaturePad(canvas, { minWidth: 1, maxWidth: 2.5, penColor: "#111" });
    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio; canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear(); if (data.length) { pad.fromData(data); }
    }
    window.addEventListener("resize", resize); resize();
    if (hidden.value) { pad.fromDataURL(hidden.value); }  // form sent back with errors: keep what the client drew
    document.getElementById("signature-clear").addEventListener("click", function () { pad.clear(); hidden.value = ""; });
    form.addEventListener("submit", function () { if (!pad.isEmpty()) { hidden.value = pad.toDataURL("image/svg+xml"); } });
  }
  if (document.readyState === "complete") { startPad(); } else { window.addEventListener("load", startPad); }
})();
