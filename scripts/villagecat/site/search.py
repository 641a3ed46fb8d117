"""What the site's search must find, derived from the data: sampled queries and their expected items.

The search itself is :mod:`villagecat.site.textindex` (the index) and ``site_config/assets/search.js``
(the browser side). This module holds the yardstick the tests and ``make bench`` measure it with:
queries sampled (seeded) from the items' own text — jieba words, quoted two-word phrases, words
ANDed, and 2-, 3- and 4-character substrings — and, for each, every item whose text contains it
(what ``grep`` or the SQLite download finds).

>>> score(["a", "x", "b"], {"a", "b", "c"})
{'expected': 3, 'found': 2, 'recall': 0.667, 'top_precision': 0.667, 'results': 3}
>>> Query('"村务 公开"').terms, Query("村务 公开").terms, Query("村务 公开").phrase
(['村务 公开'], ['村务', '公开'], '村务公开')
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from villagecat.model import Catalogue, Item

CJK = re.compile(r"[\u3400-\u9fff]")
QUOTES = re.compile(r'["“”「」]([^"“”「」]*)["“”「」]')


@dataclass(frozen=True)
class Query:
    """A query as typed: quoted phrases stay whole, other space-separated words are ANDed."""

    text: str
    kind: str = ""  # how it was sampled: word, phrase, and, sub2, sub3, sub4

    @property
    def terms(self) -> list[str]:
        out: list[str] = []
        rest = QUOTES.sub(lambda m: out.append(" ".join(m.group(1).split())) or " ", self.text)
        out += [w for w in re.sub(r'["“”「」]', " ", rest).split() if w]
        return [t for n, t in enumerate(out) if t and t not in out[:n]]

    @property
    def phrase(self) -> str:
        """The terms joined: an item containing it is an exact match and ranks first."""
        return "".join(self.terms)


def fields(cat: Catalogue) -> dict[str, list[str]]:
    """Item id → its searchable fields: text, category, list title, legal basis (law titles, text)."""
    out = {}
    for lst in cat.lists():
        list_laws = [cat.laws[l].title for l in lst.legal_basis if l in cat.laws]
        for item in lst.items:
            laws = [cat.laws[l].title for l in item.legal_basis if l in cat.laws] + list_laws
            out[item.id] = [item.text, item.category, lst.title, "；".join(f"《{t}》" for t in laws),
                            item.values.get("legal_basis_text", "")]
    return out


def contains(haystack: str, q: Query, normalised: bool = False) -> bool:
    """Every term in ``haystack``; ``normalised``: as search matches, full-width forms equal to
    half-width ones and case ignored (NFKC, lower case: ``（`` matches ``(``)."""
    if normalised:
        from villagecat.site.textindex import normalise
        haystack = normalise(haystack)
        return all(normalise(t) in haystack for t in q.terms)
    return all(t in haystack for t in q.terms)


def expected_items(cat: Catalogue, query: str | Query) -> set[str]:
    """Ids of the items whose text contains the query (every term of it): what search must find."""
    q = query if isinstance(query, Query) else Query(query)
    return {i.id for i in cat.items() if contains(i.text, q)}


def sample_queries(cat: Catalogue, seed: int = 11, limit: int = 500) -> list[Query]:
    """Queries sampled from every item's text: a jieba word, a quoted two-word phrase, two words
    ANDed, and substrings of 2, 3 and 4 characters; deduplicated, then ``limit`` of them (seeded)."""
    import jieba

    jieba.setLogLevel(60)
    rng = random.Random(seed)
    found: dict[str, Query] = {}

    def add(text: str, kind: str) -> None:
        if text.strip() and CJK.search(text) and text not in found:
            found[text] = Query(text, kind)

    items: list[Item] = sorted(cat.items(), key=lambda i: i.id)
    for item in items:
        words = [w for w in jieba.lcut(item.text) if CJK.search(w)]
        if words:
            add(rng.choice(words), "word")
        pairs = [(a, b) for a, b in zip(words, words[1:])
                 if (a + b) in item.text and not re.search(r"\s", a + b)]
        if pairs:
            a, b = rng.choice(pairs)
            add(f'"{a}{b}"', "phrase")
        long = [w for w in words if len(w) >= 2]
        if len(long) >= 3:
            a, b = rng.sample(long, 2)
            if a != b:
                add(f"{a} {b}", "and")
        text = item.text
        for n in (2, 3, 4):
            spots = [i for i in range(len(text) - n + 1) if not re.search(r"\s", text[i:i + n])]
            if spots:
                i = rng.choice(spots)
                add(text[i:i + n], f"sub{n}")
    queries = sorted(found.values(), key=lambda q: (q.kind, q.text))
    rng.shuffle(queries)
    return queries[:limit]


def score(found: list[str], expected: set[str]) -> dict:
    """Recall over all results, and the share of the first |expected| results that are expected."""
    top = found[:len(expected)]
    n = len(expected) or 1
    return {"expected": len(expected), "found": len(expected & set(found)),
            "recall": round(len(expected & set(found)) / n, 3),
            "top_precision": round(sum(1 for f in top if f in expected) / n, 3), "results": len(found)}


# In the browser, on the search page: every result of each query (ids, kinds, rank order).
RUN_ALL = """async (queries) => {
  const out = [];
  for (const q of queries) {
    const r = await window.vcSearch.all(q.text, q.filters || {});
    out.push({q: q.text, counts: r.counts, ids: r.results.map(x => x.id), kinds: r.results.map(x => x.kind)});
  }
  return out;
}"""


def run_queries(page, queries: list[Query], filters: dict | None = None) -> list[dict]:
    """Run queries through the page's search code (Playwright page already on the search page)."""
    page.wait_for_function("() => window.vcSearch && window.vcSearch.all")
    return page.evaluate(RUN_ALL, [{"text": q.text, "filters": filters or {}} for q in queries])
