"""Integers are written in ASCII digits: int() would also take １, ٣ and 1_0, and the exports
would then change the text."""

import shutil
from pathlib import Path

import pytest

from villagecat.validate import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("seq", ["１", "٣", "1_0", "+1", " 1"])
def test_non_ascii_integer_is_a_cell_type_error(tmp_path, seq):
    for name in ("catalogues", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    duties = tmp_path / "catalogues/150000-neimenggu/duties.csv"
    text = duties.read_text(encoding="utf-8").replace("150000-D-001,1,", f"150000-D-001,{seq},", 1)
    duties.write_text(text, encoding="utf-8")
    report = validate(tmp_path)
    hits = [p for p in report.errors if p.rule == "cell-type" and p.column == "seq"]
    assert len(hits) == 1 and hits[0].row == 2 and hits[0].item_id == "150000-D-001"
