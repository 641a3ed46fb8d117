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
import pickle
import re
from dataclasses import dataclass
from typing import NamedTuple

import yaml

from villagecat.problems import ERROR, WARNING, Problem, define, problem

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024
MAX_FIELD_CHARS = 100_000
# Hard bounds on what one pull request can make the validator hold: a county's list has fewer than
# 1 000 rows and the widest schema 14 columns, so a file past these is refused before it is kept.
MAX_COLUMNS = 64
MAX_ROWS = 200_000
MAX_CELLS = 2_000_000  # e.g. 200 000 rows of 10 columns: what one file may make the validator hold
MAX_LINE_COMMAS = 4096  # a physical line with more commas cannot be a row of at most MAX_COLUMNS cells
MAX_YAML_DEPTH = 64  # catalogue.yaml nests about 8 deep (schema copies included)

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED: dict[tuple, str] = {}  # (plain scalar, implicit flags) → tag


class _Loader(_BASE_LOADER):
    """The safe loader (libyaml's when present), with the tag of each short plain scalar resolved
    once per run: PyYAML resolves every scalar in Python by regular expressions, and the same keys
    and values ("name", "path", "utf-8", "csv" …) recur in every catalogue.yaml. Without path
    resolvers (none are registered) the tag depends on the text and flags alone."""

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers or len(value) > 64:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < 200_000:
                _RESOLVED[key] = tag
        return tag


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
       "文件不是 UTF-8（第 {offset} 字节无法按 UTF-8 解码），也不像 GB18030/GBK 编码的中文{guess_zh}。",
       "The file is not UTF-8 (byte {offset} cannot be decoded as UTF-8), nor plausibly Chinese in GB18030/GBK{guess_en}.",
       "用原来的编辑器以 UTF-8 编码重新保存该文件；不要按 GB18030 转换，用错编码转换会把文字变成乱码。",
       "Re-save the file as UTF-8 from the editor that wrote it; do not convert it from GB18030: converting from the wrong encoding garbles the text.")
define("utf8-bom", "input", "文件开头有 BOM", "Byte-order mark at start",
       "文件以 UTF-8 BOM（EF BB BF）开头，这通常是 Excel/WPS “CSV UTF-8” 导出造成的。", "The file starts with a UTF-8 byte-order mark (EF BB BF), as Excel/WPS “CSV UTF-8” exports write.",
       "去掉 BOM：sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'", "Remove it: sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'", severity=WARNING)
define("csv-malformed", "input", "CSV 格式错误", "Malformed CSV",
       "CSV 无法解析：{detail}。", "The CSV cannot be parsed: {detail}.",
       "检查该行的英文双引号是否成对；含逗号、引号或换行的值要用双引号括起，值内的双引号写成两个 \"\"。",
       "Check that double quotes are paired on that line; quote values containing commas, quotes or line breaks, and double any quote inside (\"\").")
define("csv-too-many-columns", "input", "列数过多", "Too many columns",
       "有一行超过 {limit} 个单元格，文件未被读取。", "A line has more than {limit} cells; the file was not read.",
       "每类清单只有表结构中的十几列（见 schemas/）；删除多余的列，检查是否误放了其他文件。",
       "Each list has the dozen or so columns of its table schema (see schemas/); remove the extra columns, or check that the right file is here.")
define("csv-too-many-rows", "input", "行数过多", "Too many rows",
       "文件超过 {limit} 行，未被读取。", "The file has more than {limit} rows; it was not read.",
       "一份县级清单不足 1 000 行：检查是否误放了其他文件，或按地区拆分。",
       "A county's list has fewer than 1,000 rows: check that the right file is here, or split it by region.")
define("csv-too-many-cells", "input", "单元格过多", "Too many cells",
       "文件的单元格总数超过 {limit}，未被读取。", "The file has more than {limit} cells in all; it was not read.",
       "一份清单只有几百行、十几列：检查是否误放了其他文件，或按地区拆分。",
       "A list has some hundreds of rows of a dozen columns: check that the right file is here, or split it by region.")
define("csv-field-too-long", "input", "单元格过长", "Cell too long",
       "单元格超过 {limit} 个字符，可能是引号未闭合把后面的内容都吞进来了。", "A cell is over {limit} characters: probably an unclosed quote swallowed the rest of the file.",
       "找到未闭合的英文双引号并补齐。", "Find the unclosed double quote and close it.")
