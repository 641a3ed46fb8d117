"""Pages outside the nav written from shells (villagecat.site.shell), over worker processes, and
rebuilt incrementally by region (villagecat.site.incremental), on a generated catalogue of a few
thousand items: every page address resolves, the workers and a rebuild give the same bytes as a
full build in one process, and a failing worker fails the build."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from villagecat import synthetic
from villagecat.reader import read_catalogue
from villagecat.site import incremental, shell
from villagecat.site.build import build_site
from villagecat.site.pages import Site, all_pages, item_pages, url_of

REPO = Path(__file__).resolve().parents[2]
URL = "https://villagecat.test/"


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _build(repo: Path, out: Path, **kw):
    return build_site(out=out, catalogue=read_catalogue(str(repo), releases=False), site_url=URL, release="测试版",
                      root=REPO, **kw)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated catalogue (≈ 2,000 items) and its site, built with two workers."""
    base = tmp_path_factory.mktemp("shell")
    repo = base / "repo"
    regions, counties = synthetic.build(2000, 5)
    synthetic.write_repo(repo, regions, counties)
    out = base / "site"
    result = _build(repo, out, jobs=2, incremental=True)
    return repo, out, result


def test_every_generated_page_address_resolves(generated):
    repo, out, result = generated
    cat = read_catalogue(str(repo), releases=False)
    site = Site(cat, REPO, "测试版", URL)
    paths = [p.path for p in all_pages(site)]
    assert len(paths) == len(set(paths)) == result.pages
    assert sum(1 for _ in cat.items()) >= 1500
    missing = [p for p in paths if not shell.page_file(out, p).is_file()]
    assert missing == []
    # An item page: its own title, body, address and relative links at its depth.
    item = next(cat.items())
    html = shell.page_file(out, site.item_pages[site.key(item)]).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}items/{item.id}/">' in html
    assert html.count("<h1") == 1 and "vc-item-text" in html
    assert 'href="../../assets/villagecat.css"' in html


def test_no_shell_is_left_and_the_sitemap_lists_every_page(generated):
    repo, out, result = generated
    leftovers = [p.relative_to(out).as_posix() for p in out.rglob("*") if shell.SEGMENT in p.as_posix()]
    assert leftovers == []
    assert not any(shell.SEGMENT in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(locs) == len(set(locs))
    assert not any(shell.SEGMENT in loc for loc in locs)
    cat = read_catalogue(str(repo), releases=False)
    site = Site(cat, REPO, "测试版", URL)
    for page in item_pages(site):
        assert URL + url_of(page.path) in locs
        break
    assert len(locs) >= result.pages


def test_one_process_writes_the_same_bytes_as_two(generated, tmp_path):
    repo, out, _ = generated
    one = tmp_path / "one"
    _build(repo, one, jobs=1)
    assert _tree(one) == _tree(out)


def _reword_first_duty(repo: Path, county_folder: str) -> str:
    path = repo / "catalogues" / county_folder / "duties.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    text = rows[0].index("text")
    rows[1][text] += "（本县修订）"
    gone = rows.pop(2)[rows[0].index("id")]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return gone


def test_a_rebuild_after_one_region_changes_equals_a_full_build(generated, tmp_path):
    repo0, out0, _ = generated
    repo, out, full = tmp_path / "repo", tmp_path / "site", tmp_path / "full"
    shutil.copytree(repo0, repo)
    shutil.copytree(out0, out)
    shutil.copytree(incremental.cache_dir(out0), incremental.cache_dir(out))
    # The manifest names its output folder: a copied folder is not taken for the original.
    assert _build(repo, out, incremental=True).kept == 0
    county = sorted(p.name for p in (repo / "catalogues").iterdir() if p.is_dir())[3]
    gone = _reword_first_duty(repo, county)
    again = _build(repo, out, incremental=True)
    assert 0 < again.written < again.kept
    assert not (out / "items" / gone).exists()
    _build(repo, full, incremental=False)
    assert _tree(out) == _tree(full)
    assert not incremental.cache_dir(full).exists()  # a full build keeps no manifest


def test_a_rebuild_rewrites_only_the_listing_parts_that_show_the_changed_county(generated, tmp_path, monkeypatch):
    """Split listings (laws, comparisons, “不得”, signs, statistics): the part pages for another
    province are kept; those whose part holds the county are rewritten; the bytes equal a full build."""
    from villagecat.site import pages

    monkeypatch.setattr(pages.Site, "limits", pages.Limits(items=60, regions=4, bars=4))
    repo0, _, _ = generated
    repo, out, full = tmp_path / "repo", tmp_path / "site", tmp_path / "full"
    shutil.copytree(repo0, repo)
    first = _build(repo, out, jobs=2, incremental=True)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("index.html")}
    county = sorted(p.name for p in (repo / "catalogues").iterdir() if p.is_dir())[3]
    code = county.split("-", 1)[0]
    _reword_first_duty(repo, county)
    again = _build(repo, out, jobs=2, incremental=True)
    _build(repo, full, incremental=False)
    assert _tree(out) == _tree(full)
    site = Site(read_catalogue(str(repo), releases=False), REPO, "测试版", URL)
    parts = [p for p in pages.listing_pages(site) if p.scope is not None]
    showing = [p for p in parts if code in p.scope[1]]
    others = [p for p in parts if code not in p.scope[1]]
    assert {p.path.split("/", 1)[0] for p in parts} >= {"laws", "compare", "must-not", "statistics"}
    assert showing and len(others) > len(showing)

    def rewritten(page):
        path = shell.page_file(out, page.path)
        return path.stat().st_mtime_ns != stamps[path]

    assert all(rewritten(p) for p in showing)
    assert not any(rewritten(p) for p in others)
    assert again.written < first.written / 5


