"""Transcriptions under sources/: read once through the tree (folder or git), folded as documented,
checked by validate, and never a reason to refuse reading a release that has none."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

from hypothesis import given, settings, strategies as st

from validate_harness import NMG, VALID, materialise
from villagecat.reader import read_tree
from villagecat.source_text import fold, fold_document, parse_source_file
from villagecat.trees import FolderTree, GitTree
from villagecat.validate import validate

SOURCE = "sources/nmg-test.md"


def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True, text=True).stdout.strip()


def _rules(report):
    return [(p.file, p.row, p.column, p.rule) for p in report.problems]


def test_minimal_fixture_sources_are_read_and_checked(tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    cat = read_tree(FolderTree(root))
    sf = cat.source_files[SOURCE]
    assert sf.status == "ok" and not sf.problems
    assert sf.sha256 == hashlib.sha256((root / SOURCE).read_bytes()).hexdigest()
    assert sf.header["title"] == "测试来源文件" and sf.body.startswith("# 测试来源文件")
    assert cat.source_file(cat.regions["150000"].sources["nmg-test"]) is sf
    assert validate(root).problems == []


def test_sources_are_read_from_a_git_commit(tmp_path):
    """A git tree (diff, export of a ref) reads sources/ from git objects, not from the folder."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    (root / SOURCE).write_bytes(b"changed on disk only")
    cat = read_tree(GitTree(root, "HEAD"))
    sf = cat.source_files[SOURCE]
    assert sf.status == "ok" and "调解民间纠纷。" in sf.body


def test_release_tree_without_sources_still_reads(tmp_path):
    """A release records only catalogues/: its sources are 'missing' for the validator, but reading
    it (pages, downloads) reports nothing."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    tree_id = _git(root, "rev-parse", "HEAD:catalogues")
    cat = read_tree(GitTree.from_tree_id(root, tree_id, prefix="catalogues"))
    assert cat.source_files[SOURCE].status == "missing"
    assert cat.problems == []


def test_text_found_despite_layout_and_bold(tmp_path):
    """The fixture's source breaks 宣传贯彻党的路线方针政策。 over two lines and bolds another item."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    body = read_tree(FolderTree(root)).source_files[SOURCE].body
    assert "宣传贯彻党的路线方针政策。" not in body and "**组织开展村民自治。**" in body
    assert validate(root).valid


def test_full_width_space_in_item_text_is_folded(tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    path = root / NMG / "duties.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("调解民间纠纷。", "调解\u3000民间 纠纷。"), encoding="utf-8")
    assert "text-not-in-source" not in {p.rule for p in validate(root).problems}
    path.write_text(path.read_text(encoding="utf-8").replace("调解\u3000民间 纠纷。", "调解民间纠纷"), encoding="utf-8")
    assert "text-not-in-source" not in {p.rule for p in validate(root).problems}  # a prefix is found
    path.write_text(path.read_text(encoding="utf-8").replace("调解民间纠纷", "调解民間纠纷"), encoding="utf-8")
    assert ("catalogues/150000-neimenggu/duties.csv", 4, "text", "text-not-in-source") in _rules(validate(root))


def test_unnamed_source_file_header_is_checked(tmp_path):
    """A file under sources/ that no catalogue names still has its header checked."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    data = (root / SOURCE).read_bytes().replace("调解民间纠纷。".encode(), "调解纠纷。".encode())
    (root / "sources" / "other.md").write_bytes(data)
    assert ("sources/other.md", 2, None, "source-header") in _rules(validate(root))


def test_source_file_without_header(tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    (root / "sources" / "bare.md").write_text("调解民间纠纷。\n", encoding="utf-8")
    assert ("sources/bare.md", 1, None, "source-header") in _rules(validate(root))


def test_source_symlink_out_of_the_repository_is_never_read(tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    os.remove(root / SOURCE)
    os.symlink("/etc/passwd", root / SOURCE)
    cat = read_tree(FolderTree(root))
    assert cat.source_files[SOURCE].status == "unsafe" and cat.source_files[SOURCE].body == ""
    assert "source-path-unsafe" in {p.rule for p in validate(root).problems}


def test_sources_folder_symlink_out_of_the_repository(tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    shutil.rmtree(root / "sources")
    os.symlink(tmp_path, root / "sources")
    assert "source-path-unsafe" in {p.rule for p in validate(root).problems}


def test_uncited_source_needs_neither_file_nor_address(tmp_path):
    """A source no list or item cites records a document known only by citation (a gap on the site)."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    yml = root / NMG / "catalogue.yaml"
    text = yml.read_text(encoding="utf-8").replace("resources:\n", (
        "  - key: cited-only\n    title: 引用而未读到的文件\n    issuer: \"\"\n    number: \"\"\n    date: \"\"\n"
        "    kind: official-text\nresources:\n"), 1)
    yml.write_text(text, encoding="utf-8")
    assert validate(root).problems == []
    csv = root / NMG / "duties.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("调解民间纠纷。,,,nmg-test", "调解民间纠纷。,,,cited-only"), encoding="utf-8")
    assert [p.rule for p in validate(root).problems] == ["source-untraceable"]


def test_parse_never_raises_on_odd_bytes():
    for data in (b"", b"---\n", b"---\n---\n", b"---\n: :\n---\nx", b"\xff\xfe\x00", b"---\n[1]\n---\nx", b"---\n&a x\n---\n"):
        sf = parse_source_file("sources/x.md", data)
        assert sf.status in ("ok", "unreadable")
        if sf.status == "unreadable" or not sf.header:
            assert sf.problems, data


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("调解民间纠纷证明。、（）ab1"), min_size=1, max_size=20),
       st.lists(st.sampled_from([" ", "\n", "\u3000", "\t", "**"]), max_size=6), st.randoms())
def test_layout_marks_inside_the_source_are_folded(text, marks, rnd):
    """Whatever whitespace and ``**`` a layout puts inside a passage, its text is still found."""
    chars = list(text)
    for mark in marks:
        chars.insert(rnd.randint(0, len(chars)), mark)
    assert fold(text) in fold_document("前文" + "".join(chars) + "后文")
