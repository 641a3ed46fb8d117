"""``villagecat import``: an official's spreadsheet (XLSX, or CSV as Excel/WPS save it) → a catalogue list.

What a sheet from a government website looks like, and what this does about it:

* a title row (or several) above the header — skipped: the header is the first row in which two
  cells name known columns; the title becomes the list's title when the list is new;
* Chinese headers — mapped through the schema's own titles (``序号`` is ``seq``) and the usual
  synonyms (:data:`SYNONYMS`); a header that maps to nothing refuses the import, naming it;
* a number column headed ``编号`` holding 1, 2, 3 — that is the source's ``seq``, not our id;
* law titles in a basis column (《中华人民共和国村民委员会组织法》第十条) — resolved to ``laws.csv``
  ids; a title ``laws.csv`` lacks gets a new row there (never a second row for a title it has);
* GBK, GB18030, UTF-8 with or without BOM — detected, and said.

Ids: re-importing a list keeps the id of every item whose text is unchanged (and of an item whose
text was edited, when its ``seq`` is the same and the text mostly so); new items get numbers above
every id ever used for that region and kind — in the catalogue, in any release's recorded tree,
and in ``catalogues/withdrawn.csv`` — so a released id is never reused. Columns the sheet lacks
keep their values for the items it keeps.

>>> norm_header(" 事项 名称（备注）")
'事项名称(备注)'
>>> law_titles("依据《中华人民共和国村民委员会组织法》第十条、《内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法》")
['中华人民共和国村民委员会组织法', '内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法']
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.fmt import FormatError, csv_text, decode_any, parse_csv, sort_records
from villagecat.model import KINDS
from villagecat.rules.laws import norm_title  # one normalisation of law titles for import and validate
from villagecat.schemas import table_schema

# Headers officials use, beyond the schema's own titles. A synonym applies only to a kind whose
# schema has that field, and never overrides a title the schema gives to another field.
SYNONYMS: dict[str, list[str]] = {
    "seq": ["序号", "顺序号", "序"],
    "category": ["类别", "分类", "事项类别", "事项分类", "所属类别", "类型"],
    "text": ["事项名称", "事项内容", "证明名称", "证明事项名称", "证明事项", "证明材料名称", "事项", "名称", "内容",
             "标牌名称", "工作事项", "任务"],
    "legal_basis_text": ["法律依据", "政策依据", "设定依据", "依据", "法律法规依据", "法规依据", "法律法规政策依据",
                         "设定依据及条款"],
    "responsible": ["责任单位", "牵头单位", "责任部门", "牵头部门"],
    "cooperating": ["配合单位", "配合部门"],
    "deadline": ["完成时限", "时限", "完成时间"],
    "note": ["备注", "说明"],
    "alternative": ["替代办法", "替代方式", "替代措施", "取消后的办理方式"],
    "purpose": ["用途", "证明用途"],
    "authority": ["主管部门", "省级主管"],
}
LAW_ID = re.compile(r"L\d{4}")
_TITLE_RE = re.compile(r"《((?:[^《》〈〉]|〈[^〈〉《》]*〉)+)》")
_SPLIT = re.compile(r"[;；、,，\s]+")
_INT = re.compile(r"[0-9]+")


class ImportRefused(ValueError):
    """The sheet cannot be imported as it is; the message names what to change."""


def norm_header(h: str) -> str:
    return re.sub(r"\s+", "", str(h)).replace("（", "(").replace("）", ")").lower()




def law_titles(text: str) -> list[str]:
    """The titles a text cites between 《》 (an inner 〈〉 belongs to the title)."""
    return _TITLE_RE.findall(text)


# ---------------------------------------------------------------- reading a sheet

@dataclass
class Sheet:
    rows: list[list[str]]
    described: str  # how it was read: "XLSX 工作表 …" or "CSV，GB18030/GBK 编码"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def read_sheet(path: str | Path, sheet: str | None = None, kind: str | None = None) -> Sheet:
    path = Path(path)
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportRefused(f"无法打开 XLSX 文件 {path.name}：{exc} / cannot open the XLSX file") from None
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise ImportRefused(f"没有工作表 {sheet!r}；有：{'、'.join(names)} / no sheet {sheet!r}; there are {names}")
            name = sheet
        else:
            wanted = {kind, KINDS[kind][1]} if kind in KINDS else set()
            name = next((n for n in names if n in wanted), names[0])
        rows = [[_cell(v) for v in row] for row in wb[name].iter_rows(values_only=True)]
        wb.close()
        return Sheet(rows, f"XLSX 工作表 / sheet “{name}”")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused("这是旧的 .xls 文件：请在 Excel/WPS 中另存为 .xlsx 再导入 / an old .xls file: save it as .xlsx first")
    try:
        text, encoding = decode_any(data)
        rows = parse_csv(text)
    except FormatError as exc:
        raise ImportRefused(str(exc)) from None
    if sheet is not None:
        raise ImportRefused("--sheet 只用于 XLSX 文件 / --sheet is for XLSX files")
    return Sheet(rows, f"CSV，{encoding} 编码 / CSV in {encoding}")


# ---------------------------------------------------------------- headers

def header_map(root, kind: str) -> dict[str, str]:
    """Normalised header → field name, for one kind: field names, schema titles, then synonyms."""
    fields = table_schema(root, kind)["fields"]
    names = [f["name"] for f in fields]
    out: dict[str, str] = {}
    for f in fields:
        out[norm_header(f["name"])] = f["name"]
        if f.get("title"):
            out.setdefault(norm_header(f["title"]), f["name"])
    for name, words in SYNONYMS.items():
        if name in names:
            for w in words:
                out.setdefault(norm_header(w), name)
    return out


@dataclass
class Layout:
    header_row: int  # 1-based
    title_rows: list[str]
    columns: dict[int, str]  # column index → field
    ignored: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the header row's cells


def find_layout(rows: list[list[str]], mapping: dict[str, str], overrides: dict[str, str]) -> Layout:
    """The header row (the first in which two cells name known columns) and each column's field."""
    def field_of(cell: str) -> str | None:
        key = norm_header(cell)
        if key in overrides:
            return overrides[key]
        return mapping.get(key)

    for i, row in enumerate(rows[:30]):
        cells = [c.strip() for c in row]
        known = [c for c in cells if c and field_of(c)]
        if len(known) < 2:
            continue
        titles = [" ".join(c.strip() for c in r if c.strip()) for r in rows[:i]]
        columns: dict[int, str] = {}
        unknown, ignored, seen = [], [], {}
        for j, c in enumerate(cells):
            if not c:
                continue
            f = field_of(c)
            if f is None:
                unknown.append(c)
            elif f == "":
                ignored.append(c)
            elif f in seen:
                raise ImportRefused(f"“{seen[f]}”和“{c}”都对应 {f} 列；用 --map 把其中一个映射到别处或忽略（--map '{c}='）"
                                    f" / {seen[f]!r} and {c!r} both map to {f}: --map one of them elsewhere")
            else:
                seen[f] = c
                columns[j] = f
        if unknown:
            allowed = "、".join(sorted({k for k in mapping}))
            raise ImportRefused(
                "无法对应到表结构的列 / headers that map to no column: " + "、".join(f"“{u}”" for u in unknown)
                + f"\n可用的列名 / accepted headers: {allowed}\n"
                "用 --map '表头=列名' 指定对应，或 --map '表头=' 忽略该列 / use --map 'HEADER=field', or --map 'HEADER=' to drop it")
        return Layout(header_row=i + 1, title_rows=[t for t in titles if t], columns=columns, ignored=ignored,
                      headers=cells)
    raise ImportRefused("前 30 行中找不到表头（至少两个单元格要是已知列名，如 序号、事项名称）"
                        " / no header row in the first 30 rows (two cells must name known columns, e.g. 序号, 事项名称)")