define("yaml-syntax", "input", "YAML 语法错误", "YAML syntax error",
       "YAML 无法解析：{detail}。", "The YAML cannot be parsed: {detail}.",
       "检查缩进（只用空格）和冒号后的空格；含冒号或 # 的值要加引号。", "Check indentation (spaces only) and the space after colons; quote values containing ':' or '#'.")
define("yaml-alias", "input", "YAML 使用了锚点或别名", "YAML anchors or aliases",
       "YAML 中使用了锚点/别名（&、*），本项目不接受。", "The YAML uses anchors/aliases (& and *), which this project does not accept.",
       "把别名处的内容直接写出来。", "Write the aliased content out in full.")
define("yaml-too-deep", "input", "YAML 嵌套过深", "YAML nested too deep",
       "YAML 的嵌套层数超过 {limit}。", "The YAML nests more than {limit} levels deep.",
       "catalogue.yaml 只需几层嵌套；参照 docs/data-conventions.md 中的示例重写该文件。",
       "A catalogue.yaml needs only a few levels; rewrite it after the example in docs/data-conventions.md.")
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
    row = data[:bad].count(b"\n") + 1
    guess = guess_encoding(data)
    if guess == "GB18030":
        return None, probs + [problem("encoding-not-utf8", file=path, row=row, encoding="GB18030/GBK（Excel/WPS 中文默认编码）",
                                      iconv="GB18030", path=path)]
    zh, en = (f"；看起来可能是 {guess}", f"; it may be {guess}") if guess else ("", "")
    return None, probs + [problem("encoding-unknown", file=path, row=row, offset=bad, guess_zh=zh, guess_en=en)]


# Characters Chinese official text is written in, besides ideographs: CJK and full-width
# punctuation, general punctuation (“” — …), ①, ⑴, ㈠, Ⅰ, ·, ×, ℃, №.
_PUNCT = ((0x3000, 0x303F), (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5), (0x2010, 0x203B), (0x2460, 0x249B),
          (0x3220, 0x3229), (0x2160, 0x216B), (0x00B7, 0x00B7), (0x00D7, 0x00D7), (0x2103, 0x2103), (0x2116, 0x2116))
_KANA = ((0x3040, 0x30FF), (0xFF61, 0xFF9F))


def _within(ch: str, ranges) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in ranges)


def _ideograph(ch: str) -> bool:
    return _within(ch, ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)))


