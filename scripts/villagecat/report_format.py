"""Renderers of a validation :class:`~villagecat.validate.Report`: text (Chinese first), JSON, GitHub annotations.

Renderers only format; every figure comes from the report.
"""

from __future__ import annotations

import json

from villagecat.problems import ERROR
from villagecat.textpolicy import visible


def _where(p) -> str:
    parts = [p.file]
    if p.row:
        parts.append(f"第 {p.row} 行")
    if p.column:
        parts.append(f"列 {p.column}")
    return "，".join(parts)


def render_text(report, limit: int = 200) -> str:
    lines: list[str] = []
    limit = max(limit, 0)  # a negative --max would otherwise slice from the end
    shown = report.problems[:limit]
    for p in shown:
        tag = "错误" if p.severity == ERROR else "提醒"
        ident = f"（{p.item_id}）" if p.item_id else ""
        lines.append(f"{tag} [{p.rule}] {_where(p)}{ident}")
        lines.append(f"  {p.message}")
        lines.append(f"  建议：{p.advice}")
        lines.append(f"  {p.message_en} Advice: {p.advice_en}")
    if len(report.problems) > limit:
        lines.append(f"……另有 {len(report.problems) - limit} 个问题未列出（用 --format json 查看全部）。"
                     f" / {len(report.problems) - limit} more not shown (see --format json).")
    lines.extend(_summary(report))
    # File names, ids and values come from the data: a control character in one (ESC, CR, a bidi
    # override) must show as <U+XXXX> rather than act on the terminal or start a new log line.
    return "\n".join(visible(line) for line in lines) + "\n"


def _summary(report) -> list[str]:
    lines: list[str] = []
    s = report.stats
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "校验通过" if report.valid else "校验未通过"
    lines.append(
        f"{verdict}：{s.get('regions', 0)} 个地区，{s.get('lists', 0)} 份清单，{s.get('items', 0)} 条事项；"
        f"{errors} 个错误，{warnings} 个提醒。")
    lines.append(
        f"{'Valid' if report.valid else 'Invalid'}: {s.get('regions', 0)} regions, {s.get('lists', 0)} lists, "
        f"{s.get('items', 0)} items; {errors} errors, {warnings} warnings.")
    return lines


def render_json(report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def _escape_data(s: str) -> str:
    r"""A workflow command's message: GitHub's escapes for %, CR and LF, so that data can never
    start a command line of its own; every other control character is shown as ``<U+XXXX>``.

    >>> _escape_data("50%\n::add-mask::x\x1b[8m")
    '50%25%0A::add-mask::x<U+001B>[8m'
    """
    return visible(s, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    r"""A property value (file=, title=): as data, and also ``:`` and ``,``, which end a property.

    >>> _escape_prop("a,b::error file=c\r")
    'a%2Cb%3A%3Aerror file=c%0D'
    """
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` per problem, then the summary."""
    out = []
    for p in report.problems:
        level = "error" if p.severity == ERROR else "warning"
        props = [f"file={_escape_prop(p.file)}"]
        if p.row:
            props.append(f"line={p.row}")
        props.append(f"title={_escape_prop(p.rule)}")
        msg = f"{p.message} 建议：{p.advice} / {p.message_en} {p.advice_en}"
        out.append(f"::{level} {','.join(props)}::{_escape_data(msg)}")
    # Every problem is an annotation above, so only the summary follows (not render_text's "N more not shown").
    return "\n".join(out + _summary(report)) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
