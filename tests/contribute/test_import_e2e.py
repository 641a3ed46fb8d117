"""From an official's spreadsheet to a reviewed diff, in a temporary git repository.

new-region → import an XLSX (title row, Chinese headers) → import the same list as a GBK CSV →
validate → diff as Markdown (golden) → re-import an edited sheet (ids and bytes of unchanged items
kept; new items numbered above every id ever used). Regenerate the golden after an intended change:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/contribute
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from conftest import ITEMS, cli, commit, git, write_gbk_csv, write_xlsx
from villagecat.validate import validate

GOLDEN = Path(__file__).parent / "golden"
REGION = "450000"
FOLDER = "catalogues/450000-guangxi"
LIST = f"{FOLDER}/negative-certificates.csv"


def fill_source(root: Path) -> None:
    """What the contributor does after new-region: fill in the source document."""
    yml = root / FOLDER / "catalogue.yaml"
    text = yml.read_text(encoding="utf-8")
    text = text.replace('    title: ""', "    title: 测试省不应出具证明事项清单的通知", 1)
    text = text.replace('    issuer: ""', "    issuer: 测试省民政厅", 1)
    text = text.replace('    number: ""', "    number: 测民发〔2024〕1号", 1)
    text = text.replace('    date: ""', '    date: "2024-03-01"', 1)
    text = text.replace('    path: ""', "    path: https://example.org/测试省/2024-1.html", 1)
    yml.write_text(text, encoding="utf-8")


def rows_by_id(path: Path) -> dict[str, str]:
    """Each row's exact text, keyed by id."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split(",", 1)[0]: line for line in lines[1:]}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs; if intended: UPDATE_GOLDEN=1"


@pytest.fixture
def imported(repo, tmp_path, capsys):
    code, out, err = cli(capsys, "new-region", REGION, "--name", "广西壮族自治区", "--parent", "000000", "--repo", str(repo))
    assert code == 0, err
    assert "450000-guangxi/catalogue.yaml" in out and "下一步" in out
    fill_source(repo)
    code, out, err = cli(capsys, "import", str(write_xlsx(tmp_path / "清单.xlsx")), "--region", REGION,
                         "--kind", "negative-certificates", "--source", "guangxi-source", "--repo", str(repo))
    assert code == 0, out + err
    return repo, out


def test_new_region_scaffold(repo, capsys):
    code, out, _ = cli(capsys, "new-region", REGION, "--name", "广西壮族自治区", "--parent", "000000", "--repo", str(repo))
    assert code == 0
    assert "450000,广西壮族自治区,province,000000," in (repo / "catalogues/regions.csv").read_text(encoding="utf-8")
    yml = (repo / FOLDER / "catalogue.yaml").read_text(encoding="utf-8")
    assert "# 文号" in yml  # the comments say what each field means
    # A second time refuses: the folder exists.
    code, _, err = cli(capsys, "new-region", REGION, "--repo", str(repo))
    assert code == 2 and "已有文件夹" in err
    # A county needs --slug: its pinyin is not derived.
    code, _, err = cli(capsys, "new-region", "150102", "--name", "新城区", "--parent", "150000", "--repo", str(repo))
    assert code == 2 and "--slug" in err


