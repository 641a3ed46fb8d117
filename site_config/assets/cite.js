/* 引用本条: the copy button. Progressive: the citation is plain text in a <pre> that anyone can
   select; this script only reveals the button and copies that text. window.__vcLastCopied keeps
   the last copied text so a test can check it without clipboard permissions. */
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function init() {
    var buttons = document.querySelectorAll("button.vc-copy[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (btn) {
      if (btn.getAttribute("data-vc-ready")) { return; }
      var target = document.getElementById(btn.getAttribute("data-copy-target"));
      if (!target) { return; }
      btn.setAttribute("data-vc-ready", "1");
      btn.hidden = false;
      var status = btn.parentNode.querySelector(".vc-copy-status");
      function done(ok, text) {
        if (ok) { window.__vcLastCopied = text; }
        if (status) { status.textContent = ok ? "已复制到剪贴板" : "复制失败，请手动选择上面的文字复制"; }
      }
      btn.addEventListener("click", function () {
        var text = target.textContent;
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(
            function () { done(true, text); },
            function () { done(fallbackCopy(text), text); });
        } else {
          done(fallbackCopy(text), text);
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
