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
    function focusFirst() {
        setTimeout(function () {  // the first link of the drawer that is shown
          var links = document.querySelectorAll(".md-sidebar--primary a.md-nav__link");
          for (var i = 0; i < links.length; i++) {
            if (links[i].getClientRects().length) { links[i].focus(); break; }
          }
        }, 50);
    }
    // Enter on a focused label is handled by the theme (it clicks the label); Space is ours.
    button.addEventListener("keydown", function (e) {
      if (e.key === " ") { e.preventDefault(); button.click(); }
    });
    toggle.addEventListener("change", function () {
      sync();
      if (toggle.checked && document.activeElement === button) { focusFirst(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle.checked) { button.click(); button.focus(); }
    });
    sync();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
