"""The text policy (villagecat.textpolicy, rules/text_policy.py) and what reads data back out to a
person: the text report, GitHub annotations, and exports that refuse what the policy refuses.

The fixtures tests/fixtures/invalid/text-*/ and law-id-leading-space/ hold the regressions of the
security review (issue 8); their goldens are checked by test_validate_golden.py, this module checks
what those goldens cannot say.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from validate_harness import INVALID, NMG, VALID, materialise, run_cli
from villagecat.reader import read_catalogue
from villagecat.textpolicy import BIDI, findings, visible
from villagecat.validate import validate

DUTIES = f"{NMG}/duties.csv"
# Anything a terminal, a log or a bidi-aware viewer would act on, LF and CR excepted.
RAW_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI + "\u2028\u2029]")


# ---- the policy itself ------------------------------------------------------------------------

@pytest.mark.parametrize("value,multiline,expected", [
    ("宣传贯彻党的路线方针政策。", False, []),
    ("第一行\n第二行", True, []),
    ("第一行\r\n第二行", True, []),  # a Windows line end in a prose field
    ("第一行\n第二行", False, [("text-line-break", 4, "U+000A", 1)]),
    ("第一行\r\n第二行\r\n", False, [("text-line-break", 4, "U+000D", 2)]),  # one break per CR LF
    ("第一行\r第二行", True, [("text-line-break", 4, "U+000D", 1)]),  # a lone CR is never a line end
    ("a\u2028b", True, [("text-line-break", 2, "U+2028", 1)]),
    ("x\x7f{: onfocus=alert(1)}", False, [("text-control-character", 2, "U+007F", 1)]),
    ("备注\x0b二", True, [("text-control-character", 3, "U+000B", 1)]),
    ("\t", True, [("text-control-character", 1, "U+0009", 1)]),
    ("\x1b[2K\x1b[1A", True, [("text-control-character", 1, "U+001B", 2)]),
    ("\x85", True, [("text-control-character", 1, "U+0085", 1)]),
    ("a\u202eb\u2066c", False, [("text-bidi-control", 2, "U+202E", 2)]),
    ("\u061c\u200e\u200f", False, [("text-bidi-control", 1, "U+061C", 3)]),
    ("\ud800", False, [("text-control-character", 1, "U+D800", 1)]),
    ("a\x1b\u202e\n", False, [("text-control-character", 2, "U+001B", 1), ("text-bidi-control", 3, "U+202E", 1),
                             ("text-line-break", 4, "U+000A", 1)]),
])
def test_findings(value, multiline, expected):
    got = [(f.rule, f.position, f.codepoint, f.count) for f in findings(value, multiline)]
    assert sorted(got) == sorted(expected)


def test_visible_leaves_no_raw_control_and_keeps_text():
    assert visible("内蒙古\x1b[31m红\u202e") == "内蒙古<U+001B>[31m红<U+202E>"
    assert visible("a\r\nb") == "a<U+000D><U+000A>b"
    assert visible("a\nb", keep="\n") == "a\nb"
    assert visible("普通文字 plain, (1)") == "普通文字 plain, (1)"
    every = "".join(chr(c) for c in list(range(0x20)) + list(range(0x7F, 0xA0))) + BIDI + "\u2028\u2029"
    assert not RAW_CONTROL.search(visible(every)) and "\n" not in visible(every)


# ---- the rule over every kind of file ----------------------------------------------------------

def _rewrite(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_file_and_field_is_checked(tmp_path):
    """One hostile character per kind of text field; each reported at its file, line and column."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    cats = root / "catalogues"
    _rewrite(cats / "regions.csv", "150000,内蒙古自治区", "150000,内蒙古自治区\x1b[0m")
    _rewrite(cats / "laws.csv", "L0001,中华人民共和国村民委员会组织法,", "L0001,中华人民共和国村民委员会组织法,\u202e")
    (cats / "known-documents.csv").write_text(
        "id,region,title,issuer,number,date,kinds,reported_counts,addresses,status,catalogue,note\n"
        "K001,150000,测试来源文件,测试机关,,2023-05-10,duties,3项,,transcribed,150000-neimenggu/duties,说明\x85\n",
        encoding="utf-8")
    (cats / "withdrawn.csv").write_text("id,date,reason,replaced_by\n150000-D-009,2026-11-20,删除\x07,\n", encoding="utf-8")
    _rewrite(cats / "150000-neimenggu" / "duties.csv", "id,seq,", "id\x7f,seq,")  # a header cell
    _rewrite(cats / "150000-neimenggu" / "certificates.csv", "150000-C-001,", "150000-C-001\x0c,")
    _rewrite(cats / "000000-quanguo" / "signs.csv", "\n000000-S-001,1,", "\n000000-S-001,1,\u2066")
    _rewrite(cats / "150000-neimenggu" / "catalogue.yaml", "    issuer: 测试机关", '    issuer: "测试\\x9b机关"')
    _rewrite(cats / "000000-quanguo" / "catalogue.yaml", "    - 村民委员会", '    - "村民委员会\\e[8m"')
    _rewrite(cats / "000000-quanguo" / "catalogue.yaml", "x-policy:", '"x-\\u200fpolicy":')  # a key

    report = validate(root)
    found = {(p.file, p.row, p.column, p.rule) for p in report.problems if p.rule.startswith("text-")}
    assert found == {
        ("catalogues/regions.csv", 3, "name", "text-control-character"),
        ("catalogues/laws.csv", 2, "cited_as", "text-bidi-control"),
        ("catalogues/known-documents.csv", 2, "note", "text-control-character"),
        ("catalogues/withdrawn.csv", 2, "reason", "text-control-character"),
        ("catalogues/150000-neimenggu/duties.csv", 1, "id\x7f", "text-control-character"),
        ("catalogues/150000-neimenggu/certificates.csv", 2, "id", "text-control-character"),
        ("catalogues/000000-quanguo/signs.csv", 2, "category", "text-bidi-control"),
        ("catalogues/150000-neimenggu/catalogue.yaml", 9, "issuer", "text-control-character"),
        ("catalogues/000000-quanguo/catalogue.yaml", 17, "exterior_signs", "text-control-character"),
        ("catalogues/000000-quanguo/catalogue.yaml", 14, "x-\u200fpolicy", "text-bidi-control"),
    }, sorted(found)
    by_file = {p.file: p for p in report.problems if p.rule.startswith("text-")}
    regions = by_file["catalogues/regions.csv"]
    assert regions.item_id == "150000" and "U+001B" in regions.message and "第 7 个字符" in regions.message
    assert "Character 7 of name" in regions.message_en
    cert = by_file["catalogues/150000-neimenggu/certificates.csv"]
    assert cert.item_id == "150000-C-001\x0c" and "U+000C" in cert.message_en


