"""Tampered release records, as a hostile pull request would write them, in temporary git repositories.

Each case is a finding reproduced end to end: a release's data changed through ``releases.yaml``,
the released-id rule switched off, git option injection, a path climbing out of the site, an
alias bomb, a syntax error, an interrupted release, a half-written file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from villagecat.cli import main
from villagecat.reader import read_catalogue
from villagecat.release import ReleaseError, load_releases
from villagecat.validate import validate

from .conftest import commit, git

VILLAGECAT = str(Path(sys.executable).parent / "villagecat")
NEG = "catalogues/000000-quanguo/negative-certificates.csv"


def rules(repo: Path, base: str | None = None) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in validate(repo, base=base).problems:
        if p.severity == "error":
            out.setdefault(p.rule, []).append((p.file, p.row, p.column))
    return out


def do_release(repo: Path, version: str, date: str) -> None:
    assert main(["release", version, "--summary", f"测试 {version} / test", "--date", date, "--repo", str(repo)]) == 0


def records(repo: Path) -> dict:
    return yaml.safe_load((repo / "releases.yaml").read_text(encoding="utf-8"))


def write_records(repo: Path, data: dict, message: str | None = "tamper") -> None:
    (repo / "releases.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if message:
        commit(repo, message)


@pytest.fixture
def two_releases(repo):
    """2026.1, then a changed text released as 2026.2; the tag v2026.1 is removed (as in the real repository)."""
    do_release(repo, "2026.1", "2026-01-20")
    path = repo / "catalogues/150000-neimenggu/duties.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("宣传贯彻执行党的主张。", "宣传贯彻执行党的主张（第二版）。"),
                    encoding="utf-8")
    commit(repo, "edit text")
    do_release(repo, "2026.2", "2026-02-20")
    git(repo, "tag", "-d", "v2026.1")
    assert rules(repo) == {}
    return repo


def test_tree_swapped_to_an_earlier_tree(two_releases, tmp_path, capsys):
    repo = two_releases
    base = git(repo, "rev-parse", "HEAD").strip()
    data = records(repo)
    first, second = data["releases"]
    second["tree"] = first["tree"]  # 2026.2 now "is" 2026.1's text
    write_records(repo, data)
    # The tag v2026.2 (on the release commit, whose catalogues are the real 2026.2 tree) contradicts it too.
    assert rules(repo) == {"release-tree-mismatch": [("releases.yaml", 12, "tree")],
                           "release-tag-mismatch": [("releases.yaml", 9, "version")]}
    with pytest.raises(ReleaseError):
        load_releases(repo)
    assert main(["export", "--ref", "2026.2", "--repo", str(repo), "--out", str(tmp_path / "dl")]) == 2
    assert "release-tree-mismatch" in capsys.readouterr().err
    assert not (tmp_path / "dl").exists()

    # Both tree and commit swapped, consistent with each other, and no tag to contradict them: only
    # the comparison with the base can tell — and it does.
    git(repo, "tag", "-d", "v2026.2")
    second["commit"] = first["commit"]
    write_records(repo, data)
    problems = rules(repo, base=base)
    assert list(problems) == ["release-entry-changed"]
    assert main(["validate", str(repo), "--base", base]) == 1
    out = capsys.readouterr().out
    assert "release-entry-changed" in out and "commit, tree" in out


def test_unknown_tree_fails_closed(two_releases):
    """An unreadable tree no longer switches the released-id rule off: a removed released id is reported."""
    repo = two_releases
    data = records(repo)
    data["releases"][1]["tree"] = "f" * 40
    write_records(repo, data, message=None)
    neg = repo / NEG
    neg.write_text("".join(l for l in neg.read_text(encoding="utf-8").splitlines(True) if not l.startswith("000000-N-003")),
                   encoding="utf-8")
    found = rules(repo)
    assert found["release-tree-unreadable"] == [("releases.yaml", 12, "tree")]
    assert not validate(repo).valid


@pytest.mark.parametrize("tree", ["HEAD:catalogues", "--output=../victim.txt", "F" * 40, "f" * 39])
def test_tree_that_is_not_an_object_id(two_releases, tree):
    repo = two_releases
    data = records(repo)
    data["releases"][1]["tree"] = tree
    write_records(repo, data, message=None)
    assert rules(repo) == {"release-record-invalid": [("releases.yaml", 12, "tree")]}


def test_git_option_injection_never_reaches_git(two_releases, tmp_path, capsys, monkeypatch):
    repo = two_releases
    victim = repo.parent / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    data = records(repo)
    data["releases"][1]["tree"] = "--output=../victim.txt"
    data["releases"][0]["commit"] = "--output=../victim.txt"
    write_records(repo, data)
    assert not validate(repo).valid
    from villagecat.publish import publish

    with pytest.raises(ReleaseError):
        publish(repo, tmp_path / "site")
    assert main(["export", "--repo", str(repo), "--out", str(tmp_path / "dl")]) == 2
    assert main(["release", "2026.3", "--summary", "x", "--date", "2026-03-01", "--repo", str(repo)]) == 2
    import villagecat.site.build

    monkeypatch.setattr(villagecat.site.build, "project_root", lambda start=".": repo)
    capsys.readouterr()
    assert main(["build", "--all-releases", "--out", str(tmp_path / "site2")]) == 2
    assert main(["serve", "--out", str(tmp_path / "site3"), "--port", "65001"]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and "release-record-invalid" in err
    assert not (tmp_path / "site2").exists() and not (tmp_path / "site3").exists()
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "site").exists()


def test_version_climbing_out_of_the_site(two_releases, tmp_path):
    repo = two_releases
    data = records(repo)
    data["releases"][1]["version"] = "2026.2/../../../X"
    write_records(repo, data)
    assert rules(repo)["release-record-invalid"] == [("releases.yaml", 9, "version")]
    from villagecat.publish import publish

    out = tmp_path / "deep" / "er" / "site"
    with pytest.raises(ReleaseError):
        publish(repo, out)
    assert not list(tmp_path.rglob("X")) and not (repo.parent / "X").exists()


def test_version_must_be_a_string_in_strict_form(two_releases):
    repo = two_releases
    text = (repo / "releases.yaml").read_text(encoding="utf-8")
    (repo / "releases.yaml").write_text(text.replace("version: '2026.2'", "version: 2026.2"), encoding="utf-8")
    assert rules(repo) == {"release-record-invalid": [("releases.yaml", 10, "version")]}
    (repo / "releases.yaml").write_text(text.replace("version: '2026.2'", "version: '2026.2\\n'")
                                        .replace("version: '2026.2\\n'", 'version: "2026.2\\n"'), encoding="utf-8")
    assert "release-record-invalid" in rules(repo)


def test_alias_bomb_under_removed_returns_quickly(two_releases):
    repo = two_releases
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                    f"*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]")
    text = (repo / "releases.yaml").read_text(encoding="utf-8")
    text = "\n".join(bomb) + "\n" + text.replace("  removed:\n  - 000000-N-003", "  removed: *i", 1) \
        .replace("  removed: []", "  removed: *i", 1)
    (repo / "releases.yaml").write_text(text, encoding="utf-8")
    start = time.monotonic()
    res = subprocess.run([VILLAGECAT, "validate", str(repo)], capture_output=True, text=True, timeout=30)
    assert time.monotonic() - start < 10
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "[yaml-alias] releases.yaml" in res.stdout


def test_syntax_error_is_a_located_problem(two_releases, tmp_path):
    repo = two_releases
    text = (repo / "releases.yaml").read_text(encoding="utf-8")
    (repo / "releases.yaml").write_text(text.replace("  items: 8", "  items: [8", 1), encoding="utf-8")
    res = subprocess.run([VILLAGECAT, "validate", str(repo), "--format", "json"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    import json

    errors = json.loads(res.stdout)["errors"]
    assert [(e["rule"], e["file"]) for e in errors] == [("yaml-syntax", "releases.yaml")] and errors[0]["row"]
    res = subprocess.run([VILLAGECAT, "export", "--repo", str(repo), "--out", str(tmp_path / "dl")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "yaml-syntax" in res.stderr


def test_deleted_or_rewritten_records(two_releases):
    repo = two_releases
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "releases.yaml").unlink()
    assert rules(repo) == {"releases-file-missing": [("releases.yaml", None, None)]}  # HEAD's history has it
    assert rules(repo, base=base)["release-entry-removed"] == [("releases.yaml", None, None)] * 2
    commit(repo, "delete releases.yaml")
    assert "releases-file-missing" in rules(repo)

    git(repo, "checkout", "-q", base, "--", "releases.yaml")
    commit(repo, "restore")
    assert rules(repo, base=base) == {}
    data = records(repo)
    data["releases"][0]["summary"] = "改写 / rewritten"
    write_records(repo, data, message=None)
    assert rules(repo, base=base) == {"release-entry-changed": [("releases.yaml", 2, None)]}
    del data["releases"][0]
    write_records(repo, data, message=None)
    assert "release-entry-removed" in rules(repo, base=base)
    with pytest.raises(LookupError):
        validate(repo, base="--output=../victim.txt")
    assert not (repo.parent / "victim.txt").exists()


def test_tags_without_releases_yaml(repo):
    """No releases.yaml ever committed, but a tag v* exists: fail closed."""
    assert rules(repo) == {}
    git(repo, "tag", "v2026.1")
    assert rules(repo) == {"releases-file-missing": [("releases.yaml", None, None)]}


def test_tag_pointing_elsewhere(two_releases):
    repo = two_releases
    git(repo, "tag", "v2026.1", "HEAD")  # the 2026.2 release commit, not 2026.1's
    assert rules(repo) == {"release-tag-mismatch": [("releases.yaml", 3, "version")]}


def test_interrupted_before_tagging_then_completed(repo, capsys):
    do_release(repo, "2026.1", "2026-01-20")
    release_commit = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "tag", "-d", "v2026.1")  # as if killed between the commit and the tag
    capsys.readouterr()
    assert main(["release", "2026.1", "--summary", "again", "--date", "2026-01-20", "--repo", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "--complete" in err and "must be above" not in err
    assert main(["release", "--complete", "2026.1", "--repo", str(repo)]) == 0
    assert git(repo, "rev-parse", "v2026.1^{commit}").strip() == release_commit
    assert git(repo, "cat-file", "-t", "v2026.1").strip() == "tag"  # annotated
    assert rules(repo) == {}
    assert main(["release", "2026.1", "--complete", "--repo", str(repo)]) == 2  # already complete
    assert main(["release", "2026.2", "--complete", "--repo", str(repo)]) == 2  # not recorded
    assert git(repo, "tag", "-l", "v*").split() == ["v2026.1"]


def test_a_clone_without_tags_gets_every_release_tag_back(two_releases, capsys):
    """Tags do not travel with every clone: --complete restores an older release's tag too, at the
    same release commit the release made, and validation holds."""
    repo = two_releases
    made = {v: git(repo, "log", "--format=%H", f"--grep=^Release {v}$").strip() for v in ("2026.1", "2026.2")}
    assert made["2026.2"] == git(repo, "rev-parse", "v2026.2^{commit}").strip()
    git(repo, "tag", "-d", "v2026.2")  # (the fixture has already dropped v2026.1)
    for v in ("2026.1", "2026.2"):
        assert main(["release", v, "--complete", "--repo", str(repo)]) == 0
        assert git(repo, "rev-parse", f"v{v}^{{commit}}").strip() == made[v]
    assert rules(repo) == {}


def test_complete_refuses_a_record_without_its_release_commit(repo, capsys):
    """Files written, never committed (killed before the commit): --complete says how to undo, tags nothing."""
    assert main(["release", "2026.1", "--summary", "x", "--date", "2026-01-20", "--no-commit", "--repo", str(repo)]) == 0
    capsys.readouterr()
    assert main(["release", "2026.1", "--complete", "--repo", str(repo)]) == 2
    assert "git restore" in capsys.readouterr().err
    assert git(repo, "tag", "-l", "v*") == ""


def test_atomic_write_keeps_the_old_file(two_releases, monkeypatch):
    from villagecat import release as rel

    repo = two_releases
    before = (repo / "releases.yaml").read_bytes()

    def killed(fd):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(rel.os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        rel.write_atomic(repo / "releases.yaml", "releases:\n- version: '2026.3'\n  tr")
    assert (repo / "releases.yaml").read_bytes() == before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".releases.yaml")) == []


def test_interrupted_release_leaves_records_whole(repo, monkeypatch):
    """A release killed while writing its files leaves releases.yaml as it was (written last, atomically)."""
    from villagecat import release as rel

    do_release(repo, "2026.1", "2026-01-20")
    before = (repo / "releases.yaml").read_bytes()
    (repo / NEG).write_text((repo / NEG).read_text(encoding="utf-8") + "", encoding="utf-8")
    real = rel.write_atomic

    def dies_on_records(path, text):
        if Path(path).name == "releases.yaml":
            raise KeyboardInterrupt
        real(path, text)

    monkeypatch.setattr(rel, "write_atomic", dies_on_records)
    with pytest.raises(KeyboardInterrupt):
        rel.release(repo, "2026.2", "x", date="2026-02-01")
    assert (repo / "releases.yaml").read_bytes() == before


def test_publish_takes_schemas_from_the_recorded_commit(two_releases, tmp_path):
    """No tag, and the working tree's schemas changed: a release is read with its own commit's schemas."""
    from villagecat.decode import read_yaml_bytes
    from villagecat.reader import read_tree
    from villagecat.trees import release_tree

    repo = two_releases
    rel = load_releases(repo)[0]
    schema = repo / "schemas" / "duties.schema.yaml"
    original = git(repo, "show", f"{rel['commit']}:schemas/duties.schema.yaml")
    schema.write_text(original.replace("fields:", "x-changed: true\nfields:", 1), encoding="utf-8")
    commit(repo, "change a schema after the release")
    cat = read_tree(release_tree(repo, rel), releases=False)
    assert cat.schemas["duties"] == read_yaml_bytes("s", original.encode("utf-8"))[0]
    assert "x-changed" not in cat.schemas["duties"]
    assert read_tree(release_tree(repo, load_releases(repo)[1]), releases=False).schemas["duties"] == cat.schemas["duties"]
    assert cat.stats()["items"] == rel["items"]


def test_real_repository_records_verify():
    """The project's own releases.yaml passes every new check (its tag v2026.1 may be missing)."""
    from .conftest import REPO

    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    entries = load_releases(REPO)
    assert entries and entries[0]["version"] == "2026.1"
    assert not [p for p in validate(REPO).errors if p.file == "releases.yaml"]
