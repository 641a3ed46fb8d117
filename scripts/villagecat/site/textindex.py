"""The site's search index: character n-grams of every item and law, sharded so a query fetches little.

Recall does not depend on word segmentation. For every record (a law page or an item) the
searchable fields are normalised (NFKC, lower case) and cut into every character (unigram) and
every pair of adjacent characters (bigram). A query is cut the same way in the browser
(``site_config/assets/search.js``): a one-character term looks up its unigram, a longer one
intersects its bigrams, then the exact substring is verified on the fetched record, so every record
containing the query is a candidate (recall 1 by construction) and only those containing it are
shown. Filters (region, list kind, level) are posting lists too, under keys starting with U+0001.

Files written under ``<site>/searchindex/`` (all bytes depend only on the catalogue, never on time):

- ``meta.json`` — format, number of records, of buckets, of head shards, records per pack, average
  pack size, the prefix's length and the laws' titles (preloaded by the search page);
- ``b/<n>.bin`` — bucket ``n`` = FNV-1a(key) mod buckets: for each key hashed there, its posting
  list of record numbers, encoded as delta varints, runs, or a bitmap (whichever is smallest);
  a posting list over ``EXTERNAL`` bytes is moved to ``x/<hex of key>.bin`` (so a bucket never
  carries a large list a query did not ask for);
- ``r/<k>.json`` — records ``k*pack`` … ``k*pack+pack-1``: what a result shows and what the
  browser verifies the query on;
- ``facets.json`` — regions, list kinds and levels with their counts (loaded only for the filters);
- ``h/<n>.json`` — head shard ``n`` = FNV-1a(key) mod heads: for each text key hashed there, its
  count (records, of which laws) and its *head*: the first ``HEAD`` record numbers of its posting
  list (fewer when their records exceed ``HEAD_BYTES``), with those records themselves, so the
  first screen of results needs one round of requests (one shard per key, in parallel) and no
  record file. A record containing the query contains each of its keys, so the verified records of
  one key's head are *every* result numbered up to that head's last number: heads give exactly the
  first results of the full index, and when a head holds its whole list, every result;
- ``p.json`` — the first records in number order (≈ ``PREFIX_BYTES``), fetched when the page is
  idle after a search: a later query's first results in number order can then be shown before any
  request (they are exactly the results numbered below the prefix's end).

Head shards and ``p.json`` store records compactly: the (region, level, kind, list title) of each
record is a reference into the file's own ``l`` table, a URL is left out when it is the default
one, and an item's laws are law numbers whose titles are in ``meta.json`` (``law_titles``).

Record numbers: laws first (a law's page is the first hit for its name), then items ordered by a
coarse length class and then catalogue order, so "shorter first" holds even when the browser
verifies only the first page of a very large candidate set, while the items of one list stay
mostly contiguous (their list-title grams compress to runs).

>>> grams("村务 公开")
['公', '公开', '务', '开', '村', '村务']
>>> fnv1a("村务")
3153318527
>>> decode(encode([1, 2, 3, 4, 9, 200], 300), 300)
[1, 2, 3, 4, 9, 200]
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, chain
from pathlib import Path

from villagecat.model import LEVELS
from villagecat.parallel import Forked
from villagecat.site import facts
from villagecat.site.pages import Site, law_path, url_of

FORMAT = 2
PACK = 8  # records per pack file: a result shown costs about one pack
HEAD = 20  # records in a key's head: one screen of results
HEAD_BYTES = 6144  # at most this many bytes of records in one key's head (at least one record)
HEAD_TARGET = 6144  # average bytes of a head shard; the number of shards follows from it
HEAD_SHARD_MAX = 16384  # bytes of a head shard at most: a crowded shard's longest heads are cut to fit
MAX_HEAD_KEYS = 4  # head shards a query fetches for its first screen (search.js has the same)
FIRST_ROUND_BYTES = MAX_HEAD_KEYS * HEAD_SHARD_MAX  # so a first screen costs at most this
PREFIX_BYTES = 80_000  # the idle prefetch of the first records
SPLIT_RECORDS = 20_000  # with two processes, fewer records than this are not worth a second one
EXTERNAL = 2048  # posting lists larger than this (bytes) get a file of their own
BUCKET_TARGET = 2048  # average bytes of a bucket; the number of buckets follows from it
LENGTH_CLASSES = (20, 40, 80, 160)
FACET = "\x01"
ENC_DELTA, ENC_RUNS, ENC_BITS, ENC_EXTERNAL = 0, 1, 2, 3


def normalise(text: str) -> str:
    """What is indexed and matched: NFKC (full-width Latin and digits become ASCII), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def grams(text: str) -> list[str]:
    """Every character and every pair of adjacent characters of ``text`` (normalised), no whitespace."""
    t = normalise(text)
    out = set()
    for i, ch in enumerate(t):
        if ch.isspace():
            continue
        out.add(ch)
        if i + 1 < len(t) and not t[i + 1].isspace():
            out.add(ch + t[i + 1])
    return sorted(out)