def _gb_common(ch: str) -> bool:
    """A character of simplified Chinese text: a GB2312 ideograph, or punctuation of such text."""
    if _within(ch, _PUNCT):
        return True
    if not _ideograph(ch):
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _plausible(data: bytes, codec: str, ok, need=None, share: float = 0.9) -> bool:
    """Whether ``data`` decodes strictly as ``codec`` into text whose non-ASCII characters are
    mostly (``share``) ones ``ok`` accepts (and, with ``need``, one at least that ``need`` accepts)."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide or (need is not None and not any(map(need, wide))):
        return False
    return sum(map(ok, wide)) >= share * len(wide)


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def guess_encoding(data: bytes) -> str | None:
    """The legacy encoding of non-UTF-8 bytes, when the decoded text is plausibly written in it.

    GB18030 (what Excel and WPS write in mainland China) only when the text reads as simplified
    Chinese: Big5 and Shift-JIS bytes mostly decode as GB18030 too, into nonsense that converting
    from GB18030 would make permanent. (EUC-KR Hangul maps onto common GB2312 ideographs and is
    not told apart: that would need character frequencies.)

    >>> text = "1,宣传贯彻党的路线方针政策。"
    >>> guess_encoding(text.encode("gbk")), guess_encoding("1,宣傳貫徹黨的路線方針政策。".encode("big5"))
    ('GB18030', 'Big5')
    >>> guess_encoding("1,これはテストです。".encode("shift_jis")), guess_encoding("café".encode("latin-1"))
    ('Shift-JIS', None)
    """
    data = b"\n".join(line for line in data.split(b"\n") if not _utf8(line))  # judge what is not UTF-8
    if _plausible(data, "gb18030", _gb_common):
        return "GB18030"
    if _plausible(data, "big5", lambda ch: _ideograph(ch) or _within(ch, _PUNCT + ((0xFE30, 0xFE6F),))):
        return "Big5"
    if _plausible(data, "cp932", lambda ch: _ideograph(ch) or _within(ch, _PUNCT + _KANA),
                  need=lambda ch: _within(ch, _KANA)):
        return "Shift-JIS"
    return None


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
    # A bound no part of the text can reach is not checked line by line or cell by cell.
    few_commas = text.count(",") < MAX_LINE_COMMAS
    short = len(text) <= MAX_FIELD_CHARS
    reader = csv.reader(io.StringIO(text, newline="") if few_commas else _bounded_lines(text), strict=True)
    start, cells = 1, 0
    try:
        for row in reader:  # streamed: every bound is checked before the row is kept
            if len(row) > MAX_COLUMNS:
                return None, probs + [problem("csv-too-many-columns", file=path, row=start, limit=MAX_COLUMNS)]
            if len(rows) > MAX_ROWS:  # the header and MAX_ROWS rows are kept
                return None, probs + [problem("csv-too-many-rows", file=path, row=start, limit=MAX_ROWS)]
            cells += len(row)
            if cells > MAX_CELLS:
                return None, probs + [problem("csv-too-many-cells", file=path, row=start, limit=MAX_CELLS)]
            if not short and any(len(cell) > MAX_FIELD_CHARS for cell in row):
                return None, probs + [problem("csv-field-too-long", file=path, row=start, limit=MAX_FIELD_CHARS)]
            rows.append(row)
            rows.lines.append(start)
            start = reader.line_num + 1
    except _TooWide as exc:
        return None, probs + [problem("csv-too-many-columns", file=path, row=exc.line, limit=MAX_COLUMNS)]
    except csv.Error as exc:
        return None, probs + [problem("csv-malformed", file=path, row=reader.line_num + 1, detail=str(exc))]
    return rows, probs


class _TooWide(Exception):
    def __init__(self, line: int):
        self.line = line


def _bounded_lines(text: str):
    """The physical lines of ``text``, refusing one with more commas than a row may have cells
    before the CSV reader splits it into a list of (say) a million cells."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line.count(",") >= MAX_LINE_COMMAS:
            raise _TooWide(number)
        yield line