def test_a_part_page_without_a_digest_for_each_of_its_regions_is_always_rewritten():
    scope = (["law", "L0001", "laws/L0001/110000.md"], ["110000", "110101"])
    one = incremental.page_digest(scope, {"110000": "a", "110101": "b"})
    assert one and one == incremental.page_digest(scope, {"110000": "a", "110101": "b"})
    assert one != incremental.page_digest(scope, {"110000": "a", "110101": "c"})
    assert incremental.page_digest(scope, {"110000": "a"}) is None
    assert incremental.page_digest(scope, {"110000": "a", "110101": None}) is None
    assert incremental.page_digest((["law"], []), {}) is None


def test_a_change_every_page_shows_rewrites_every_page(generated, tmp_path):
    repo0, _, _ = generated
    repo, out = tmp_path / "repo", tmp_path / "site"
    shutil.copytree(repo0, repo)
    first = _build(repo, out, incremental=True)
    assert first.kept == 0
    same = _build(repo, out, incremental=True)  # nothing changed: only the pages of no region are written
    assert same.kept + same.written == first.written and 0 < same.written < first.written / 10
    laws = repo / "catalogues" / "laws.csv"
    laws.write_text(laws.read_text(encoding="utf-8").replace("中华人民共和国", "中华人民共和国 ", 1), encoding="utf-8")
    third = _build(repo, out, incremental=True)
    assert third.kept == 0 and third.written == first.written


