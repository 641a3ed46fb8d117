"""Hostile pull requests: bounds on what a file can cost, special files, links out of the repository.

A pull request comes from a stranger, so file contents and file names are the attacker's. These
tests run the command line as CI runs it, on repositories made at test time (what cannot be
committed: huge files, FIFOs, links, submodules), and check that each case ends in a clear,
located error with a non-zero exit, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from validate_harness import NMG, REPO, VALID, VILLAGECAT, materialise, run_cli
from villagecat.bench import run_step
from villagecat.decode import guess_encoding
from villagecat.problems import cap, problem
from villagecat.registry import all_rules

MiB = 1024 * 1024
GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def no_traceback(proc) -> None:
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


def git_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return root


def measured(args: list[str], cwd: Path, out: Path, timeout: float = 120) -> tuple[int, float, int]:
    """Run ``villagecat *args`` as the benchmarks run a step (:func:`villagecat.bench.run_step`, under
    :mod:`villagecat.peak`, so the child does not inherit this test process's high-water mark as its
    peak); standard output goes to ``out``. Returns (exit code, wall seconds, peak RSS in bytes)."""
    with open(out, "wb") as fh:
        res = run_step([VILLAGECAT, *args], timeout, cwd=cwd, stdout=fh)
    if res["timed_out"]:
        pytest.fail(f"villagecat {' '.join(args)} did not finish within {timeout} s")
    return res["status"], res["seconds"], res["peak"]


# ---------------------------------------------------------------- bounds

def _million_rows(root: Path) -> str:
    (root / NMG / "duties.csv").write_bytes(b"x\n" * 1_000_000)  # 2 MB
    return "csv-too-many-rows"


def _million_columns(root: Path) -> str:
    path = root / NMG / "duties.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\n") + "".join(f",c{i}" for i in range(1_000_000)) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return "csv-too-many-columns"


@pytest.mark.parametrize("make", [_million_rows, _million_columns], ids=["1M-rows", "1M-columns"])
def test_huge_file_refused_within_bounds(make, tmp_path):
    """The findings: 1M rows took 112 s and 8.3 GB, 1M columns 116 s and 5 GB. Now each file is
    refused early; the bounds (10 s, 500 MiB) are generous, measured in a child process."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    rule = make(root)
    code, wall, rss = measured(["validate", "--format", "json", str(root)], REPO, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert code == 1, text[:2000]
    report = json.loads(text)
    assert [(e["file"], e["rule"]) for e in report["errors"]] == [(f"{NMG}/duties.csv", rule)]
    assert len(text) < 100_000
    assert rss < 500 * MiB, f"peak RSS {rss / MiB:.0f} MiB"
    assert wall < 10, f"{wall:.1f} s"


def test_cap_per_rule_and_in_all():
    """At most ``per_rule`` of one rule per file, at most ``total`` in all; each cut is summed up."""
    all_rules()
    ps = [problem("row-length", file=f, row=r, found=1, expected=8) for f in ("a.csv", "b.csv") for r in range(2, 12)]
    capped = cap(ps, per_rule=3, total=100)
    assert [(p.file, p.rule, p.row) for p in capped if p.rule == "row-length"] == \
        [(f, "row-length", r) for f in ("a.csv", "b.csv") for r in (2, 3, 4)]
    summaries = [(p.file, p.row, p.params["count"], p.severity) for p in capped if p.rule == "problems-truncated"]
    assert summaries == [("a.csv", 5, 7, "error"), ("b.csv", 5, 7, "error")]
    # a summary a check made itself is merged into the group's
    pre = cap(ps[:3] + [cap(ps[:5], per_rule=3)[-1]], per_rule=3)
    assert [p.params["count"] for p in pre if p.rule == "problems-truncated"] == [2]
    # the global cap: one more summary counts everything from there on
    total = cap(ps, per_rule=100, total=5)
    assert len(total) == 6 and total[-1].rule == "problems-truncated"
    assert total[-1].params["count"] == 15 and (total[-1].file, total[-1].row) == ("a.csv", 7)


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("codec,expected", [("gbk", "GB18030"), ("gb18030", "GB18030"), ("big5", "Big5"),
                                            ("cp950", "Big5"), ("shift_jis", "Shift-JIS"), ("latin-1", None)])
def test_guess_encoding(codec, expected):
    text = {"big5": "宣傳貫徹黨的路線方針政策，組織開展村民自治，調解民間糾紛。",
            "cp950": "協助做好社會保障、醫療衛生、計劃生育工作。",
            "shift_jis": "村の住民は自治を行う。証明書を発行しない。",
            "latin-1": "Société coopérative du village"}.get(codec, "宣传贯彻党的路线方针政策，组织开展村民自治，调解民间纠纷（第一项）。")
    assert guess_encoding(f"id,text\n1,{text}\n".encode(codec)) == expected


def test_mixed_file_judged_on_its_non_utf8_lines():
    """A GBK line appended to a UTF-8 file is judged as GB text (the UTF-8 lines are not evidence)."""
    data = "id,text\n1,已是 UTF-8 的一行。\n".encode() + "2,宣传贯彻党的路线方针政策。\n".encode("gbk")
    assert guess_encoding(data) == "GB18030"


# ---------------------------------------------------------------- the command line

@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Git repositories whose commits are readable but not exportable, and their ``export`` runs."""
    base = tmp_path_factory.mktemp("export")
    runs = {}
    dup = materialise(VALID / "minimal", base / "dup")
    text = (dup / NMG / "duties.csv").read_text(encoding="utf-8").replace("150000-D-002", "150000-D-001")
    (dup / NMG / "duties.csv").write_text(text, encoding="utf-8")
    git_repo(dup)
    runs["duplicate-id"] = run_cli("export", "--ref", "HEAD", "--out", str(base / "out-dup"), cwd=dup)

    huge = materialise(VALID / "minimal", base / "huge")
    text = (huge / NMG / "duties.csv").read_text(encoding="utf-8").replace(",2,", "," + "9" * 40 + ",")
    (huge / NMG / "duties.csv").write_text(text, encoding="utf-8")
    git_repo(huge)
    runs["huge-integer"] = run_cli("export", "--ref", "HEAD", "--out", str(base / "out-huge"), cwd=huge)

    sub = git_repo(materialise(VALID / "minimal", base / "sub"))
    head = git(sub, "rev-parse", "HEAD")
    git(sub, "rm", "-q", "--cached", f"{NMG}/duties.csv")
    git(sub, "update-index", "--add", "--cacheinfo", f"160000,{head},{NMG}/duties.csv")
    git(sub, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},catalogues/440000-guangdong")
    git(sub, "commit", "-q", "-m", "submodules where a file and a folder should be")
    runs["submodule"] = run_cli("export", "--ref", "HEAD", "--out", str(base / "out-sub"), cwd=sub)
    runs["submodule-diff"] = run_cli("diff", "HEAD~1", "HEAD", cwd=sub)

    norel = git_repo(materialise(VALID / "minimal", base / "norel"))
    (norel / "releases.yaml").write_text(
        f'releases:\n- version: "2026.1"\n  date: "2026-01-15"\n  summary: x\n  tree: "{"e" * 40}"\n'
        f'  commit: {git(norel, "rev-parse", "HEAD")}\n  items: 4\n  removed: []\n', encoding="utf-8")
    runs["missing-release-tree"] = run_cli("export", "--out", str(base / "out-norel"), cwd=norel)
    return runs


@pytest.mark.parametrize("name", ["duplicate-id", "submodule"])
def test_export_refuses_what_it_cannot_hold(name, exports):
    proc = exports[name]
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "拒绝导出" in proc.stderr and "export refused" in proc.stderr
    assert {"duplicate-id": "150000-D-001", "submodule": "git 子模块"}[name] in proc.stderr


def test_export_keeps_long_integers_as_text(exports):
    proc = exports["huge-integer"]
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr


def test_diff_reports_submodules(exports):
    proc = exports["submodule-diff"]
    no_traceback(proc)
    assert "git submodule" in proc.stderr and f"{NMG}/duties.csv" in proc.stderr


def test_export_names_what_it_cannot_read(exports):
    proc = exports["missing-release-tree"]
    no_traceback(proc)
    assert proc.returncode != 0 and proc.stderr.strip()
    assert "None" not in proc.stderr


def test_validate_reports_a_submodule_in_a_git_tree(tmp_path):
    from villagecat.reader import read_tree
    from villagecat.trees import GitTree

    sub = git_repo(materialise(VALID / "minimal", tmp_path / "sub"))
    git(sub, "rm", "-q", "--cached", f"{NMG}/catalogue.yaml")
    git(sub, "update-index", "--add", "--cacheinfo", f"160000,{git(sub, 'rev-parse', 'HEAD')},{NMG}/catalogue.yaml")
    git(sub, "commit", "-q", "-m", "catalogue.yaml a submodule")
    cat = read_tree(GitTree(sub, "HEAD"))
    assert [(p.file, p.rule) for p in cat.problems] == [(f"{NMG}/catalogue.yaml", "not-a-regular-file")]


# ---------------------------------------------------------------- links out of the repository

def _site_repo(tmp_path: Path) -> Path:
    """A repository the site can be built from: the project's mkdocs.yml, docs/ and site_config/
    around the minimal valid catalogue."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "site_config", root / "site_config")
    return root


@pytest.mark.parametrize("where", ["docs/leak.md", "site_config/assets/leak.txt", "docs/folder",
                                   "site_config/overrides/partials/leak.html"])
def test_build_refuses_links_out_of_the_repository(where, tmp_path):
    root = _site_repo(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("root:hunter2\n", encoding="utf-8")
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret if where.endswith("folder") else secret / "passwords.txt", link)
    proc = run_cli("build", "--out", str(tmp_path / "site"), "--work", str(tmp_path / "work"), cwd=root, timeout=300)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "拒绝建站" in proc.stderr and where in proc.stderr and "leaving the repository" in proc.stderr
    leaked = [p for p in (tmp_path / "site", tmp_path / "work") if p.exists()
              for f in p.rglob("*") if f.is_file() and b"hunter2" in f.read_bytes()]
    assert leaked == []


def test_build_check_passes_the_real_sources():
    from villagecat.site.build import check_sources

    check_sources(REPO / "docs", REPO)
    check_sources(REPO / "site_config", REPO)


def test_build_check_refuses_loops_and_pipes(tmp_path):
    from villagecat.site.build import UnsafeSource, check_sources

    (tmp_path / "docs" / "a").mkdir(parents=True)
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "a" / "up")
    with pytest.raises(UnsafeSource, match="loop"):
        check_sources(tmp_path / "docs", tmp_path)
    os.unlink(tmp_path / "docs" / "a" / "up")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    with pytest.raises(UnsafeSource, match="not a regular file"):
        check_sources(tmp_path / "docs", tmp_path)