def _grams(text: str) -> set:
    """:func:`grams` as a set (the index's hot loop)."""
    t = normalise(text)
    if not t:
        return set()
    out = set(t)
    out.update(map(str.__add__, t, t[1:]))
    if any(ch.isspace() for ch in out if len(ch) == 1):
        out = {g for g in out if not any(c.isspace() for c in g)}
    return out


def fnv1a(key: str) -> int:
    """32-bit FNV-1a of the key's UTF-8 bytes (the browser computes the same)."""
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def encode(postings, total: int) -> bytes:
    """A sorted posting list as ``[encoding byte] + payload``, the smallest of three encodings:
    delta varints, runs (gap and length varints per run of consecutive numbers), or a bitmap; on a
    tie delta, then runs. The gaps are computed once for both (a national index encodes ≈ 50M
    numbers: no function call per number), and runs are written only when they can be shorter."""
    bitmap = (total + 7) // 8
    if len(postings) > bitmap:  # delta takes a byte a number at least, runs two bytes a run
        runs = 1 + sum(1 for a, b in zip(postings, postings[1:]) if b != a + 1)
        if 2 * runs > bitmap:
            return bytes([ENC_BITS]) + _bitmap(postings, bitmap)
    gaps = [b - a - 1 for a, b in zip(chain((-1,), postings), postings)]
    delta = bytearray([ENC_DELTA])
    if not gaps or max(gaps) < 0x80:
        delta += bytes(gaps)
    else:
        for g in gaps:
            if g < 0x80:
                delta.append(g)
            else:
                _varint(delta, g)
    best = delta
    # A run starts at the first number and wherever a gap is not 0; its gap is that gap (from the
    # end of the run before it) and its length the count of numbers after its first.
    starts = [i for i, g in enumerate(gaps) if g or not i]
    if 1 + 2 * len(starts) < len(delta):
        runs = bytearray([ENC_RUNS])
        for k, i in enumerate(starts):
            _varint(runs, gaps[i])
            _varint(runs, (starts[k + 1] if k + 1 < len(starts) else len(gaps)) - i - 1)
        if len(runs) < len(delta):
            best = runs
    if len(best) - 1 > bitmap:
        return bytes([ENC_BITS]) + _bitmap(postings, bitmap)
    return bytes(best)


def _bitmap(postings, size: int) -> bytes:
    bits = bytearray(size)
    for n in postings:
        bits[n >> 3] |= 1 << (n & 7)
    return bytes(bits)


def decode(data: bytes, total: int) -> list[int]:
    """Inverse of :func:`encode` (the browser's decoder does the same; used by tests and doctests)."""
    enc, body, out = data[0], data[1:], []
    if enc == ENC_BITS:
        return [n for n in range(total) if body[n >> 3] >> (n & 7) & 1]
    nums, v, shift = [], 0, 0
    for b in body:
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            nums.append(v)
            v, shift = 0, 0
    if enc == ENC_DELTA:
        prev = -1
        for d in nums:
            prev += d + 1
            out.append(prev)
        return out
    pos = 0
    for gap, length in zip(nums[::2], nums[1::2]):
        start = pos + gap
        out.extend(range(start, start + length + 1))
        pos = start + length + 1
    return out


