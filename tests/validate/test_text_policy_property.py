"""Property: random text with control, escape and markup characters in any text field either fails
validation with a located error, or is built into pages where it stays literal text.

And whatever the verdict, page generation never fails open: every page's front matter reads back
(as mkdocs reads it) as exactly the title that was meant, because `build` builds invalid catalogues
too. A Chromium run per example would be too slow; tests/site/test_browser.py loads the one XSS
case of the review in a real browser.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from validate_harness import NMG, VALID, materialise
from villagecat.reader import read_catalogue
from villagecat.site.html import esc
from villagecat.site.pages import Site, all_pages
from villagecat.validate import validate

# FUZZ_EXAMPLES=500 for a long hunt; each example validates and generates a whole (small) site.
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 15)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Written here from docs/data-conventions.md, not imported: the oracle must not share the code under test.
ALWAYS_REFUSED = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                            "\u2028\u2029\ud800-\udfff]")
PROSE_COLUMNS = {"text", "legal_basis_text", "note", "reason"}
PROSE_KEYS = {"description", "note", "x-note", "x-notes", "missing"}
TEXT_RULES = {"text-control-character", "text-bidi-control", "text-line-break"}


def refused(value: str, multiline: bool) -> bool:
    if ALWAYS_REFUSED.search(value):
        return True
    if multiline:
        return re.search("\r(?!\n)", value) is not None
    return "\n" in value or "\r" in value


CHARS = (list("\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1c\x1f\x7f\x80\x85\x90\x9b\x9f")
         + list("\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029")
         + list("\ufeff\u200b\xa0\u3000") + list("<>&\"'`*_[](){}#:|!-=~\\/;., ") + list("证明村民aZ09"))
PAYLOADS = ["{: onfocus=alert(1)}", "{:autofocus onfocus=alert(1)}", "[x](#)", "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>", "---", "...", "\n\n", "\r\n", "&amp;", "&#60;", "{{ x }}", "<!--",
            "\x1b[2J", "\x1b]0;t\x07", "title: x", "\x02wzxhzdk:0\x03", "    code", "# 标题", "> 引用"]
VALUE = st.lists(st.one_of(st.sampled_from(CHARS), st.sampled_from(PAYLOADS)), min_size=1, max_size=10).map("".join)
YAML_VALUE = st.one_of(VALUE, st.tuples(VALUE, st.just("\ud800")).map("".join))  # only a YAML escape makes one

KNOWN_DOCUMENTS = ("id,region,title,issuer,number,date,kinds,reported_counts,addresses,status,catalogue,note\n"
                   "K001,150000,测试来源文件,测试机关,,2023-05-10,duties,3项,,transcribed,150000-neimenggu/duties,\n")
WITHDRAWN = "id,date,reason,replaced_by\n150000-D-009,2026-11-20,新版文件删除了该事项,\n"

# (file, row index under the header, column) of every kind of CSV text field; None: the header row.
CSV_TARGETS = [
    (f"{NMG}/duties.csv", 0, c) for c in ("id", "category", "text", "legal_basis", "legal_basis_text", "source", "note")
] + [
    (f"{NMG}/duties.csv", None, "text"),
    (f"{NMG}/certificates.csv", 0, "text"),
    ("catalogues/000000-quanguo/signs.csv", 0, "text"),
    ("catalogues/000000-quanguo/signs.csv", 0, "position"),
    ("catalogues/000000-quanguo/negative-certificates.csv", 0, "text"),
    ("catalogues/regions.csv", 1, "name"),
    ("catalogues/regions.csv", 1, "note"),
    ("catalogues/laws.csv", 0, "title"),
    ("catalogues/laws.csv", 0, "issuer"),
    ("catalogues/known-documents.csv", 0, "title"),
    ("catalogues/known-documents.csv", 0, "note"),
    ("catalogues/withdrawn.csv", 0, "reason"),
]
YAML_TARGETS = [("title",), ("sources", 0, "title"), ("sources", 0, "issuer"), ("sources", 0, "note"),
                ("resources", 0, "title"), ("resources", 0, "x-completeness", "missing"), ("x-notes", 0)]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = materialise(VALID / "minimal", tmp_path_factory.mktemp("textprop") / "repo")
    (root / "catalogues" / "known-documents.csv").write_text(KNOWN_DOCUMENTS, encoding="utf-8")
    (root / "catalogues" / "withdrawn.csv").write_text(WITHDRAWN, encoding="utf-8")
    return root


def _csv(rows) -> str:
    def cell(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v
    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows)


def _set_csv(path, row, column, value) -> str:
    """Write ``value`` into the cell; returns the column name the problem must carry."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    i = rows[0].index(column)
    if row is None:
        rows[0][i] = value
    else:
        rows[row + 1][i] = value
    path.write_text(_csv(rows), encoding="utf-8", newline="")
    return value if row is None else column


