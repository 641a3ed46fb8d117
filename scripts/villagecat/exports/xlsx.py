"""The XLSX download: one sheet per list kind, plus regions, laws and sources (write-only openpyxl,
rezipped with fixed dates and properties)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from pathlib import Path

from villagecat.exports.common import (EXCEL_SHEET_MAX, KINDS, REGION_FIELD, SOURCES_FIELDS, TITLE, ExportSpec, _INTEGER,
                                       kind_rows, law_rows, neutralise, region_rows, source_rows, written_bytes)
from villagecat.exports.zip import _zwrite


def _sheet_title(kind: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", KINDS[kind][1])[:EXCEL_SHEET_MAX] if kind in KINDS else kind


def xlsx_bytes(spec: ExportSpec) -> bytes:
    """:func:`write_xlsx` into memory."""
    return written_bytes(write_xlsx, spec, "out.xlsx")


def write_xlsx(path: str | os.PathLike, spec: ExportSpec) -> None:
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

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "openpyxl.xlsx"
        wb.save(raw)
        _rezip_xlsx(raw, path, spec.stamp)


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _rezip_xlsx(raw, path, stamp: tuple) -> None:
    """openpyxl stamps ``modified`` with the current time and zip entries with now: fix both."""
    iso = dt.datetime(*stamp).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():  # keep openpyxl's order: [Content_Types].xml first
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(lambda m: m.group(1) + iso + m.group(3), body)
            _zwrite(dst, info.filename, body, stamp)
