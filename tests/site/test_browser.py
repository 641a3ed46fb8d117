"""Acceptance in headless Chromium: the paths a villager and an official take, with no console
error and no request leaving the site (the `page` fixture fails the test on either)."""

from __future__ import annotations

import pytest

from villagecat.site import facts

from conftest import HOSTILE, HOSTILE_LAW_TITLE, HOSTILE_LIST_TITLE

pytestmark = pytest.mark.browser


def test_home_to_neimenggu_duties_to_item(page, server):
    pg = page.page
    pg.goto(server)
    assert pg.locator("h1").first.inner_text().startswith("村级组织工作事务")
    pg.get_by_role("link", name="内蒙古自治区").first.click()
    pg.wait_for_url("**/regions/150000/")
    pg.get_by_role("link", name="内蒙古自治区村级组织依法履行职责工作事项指导目录").first.click()
    pg.wait_for_url("**/regions/150000/duties/")
    assert pg.locator("table th[scope=col]").first.is_visible()
    pg.get_by_role("link", name="150000-D-020", exact=True).click()
    pg.wait_for_url("**/items/150000-D-020/")


def test_item_by_address_and_copy_citation(page, server, catalogue):
    pg = page.page
    pg.goto(server + "items/150000-D-020/")
    item = catalogue.item_index()["150000-D-020"]
    assert pg.locator(".vc-item-text").inner_text() == item.text
    cite = pg.locator("#vc-cite-text").inner_text()
    assert "150000-D-020" in cite and "items/150000-D-020/" in cite and "第20项" in cite
    pg.get_by_role("button", name="复制引用").click()
    pg.wait_for_function("() => window.__vcLastCopied !== undefined")
    copied = pg.evaluate("() => navigator.clipboard.readText()")
    assert copied == pg.evaluate("() => window.__vcLastCopied") == pg.locator("#vc-cite-text").text_content()
    assert pg.locator(".vc-copy-status").inner_text() == "已复制到剪贴板"


def test_citation_readable_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "items/150000-D-020/")
    assert "150000-D-020" in pg.locator("#vc-cite-text").inner_text()
    assert not pg.get_by_role("button", name="复制引用").is_visible()
    context.close()


def test_negative_certificate_item_says_what_to_do(page, server, catalogue):
    item = next(i for i in catalogue.items() if i.kind == "negative-certificates")
    page.page.goto(server + f"items/{item.id}/")
    assert facts.OPINIONS_SECTION_8 in page.page.locator(".vc-advice").inner_text()


@pytest.mark.parametrize("path", ["", "regions/", "regions/140404/", "regions/150000/duties/", "must-not/", "laws/",
                                  "laws/L0002/", "compare/", "compare/duties/", "statistics/", "signs/",
                                  "data-dictionary/", "errors/", "about/", "cite/", "contribute/", "search/"])
def test_pages_open_without_console_errors(page, server, path):
    page.page.goto(server + path)
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("h1").count() == 1


def test_wide_tables_scroll_inside_their_box_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(server + "compare/duties/")
    page_width = pg.evaluate("() => document.documentElement.scrollWidth")
    box = pg.locator(".vc-scroll").first
    assert page_width <= 400
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    context.close()


def test_hostile_fixture_runs_nothing(browser, hostile_server):
    context = browser.new_context()
    pg = context.new_page()
    dialogs, errors = [], []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    for n, text in enumerate(HOSTILE, 1):
        pg.goto(hostile_server + f"items/150000-D-{n:03d}/")
        assert pg.locator(".vc-item-text").inner_text() == text
        pg.locator("article a").first.hover()  # (the first link of a page is the off-screen skip link)
        assert pg.evaluate("() => window.__pwned") is None
    for path in ["", "regions/150000/", "regions/150000/duties/", "must-not/", "laws/L0001/", "compare/duties/"]:
        pg.goto(hostile_server + path)
        pg.wait_for_load_state("load")
        assert pg.evaluate("() => window.__pwned") is None, path
        assert pg.locator("article [onfocus], article [autofocus], article [onmouseover]").count() == 0, path
    # Titles with a DEL or C1 control (issue 8) read as literal text, in the page and its <title>.
    pg.goto(hostile_server + f"items/150000-D-{len(HOSTILE):03d}/")
    assert pg.locator("h1").first.inner_text() == HOSTILE[-1][:40] + "…"
    assert pg.title().startswith("[x](#){:autofocus onfocus=alert(1)}")  # (the browser shows DEL as a space)
    pg.goto(hostile_server + "regions/150000/duties/")
    assert pg.locator("article h1").first.inner_text() == HOSTILE_LIST_TITLE
    assert pg.title().startswith("清单") and "[y](#){: autofocus onfocus=alert(2)}" in pg.title()
    pg.goto(hostile_server + "laws/L0001/")
    assert pg.locator("article h1").first.inner_text() == f"《{HOSTILE_LAW_TITLE}》"
    pg.goto(hostile_server + "search/?q=事项")
    pg.wait_for_selector(".vc-result")
    assert pg.evaluate("() => window.__pwned") is None
    # Data reaches the search results as text: the hostile markup is shown, never parsed.
    shown = pg.locator(".vc-result-text").all_inner_texts()
    assert sorted(shown) == sorted(HOSTILE)
    assert pg.locator(".vc-result img, .vc-result script, .vc-result b, .vc-result em").count() == 0
    assert HOSTILE_LIST_TITLE in pg.locator(".vc-result-list-title").all_inner_texts()
    assert dialogs == [] and errors == []
    context.close()
