"""Fixtures of the site tests: the real site and a hostile fixture site, each built once per
session into a temporary folder, served over loopback, and a headless Chromium to drive them."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from villagecat.reader import read_catalogue
from villagecat.site.build import BuildResult, build_site

from browser_support import Watched, serve_folder as _serve

REPO = Path(__file__).resolve().parents[2]
SITE_URL = "https://villagecat.test/"

# Text that would run, link or render if any layer parsed item data as HTML, Markdown or a template.
HOSTILE = [
    "<script>window.__pwned = 1</script>恶意脚本事项",
    '<img src=x onerror="window.__pwned = 2">图片事项',
    "[点我](javascript:window.__pwned=3) 链接事项",
    "{{ config.site_name }} 与 {% if true %}模板{% endif %} 事项",
    "**加粗** _斜体_ `代码` <b>粗</b> &amp; 实体事项",
    # A DEL in the first 40 characters (the page title) once made the front matter unreadable to
    # YAML: mkdocs then rendered the title line as Markdown, and attr_list added the handler.
    "[x](#){:autofocus onfocus=alert(1)}\x7f控制字符事项",
]
HOSTILE_TITLE = '清单<script>window.__pwned = 4</script>"><img src=x onerror=window.__pwned=5>'
# A list title and a law title with a DEL or C1 control before an attr_list payload (issue 8).
HOSTILE_LIST_TITLE = "清单\x7f[y](#){: autofocus onfocus=alert(2)}"
HOSTILE_LAW_TITLE = "法<script>window.__pwned=6</script>[z](#){: autofocus onfocus=alert(3)}\x9b"


@dataclass
class Built:
    result: BuildResult
    root: Path  # the catalogue repository that was built
    site: Path


def _build(tmp: Path, catalogue: Path | None) -> Built:
    result = build_site(out=tmp / "site", catalogue=catalogue, site_url=SITE_URL, release="测试版",
                        work=tmp / "work", root=REPO)
    return Built(result, catalogue or REPO, tmp / "site")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The site of the repository's catalogue, as `villagecat build` makes it."""
    return _build(tmp_path_factory.mktemp("site"), None)


@pytest.fixture(scope="session")
def catalogue():
    return read_catalogue(str(REPO))


def write_hostile_catalogue(root: Path) -> Path:
    """A repository layout (catalogues/ + schemas/) whose one region is full of hostile text."""
    shutil.copytree(REPO / "schemas", root / "schemas")
    cats = root / "catalogues"
    cats.mkdir()
    shutil.copy(REPO / "catalogues" / "regions.csv", cats / "regions.csv")
    (cats / "laws.csv").write_text(
        "id,title,cited_as,level,issuer,region,note,deprecated\n"
        f'L0001,"{HOSTILE_LAW_TITLE}",,法律,"<i>机关</i>",,,\n', encoding="utf-8")
    folder = cats / "150000-neimenggu"
    folder.mkdir()
    (folder / "catalogue.yaml").write_text(f"""name: 150000-neimenggu
title: '{HOSTILE_TITLE}'
region: "150000"
licenses:
  - name: CC-BY-4.0
sources:
  - key: evil
    title: '文件<script>window.__pwned=7</script>'
    issuer: '<b onmouseover=alert(1)>机关</b>'
    number: '{{{{ 7*7 }}}}号'
    date: "2023-01-01"
    kind: official-text
    path: 'javascript:window.__pwned=8'
    file: ''
x-notes:
  - '<script>window.__pwned=9</script>'
resources:
  - name: duties
    path: duties.csv
    title: {json.dumps(HOSTILE_LIST_TITLE)}
    x-kind: duties
    x-source: evil
    x-completeness: {{status: complete, reported_total: null, missing: ""}}
    x-legal-basis: [L0001]
""", encoding="utf-8")
    import csv
    with open(folder / "duties.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "seq", "category", "text", "legal_basis", "legal_basis_text", "source", "note"])
        for n, text in enumerate(HOSTILE, 1):
            w.writerow([f"150000-D-{n:03d}", n, "<em>类别</em>", text, "L0001", "<u>依据</u>\n\n# 标题", "evil",
                        "备注\n\n<script>window.__pwned=10</script>"])
    return root


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("hostile")
    return _build(tmp, write_hostile_catalogue(tmp / "repo"))


@pytest.fixture(scope="session")
def server(built):
    httpd, url = _serve(built.site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def hostile_server(hostile):
    httpd, url = _serve(hostile.site)
    yield url
    httpd.shutdown()


@pytest.fixture
def page(browser, server):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    pg = context.new_page()
    watched = Watched(pg, server)
    yield watched
    context.close()
    assert not watched.problems, watched.problems
