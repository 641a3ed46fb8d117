"""Shared helpers of the contributor-workflow tests: a fixture repository under git, and sheets."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validate"))
from validate_harness import VALID, materialise  # noqa: E402

from villagecat.cli import main  # noqa: E402


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path):
    """tests/fixtures/valid/minimal as a git repository with one commit."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    git(root, "init", "-q")
    commit(root, "base")
    return root


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


TITLE = "测试省不应由基层群众性自治组织出具证明事项清单"
HEADER = ["序号", "证明名称", "设定依据", "备注"]
ITEMS = [
    ["1", "亲属关系证明", "《中华人民共和国村民委员会组织法》第十条", ""],
    ["2", "居住证明", "", ""],
    ["3", "无犯罪记录证明", "《测试省证明事项条例》第三条", "源文件此项有脚注"],
]


def write_xlsx(path: Path, items=ITEMS, header=HEADER, title=TITLE) -> Path:
    """A sheet as officials publish it: a merged title row above a Chinese header; seq as numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in items:
        ws.append([int(row[0]) if row[0].isdigit() else row[0], *[v or None for v in row[1:]]])
    wb.save(path)
    return path


def write_gbk_csv(path: Path, items=ITEMS, header=HEADER, title=TITLE) -> Path:
    """The same list as WPS saves a CSV: GBK, CRLF, the title row kept."""
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([title, "", "", ""])
        w.writerow(header)
        w.writerows(items)
    return path