def test_xlsx_with_title_row_and_chinese_headers(imported):
    repo, out = imported
    assert "跳过标题行" in out and "表头在第 2 行" in out and "序号→seq" in out and "证明名称→text" in out
    rows = list(csv.DictReader(io.StringIO((repo / LIST).read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["450000-N-001", "450000-N-002", "450000-N-003"]  # 3 items, not 4
    assert [r["text"] for r in rows] == [i[1] for i in ITEMS]
    assert [r["legal_basis_text"] for r in rows] == [i[2] for i in ITEMS]  # verbatim
    # A known law's title resolves to its id; an unknown one gets one new laws.csv row.
    assert rows[0]["legal_basis"] == "L0001" and rows[2]["legal_basis"] == "L0002"
    laws = (repo / "catalogues/laws.csv").read_text(encoding="utf-8")
    assert laws.count("测试省证明事项条例") == 1 and laws.count("中华人民共和国村民委员会组织法") == 1
    assert validate(repo / FOLDER).valid and validate(repo).valid


def test_gbk_csv_of_the_same_list_changes_nothing(imported, tmp_path, capsys):
    repo, _ = imported
    before = (repo / LIST).read_bytes()
    laws = (repo / "catalogues/laws.csv").read_bytes()
    code, out, err = cli(capsys, "import", str(write_gbk_csv(tmp_path / "清单.csv")), "--region", REGION,
                         "--kind", "negative-certificates", "--source", "guangxi-source", "--repo", str(repo))
    assert code == 0, out + err
    assert "GB18030/GBK" in out and "保留编号 3 条未变" in out
    assert (repo / LIST).read_bytes() == before and (repo / "catalogues/laws.csv").read_bytes() == laws


def test_diff_markdown_golden(imported, capsys, monkeypatch):
    repo, _ = imported
    monkeypatch.chdir(repo)  # the working tree as ".": the golden holds no temporary path
    code, out, err = cli(capsys, "diff", "HEAD", ".", "--repo", ".", "--format", "markdown")
    assert code == 0, err
    check_golden("new-region.md", out)
    assert "测民发〔2024〕1号" in out and "status: *（空 / empty）* → complete" in out  # the new source and completeness, for review
    assert "L0002" in out and "测试省证明事项条例" in out  # the law import added is there for review


def test_reimport_of_an_edited_sheet_keeps_ids_and_bytes(imported, tmp_path, capsys):
    repo, _ = imported
    commit(repo, "import")
    before = rows_by_id(repo / LIST)
    # Someone withdrew 450000-N-004 once: it is never given again.
    with open(repo / "catalogues/withdrawn.csv", "w", encoding="utf-8") as fh:
        fh.write("id,date,reason,replaced_by\n450000-N-004,2024-05-01,测试,\n")
    edited = [list(r) for r in ITEMS]
    edited[1][1] = "居住情况证明"           # the same item, its text corrected
    edited.append(["4", "出生证明", "", ""])  # a new item
    code, out, err = cli(capsys, "import", str(write_xlsx(tmp_path / "新版.xlsx", items=edited)), "--region", REGION,
                         "--kind", "negative-certificates", "--source", "guangxi-source", "--repo", str(repo))
    after = rows_by_id(repo / LIST)
    assert after["450000-N-001"] == before["450000-N-001"] and after["450000-N-003"] == before["450000-N-003"]
    assert "居住情况证明" in after["450000-N-002"]
    assert "450000-N-004" not in after and "出生证明" in after["450000-N-005"]
    assert "1 条修改" in out and "1 条新编号" in out
    code, out, _ = cli(capsys, "diff", "HEAD", str(repo), "--repo", str(repo))
    assert "~ 450000-N-002" in out and "+ 450000-N-005" in out and "450000-N-001" not in out


def test_released_ids_are_never_given_again(imported, tmp_path, capsys):
    """An id in a release's recorded tree, gone since, is skipped when numbering new items."""
    repo, _ = imported
    with open(repo / LIST, "a", encoding="utf-8") as fh:
        fh.write("450000-N-007,7,,已删除的证明,,,,guangxi-source,\n")
    commit(repo, "release with N-007")
    tree = git(repo, "rev-parse", "HEAD:catalogues")
    (repo / "releases.yaml").write_text(f"releases:\n- version: '2026.1'\n  tree: {tree}\n  removed: []\n", encoding="utf-8")
    edited = ITEMS + [["4", "出生证明", "", ""]]
    code, out, err = cli(capsys, "import", str(write_xlsx(tmp_path / "v2.xlsx", items=edited)), "--region", REGION,
                         "--kind", "negative-certificates", "--source", "guangxi-source", "--repo", str(repo))
    ids = set(rows_by_id(repo / LIST))
    assert "450000-N-008" in ids and "450000-N-007" not in ids
    assert "450000-N-007" in out  # said: no longer in the sheet, record it in withdrawn.csv


def test_unmappable_header_is_refused_by_name(imported, tmp_path, capsys):
    repo, _ = imported
    before = (repo / LIST).read_bytes()
    sheet = write_xlsx(tmp_path / "bad.xlsx", header=["序号", "证明名称", "办理时限", "承办人"])
    code, out, err = cli(capsys, "import", str(sheet), "--region", REGION, "--kind", "negative-certificates",
                         "--source", "guangxi-source", "--repo", str(repo))
    assert code == 1 and "“办理时限”" in err and "“承办人”" in err and "--map" in err
    assert (repo / LIST).read_bytes() == before
    code, out, err = cli(capsys, "import", str(sheet), "--region", REGION, "--kind", "negative-certificates",
                         "--source", "guangxi-source", "--map", "办理时限=legal_basis_text", "--map", "承办人=",
                         "--repo", str(repo))
    assert code == 0, err


def test_export_then_import_changes_nothing(imported, tmp_path, capsys):
    repo, _ = imported
    before = (repo / LIST).read_bytes()
    out_file = tmp_path / "gx.xlsx"
    code, out, err = cli(capsys, "export", "--region", REGION, "--format", "xlsx", "--out", str(out_file), "--repo", str(repo))
    assert code == 0, err
    code, out, err = cli(capsys, "import", str(out_file), "--region", REGION, "--kind", "negative-certificates",
                         "--source", "guangxi-source", "--repo", str(repo))
    assert code == 0, err
    assert (repo / LIST).read_bytes() == before


def test_a_second_list_joins_a_catalogue_written_by_sync(repo, tmp_path, capsys):
    """catalogue.yaml files written by yaml.safe_dump put resources at column 0: the new one follows."""
    import yaml

    from villagecat.sync import dump_yaml

    yml = repo / "catalogues/150000-neimenggu/catalogue.yaml"
    yml.write_text(dump_yaml(yaml.safe_load(yml.read_text(encoding="utf-8"))), encoding="utf-8")
    # (texts of the fixture's source transcription, sources/nmg-test.md, so that they validate)
    sheet = write_xlsx(tmp_path / "n.xlsx", items=[["1", "宣传贯彻党的路线方针政策。", "", ""], ["2", "调解民间纠纷。", "", ""]])
    code, out, err = cli(capsys, "import", str(sheet), "--region", "150000",
                         "--kind", "negative-certificates", "--source", "nmg-test", "--repo", str(repo))
    assert code == 0, out + err
    kinds = [r["x-kind"] for r in yaml.safe_load(yml.read_text(encoding="utf-8"))["resources"]]
    assert kinds == ["duties", "certificates", "negative-certificates"]
