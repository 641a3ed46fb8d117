"""Structure layer: every CSV against its Table Schema (header, row shape, types, constraints, ids).

Headers and row lengths are checked here; cell values go to frictionless as already-decoded rows
(never as files, so it cannot guess encodings), and its errors come back as our problems with the
real line number and column.
"""

from __future__ import annotations

import functools
import json
import re

from villagecat.model import Catalogue, Table
from villagecat.problems import PER_RULE, Problem, define, problem, truncated
from villagecat.schemas import shared_table_schema, table_schema

define("header-unknown-column", "structure", "未知列", "Unknown column",
       "表头中有未知列 {name!r}。", "The header has an unknown column {name!r}.",
       "删除该列，或检查拼写；允许的列：{allowed}。", "Remove it or fix its spelling; allowed columns: {allowed}.")
define("header-title-not-name", "structure", "表头用了中文列名", "Header uses a column's Chinese title",
       "表头 {name!r} 是列 {field} 的中文标题；CSV 的表头写列名。", "Header {name!r} is the Chinese title of column {field}; a CSV header holds column names.",
       "把表头 {name!r} 改为 {field}；从 Excel/WPS 表格导入时用 villagecat import，它会对应中文表头、跳过标题行。",
       "Rename {name!r} to {field}; to bring in an Excel/WPS sheet use villagecat import, which maps Chinese headers and skips title rows.")
define("header-missing-column", "structure", "缺少列", "Missing column",
       "表头缺少列 {name!r}。", "The header lacks column {name!r}.",
       "按表结构补上该列（可以全空）；列顺序：{allowed}。", "Add the column (it may be empty); column order: {allowed}.")
define("header-order", "structure", "列顺序不对", "Columns out of order",
       "列的顺序与表结构不一致。", "The columns are not in the schema's order.",
       "把列排成：{allowed}。", "Order the columns as: {allowed}.")
define("header-duplicate-column", "structure", "列名重复", "Duplicate column",
       "列 {name!r} 出现了不止一次。", "Column {name!r} appears more than once.",
       "删除重复的列。", "Remove the duplicate column.")
define("row-length", "structure", "行的单元格数不对", "Wrong number of cells",
       "这一行有 {found} 个单元格，表头有 {expected} 列。", "This row has {found} cells; the header has {expected} columns.",
       "检查是否多了或少了逗号；含逗号的值要用英文双引号括起。", "Look for a missing or extra comma; quote values that contain commas.")
define("required-missing", "structure", "必填项为空", "Required value missing",
       "必填列 {field} 为空。", "Required column {field} is empty.",
       "填写该值；参见数据字典中 {field} 的说明。", "Fill it in; see {field} in the data dictionary.")
define("cell-type", "structure", "值的类型不对", "Wrong value type",
       "{field} 的值 {value!r} 不是{type_zh}。", "{field} value {value!r} is not {type}.",
       "改为{type_zh}，如 {example}。", "Write {type}, e.g. {example}.")
define("pattern-mismatch", "structure", "格式不符", "Value does not match pattern",
       "{field} 的值 {value!r} 不符合格式 {pattern}。", "{field} value {value!r} does not match {pattern}.",
       "按格式填写，如 {example}。", "Follow the format, e.g. {example}.")
define("enum-mismatch", "structure", "不在可选值中", "Value not allowed",
       "{field} 的值 {value!r} 不是可选值之一：{allowed}。", "{field} value {value!r} is not one of {allowed}.",
       "改为可选值之一。", "Use one of the allowed values.")
define("value-out-of-range", "structure", "值超出范围", "Value out of range",
       "{field} 的值 {value!r} 超出允许范围（{detail}）。", "{field} value {value!r} is out of range ({detail}).",
       "检查该值；文字过长时可能是引号错位把几行并成了一格。", "Check the value; overlong text often means a misplaced quote merged cells.")
define("duplicate-id", "structure", "编号重复", "Duplicate id",
       "编号 {value} 重复出现（另见 {other}）。", "Id {value} occurs more than once (see also {other}).",
       "每条事项的编号必须唯一：给新事项分配一个从未用过的编号。", "Every item needs its own id: give the new item a number never used before.")

