/* The search page: Pagefind's UI in #vc-search, fed from ?q= so the home page's form (a plain
   GET) works. Result links are made relative to this site's root, wherever it is served
   (a release lives under its own path). Without JavaScript the page says how to search. */
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("vc-search");
    if (!el || typeof window.PagefindUI !== "function") { return; }
    var base = new URL(el.getAttribute("data-site-root") || "../", window.location.href).pathname;
    var ui = new window.PagefindUI({
      element: "#vc-search",
      baseUrl: base,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      translations: {
        placeholder: "输入关键词，如：证明、村民委员会、人民调解",
        zero_results: "没有找到含“[SEARCH_TERM]”的结果",
        many_results: "找到 [COUNT] 条含“[SEARCH_TERM]”的结果",
        one_result: "找到 [COUNT] 条含“[SEARCH_TERM]”的结果",
        load_more: "显示更多结果",
        search_label: "搜索本站",
        clear_search: "清除"
      }
    });
    var noscript = document.getElementById("vc-search-fallback");
    if (noscript) { noscript.hidden = true; }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { ui.triggerSearch(q); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
