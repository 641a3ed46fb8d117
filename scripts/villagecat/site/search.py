"""Chinese search: the queries we hold it to, what each must find, and how well an engine does.

The site uses Pagefind's extended build (it segments Chinese); mkdocs-material's built-in search
(lunr with jieba) was measured against it, and docs/search.md records the figures
:func:`measure_builtin` and :func:`measure_pagefind` produced. The recall test in tests/site runs
the same functions.

>>> score(["a", "x", "b"], {"a", "b", "c"})
{'expected': 3, 'found': 2, 'recall': 0.667, 'top_precision': 0.667, 'results': 3}
"""

from __future__ import annotations

import re

from villagecat.model import Catalogue

# Real questions from the design: a certificate, a body, signs, mediation, blood donation, and
# one certificate villages must no longer issue.
QUERIES = ("证明", "村民委员会", "标牌", "人民调解", "献血", "无犯罪记录")
ITEM_URL = re.compile(r"items/([^/]+)/")


def expected_items(cat: Catalogue, query: str) -> set[str]:
    """Ids of the items whose text contains the query: what a search for it must find."""
    return {i.id for i in cat.items() if query in i.text}


def score(found: list[str], expected: set[str]) -> dict:
    """Recall over all results, and the share of the first |expected| results that are expected."""
    top = found[:len(expected)]
    n = len(expected) or 1
    return {"expected": len(expected), "found": len(expected & set(found)),
            "recall": round(len(expected & set(found)) / n, 3),
            "top_precision": round(sum(1 for f in top if f in expected) / n, 3), "results": len(found)}


def item_ids(hrefs: list[str]) -> list[str]:
    """Item ids in result order from result links (other pages dropped, duplicates kept once)."""
    out: list[str] = []
    for h in hrefs:
        m = ITEM_URL.search(h or "")
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def builtin_results(page, base_url: str, query: str, timeout: float = 20000) -> list[str]:
    """All result links of mkdocs-material's search for ``query`` (Playwright page), in rank order.

    Opens ``?q=`` (the theme's deep link), waits for the worker to answer, then scrolls the result
    list until the theme has rendered every result (it renders them in batches).
    """
    page.goto(f"{base_url}?q={query}")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta'); return m && /\\d/.test(m.textContent); }",
        timeout=timeout)
    last = -1
    while True:
        n = page.eval_on_selector_all(".md-search-result__item", "els => els.length")
        if n == last:
            break
        last = n
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(150)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")


def pagefind_results(page, base_url: str, query: str) -> list[str]:
    """All result URLs of Pagefind's JS API for ``query``, in rank order (needs a /pagefind/ bundle)."""
    page.goto(base_url)
    return page.evaluate(
        """async (q) => { const pf = await import('./pagefind/pagefind.js');
             const r = await pf.search(q); const d = await Promise.all(r.results.map(x => x.data()));
             return d.map(x => x.url); }""", query)


def measure(cat: Catalogue, results_for, queries=QUERIES) -> dict[str, dict]:
    """Score an engine: ``results_for(query)`` returns result hrefs in rank order."""
    return {q: score(item_ids(results_for(q)), expected_items(cat, q)) for q in queries}
