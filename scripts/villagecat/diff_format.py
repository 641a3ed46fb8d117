"""Renderers of a :class:`villagecat.diff.Diff`: text (terminal), Markdown (a PR comment), JSON, changelog.

Renderers only lay out what the diff already holds. Everything from the data (ids, column names,
region names, item text) is data: the text renderer shows control characters as ``<U+XXXX>``
(an ESC sequence could otherwise recolour, move or hide lines in a terminal), and the Markdown
renderer escapes it for HTML and Markdown, code-like values included.

>>> from villagecat.diff import Diff
>>> render_text(Diff("a", "b")).splitlines()[0]
'比较 / diff: a → b'
"""

from __future__ import annotations

import html
import json
import re

from villagecat.diff import BUCKETS, Diff, ItemChange, ListDiff, RegionDiff
from villagecat.model import KINDS
from villagecat.textpolicy import visible

LABELS = {
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "changed": ("修改", "changed"),
    "moved": ("移动类别", "moved"),
    "renumbered": ("重新编号", "renumbered"),
}
STATUS = {"added": "新增 / added", "removed": "删除 / removed", "changed": "有变化 / changed",
          "unchanged": "无变化 / unchanged"}
MAX_PER_BUCKET = 100  # Markdown: items listed per bucket and list
MAX_MARKDOWN = 60000  # GitHub refuses comments over 65,536 characters


def _kind_title(kind: str) -> str:
    return f"{KINDS[kind][1]} {kind}" if kind in KINDS else kind


def _totals_line(t: dict) -> str:
    zh = " · ".join(f"{LABELS[b][0]} {t[b]}" for b in BUCKETS)
    en = ", ".join(f"{t[b]} {LABELS[b][1]}" for b in BUCKETS)
    return f"{zh} / {en}"


def _structure_line(t: dict) -> str:
    return (f"地区 +{t['regions_added']} −{t['regions_removed']} · 清单 +{t['lists_added']} −{t['lists_removed']} · "
            f"列 +{t['columns_added']} −{t['columns_removed']} / regions, lists, columns added − removed")


# ---------------------------------------------------------------- text

def _inline(ops: list[list[str]], keep, removed, added) -> str:
    """Character-level opcodes → one string; the three callables mark kept, removed and added text."""
    out = []
    for op, a, b in ops:
        if op == "equal":
            out.append(keep(a))
        else:
            if a:
                out.append(removed(a))
            if b:
                out.append(added(b))
    return "".join(out)


def _inline_text(ops: list[list[str]]) -> str:
    return _inline(ops, str, lambda a: f"[-{a}-]", lambda b: f"{{+{b}+}}")


def _text_change(rec: ItemChange, indent: str) -> list[str]:
    lines = []
    for f, (a, b) in rec.changes.items():
        if f in rec.inline and a and b:
            lines.append(f"{indent}{f}: {_inline_text(rec.inline[f])}")
        else:
            lines.append(f"{indent}{f}: {a!r} → {b!r}" if not (a and b) else f"{indent}{f}: {a} → {b}")
    return lines