def _stale(yaml_path: Path) -> None:
    """Make the schema copy in a catalogue.yaml stale, so that sync would rewrite the file."""
    text = yaml_path.read_text(encoding="utf-8")
    start = text.index("schema: {")
    end = text.index("\n", start)
    yaml_path.write_text(text[:start] + 'schema: {"fields": []}' + text[end:], encoding="utf-8")


@pytest.mark.parametrize("what", ["folder", "file", "fifo"])
def test_sync_refuses_links_out_and_special_files(what, tmp_path):
    root = materialise(VALID / "minimal", tmp_path / "repo")
    outside = tmp_path / "outside"
    shutil.copytree(root / NMG, outside / "440000-guangdong")
    target = outside / "440000-guangdong" / "catalogue.yaml"
    _stale(target)
    before = target.read_bytes()
    rel = "catalogues/440000-guangdong"
    if what == "folder":
        os.symlink(outside / "440000-guangdong", root / rel)
    else:
        shutil.copytree(root / NMG, root / rel)
        (root / rel / "catalogue.yaml").unlink()
        if what == "file":
            os.symlink(target, root / rel / "catalogue.yaml")
        else:
            os.mkfifo(root / rel / "catalogue.yaml")
    proc = run_cli("sync", cwd=root, timeout=60)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{rel}/catalogue.yaml" in proc.stderr and "拒绝处理" in proc.stderr
    assert target.read_bytes() == before  # nothing outside the repository was written
    if what == "folder":
        check = run_cli("validate", str(root), cwd=root)
        assert check.returncode == 1 and "[path-outside-repository]" in check.stdout and rel in check.stdout
