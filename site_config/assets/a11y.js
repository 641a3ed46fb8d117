/* Keyboard access to the theme's navigation drawer (issue 12). The theme opens it with a <label>
   for a hidden checkbox, which a keyboard cannot reach: the label becomes a button (Tab, Enter,
   Space; aria-expanded says whether the drawer is open), Escape closes the drawer and gives focus
   back. While closed, the drawer is hidden from focus by CSS (villagecat.css). */
(function () {
  "use strict";
  function init() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector("label.vc-drawer-button");
    if (!toggle || !button || button.getAttribute("data-vc-ready")) { return; }
    button.setAttribute("data-vc-ready", "1");
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
    function set(open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
      sync();
      if (open) {
        var first = document.querySelector(".md-sidebar--primary a, .md-sidebar--primary label[tabindex]");
        if (first) { setTimeout(function () { first.focus(); }, 50); }
      }
    }
    button.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); set(!toggle.checked); }
    });
    toggle.addEventListener("change", sync);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle.checked) { set(false); button.focus(); }
    });
    sync();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