_ASCII_INT = re.compile(r"-?[0-9]+")


def _int_ok(value: str) -> bool:
    try:
        int(value)
        return True
    except ValueError:
        return False


TYPE_ZH = {"integer": "整数", "number": "数字", "date": "日期", "boolean": "布尔值", "string": "文本"}


def check_table(root, table: Table, kind: str) -> list[Problem]:
    """All structural problems of one CSV against the Table Schema of ``kind``."""
    if not table.readable:
        return []
    schema = shared_table_schema(root, kind)  # only read here and below
    names, allowed, titles = _header_plan(schema)
    out: list[Problem] = []
    header = table.header
    seen: set[str] = set()
    titled: set[str] = set()  # fields whose Chinese title stands in the header instead of their name
    for name in header:
        if name in seen:
            out.append(problem("header-duplicate-column", file=table.path, row=1, column=name, name=name))
        seen.add(name)
        if name not in names and titles.get(name.strip()) and titles[name.strip()] not in header:
            titled.add(titles[name.strip()])
            out.append(problem("header-title-not-name", file=table.path, row=1, column=name, name=name,
                               field=titles[name.strip()]))
        elif name not in names:
            out.append(problem("header-unknown-column", file=table.path, row=1, column=name, name=name, allowed=allowed))
    for name in names:
        if name not in header and name not in titled:
            out.append(problem("header-missing-column", file=table.path, row=1, column=name, name=name, allowed=allowed))
    present = [n for n in names if n in header]
    if not out and header != present:
        out.append(problem("header-order", file=table.path, row=1, allowed=allowed))
    short = [(line, len(raw)) for raw, line in zip(table.raw_rows, table.lines) if len(raw) != len(header)]
    for line, found in short[:PER_RULE]:  # the report lists no more; the rest is counted, not made
        out.append(problem("row-length", file=table.path, row=line, found=found, expected=len(header)))
    if len(short) > PER_RULE:
        out.append(truncated(table.path, "row-length", len(short) - PER_RULE, short[PER_RULE][0]))
    out.extend(_check_cells(table, schema, present))
    return out


def _cell_fields(schema: dict, present: list[str]) -> tuple[list[dict], list[str]]:
    """The fields checked cell by cell (those in the header, without ``unique``) and the unique ones."""
    fields = [f for f in schema["fields"] if f["name"] in present]
    unique_fields = [f["name"] for f in fields if f.get("constraints", {}).get("unique")]
    fields = [{**f, "constraints": {k: v for k, v in f["constraints"].items() if k != "unique"}} if "constraints" in f else f
              for f in fields]
    return fields, unique_fields


_plans: dict[tuple, tuple] = {}  # (id of a schema, …) → (the schema, what is worked out from it)


def _planned(schema: dict, key: tuple, make):
    """What ``make()`` works out from ``schema`` (and ``key``), once per run and schema: a table
    schema is the same for the thousands of lists of its kind."""
    entry = _plans.get((id(schema), *key))
    if entry is None or entry[0] is not schema:
        entry = _plans[(id(schema), *key)] = (schema, make())
    return entry[1]


def _header_plan(schema: dict) -> tuple[list[str], str, dict]:
    def make():
        names = [f["name"] for f in schema["fields"]]
        return names, ",".join(names), {f.get("title"): f["name"] for f in schema["fields"] if f.get("title")}
    return _planned(schema, ("header",), make)


def _schema(source, kind: str) -> dict:
    """The Table Schema of ``kind`` as read with the catalogue (a copy: callers may change it)."""
    return table_schema(source, kind)


