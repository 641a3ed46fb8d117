"""The first screen of search in one round (issue 14): head shards and the idle prefix.

On a generated catalogue (villagecat.synthetic, a few thousand items, so head shards are cut and
heads are partial as at national size): each key's head is the start of its posting list with
those very records; the shards a query needs fit the first-round byte bound; what heads show is
exactly what the full index gives first; a query whose words are absent says so. No timings.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from villagecat import bench, synthetic
from villagecat.reader import read_catalogue
from villagecat.site import search, textindex
from villagecat.site.pages import Site


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(catalogue, site folder with the index and the bench's bare search page)."""
    tmp = tmp_path_factory.mktemp("heads")
    root = tmp / "repo"
    synthetic.make_git_repo(root, items=3000, seed=3)
    out = tmp / "site"
    bench.search_index(root, out)
    cat = read_catalogue(str(root))
    return cat, Site(cat, root, "bench", "https://villagecat.example/"), out


def _postings(index: Path, total: int) -> dict[str, list[int]]:
    meta = json.loads((index / "meta.json").read_text())
    out = {}
    for n in range(meta["buckets"]):
        blob = (index / "b" / f"{n}.bin").read_bytes()
        count, off = int.from_bytes(blob[:4], "little"), 4
        for _ in range(count):
            klen = blob[off]
            key = blob[off + 1:off + 1 + klen].decode()
            off += 1 + klen
            size = int.from_bytes(blob[off:off + 4], "little")
            data = blob[off + 4:off + 4 + size]
            off += 4 + size
            if data[:1] == bytes([textindex.ENC_EXTERNAL]):
                data = (index / "x" / f"{key.encode().hex()}.bin").read_bytes()
            out[key] = textindex.decode(data, total)
    return out


def _shard(index: Path, key: str, shards: int) -> Path:
    return index / "h" / f"{textindex.fnv1a(key) % shards}.json"


