"""Downloads of one catalogue (normally a release's recorded tree): CSV, JSON, XLSX, SQLite, data package, SHA256SUMS.

Every file is byte-identical on every rebuild of the same release: rows in a fixed order, zip
entries sorted with fixed dates (the release date, 00:00), fixed XLSX document properties, and the
SQLite file written to a temporary file, optimised and vacuumed into place.

Spreadsheet formula injection is neutralised only in the files meant for Excel (the ``-excel`` CSVs
and the XLSX): a value starting with ``= + - @``, a tab or a carriage return gets a leading ``'``.
The plain CSV, the JSON, the SQLite database and the data package keep the data verbatim.

>>> neutralise("=HYPERLINK(1)"), neutralise("村民委员会")
("'=HYPERLINK(1)", '村民委员会')
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.model import KINDS, Catalogue

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}
TITLE = "村级组织工作事务·机制牌子·证明事项开放目录"
TITLE_EN = "Open catalogue of village-level duties, signs and certificates"
FIELD_KEYS = ("name", "title", "description", "type", "format", "constraints", "example")
EXCEL_SHEET_MAX = 31

REGION_FIELD = {"name": "region", "title": "地区代码", "type": "string",
                "description": "事项所属地区的行政区划代码（与编号开头相同）/ adcode of the item's region",
                "constraints": {"required": True, "pattern": "^\\d{6}$"}}
SOURCES_FIELDS = [("region", "地区代码"), ("key", "来源键"), ("title", "文件标题"), ("issuer", "发文机关"),
                  ("number", "文号"), ("date", "日期"), ("kind", "来源类型"), ("file", "转录文件"),
                  ("path", "网址"), ("note", "备注")]
LISTS_FIELDS = [("region", "地区代码"), ("kind", "清单类型"), ("title", "清单标题"), ("source", "来源键"),
                ("status", "完整程度"), ("reported_total", "源文件所报条数"), ("missing", "缺少的事项"),
                ("item_count", "条数")]


def neutralise(value):
    """Prefix ``'`` to a string a spreadsheet would read as a formula (Excel-oriented files only)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class ExportSpec:
    """What to export and how to stamp it: the catalogue, its schemas, the version and date."""

    catalogue: Catalogue
    schemas: dict[str, dict]  # kind (and "regions", "laws") -> Table Schema
    version: str
    date: str  # YYYY-MM-DD: stamped into zips and XLSX properties
    meta: dict = field(default_factory=dict)  # extra facts for the JSON/datapackage (commit, tree …)

    @property
    def stamp(self) -> tuple[int, int, int, int, int, int]:
        y, m, d = (int(x) for x in self.date.split("-"))
        return (max(y, 1980), m, d, 0, 0, 0)

    def fields(self, kind: str) -> list[dict]:
        return self.schemas[kind]["fields"]

    def names(self, kind: str) -> list[str]:
        return [f["name"] for f in self.fields(kind)]

    def kinds(self) -> list[str]:
        present = {lst.kind for lst in self.catalogue.lists()}
        return [k for k in KINDS if k in present]


# ---------------------------------------------------------------- loading

def load_schemas(tree) -> dict[str, dict]:
    """The schemas under ``schemas/`` of a tree (FolderTree or GitTree), by name (see :mod:`villagecat.schemas`)."""
    from villagecat import schemas

    return schemas.load_schemas(tree)


# ---------------------------------------------------------------- rows

# ASCII digits only (int() also takes ２, ٣ and 1_0), at most 15 of them: Excel keeps 15 significant
# digits and SQLite integers are 64-bit (a longer one stays text instead of failing the export).
_INTEGER = re.compile(r"-?[0-9]{1,15}")


def _typed(value: str, ftype: str):
    if ftype == "integer" and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return value if value != "" else None


def _field_types(spec: ExportSpec, kind: str) -> dict[str, str]:
    return {f["name"]: f.get("type", "string") for f in spec.fields(kind)}


def kind_rows(spec: ExportSpec, kind: str, region: str | None = None) -> list[list[str]]:
    """Rows of one kind (all regions, or one), in region then file order, as strings in schema order."""
    names = spec.names(kind)
    rows = []
    for reg in spec.catalogue.catalogued_regions():
        if region and reg.adcode != region:
            continue
        lst = reg.lists.get(kind)
        if lst is None:
            continue
        for item in lst.items:
            rows.append([reg.adcode] + [item.values.get(n, "") for n in names])
    return rows