def _check_cells(table: Table, schema: dict, present: list[str]) -> list[Problem]:
    """Cell types and constraints, compiled from the Table Schema into plain checks; uniqueness too.

    They report exactly what frictionless (the reference implementation, kept as the oracle in
    tests: :func:`_check_cells_frictionless`) reports, with its quirks: a blank row (every cell
    missing) is not checked at all; a cell that fails its type is not checked against constraints;
    an integer is what ``int(value.strip())`` accepts; a pattern matches as ``re.match("^…$")``
    (so before a final newline too); it stops after 10,000 errors per table.
    """
    if not table.rows:
        return []
    def make():
        fields, unique_fields = _cell_fields(schema, present)
        return (fields, unique_fields, set(schema.get("missingValues", [""])),
                _compile(tuple(json.dumps(f, sort_keys=True) for f in fields)), {f["name"]: f for f in fields})
    fields, unique_fields, missing, compiled, by_name = _planned(schema, ("cells", tuple(present)), make)
    out: list[Problem] = []
    errors = 0
    for idx, row in enumerate(table.rows):
        if errors >= LIMIT_ERRORS:
            break
        found: list[tuple] = []
        blank = True
        for name, is_int, required, checks in compiled:
            cell = row.get(name, "")
            if cell in missing:
                if required:
                    found.append((name, "required", cell, "True"))
                continue
            blank = False
            value = cell
            if is_int:
                try:
                    value = int(cell.strip())
                except ValueError:
                    found.append((name, "type", cell, None))
                    continue
            for kind, test, detail in checks:
                if not test(value):
                    found.append((name, kind, cell, detail))
        if blank:
            errors += 1  # frictionless's blank-row error: not one of ours, but it counts to the limit
            continue
        for name, kind, cell, detail in found[:LIMIT_ERRORS - errors]:
            out.append(_cell_problem(table, idx, by_name, name, kind, cell, detail))
        errors += len(found)
    out.extend(_ascii_integers(table, fields))
    out.extend(_duplicates(table, unique_fields))
    return out


LIMIT_ERRORS = 10_000


