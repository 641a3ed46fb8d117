"""The canonical form of a catalogue CSV, and ``villagecat fmt`` which writes it.

Canonical means: UTF-8 without BOM, LF line ends, cells trimmed, header cells that hold a column's
Chinese title renamed to the column, the schema's columns in the schema's order (missing ones added empty, unknown ones kept after them), and a list's rows sorted
by ``seq`` (within each category when the source numbers each section from 1; rows whose ``seq``
is not a number keep their order, after the others). Nothing else:
formatting never changes what a cell says, so ``fmt`` is safe to run on any pull request.

``import`` writes through :func:`csv_text` too, so what it writes is already formatted.

>>> csv_text(["id", "text"], [{"id": "1", "text": "证明, 甲"}])
'id,text\\n1,"证明, 甲"\\n'
>>> decode_any("序号,名称\\n".encode("gbk"))
('序号,名称\\n', 'GB18030/GBK')
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.decode import read_yaml_bytes

from villagecat.model import KINDS
from villagecat.schemas import table_schema

SHARED_TABLES = ("regions", "laws", "known-documents", "withdrawn")
_ASCII_INT = re.compile(r"[0-9]+")


class FormatError(ValueError):
    """A file whose meaning formatting could change (bad CSV, duplicate columns, ragged rows)."""


def decode_any(data: bytes) -> tuple[str, str]:
    """Bytes of a CSV saved by Excel, WPS or an editor → (text, the encoding it was in)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8（带 BOM / with BOM）"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030/GBK"
    except UnicodeDecodeError as exc:
        raise FormatError(f"既不是 UTF-8 也不是 GB18030/GBK（第 {exc.start} 字节）/ neither UTF-8 nor GB18030/GBK "
                          f"(byte {exc.start})") from None


def parse_csv(text: str) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise FormatError(f"CSV 无法解析 / cannot parse the CSV: {exc}") from None


def trim(value: str) -> str:
    return value.strip()


def seq_key(value: str) -> tuple[int, int]:
    value = value.strip()
    return (0, int(value)) if _ASCII_INT.fullmatch(value) else (1, 0)


def canonical(rows: list[list[str]], names: list[str], sort_by_seq: bool,
              titles: dict[str, str] | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (as dicts) in canonical order; raises :class:`FormatError` when unsafe.

    A header cell holding a column's Chinese title (``titles``: title → name) becomes its name.
    """
    if not rows:
        return list(names), []
    header = [trim(h) for h in rows[0]]
    titles = titles or {}
    header = [titles[h] if h not in names and h in titles and titles[h] not in header else h for h in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FormatError(f"列名重复 / duplicate columns: {', '.join(dupes)}")
    records = []
    for raw in rows[1:]:
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            raise FormatError(f"有一行 {len(raw)} 个单元格，表头 {len(header)} 列 / a row has {len(raw)} cells, "
                              f"the header {len(header)}")
        records.append({h: trim(v) for h, v in zip(header, raw)})
    out_header = list(names) + [h for h in header if h not in names]
    if sort_by_seq and "seq" in out_header:
        sort_records(records)
    return out_header, records


def sort_records(records: list[dict[str, str]]) -> None:
    """Sort a list's rows by ``seq``, in place and stably.

    When each ``seq`` occurs once, the numbering runs through the list: sort by it. When numbers
    repeat, the source numbers each section from 1 (or sub-items share their item's number): sort
    by ``seq`` within each category, the categories in the order they first appear.
    """
    seqs = [r.get("seq", "").strip() for r in records]
    if len(set(seqs)) == len(seqs):
        records.sort(key=lambda r: seq_key(r.get("seq", "")))
        return
    rank: dict[str, int] = {}
    for r in records:
        rank.setdefault(r.get("category", ""), len(rank))
    records.sort(key=lambda r: (rank[r.get("category", "")], seq_key(r.get("seq", ""))))


def csv_text(header: list[str], records: list[dict[str, str]]) -> str:
    """The canonical text: minimal quoting, LF; a row holding a bare CR is fully quoted."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for rec in records:
        row = [rec.get(h, "") for h in header]
        (quoted if any("\r" in v for v in row) else w).writerow(row)
    return buf.getvalue()


def format_bytes(data: bytes, names: list[str], sort_by_seq: bool, titles: dict[str, str] | None = None) -> bytes:
    text, _ = decode_any(data)
    header, records = canonical(parse_csv(text), names, sort_by_seq, titles)
    return csv_text(header, records).encode("utf-8")


@dataclass
class FmtResult:
    changed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    checked: int = 0


def catalogue_csvs(root: Path) -> list[tuple[Path, str]]:
    """``(path, kind)`` of every CSV ``fmt`` knows the schema of: shared tables and declared lists."""
    out = []
    cats = root / "catalogues"
    for name in SHARED_TABLES:
        p = cats / f"{name}.csv"
        if p.is_file() and not p.is_symlink():
            out.append((p, name))
    for yml in sorted(cats.glob("*/catalogue.yaml")):
        try:
            data = read_yaml_bytes(str(yml), yml.read_bytes())[0]
        except OSError:
            continue
        resources = data.get("resources") if isinstance(data, dict) else None
        for res in resources if isinstance(resources, list) else []:
            if not isinstance(res, dict):
                continue
            kind, path = str(res.get("x-kind") or res.get("name") or ""), res.get("path")
            if kind in KINDS and isinstance(path, str) and re.fullmatch(r"[a-z][a-z0-9-]*\.csv", path):
                p = yml.parent / path
                if p.is_file() and not p.is_symlink():
                    out.append((p, kind))
    return out


def fmt(root: str | Path, paths: list[str | Path] | None = None, write: bool = True) -> FmtResult:
    """Format the catalogue's CSVs (only those under ``paths`` when given)."""
    root = Path(root).resolve()
    wanted = [Path(p).resolve() for p in paths] if paths else None
    result = FmtResult()
    for path, kind in catalogue_csvs(root):
        if wanted and not any(path == w or w in path.parents for w in wanted):
            continue
        rel = path.relative_to(root).as_posix()
        result.checked += 1
        data = path.read_bytes()
        try:
            fields = table_schema(root, kind)["fields"]
            new = format_bytes(data, [f["name"] for f in fields], sort_by_seq=kind in KINDS,
                               titles={f["title"]: f["name"] for f in fields if f.get("title")})
        except FormatError as exc:
            result.skipped.append((rel, str(exc)))
            continue
        if new != data:
            result.changed.append(rel)
            if write:
                path.write_bytes(new)
    return result
