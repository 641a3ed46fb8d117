"""The XLSX download: one sheet per list kind, plus regions, laws and sources.

Written by XlsxWriter (pinned in requirements.txt) in ``constant_memory`` mode: each row goes to a
temporary file as soon as the next one starts, so memory stays bounded at national scale, and text
cells are inline strings (no shared-string table). The workbook is then rezipped with fixed dates;
its document properties are fixed too, so the file is byte-identical under the same XlsxWriter
version. (The XLSX of 2026.1 and 2026.2 as published were written by openpyxl: same cells, other bytes.)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from villagecat.exports.common import (EXCEL_SHEET_MAX, KINDS, REGION_FIELD, SOURCES_FIELDS, TITLE, ExportSpec, _INTEGER,
                                       kind_rows, law_rows, neutralise, region_rows, source_rows, written_bytes)

# zlib's default: level 9 (as the other zips) made the XLSX 5 % smaller but took 1.1–1.2 s more at 50k items
_LEVEL = 6


def _sheet_title(kind: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", KINDS[kind][1])[:EXCEL_SHEET_MAX] if kind in KINDS else kind


def xlsx_bytes(spec: ExportSpec) -> bytes:
    """:func:`write_xlsx` into memory."""
    return written_bytes(write_xlsx, spec, "out.xlsx")


def write_xlsx(path: str | os.PathLike, spec: ExportSpec) -> None:
    """One sheet per list kind (Chinese headers from the schema titles, header row bold and frozen),
    plus regions, laws and sources.

    Every text cell is a string cell (never a formula) with the same neutralising prefix as the
    Excel CSV; integer fields holding an integer are numbers; an empty value is an empty cell. The
    workbook is rezipped with fixed dates and has fixed document properties.
    """
    from xlsxwriter import Workbook

    text_sheet = _text_sheet_class()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "xlsxwriter.xlsx"
        # Only write_string and write_number are called, never write(), so nothing is guessed; the
        # strings_to_* options are off all the same, in case a call is ever changed. On an error the
        # context still closes the workbook (in tmp, thrown away) instead of its destructor.
        with Workbook(str(raw), {"constant_memory": True, "tmpdir": tmp, "strings_to_numbers": False,
                                 "strings_to_formulas": False, "strings_to_urls": False}) as wb:
            wb.set_properties({"title": f"{TITLE} {spec.version}", "author": "villagecat",
                               "created": dt.datetime(*spec.stamp)})
            bold = wb.add_format({"bold": True})

            def sheet(title: str, headers: list[str], rows: list[list], types: list[str]):
                ws = wb.add_worksheet(title, worksheet_class=text_sheet)
                ws.freeze_panes(1, 0)
                for c, h in enumerate(headers):
                    _check(ws.write_string(0, c, neutralise(h), bold), title, 0, c)
                # constant_memory: rows strictly in order (a row is flushed when the next one starts)
                for r, row in enumerate(rows, 1):
                    for c, (v, t) in enumerate(zip(row, types)):
                        if t == "integer" and isinstance(v, str) and _INTEGER.fullmatch(v.strip()):
                            code = ws.write_number(r, c, int(v))
                        elif v is None or v == "":
                            continue  # an empty cell, as openpyxl's empty inline string read back
                        else:
                            code = ws.write_string(r, c, neutralise(v if isinstance(v, str) else str(v)))
                        if code:
                            _check(code, title, r, c)

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
        _rezip_xlsx(raw, path, spec.stamp)


def _check(code: int, title: str, row: int, col: int) -> None:
    """XlsxWriter returns -1 past the last row or column and -2 when it cut a string at 32,767
    characters: refuse rather than drop or shorten data."""
    if code:
        from xlsxwriter.utility import xl_rowcol_to_cell

        why = "超出工作表范围 / outside the sheet" if code == -1 else "超过 32767 个字符 / longer than 32,767 characters"
        raise ValueError(f"XLSX 工作表 {title} 单元格 {xl_rowcol_to_cell(row, col)}：{why}")


def _text_sheet_class():
    """XlsxWriter's worksheet, less its unescaped rich-text shortcut (made here, not at import, so
    that importing the exports does not import XlsxWriter)."""
    from xlsxwriter.worksheet import Worksheet
    from xlsxwriter.utility import _preserve_whitespace

    class TextSheet(Worksheet):
        """In ``constant_memory`` mode XlsxWriter copies a string that starts with ``<r>`` and ends
        with ``</r>`` into the sheet unescaped, as rich text: a value like that could inject any XML
        (a formula too). We never write rich text, so such a value is escaped like any other string."""

        def _xml_rich_inline_string(self, string, attributes=[]):  # noqa: B006 (XlsxWriter's signature)
            self._xml_inline_string(string, _preserve_whitespace(string), attributes)

    return TextSheet


def _rezip_xlsx(raw, path, stamp: tuple) -> None:
    """XlsxWriter dates every zip entry 1980-01-31 in local time and gives it the temporary file's
    mode: rewrite each entry with the release date and fixed modes, in XlsxWriter's order
    ([Content_Types].xml first), streamed so that no sheet is held in memory."""
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = _LEVEL  # ZipFile.open(info, "w") takes the level only from here
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.file_size = entry.file_size  # lets zipfile choose ZIP64 for a sheet over 2 GiB
            with src.open(entry) as fin, dst.open(info, "w") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
