"""Turn a file's bytes into text, rows or a mapping, reporting every way the bytes can be wrong.

We decode ourselves rather than let frictionless guess: its guesses are silent, so a GBK file from
Excel or WPS would validate as if it were fine. Each function returns ``(value, problems)``; the
value is ``None`` when nothing usable could be read.

>>> rows, probs = read_csv_bytes("a.csv", "id,text\\n1,证明\\n".encode())
>>> rows, probs
([['id', 'text'], ['1', '证明']], [])
>>> _, probs = read_csv_bytes("a.csv", "id,text\\n1,证明\\n".encode("gbk"))
>>> probs[0].rule
'encoding-not-utf8'
"""

from __future__ import annotations

import csv
import io

import yaml

from villagecat.problems import Problem, define, problem, WARNING

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024
MAX_FIELD_CHARS = 100_000

define("file-too-large", "input", "文件过大", "File too large",
       "文件大小 {size} 字节，超过上限 {limit} 字节。", "The file is {size} bytes, over the limit of {limit}.",
       "把清单拆分为按地区的多个文件，或检查是否误放了其他文件。", "Split the list by region, or check that the right file is here.")
define("file-empty", "input", "空文件", "Empty file",
       "文件是空的。", "The file is empty.",
       "至少写入表头一行（列名见 schemas/ 中的表结构）。", "Write at least the header row (columns: see the table schema in schemas/).")
define("binary-file", "input", "不是文本文件", "Not a text file",
       "文件含有 NUL 字节（第 {offset} 字节），不是文本文件。", "The file contains a NUL byte (at byte {offset}); it is not text.",
       "用文本编辑器另存为 UTF-8 编码的 CSV/YAML；不要提交 Excel/WPS 原文件。", "Save it as UTF-8 CSV/YAML from a text editor; do not commit the Excel/WPS file itself.")
define("encoding-not-utf8", "input", "编码不是 UTF-8", "Encoding is not UTF-8",
       "文件不是 UTF-8 编码，看起来是 {encoding}。", "The file is not UTF-8; it looks like {encoding}.",
       "转换为 UTF-8：iconv -f {iconv} -t UTF-8 '{path}' > tmp.csv && mv tmp.csv '{path}'",
       "Convert it to UTF-8: iconv -f {iconv} -t UTF-8 '{path}' > tmp.csv && mv tmp.csv '{path}'")
define("encoding-unknown", "input", "无法识别编码", "Unknown encoding",
       "文件既不是 UTF-8 也不是 GB18030/GBK（第 {offset} 字节无法解码）。", "The file is neither UTF-8 nor GB18030/GBK (byte {offset} cannot be decoded).",
       "用文本编辑器以 UTF-8 编码重新保存该文件。", "Re-save the file as UTF-8 in a text editor.")
define("utf8-bom", "input", "文件开头有 BOM", "Byte-order mark at start",
       "文件以 UTF-8 BOM（EF BB BF）开头，这通常是 Excel/WPS “CSV UTF-8” 导出造成的。", "The file starts with a UTF-8 byte-order mark (EF BB BF), as Excel/WPS “CSV UTF-8” exports write.",
       "去掉 BOM：sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'", "Remove it: sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'", severity=WARNING)
define("csv-malformed", "input", "CSV 格式错误", "Malformed CSV",
       "CSV 无法解析：{detail}。", "The CSV cannot be parsed: {detail}.",
       "检查该行的英文双引号是否成对；含逗号、引号或换行的值要用双引号括起，值内的双引号写成两个 \"\"。",
       "Check that double quotes are paired on that line; quote values containing commas, quotes or line breaks, and double any quote inside (\"\").")
define("csv-field-too-long", "input", "单元格过长", "Cell too long",
       "单元格超过 {limit} 个字符，可能是引号未闭合把后面的内容都吞进来了。", "A cell is over {limit} characters: probably an unclosed quote swallowed the rest of the file.",
       "找到未闭合的英文双引号并补齐。", "Find the unclosed double quote and close it.")
define("yaml-syntax", "input", "YAML 语法错误", "YAML syntax error",
       "YAML 无法解析：{detail}。", "The YAML cannot be parsed: {detail}.",
       "检查缩进（只用空格）和冒号后的空格；含冒号或 # 的值要加引号。", "Check indentation (spaces only) and the space after colons; quote values containing ':' or '#'.")
define("yaml-alias", "input", "YAML 使用了锚点或别名", "YAML anchors or aliases",
       "YAML 中使用了锚点/别名（&、*），本项目不接受。", "The YAML uses anchors/aliases (& and *), which this project does not accept.",
       "把别名处的内容直接写出来。", "Write the aliased content out in full.")