def region_rows(spec: ExportSpec) -> tuple[list[str], list[list[str]]]:
    t = spec.catalogue.tables.get("regions")
    names = [f["name"] for f in spec.schemas["regions"]["fields"]]
    return names, sorted(([r.get(n, "") for n in names] for r in (t.rows if t else [])), key=lambda r: r[0])


def law_rows(spec: ExportSpec) -> tuple[list[str], list[list[str]]]:
    t = spec.catalogue.tables.get("laws")
    names = [f["name"] for f in spec.schemas["laws"]["fields"]]
    return names, sorted(([r.get(n, "") for n in names] for r in (t.rows if t else [])), key=lambda r: r[0])


def source_rows(spec: ExportSpec) -> tuple[list[str], list[list[str]]]:
    names = [n for n, _ in SOURCES_FIELDS]
    rows = []
    for reg in spec.catalogue.catalogued_regions():
        for key in sorted(reg.sources):
            s = reg.sources[key]
            rows.append([reg.adcode] + [getattr(s, n) for n in names[1:]])
    return names, rows


def list_rows(spec: ExportSpec) -> tuple[list[str], list[list]]:
    names = [n for n, _ in LISTS_FIELDS]
    rows = []
    for reg, kind, lst in _lists(spec):
        total = lst.reported_total
        rows.append([reg.adcode, kind, lst.title, lst.source, lst.status, "" if total is None else str(total),
                     str(lst.completeness.get("missing") or ""), str(len(lst.items))])
    return names, rows


def _lists(spec: ExportSpec):
    """(region, kind, list) by region code, then in the fixed order of KINDS: stable across edits."""
    for reg in spec.catalogue.catalogued_regions():
        for kind in KINDS:
            if kind in reg.lists:
                yield reg, kind, reg.lists[kind]


def all_items_rows(spec: ExportSpec) -> tuple[list[str], list[list[str]]]:
    """Every item of every kind in one table: region, kind, then the union of the kinds' columns."""
    columns: list[str] = []
    for kind in spec.kinds():
        columns += [n for n in spec.names(kind) if n not in columns]
    rows = []
    for reg, kind, lst in _lists(spec):
        for item in lst.items:
            rows.append([reg.adcode, kind] + [item.values.get(c, "") for c in columns])
    return ["region", "kind", *columns], rows


# ---------------------------------------------------------------- writers

def csv_bytes(header: list[str], rows: list[list], excel: bool = False) -> bytes:
    """UTF-8 CSV; ``excel=True``: with BOM, CRLF, and formula-looking values neutralised."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    # With LF line ends the csv module does not quote a bare CR, which readers then take for a
    # line break: rows holding one are written fully quoted.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for row in rows:
        if excel:
            w.writerow([neutralise(v) for v in row])
        elif any(isinstance(v, str) and "\r" in v for v in row):
            quoted.writerow(row)
        else:
            w.writerow(row)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data


def zip_bytes(files: dict[str, bytes], stamp: tuple) -> bytes:
    """A zip of ``files`` with sorted names, fixed dates and modes: the same bytes every time."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(files):
            _zwrite(zf, name, files[name], stamp)
    return buf.getvalue()


