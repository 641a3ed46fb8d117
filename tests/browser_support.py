"""Browser-test support shared by tests/site and tests/publish: a loopback static server,
Chromium's path and flags, and a page wrapper that records console errors and external requests."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder: Path):
    """Serve ``folder`` on a free loopback port; returns (server, base URL ending in /)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


class Watched:
    """A page whose console errors, page errors and requests leaving the site are recorded."""

    def __init__(self, page, base: str):
        self.page, self.base, self.problems = page, base, []
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                else self.problems.append(f"external request: {r.url}"))




def axe_script() -> str:
    """axe-core as bundled by the pinned axe-playwright-python (axe 4.12.1); nothing is fetched."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_serious(page, script: str) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(script)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']} — {v['help']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


# Elements of a page that stick out to the right of a narrow screen (outside table scroll boxes), or
# whose content spills past it: what makes a page scroll sideways, or cuts what it shows.
OVERFLOW_JS = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  const skip = ".vc-scroll, .md-typeset__scrollwrap, .md-sidebar, [hidden]";
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(skip)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.position === "fixed") continue;
    const wide = r.right > W + 1 || r.left < -1;
    const spills = !(el instanceof SVGElement) && style.overflowX === "visible" && el.clientWidth > 0 && r.left + el.scrollWidth > W + 1;
    if (wide || spills) out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(" ")[0]} right=${Math.round(r.right)}`);
  }
  return {scroll: document.documentElement.scrollWidth, width: W, wide: out.slice(0, 5)};
}"""
