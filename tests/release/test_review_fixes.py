"""Defects a review found, each kept fixed: refusals instead of silent bad downloads, no crash on
odd integers, bare CR quoted in plain CSV, escaped release summaries."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from villagecat.cli import main
from villagecat.exports import csv_bytes

from .conftest import commit, rewrite


def test_plain_csv_quotes_a_bare_carriage_return():
    data = csv_bytes(["id", "text"], [["1", "a\rb"], ["2", "c"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["id", "text"], ["1", "a\rb"], ["2", "c"]]


def test_export_refuses_a_catalogue_it_cannot_read_whole(repo, tmp_path, capsys):
    path = repo / "catalogues/000000-quanguo/negative-certificates.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    commit(repo, "gbk")
    code = main(["export", "--ref", "HEAD", "--repo", str(repo), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "拒绝导出" in err and "negative-certificates.csv" in err
    assert not (tmp_path / "out").exists()


def test_export_keeps_a_non_ascii_seq_as_text(repo, tmp_path):
    rewrite(repo / "catalogues/150000-neimenggu/duties.csv", "150000-D-001,1,", "150000-D-001,²,")
    commit(repo, "odd seq")
    assert main(["export", "--ref", "HEAD", "--repo", str(repo), "--out", str(tmp_path / "out")]) == 0
    json_file = next((tmp_path / "out").glob("*.json"))
    assert '"²"' in json_file.read_text(encoding="utf-8")


def test_diff_refuses_a_ref_without_catalogues(repo, capsys):
    empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    import subprocess
    commit_id = subprocess.run(["git", "-C", str(repo), "commit-tree", empty_tree, "-m", "empty"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert main(["diff", commit_id, "HEAD", "--repo", str(repo)]) == 2
    assert "没有 catalogues/" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["build", "--catalogue", "/", "--out", "/tmp/never-built"],
    ["serve", "--no-build", "--out", "/nonexistent-folder"],
])
def test_usage_errors_are_not_internal_errors(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and "错误 / error" in err


def test_output_that_is_a_file_is_an_oserror_message(repo, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    assert main(["export", "--repo", str(repo), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and "a-file" in err