def _scan_events(path: str, text: str) -> Problem | None:
    """Refuse anchors, aliases and deep nesting from the event stream, before anything is composed:
    an alias bomb expands only when walked, and every later walk of a deep document recurses."""
    loader = _Loader
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return problem("yaml-alias", file=path)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return problem("yaml-too-deep", file=path, row=event.start_mark.line + 1, limit=MAX_YAML_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def read_yaml_bytes(path: str, data: bytes, limit: int = MAX_YAML_BYTES, reuse: bool = True):
    """Bytes → (mapping, composed node for line lookups, problems).

    With ``reuse`` (the default) a ``schema:`` block read before is not parsed again (see
    "Repeated blocks" below); the result is the same, problems and line numbers included.
    """
    text, probs = decode_text(path, data, limit)
    if text is None:
        return None, None, probs
    loader = _Loader
    blocks: list = []
    if reuse and "schema:" in text:
        fast, blocks = _read_reusing(path, text, loader)
        if fast is not None:
            value, node, duplicates = fast
            return value, node, probs + duplicates
    try:
        refused = _scan_events(path, text)
        if refused is not None:
            return None, None, probs + [refused]
        node = yaml.compose(text, Loader=loader)
        # Duplicate keys before constructing (a merge key would rewrite the node); the value is
        # constructed from the composed node, not parsed a second time (a third of validate's YAML time).
        duplicates = _duplicate_keys(path, node) if node is not None else []
        # A merge key ("<<") makes the constructor rewrite the node: then parse again, as before.
        value = yaml.load(text, Loader=loader) if "<<" in text else _construct(loader, node)
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
    if blocks and "<<" not in text:
        _remember(blocks, node, value, duplicates)
    return value, node, probs + duplicates


_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _construct(loader, node):
    """What ``yaml.load`` returns for the document ``node`` was composed from, when its text holds
    no merge key (``<<``; callers load such a text with ``yaml.load``). Strings, sequences and
    mappings with scalar keys are built here directly (most of a catalogue.yaml), the rest by
    the safe constructor itself."""
    if node is None:
        return None
    constructor = loader("")
    try:
        return _build(node, constructor)
    finally:
        constructor.dispose()


def _build(node, constructor):
    cls, tag = type(node), node.tag
    if tag == _STR and cls is yaml.ScalarNode:
        return node.value
    if tag == _MAP and issubclass(cls, yaml.MappingNode):
        if all(type(k) is yaml.ScalarNode for k, _ in node.value):
            return {_build(k, constructor): _build(v, constructor) for k, v in node.value}
    elif tag == _SEQ and issubclass(cls, yaml.SequenceNode):
        return [_build(v, constructor) for v in node.value]
    return constructor.construct_object(node, deep=True)


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


class LazyNode:
    """The composed node of a ``catalogue.yaml``, composed when first asked for (by :func:`yaml_line`):
    a region read by another process (:func:`villagecat.reader.read_tree_checked`) comes with its
    bytes, not its nodes, which cost more to send than to compose again where a line is wanted."""

    __slots__ = ("path", "data", "_node")

    def __init__(self, path: str, data: bytes):
        self.path, self.data, self._node = path, data, None

    def node(self):
        if self.data is not None:
            self._node = read_yaml_bytes(self.path, self.data)[1]
            self.data = None
        return self._node


def yaml_line(node, path: tuple) -> int | None:
    """The line (1-based) where the value at ``path`` (keys and indexes) starts, if known."""
    if isinstance(node, LazyNode):
        node = node.node()
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


def load_yaml_quick(path: str, text: str):
    """The value of a YAML document, fast, for bulk readers (a diff over thousands of folders, the
    bench's baseline): the C loader straight away when the text cannot hold an anchor or alias
    (neither ``&`` nor ``*`` in it: an alias bomb needs both), else the full checked reading of
    :func:`read_yaml_bytes` (``None`` when that refuses it). Raises :class:`yaml.YAMLError` on
    bad syntax in the fast case.

    >>> load_yaml_quick("a.yaml", "a: 1")
    {'a': 1}
    >>> load_yaml_quick("a.yaml", "a: &x [1]\\nb: *x") is None
    True
    """
    if "&" not in text and "*" not in text:
        return yaml.load(text, Loader=_Loader)
    value, _, problems = read_yaml_bytes(path, text.encode("utf-8"))
    return None if any(p.severity == ERROR for p in problems) else value



def load_yaml_plain(path: str, text: str):
    """:func:`load_yaml_quick` for the plainest YAML (a diff's thousands of ``catalogue.yaml``
    without their schema blocks): read line by line when that is sure to give the loader's value
    (:func:`_quick_yaml`, several times faster), else by the loader, whose answer or error stands.

    >>> load_yaml_plain("a.yaml", "a: 1\\nb:\\n- x\\n- 'y'")
    {'a': 1, 'b': ['x', 'y']}
    """
    try:
        return _quick_yaml(text)
    except _Unsure:
        return load_yaml_quick(path, text)


# ---- the plainest YAML, line by line (load_yaml_plain) ----------------------------------------

class _Unsure(Exception):
    """The quick reading of a catalogue.yaml cannot be sure to give what the YAML loader gives."""


# What :func:`_quick_yaml` reads: block mappings and sequences, one plain or single-quoted scalar a
# line. A character outside what the loader reads as printable (or a line break to YAML only: NEL,
# U+2028/9, a carriage return), a tab, a byte-order mark inside, ``&`` or ``*`` (which send
# decode.load_yaml_quick down its checked path) anywhere: not read quickly.
_Q_ODD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[&*]")
_Q_ROW = re.compile(r"^( *)([^ \n](?:[^\n]*[^ \n])?)? *$", re.M)  # a line's indent and content
_Q_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]{0,127}):(?: +(.*))?")  # a short plain key, its value
_Q_KEY_START = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}:(?: |$)")  # (what _Q_KEY matches starts so)
_Q_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_Q_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain scalar starting so is something else
_Q_STR = "tag:yaml.org,2002:str"
_q_loader = None
_q_known: dict[str, object] = {}  # scalar text → value (see _q_scalar)
_q_lines: dict[str, tuple] = {}  # line content → what it holds (see _q_line)
_Q_OPEN = object()  # "key:" with nothing after the colon