def test_a_change_every_page_shows_writes_over_the_previous_pages_and_removes_the_stale(generated, tmp_path):
    """A new global digest (here a law reworded) with a county gone: every page is written again over
    the previous build's files, none of which is deleted first but those no page has now; the site
    equals a full build into a new folder."""
    repo0, _, _ = generated
    repo, out, full = tmp_path / "repo", tmp_path / "site", tmp_path / "full"
    shutil.copytree(repo0, repo)
    _build(repo, out, incremental=True)
    county = sorted(p.name for p in (repo / "catalogues").iterdir() if p.is_dir())[-1]
    first_id = next(csv.DictReader(open(repo / "catalogues" / county / "duties.csv", encoding="utf-8")))["id"]
    shutil.rmtree(repo / "catalogues" / county)
    rows = list(csv.reader(open(repo / "catalogues" / "regions.csv", encoding="utf-8")))
    with open(repo / "catalogues" / "regions.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(r for r in rows if r[0] != county.split("-")[0])
    laws = repo / "catalogues" / "laws.csv"
    laws.write_text(laws.read_text(encoding="utf-8").replace("中华人民共和国", "中华人民共和国 ", 1), encoding="utf-8")
    kept_page = out / "items" / next(p.name for p in sorted((out / "items").iterdir()) if p.name != first_id) / "index.html"
    inode = kept_page.stat().st_ino
    again = _build(repo, out, incremental=True)
    assert again.kept == 0
    assert kept_page.stat().st_ino == inode  # written over, not deleted and made again
    assert not (out / "items" / first_id).exists()
    _build(repo, full, incremental=False)
    assert _tree(out) == _tree(full)


def test_a_failing_worker_fails_the_build_and_forgets_the_manifest(generated, tmp_path, monkeypatch):
    from villagecat.site import pages

    repo, _, _ = generated
    out = tmp_path / "site"
    real = pages.Page.render

    def render(self, templates=None):
        if self.path.startswith("items/") and self.path.endswith("-D-002.md"):
            raise RuntimeError("模板出错 / template broke")
        return real(self, templates)

    monkeypatch.setattr(pages.Page, "render", render)
    with pytest.raises(shell.WriterFailed, match="template broke"):
        _build(repo, out, jobs=2, incremental=True)
    assert not incremental.cache_dir(out).exists()


def test_shell_parse_and_fill():
    depth = 2
    url = url_of(shell.shell_path(depth))
    html = (f"<html><title>{shell.TITLE} - x</title>\n      <link rel=canonical href=\"https://a.test/{url}\">"
            f"<main>\n\n    {shell.BODY}</main></html>")
    s = shell.Shell.parse(html, depth)
    page = s.fill('a<b>&"c', "<h1>t</h1><p>body</p>", "items/X-1/")
    assert page == ('<html><title>a&lt;b&gt;&amp;&#34;c - x</title>\n<link rel=canonical href="https://a.test/items/X-1/">'
                    "<main>\n<h1>t</h1><p>body</p></main></html>")
    # A body without a heading gets the title as one, as the theme does.
    assert "<h1>a&lt;b&gt;&amp;&#34;c</h1>\n<p>no heading</p>" in s.fill('a<b>&"c', "<p>no heading</p>", "items/X-1/")
    with pytest.raises(ValueError):
        shell.Shell.parse("<html>no placeholders</html>", depth)
    with pytest.raises(ValueError):  # the shell's address in a form that would not be replaced
        shell.Shell.parse(f"{shell.TITLE}{shell.BODY}{shell.SEGMENT}-other", depth)


def test_province_shards_merge_into_the_full_site(generated, tmp_path):
    repo, out, result = generated
    provinces = sorted({p.name[:2] for p in (repo / "catalogues").iterdir() if p.is_dir() and p.name[:1].isdigit()})
    assert len(provinces) >= 3
    shards = []
    for code in provinces[:-1]:  # the last province is left to the merge step itself
        shard = tmp_path / f"shard-{code}"
        r = _build(repo, shard, shard=code)
        assert r.search_bytes == 0 and not (shard / "searchindex").exists()
        assert all(p.name.startswith(code) for p in (shard / "regions").iterdir() if p.is_dir())
        shards.append(shard)
    other = tmp_path / "shard-other-release"
    build_site(out=other, catalogue=read_catalogue(str(repo), releases=False), site_url=URL, release="另一版本",
               root=REPO, shard=provinces[0])
    merged = tmp_path / "merged"
    m = _build(repo, merged, merge=shards + [other])
    assert m.refused == [str(other)]  # built with another release label: its pages are not taken
    assert 0 < m.merged < result.pages and m.written > 0
    assert _tree(merged) == _tree(out)


def test_the_main_process_keeps_the_pages_of_no_region_only_while_the_writers_have_more():
    """Full build: the main process writes the pages of no region (with the search index: both read
    every item, so one process copies the catalogue's memory instead of two). A rebuild of one
    county: they go to a writer, so that they are written alongside the index, not after it."""
    from villagecat.site import incremental, plugin

    rest = (incremental.REST, 300, lambda: iter(()))
    part = (incremental.PAGE + "laws/L0001/110000.md", 1, lambda: iter(()))
    regions = [(f"{n:06d}", 200, lambda: iter(())) for n in range(3)]
    assert plugin._kept_here([rest] + regions, jobs=2) == [rest]
    assert plugin._kept_here([rest, part] + regions, jobs=2) == [rest, part]
    assert plugin._kept_here([part, regions[0]], jobs=2) == [part]
    parts = [(incremental.PAGE + f"laws/L{n:04d}/110000.md", 1, lambda: iter(())) for n in range(300)]
    assert plugin._kept_here(parts + [regions[0]], jobs=2) == []  # a rebuild: many parts, one county
    assert plugin._kept_here([rest, regions[0]], jobs=2) == []
    assert plugin._kept_here([rest] + regions, jobs=1) == []
    assert plugin._kept_here(regions, jobs=2) == []