@dataclass
class Record:
    """One search result: a law page or an item, with every field a query may match."""

    kind: str  # "law" or "item"
    id: str
    url: str  # relative to the site root
    region: str = ""
    level: str = ""
    kind_name: str = ""
    list_title: str = ""
    seq: str = ""
    text: str = ""
    category: str = ""
    laws: str = ""  # legal basis: titles of the laws (item-level and list-level), as searched
    law_numbers: tuple = ()  # the same laws as record numbers: what a record file stores
    basis_text: str = ""
    facets: tuple = ()

    def fields(self) -> list[str]:
        return [self.text, self.category, self.list_title, self.laws, self.basis_text]

    def row(self) -> list[str]:
        return [self.kind, self.id, self.url, self.region, self.level, self.kind_name, self.list_title, self.seq,
                self.text, self.category, list(self.law_numbers), self.basis_text]


def records(site: Site) -> list[Record]:
    """Every law and item of the site's catalogue, numbered as the index numbers them."""
    cat = site.cat
    out = []
    for lid in sorted(cat.laws):
        law = cat.laws[lid]
        region = cat.regions.get(law.region)
        out.append(Record("law", law.id, url_of(law_path(lid)), region=facts.region_label(region) if region else (
            law.region or "全国"), kind_name="法律法规", text=law.title, category=law.cited_as))
    law_number = {lid: n for n, lid in enumerate(sorted(cat.laws))}
    items = []
    order = 0
    for lst in cat.lists():
        region = cat.regions[lst.region]
        # What every item of the list shares, made once a list.
        label, level, kind_name = facts.region_label(region), facts.level_name(region), facts.kind_name(lst.kind)
        facets = (f"{FACET}r{region.adcode}", f"{FACET}k{lst.kind}", f"{FACET}v{region.level}")
        list_laws = [l for l in lst.legal_basis if l in cat.laws]
        cited: dict[tuple, tuple[str, tuple]] = {}  # an item's own bases → (titles, numbers)
        for item in lst.items:
            own = tuple(item.legal_basis)
            laws_of = cited.get(own)
            if laws_of is None:
                laws = [l for l in own if l in cat.laws]
                laws += [l for l in list_laws if l not in laws]
                laws_of = cited[own] = ("；".join(f"《{cat.laws[l].title}》" for l in laws),
                                        tuple(law_number[l] for l in laws))
            values = item.values
            text = values.get("text", "")
            rec = Record("item", item.id, url_of(site.item_pages[site.key(item)]), region=label, level=level,
                         kind_name=kind_name, list_title=lst.title, seq=values.get("seq", ""), text=text,
                         category=values.get("category", ""), laws=laws_of[0], law_numbers=laws_of[1],
                         basis_text=values.get("legal_basis_text", ""), facets=facets)
            items.append((bisect_right(LENGTH_CLASSES, len(text)), order, rec))
            order += 1
    out.extend(rec for _, _, rec in sorted(items, key=lambda t: (t[0], t[1])))
    return out