# ---------------------------------------------------------------- laws

@dataclass
class LawBook:
    """laws.csv as an index by normalised title and cited form, plus the rows this import proposes."""

    by_title: dict[str, str]
    next_number: int
    added: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_catalogue(cls, cat) -> "LawBook":
        by_title: dict[str, str] = {}
        top = 0
        for law in cat.laws.values():
            for t in (law.title, law.cited_as):
                if t:
                    by_title.setdefault(norm_title(t), law.id)
            if LAW_ID.fullmatch(law.id):
                top = max(top, int(law.id[1:]))
        return cls(by_title, top + 1)

    def resolve(self, title: str, origin: str) -> str:
        key = norm_title(title)
        if key in self.by_title:
            return self.by_title[key]
        lid = f"L{self.next_number:04d}"
        self.next_number += 1
        clean = title.replace("〈", "《").replace("〉", "》")
        self.added.append({"id": lid, "title": clean, "cited_as": title if clean != title else "",
                           "note": f"由 villagecat import 从 {origin} 添加：请核对正式名称，补全效力层级和制定机关。"})
        self.by_title[key] = lid
        return lid


def basis_ids(cell: str, laws: LawBook, origin: str, from_text: bool) -> tuple[str, list[str]]:
    """A basis cell → ``L0001;L0002`` and the parts that are neither ids nor law titles."""
    ids: list[str] = []
    leftover: list[str] = []
    rest = cell
    for title in law_titles(cell):
        ids.append(laws.resolve(title, origin))
        rest = rest.replace(f"《{title}》", " ")
    if not from_text:
        for tok in _SPLIT.split(rest):
            tok = tok.strip()
            if not tok:
                continue
            if LAW_ID.fullmatch(tok):
                ids.append(tok)
            elif norm_title(tok) in laws.by_title:
                ids.append(laws.by_title[norm_title(tok)])
            else:
                leftover.append(tok)
    out: list[str] = []
    for i in ids:
        if i not in out:
            out.append(i)
    return ";".join(out), leftover


