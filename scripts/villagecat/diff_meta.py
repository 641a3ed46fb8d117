"""What a diff says beyond items: sources (文号, date, address …), list metadata (title, source,
completeness, reported total, list-level bases), each region's package text, and the shared tables
(laws, regions, the register of known documents, withdrawn ids).

Every change is a :class:`MetaChange`: a section, the region it belongs to (``None`` for a shared
row that belongs to no region), the key of the record (source key, list kind, law id, adcode,
register id, withdrawn id), ``added`` / ``removed`` / ``changed``, and ``{field: [old, new]}`` with
values as text ("" when absent; lists joined with ``;``, mappings as JSON). A region or list that is
new (or gone) has its sources and list metadata listed as added (or removed), for review.

>>> from villagecat.model import Catalogue, Table
>>> a, b = Catalogue("a"), Catalogue("b")
>>> a.tables["laws"] = Table("laws.csv", ["id", "title"], [{"id": "L0001", "title": "甲法"}])
>>> b.tables["laws"] = Table("laws.csv", ["id", "title"], [{"id": "L0001", "title": "乙法"}])
>>> [(c.section, c.key, c.status, c.changes) for c in diff_metadata(a, b)]
[('laws', 'L0001', 'changed', {'title': ['甲法', '乙法']})]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from villagecat.model import KINDS, Catalogue

SECTIONS = {  # order of output, Chinese and English names
    "package": ("目录描述", "catalogue description"),
    "sources": ("来源文件", "sources"),
    "lists": ("清单信息", "list metadata"),
    "laws": ("法律法规", "laws"),
    "regions": ("行政区划", "regions"),
    "register": ("已知文件登记表", "register of known documents"),
    "withdrawn": ("撤回的编号", "withdrawn ids"),
}
PACKAGE_KEYS = ("title", "description", "x-notes", "x-policy", "licenses")
LIST_KEYS = ("title", "path", "x-source", "status", "reported_total", "missing", "x-legal-basis", "x-note", "description")
TABLES = {"laws": ("laws", "id"), "regions": ("regions", "adcode"), "register": ("known-documents", "id"),
          "withdrawn": ("withdrawn", "id")}


@dataclass
class MetaChange:
    section: str
    region: str | None
    key: str
    status: str  # added | removed | changed
    changes: dict[str, list[str]] = field(default_factory=dict)


def text(value) -> str:
    """A metadata value as compared and shown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)) and all(not isinstance(v, (dict, list)) for v in value):
        return ";".join(text(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _compare(section, region, key, old: dict | None, new: dict | None, keys=None) -> MetaChange | None:
    if old is None and new is None:
        return None
    status = "added" if old is None else "removed" if new is None else "changed"
    old, new = old or {}, new or {}
    names = list(keys) if keys else list(dict.fromkeys([*old, *new]))
    changes = {k: [text(old.get(k)), text(new.get(k))] for k in names if text(old.get(k)) != text(new.get(k))}
    if not changes:
        return None
    return MetaChange(section, region, key, status, changes)


def _list_meta(lst) -> dict:
    res = lst.resource
    comp = lst.completeness
    return {"title": res.get("title"), "path": res.get("path"), "x-source": res.get("x-source"),
            "status": comp.get("status"), "reported_total": comp.get("reported_total"), "missing": comp.get("missing"),
            "x-legal-basis": res.get("x-legal-basis"), "x-note": res.get("x-note"), "description": res.get("description")}


def _raw_sources(region) -> dict[str, dict]:
    srcs = region.package.get("sources") if region.package else None
    out = {}
    for s in srcs if isinstance(srcs, list) else []:
        if isinstance(s, dict) and s.get("key"):
            out.setdefault(str(s["key"]), s)
    return out


def _rows(cat: Catalogue, table: str, key: str) -> dict[str, dict]:
    t = cat.tables.get(table)
    out: dict[str, dict] = {}
    for row in t.rows if t else []:
        if row.get(key, "").strip():
            out.setdefault(row[key].strip(), row)
    return out


def _cited(cat: Catalogue, adcode: str) -> set[str]:
    r = cat.regions.get(adcode)
    out: set[str] = set()
    for lst in (r.lists.values() if r else []):
        out.update(lst.legal_basis)
        for item in lst.items:
            out.update(item.legal_basis)
    return out


def _row_region(section: str, key: str, old: dict | None, new: dict | None) -> str | None:
    row = new or old or {}
    if section in ("regions",):
        return key
    if section == "withdrawn":
        return key.split("-", 1)[0] if "-" in key else None
    return row.get("region") or None


def diff_metadata(old: Catalogue, new: Catalogue, region: str | None = None) -> list[MetaChange]:
    """Every metadata change from ``old`` to ``new`` (only what concerns ``region`` when given)."""
    out: list[MetaChange] = []
    olds = {r.adcode: r for r in old.catalogued_regions()}
    news = {r.adcode: r for r in new.catalogued_regions()}
    codes = sorted(olds.keys() | news.keys())  # a new region's sources and lists are shown for review too
    if region is not None:
        codes = [c for c in codes if c == region]
    per_region: dict[str, list[MetaChange]] = {s: [] for s in ("package", "sources", "lists")}
    for code in codes:
        a, b = olds.get(code), news.get(code)
        if a is not None and b is not None and a.package is b.package and a.lists is b.lists and a.folder == b.folder:
            continue  # one folder read once for both sides (identical in git, see diff.read_pair): nothing differs
        pa = {k: a.package.get(k) for k in PACKAGE_KEYS} if a else None
        pb = {k: b.package.get(k) for k in PACKAGE_KEYS} if b else None
        c = _compare("package", code, (b or a).folder or code, pa, pb, PACKAGE_KEYS)
        if c:
            per_region["package"].append(c)
        sa, sb = _raw_sources(a) if a else {}, _raw_sources(b) if b else {}
        for key in list(dict.fromkeys([*sa, *sb])):
            c = _compare("sources", code, key, sa.get(key), sb.get(key))
            if c:
                per_region["sources"].append(c)
        la, lb = (a.lists if a else {}), (b.lists if b else {})
        for kind in [k for k in KINDS if k in la or k in lb]:
            c = _compare("lists", code, kind, _list_meta(la[kind]) if kind in la else None,
                         _list_meta(lb[kind]) if kind in lb else None, LIST_KEYS)
            if c:
                per_region["lists"].append(c)
    for section in ("package", "sources", "lists"):
        out += per_region[section]
    cited = (_cited(old, region) | _cited(new, region)) if region else set()
    for section, (table, key) in TABLES.items():
        ra, rb = _rows(old, table, key), _rows(new, table, key)
        for k in sorted(ra.keys() | rb.keys()):
            reg = _row_region(section, k, ra.get(k), rb.get(k))
            if region is not None:
                row = rb.get(k) or ra.get(k) or {}
                about = reg == region or (section == "regions" and row.get("parent") == region) \
                    or (section == "laws" and k in cited)
                if not about:
                    continue
            c = _compare(section, reg, k, ra.get(k), rb.get(k))
            if c:
                out.append(c)
    return out