def test_fixtures_of_the_review_fail_only_where_they_should():
    """The XSS text of the review (finding 1) validates no more, at the cell that holds it."""
    golden = json.loads((INVALID / "text-control-character" / "expected.json").read_text(encoding="utf-8"))
    assert [DUTIES, 2, "text", "text-control-character"] in golden["problems"]
    vt = json.loads((INVALID / "text-control-vertical-tab" / "expected.json").read_text(encoding="utf-8"))
    assert [DUTIES, 3, "note", "text-control-character"] in vt["problems"]


# ---- what people read: text report and GitHub annotations --------------------------------------

@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory):
    """A repository whose file and folder names carry workflow commands and escape sequences."""
    root = materialise(VALID / "minimal", tmp_path_factory.mktemp("names") / "repo")
    folder = root / "catalogues" / "150000-neimenggu"
    shutil.copy(folder / "duties.csv", folder / "x\n::add-mask::secret\n::error file=a.csv::pwn,\x1b[2K.csv")
    (root / "catalogues" / "x\r::error::folder\u202e").mkdir()
    _rewrite(folder / "duties.csv", "调解民间纠纷。", "调解民间纠纷。\x1b[2K\x1b[1A")
    return root


def test_github_annotations_cannot_start_a_command(hostile_names):
    proc = run_cli("validate", "--format", "github", str(hostile_names))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.split("\n")
    assert lines[-1] == ""
    annotations, summary = lines[:-3], lines[-3:-1]
    # the escape sequence in a cell, the same cell no longer found in its source, and the two names
    assert len(annotations) == 4
    for line in annotations:
        assert re.fullmatch(r"::(error|warning) file=[^,:]*(,line=\d+)?,title=[a-z0-9-]+::[^\r\n]*", line), line
        assert not RAW_CONTROL.search(line), line
    assert not any(line.startswith("::") for line in summary)
    assert "file=catalogues/150000-neimenggu/x%0A%3A%3Aadd-mask%3A%3Asecret%0A%3A%3Aerror file=a.csv%3A%3Apwn%2C<U+001B>[2K.csv," in proc.stdout
    assert "file=catalogues/x%0D%3A%3Aerror%3A%3Afolder<U+202E>," in proc.stdout
    assert "title=text-control-character::" in proc.stdout


def test_text_report_shows_control_characters(hostile_names):
    proc = run_cli("validate", str(hostile_names))
    assert proc.returncode == 1
    assert not RAW_CONTROL.search(proc.stdout) and "\r" not in proc.stdout
    assert "x<U+000A>::add-mask::secret<U+000A>::error file=a.csv::pwn,<U+001B>[2K.csv" in proc.stdout
    # no line of the report starts with what the names carry
    assert not any(line.startswith("::") for line in proc.stdout.splitlines())


# ---- law id with a leading space (finding 6) ---------------------------------------------------

def test_law_id_with_leading_space_is_located_and_builds(tmp_path):
    from villagecat.site.pages import Site, all_pages

    root = materialise(INVALID / "law-id-leading-space", tmp_path / "repo")
    report = validate(root)
    assert [(p.file, p.row, p.column, p.rule) for p in report.problems] == [
        ("catalogues/laws.csv", 2, "id", "pattern-mismatch")]
    cat = read_catalogue(str(root))
    assert list(cat.laws) == ["L0001"] and cat.laws["L0001"].id == "L0001"
    pages = {p.path: p for p in all_pages(Site(cat, root, "t", "https://x.test/"))}
    assert "laws/L0001.md" in pages
    for page in pages.values():
        page.markdown()


# ---- exports refuse what the policy refuses (finding 2) ---------------------------------------

def test_export_refuses_a_vertical_tab_instead_of_crashing(tmp_path):
    root = materialise(INVALID / "text-control-vertical-tab", tmp_path / "repo")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x.invalid", "HOME": str(tmp_path)}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    proc = run_cli("export", "--repo", str(root), "--ref", "HEAD", "--version", "t", "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr
    assert "export refused" in proc.stderr
    assert "catalogues/150000-neimenggu/duties.csv，第 2 行，列 category" in proc.stderr and "U+0009" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_coverage_text_shows_control_characters(tmp_path):
    from villagecat.coverage import coverage, render_text

    root = materialise(VALID / "minimal", tmp_path / "repo")
    _rewrite(root / "catalogues" / "regions.csv", "150000,内蒙古自治区", "150000,内蒙古\x1b[2K\u202e自治区")
    out = render_text(coverage(read_catalogue(str(root))))
    assert "150000 内蒙古<U+001B>[2K<U+202E>自治区" in out
    assert not RAW_CONTROL.search(out.replace("\t", ""))  # tabs separate the columns