def render_text(diff: Diff) -> str:
    """Chinese-first plain text: ``+`` added, ``-`` removed, ``~`` changed, ``>`` moved, ``#`` renumbered."""
    t = diff.totals()
    lines = [f"比较 / diff: {diff.old} → {diff.new}" + (f"（地区 / region {diff.region}）" if diff.region else ""),
             f"合计 / totals: {_totals_line(t)}", _structure_line(t)]
    changed = diff.changed_regions()
    if not changed and not diff.metadata:
        lines.append("没有差异。/ No differences.")
    for r in changed:
        lines.append("")
        lines.append(f"{r.adcode} {r.name}  [{STATUS[r.status]}]"
                     + (f"  {r.folder_old} → {r.folder_new}" if r.folder_old and r.folder_new and r.folder_old != r.folder_new else ""))
        for lst in r.lists:
            if not lst.has_changes():
                continue
            lines.append(f"  {_kind_title(lst.kind)}: {lst.count_old} → {lst.count_new} 条 / items  [{STATUS[lst.status]}]")
            if lst.title_old and lst.title_new and lst.title_old != lst.title_new:
                lines.append(f"    标题 / title: {_inline_text(_ops(lst.title_old, lst.title_new))}")
            if lst.columns_added:
                lines.append(f"    新增列 / columns added: {', '.join(lst.columns_added)}")
            if lst.columns_removed:
                lines.append(f"    删除列 / columns removed: {', '.join(lst.columns_removed)}")
            for rec in lst.added:
                lines.append(f"    + {rec.id}  {rec.values.get('text', '')}")
            for rec in lst.removed:
                lines.append(f"    - {rec.id}  {rec.values.get('text', '')}")
            for rec in lst.changed:
                lines.append(f"    ~ {rec.id}")
                lines.extend(_text_change(rec, "        "))
            for rec in lst.moved:
                a, b = rec.changes["category"]
                lines.append(f"    > {rec.id}  类别 / category: {a or '（空）'} → {b or '（空）'}"
                             + (f"；序号 / seq: {rec.changes['seq'][0]} → {rec.changes['seq'][1]}" if "seq" in rec.changes else ""))
            for rec in lst.renumbered:
                a, b = rec.changes["seq"]
                lines.append(f"    # {rec.id}  序号 / seq: {a} → {b}")
    lines += _text_metadata(diff)
    # One line per record: a line break or a control character inside a value is shown, not obeyed.
    return "\n".join(visible(line) for line in lines) + "\n"


# ---------------------------------------------------------------- metadata (sources, laws, register …)

META_STATUS = {"added": ("新增", "added"), "removed": ("删除", "removed"), "changed": ("修改", "changed")}


def _meta_sections(diff: Diff):
    from villagecat.diff_meta import SECTIONS

    for section, (zh, en) in SECTIONS.items():
        recs = [m for m in diff.metadata if m.section == section]
        if recs:
            yield zh, en, recs


def _meta_head(m) -> str:
    where = f"{m.region} " if m.region and m.section in ("package", "sources", "lists") else ""
    return f"{where}{m.key}"


def _text_metadata(diff: Diff) -> list[str]:
    if not diff.metadata:
        return []
    lines = ["", f"元数据 / metadata: {len(diff.metadata)} 处变化 / changes"]
    for zh, en, recs in _meta_sections(diff):
        lines.append(f"  {zh} / {en}:")
        for m in recs:
            sign = {"added": "+", "removed": "-", "changed": "~"}[m.status]
            lines.append(f"    {sign} {_meta_head(m)}  [{'/'.join(META_STATUS[m.status])}]")
            for f, (a, b) in m.changes.items():
                if a and b and m.status == "changed":
                    lines.append(f"        {f}: {_inline_text(_ops(a, b))}")
                else:
                    lines.append(f"        {f}: {a!r} → {b!r}")
    return lines


def _ops(a: str, b: str) -> list[list[str]]:
    from villagecat.diff import inline_ops
    return inline_ops(a, b)


# ---------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+\-.!|~>])")


def md(text: str) -> str:
    """Escape data for GitHub Markdown: HTML first, then Markdown punctuation; newlines become
    spaces and other control characters ``<U+XXXX>``.

    >>> md("<b>*x*</b>|y")
    '&lt;b&gt;\\\\*x\\\\*&lt;/b&gt;\\\\|y'
    """
    text = visible(str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " "))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


_PLAIN = re.compile(r"[0-9A-Za-z-]+")


def md_word(text: str) -> str:
    """:func:`md` for a value inside a line, left as it is when it holds only letters, digits and
    hyphens (an id such as 150000-D-001), which mean nothing to Markdown there.

    >>> md_word("150000-D-001"), md_word("x_y")
    ('150000-D-001', 'x\\\\_y')
    """
    return text if _PLAIN.fullmatch(text) else md(text)


def code(text: str) -> str:
    """A value shown as code (an id, a column name): ``<code>`` around escaped text, never a
    backtick span, which a backtick in the value would end.

    >>> code("150000-D-001`<img src=x onerror=alert(1)>")
    '<code>150000\\\\-D\\\\-001\\\\`&lt;img src=x onerror=alert\\\\(1\\\\)&gt;</code>'
    >>> code("150000-D-001")
    '<code>150000-D-001</code>'
    """
    return f"<code>{md_word(text)}</code>"


def _inline_md(ops: list[list[str]]) -> str:
    return _inline(ops, md, lambda a: f"<del>{md(a)}</del>", lambda b: f"<ins>{md(b)}</ins>")


