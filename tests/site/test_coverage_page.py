"""The coverage page and the notice every partial list carries (issue: coverage)."""

from __future__ import annotations

import pytest

from villagecat.coverage import coverage


def test_coverage_page_matrix_matches_the_model(built, catalogue):
    html = (built.site / "coverage" / "index.html").read_text(encoding="utf-8")
    cov = coverage(catalogue)
    for c in cov.cells:
        if c.status in ("complete", "partial", "examples"):
            assert c.label in html, (c.region, c.kind, c.label)
    assert "部分 7/9" in html  # 山西 burden-reduction prohibitions: 7 of 9
    assert "已知文件登记表" in html and "K001" in html


def test_every_page_showing_partial_items_has_the_notice(built, catalogue):
    partial = [l for l in catalogue.lists() if l.status in ("partial", "examples")]
    assert partial
    for lst in partial:
        pages = [built.site / "regions" / lst.region / lst.kind / "index.html",
                 built.site / "regions" / lst.region / "index.html"]
        pages += [built.site / "items" / item.id / "index.html" for item in lst.items]
        for page in pages:
            assert "本清单不完整" in page.read_text(encoding="utf-8"), page
    complete = next(l for l in catalogue.lists() if l.status == "complete")
    assert "本清单不完整" not in (built.site / "items" / complete.items[0].id / "index.html").read_text(encoding="utf-8")


def test_region_page_says_what_is_missing_and_how_to_contribute(built):
    html = (built.site / "regions" / "140000" / "index.html").read_text(encoding="utf-8")
    assert "本地区缺少什么" in html and "已知未录入" in html and "contribute/" in html


@pytest.mark.browser
def test_coverage_page_renders_and_partial_notice_shows(page, server):
    pg = page.page
    pg.goto(server + "coverage/")
    assert pg.locator("h1").first.inner_text() == "收录情况"
    assert pg.locator("table.vc-coverage tbody tr").count() > 5
    assert pg.locator("figure svg").first.is_visible()
    pg.get_by_role("link", name="部分 7/9").click()
    pg.wait_for_url("**/regions/140000/prohibitions/")
    notice = pg.locator(".vc-partial").first
    assert notice.is_visible()
    assert "本清单不完整" in notice.inner_text() and "源文件共 9 条" in notice.inner_text()


def test_coverage_follows_each_catalogue_in_one_process(catalogue):
    """Different catalogues made one after the other in one process each get their own coverage.
    A cache keyed by id(catalogue) gave a catalogue the previous one's matrix whenever Python
    reused the freed catalogue's address (200 of 200 runs of two builds); here 200 catalogues,
    alternately with and without a known list, each dropped before the next is made, which
    reuses addresses often enough that the old cache failed this test in every run tried."""
    from villagecat.model import Catalogue, Region, Table
    from villagecat.site import pages

    from conftest import REPO

    def small(n):
        cat = Catalogue(f"t{n}")
        cat.regions.update({"000000": Region("000000", "全国", "national", folder="000000-quanguo"),
                            "150000": Region("150000", "内蒙古自治区", "province", "000000")})
        if n % 2:  # every other catalogue knows of a duties list of 内蒙古
            cat.tables["known-documents"] = Table("k", rows=[{"id": "K1", "region": "150000", "title": "甲文件",
                                                              "status": "known", "kinds": "duties", "catalogue": ""}])
        return cat

    def matrix(cov):
        return sorted((c.region, c.kind, c.status, c.label) for c in cov.cells)

    assert matrix(coverage(small(0))) != matrix(coverage(small(1)))  # the two kinds of catalogue differ
    first = pages.Site(catalogue, REPO, "a", "https://e.org/")
    assert matrix(pages.coverage_of(first)) == matrix(coverage(catalogue))
    assert pages.coverage_of(first) is pages.coverage_of(first)  # computed once per site
    wrong = []
    for n in range(200):
        site = pages.Site(small(n), REPO, "b", "https://e.org/")
        if matrix(pages.coverage_of(site)) != matrix(coverage(site.cat)):
            wrong.append(n)
        del site
    assert wrong == []
