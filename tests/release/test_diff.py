"""villagecat diff over the fixture history: golden text/Markdown/JSON, the JSON schema, hard cases.

Regenerate the golden files after an intended change with:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/release/test_diff.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from villagecat.cli import main
from villagecat.diff import DiffError, diff_catalogues
from villagecat.diff_format import render_markdown, render_text
from villagecat.reader import read_catalogue

from .conftest import REPO, rewrite

GOLDEN = Path(__file__).parent / "golden"
CASES = [
    ("t1-t2", ["t1", "t2"]),
    ("t2-t3", ["t2", "t3"]),
    ("t1-t3-region-150000", ["t1", "t3", "--region", "150000"]),
]
EXT = {"text": "txt", "markdown": "md", "json": "json"}


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    assert actual == expected, (
        f"{path} differs from the output. If the change is intended, regenerate the golden files with:\n"
        f"    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/release/test_diff.py")


@pytest.mark.parametrize("fmt", sorted(EXT))
@pytest.mark.parametrize("name,args", CASES, ids=[c[0] for c in CASES])
def test_golden(history_repo, capsys, name, args, fmt):
    code, out, err = run_cli(capsys, "diff", *args, "--repo", str(history_repo), "--format", fmt)
    assert code == 0, err
    check_golden(f"{name}.{EXT[fmt]}", out)


def test_buckets(history_repo):
    d = diff_catalogues(read_catalogue("t1", history_repo), read_catalogue("t2", history_repo))
    lists = {(lst.region, lst.kind): lst for r in d.regions for lst in r.lists}
    duties = lists[("150000", "duties")]
    assert [r.id for r in duties.added] == ["150000-D-006"]
    assert [r.id for r in duties.changed] == ["150000-D-002"]
    assert [r.id for r in duties.moved] == ["150000-D-004"]
    assert [r.id for r in duties.renumbered] == ["150000-D-005"]
    assert duties.renumbered[0].changes == {"seq": ["5", "6"]}
    assert duties.changed[0].inline["text"][0] == ["equal", "宣传", "宣传"]
    assert d.removed_ids() == ["000000-N-003"]
    assert lists[("450000", "negative-certificates")].status == "added"
    assert {r.adcode: r.status for r in d.regions} == {"000000": "changed", "150000": "changed", "450000": "added"}


def test_region_and_columns_disappear(history_repo):
    d = diff_catalogues(read_catalogue("t2", history_repo), read_catalogue("t3", history_repo))
    regions = {r.adcode: r for r in d.regions}
    assert regions["000000"].status == "removed"
    assert regions["000000"].lists[0].status == "removed"
    duties = regions["150000"].lists[0]
    assert duties.columns_added == ["x_extra"] and duties.columns_removed == ["legal_basis_text"]
    assert [r.id for r in duties.changed] == ["150000-D-001"]  # the only row with a value in the new column


def test_json_validates_against_schema(history_repo, capsys):
    schema = json.loads((REPO / "schemas/diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for _, args in CASES:
        code, out, _ = run_cli(capsys, "diff", *args, "--repo", str(history_repo), "--format", "json")
        assert code == 0
        errors = list(validator.iter_errors(json.loads(out)))
        assert not errors, errors[0].message


def test_folder_against_ref_and_no_change(history_repo, tmp_path, capsys):
    code, out, _ = run_cli(capsys, "diff", "t3", str(history_repo), "--repo", str(history_repo))
    assert code == 0 and "没有差异" in out
    code, out, _ = run_cli(capsys, "diff", "t1", "t1", "--repo", str(history_repo), "--format", "markdown")
    assert code == 0 and "No differences" in out


def test_duplicate_id_fails_loudly(history_repo, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(history_repo / "catalogues", folder / "catalogues")
    shutil.copytree(history_repo / "schemas", folder / "schemas")
    duties = folder / "catalogues/150000-neimenggu/duties.csv"
    rewrite(duties, "150000-D-002,", "150000-D-001,")
    with pytest.raises(DiffError, match="150000-D-001"):
        diff_catalogues(read_catalogue("t3", history_repo), read_catalogue(str(folder)))
    code, _, err = run_cli(capsys, "diff", "t3", str(folder), "--repo", str(history_repo))
    assert code == 2 and "重复" in err and "duplicate id 150000-D-001" in err


def test_unknown_ref_and_region(history_repo, capsys):
    code, _, err = run_cli(capsys, "diff", "no-such-ref", "t1", "--repo", str(history_repo))
    assert code == 2 and "git" in err
    code, _, err = run_cli(capsys, "diff", "t1", "t2", "--region", "999999", "--repo", str(history_repo))
    assert code == 2 and "999999" in err


def test_hostile_text_is_escaped_in_markdown(history_repo, tmp_path):
    cat_old = read_catalogue("t2", history_repo)
    cat_new = read_catalogue("t2", history_repo)
    lst = cat_new.regions["150000"].lists["duties"]
    lst.table.blob = None  # edited in memory: the blob id no longer stands for the content
    item = lst.items[0]
    item.values["text"] = "<script>alert(1)</script> **粗体** [链接](javascript:x)"
    md = render_markdown(diff_catalogues(cat_old, cat_new))
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "](javascript" not in md
    assert "[-" in render_text(diff_catalogues(cat_old, cat_new))


def test_unreadable_file_warns(history_repo, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(history_repo / "catalogues", folder / "catalogues")
    shutil.copytree(history_repo / "schemas", folder / "schemas")
    (folder / "catalogues/150000-neimenggu/duties.csv").write_bytes("id,seq\n\"broken,1\n".encode("utf-8"))
    code, out, err = run_cli(capsys, "diff", "t3", str(folder), "--repo", str(history_repo))
    assert code == 0 and "villagecat validate" in err and "may be incomplete" in err


def test_markdown_stays_under_the_comment_limit(history_repo):
    d = diff_catalogues(read_catalogue("t1", history_repo), read_catalogue("t2", history_repo))
    full = render_markdown(d)
    short = render_markdown(d, max_chars=len(full) - 1)
    assert len(short) < len(full) and "--format json" in short and "<details>" not in short
