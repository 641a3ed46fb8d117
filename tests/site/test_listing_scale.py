"""Listing pages at size: on a generated catalogue (``villagecat.synthetic``, ≈ 20k items) every
listing page stays within ``pages.PAGE_BYTES``, every link between generated pages lands on a page
that exists, nothing is lost by splitting a listing by region, and a catalogue under the limits
keeps exactly the pages (and addresses) it always had. No timed assertions."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from villagecat import synthetic
from villagecat.reader import read_catalogue
from villagecat.site import facts, pages
from villagecat.site.html import rel

from conftest import REPO

ITEMS = 20_000
# Lower limits: provinces split into prefectures, laws into provinces and prefectures, the
# coverage table and statistics chart into provinces, on the same catalogue.
LOW = pages.Limits(items=120, regions=12, bars=6)
HOSTILE_NAME = '<script>window.__pwned=1</script>省"><img src=x onerror=alert(1)>'
# The families split by region: their root page (its address never changes) and the folder of its parts.
FAMILIES = {"must-not.md": "must-not/", "statistics.md": "statistics/", "signs.md": "signs/",
            "regions/index.md": "regions/in/"}


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v is not None]


def hrefs(html: str) -> list[str]:
    p = _Hrefs()
    p.feed(html)
    return p.hrefs


def resolve(page_path: str, href: str) -> str | None:
    """The site-relative directory URL an href of the page at ``page_path`` points to (None: outside)."""
    if re.match(r"^[a-z]+:", href) or href.startswith("#"):
        return None
    href = href.partition("#")[0]
    base = pages.url_of(page_path)
    parts = [p for p in base.split("/") if p][:]
    for seg in href.split("/"):
        if seg == "..":
            assert parts, (page_path, href)
            parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts) + ("/" if parts else "")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("listings") / "repo"
    regions, counties = synthetic.build(ITEMS, seed=7)
    synthetic.write_repo(root, regions, counties)
    return root


@pytest.fixture(scope="module")
def cat(generated):
    cat = read_catalogue(str(generated))
    cat.regions["130000"].name = HOSTILE_NAME  # data reaches the split pages' headings and trails
    return cat


@pytest.fixture(scope="module")
def rendered(cat, generated):
    """Every listing page at the default limits: path → (page, body)."""
    site = pages.Site(cat, generated, "t", "https://x.test/")
    return site, {p.path: (p, p.render()) for p in _listings(site)}


@pytest.fixture(scope="module")
def rendered_low(cat, generated):
    """The split listings at lower limits, rendered (region and list pages do not depend on the
    limits; of the law pages, only the most used law's)."""
    site = pages.Site(cat, generated, "t", "https://x.test/")
    site.limits = LOW
    law = pages.law_path(max(site.law_uses.items(), key=lambda kv: len(kv[1].items))[0])
    out = {}
    for p in _listings(site):
        skip = p.template in ("pages/region.html", "pages/list.html") or (
            p.template == "pages/law.html" and p.path != law and not p.path.startswith(law[:-3] + "/"))
        out[p.path] = (p, None if skip else p.render())
    return site, out


def _listings(site) -> list:
    """Every generated page but the items': the listing pages and each region's own pages."""
    return pages.listing_pages(site) + [p for r in site.cat.catalogued_regions() for p in pages.region_pages(site, r)]


def known_urls(site, listing) -> set[str]:
    docs = {pages.url_of(p.relative_to(REPO / "docs").as_posix()) for p in (REPO / "docs").rglob("*.md")}
    return ({pages.url_of(path) for path in listing} | {pages.url_of(p) for p in site.item_pages.values()}
            | docs | {"downloads/", "contribute/", "cite/", "search/"})


@pytest.mark.parametrize("which", ["rendered", "rendered_low"])
def test_every_listing_page_is_bounded_and_links_to_pages_that_exist(which, request):
    site, listing = request.getfixturevalue(which)
    urls = known_urls(site, listing)
    assert len(site.cat.catalogued_regions()) > 100  # a catalogue well past the real one
    for path, (page, html) in listing.items():
        if html is None:
            continue
        assert len(html.encode("utf-8")) <= pages.PAGE_BYTES, (path, len(html.encode("utf-8")))
        for href in hrefs(html):
            target = resolve(path, href)
            assert target is None or target in urls, (path, href, target)
        assert "<script>window.__pwned" not in html, path


def test_the_whole_listings_are_split_at_this_size(rendered):
    site, listing = rendered
    for root, folder in FAMILIES.items():
        page, html = listing[root]
        assert page.values()["part"] and page.values()["part"]["split"], root
        parts = [p for p in listing if p.startswith(folder)]
        assert parts, root
        assert all(re.fullmatch(re.escape(folder) + r"[0-9]{6}\.md", p) for p in parts), root
        assert "../downloads/" in html or 'href="downloads/"' in html, root
    compare = listing["compare/duties.md"][0]
    assert compare.values()["part"]["split"] and not compare.values()["table"]
    for path, (page, html) in listing.items():
        part = page.values().get("part")
        if part and part["label"]:  # a part below the top: where it is, and where the whole data is
            assert part["trail"] and "下载页" in html and "本页只列出" in html, path
    # The home page names no list of a county: it links each province's regions page.
    home = listing["index.md"][1]
    assert "regions/in/130000/" in home
    assert not any(f"regions/{r.adcode}/" in home for r in site.cat.catalogued_regions())


def _items_on(listing, prefix_pages, site) -> dict[str, set[str]]:
    """For each item page URL, the pages (of the given family) linking it."""
    item_urls = {pages.url_of(p) for p in site.item_pages.values()}
    on = defaultdict(set)
    for path in prefix_pages:
        html = listing[path][1]
        for href in hrefs(html):
            target = resolve(path, href)
            if target in item_urls:
                on[target].add(path)
    return on


@pytest.mark.parametrize("which", ["rendered", "rendered_low"])
def test_splitting_loses_nothing(which, request):
    """Each item a whole listing would show is on exactly one page of the split listing."""
    site, listing = request.getfixturevalue(which)
    cat = site.cat

    def url(item):
        return pages.url_of(site.item_pages[site.key(item)])

    for kind in ("duties", "signs"):
        family = [p for p in listing if p == pages.compare_path(kind) or p.startswith(f"compare/{kind}/")]
        on = _items_on(listing, family, site)
        expected = {url(i) for r in cat.catalogued_regions() if kind in r.lists for i in r.lists[kind].items}
        assert set(on) == expected and all(len(v) == 1 for v in on.values()), kind
    family = [p for p in listing if p == "must-not.md" or p.startswith("must-not/")]
    on = _items_on(listing, family, site)
    expected = {url(i) for lst in facts.must_not(cat) for i in lst.items}
    assert set(on) == expected and all(len(v) == 1 for v in on.values())
    law, use = max(site.law_uses.items(), key=lambda kv: len(kv[1].items))
    family = [p for p in listing if p == pages.law_path(law) or p.startswith(pages.law_path(law)[:-3] + "/")]
    assert len(family) > 1 and len(use.items) > site.limits.items
    on = _items_on(listing, family, site)
    expected = {url(i) for i in use.items} | {url(i) for l in use.lists for i in l.items}
    assert set(on) == expected and all(len(v) == 1 for v in on.values())
    assert listing[pages.law_path(law)][0].values()["total"] == len(expected)


def test_split_listings_make_their_values_only_when_rendered(rendered_low):
    """The pages of a split listing (laws, comparisons …) carry a function for their values, not the
    values: a national build holds every listing page's address at once, but their rows only one
    page at a time, where the page is written (maintainers/site-build.md)."""
    site, listing = rendered_low
    split = [p for p, _ in listing.values() if p.template in ("pages/law.html", "pages/compare.html", "pages/statistics.html")]
    assert split and all(callable(p.context) for p in split)
    page, body = next((p, b) for p, b in listing.values() if p.template == "pages/compare.html" and b)
    first, again = page.values(), page.values()
    assert first is not again and first == again and page.render() == body


def test_statistics_charts_stay_small_and_add_up(rendered, rendered_low):
    for site, listing in (rendered, rendered_low):
        stats = [p for path, (p, _) in listing.items() if path == "statistics.md" or path.startswith("statistics/")]
        for page in stats:
            bars = page.values()["by_region"]["bars"]
            assert len(bars) <= max(site.limits.bars, 40), page.path
        top = listing["statistics.md"][0]
        assert len(top.values()["by_region"]["bars"]) == 31  # a bar per province
        assert top.values()["rows"][-1][-1] == site.cat.stats()["items"]
        # A split page's table: every region's items counted once, in its own row or its part's.
        for page in stats:
            assert sum(r[-1] for r in page.values()["rows"][:-1]) == page.values()["rows"][-1][-1], page.path


def test_lower_limits_split_provinces_into_prefectures(rendered_low):
    site, listing = rendered_low
    prefecture = [p for p in listing if re.fullmatch(r"compare/duties/[0-9]{2}(?!00)[0-9]{2}00\.md", p)]
    assert prefecture  # a province too big for one page is split into its prefectures
    page, html = listing[prefecture[0]]
    assert len(page.values()["part"]["trail"]) == 2  # 全国 › the province › this prefecture
    assert HOSTILE_NAME not in html
    # The coverage table, a row per region, splits past ``limits.regions`` rows.
    cov = listing["coverage.md"][0]
    assert cov.values()["part"]["split"] and len(cov.values()["parts"]) == 31 and not cov.values()["rows"]


def _unsplit_paths(cat) -> set[str]:
    """The listing pages a catalogue under the limits has always had (before listings were split)."""
    fixed = {"index.md", "regions/index.md", "must-not.md", "laws/index.md", "compare/index.md", "statistics.md",
             "signs.md", "coverage.md", "data-dictionary.md", "errors.md", "releases.md"}
    fixed |= {pages.region_path(r.adcode) for r in cat.catalogued_regions()}
    fixed |= {pages.list_path(l) for l in cat.lists()}
    fixed |= {pages.law_path(lid) for lid in cat.laws}
    fixed |= {pages.compare_path(k) for k in facts.kind_totals(cat)}
    return fixed


def test_a_catalogue_under_the_limits_keeps_its_pages(tmp_path):
    """The repository's catalogue and a small generated one: the same pages at the same addresses,
    none of them split or announcing a part."""
    regions, counties = synthetic.build(1_500, seed=3)
    synthetic.write_repo(tmp_path / "small", regions, counties)
    for root in (REPO, tmp_path / "small"):
        cat = read_catalogue(str(root))
        site = pages.Site(cat, root, "t", "https://x.test/")
        listing = _listings(site)
        assert [p.path for p in listing if p.path in ("index.md", "regions/index.md")] == ["index.md", "regions/index.md"]
        assert {p.path for p in listing} == _unsplit_paths(cat), root
        assert len(listing) == len({p.path for p in listing})
        for p in listing:
            assert not p.values().get("part") and not p.values().get("parts"), p.path
        home = next(p for p in listing if p.path == "index.md").render()
        for lst in cat.lists():  # the home page still names every list
            assert rel("", pages.url_of(pages.list_path(lst))) in home


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """A small generated catalogue built (mkdocs and all) with limits so low that every listing
    splits down to counties: the pages of split listings as a browser gets them."""
    from browser_support import serve_folder
    from villagecat.site.build import build_site

    tmp = tmp_path_factory.mktemp("split-site")
    regions, counties = synthetic.build(3_000, seed=5)
    synthetic.write_repo(tmp / "repo", regions, counties)
    saved = pages.Site.limits
    pages.Site.limits = pages.Limits(items=40, regions=4, bars=4)
    try:
        build_site(out=tmp / "site", catalogue=tmp / "repo", site_url="https://villagecat.test/", release="测试版",
                   work=tmp / "work", root=REPO)
    finally:
        pages.Site.limits = saved
    httpd, url = serve_folder(tmp / "site")
    yield tmp / "site", url
    httpd.shutdown()


SPLIT = re.compile(r"^(regions/in|must-not|statistics|signs|coverage|compare/[a-z-]+|laws/[^/]+)/[0-9]{6}/$")


@pytest.mark.browser
def test_split_listing_pages_fit_a_phone_and_pass_axe(browser, split_site):
    from browser_support import OVERFLOW_JS, axe_script, axe_serious

    site, url = split_site
    built = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    split = [p for p in built if SPLIT.match(p)]
    assert {p.split("/")[0] for p in split} >= {"regions", "must-not", "statistics", "signs", "coverage", "compare", "laws"}
    roots = ["", "regions/", "must-not/", "statistics/", "signs/", "coverage/", "compare/duties/"]
    # Every split page of the listings with few pages, a sample of the law and comparison parts.
    few = [p for p in split if not p.startswith(("laws/", "compare/"))]
    sample = roots + few + random.Random(3).sample([p for p in split if p not in few], 30)
    deepest = max(split, key=lambda p: (p.count("/"), p))
    script = axe_script()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    bad = []
    try:
        for path in sample:
            page.goto(url + path, wait_until="domcontentloaded")
            got = page.evaluate(OVERFLOW_JS)
            if got["scroll"] > got["width"] or got["wide"]:
                bad.append(f"{path or '/'}: page {got['scroll']} px wide; {got['wide']}")
        for path in ["compare/duties/", "statistics/", deepest, next(p for p in split if p.startswith("laws/"))]:
            page.goto(url + path)
            page.wait_for_load_state("load")
            bad += [f"axe {path}: {v}" for v in axe_serious(page, script)]
        # The trail leads back up, the downloads link resolves.
        page.goto(url + next(p for p in split if p.startswith("compare/duties/")))
        page.locator(".vc-trail a").first.click()
        assert page.url == url + "compare/duties/"
        page.locator(".vc-part a", has_text="下载页").click()
        assert page.url == url + "downloads/"
    finally:
        context.close()
    assert not bad, "\n".join(bad)
