"""Fixture repositories for the diff, release and export tests: a small catalogue in a temporary git repo.

``make_repo`` copies tests/release/fixtures/catalogues and the real schemas/ into a new git repo and
commits it (tag t1). ``edit_v2`` and ``edit_v3`` are the later commits the golden diffs compare:
v2 adds, removes, changes, renumbers and moves items and adds a region; v3 drops one region and
one column and adds another column.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
FIXTURE = HERE / "fixtures"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-15T12:00:00Z", "GIT_COMMITTER_DATE": "2026-01-15T12:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def commit(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    if tag:
        git(repo, "tag", tag)


def make_repo(path: Path) -> Path:
    from villagecat.sync import sync

    path.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "catalogues", path / "catalogues")
    shutil.copytree(REPO / "schemas", path / "schemas")
    sync(path)
    git(path, "init", "-q", "-b", "main")
    commit(path, "fixture catalogue", "t1")
    return path


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_v2(repo: Path) -> None:
    """Add, remove, change, renumber, move; a new region with a new list."""
    duties = repo / "catalogues/150000-neimenggu/duties.csv"
    rewrite(duties, "宣传贯彻执行党的主张。", "宣传和贯彻执行党的路线方针政策。")           # changed
    rewrite(duties, "150000-D-004,4,村民自治类", "150000-D-004,4,公共服务类")             # moved
    rewrite(duties, "150000-D-005,5,", "150000-D-005,6,")                              # renumbered
    with duties.open("a", encoding="utf-8") as fh:                                     # added
        fh.write("150000-D-006,5,村民自治类,支持和组织村民依法发展经济。,L0002,,nmg-2023-implementing-opinions,\n")
    neg = repo / "catalogues/000000-quanguo/negative-certificates.csv"                 # removed
    lines = neg.read_text(encoding="utf-8").splitlines(keepends=True)
    neg.write_text("".join(l for l in lines if not l.startswith("000000-N-003")), encoding="utf-8")
    (repo / "catalogues/withdrawn.csv").write_text(                                   # …and why
        "id,date,reason,replaced_by\n000000-N-003,2026-02-01,测试：第二版删去此项,\n", encoding="utf-8")
    gx = repo / "catalogues/450000-guangxi"                                           # region added
    gx.mkdir()
    (gx / "catalogue.yaml").write_text((repo / "catalogues/000000-quanguo/catalogue.yaml").read_text(encoding="utf-8")
                                       .replace("000000-quanguo", "450000-guangxi").replace("'000000'", "'450000'"),
                                       encoding="utf-8")
    (gx / "negative-certificates.csv").write_text(
        "id,seq,category,text,alternative,legal_basis,legal_basis_text,source,note\n"
        "450000-N-001,1,,无犯罪记录证明,,,,national-2020-negative-certificates,\n", encoding="utf-8")
    commit(repo, "v2 edits", "t2")


def edit_v3(repo: Path) -> None:
    """A region disappears; a column is dropped and another added (not schema-valid: diff only)."""
    shutil.rmtree(repo / "catalogues/000000-quanguo")
    duties = repo / "catalogues/150000-neimenggu/duties.csv"
    rows = [line.split(",") for line in duties.read_text(encoding="utf-8").splitlines()]
    out = []
    for i, r in enumerate(rows):
        del r[5]  # legal_basis_text
        r.append("x_extra" if i == 0 else ("补充" if r[0] == "150000-D-001" else ""))
        out.append(",".join(r))
    duties.write_text("\n".join(out) + "\n", encoding="utf-8")
    commit(repo, "v3 edits", "t3")


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory):
    """t1 → t2 → t3, built once for the read-only tests."""
    mp = pytest.MonkeyPatch()
    for k, v in GIT_ENV.items():
        mp.setenv(k, v)
    repo = make_repo(tmp_path_factory.mktemp("history") / "repo")
    edit_v2(repo)
    edit_v3(repo)
    mp.undo()
    return repo


@pytest.fixture
def repo(tmp_path):
    """A fresh repository at t1, for tests that release or write."""
    return make_repo(tmp_path / "repo")
