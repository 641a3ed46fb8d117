"""What every download format shares: the export spec, the schemas, the rows in their fixed order.

Spreadsheet formula injection is neutralised only in the files meant for Excel (the ``-excel`` CSVs
and the XLSX): a value starting with ``= + - @``, a tab or a carriage return gets a leading ``'``.
The plain CSV, the JSON, the SQLite database and the data package keep the data verbatim.

>>> neutralise("=HYPERLINK(1)"), neutralise("村民委员会")
("'=HYPERLINK(1)", '村民委员会')
"""

from __future__ import annotations

import re
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


def written_bytes(write, spec: ExportSpec, name: str) -> bytes:
    """What ``write(path, spec)`` writes, as bytes: for the writers that can only write a file
    (SQLite, openpyxl), so that tests and the in-memory build read the very same bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write(path, spec)
        return path.read_bytes()

