"""villagecat release: refusals, what a release writes, commits and tags, and the released-ids rule."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from villagecat.cli import main
from villagecat.reader import read_catalogue
from villagecat.validate import check_catalogue

from .conftest import commit, edit_v2, git, rewrite


def release_cli(capsys, repo: Path, version: str, *extra: str) -> tuple[int, str, str]:
    code = main(["release", version, "--summary", f"测试发布 {version} / test release", "--repo", str(repo), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_refuses_dirty_tree(repo, capsys):
    (repo / "stray.txt").write_text("x", encoding="utf-8")
    code, _, err = release_cli(capsys, repo, "2026.1", "--date", "2026-01-20")
    assert code == 1
    assert "未提交的改动" in err and "uncommitted changes" in err and "stray.txt" in err
    assert not (repo / "releases.yaml").exists()
    assert git(repo, "tag", "-l", "v*") == ""


def test_refuses_invalid_catalogue(repo, capsys):
    rewrite(repo / "catalogues/150000-neimenggu/duties.csv", "宣传贯彻执行党的主张。", "")  # text is required
    commit(repo, "break it")
    code, _, err = release_cli(capsys, repo, "2026.1", "--date", "2026-01-20")
    assert code == 1
    assert "目录校验未通过" in err and "catalogue is invalid" in err
    assert not (repo / "releases.yaml").exists()


def test_bad_versions(repo, capsys):
    assert release_cli(capsys, repo, "26.1", "--date", "2026-01-20")[0] == 2
    assert release_cli(capsys, repo, "2026.1", "--date", "2027-01-20")[0] == 2  # year ≠ date's year
    assert release_cli(capsys, repo, "2026.1", "--date", "2026-02-30")[0] == 2


def test_release_twice(repo, capsys):
    code, out, err = release_cli(capsys, repo, "2026.1", "--date", "2026-01-20")
    assert code == 0, err
    assert "v2026.1" in out
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 2026.1"
    assert git(repo, "tag", "-l", "v*").split() == ["v2026.1"]
    rels = yaml.safe_load((repo / "releases.yaml").read_text(encoding="utf-8"))["releases"]
    assert rels[0]["version"] == "2026.1" and rels[0]["date"] == "2026-01-20"
    assert rels[0]["tree"] == git(repo, "rev-parse", "v2026.1:catalogues").strip()
    assert rels[0]["commit"] == git(repo, "rev-parse", "v2026.1~1").strip()
    assert rels[0]["removed"] == [] and rels[0]["items"] == 8
    assert not (repo / "releases").exists()  # nothing to compare the first release with
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == "2026.1" and cff["license"] == "CC-BY-4.0"
    assert cff["date-released"] == "2026-01-20" and "引用" in cff["message"] and "cite" in cff["message"]
    assert "## 2026.1 — 2026-01-20" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")

    # The same version, or a lower one, is refused.
    assert release_cli(capsys, repo, "2026.1", "--date", "2026-01-21")[0] == 2

    edit_v2(repo)
    code, out, err = release_cli(capsys, repo, "2026.2", "--date", "2026-03-01")
    assert code == 0, err
    rels = yaml.safe_load((repo / "releases.yaml").read_text(encoding="utf-8"))["releases"]
    assert [r["version"] for r in rels] == ["2026.1", "2026.2"]
    assert rels[1]["removed"] == ["000000-N-003"]
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 2026.2") < changelog.index("## 2026.1")
    assert "000000-N-003" in changelog and "150000-D-006" in changelog
    d = json.loads((repo / "releases/2026.2.diff.json").read_text(encoding="utf-8"))
    assert d["old"] == "v2026.1" and d["new"] == "v2026.2" and d["totals"]["removed"] == 1
    assert release_cli(capsys, repo, "2026.1", "--date", "2026-03-02")[0] == 2


def rules_of(repo: Path) -> dict[str, list[str]]:
    report = check_catalogue(read_catalogue(str(repo)))
    out: dict[str, list[str]] = {}
    for p in report.problems:
        if p.rule.startswith("released-id"):
            out.setdefault(p.rule, []).append(p.item_id)
    return out


def test_released_ids_rule(repo, capsys):
    assert rules_of(repo) == {}  # no releases.yaml: nothing to check
    assert release_cli(capsys, repo, "2026.1", "--date", "2026-01-20")[0] == 0
    assert rules_of(repo) == {}

    # Removed since the last release without saying why: an error, until withdrawn.csv records it.
    neg = repo / "catalogues/000000-quanguo/negative-certificates.csv"
    original = neg.read_text(encoding="utf-8")
    neg.write_text("".join(l for l in original.splitlines(keepends=True) if not l.startswith("000000-N-003")), encoding="utf-8")
    assert rules_of(repo) == {"released-id-removal-pending": ["000000-N-003"]}
    assert not check_catalogue(read_catalogue(str(repo))).valid
    withdrawn = repo / "catalogues/withdrawn.csv"
    withdrawn.write_text("id,date,reason,replaced_by\n000000-N-003,2026-01-25,测试：源文件删去此项,\n", encoding="utf-8")
    assert rules_of(repo) == {}
    assert check_catalogue(read_catalogue(str(repo))).valid
    commit(repo, "drop N-003")
    assert release_cli(capsys, repo, "2026.2", "--date", "2026-02-01")[0] == 0
    assert rules_of(repo) == {}

    # The removed id comes back (with any text): an error, and the release is refused.
    neg.write_text(original.replace("亲属关系证明", "另一项证明"), encoding="utf-8")
    assert rules_of(repo) == {"released-id-reused": ["000000-N-003"]}
    withdrawn_rules = [p.rule for p in check_catalogue(read_catalogue(str(repo))).problems if p.item_id == "000000-N-003"]
    assert "withdrawn-id-present" in withdrawn_rules
    commit(repo, "reuse N-003")
    code, _, err = release_cli(capsys, repo, "2026.3", "--date", "2026-03-01")
    assert code == 1 and "目录校验未通过" in err and "000000-N-003" in err

    # A release whose removal was not recorded (releases.yaml edited by hand) is reported.
    neg.write_text(original.replace("000000-N-003", "000000-N-004"), encoding="utf-8")
    data = yaml.safe_load((repo / "releases.yaml").read_text(encoding="utf-8"))
    data["releases"][1]["removed"] = []
    (repo / "releases.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert rules_of(repo) == {"released-id-unrecorded": ["000000-N-003"]}
