"""Screenshots of the public site for the record (``make screenshots``): the home page, a region,
a list and an item at 390 and 1280 px, in headless Chromium (Debian's ``/usr/bin/chromium``, driven
by Playwright, a test dependency), written to ``maintainers/screenshots/`` — outside the public
site, so they never bloat it. Review them (and the diff) before committing.

    python -m villagecat.site.screenshots [--out maintainers/screenshots] [--site DIR]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import tempfile
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--font-render-hinting=none"]
PAGES = {"home": "", "region": "regions/150000/", "list": "regions/150000/duties/", "item": "items/150000-D-020/"}
WIDTHS = {390: 844, 1280: 900}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return written


def main(argv=None) -> int:
    from villagecat.site.build import build_site
    from villagecat.trees import project_root

    ap = argparse.ArgumentParser(description="网站截图 / screenshots of the site")
    ap.add_argument("--out", default="maintainers/screenshots")
    ap.add_argument("--site", default=None, help="已建好的网站 / an already built site (default: build one)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else build_site(out=Path(tmp) / "site", root=project_root(".")).out
        for path in shoot(site, Path(args.out)):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
