"""The site across releases: mike's layout, canonical release addresses, and the version selector.

A temporary copy of this repository gets two releases (2026.1, then a changed item and 2026.2);
``publish`` builds both, the ``latest`` alias and ``main``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
           GIT_COMMITTER_EMAIL="t@example.org", NO_MKDOCS_2_WARNING="1")
CHANGED_ID = "150000-D-020"


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=ENV).stdout


def villagecat(repo, *args):
    exe = Path(os.sys.executable).with_name("villagecat")
    return subprocess.run([str(exe), *args], cwd=repo, capture_output=True, text=True, env=ENV)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    repo = tmp_path_factory.mktemp("repo")
    for rel in subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout.split():
        if rel.startswith(("tests/", "releases", "CHANGELOG", "CITATION")):
            continue
        src = ROOT / rel
        if src.is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    r = villagecat(repo, "release", "2026.1", "--summary", "第一版", "--date", "2026-11-01")
    assert r.returncode == 0, r.stdout + r.stderr
    duties = repo / "catalogues" / "150000-neimenggu" / "duties.csv"
    rows = list(csv.reader(duties.open(encoding="utf-8")))
    for row in rows:
        if row[0] == CHANGED_ID:
            row[-1] = (row[-1] + "；测试修改").lstrip("；")
    with duties.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    git(repo, "commit", "-qam", "note changed")
    r = villagecat(repo, "release", "2026.2", "--summary", "第二版", "--date", "2026-11-20")
    assert r.returncode == 0, r.stdout + r.stderr
    from villagecat.publish import publish
    out = repo / "site"
    publish(repo, out, base_url="https://villagecat.test")
    return repo, out


def test_mike_layout(published):
    repo, out = published
    versions = json.loads((out / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["2026.2", "2026.1", "main"]
    assert versions[0]["aliases"] == ["latest"]
    for v in ("2026.1", "2026.2", "latest", "main"):
        assert (out / v / "index.html").is_file()
        assert (out / v / "api" / "v1" / "index.json").is_file()
    assert (out / "2026.1" / "downloads" / "SHA256SUMS").is_file()
    assert "latest/" in (out / "index.html").read_text(encoding="utf-8")


def test_canonical_and_citations_carry_the_release_address(published):
    repo, out = published
    page = (out / "latest" / "items" / CHANGED_ID / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
    assert canonical == f"https://villagecat.test/2026.2/items/{CHANGED_ID}/"
    assert "/latest/" not in page.split('<div class="md-content"', 1)[1]
    old = (out / "2026.1" / "items" / CHANGED_ID / "index.html").read_text(encoding="utf-8")
    assert f"https://villagecat.test/2026.1/items/{CHANGED_ID}/" in old


def test_changelog_and_downloads_pages(published):
    repo, out = published
    log = (out / "2026.2" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert CHANGED_ID in log and "2026.1" in log
    first = (out / "2026.1" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "首个发布版本" in first and "150000" in first
    dl = (out / "2026.2" / "downloads" / "index.html").read_text(encoding="utf-8")
    sums = (out / "2026.2" / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
    for line in sums.splitlines():
        digest, name = line.split(maxsplit=1)
        assert digest in dl, name
        # every file of the release is linked from its downloads page, and the link resolves
        assert f'<a href="{name}" download>' in dl, name
        assert (out / "2026.2" / "downloads" / name).is_file()
    assert f'<a href="SHA256SUMS" download>' in dl


def test_changelog_renders_with_links_to_item_pages(published):
    """The changelog is HTML for the public: no raw Markdown, every id a link to its item page."""
    from html.parser import HTMLParser

    repo, out = published
    page = out / "2026.2" / "changelog" / "index.html"
    html = page.read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    for raw in ("####", "**新增**", "- **", "\\-", "`"):
        assert raw not in article, raw

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self._href = {}, None

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self._href = dict(attrs).get("href")

        def handle_data(self, data):
            if self._href is not None:
                self.links[data] = self._href

        def handle_endtag(self, tag):
            if tag == "a":
                self._href = None

    p = Links()
    p.feed(article)
    assert p.links.get(CHANGED_ID) == f"../items/{CHANGED_ID}/"
    assert (page.parent / p.links[CHANGED_ID] / "index.html").resolve().is_file()
    first = (out / "2026.1" / "changelog" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<a href="\.\./items/([^/"]+)/">\1</a>', first)
    assert len(ids) > 100 and all((out / "2026.1" / "items" / i / "index.html").is_file() for i in ids)


def test_releases_page_lists_releases_for_users(published):
    """A release names itself and earlier releases (it never changes); main names them all."""
    repo, out = published
    old = (out / "2026.1" / "releases" / "index.html").read_text(encoding="utf-8")
    new = (out / "2026.2" / "releases" / "index.html").read_text(encoding="utf-8")
    main = (out / "main" / "releases" / "index.html").read_text(encoding="utf-8")
    assert "2026-11-01" in old and "第一版" in old and "2026.2" not in old.split("<article", 1)[1]
    for text in (new, main):
        assert "2026-11-20" in text and "第二版" in text and "第一版" in text
        assert 'href="../../2026.1/changelog/"' in text and 'href="../../2026.2/downloads/"' in text
    assert "villagecat release" not in new  # the maintainer's guide is not a public page


def test_release_pages_name_no_build_folder(published):
    """A released page is the same whoever builds it, wherever: no temporary or build folder in it."""
    repo, out = published
    for version in ("2026.1", "2026.2"):
        for page in (out / version).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert "/tmp" not in text and str(repo) not in text, page
    log = (out / "2026.2" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "与上一版 2026.1 相比" in log and "变更记录 · 2026.2" in log  # named by versions, not folders


def test_api_releases_index(published):
    repo, out = published
    rel = json.loads((out / "2026.2" / "api" / "v1" / "releases.json").read_text(encoding="utf-8"))
    assert [r["version"] for r in rel["releases"]] == ["2026.1", "2026.2"]


@pytest.mark.browser
def test_version_selector_switches_to_same_page(published, browser):
    from browser_support import Watched, serve_folder

    repo, out = published
    httpd, base = serve_folder(out)
    context = browser.new_context()
    try:
        page = context.new_page()
        watched = Watched(page, base)
        path = f"items/{CHANGED_ID}/"
        page.goto(f"{base}2026.2/{path}")
        page.wait_for_selector(".md-version__current")
        assert "outdated" not in (page.locator("[data-md-component=outdated]").get_attribute("class") or "")
        assert page.locator("[data-md-component=outdated]").is_hidden()
        page.hover(".md-version")
        page.click(".md-version__link:has-text('2026.1')")
        page.wait_for_url(re.compile(r"/2026\.1/"))
        assert page.url.endswith(f"/2026.1/{path}"), page.url
        page.wait_for_selector("[data-md-component=outdated]", state="visible")
        assert "不是最新发布版本" in page.locator("[data-md-component=outdated]").inner_text()
        # The banner goes to the same page in the latest release.
        page.click("[data-md-component=outdated] a")
        page.wait_for_url(re.compile(r"/latest/"))
        assert page.url.endswith(f"/latest/{path}"), page.url
        assert not watched.problems, watched.problems
    finally:
        context.close()
        httpd.shutdown()


def test_release_summary_never_renders_as_markup():
    from villagecat.publish import changelog_page

    from villagecat.diff import Diff
    from villagecat.model import Catalogue

    page = changelog_page(Diff("a", "b"), "2026.2", "2026.1", "[详情](javascript:alert(1)) <img src=x onerror=alert(2)> ![i](x.png)",
                          Catalogue("b"))
    html = page.render()
    assert "<a " not in html and "<img" not in html and "javascript:alert(1)" in html and "&lt;img" in html


@pytest.mark.slow
def test_a_release_is_byte_identical_whoever_builds_it_wherever(published, tmp_path_factory):
    """Two clones at different paths, each `build --all-releases`: every file under /<version>/ is
    the same bytes, search index included. Only versions.json (and the outdated banner it drives)
    may change when a release is added."""
    repo, out = published
    other = tmp_path_factory.mktemp("another-clone-at-a-longer-path") / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(other)], check=True, env=ENV)
    r = villagecat(other, "build", "--all-releases", "--out", "built-here", "--site-url", "https://villagecat.test")
    assert r.returncode == 0, r.stdout + r.stderr
    again = other / "built-here"
    for version in ("2026.1", "2026.2"):
        mine = {p.relative_to(out / version).as_posix(): p for p in (out / version).rglob("*") if p.is_file()}
        theirs = {p.relative_to(again / version).as_posix(): p for p in (again / version).rglob("*") if p.is_file()}
        assert sorted(mine) == sorted(theirs), version
        assert any(name.startswith("searchindex/") for name in mine)
        differ = [name for name in mine if mine[name].read_bytes() != theirs[name].read_bytes()]
        assert not differ, f"{version}: {differ[:10]}"


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_release_pages_pass_axe_and_fit_a_phone(published, browser, width):
    """The pages only a release has (changelog, releases, downloads, the version menu) at both sizes."""
    from browser_support import OVERFLOW_JS, axe_script, axe_serious, serve_folder

    repo, out = published
    httpd, base = serve_folder(out)
    context = browser.new_context(viewport={"width": width, "height": 900})
    found = []
    try:
        page = context.new_page()
        for path in ("2026.2/changelog/", "2026.1/changelog/", "2026.2/releases/", "2026.2/downloads/", "main/downloads/",
                     "2026.1/items/150000-D-020/"):
            page.goto(base + path)
            page.wait_for_selector(".md-version__current")
            found += [f"{path} at {width}: {v}" for v in axe_serious(page, axe_script())]
            got = page.evaluate(OVERFLOW_JS)
            if got["scroll"] > got["width"] or got["wide"]:
                found.append(f"{path} at {width}: {got}")
        page.hover(".md-version")
        box = page.locator(".md-version__list").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the version menu is not clipped
    finally:
        context.close()
        httpd.shutdown()
    assert not found, "\n".join(found)
