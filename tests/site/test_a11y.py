"""The public site on a phone and by keyboard (issue 12), in headless Chromium.

- Every generated page at 360 px: the page never scrolls sideways and nothing sticks out of the
  screen, except inside a table's own scroll box. One browser context visits the pages in a loop.
  The real catalogue has ≈ 450 pages (≈ 50 s here): every one is checked. Past ``FULL_LIMIT`` pages
  (a generated national catalogue) every page that is not an item page is checked and a seeded
  sample of ``ITEM_SAMPLE`` item pages (all of them with ``VILLAGECAT_ALL_PAGES=1``).
- axe-core (bundled by the pinned axe-playwright-python) on every page type at 360 and 1280 px:
  no serious or critical violation.
- Tab order: a skip link first, the search box within three Tab presses; a visible focus ring;
  nothing inside the closed navigation drawer takes focus.
"""

from __future__ import annotations

import os
import random

import pytest

from browser_support import OVERFLOW_JS, axe_script, axe_serious

pytestmark = pytest.mark.browser

FULL_LIMIT = 2000  # the real catalogue (≈ 450 pages) is checked page by page, every one
ITEM_SAMPLE = 60
PAGE_TYPES = {"home": "", "region": "regions/150000/", "list": "regions/150000/duties/", "item": "items/150000-D-020/",
              "law": "laws/L0002/", "must-not": "must-not/", "compare": "compare/duties/", "statistics": "statistics/",
              "signs": "signs/", "coverage": "coverage/", "downloads": "downloads/", "releases": "releases/",
              "search with results": "search/?q=证明", "404": "no-such-page/"}


def _pages(site) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    if len(pages) <= FULL_LIMIT or os.environ.get("VILLAGECAT_ALL_PAGES"):
        return pages
    items = [p for p in pages if p.startswith("items/")]
    return [p for p in pages if not p.startswith("items/")] + random.Random(12).sample(items, min(ITEM_SAMPLE, len(items)))


def test_no_page_scrolls_sideways_on_a_phone(browser, built, server):
    pages = _pages(built.site)
    assert len(pages) > 100
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    bad = []
    try:
        for path in pages:
            page.goto(server + path, wait_until="domcontentloaded")
            got = page.evaluate(OVERFLOW_JS)
            if got["scroll"] > got["width"] or got["wide"]:
                bad.append(f"{path or '/'}: page {got['scroll']} px wide; {got['wide']}")
    finally:
        context.close()
    assert not bad, "\n".join(bad)


def test_item_tables_are_cards_with_the_text_first_on_a_phone(browser, server, catalogue):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "regions/150000/duties/")
    row = page.locator("table.vc-cards tbody tr").first
    first = catalogue.regions["150000"].lists["duties"].items[0]
    cells = row.locator("th, td")
    assert cells.first.inner_text() == first.text
    text_box = cells.first.bounding_box()
    assert text_box["width"] > 300  # the text gets the width of the card
    assert row.locator("td").first.bounding_box()["y"] > text_box["y"]  # number, category, basis below it
    assert row.locator("td").first.evaluate("el => getComputedStyle(el, '::before').content").startswith('"序号')
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_serious_violation_on_any_page_type(browser, server, width):
    script = axe_script()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = []
    try:
        for name, path in PAGE_TYPES.items():
            page.goto(server + path)
            page.wait_for_load_state("load")
            if path.startswith("search/"):
                page.wait_for_selector(".vc-result")
            found += [f"{name} ({path or '/'}) at {width}: {v}" for v in axe_serious(page, script)]
    finally:
        context.close()
    assert not found, "\n".join(found)


def _tab_to_search(page, max_presses=3) -> int:
    for n in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.type === 'search'"):
            return n
    return 0


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["", "items/150000-D-020/", "regions/150000/duties/"])
def test_skip_link_first_and_search_within_three_tabs(browser, server, width, path):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(server + path)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "跳到正文"
    assert page.locator(".vc-skip").is_visible()  # shown when focused
    page.goto(server + path)
    presses = _tab_to_search(page)
    assert presses and presses <= 3, f"search box not reached in 3 Tab presses on /{path} at {width}px"
    page.keyboard.type("证明")
    page.keyboard.press("Enter")
    page.wait_for_selector(".vc-result")
    assert "/search/" in page.url
    context.close()


def test_skip_link_moves_focus_to_the_content(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "regions/150000/duties/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside the page's content, not the header or the nav
    assert page.evaluate("() => !!document.activeElement.closest('.md-content')")
    context.close()


@pytest.mark.parametrize("path", ["", "items/150000-D-020/", "search/"])
def test_every_control_shows_a_focus_ring(browser, server, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + path)
    unringed = []
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const e = document.activeElement; if (!e || e === document.body) return null;
            const s = getComputedStyle(e); return [e.tagName + '.' + e.className, s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
        if style is None:
            break
        name, outline, width, shadow = style
        if (outline == "none" or width == "0px") and shadow == "none":
            unringed.append(name)
    context.close()
    assert not unringed, unringed


def test_closed_drawer_takes_no_focus_and_opens_by_keyboard(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "regions/150000/")
    for _ in range(25):
        page.keyboard.press("Tab")
        assert not page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    page.goto(server + "regions/150000/")
    button = page.locator("label.vc-drawer-button")
    assert button.get_attribute("role") == "button" and button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary')")
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('vc-drawer-button')")
    context.close()


def test_404_page_is_the_sites_own_in_chinese(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "404.html")
    assert page.locator("article h1").inner_text() == "找不到这个页面"
    assert "Not found" not in page.content()
    context.close()
