"""CSV downloads: one file per list, per kind and per shared table; plain (verbatim) and Excel
(BOM, CRLF, formulas neutralised). Written row by row to their file or zip entry."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from villagecat.exports.common import ExportSpec, KINDS, kind_rows, law_rows, list_rows, neutralise, region_rows, source_rows


def _write_rows(fh, header: list[str], rows, excel: bool) -> None:
    w = csv.writer(fh, lineterminator="\r\n" if excel else "\n")
    # With LF line ends the csv module does not quote a bare CR, which readers then take for a
    # line break: rows holding one are written fully quoted.
    quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for row in rows:
        if excel:
            w.writerow([neutralise(v) for v in row])
        elif any(isinstance(v, str) and "\r" in v for v in row):
            quoted.writerow(row)
        else:
            w.writerow(row)


def csv_bytes(header: list[str], rows, excel: bool = False) -> bytes:
    """UTF-8 CSV; ``excel=True``: with BOM, CRLF, and formula-looking values neutralised."""
    buf = io.StringIO(newline="")
    _write_rows(buf, header, rows, excel)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data


def write_csv(path: str | os.PathLike, header: list[str], rows, excel: bool = False) -> Path:
    """The bytes of :func:`csv_bytes`, streamed to ``path``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if excel:
            fh.write("\ufeff")
        _write_rows(fh, header, rows, excel)
    return Path(path)


def csv_members(spec: ExportSpec, excel: bool) -> dict:
    """Per region ``<folder>/<kind>.csv`` (the source columns), per kind ``all/<kind>.csv`` (with
    region), tables: name → a function giving the file's bytes (made when the zip writes it)."""
    files: dict = {}
    for reg in spec.catalogue.catalogued_regions():
        for kind in KINDS:
            if kind in reg.lists:
                names = spec.names(kind)
                files[f"{reg.folder}/{kind}.csv"] = (lambda names=names, lst=reg.lists[kind]: csv_bytes(
                    names, ([item.values.get(n, "") for n in names] for item in lst.items), excel))
    for kind in spec.kinds():
        files[f"all/{kind}.csv"] = lambda kind=kind: csv_bytes(["region", *spec.names(kind)], kind_rows(spec, kind), excel)
    for name, fn in (("regions", region_rows), ("laws", law_rows), ("sources", source_rows), ("lists", list_rows)):
        files[f"{name}.csv"] = lambda fn=fn: csv_bytes(*fn(spec), excel)
    return files


def csv_files(spec: ExportSpec, excel: bool) -> dict[str, bytes]:
    """:func:`csv_members` made into bytes (all in memory: for tests and small catalogues)."""
    return {name: make() for name, make in csv_members(spec, excel).items()}
