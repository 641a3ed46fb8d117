"""The built site as files: strict build, no broken internal link, accessible structure."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.th_without_scope = 0
        self.in_article = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) is not None and tag not in ("base",):
                self.refs.append(a[key])
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "article":
            self.in_article += 1
        if self.in_article and tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if self.in_article and tag == "th" and "scope" not in a:
            self.th_without_scope += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every HTML page that does not resolve to a file in the site."""
    broken = []
    for page in site.rglob("*.html"):
        for ref in _parse(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                if parts.scheme == "javascript":
                    broken.append(f"{page}: {ref}")
                continue
            if not parts.path:
                continue  # same-page fragment or query
            # Root-absolute paths (the theme's 404 page) start at the site root: site_url's path is "/".
            base = site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {ref}")
    return broken


def test_strict_build_without_warnings(built):
    assert built.result.warnings == []
    written = sum(1 for _, _, files in os.walk(built.site) for name in files if name.endswith(".html"))
    assert built.result.html_files == written > built.result.pages // 2  # counted as written, not walked
    assert (built.site / "searchindex" / "meta.json").is_file()
    assert (built.site / "search" / "index.html").is_file()


def test_no_broken_internal_links(built):
    assert broken_links(built.site) == []


def test_no_broken_internal_links_in_hostile_site(hostile):
    assert broken_links(hostile.site) == []


def test_headings_in_order_and_table_headers_scoped(built):
    bad = []
    for page in built.site.rglob("*.html"):
        p = _parse(page)
        levels = p.headings
        if levels and levels[0] != 1:
            bad.append(f"{page}: starts at h{levels[0]}")
        for a, b in zip(levels, levels[1:]):
            if b > a + 1:
                bad.append(f"{page}: h{a} then h{b}")
                break
        if p.th_without_scope:
            bad.append(f"{page}: {p.th_without_scope} <th> without scope")
    assert bad == []


def test_cli_build_reports_its_figures(tmp_path):
    """`villagecat build` exits 0, prints its figures, and puts the release label in citations."""
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "villagecat", "build", "--out", str(out), "--work", str(tmp_path / "w"),
                           "--release", "2026.1"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已建站" in done.stdout
    assert "2026.1" in (out / "items").glob("*/index.html").__next__().read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["index.html", "regions/index.html", "must-not/index.html", "laws/index.html",
                                  "compare/index.html", "statistics/index.html", "signs/index.html",
                                  "data-dictionary/index.html", "errors/index.html", "about/index.html",
                                  "cite/index.html", "contribute/index.html", "search/index.html", "coverage/index.html",
                                  "404.html", "regions/150000/index.html", "regions/150000/duties/index.html",
                                  "items/150000-D-020/index.html", "laws/L0002/index.html", "compare/duties/index.html"])
def test_section_pages_exist(built, path):
    html = (built.site / path).read_text(encoding="utf-8")
    assert html.count("<h1") == 1, path  # the page's own body is there, under one heading


def test_two_builds_of_the_same_input_are_byte_identical(hostile, tmp_path):
    """Every file of a second build of the hostile fixture equals the first one's, byte for byte."""
    from villagecat.site.build import build_site

    again = tmp_path / "site"
    build_site(out=again, catalogue=hostile.root, site_url="https://villagecat.test/",
               release="测试版", root=REPO)
    first = {p.relative_to(hostile.site): p.read_bytes() for p in sorted(hostile.site.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [str(k) for k in first if first[k] != second[k]] == []


def test_strict_mode_refuses_a_broken_link(tmp_path):
    """A warning (here a hand page linking to a page that does not exist) fails the build."""
    import shutil

    from mkdocs.exceptions import Abort

    from villagecat.site.build import build_site

    root = tmp_path / "repo"
    for name in ("docs", "site_config", "schemas", "catalogues"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs" / "about.md").write_text("# 关于\n\n[不存在](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(out=tmp_path / "site", work=tmp_path / "work", root=root)
