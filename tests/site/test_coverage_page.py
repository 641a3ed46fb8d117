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
