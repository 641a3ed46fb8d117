"""Text policy: no control, escape or bidi character in any text field of the catalogue.

Every cell of every catalogue CSV (the region lists and the shared tables regions.csv, laws.csv,
known-documents.csv, withdrawn.csv, header included) and every string (key or value) of every
catalogue.yaml is checked against :mod:`villagecat.textpolicy`. Such a character is invisible in
an editor, yet it can end a page's front matter (DEL, C1), crash the spreadsheet export (a
vertical tab), rewrite a terminal or CI log (ESC) or show text in another order than it is stored
(bidi controls). Each problem names the file, line, column, item, the code point and its
position in the value.
"""

from __future__ import annotations

from villagecat.decode import yaml_line
from villagecat.problems import define, problem
from villagecat.textpolicy import (BIDI_CONTROL, CONTROL, LINE_BREAK, MULTILINE_COLUMNS, MULTILINE_KEYS, char_names,
                                   findings, suspect)

define(CONTROL, "input", "文本中有控制字符", "Control character in text",
       "{field} 的第 {position} 个字符是控制字符 {codepoint}（{name_zh}）{more}。它在编辑器里看不见，却会改变终端、网页、"
       "表格软件对这段文字的处理。",
       "Character {position} of {field} is the control character {codepoint} ({name}){more_en}. It is invisible in an "
       "editor, yet changes how terminals, web pages and spreadsheets treat the text.",
       "删除该字符（制表符改为空格）；它多半来自从 Word、PDF 或网页复制的文字。",
       "Delete it (a tab becomes a space); it usually comes with text copied out of Word, a PDF or a web page.")
define(BIDI_CONTROL, "input", "文本中有双向文字控制符", "Bidirectional control character in text",
       "{field} 的第 {position} 个字符是双向文字控制符 {codepoint}（{name}）{more}，它让文字的显示顺序与实际内容不同。",
       "Character {position} of {field} is the bidirectional control {codepoint} ({name}){more_en}: it makes text "
       "display in another order than it is stored.",
       "删除该字符；目录中的中文文字不需要改变书写方向。", "Delete it; the catalogue's Chinese text never needs a change of direction.")
define(LINE_BREAK, "input", "此处不能换行", "Line break not allowed here",
       "{field} 的第 {position} 个字符 {codepoint}（{name_zh}）是换行{more}；{allowed}。",
       "Character {position} of {field}, {codepoint} ({name}), is a line break{more_en}; {allowed_en}.",
       "单行字段（编号、名称、标题等）把内容写成一行；text、legal_basis_text、note 等说明性字段可以换行，但只用普通换行符"
       "（LF，或 Windows 的 CR LF），不用单独的回车符或 Unicode 行、段分隔符。见 docs/data-conventions.md。",
       "Write one-line fields (ids, names, titles …) on one line; prose fields such as text, legal_basis_text and "
       "note may span lines, with plain line feeds (LF, or a Windows CR LF) only, never a lone CR or a Unicode line "
       "or paragraph separator. See docs/data-conventions.md.")

_ONE_LINE = ("此字段只能写一行", "this field is a single line")
_LF_ONLY = ("此字段换行只能用普通换行符 LF（U+000A）", "line breaks in this field must be plain line feeds (U+000A)")


def _problems(value: str, multiline: bool, *, file: str, row, column, item_id, field: str):
    for f in findings(value, multiline):
        name, name_zh = char_names(f.char)
        extra = f.count - 1
        params = dict(field=field, position=f.position, codepoint=f.codepoint, name=name, name_zh=name_zh,
                      more=f"，此值中另有 {extra} 个同类字符" if extra else "",
                      more_en=f", and {extra} more like it in this value" if extra else "")
        if f.rule == LINE_BREAK:
            zh, en = _ONE_LINE if not multiline else _LF_ONLY
            params.update(allowed=zh, allowed_en=en)
        yield problem(f.rule, file=file, row=row, column=column, item_id=item_id, **params)


def check_table(table):
    """Every cell of one CSV (header row included) against the text policy."""
    header = table.header
    for i, name in enumerate(header):
        yield from _problems(name, False, file=table.path, row=1, column=name, item_id=None,
                             field=f"表头第 {i + 1} 列 / header cell {i + 1}")
    for raw, line in zip(table.raw_rows, table.lines):
        if not suspect("".join(raw)):
            continue  # the common case: nothing suspect anywhere in the row
        ident = None
        for key in ("id", "adcode"):
            if key in header and header.index(key) < len(raw):
                ident = raw[header.index(key)] or None
                break
        for i, cell in enumerate(raw):
            column = header[i] if i < len(header) else None
            field = column if column is not None else f"第 {i + 1} 个单元格 / cell {i + 1}"
            yield from _problems(cell, column in MULTILINE_COLUMNS, file=table.path, row=line, column=column,
                                 item_id=ident, field=field)


def _walk(value, path):
    """(path, string, is_key) for every suspect string key and value of a YAML mapping, iteratively
    (in the order of a walk over every string; a clean string is skipped without building its path)."""
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and suspect(k):
                    yield where + (k,), k, True
                if isinstance(v, (dict, list)) or isinstance(v, str) and suspect(v):
                    stack.append((v, where + (k,)))
        elif isinstance(node, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(node)
                         if isinstance(v, (dict, list)) or isinstance(v, str) and suspect(v))
        elif isinstance(node, str):
            yield where, node, False


def check_package(region):
    file = f"catalogues/{region.folder}/catalogue.yaml"
    for path, text, is_key in _walk(region.package, ()):
        keys = [p for p in path if isinstance(p, str)]
        column = keys[-1] if keys else None
        where = "/".join(str(p) for p in path) or "(顶层)"
        multiline = not is_key and column in MULTILINE_KEYS
        field = f"键 {where} / key {where}" if is_key else where
        yield from _problems(text, multiline, file=file, row=yaml_line(region.package_node, path), column=column,
                             item_id=None, field=field)


REGIONAL = True  # looks at one region at a time (villagecat.rules): run where the regions are read


def check(cat, regions=None, shared: bool = True):
    """The shared tables (unless ``shared`` is false), and the lists and ``catalogue.yaml`` of
    ``regions`` (adcodes; all when None)."""
    for table in cat.tables.values() if shared else ():
        yield from check_table(table)
    for region in cat.catalogued_regions():
        if regions is not None and region.adcode not in regions:
            continue
        for lst in region.lists.values():
            yield from check_table(lst.table)
    for region in cat.catalogued_regions():
        if region.package and (regions is None or region.adcode in regions):
            yield from check_package(region)