def _set_yaml(path, where, value) -> str:
    package = yaml.safe_load(path.read_text(encoding="utf-8"))
    if where[0] == "x-notes":
        package["x-notes"] = [value]
    else:
        node = package
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = value
    text = yaml.safe_dump(package, allow_unicode=True, sort_keys=False, width=10**6)
    path.write_text(text, encoding="utf-8")
    # What the catalogue holds: YAML itself folds a raw NEL (which the dumper writes unescaped) into a space.
    try:
        node = yaml.safe_load(text)
        for key in (where if where[0] != "x-notes" else ("x-notes", 0)):
            node = node[key]
    except yaml.YAMLError:
        node = value
    return [k for k in where if isinstance(k, str)][-1], node


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handlers += [f"{tag} {k}" for k, _ in attrs if k.startswith("on") or k == "autofocus"]


def _handlers(markup: str) -> list[str]:
    parser = _Attributes()
    parser.feed(markup)
    parser.close()
    return parser.handlers


MARKDOWN = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "toc"])  # as mkdocs.yml


def _pages_read_back_literally(root, value: str, clean: bool) -> None:
    """Generate every page; each must read back as meant, give Markdown nothing to parse (the body is
    rendered from its template after Markdown), and carry no event handler whatever the data."""
    from mkdocs.utils.meta import get_data

    cat = read_catalogue(str(root))
    site = Site(cat, root, "测试版", "https://villagecat.test/")
    pages = {p.path: p for p in all_pages(site)}
    md = MARKDOWN
    for page in pages.values():
        text = page.markdown()  # raises FrontMatterError rather than fail open
        text.encode("utf-8")
        front = re.match(r"---\n(.*?)\n---\n\n", text, re.S)
        assert front, page.path
        meant = esc(page.title).encode("utf-8", "backslashreplace").decode("utf-8")
        assert yaml.safe_load(front.group(1)) == {"title": meant}, page.path
        doc, meta = get_data(text)
        assert meta == {"title": meant} and doc == "", page.path  # no body for Markdown to read
        md.reset()
        assert md.convert(doc) == "", page.path
        body = page.render()
        assert body.startswith('<div class="vc-page">'), page.path
        assert _handlers(body) == [], page.path  # no event handler, whatever the data
    if clean:
        # The value itself is on the pages as text: an item's text on its own page, for one.
        shown = value  # as it is: no layer rewrites it (clean values hold no carriage return)
        for item in cat.items():
            if item.text == value:
                body = pages[site.item_pages[Site.key(item)]].render()
                m = re.search(r'<p class="vc-item-text">(.*?)</p>', body, re.S)
                assert m and html.unescape(m.group(1)) == shown


def _check(root, rel: str, column: str, value: str, multiline: bool) -> None:
    report = validate(root)
    if refused(value, multiline):
        if "\x00" in value and rel.endswith(".csv"):
            # A NUL byte makes the whole CSV unreadable: the file is refused, at the byte.
            assert any(p.file == rel and p.rule == "binary-file" for p in report.problems), report.flat()
        elif "\ud800" in value and any(p.file == rel and p.rule == "yaml-syntax" and p.row for p in report.problems):
            pass  # libyaml refuses the escape of a lone surrogate: the file is refused, at the line
        else:
            located = [p for p in report.problems if p.rule in TEXT_RULES and p.file == rel]
            assert any(p.row and p.column == column for p in located), (value, report.flat())
            assert all(re.search(r"U\+[0-9A-F]{4}", p.message_en) for p in located)
    else:
        assert not [p for p in report.problems if p.rule in TEXT_RULES], (value, report.flat())
    _pages_read_back_literally(root, value, clean=not ALWAYS_REFUSED.search(value) and "\r" not in value)


def _restoring(root, rel):
    path = root / rel
    return path, path.read_bytes()


@SETTINGS
@given(target=st.sampled_from(CSV_TARGETS), value=VALUE)
def test_csv_field(repo, target, value):
    rel, row, column = target
    path, original = _restoring(repo, rel)
    try:
        located_column = _set_csv(path, row, column, value)
        _check(repo, rel, located_column, value, multiline=row is not None and column in PROSE_COLUMNS)
    finally:
        path.write_bytes(original)


@SETTINGS
@given(where=st.sampled_from(YAML_TARGETS), value=YAML_VALUE)
def test_yaml_string(repo, where, value):
    rel = f"{NMG}/catalogue.yaml"
    path, original = _restoring(repo, rel)
    try:
        column, held = _set_yaml(path, where, value)
        _check(repo, rel, column, held, multiline=column in PROSE_KEYS)
    finally:
        path.write_bytes(original)
