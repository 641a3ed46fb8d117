"""villagecat diff over hostile ids, column names and values (issue 8, findings 3 and 5).

Text output must show control characters (an ESC sequence once hid changed lines in a terminal);
Markdown output (a pull-request comment, and the changelog page of the site) must keep every id,
column name and value literal text, whatever it holds: a backtick, ``<``, ``|`` or a line break.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest
from markdown_it import MarkdownIt

from villagecat.diff import diff_catalogues
from villagecat.diff_format import render_changelog, render_markdown, render_text
from villagecat.reader import read_catalogue

from .conftest import FIXTURE, REPO

DUTIES = "catalogues/150000-neimenggu/duties.csv"
HOSTILE_ID = "150000-D-009`<img src=x onerror=alert(1)>`|x\n# 标题"
HOSTILE_COLUMN = "x`<img src=x onerror=alert(2)>`"
HOSTILE_TEXT = "改写\x1b[2K\x1b[1A\r\n    - 150000-D-001  伪造的一行 <img src=x onerror=alert(3)> {: onclick=alert(4)}"
ALLOWED = {"h2", "h3", "h4", "p", "ul", "li", "strong", "em", "code", "del", "ins", "details", "summary", "b",
           "table", "thead", "tbody", "tr", "th", "td"}
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _copy(dest: Path) -> Path:
    shutil.copytree(FIXTURE / "catalogues", dest / "catalogues")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    return dest


@pytest.fixture(scope="module")
def hostile_diff(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-diff")
    old, new = _copy(base / "old"), _copy(base / "new")
    path = new / DUTIES
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[0].append(HOSTILE_COLUMN)
    for row in rows[1:]:
        row.append("")
    rows[1][3] = HOSTILE_TEXT                                      # changed text
    rows[2][-1] = "新列的值\u202e"                                   # a value of the new column
    rows.append(["150000-D-009"] + rows[1][1:])                     # added, with a plain id …
    rows[-1][0] = HOSTILE_ID                                       # … made hostile
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    regions = new / "catalogues" / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("内蒙古自治区", "内蒙古\x1b[8m自治区|<b>"), encoding="utf-8")
    return diff_catalogues(read_catalogue(str(old)), read_catalogue(str(new)))


def test_text_shows_control_characters(hostile_diff):
    out = render_text(hostile_diff)
    assert not RAW_CONTROL.search(out), [m.group() for m in RAW_CONTROL.finditer(out)]
    assert "<U+001B>[2K<U+001B>[1A<U+000D><U+000A>    - 150000-D-001  伪造的一行" in out
    # The forged line stays inside the changed item's line: no line of the output starts with it.
    assert not any(line.startswith("    - 150000-D-001") for line in out.splitlines())
    assert "+ 150000-D-009`<img src=x onerror=alert(1)>`|x<U+000A># 标题" in out
    assert "内蒙古<U+001B>[8m自治区|<b>" in out


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.code: list[str] = []
        self._in_code = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        if tag == "code":
            self._in_code += 1
            self.code.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_code:
            self.code[-1] += data


def _renderers():
    github_like = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    mkdocs = python_markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "toc"])
    return {"commonmark": github_like.render, "python-markdown": lambda s: (mkdocs.reset(), mkdocs.convert(s))[1]}


@pytest.mark.parametrize("renderer", sorted(_renderers()))
@pytest.mark.parametrize("what", ["markdown", "changelog"])
def test_markdown_keeps_data_literal(hostile_diff, renderer, what):
    source = (render_markdown(hostile_diff) if what == "markdown"
              else render_changelog(hostile_diff, "2026.2", "2026-12-01", "摘要", "2026.1"))
    assert not RAW_CONTROL.search(source)
    # No code span a backtick in the data could end: every backtick is escaped.
    assert not re.search(r"(?<!\\)`", source.replace("`villagecat diff --format json`", ""))
    html = _renderers()[renderer](source)
    el = _Elements()
    el.feed(html)
    assert el.handlers == [], el.handlers
    assert set(el.tags) <= ALLOWED, set(el.tags) - ALLOWED
    assert el.tags.count("b") == el.tags.count("summary")  # the region name's <b> stays text
    # Python-Markdown passes a <details> block through as HTML, Markdown escapes included: only
    # the backslashes differ from what GitHub shows.
    def norm(t):
        return t.replace("\\", "") if renderer == "python-markdown" else t
    text = norm("".join(el.text))
    shown_id = HOSTILE_ID.replace("\n", " ")  # a line break in a value is shown as a space
    assert shown_id in text and HOSTILE_COLUMN in text
    assert "内蒙古<U+001B>[8m自治区|<b>" in text
    if what == "markdown":  # ids and column names as code, read back whole
        codes = [norm(c) for c in el.code]
        assert shown_id in codes and HOSTILE_COLUMN in codes, codes