# ---------------------------------------------------------------- ids

def used_numbers(root: Path, cat, adcode: str, letter: str) -> set[int]:
    """Every number ever given to an id of this region and kind: catalogue, releases, withdrawn."""
    from villagecat.release import ReleaseError, verified_releases
    from villagecat.rules.released_ids import released_ids

    prefix = f"{adcode}-{letter}-"
    ids = {item.id for item in cat.items()}
    ids |= set(cat.withdrawn())
    try:
        releases = verified_releases(cat)  # the records read with the catalogue
    except (ReleaseError, OSError, ValueError):
        releases = []
    for rel in releases:
        if rel.get("tree"):
            try:
                ids |= set(released_ids(str(root), str(rel["tree"])))
            except (LookupError, OSError):
                pass  # not a git repository: there is nothing released to read here
        ids |= {str(x) for x in rel.get("removed") or []}
    return {int(i[len(prefix):]) for i in ids if i.startswith(prefix) and _INT.fullmatch(i[len(prefix):])}


# ---------------------------------------------------------------- the import

@dataclass
class ImportResult:
    path: str
    described: str
    layout: Layout
    kept: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (id, text)
    laws_resolved: int = 0
    laws_added: list[dict[str, str]] = field(default_factory=list)
    resource_added: bool = False
    title: str = ""