def _quick_yaml(text: str) -> dict:
    """The mapping ``yaml.load`` (the C safe loader of this module) gives for the text
    of a catalogue.yaml without its schemas, read line by line: several times faster than the
    loader, which builds every value in Python. Only the plainest YAML is read: indentation by
    spaces, a key and a one-line scalar a line, block sequences (indented or not); plain scalars
    are typed by the loader's own resolver and constructors. Anything else (flow collections, block
    or double-quoted scalars, a scalar over several lines, comments, tags, odd indentation …)
    raises :class:`_Unsure`: the caller then asks the loader, whose answer (or error) stands."""
    if _Q_ODD.search(text):
        raise _Unsure
    rows = [[len(indent), content] for indent, content in _Q_ROW.findall(text) if content]
    if not rows or rows[0][0] != 0:
        raise _Unsure
    try:
        value, end = _q_mapping(rows, 0, 0)
    except RecursionError:
        raise _Unsure from None
    if end != len(rows):
        raise _Unsure
    return value


def _q_line(content: str) -> tuple:
    """What a line holds (remembered: most lines recur from file to file): ``("key", key, value)``,
    the value :data:`_Q_OPEN` when nothing follows the colon, or ``("item", rest)`` for ``- rest``."""
    got = _q_lines.get(content)
    if got is not None:
        return got
    if content.startswith("- "):
        rest = content[2:]
        if rest[0] == " " or rest.startswith("- "):
            raise _Unsure  # a sequence in a sequence, or an odd indent
        got = ("item", rest)
    else:
        m = _Q_KEY.fullmatch(content)
        if m is None:
            raise _Unsure  # "-" alone, a scalar over several lines, an error …
        key = _q_scalar(m.group(1))
        if type(key) is not str:
            raise _Unsure  # yes, on, null … are not strings to the loader
        got = ("key", key, _q_scalar(m.group(2)) if m.group(2) else _Q_OPEN)
    if len(content) <= 100 and len(_q_lines) < 100_000:
        _q_lines[content] = got
    return got


def _q_mapping(rows: list, i: int, indent: int) -> tuple[dict, int]:
    """The block mapping whose keys stand at ``indent`` from row ``i`` on; the row after it."""
    out: dict = {}
    n = len(rows)
    while i < n and rows[i][0] == indent:
        line = _q_line(rows[i][1])
        if line[0] != "key":
            raise _Unsure
        key, value = line[1], line[2]
        i += 1
        if value is not _Q_OPEN:
            out[key] = value
        elif i < n and rows[i][0] > indent:
            out[key], i = (_q_sequence if _q_line(rows[i][1])[0] == "item" else _q_mapping)(rows, i, rows[i][0])
        elif i < n and rows[i][0] == indent and _q_line(rows[i][1])[0] == "item":
            out[key], i = _q_sequence(rows, i, indent)  # "key:" then "- item" at the key's indent
        else:
            out[key] = None  # "key:" and nothing under it: an empty plain scalar, null
    if i < n and rows[i][0] > indent:
        raise _Unsure  # a line continuing a scalar, or an error
    return out, i


def _q_sequence(rows: list, i: int, indent: int) -> tuple[list, int]:
    """The block sequence whose ``- `` stand at ``indent`` from row ``i`` on; the row after it."""
    out: list = []
    n = len(rows)
    while i < n and rows[i][0] == indent:
        line = _q_line(rows[i][1])
        if line[0] != "item":
            break
        rest = line[1]
        if _Q_KEY_START.match(rest):  # "- key: …": a mapping whose keys stand two columns in
            rows[i] = [indent + 2, rest]
            value, i = _q_mapping(rows, i, indent + 2)
        else:
            value, i = _q_scalar(rest), i + 1
        out.append(value)
    if i < n and rows[i][0] > indent:
        raise _Unsure
    return out, i


def _q_scalar(text: str):
    """A one-line scalar (no trailing spaces): single-quoted, or plain. Short ones are remembered
    (keys, "utf-8", "complete" … recur in every file; the values are immutable)."""
    value = _q_known.get(text, _q_known)
    if value is not _q_known:
        return value
    if text[0] == "'":
        m = _Q_QUOTED.fullmatch(text)
        if m is None:
            raise _Unsure  # more after the closing quote, or a scalar over several lines
        value = m.group(1).replace("''", "'")
    elif text[0] in _Q_INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        raise _Unsure
    else:
        value = _q_plain(text)
    if len(text) <= 64 and len(_q_known) < 100_000:
        _q_known[text] = value
    return value


def _q_plain(text: str):
    """A plain scalar as the loader types and builds it (its resolver, then its constructor)."""
    global _q_loader
    if _q_loader is None:
        _q_loader = _Loader("")
    tag = _q_loader.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _Q_STR:
        return text
    if tag not in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                   "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
        raise _Unsure  # a merge key, "=" …
    return _q_loader.yaml_constructors[tag](_q_loader, yaml.ScalarNode(tag, text))