def _md_value(v: str) -> str:
    return md(v) if v else "*（空 / empty）*"


def _md_list(lst: ListDiff, limit: int) -> list[str]:
    out = [f"#### {md(_kind_title(lst.kind))} — {lst.count_old} → {lst.count_new}（{STATUS[lst.status]}）", ""]
    if lst.title_old and lst.title_new and lst.title_old != lst.title_new:
        out.append(f"- 标题 / title: {_inline_md(_ops(lst.title_old, lst.title_new))}")
    if lst.columns_added:
        out.append("- 新增列 / columns added: " + ", ".join(code(c) for c in lst.columns_added))
    if lst.columns_removed:
        out.append("- 删除列 / columns removed: " + ", ".join(code(c) for c in lst.columns_removed))

    def capped(records, bucket):
        shown = records[:limit]
        rest = len(records) - len(shown)
        return shown, ([f"- …另有 {rest} 条{LABELS[bucket][0]} / {rest} more {LABELS[bucket][1]}"] if rest > 0 else [])

    recs, more = capped(lst.added, "added")
    out += [f"- **新增** {code(r.id)}: {_md_value(r.values.get('text', ''))}" for r in recs] + more
    recs, more = capped(lst.removed, "removed")
    out += [f"- **删除** {code(r.id)}: <del>{_md_value(r.values.get('text', ''))}</del>" for r in recs] + more
    recs, more = capped(lst.changed, "changed")
    for r in recs:
        out.append(f"- **修改** {code(r.id)}")
        for f, (a, b) in r.changes.items():
            if f in r.inline and a and b:
                out.append(f"  - {code(f)}: {_inline_md(r.inline[f])}")
            else:
                out.append(f"  - {code(f)}: {_md_value(a)} → {_md_value(b)}")
    out += more
    recs, more = capped(lst.moved, "moved")
    for r in recs:
        a, b = r.changes["category"]
        out.append(f"- **移动类别** {code(r.id)}: {_md_value(a)} → {_md_value(b)}"
                   + (f"（序号 {md(r.changes['seq'][0])} → {md(r.changes['seq'][1])}）" if "seq" in r.changes else ""))
    out += more
    recs, more = capped(lst.renumbered, "renumbered")
    out += [f"- **重新编号** {code(r.id)}: {md(r.changes['seq'][0])} → {md(r.changes['seq'][1])}" for r in recs] + more
    out.append("")
    return out


def _md_summary_row(r: RegionDiff, lst: ListDiff | None = None) -> str:
    c = lst.counts() if lst else r.totals()
    name = f"{md(r.adcode)} {md(r.name)}" if lst is None else ""
    what = md(_kind_title(lst.kind)) if lst else f"**{STATUS[r.status]}**"
    return "| " + " | ".join([name, what, str(c["old"]), str(c["new"])] + [str(c[b]) for b in BUCKETS]) + " |"


def render_markdown(diff: Diff, limit: int = MAX_PER_BUCKET, max_chars: int = MAX_MARKDOWN) -> str:
    """A pull-request comment: a summary table, then one collapsed ``<details>`` per changed region.

    When the comment would exceed ``max_chars``, fewer items are listed per bucket, down to none
    (the summary table and a pointer to the JSON output remain).
    """
    for cap in (limit, 20, 5, 0):
        out = _markdown(diff, min(cap, limit))
        if len(out) <= max_chars:
            return out
    return out