define("yaml-not-mapping", "input", "YAML 顶层不是映射", "YAML is not a mapping",
       "catalogue.yaml 的顶层应是“键: 值”映射，实际是 {found}。", "catalogue.yaml must be a mapping of keys to values at the top; found {found}.",
       "参照 docs/data-conventions.md 中的示例重写该文件。", "Rewrite it after the example in docs/data-conventions.md.")

define("yaml-duplicate-key", "input", "YAML 键重复", "Duplicate YAML key",
       "键 {key!r} 在同一层出现了两次（另见第 {other} 行）；YAML 只保留后一个值，前一个被悄悄丢弃。",
       "Key {key!r} appears twice at the same level (see also line {other}); YAML keeps the last value and silently drops the first.",
       "合并两处内容，删除其中一个。", "Merge the two and delete one of them.")


def decode_text(path: str, data: bytes, limit: int) -> tuple[str | None, list[Problem]]:
    """Bytes → text, or ``None`` with the problems that make it unusable."""
    if len(data) > limit:
        return None, [problem("file-too-large", file=path, size=len(data), limit=limit)]
    if not data.strip():
        return None, [problem("file-empty", file=path)]
    probs: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "UTF-16LE" if data.startswith(b"\xff\xfe") else "UTF-16BE"
        return None, [problem("encoding-not-utf8", file=path, encoding=f"UTF-16（{enc}）", iconv="UTF-16", path=path)]
    if data.startswith(b"\xef\xbb\xbf"):
        probs.append(problem("utf8-bom", file=path, row=1, path=path))
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, probs + [problem("binary-file", file=path, offset=nul)]
    try:
        return data.decode("utf-8"), probs
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return None, probs + [problem("encoding-unknown", file=path, offset=bad)]
    row = data[:bad].count(b"\n") + 1
    return None, probs + [problem("encoding-not-utf8", file=path, row=row, encoding="GB18030/GBK（Excel/WPS 中文默认编码）", iconv="GB18030", path=path)]


class CsvRows(list):
    """Rows of a CSV (header first) with ``lines``: the physical line each row starts on."""

    lines: list[int]


def read_csv_bytes(path: str, data: bytes, limit: int = MAX_CSV_BYTES) -> tuple[CsvRows | None, list[Problem]]:
    """Bytes → rows (header first). Row numbers in problems are physical line numbers."""
    text, probs = decode_text(path, data, limit)
    if text is None:
        return None, probs
    rows = CsvRows()
    rows.lines = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                return None, probs + [problem("csv-field-too-long", file=path, row=start, limit=MAX_FIELD_CHARS)]
            rows.append(row)
            rows.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return None, probs + [problem("csv-malformed", file=path, row=reader.line_num + 1, detail=str(exc))]
    return rows, probs


class _NoAliasCheck:
    """Reject anchors and aliases before composing: an alias bomb expands only when walked."""

    @staticmethod
    def has_alias(text: str) -> bool:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return True
        return False


def read_yaml_bytes(path: str, data: bytes, limit: int = MAX_YAML_BYTES):
    """Bytes → (mapping, composed node for line lookups, problems)."""
    text, probs = decode_text(path, data, limit)
    if text is None:
        return None, None, probs
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if _NoAliasCheck.has_alias(text):
            return None, None, probs + [problem("yaml-alias", file=path)]
        node = yaml.compose(text, Loader=loader)
        value = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        detail = (getattr(exc, "problem", None) or str(exc)).strip()
        return None, None, probs + [problem("yaml-syntax", file=path, row=row, detail=detail)]
    except (RecursionError, ValueError, OverflowError) as exc:  # absurd nesting, bad scalars
        return None, None, probs + [problem("yaml-syntax", file=path, detail=type(exc).__name__)]
    if not isinstance(value, dict):
        found = "空文件" if value is None else type(value).__name__
        return None, None, probs + [problem("yaml-not-mapping", file=path, row=1, found=found)]
    return value, node, probs + _duplicate_keys(path, node)


def _duplicate_keys(path: str, root) -> list[Problem]:
    """Keys repeated within one mapping: the loader keeps the last and says nothing."""
    out: list[Problem] = []
    stack = [root]
    while stack:  # iterative: the document may nest deeply
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                    if k.value in seen:
                        out.append(problem("yaml-duplicate-key", file=path, row=k.start_mark.line + 1,
                                           key=k.value, other=seen[k.value]))
                    else:
                        seen[k.value] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(out, key=lambda p: p.row)


def yaml_line(node, path: tuple) -> int | None:
    """The line (1-based) where the value at ``path`` (keys and indexes) starts, if known."""
    best = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if node is None:
            break
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    nxt = v
                    best = k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            best = node.start_mark.line + 1
        else:
            break
    return best
