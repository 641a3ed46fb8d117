"""`villagecat serve` rebuilds what changed while editing: a CSV edited in a copy of the repository
reaches the served page, and the browser is told to reload (mkdocs' live-reload server)."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO

ITEM = "150000-D-020"
WAIT = 180  # seconds: generous, only a bound on a hung server, never a speed assertion


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, proc, predicate) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "serve exited"
        text = _get(url)
        if text is not None and predicate(text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show the change within {WAIT} s")


def test_serve_rebuilds_a_changed_csv(tmp_path):
    repo = tmp_path / "repo"
    for name in ("catalogues", "sources", "schemas", "docs", "site_config"):
        shutil.copytree(REPO / name, repo / name)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "villagecat", "serve", "--port", str(port), "--out", str(tmp_path / "site")],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/items/{ITEM}/"
    try:
        first = _wait_for(url, proc, lambda t: ITEM in t)
        assert "livereload" in first  # the server asks the browser to reload after a rebuild
        assert "实时重建标记" not in first
        duties = repo / "catalogues" / "150000-neimenggu" / "duties.csv"
        rows = list(csv.reader(duties.open(encoding="utf-8")))
        note = rows[0].index("note")
        for row in rows:
            if row[0] == ITEM:
                row[note] = "实时重建标记"
        with duties.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        _wait_for(url, proc, lambda t: "实时重建标记" in t)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
            raise AssertionError("an unknown address was answered")
        except urllib.error.HTTPError as exc:  # 404, with the site's own page as its body
            assert exc.code == 404 and 'class="md-content"' in exc.read().decode("utf-8")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
