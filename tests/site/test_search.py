"""Chinese search on the built site: the real queries must find the items containing them.

The floor figures below are what docs/search.md reports; a change that loses hits fails here.
"""

from __future__ import annotations

import pytest

from villagecat.site import search

# Measured with Pagefind 1.5.2 extended on this catalogue (docs/search.md): every query finds
# every item that contains it. The ranking floor leaves room for new items that share a word.
MIN_RECALL = 1.0
MIN_TOP_PRECISION = 0.6


def test_every_query_has_items_to_find(catalogue):
    for q in search.QUERIES:
        assert search.expected_items(catalogue, q), f"no item contains {q}: pick another real query"


@pytest.mark.browser
def test_recall_of_real_queries(page, server, catalogue):
    figures = search.measure(catalogue, lambda q: search.pagefind_results(page.page, server, q))
    for q, f in figures.items():
        assert f["recall"] >= MIN_RECALL, (q, f)
        assert f["top_precision"] >= MIN_TOP_PRECISION, (q, f)


@pytest.mark.browser
@pytest.mark.parametrize("query", search.QUERIES)
def test_search_page_shows_expected_items(page, server, catalogue, query):
    """Through the UI a person uses: type into the box, see the items."""
    pg = page.page
    pg.goto(server + "search/")
    box = pg.locator(".pagefind-ui__search-input")
    box.wait_for()
    box.click()
    pg.keyboard.type(query)
    pg.wait_for_selector(".pagefind-ui__result-link")
    pg.wait_for_function("() => !document.querySelector('.pagefind-ui__message')?.textContent.includes('…')")
    expected = search.expected_items(catalogue, query)
    shown = search.item_ids(pg.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)"))
    # The UI shows the first few results; every one of them that is an item must be expected
    # when there are enough expected items, and the expected ones must lead.
    head = shown[:min(len(expected), len(shown))]
    assert head and sum(1 for i in head if i in expected) / len(head) >= MIN_TOP_PRECISION, (query, shown)


@pytest.mark.browser
def test_home_search_box_is_keyboard_reachable_and_searches(page, server, catalogue):
    pg = page.page
    pg.goto(server)
    for _ in range(60):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement && document.activeElement.id") == "vc-q":
            break
    else:
        pytest.fail("the home search box is not reachable with Tab")
    pg.keyboard.type("献血")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/search/?q=*")
    pg.wait_for_selector(".pagefind-ui__result-link")
    links = pg.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert set(search.item_ids(links)) & search.expected_items(catalogue, "献血"), links