def _keys_of(term: str) -> list[str]:
    """search.js keysOf: a term's bigrams (first, middle, last when more than three), else its characters."""
    cps = list(term)
    keys = []
    for a, b in zip(cps, cps[1:]):
        if not a.isspace() and not b.isspace() and a + b not in keys:
            keys.append(a + b)
    if not keys:
        keys = [c for n, c in enumerate(cps) if not c.isspace() and c not in cps[:n]]
    if len(keys) > 3:
        keys = [keys[0], keys[(len(keys) - 1) // 2], keys[-1]]
    return keys


def _head_keys(terms: list[str]) -> list[str]:
    """search.js headKeysOf: round robin over the terms' keys, at most MAX_HEAD_KEYS."""
    per, out = [_keys_of(t) for t in terms], []
    for i in range(3):
        for ks in per:
            if i < len(ks) and len(out) < textindex.MAX_HEAD_KEYS and ks[i] not in out:
                out.append(ks[i])
    return out


def _queries(cat, n=150):
    qs = search.sample_queries(cat, limit=n)
    return [q for q in qs if q.terms]


def test_each_head_is_the_start_of_its_posting_list_with_its_records(generated):
    cat, site, out = generated
    index = out / "searchindex"
    meta = json.loads((index / "meta.json").read_text())
    recs = textindex.records(site)
    postings = _postings(index, meta["records"])
    seen, cut = set(), 0
    for path in sorted((index / "h").glob("*.json")):
        shard = json.loads(path.read_text())
        for key, (count, laws, head) in shard["k"].items():
            post = postings[key]
            assert count == len(post) and laws == sum(1 for n in post if n < meta["laws"]), key
            assert head and head == post[:len(head)], key
            cut += len(head) < min(count, textindex.HEAD)
            for n in head:
                row, rec = shard["r"][str(n)], recs[n]
                region, level, kind_name, list_title = shard["l"][str(row[8])]
                assert [row[1], row[3], row[4], row[5], row[6], row[7]] == [
                    rec.id, rec.seq, rec.text, rec.category, list(rec.law_numbers), rec.basis_text]
                assert (region, level, kind_name, list_title) == (rec.region, rec.level, rec.kind_name, rec.list_title)
                assert (row[2] or textindex.default_url(rec.kind, rec.id)) == rec.url
            seen.add(key)
    assert seen == {k for k in postings if not k.startswith(textindex.FACET)}
    assert cut, "no head was cut: the catalogue is too small to test the national-size case"
    assert meta["law_titles"] == [r.text for r in recs[:meta["laws"]]]
    prefix = json.loads((index / "p.json").read_text())
    assert prefix["n"] == meta["prefix"] > 0 and sorted(map(int, prefix["r"])) == list(range(prefix["n"]))


def test_index_bytes_do_not_depend_on_the_hash_seed(generated, tmp_path):
    """Sets iterate in hash order, which changes per process: the files must not follow it."""
    import os
    import subprocess
    import sys

    cat, site, out = generated
    folders = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        subprocess.run([sys.executable, "-m", "villagecat.bench", "step", "search-index", str(site.root), str(folder)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        folders.append(folder / "searchindex")
    a, b = folders
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert [f for f in files if (a / f).read_bytes() != (b / f).read_bytes()] == []


def test_a_first_round_fits_the_byte_bound(generated):
    cat, _, out = generated
    index = out / "searchindex"
    meta = json.loads((index / "meta.json").read_text())
    sizes = [p.stat().st_size for p in (index / "h").glob("*.json")]
    assert len(sizes) == meta["heads"] and max(sizes) <= textindex.HEAD_SHARD_MAX
    for q in _queries(cat):
        keys = _head_keys([textindex.normalise(t) for t in q.terms])
        files = {_shard(index, k, meta["heads"]) for k in keys}
        assert sum(f.stat().st_size for f in files) <= textindex.FIRST_ROUND_BYTES, q


def test_heads_hold_every_result_up_to_their_cover(generated):
    """The index's promise, checked against every record: a query's verified head records are
    exactly its results numbered up to the furthest head's last number (all, when a head is whole)."""
    cat, site, out = generated
    index = out / "searchindex"
    meta = json.loads((index / "meta.json").read_text())
    recs = textindex.records(site)
    hay = [textindex.normalise("\n".join(r.fields())) for r in recs]
    partial = 0
    for q in _queries(cat):
        terms = [textindex.normalise(t) for t in q.terms]
        matches = [n for n, h in enumerate(hay) if all(t in h for t in terms)]
        known, cover, whole = set(), -1, False
        for key in _head_keys(terms):
            entry = json.loads(_shard(index, key, meta["heads"]).read_text())["k"].get(key)
            assert entry is not None, (q, key)
            count, _, head = entry
            known.update(head)
            if len(head) == count:
                whole = True
            else:
                cover = max(cover, head[-1])
        shown = sorted(n for n in known if all(t in hay[n] for t in terms))
        if whole:
            assert shown == matches, q
        else:
            partial += 1
            assert shown == [n for n in matches if n <= cover], q
    assert partial, "every sampled query had a whole head: nothing partial was tested"


FIRST_VS_FULL = """async (queries) => {
  const out = [];
  for (const q of queries) {
    const heads = await new window.vcSearch.Engine(ROOT).heads(new window.vcSearch.Query(q, {}));
    const full = await window.vcSearch.all(q, {});
    out.push({q, complete: heads.complete, cover: heads.cover, counts: heads.counts(),
              heads: heads.verified.map(r => r.n), full: full.results.map(r => r.n), fullCounts: full.counts});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def served(generated):
    from browser_support import serve_folder

    httpd, url = serve_folder(generated[2])
    yield url
    httpd.shutdown()


@pytest.mark.browser
def test_the_first_screen_is_what_the_full_index_gives_first(generated, browser, served):
    cat = generated[0]
    qs = [q.text for q in _queries(cat, 80)]
    pg = browser.new_page()
    pg.goto(served + "search/")
    pg.wait_for_function("() => window.vcSearch && window.vcSearch.readyMs")
    root = pg.evaluate("() => new URL('../', location.href).href")
    answers = pg.evaluate(FIRST_VS_FULL.replace("ROOT", json.dumps(root)), qs)
    partial = 0
    for a in answers:
        if a["complete"]:
            # A whole head: every result, ranked as the full index ranks them, with the exact count.
            assert a["heads"] == a["full"], a["q"]
            assert a["counts"] == a["fullCounts"], a["q"]
        else:
            partial += 1
            assert a["heads"] == sorted(n for n in a["full"] if n <= a["cover"]), a["q"]
            assert a["counts"]["items"] >= a["fullCounts"]["items"], a["q"]  # an upper bound
    assert partial
    pg.close()


@pytest.mark.browser
def test_the_page_shows_heads_then_refines_and_a_later_query_starts_from_the_prefix(generated, browser, served):
    cat, site, _ = generated
    recs = textindex.records(site)
    pg = browser.new_page()
    pg.goto(served + "search/")
    pg.wait_for_function("() => window.vcSearch && window.vcSearch.readyMs")
    common = "证明"
    pg.evaluate("(q) => { document.getElementById('vc-search-q').value = q; return window.vcSearch.run(); }", common)
    pg.wait_for_function("() => window.vcSearch.quiet()")
    renders = pg.evaluate("() => window.vcSearch.renders")
    assert renders[0]["stage"] == "heads"
    # Every result shown contains the query (from heads or not).
    shown = pg.locator(".vc-result").evaluate_all("els => els.map(e => e.dataset.id)")
    by_id = {r.id: r for r in recs}
    assert shown and all(common in "\n".join(by_id[i].fields()) for i in shown)
    # A later query: p.json is here, so a word of the first item shows results before any request.
    assert pg.evaluate("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/p.json'))")
    word = next(r.text[:2] for r in recs if r.kind == "item")
    assert not any(c.isspace() for c in word)
    pg.evaluate("(q) => { document.getElementById('vc-search-q').value = q; return window.vcSearch.run(); }", word)
    pg.wait_for_function("() => window.vcSearch.quiet()")
    mine = pg.evaluate("(q) => window.vcSearch.renders.filter(r => r.q === q)", word)
    assert mine[0]["stage"] == "cache"
    shown = pg.locator(".vc-result").evaluate_all("els => els.map(e => e.dataset.id)")
    assert shown and all(word in "\n".join(by_id[i].fields()) for i in shown)
    pg.close()


@pytest.mark.browser
def test_a_query_whose_words_are_absent_says_so(generated, browser, served):
    cat, site, out = generated
    recs = textindex.records(site)
    hay = "\n".join(textindex.normalise("\n".join(r.fields())) for r in recs)
    chars = sorted({c for c in hay if "\u4e00" <= c <= "\u9fff"})
    rng = random.Random(5)
    # Two characters that both occur, never side by side: every key exists, the phrase does not.
    pair = next(a + b for a, b in ((rng.choice(chars), rng.choice(chars)) for _ in range(10000)) if a + b not in hay)
    absent = next(chr(c) for c in range(0x4E00, 0x9FFF) if chr(c) not in hay)
    pg = browser.new_page()
    pg.goto(served + "search/")
    pg.wait_for_function("() => window.vcSearch && window.vcSearch.readyMs")
    for q in (absent + "村", f'"{pair}"', f"证明 {absent}"):
        pg.evaluate("(q) => { document.getElementById('vc-search-q').value = q; return window.vcSearch.run(); }", q)
        pg.wait_for_function("() => window.vcSearch.quiet()")
        assert pg.inner_text("#vc-search-status").startswith("没有事项含"), q
        assert pg.locator(".vc-result").count() == 0
        # Said from the head shards alone: no posting list or record file was fetched for it.
        fetched = pg.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        assert not [u for u in fetched if "/searchindex/r/" in u or "/searchindex/b/" in u], q
    pg.close()


@pytest.mark.browser
def test_more_after_a_first_screen_from_heads_continues_the_full_order(generated, browser, served):
    cat, site, _ = generated
    recs = textindex.records(site)
    by_id = {r.id: r for r in recs}
    pg = browser.new_page()
    pg.goto(served + "search/")
    pg.wait_for_function("() => window.vcSearch && window.vcSearch.readyMs")
    word = "证明"
    pg.evaluate("(q) => { document.getElementById('vc-search-q').value = q; return window.vcSearch.run(); }", word)
    pg.wait_for_function("() => window.vcSearch.quiet()")
    ids = lambda: pg.locator(".vc-result").evaluate_all("els => els.map(e => e.dataset.id)")
    first = ids()
    assert pg.evaluate("(q) => window.vcSearch.renders.filter(r => r.q === q).map(r => r.stage)", word) == ["heads"]
    pg.click("#vc-search-more")
    pg.wait_for_function("(n) => document.querySelectorAll('.vc-result').length > n", arg=len(first))
    both = ids()
    assert len(both) == len(set(both)) and set(both[:len(first)]) == set(first)
    assert all(word in "\n".join(by_id[i].fields()) for i in both)
    # The same records as the full index's first ones in number order.
    full = pg.evaluate("(q) => window.vcSearch.all(q, {}).then(r => r.results.map(x => [x.n, x.id]))", word)
    assert set(both) == {i for _, i in sorted(full)[:len(both)]}
    pg.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_number_and_write_the_index_as_one(generated, tmp_path, monkeypatch):
    """A rebuild makes the grams of the later records in a forked child: the same bytes as one process."""
    cat, site, out = generated
    monkeypatch.setattr(textindex, "SPLIT_RECORDS", 100)  # (the catalogue is smaller than the national cut)
    one, two = tmp_path / "one", tmp_path / "two"
    textindex.write_index(site, one, jobs=1)
    figures = textindex.write_index(site, two, jobs=2)
    assert _files(one / "searchindex") == _files(two / "searchindex")
    assert figures["records"] > 100 and figures["files"] == len(_files(two / "searchindex"))


def test_an_index_written_again_leaves_the_files_it_would_not_change(generated, tmp_path):
    """Over an earlier index of the same catalogue no file is rewritten (same bytes, same mtime); after
    one item is reworded only some are, and the folder equals a new index's, stale files removed."""
    import dataclasses
    import os

    cat, site, out = generated
    folder = tmp_path / "site"
    first = textindex.write_index(site, folder, jobs=2)
    index = folder / "searchindex"
    (index / "r" / "stale.json").write_text("{}")  # a file no index writes
    past = 1_000_000_000
    for p in index.rglob("*"):
        if p.is_file():
            os.utime(p, (past, past))
    again = textindex.write_index(site, folder, jobs=2)
    assert again["unchanged"] == again["files"] == first["files"]
    assert not (index / "r" / "stale.json").exists()
    assert all(p.stat().st_mtime == past for p in index.rglob("*") if p.is_file())

    # One item reworded (its length class kept): the catalogue as the next build reads it.
    lst = next(lst for lst in cat.lists() if lst.items)
    item = lst.items[0]
    changed = dataclasses.replace(item, values={**item.values, "text": item.values["text"][:-1] + "改"})
    lst.items[0] = changed
    try:
        edited = Site(cat, site.root, "bench", "https://villagecat.example/")
        third = textindex.write_index(edited, folder, jobs=2)
        fresh = tmp_path / "fresh"
        textindex.write_index(edited, fresh, jobs=1)
    finally:
        lst.items[0] = item
    assert _files(index) == _files(fresh / "searchindex")
    rewritten = [p for p in index.rglob("*") if p.is_file() and p.stat().st_mtime != past]
    assert 0 < len(rewritten) == third["files"] - third["unchanged"] < third["files"] // 2
    assert "meta.json" not in {p.relative_to(index).as_posix() for p in rewritten}  # (no count changed)


def test_posting_lists_hold_every_record_under_each_of_its_keys(generated):
    """Keys shared along a run of one list's records are added as ranges (most neighbours are of one
    list): the lists are still exactly every record under each of its fields' grams and its
    filters, in order, split or not."""
    cat, site, out = generated
    recs = textindex.records(site)
    naive: dict[str, list[int]] = {}
    for n, r in enumerate(recs):
        keys = set(r.facets)
        for value in (r.text, r.category, r.list_title, r.laws, r.basis_text):
            keys.update(textindex.grams(value))
        for k in keys:
            naive.setdefault(k, []).append(n)
    made = textindex._postings(recs, 0, len(recs))
    assert {k: list(v) for k, v in made.items()} == naive
    half = len(recs) // 3
    first, later = textindex._postings(recs, 0, half), textindex._postings(recs, half, len(recs))
    joined = {k: list(first.get(k, [])) + list(later.get(k, [])) for k in first.keys() | later.keys()}
    assert joined == naive
    assert sum(1 for a, b in zip(recs, recs[1:]) if a.list_title == b.list_title and a.kind == "item") > len(recs) // 2