# ---------------------------------------------------------------------------------------------
# Repeated blocks, read once. Each catalogue.yaml carries an inline copy of its list's Table
# Schema per resource: ≈ 90 % of its text, the same text in every county. A ``schema:`` block
# whose exact text (key line included) was read cleanly before is not parsed again: its lines are
# blanked (every other line keeps its number and columns), a placeholder scalar stands on the key's
# line, the small remainder is read as usual, and the cached value (copied) and nodes (shifted,
# when first looked at, to their lines and offsets here) are put where the placeholder stands.
# Whenever the fast reading is not sure to give what the full reading gives (a placeholder not
# exactly the value of that ``schema`` key in a block mapping, a merge key, an unusual line break,
# a block that would be nested too deep where it now stands, anything that fails), the whole text
# is read the usual way, which also reports every problem. Only blocks that read cleanly are
# cached: no anchor, alias or duplicate key, no block scalar, plain string keys above them.

_REUSED_KEY = re.compile(r"^( *)schema: *$", re.M)
_ENDS: dict[int, re.Pattern] = {}  # indent → the next line indented no deeper that is not blank
_LEAD = re.compile(r"^[ ?:-]*+(?=[^ ?:\n-])", re.M)  # the run of spaces, dashes, ? and : a non-blank line begins with
_STR = "tag:yaml.org,2002:str"
_TOKEN = "villagecat-reused-block-"
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to YAML, not to str.split("\n")
_MAX_BLOCKS = 64  # distinct blocks kept (8 list kinds a version of schemas/)


@dataclass
class _Block:
    value: bytes  # pickled: unpickling is the fastest fresh copy
    node: object
    line: int  # 0-based line of the ``schema:`` key in the file the block was first read from
    index: int  # character offset of that line's start there
    end: int  # the line after the block's last line there
    depth: int  # collections from the block's node down, itself included


_blocks: dict[str, _Block] = {}


def _mark(mark, dl: int, di: int):
    return yaml.Mark(mark.name, mark.index + di, mark.line + dl, mark.column, mark.buffer, mark.pointer)


class _Place:
    """How a cached block's marks map to where it stands now: ``dl`` lines and ``di`` characters
    further on; an end mark at or past the block's end (a collection closed by what follows the
    block) is ``tail``, the mark of what follows it here."""

    def __init__(self, block: _Block, line: int, index: int, tail):
        self.dl, self.di, self.end, self.tail = line - block.line, index - block.index, block.end, tail

    def start(self, mark):
        return _mark(mark, self.dl, self.di)

    def stop(self, mark):
        return self.tail if mark.line >= self.end else _mark(mark, self.dl, self.di)

    def node(self, node):
        if isinstance(node, yaml.ScalarNode):
            return yaml.ScalarNode(node.tag, node.value, self.start(node.start_mark), self.stop(node.end_mark), node.style)
        return (_PlacedMapping if isinstance(node, yaml.MappingNode) else _PlacedSequence)(node, self)


class _Placed:
    """A cached collection node, placed; its children are placed when first looked at."""

    def __init__(self, orig, place: _Place):
        self.tag, self.flow_style = orig.tag, orig.flow_style
        self.start_mark, self.end_mark = place.start(orig.start_mark), place.stop(orig.end_mark)
        self._orig, self._place, self._value = orig, place, None

    @property
    def value(self):
        if self._value is None:
            self._value = self._children()
        return self._value

    @value.setter
    def value(self, value):
        self._value = value


class _PlacedMapping(_Placed, yaml.MappingNode):
    def _children(self):
        return [(self._place.node(k), self._place.node(v)) for k, v in self._orig.value]


class _PlacedSequence(_Placed, yaml.SequenceNode):
    def _children(self):
        return [self._place.node(v) for v in self._orig.value]


