"""Which characters catalogue text may hold, and how to show text that breaks the rule.

Every text field of the catalogue (each CSV cell, each string in a catalogue.yaml) is printable
text. Never allowed, in any field:

- C0 control characters (U+0000–U+001F) other than the line feed of a multi-line field; a tab
  (U+0009) is not allowed either: it hides a cell boundary copied out of a Word table;
- DEL (U+007F) and the C1 controls (U+0080–U+009F): YAML refuses them, so a page title holding
  one would no longer be read as a title;
- Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which
  make text display in another order than it is stored;
- the Unicode line and paragraph separators (U+2028, U+2029) and lone surrogates.

ESC (U+001B) is a C0 control, so terminal escape sequences are refused with it. Line breaks (LF,
or CR LF) are allowed only in the long prose fields named by :data:`MULTILINE_COLUMNS` and
:data:`MULTILINE_KEYS`; every other field is one line. docs/data-conventions.md says the same.

>>> [(f.rule, f.position, f.codepoint) for f in findings("ab\\x1b[31mc", multiline=False)]
[('text-control-character', 3, 'U+001B')]
>>> findings("第一行\\n第二行", multiline=True)
[]
>>> [f.rule for f in findings("第一行\\n第二行", multiline=False)]
['text-line-break']
>>> visible("a\\x1b[2Jb\\u202e")
'a<U+001B>[2Jb<U+202E>'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029"
# Everything a text field may not hold as is (LF and CR are then judged per field).
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI + SEPARATORS + "\ud800-\udfff]")
# What :func:`visible` rewrites: the same set, LF and CR included.
_INVISIBLE = _SUSPECT

# CSV columns (of any table) and catalogue.yaml keys whose value may span several lines.
MULTILINE_COLUMNS = frozenset({"text", "legal_basis_text", "note", "reason"})
MULTILINE_KEYS = frozenset({"description", "note", "x-note", "x-notes", "missing"})

CONTROL = "text-control-character"
BIDI_CONTROL = "text-bidi-control"
LINE_BREAK = "text-line-break"

_NAMES = {
    0x00: ("NULL", "空字符"), 0x07: ("BELL", "响铃符"), 0x08: ("BACKSPACE", "退格符"),
    0x09: ("CHARACTER TABULATION", "制表符"), 0x0A: ("LINE FEED", "换行符"), 0x0B: ("LINE TABULATION", "垂直制表符"),
    0x0C: ("FORM FEED", "换页符"), 0x0D: ("CARRIAGE RETURN", "回车符"), 0x1B: ("ESCAPE", "转义符，终端控制序列的开头"),
    0x7F: ("DELETE", "删除符"), 0x85: ("NEXT LINE", "C1 换行符"), 0x9B: ("CONTROL SEQUENCE INTRODUCER", "C1 终端控制序列符"),
    0x2028: ("LINE SEPARATOR", "Unicode 行分隔符"), 0x2029: ("PARAGRAPH SEPARATOR", "Unicode 段分隔符"),
}


def char_names(ch: str) -> tuple[str, str]:
    """English and Chinese name of a character the policy refuses.

    >>> char_names("\\x0b")
    ('LINE TABULATION', '垂直制表符')
    >>> char_names("\\u202e")[0]
    'RIGHT-TO-LEFT OVERRIDE'
    """
    cp = ord(ch)
    if cp in _NAMES:
        return _NAMES[cp]
    if cp < 0x20:
        return "C0 CONTROL", "C0 控制字符"
    if 0x80 <= cp <= 0x9F:
        return "C1 CONTROL", "C1 控制字符"
    if 0xD800 <= cp <= 0xDFFF:
        return "LONE SURROGATE", "孤立的代理码位，不是字符"
    if ch in BIDI:
        return unicodedata.name(ch, "BIDI CONTROL"), "双向文字控制符"
    return unicodedata.name(ch, "UNNAMED"), "不可见字符"


def codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


@dataclass(frozen=True)
class Finding:
    """The first character of one kind that a value may not hold, and how many it holds."""

    rule: str
    position: int  # 1-based, in characters
    char: str
    count: int

    @property
    def codepoint(self) -> str:
        return codepoint(self.char)


def _classify(value: str, i: int, multiline: bool) -> str | None:
    ch = value[i]
    if ch == "\n":
        return None if multiline else LINE_BREAK
    if ch == "\r":
        if multiline and value[i + 1:i + 2] == "\n":
            return None  # CR LF: a line end written on Windows
        return LINE_BREAK
    if ch in SEPARATORS:
        return LINE_BREAK
    if ch in BIDI:
        return BIDI_CONTROL
    return CONTROL


def findings(value: str, multiline: bool) -> list[Finding]:
    """What ``value`` breaks: one :class:`Finding` per rule (its first offending character)."""
    if not _SUSPECT.search(value):
        return []
    first: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    skip_lf = False
    for m in _SUSPECT.finditer(value):
        i = m.start()
        if skip_lf and value[i] == "\n" and i > 0 and value[i - 1] == "\r":
            skip_lf = False
            continue  # the LF of a CR LF already reported at its CR
        skip_lf = False
        rule = _classify(value, i, multiline)
        if rule is None:
            continue
        if value[i] == "\r":
            skip_lf = True
        first.setdefault(rule, (i + 1, value[i]))
        counts[rule] = counts.get(rule, 0) + 1
    return [Finding(rule, pos, ch, counts[rule]) for rule, (pos, ch) in first.items()]


def suspect(text: str) -> bool:
    """True when ``text`` holds any character the policy looks at (a cheap first pass)."""
    return _SUSPECT.search(text) is not None


def clean(value: str, multiline: bool = False) -> bool:
    """True when ``value`` breaks no part of the policy."""
    return not findings(value, multiline)


def visible(value, keep: str = "") -> str:
    """``value`` with every control, bidi, separator character (LF and CR too) shown as ``<U+XXXX>``.

    For output read in a terminal, a CI log or a review comment, where such a character would
    otherwise act (move the cursor, recolour, hide or reorder text, start a new log line).
    Characters in ``keep`` are left as they are.
    """
    text = "" if value is None else str(value)
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda m: m.group() if m.group() in keep else f"<{codepoint(m.group())}>", text)