def _zwrite(zf: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def csv_files(spec: ExportSpec, excel: bool) -> dict[str, bytes]:
    """Per region ``<folder>/<kind>.csv`` (the source columns), per kind ``all/<kind>.csv`` (with region), tables."""
    files: dict[str, bytes] = {}
    for reg in spec.catalogue.catalogued_regions():
        for kind in KINDS:
            if kind in reg.lists:
                names = spec.names(kind)
                rows = [[item.values.get(n, "") for n in names] for item in reg.lists[kind].items]
                files[f"{reg.folder}/{kind}.csv"] = csv_bytes(names, rows, excel)
    for kind in spec.kinds():
        files[f"all/{kind}.csv"] = csv_bytes(["region", *spec.names(kind)], kind_rows(spec, kind), excel)
    for name, fn in (("regions", region_rows), ("laws", law_rows), ("sources", source_rows), ("lists", list_rows)):
        header, rows = fn(spec)
        files[f"{name}.csv"] = csv_bytes(header, rows, excel)
    return files


def json_document(spec: ExportSpec) -> dict:
    """The whole catalogue as one JSON value (integers typed, empty cells null)."""
    rnames, rrows = region_rows(spec)
    lnames, lrows = law_rows(spec)
    catalogues = []
    for reg in spec.catalogue.catalogued_regions():
        lists = []
        for kind in KINDS:
            lst = reg.lists.get(kind)
            if lst is None:
                continue
            types = _field_types(spec, kind)
            lists.append({
                "kind": kind, "title": lst.title, "source": lst.source,
                "completeness": {"status": lst.status, "reported_total": lst.reported_total,
                                 "missing": str(lst.completeness.get("missing") or "")},
                "legal_basis": lst.legal_basis,
                "items": [{n: _typed(item.values.get(n, ""), t) for n, t in types.items()} for item in lst.items],
            })
        catalogues.append({"region": reg.adcode, "folder": reg.folder, "title": reg.title,
                           "sources": [vars(reg.sources[k]) for k in sorted(reg.sources)], "lists": lists})
    return {"title": TITLE, "title_en": TITLE_EN, "version": spec.version, "date": spec.date,
            "license": LICENSE, **spec.meta,
            "regions": [dict(zip(rnames, r)) for r in rrows],
            "laws": [dict(zip(lnames, r)) for r in lrows],
            "catalogues": catalogues}


def json_bytes(spec: ExportSpec) -> bytes:
    return (json.dumps(json_document(spec), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _sheet_title(kind: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", KINDS[kind][1])[:EXCEL_SHEET_MAX] if kind in KINDS else kind


def xlsx_bytes(spec: ExportSpec) -> bytes:
    """One sheet per list kind (Chinese headers from the schema titles, header row frozen), plus regions and laws.

    Every text cell is a string cell (never a formula) with the same neutralising prefix as the
    Excel CSV; the workbook is rezipped with fixed dates and fixed document properties.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    when = dt.datetime(*spec.stamp)
    wb.properties.creator = "villagecat"
    wb.properties.title = f"{TITLE} {spec.version}"
    wb.properties.created = when
    wb.properties.modified = when
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list], types: list[str]):
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        head = []
        for h in headers:
            c = WriteOnlyCell(ws, value=neutralise(h))
            c.font = bold
            c.data_type = "s"
            head.append(c)
        ws.append(head)
        for row in rows:
            cells = []
            for v, t in zip(row, types):
                if t == "integer" and isinstance(v, str) and _INTEGER.fullmatch(v.strip()):
                    cells.append(int(v))
                    continue
                c = WriteOnlyCell(ws, value=neutralise(v))
                c.data_type = "s"
                cells.append(c)
            ws.append(cells)

    for kind in spec.kinds():
        fields = spec.fields(kind)
        sheet(_sheet_title(kind), [REGION_FIELD["title"]] + [f.get("title") or f["name"] for f in fields],
              kind_rows(spec, kind), ["string"] + [f.get("type", "string") for f in fields])
    for name, fn, title in (("regions", region_rows, "地区"), ("laws", law_rows, "法律法规")):
        _, rows = fn(spec)
        fields = spec.schemas[name]["fields"]
        sheet(title, [f.get("title") or f["name"] for f in fields], rows, ["string"] * len(fields))
    _, rows = source_rows(spec)
    sheet("来源文件", [t for _, t in SOURCES_FIELDS], rows, ["string"] * len(SOURCES_FIELDS))

    raw = io.BytesIO()
    wb.save(raw)
    return _rezip_xlsx(raw.getvalue(), spec.stamp)


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _rezip_xlsx(data: bytes, stamp: tuple) -> bytes:
    """openpyxl stamps ``modified`` with the current time and zip entries with now: fix both."""
    iso = dt.datetime(*stamp).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():  # keep openpyxl's order: [Content_Types].xml first
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(lambda m: m.group(1) + iso + m.group(3), body)
            _zwrite(dst, info.filename, body, stamp)
    return out.getvalue()


# ---------------------------------------------------------------- SQLite

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
    """A table per kind plus regions, laws, sources, lists, items, meta; FTS5 over item text (trigram and bigram).

    Built in a temporary file, FTS indexes optimised, then ``VACUUM INTO`` a fresh file: pages are
    laid out in one canonical order and the same inputs give the same bytes (with the same SQLite
    version).
    """
    with tempfile.TemporaryDirectory() as tmp:
        work, final = Path(tmp) / "work.sqlite", Path(tmp) / "final.sqlite"
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
        return final.read_bytes()


# ---------------------------------------------------------------- data package

def _inline_fields(fields: list[dict]) -> list[dict]:
    return [{k: f[k] for k in FIELD_KEYS if k in f} for f in fields]


def datapackage(spec: ExportSpec) -> tuple[dict, dict[str, bytes]]:
    """A self-contained Frictionless data package (schemas inlined) and its CSV files."""
    files: dict[str, bytes] = {}
    resources = []

    def add(name: str, title: str, header: list[str], rows, schema: dict):
        path = f"data/{name}.csv"
        files[path] = csv_bytes(header, rows)
        resources.append({"name": name, "path": path, "title": title, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
                          "bytes": len(files[path]), "schema": schema})

    rh, rr = region_rows(spec)
    add("regions", "行政区划 / regions", rh, rr,
        {"fields": _inline_fields(spec.schemas["regions"]["fields"]), "primaryKey": ["adcode"], "missingValues": [""]})
    lh, lr = law_rows(spec)
    add("laws", "法律法规 / laws", lh, lr,
        {"fields": _inline_fields(spec.schemas["laws"]["fields"]), "primaryKey": ["id"], "missingValues": [""]})
    sh, sr = source_rows(spec)
    add("sources", "来源文件 / source documents", sh, sr,
        {"fields": [{"name": n, "title": t, "type": "string"} for n, t in SOURCES_FIELDS],
         "primaryKey": ["region", "key"], "missingValues": [""],
         "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["adcode"]}}]})
    for kind in spec.kinds():
        schema = spec.schemas[kind]
        add(kind, f"{KINDS[kind][1]} / {KINDS[kind][2]}", ["region", *spec.names(kind)], kind_rows(spec, kind),
            {"fields": [REGION_FIELD, *_inline_fields(schema["fields"])], "primaryKey": ["id"], "missingValues": [""],
             "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["adcode"]}}]})
    descriptor = {
        "profile": "tabular-data-package",
        "name": "villagecat",
        "title": TITLE,
        "description": TITLE_EN,
        "version": spec.version,
        "created": f"{spec.date}T00:00:00Z",
        "licenses": [LICENSE],
        **{f"x-{k}": v for k, v in spec.meta.items()},
        "resources": resources,
    }
    return descriptor, files


def datapackage_zip(spec: ExportSpec) -> bytes:
    descriptor, files = datapackage(spec)
    files = dict(files)
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return zip_bytes(files, spec.stamp)


# ---------------------------------------------------------------- all of it

def build_files(spec: ExportSpec) -> dict[str, bytes]:
    """Every download of one version, by file name (SHA256SUMS included)."""
    v = spec.version
    header, rows = all_items_rows(spec)
    files = {
        f"villagecat-{v}-csv.zip": zip_bytes(csv_files(spec, excel=False), spec.stamp),
        f"villagecat-{v}-csv-excel.zip": zip_bytes(csv_files(spec, excel=True), spec.stamp),
        f"villagecat-{v}-items.csv": csv_bytes(header, rows),
        f"villagecat-{v}-items-excel.csv": csv_bytes(header, rows, excel=True),
        f"villagecat-{v}.json": json_bytes(spec),
        f"villagecat-{v}.xlsx": xlsx_bytes(spec),
        f"villagecat-{v}.sqlite": sqlite_bytes(spec),
        f"villagecat-{v}-datapackage.zip": datapackage_zip(spec),
    }
    files["SHA256SUMS"] = sha256sums(files)
    return files


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``<hex>  <name>`` per file, sorted by name (the format ``sha256sum -c`` reads)."""
    return "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)).encode()


def write_files(files: dict[str, bytes], out_dir: str | os.PathLike) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(files):
        p = out / name
        p.write_bytes(files[name])
        written.append(p)
    return written


def export_catalogue(cat: Catalogue, schemas: dict, version: str, date: str, out_dir,
                     meta: dict | None = None) -> list[Path]:
    """Write every download of ``cat`` into ``out_dir``; returns the paths written."""
    spec = ExportSpec(cat, schemas, version, date, dict(meta or {}))
    return write_files(build_files(spec), out_dir)


class ExportRefused(ValueError):
    """The catalogue could not be read whole: downloads would silently miss items."""


def require_readable(cat) -> None:
    """Refuse to export a catalogue whose files could not all be read (encoding, CSV or YAML errors),
    or whose keys the downloads cannot hold (see :func:`key_problems`), or whose text holds control
    characters (the XLSX writer cannot store them, the other formats would pass them on: see
    :mod:`villagecat.rules.text_policy`)."""
    from villagecat.rules import text_policy
    from villagecat.textpolicy import visible

    errors = [p for p in cat.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise ExportRefused(f"{len(errors)} 个文件无法完整读取，如 {first.file}：{first.message} "
                            f"/ {len(errors)} files could not be read whole, e.g. {first.file}: {first.message_en}")
    keys = key_problems(cat)
    if keys:
        raise ExportRefused(f"{len(keys)} 处编号为空或重复，如 {keys[0][0]} / {len(keys)} empty or repeated keys, "
                            f"e.g. {keys[0][1]}")
    bad = list(text_policy.check(cat))
    if bad:
        first = bad[0]
        where = visible(f"{first.file}，第 {first.row} 行" + (f"，列 {first.column}" if first.column else ""))
        raise ExportRefused(f"{len(bad)} 处文本含控制字符，如 {where}：{visible(first.message)} "
                            f"/ {len(bad)} text values hold control characters, e.g. {where}: {visible(first.message_en)}")


def key_problems(cat) -> list[tuple[str, str]]:
    """``(Chinese, English)`` for each empty or repeated key the downloads need unique: item ids
    (across every list: the SQLite ``items`` table), region codes and law ids. Readable data can
    still break them (the validator reports them too); SQLite would refuse them half-way.
    """
    out: list[tuple[str, str]] = []

    def unique(entries, what_zh, what_en):
        first: dict[str, tuple[str, int]] = {}
        for key, path, line in entries:
            key = key.strip()
            if not key:
                out.append((f"{path} 第 {line} 行的{what_zh}为空", f"{path} line {line}: empty {what_en}"))
            elif key in first:
                fpath, fline = first[key]
                out.append((f"{path} 第 {line} 行的{what_zh} {key} 与 {fpath} 第 {fline} 行重复",
                            f"{path} line {line}: {what_en} {key} repeats {fpath} line {fline}"))
            else:
                first[key] = (path, line)

    unique(((i.id, i.path, i.row) for i in cat.items()), "编号", "id")
    for name, column, what_zh, what_en in (("regions", "adcode", "行政区划代码", "adcode"), ("laws", "id", "编号", "id")):
        t = cat.tables.get(name)
        if t is not None:
            unique(((r.get(column, ""), t.path, line) for r, line in zip(t.rows, t.lines)), what_zh, what_en)
    return out


def export_release(repo: str | os.PathLike, version: str, out_dir: str | os.PathLike) -> list[Path]:
    """Export a recorded release: its ``catalogues/`` tree id from releases.yaml, its commit's schemas.

    >>> # export_release(".", "2026.1", "dist/2026.1")
    """
    from villagecat.reader import read_tree
    from villagecat.release import find_release, load_releases
    from villagecat.trees import release_tree

    rel = find_release(load_releases(repo), version)
    if rel is None:
        raise LookupError(f"releases.yaml 中没有版本 {version} / no release {version} in releases.yaml")
    cat = read_tree(release_tree(repo, rel), releases=False)  # data and schemas of the recorded commit
    return export_recorded(cat, rel, out_dir)


def export_recorded(cat: Catalogue, rel: dict, out_dir: str | os.PathLike) -> list[Path]:
    """Export a release already read (``cat``, from :func:`villagecat.trees.release_tree`) for its record ``rel``."""
    require_readable(cat)
    meta = {"commit": rel["commit"], "tree": rel["tree"]}
    return export_catalogue(cat, cat.schemas, str(rel["version"]), str(rel["date"]), out_dir, meta)


def export_ref(repo: str | os.PathLike, ref: str, out_dir, version: str | None = None) -> list[Path]:
    """Export any git ref (not a release): stamped with the commit's own date, so also reproducible."""
    from villagecat.reader import read_tree
    from villagecat.trees import GitTree

    tree = GitTree(repo, ref)
    date = tree.date()
    if not tree.is_dir("catalogues"):
        raise LookupError(f"{ref} 中没有 catalogues/ / {ref} has no catalogues/ folder")
    cat = read_tree(tree, releases=False)
    require_readable(cat)
    meta = {"commit": tree.commit, "tree": tree.tree_id("catalogues") or ""}
    return export_catalogue(cat, cat.schemas, version or re.sub(r"[^0-9A-Za-z._-]", "-", ref), date, out_dir, meta)