def _nodes(root):
    """Every node under ``root`` (itself included), iteratively."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _Candidate(NamedTuple):
    """A ``schema:`` key with a block below it, as found in the text."""

    line: int  # 0-based line of the key
    end: int  # the line after the block's last line
    text: str  # exact text: the key's line to the end of the block's last line
    index: int  # character offset of the key's line
    nxt: int  # the line where what follows the block starts (the number of lines: the end of the text)
    tail: tuple | None  # (line, column, offset) of the first token after the block; None: the end of the text


def _blocks_of(text: str) -> list[_Candidate]:
    """Each ``schema:`` key with a block below it: the following lines indented deeper than the key
    or blank, then a line that surely ends it (indented no deeper, not blank, no comment, no tab)
    or only blank lines to the end. The block ends with its last line indented deeper, and is
    followed by a line break. Found with regular expressions: this runs on every file."""
    out: list[_Candidate] = []
    line, at, pos = 0, 0, 0
    for m in _REUSED_KEY.finditer(text):
        if m.start() < pos:
            continue  # within the previous block
        indent = len(m.group(1))
        ends = _ENDS.get(indent)
        if ends is None:
            ends = _ENDS[indent] = re.compile(r"\n {0,%d}(?=[^ \n])" % indent)
        e = ends.search(text, m.end())
        stop = e.start() if e else len(text)
        body = text[m.end():stop]
        trimmed = body.rstrip(" \n")
        pos = stop
        eol = body.find("\n", len(trimmed))
        block_end = m.end() + (eol if eol != -1 else len(body))
        if "\n" not in trimmed or block_end >= len(text) or (e and text[e.end()] in "#\t"):
            continue
        line += text.count("\n", at, m.start())
        at = m.start()
        btext = text[m.start():block_end]
        if e:
            nxt = line + text.count("\n", m.start(), e.end())
            tail = (nxt, e.end() - e.start() - 1, e.end())
        else:
            nxt, tail = line + text.count("\n", m.start()) + 1, None
        out.append(_Candidate(line, line + btext.count("\n") + 1, btext, m.start(), nxt, tail))
    return out


def _tail(cand: _Candidate, root, name):
    """The mark of what follows a block: its first token, or the end of the document (``root``'s
    end, its marks already in this text's offsets)."""
    if cand.tail is None:
        return root.end_mark
    line, column, index = cand.tail
    return yaml.Mark(name, index, line, column, None, None)


def _find_blocks(root, lines: set[int]) -> dict[int, tuple]:
    """For each of ``lines``, (mapping node, index of the pair, key path) of the plain ``schema`` key
    on that line, if it is a key of a block mapping and every key above it a plain string."""
    out: dict[int, tuple] = {}
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for idx, (k, v) in enumerate(node.value):
                if not (isinstance(k, yaml.ScalarNode) and k.tag == _STR):
                    continue
                line = k.start_mark.line
                if line in lines and k.value == "schema" and not k.style and node.flow_style is False:
                    out.setdefault(line, (node, idx, path + ("schema",)))
                elif isinstance(v, (yaml.MappingNode, yaml.SequenceNode)):
                    stack.append((v, path + (k.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, path + (i,)) for i, v in enumerate(node.value)
                         if isinstance(v, (yaml.MappingNode, yaml.SequenceNode)))
    return out


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def _remember(blocks: list[_Candidate], root, value, duplicates: list[Problem]) -> None:
    """Cache the blocks of a cleanly read document not cached yet (``root``'s marks in the text's offsets)."""
    blocks = [cand for cand in blocks if cand.text not in _blocks]
    if not blocks or duplicates:
        return
    found_at = _find_blocks(root, {cand.line for cand in blocks})
    for cand in blocks:
        if cand.text in _blocks or len(_blocks) >= _MAX_BLOCKS:
            continue
        found = found_at.get(cand.line)
        if found is None:
            continue
        parent, idx, path = found
        bnode = parent.value[idx][1]
        if bnode.start_mark.line <= cand.line:
            continue  # not a block below its key
        tail = _tail(cand, root, bnode.start_mark.name)
        ok = True
        for n in _nodes(bnode):
            if isinstance(n, yaml.ScalarNode) and (n.style not in (None, "", "'", '"') or n.end_mark.line >= cand.end):
                ok = False  # a block scalar, or a scalar running past the block: it may depend on what follows
            elif n.end_mark.line >= cand.end and (n.end_mark.line, n.end_mark.column, n.end_mark.index) != \
                    (tail.line, tail.column, tail.index):
                ok = False
            if not ok:
                break
        if not ok:
            continue
        try:
            bvalue = _at(value, path)
        except (KeyError, IndexError, TypeError):
            continue
        _blocks[cand.text] = _Block(pickle.dumps(bvalue, pickle.HIGHEST_PROTOCOL), bnode, cand.line, cand.index,
                                    cand.end, _depth(bnode))


def _read_reusing(path: str, text: str, loader):
    """The fast reading: ``((value, node, duplicate-key problems) or None, blocks)``; None means
    "read the whole text", and ``blocks`` are the text's candidate blocks, to remember after that."""
    if "<<" in text or _TOKEN in text or any(b in text for b in _ODD_BREAKS):
        return None, []
    blocks = _blocks_of(text)
    reused = [(cand, _blocks[cand.text]) for cand in blocks if cand.text in _blocks]
    if not reused:
        return None, blocks
    # The block's lines become blank, its last one spaces, as many as keep the block as long as it
    # was with the placeholder on the key's line: every later line keeps its number and offset.
    expected: dict[str, int] = {}
    pieces, prev = [], 0
    for n, (cand, _) in enumerate(reused):
        token = f"{_TOKEN}{n}"
        expected[token] = cand.line
        key_end = cand.index + cand.text.index("\n")
        breaks = cand.end - cand.line - 1
        pad = cand.index + len(cand.text) - key_end - breaks - len(token) - 1
        if pad < 0:
            return None, blocks  # a block shorter than its placeholder: not worth it
        pieces += [text[prev:key_end], " ", token, "\n" * breaks, " " * pad]
        prev = cand.index + len(cand.text)
    pieces.append(text[prev:])
    rest = "".join(pieces)
    deepest = max(block.depth for _, block in reused)
    try:
        if not _shallow(rest, MAX_YAML_DEPTH - deepest):
            # Scanned as the whole text would be; a reused block stands at its placeholder's depth.
            depth, depths = 0, {}
            for event in yaml.parse(rest, Loader=loader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    return None, []  # the full reading reports it
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:
                        return None, []
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                elif isinstance(event, yaml.ScalarEvent) and event.value in expected:
                    depths[event.value] = depth
            for n, (_, block) in enumerate(reused):
                if depths.get(f"{_TOKEN}{n}", MAX_YAML_DEPTH) + block.depth > MAX_YAML_DEPTH:
                    return None, []
        root = yaml.compose(rest, Loader=loader)
        if not isinstance(root, yaml.MappingNode):
            return None, []
        where = {}
        found_at = _find_blocks(root, set(expected.values()))
        for token, line in expected.items():
            found = found_at.get(line)
            if found is None:
                return None, []
            parent, idx, keys = found
            v = parent.value[idx][1]
            if not (isinstance(v, yaml.ScalarNode) and v.value == token and not v.style and v.tag == _STR
                    and v.start_mark.line == line):
                return None, []
            where[token] = found
        if _duplicate_keys(path, root):
            return None, []  # a repeated key above a placeholder would put its value elsewhere
        value = _construct(loader, root)
        for token, (_, _, keys) in where.items():
            if _at(value, keys) != token:
                return None, []
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError, KeyError, IndexError, TypeError):
        return None, []
    if not isinstance(value, dict):
        return None, []
    _remember([cand for cand in blocks if cand.text not in _blocks], root, value, [])
    for n, (cand, block) in enumerate(reused):
        parent, idx, keys = where[f"{_TOKEN}{n}"]
        tail = _tail(cand, root, parent.start_mark.name)
        parent.value[idx] = (parent.value[idx][0], _Place(block, cand.line, cand.index, tail).node(block.node))
        _at(value, keys[:-1])[keys[-1]] = pickle.loads(block.value)
    return (value, root, []), []


def _shallow(text: str, limit: int) -> bool:
    """Whether ``text`` surely holds no anchor or alias and nests at most ``limit`` collections,
    without scanning it. Without flow collections, tabs, ``&`` or ``*``, each block collection
    starts within the run of spaces, dashes, question marks and colons its line begins with (or
    just after it), and on any path down the column where collections start grows at least every
    second level: so the depth is at most twice the longest such run, plus two."""
    if any(c in text for c in "&*[{\t"):
        return False
    longest = max(map(len, _LEAD.findall(text)), default=0)
    return 2 * longest + 2 <= limit


def _depth(node) -> int:
    """Collections from ``node`` down, ``node`` included."""
    if isinstance(node, yaml.MappingNode):
        return 1 + max((max(_depth(k), _depth(v)) for k, v in node.value), default=0)
    if isinstance(node, yaml.SequenceNode):
        return 1 + max((_depth(v) for v in node.value), default=0)
    return 0