def facet_table(site: Site, recs: list[Record]) -> dict:
    """The filter choices with their item counts, in a stable order."""
    cat = site.cat
    counts: dict[str, int] = {}
    for r in recs:
        for f in r.facets:
            counts[f] = counts.get(f, 0) + 1
    regions = [[r.adcode, facts.region_label(r), facts.level_name(r), counts.get(f"{FACET}r{r.adcode}", 0)]
               for r in cat.catalogued_regions()]
    from villagecat.model import KINDS
    kinds = [[k, facts.kind_name(k), counts[f"{FACET}k{k}"]] for k in KINDS if f"{FACET}k{k}" in counts]
    levels = [[k, name, counts[f"{FACET}v{k}"]] for k, name in LEVELS.items() if f"{FACET}v{k}" in counts]
    return {"regions": regions, "kinds": kinds, "levels": levels}


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class _Folder:
    """The index's folder, written file by file over what an earlier index left there (if anything):
    a file that already holds the same bytes is left as it is, another is overwritten in place, and
    those this index does not write are removed at the end. Removing a file costs far more here than
    overwriting one, and overwriting far more than reading one (ext4 on this machine, 20k files of
    3 KB: unlink ≈ 1.5 ms a file under load, overwrite ≈ 0.19 ms, create ≈ 0.28 ms, read and compare
    ≈ 0.03 ms). At national size the index has ≈ 75k files: after one item is reworded nearly all
    are the same (its record numbers stay), after one is added or removed most are not (the numbers
    after it shift). A file left as it is keeps its modification time, so a deployment that syncs
    by size and time uploads only what changed. ``wrote`` names the files actually written."""

    def __init__(self, root: Path):
        self.root = root
        self.names: set[str] = set()
        self.wrote: set[str] = set()
        for sub in ("b", "x", "r", "h"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        self.names.add(name)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:  # none yet (or a link, which is written over as before)
            fd = None
        if fd is not None:
            with open(fd, "rb", buffering=0) as fh:
                st = os.fstat(fd)
                same = stat.S_ISREG(st.st_mode) and st.st_size == len(data) and fh.read() == data
            if same:
                return
        path.write_bytes(data)
        self.wrote.add(name)

    def prune(self) -> None:
        for folder in [self.root] + [self.root / sub for sub in ("b", "x", "r", "h")]:
            with os.scandir(folder) as entries:
                stale = [e for e in entries if e.is_file(follow_symlinks=False)
                         and Path(e.path).relative_to(self.root).as_posix() not in self.names]
            for e in stale:
                os.unlink(e.path)
        for entry in os.scandir(self.root):  # anything else an earlier format left
            if entry.is_dir(follow_symlinks=False) and entry.name not in ("b", "x", "r", "h"):
                shutil.rmtree(entry.path)
            elif entry.is_symlink():
                os.unlink(entry.path)


def write_index(site: Site, out: Path, previous: Path | None = None, jobs: int = 1) -> dict:
    """Write ``out/searchindex/`` for the site's catalogue; returns figures (records, keys, files, bytes).

    An index already in ``out`` is written over (:class:`_Folder`); so is ``previous``, an earlier
    index folder (a rebuild's, moved aside before mkdocs emptied the output:
    :func:`villagecat.site.incremental.stash`), when ``out`` has none. The bytes are the same as
    in a new folder, with one process or two (``jobs``)."""

    recs = records(site)
    total = len(recs)
    target = out / "searchindex"
    if target.is_symlink() or target.is_file():
        target.unlink()
    if not target.exists() and previous is not None and previous.is_dir() and not previous.is_symlink():
        previous.rename(target)
    folder = _Folder(target)

    if jobs > 1 and total >= SPLIT_RECORDS:  # the later records' grams in a forked child meanwhile
        half = _halfway(recs)
        later = Forked(_postings, recs, half, total)
        postings = _postings(recs, 0, half)
        for k, a in later.result().items():  # (its numbers all follow this process's: lists stay sorted)
            mine = postings.get(k)
            if mine is None:
                postings[k] = a
            else:
                mine.extend(a)
    else:
        postings = _postings(recs, 0, total)

    # The posting lists (b/, x/) are written by a forked child while this process writes the
    # records and heads, when asked (``jobs`` > 1: a rebuild, whose page writers leave a core idle).
    lists = Forked(_write_postings, folder, postings, total, fork=jobs > 1)
    pack_bytes = 0
    packs = (total + PACK - 1) // PACK
    for k in range(packs):
        blob = _json([r.row() for r in recs[k * PACK:(k + 1) * PACK]])
        folder.write(f"r/{k}.json", blob)
        pack_bytes += len(blob)
    facet_blob = _json(facet_table(site, recs))
    folder.write("facets.json", facet_blob)
    heads, head_bytes, prefix, prefix_bytes = _write_heads(folder, recs, postings)
    written, buckets, external, names, wrote = lists.result()
    folder.names |= names
    folder.wrote |= wrote
    written += head_bytes + prefix_bytes
    meta = {"format": FORMAT, "records": total, "buckets": buckets, "pack": PACK,
            "pack_bytes": round(pack_bytes / max(packs, 1)), "laws": sum(1 for r in recs if r.kind == "law"),
            "heads": heads, "head": HEAD, "prefix": prefix,
            "law_titles": [r.text for r in recs if r.kind == "law"]}
    folder.write("meta.json", _json(meta))
    folder.prune()
    return {"records": total, "keys": len(postings), "buckets": buckets, "packs": packs, "heads": heads,
            "prefix": prefix, "head_bytes": head_bytes,
            "external": external, "files": len(folder.names),
            "unchanged": len(folder.names) - len(folder.wrote),
            "bytes": written + pack_bytes + len(facet_blob)}


def _halfway(recs: list[Record]) -> int:
    """The record number that splits the work of making grams in two: the characters of each
    record's own fields (records are numbered shorter first, so half the records is not half the work:
    at national size the later half took 2.4× the time of the first)."""
    work = list(accumulate(len(r.text) + len(r.category) + len(r.laws) + len(r.basis_text) for r in recs))
    return bisect_right(work, work[-1] // 2) if work else 0


class _Appends(dict):
    """key → the ``append`` of its posting list in ``lists`` (made when first asked for): the index's
    hot loop calls it once per key of a record."""

    def __init__(self):
        super().__init__()
        self.lists: dict[str, array] = {}

    def __missing__(self, key: str):
        a = self.lists[key] = array("I")
        self[key] = a.append
        return a.append


def _postings(recs: list[Record], start: int, stop: int) -> dict[str, array]:
    """Each key's posting list over records ``start`` … ``stop - 1`` (their numbers, sorted).

    Consecutive records mostly belong to one list (items are numbered by length class, then in
    catalogue order: 90 % of neighbours at national size), which gives them its title and its
    filters: those keys are added once for such a run of numbers (a range), and only the others
    (text, category, laws, basis text) record by record. The lists are the same; making them takes
    ≈ 45 % less time."""
    appends = _Appends()
    lists = appends.lists
    shared: dict[str, frozenset] = {}  # the grams of one field value many records share

    def grams_of(value: str) -> frozenset:
        g = shared.get(value)
        if g is None:
            g = shared[value] = frozenset(_grams(value))
        return g

    def add_run(keys, first: int, end: int) -> None:
        numbers = range(first, end)
        for k in keys:
            appends[k]  # (made if new)
            lists[k].extend(numbers)

    run_of, run_keys, first = None, frozenset(), start
    for n in range(start, stop):
        rec = recs[n]
        if (rec.list_title, rec.facets) != run_of:
            if run_of is not None:
                add_run(run_keys, first, n)  # (before any later number reaches those keys)
            run_of, first = (rec.list_title, rec.facets), n
            run_keys = grams_of(rec.list_title) | frozenset(rec.facets)
        keys = _grams(rec.text)
        keys |= grams_of(rec.category)
        keys |= grams_of(rec.laws)
        if rec.basis_text:
            keys |= _grams(rec.basis_text)
        keys -= run_keys
        for k in keys:
            appends[k](n)  # numbers arrive in increasing order: lists stay sorted
    if run_of is not None:
        add_run(run_keys, first, stop)
    return lists


def _write_postings(folder: _Folder, postings: dict, total: int) -> tuple[int, int, int, set, set]:
    """Write ``b/<n>.bin`` and ``x/<hex>.bin``: (bytes written, buckets, external lists, the names
    ``folder`` has written, these included, and of those the ones whose bytes changed: a forked
    child's are added to the parent's)."""
    encoded = {k: encode(v, total) for k, v in postings.items()}
    inline = sum(len(v) for v in encoded.values() if len(v) <= EXTERNAL)
    buckets = 16
    while buckets * BUCKET_TARGET < inline:
        buckets *= 2
    shards: list[list[tuple[bytes, bytes]]] = [[] for _ in range(buckets)]
    written = 0
    for key in sorted(encoded):
        data = encoded[key]
        kb = key.encode("utf-8")
        if len(data) > EXTERNAL:
            folder.write(f"x/{kb.hex()}.bin", data)
            written += len(data)
            data = bytes([ENC_EXTERNAL])
        shards[fnv1a(key) % buckets].append((kb, data))
    for n, entries in enumerate(shards):
        blob = bytearray(len(entries).to_bytes(4, "little"))
        for kb, data in entries:
            blob.append(len(kb))
            blob += kb
            blob += len(data).to_bytes(4, "little")
            blob += data
        folder.write(f"b/{n}.bin", bytes(blob))
        written += len(blob)
    external = sum(1 for v in encoded.values() if len(v) > EXTERNAL)
    return written, buckets, external, folder.names, folder.wrote


def default_url(kind: str, rid: str) -> str:
    """The URL a compact record leaves out (the browser rebuilds it the same way)."""
    return f"{'laws' if kind == 'law' else 'items'}/{rid}/"


class _Compact:
    """Compact rows of records for head shards and the prefix, with their sizes (computed once)."""

    def __init__(self, recs: list[Record]):
        self.recs = recs
        # Lists are numbered in record order, not in the order rows are asked for (that follows the
        # hash order of sets, and the bytes must not).
        self.lists: dict[tuple, int] = {}
        self.list_of = array("I", (self.lists.setdefault((r.region, r.level, r.kind_name, r.list_title), len(self.lists))
                                   for r in recs))
        self.rows: dict[int, bytes] = {}
        self.costs: dict[int, int] = {}

    def row(self, n: int) -> bytes:
        b = self.rows.get(n)
        if b is None:
            r = self.recs[n]
            ref = self.list_of[n]
            url = "" if r.url == default_url(r.kind, r.id) else r.url
            b = self.rows[n] = _json([0 if r.kind == "law" else 1, r.id, url, r.seq, r.text, r.category,
                                      list(r.law_numbers), r.basis_text, ref])
        return b

    def cost(self, n: int) -> int:
        """Bytes ``n`` can add to a file: its row, its number, and its list's entry (if not shared)."""
        c = self.costs.get(n)
        if c is None:
            r = self.recs[n]
            c = self.costs[n] = len(self.row(n)) + 18 + len(_json([r.region, r.level, r.kind_name, r.list_title]))
        return c

    def blob(self, numbers, extra: bytes = b"") -> bytes:
        """``{"k": …, "l": {ref: [region, level, kind, list title]}, "r": {n: row}}`` as bytes (sorted keys)."""
        table = {}
        for n in numbers:
            self.row(n)
            ref = self.list_of[n]
            table[ref] = self.recs[n]
        names = {ref: [r.region, r.level, r.kind_name, r.list_title] for ref, r in table.items()}
        parts = [b'{', extra, b'"l":', _json({str(k): names[k] for k in sorted(names)}), b',"r":{']
        parts.append(b",".join(b'"%d":%s' % (n, self.rows[n]) for n in sorted(set(numbers), key=str)))
        parts.append(b"}}")
        return b"".join(parts)


def _write_heads(folder: _Folder, recs: list[Record], postings: dict) -> tuple[int, int, int, int]:
    """Write ``h/<n>.json`` (every text key's count and head, with its records) and ``p.json``."""
    compact = _Compact(recs)
    laws = sum(1 for r in recs if r.kind == "law")
    heads: dict[str, tuple] = {}
    estimate = 0
    for key, post in postings.items():
        if key.startswith(FACET):
            continue
        head, size = [], 0
        for n in post[:HEAD]:
            b = compact.cost(n)
            if head and size + b > HEAD_BYTES:
                break
            head.append(n)
            size += b
        nlaws = bisect_right(post, laws - 1) if post[0] < laws else 0
        heads[key] = (len(post), nlaws, head)
        estimate += size + len(key.encode("utf-8")) + 8 * len(head) + 24
    shards = 16
    while shards * HEAD_TARGET < estimate:
        shards *= 2
    keyed: list[list[str]] = [[] for _ in range(shards)]
    for key in heads:
        keyed[fnv1a(key) % shards].append(key)
    written = 0
    for i, keys in enumerate(keyed):
        keys.sort()
        lists = {k: list(heads[k][2]) for k in keys}
        # A crowded shard: cut the longest heads (never below one record) until the file fits.
        # Any head is still exact for the numbers it covers, so this only makes a first screen shorter.
        sizes = {k: sum(compact.cost(n) for n in lists[k]) for k in keys}
        while True:
            entries = {k: [heads[k][0], heads[k][1], lists[k]] for k in keys}
            blob = compact.blob([n for k in keys for n in lists[k]], b'"k":' + _json(entries) + b",")
            longest = max((k for k in keys if len(lists[k]) > 1), key=lambda k: (sizes[k], k), default=None)
            if len(blob) <= HEAD_SHARD_MAX or longest is None:
                break
            sizes[longest] -= compact.cost(lists[longest].pop())
        folder.write(f"h/{i}.json", blob)
        written += len(blob)
    prefix, size = 0, 0
    while prefix < len(recs):
        b = len(compact.row(prefix)) + 10  # (the prefix's records share few lists)
        if size + b > PREFIX_BYTES:
            break
        size += b
        prefix += 1
    blob = compact.blob(range(prefix), b'"n":%d,' % prefix)
    folder.write("p.json", blob)
    return shards, written, prefix, len(blob)
