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


