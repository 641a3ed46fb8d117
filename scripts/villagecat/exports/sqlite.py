"""The SQLite download: a table per kind plus regions, laws, sources, lists, items, meta, and the
full-text search over item text (trigram and bigram FTS5 indexes) with :func:`search` to query it."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path

from villagecat.exports.common import (LICENSE, TITLE, TITLE_EN, ExportSpec, _field_types, _typed, kind_rows, law_rows,
                                       list_rows, region_rows, source_rows, written_bytes)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+|[0-9A-Za-z]+")


def bigrams(text: str) -> str:
    """Chinese runs as overlapping character bigrams plus the run's last character; other words as is.

    Lets 1- and 2-character queries (证, 证明) match, which the trigram tokenizer cannot.

    >>> bigrams("居住证明 APP")
    '居住 住证 证明 明 app'
    """
    out = []
    for m in _WORD.finditer(text or ""):
        w = m.group(0)
        if _CJK.fullmatch(w):
            out += [w[i:i + 2] for i in range(len(w) - 1)] + [w[-1]]
        else:
            out.append(w.lower())
    return " ".join(out)


def bigram_query(q: str) -> str:
    """An FTS5 MATCH expression for ``items_bigram``: each word a phrase of its bigrams, words ANDed.

    >>> bigram_query("证明"), bigram_query("证"), bigram_query("村民委员会")
    ('"证明"', '"证"*', '"村民 民委 委员 员会"')
    """
    parts = []
    for m in _WORD.finditer(q or ""):
        w = m.group(0)
        if _CJK.fullmatch(w):
            parts.append(f'"{w}"*' if len(w) == 1 else '"' + " ".join(w[i:i + 2] for i in range(len(w) - 1)) + '"')
        else:
            parts.append('"' + w.lower() + '"')
    return " AND ".join(parts) or '""'


def search(db: str | os.PathLike | sqlite3.Connection, query: str, limit: int = 50) -> list[str]:
    """Ids of items matching ``query``: trigram index for ≥ 3 characters, bigram index otherwise.

    >>> # search("villagecat-2026.1.sqlite", "证明")  →  ['000000-N-001', …]
    """
    con = db if isinstance(db, sqlite3.Connection) else sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    words = [m.group(0) for m in _WORD.finditer(query)]
    if words and all(len(w) >= 3 for w in words):
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        sql = ("SELECT items.id FROM items_trigram JOIN items ON items.n = items_trigram.rowid "
               "WHERE items_trigram MATCH ? ORDER BY items_trigram.rank, items.id LIMIT ?")
    else:
        match = bigram_query(query)
        sql = ("SELECT items.id FROM items_bigram JOIN items ON items.n = items_bigram.rowid "
               "WHERE items_bigram MATCH ? ORDER BY items_bigram.rank, items.id LIMIT ?")
    return [r[0] for r in con.execute(sql, (match, limit))]


def _table(kind: str) -> str:
    return kind.replace("-", "_")


def _create(con: sqlite3.Connection, table: str, columns: list[str], types: dict[str, str], pk: list[str]) -> None:
    cols = ", ".join(f'"{c}" {"INTEGER" if types.get(c) == "integer" else "TEXT"}' for c in columns)
    con.execute(f'CREATE TABLE "{table}" ({cols}, PRIMARY KEY ({", ".join(pk)}))')


def _insert(con, table: str, columns: list[str], rows, types: dict[str, str]) -> None:
    marks = ", ".join("?" for _ in columns)
    con.executemany(f'INSERT INTO "{table}" VALUES ({marks})',
                    ([_typed(v, types.get(c, "string")) for c, v in zip(columns, row)] for row in rows))


def sqlite_bytes(spec: ExportSpec) -> bytes:
    """:func:`write_sqlite` into memory."""
    return written_bytes(write_sqlite, spec, "out.sqlite")


def write_sqlite(path: str | os.PathLike, spec: ExportSpec) -> None:
    """A table per kind plus regions, laws, sources, lists, items, meta; FTS5 over item text (trigram and bigram).

    Built in a temporary file, FTS indexes optimised, then ``VACUUM INTO`` a fresh file: pages are
    laid out in one canonical order and the same inputs give the same bytes (with the same SQLite
    version).
    """
    with tempfile.TemporaryDirectory() as tmp:
        work, final = Path(tmp) / "work.sqlite", Path(path)
        if final.exists():
            final.unlink()
        con = sqlite3.connect(work)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA page_size=4096")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        meta = {"title": TITLE, "title_en": TITLE_EN, "version": spec.version, "date": spec.date,
                "license": LICENSE["name"], **{k: str(v) for k, v in spec.meta.items()}}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        for name, fn, pk in (("regions", region_rows, ["adcode"]), ("laws", law_rows, ["id"]),
                             ("sources", source_rows, ["region", "key"]), ("lists", list_rows, ["region", "kind"])):
            cols, rows = fn(spec)
            types = {"reported_total": "integer", "item_count": "integer"}
            _create(con, name, cols, types, pk)
            _insert(con, name, cols, rows, types)
        for kind in spec.kinds():
            cols = ["region", *spec.names(kind)]
            types = _field_types(spec, kind)
            _create(con, _table(kind), cols, types, ["id"])
            _insert(con, _table(kind), cols, kind_rows(spec, kind), types)
        # items: one row per item of every kind; its n (an explicit INTEGER PRIMARY KEY, so VACUUM
        # keeps it) keys both full-text indexes.
        # items_trigram reads its text from items (external content); items_bigram is contentless
        # (it holds only the bigram tokens), so the text is stored once.
        con.execute("CREATE TABLE items (n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, region TEXT, kind TEXT, "
                    "seq INTEGER, category TEXT, text TEXT, note TEXT)")
        items = [(i.id, i.region, i.kind, i.seq if i.seq is not None and abs(i.seq) < 2 ** 63 else None,
                  i.category, i.text, i.note) for i in spec.catalogue.items()]
        con.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ((n, *i) for n, i in enumerate(items, start=1)))
        con.execute("CREATE VIRTUAL TABLE items_trigram USING fts5(text, category, note, content='items', "
                    "content_rowid='n', tokenize='trigram')")
        con.execute("INSERT INTO items_trigram(rowid, text, category, note) SELECT n, text, category, note FROM items ORDER BY n")
        con.execute("CREATE VIRTUAL TABLE items_bigram USING fts5(text, category, note, content='', tokenize='unicode61')")
        con.executemany("INSERT INTO items_bigram(rowid, text, category, note) VALUES (?, ?, ?, ?)",
                        ((n, bigrams(i[5]), bigrams(i[4]), bigrams(i[6])) for n, i in enumerate(items, start=1)))
        for t in ("items_trigram", "items_bigram"):
            con.execute(f"INSERT INTO {t}({t}) VALUES ('optimize')")
        con.commit()
        con.execute("VACUUM INTO ?", (str(final),))
        con.close()