def _markdown(diff: Diff, limit: int) -> str:
    t = diff.totals()
    out = [f"### 目录变更 · Catalogue diff: {code(diff.old)} → {code(diff.new)}", ""]
    changed = diff.changed_regions()
    if not changed and not diff.metadata:
        out += ["没有差异。/ No differences.", ""]
        return "\n".join(out)
    if not changed:
        return "\n".join(out + [f"{_totals_line(t)}", ""] + _md_metadata(diff, limit))
    out += [f"{_totals_line(t)}", "", _structure_line(t), "",
            "| 地区 Region | 清单 List | 原 Old | 新 New | " + " | ".join(f"{LABELS[b][0]} {LABELS[b][1].capitalize()}" for b in BUCKETS) + " |",
            "|---|---|" + "---:|" * (2 + len(BUCKETS))]
    for r in changed:
        out.append(_md_summary_row(r))
        out += [_md_summary_row(r, lst) for lst in r.lists if lst.has_changes()]
    out.append("")
    if limit == 0:
        out += ["比较结果过长，未列出各条事项；请用 `villagecat diff --format json` 查看全部。"
                "/ Too long to list items here: see `villagecat diff --format json`.", ""]
        return "\n".join(out + _md_metadata(diff, limit))
    for r in changed:
        rt = r.totals()
        out += [f"<details><summary><b>{md(r.adcode)} {md(r.name)}</b>（{STATUS[r.status]}）: "
                + " · ".join(f"{LABELS[b][0]} {rt[b]}" for b in BUCKETS if rt[b]) + "</summary>", ""]
        for lst in r.lists:
            if lst.has_changes():
                out += _md_list(lst, limit)
        out += ["</details>", ""]
    return "\n".join(out + _md_metadata(diff, limit))


def _md_metadata(diff: Diff, limit: int) -> list[str]:
    """One collapsed block of metadata changes: sources, list metadata, laws, regions, register, withdrawn."""
    if not diff.metadata:
        return []
    if limit == 0:
        return [f"元数据 · Metadata：{len(diff.metadata)} 处变化，见 `villagecat diff --format json`。"
                f"/ {len(diff.metadata)} changes: see `villagecat diff --format json`.", ""]
    out = [f"<details><summary><b>元数据 · Metadata</b>：{len(diff.metadata)} 处变化 / changes</summary>", ""]
    for zh, en, recs in _meta_sections(diff):
        out.append(f"#### {zh} · {en.capitalize()}")
        out.append("")
        shown = recs[:limit]
        for m in shown:
            out.append(f"- **{META_STATUS[m.status][0]}** {md(_meta_head(m))}")
            for f, (a, b) in m.changes.items():
                if a and b and m.status == "changed":
                    out.append(f"  - {md(f)}: {_inline_md(_ops(a, b))}")
                else:
                    out.append(f"  - {md(f)}: {_md_value(a)} → {_md_value(b)}")
        if len(recs) > len(shown):
            out.append(f"- …另有 {len(recs) - len(shown)} 处 / {len(recs) - len(shown)} more")
        out.append("")
    return out + ["</details>", ""]


# ---------------------------------------------------------------- json

def render_json(diff: Diff) -> str:
    """The shape of docs/diff-json.md, validated by schemas/diff.schema.json."""
    return json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- changelog

def render_changelog(diff: Diff, version: str, date: str, summary: str, previous: str | None,
                     limit: int = 50) -> str:
    """One CHANGELOG.md entry: the human summary, then what the diff against the previous release holds."""
    t = diff.totals()
    # version and date are checked by release (YYYY.N, YYYY-MM-DD); the summary is free text.
    out = [f"## {version} — {date}", "", md(summary.strip()), ""]
    if previous is None:
        out += [f"首次发布：{t['new']} 条事项。/ First release: {t['new']} items.", ""]
        return "\n".join(out)
    out += [f"与 {previous} 相比 / Compared with {previous}: {_totals_line(t)}", ""]
    for r in diff.changed_regions():
        rt = r.totals()
        out.append(f"- **{md(r.adcode)} {md(r.name)}**（{STATUS[r.status]}）: "
                   + " · ".join(f"{LABELS[b][0]} {rt[b]}" for b in BUCKETS if rt[b]))
        for lst in r.lists:
            if not lst.has_changes():
                continue
            bits = []
            if lst.status in ("added", "removed"):
                bits.append(STATUS[lst.status])
            if lst.columns_added:
                bits.append("新增列 " + ", ".join(code(c) for c in lst.columns_added))
            if lst.columns_removed:
                bits.append("删除列 " + ", ".join(code(c) for c in lst.columns_removed))
            for b in BUCKETS:
                ids = [x.id for x in getattr(lst, b)]
                if ids:
                    shown = ", ".join(md_word(i) for i in ids[:limit]) + (f" …（共 {len(ids)}）" if len(ids) > limit else "")
                    bits.append(f"{LABELS[b][0]} {shown}")
            out.append(f"  - {md(_kind_title(lst.kind))}: " + "；".join(bits))
    out.append("")
    return "\n".join(out)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