@functools.lru_cache(maxsize=None)
def _compile(fields_json: tuple[str, ...]) -> list[tuple]:
    """``[(name, is_integer, required, [(constraint, test, detail), …]), …]`` in frictionless's check order."""
    out = []
    for text in fields_json:
        f = json.loads(text)
        c = f.get("constraints", {})
        typ = f.get("type", "string")
        if typ not in ("string", "integer") or (typ == "string" and f.get("format", "default") != "default"):
            raise NotImplementedError(f"type {typ}/{f.get('format')}")  # the schemas use neither
        checks = []
        order = (("minLength", "maxLength", "pattern", "enum") if typ == "string"
                 else ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"))
        for name in order:
            if c.get(name) is None:
                continue
            limit = c[name]
            if name == "minLength":
                test = lambda v, n=limit: len(v) >= n
            elif name == "maxLength":
                test = lambda v, n=limit: len(v) <= n
            elif name == "pattern":
                test = re.compile(f"^{limit}$").match
            elif name == "enum":
                allowed = frozenset(int(x) if typ == "integer" else x for x in limit)
                test = allowed.__contains__
            else:
                bound = int(limit)
                test = {"minimum": lambda v, b=bound: v >= b, "maximum": lambda v, b=bound: v <= b,
                        "exclusiveMinimum": lambda v, b=bound: v > b, "exclusiveMaximum": lambda v, b=bound: v < b}[name]
            checks.append((name, test, str(limit)))
        out.append((f["name"], typ == "integer", bool(c.get("required")), checks))
    return out


def _cell_problem(table: Table, idx: int, by_name: dict, column: str, kind: str, value: str, detail) -> Problem:
    line = table.lines[idx]
    item_id = table.rows[idx].get("id")
    field = by_name.get(column, {})
    example = field.get("example", "")
    # ``column`` is the problem's location, not a template parameter: the messages name it as ``field``.
    common = dict(file=table.path, row=line, column=column, item_id=item_id, field=column)
    if kind == "type":
        typ = field.get("type", "string")
        return problem("cell-type", **common, value=value, type=typ, type_zh=TYPE_ZH.get(typ, typ), example=example)
    if kind == "required":
        return problem("required-missing", **common)
    if kind == "pattern":
        return problem("pattern-mismatch", **common, value=value, pattern=detail, example=example)
    if kind == "enum":
        allowed = "、".join(str(x) for x in field.get("constraints", {}).get("enum", []))
        return problem("enum-mismatch", **common, value=value, allowed=allowed)
    shown = value if len(str(value)) <= 40 else str(value)[:40] + "…"
    return problem("value-out-of-range", **common, value=shown, detail=f"{kind} {detail}")


def _ascii_integers(table: Table, fields: list[dict]) -> list[Problem]:
    # Python's int() (and so frictionless) also accepts "１", "٣", "1_0" and " 1": the exports would
    # then turn them into other text. Integers here are written in ASCII digits only.
    out = []
    for f in fields:
        if f.get("type") != "integer":
            continue
        for row, line in zip(table.rows, table.lines):
            value = row.get(f["name"], "")
            if value and not _ASCII_INT.fullmatch(value) and _int_ok(value):
                out.append(problem("cell-type", file=table.path, row=line, column=f["name"], item_id=row.get("id"),
                                   field=f["name"], value=value, type="integer", type_zh=TYPE_ZH["integer"],
                                   example=f.get("example", "")))
    return out


def _duplicates(table: Table, unique_fields: list[str]) -> list[Problem]:
    out = []
    for name in unique_fields:
        first: dict[str, int] = {}
        for row, line in zip(table.rows, table.lines):
            value = row.get(name, "")
            if not value:
                continue
            if value in first:
                out.append(problem("duplicate-id", file=table.path, row=line, column=name, item_id=value,
                                   value=value, other=f"第 {first[value]} 行 / line {first[value]}"))
            else:
                first[value] = line
    return out


def _check_cells_frictionless(table: Table, schema: dict, present: list[str]) -> list[Problem]:
    """The same checks through frictionless (the compatibility oracle of the tests)."""
    from frictionless import Resource, Schema

    if not table.rows:
        return []
    fields, unique_fields = _cell_fields(schema, present)
    descriptor = {"fields": [{k: v for k, v in f.items() if k in ("name", "type", "format", "constraints")} for f in fields],
                  "missingValues": schema.get("missingValues", [""])}
    by_name = {f["name"]: f for f in fields}
    data = [present] + [[row.get(n, "") for n in present] for row in table.rows]
    resource = Resource(data=data, schema=Schema.from_descriptor(descriptor))
    out: list[Problem] = []
    report = resource.validate(limit_errors=LIMIT_ERRORS)
    for task in report.tasks:
        for err in task.errors:
            out.extend(_from_frictionless(table, err, by_name))
    out.extend(_ascii_integers(table, fields))
    out.extend(_duplicates(table, unique_fields))
    return out


_CONSTRAINT_RE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)


def _from_frictionless(table: Table, err, by_name: dict) -> list[Problem]:
    row_number = getattr(err, "row_number", None)
    if row_number is None:
        return []
    idx = row_number - 2
    if not 0 <= idx < len(table.lines):
        return []
    column = getattr(err, "field_name", None)
    value = getattr(err, "cell", "")
    if err.type == "type-error":
        return [_cell_problem(table, idx, by_name, column, "type", value, None)]
    if err.type == "constraint-error":
        m = _CONSTRAINT_RE.search(err.note or "")
        kind, detail = (m.group(1), m.group(2)) if m else ("", err.note or "")
        return [_cell_problem(table, idx, by_name, column, kind, value, detail)]
    return []


def check_structure(cat: Catalogue, regions=None, shared: bool = True) -> list[Problem]:
    """Every table of ``cat`` against the schemas read with it (``check_table`` takes the catalogue as
    ``root``): the shared tables (unless ``shared`` is false) and the lists of ``regions`` (adcodes;
    all when None)."""
    out: list[Problem] = []
    for name, table in cat.tables.items() if shared else ():
        out.extend(check_table(cat, table, name))
    for lst in cat.lists():
        if regions is None or lst.region in regions:
            out.extend(check_table(cat, lst.table, lst.kind))
    return out