def _overrides(pairs: list[str], names: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        head, sep, target = pair.partition("=")
        if not sep:
            raise ImportRefused(f"--map {pair!r} 应写作 '表头=列名' / should be 'HEADER=field'")
        target = target.strip()
        if target and target not in names:
            raise ImportRefused(f"--map {pair!r}：{target!r} 不是本清单的列；列有 {', '.join(names)} / not a column")
        out[norm_header(head)] = target
    return out


def _match(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[int | None]:
    """For each new row, the index of the old row it continues: same id, else same text, else same
    seq and category with mostly the same text."""
    result: list[int | None] = [None] * len(new)
    free = set(range(len(old)))
    by_id = {rec.get("id", ""): i for i, rec in enumerate(old) if rec.get("id")}
    for j, rec in enumerate(new):  # a sheet exported by villagecat carries the ids
        i = by_id.get(rec.get("id", ""))
        if i is not None and i in free:
            result[j] = i
            free.discard(i)
    by_text: dict[str, list[int]] = {}
    for i, rec in enumerate(old):
        by_text.setdefault(rec.get("text", ""), []).append(i)
    for j, rec in enumerate(new):
        if result[j] is not None:
            continue
        cands = [i for i in by_text.get(rec.get("text", ""), []) if i in free]
        if cands:
            same_seq = [i for i in cands if old[i].get("seq") == rec.get("seq")]
            i = (same_seq or cands)[0]
            result[j] = i
            free.discard(i)
    for j, rec in enumerate(new):
        if result[j] is not None:
            continue
        best, score = None, 0.0
        for i in sorted(free):
            if old[i].get("seq") != rec.get("seq") or old[i].get("category", "") != rec.get("category", ""):
                continue
            r = difflib.SequenceMatcher(None, old[i].get("text", ""), rec.get("text", ""), autojunk=False).ratio()
            if r > score:
                best, score = i, r
        if best is not None and score >= 0.75:
            result[j] = best
            free.discard(best)
    return result


def import_list(root: str | Path, file: str | Path, adcode: str, kind: str, source: str, *,
                sheet: str | None = None, maps: list[str] | None = None, title: str | None = None,
                status: str = "complete", reported_total: int | None = None, write: bool = True) -> ImportResult:
    from villagecat.reader import read_tree
    from villagecat.trees import FolderTree

    root = Path(root)
    if kind not in KINDS:
        raise ImportRefused(f"未知的清单类型 {kind!r}；可用：{'、'.join(KINDS)} / unknown kind")
    cat = read_tree(FolderTree(root))
    region = cat.regions.get(adcode)
    if region is None or not region.folder:
        raise ImportRefused(f"地区 {adcode} 还没有文件夹：先运行 villagecat new-region {adcode} / no folder for {adcode}: "
                            f"run villagecat new-region first")
    if not region.package:
        raise ImportRefused(f"无法读取 catalogues/{region.folder}/catalogue.yaml：先运行 villagecat validate 修正 / "
                            f"cannot read its catalogue.yaml")
    if source not in region.sources:
        known = "、".join(region.sources) or "（无 / none）"
        raise ImportRefused(f"来源键 {source!r} 不在 catalogues/{region.folder}/catalogue.yaml 的 sources 中（现有：{known}）；"
                            f"先在那里登记来源文件 / source {source!r} is not among that catalogue.yaml's sources")
    existing = region.lists.get(kind)
    if existing is not None and not existing.table.readable:
        raise ImportRefused(f"无法读取现有的 {existing.table.path}：先运行 villagecat validate / cannot read the current list")

    schema = table_schema(root, kind)
    names = [f["name"] for f in schema["fields"]]
    sh = read_sheet(file, sheet, kind)
    layout = find_layout(sh.rows, header_map(root, kind), _overrides(maps or [], names))
    fields = set(layout.columns.values())
    if "text" not in fields:
        raise ImportRefused("找不到事项内容列（如 事项名称、事项内容、证明名称）/ no text column (事项名称, 事项内容, 证明名称 …)")
    # A column headed 编号 holding 1, 2, 3 is the source's numbering, not our ids.
    id_col = next((j for j, f in layout.columns.items() if f == "id"), None)
    body = [r for r in sh.rows[layout.header_row:] if any(c.strip() for c in r)]
    header_cells = [c.strip() for c in sh.rows[layout.header_row - 1]]
    body = [r for r in body if [c.strip() for c in r] != header_cells]  # a header repeated on each page
    if id_col is not None and "seq" not in fields:
        values = [r[id_col].strip() for r in body if id_col < len(r) and r[id_col].strip()]
        if values and all(_INT.fullmatch(v) for v in values):
            layout.columns[id_col] = "seq"
            fields = set(layout.columns.values())

    origin = Path(file).name
    laws = LawBook.from_catalogue(cat)
    letter = KINDS[kind][0]
    records: list[dict[str, str]] = []
    problems: list[str] = []
    for n, raw in enumerate(body, 1):
        rec = {f: (raw[j].strip() if j < len(raw) else "") for j, f in layout.columns.items()}
        if not rec.get("text"):
            problems.append(f"第 {n} 条（表中第 {layout.header_row + n} 行前后）没有事项内容 / item {n} has no text: "
                            + " | ".join(c for c in raw if c.strip())[:80])
            continue
        if "seq" not in fields:
            rec["seq"] = str(n)
        else:
            rec["seq"] = re.sub(r"^[(（]?([0-9]+)[.、)）]?$", r"\1", rec.get("seq", ""))
        if "legal_basis" in fields and rec.get("legal_basis"):
            rec["legal_basis"], left = basis_ids(rec["legal_basis"], laws, origin, from_text=False)
            if left:
                problems.append(f"第 {n} 条的法律依据中 {'、'.join(left)} 既不是 laws.csv 的编号也不是法律名称 / "
                                f"item {n}: {left} in legal_basis are neither law ids nor titles")
        elif "legal_basis_text" in fields and rec.get("legal_basis_text"):
            rec["legal_basis"], _ = basis_ids(rec["legal_basis_text"], laws, origin, from_text=True)
        if "source" not in fields or not rec.get("source"):
            rec["source"] = source
        records.append(rec)
    if problems:
        raise ImportRefused("\n".join(problems))
    if not records:
        raise ImportRefused("表头下面没有事项 / no items below the header")

    old = [dict(item.values) for item in existing.items] if existing else []
    matches = _match(old, records)
    result = ImportResult(path="", described=sh.described, layout=layout,
                          laws_added=laws.added)
    top = max(used_numbers(root, cat, adcode, letter), default=0)
    width = max([3] + [len(o.get("id", "").rsplit("-", 1)[-1]) for o in old])
    out: list[dict[str, str]] = []
    for rec, m in zip(records, matches):
        if m is None:
            top += 1
            row = {k: "" for k in names}
            row.update(rec)
            row["id"] = f"{adcode}-{letter}-{top:0{width}d}"
            result.new.append(row["id"])
        else:
            row = {k: old[m].get(k, "") for k in names}
            row.update({k: v for k, v in rec.items() if k != "id"})
            row["id"] = old[m].get("id", "")
            (result.kept if {k: row.get(k, "") for k in names} == {k: old[m].get(k, "") for k in names}
             else result.edited).append(row["id"])
        out.append(row)
    used = {m for m in matches if m is not None}
    result.removed = [(o.get("id", ""), o.get("text", "")) for i, o in enumerate(old) if i not in used]
    result.laws_resolved = sum(1 for r in out if r.get("legal_basis"))
    sort_records(out)

    folder = root / "catalogues" / region.folder
    csv_path = folder / (existing.table.path.rsplit("/", 1)[-1] if existing else f"{kind}.csv")
    result.path = csv_path.relative_to(root).as_posix()
    result.title = title or (existing.title if existing else (layout.title_rows[0] if layout.title_rows else KINDS[kind][1]))
    if not write:
        return result
    csv_path.write_text(csv_text(names, out), encoding="utf-8")
    if laws.added:
        _append_laws(root / "catalogues" / "laws.csv", laws.added)
    if existing is None:
        _add_resource(folder / "catalogue.yaml", kind, csv_path.name, result.title, source, status, reported_total)
        result.resource_added = True
    from villagecat.sync import sync
    sync(root, paths=[folder / "catalogue.yaml"])
    return result


def _append_laws(path: Path, rows: list[dict[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + buf.getvalue(), encoding="utf-8")


def _yaml_str(s: str) -> str:
    import json
    return json.dumps(s, ensure_ascii=False)


def _add_resource(yml: Path, kind: str, path: str, title: str, source: str, status: str,
                  reported_total: int | None) -> None:
    """Append a resource to catalogue.yaml textually (its comments stay); ``resources`` must be last."""
    import yaml

    text = yml.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next((i for i, l in enumerate(lines) if re.match(r"resources\s*:", l)), None)
    if at is None or any(re.match(r"[A-Za-z_][^:#]*:", l) for l in lines[at + 1:]):
        raise ImportRefused("catalogue.yaml 的 resources 要放在最后 / resources must be the last key of catalogue.yaml")
    lines[at] = re.sub(r"resources\s*:\s*\[\s*\]", "resources:", lines[at])
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # Items indented as the file's existing ones are ("- name" or "  - name").
    first = next((l for l in lines[at + 1:] if re.match(r"\s*- ", l)), "  - ")
    d = " " * (len(first) - len(first.lstrip()))
    block = (f"{d}- name: {kind}\n"
             f"{d}  path: {path}\n"
             f"{d}  title: {_yaml_str(title)}\n"
             f"{d}  x-kind: {kind}\n"
             f"{d}  x-source: {source}\n"
             f"{d}  x-completeness:\n"
             f"{d}    status: {status}           # complete 完整 / partial 部分 / examples 仅示例\n"
             f"{d}    reported_total: {'null' if reported_total is None else reported_total}"
             f"     # 源文件自述的总数，没有时为 null / the total the source reports\n"
             f"{d}    missing: \"\"              # partial/examples：缺哪些、为什么 / what is missing and why\n")
    new = "".join(lines) + block
    from villagecat.decode import read_yaml_bytes

    data = read_yaml_bytes(str(yml), new.encode("utf-8"))[0]
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list) or data["resources"][-1].get("x-kind") != kind:
        raise ImportRefused("无法在 catalogue.yaml 中添加清单（缩进不同？）/ could not add the list to catalogue.yaml")
    yml.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------- the reverse: a sheet to edit

def export_region_xlsx(cat, root, adcode: str) -> bytes:
    """One sheet per list of the region, headed by the schema's Chinese titles; import reads it back."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    region = cat.regions.get(adcode)
    if region is None or not region.lists:
        raise ImportRefused(f"地区 {adcode} 没有清单 / region {adcode} has no lists")
    wb = Workbook()
    wb.remove(wb.active)
    for kind in [k for k in KINDS if k in region.lists]:
        lst = region.lists[kind]
        fields = table_schema(root, kind)["fields"]
        ws = wb.create_sheet(KINDS[kind][1])
        ws.append([f.get("title") or f["name"] for f in fields])
        for c in ws[1]:
            c.font = Font(bold=True)
        for item in lst.items:
            ws.append([item.values.get(f["name"], "") for f in fields])
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"  # never a formula: the text is data
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
