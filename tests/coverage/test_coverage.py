"""The coverage matrix: a golden over a fixture repository, and properties of the real catalogue.

The golden pins the matrix's behaviour on ``tests/fixtures/valid/coverage`` (never the real
catalogue's shape: a pull request that only adds data must pass unchanged). After an intended
change of behaviour, regenerate it:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/coverage
"""

import json
import os
import sys
from pathlib import Path

from villagecat.coverage import coverage, render_text
from villagecat.reader import read_catalogue
from villagecat.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validate"))
from validate_harness import DATA, VALID, materialise  # noqa: E402

FIXTURE = VALID / "coverage"
GOLDEN = FIXTURE / "coverage.golden.json"


def test_coverage_fixture_is_valid(tmp_path):
    report = validate(materialise(FIXTURE, tmp_path / "repo"))
    assert report.valid, [p.as_dict() for p in report.errors]


def test_coverage_matches_golden(tmp_path):
    got = coverage(read_catalogue(str(materialise(FIXTURE, tmp_path / "repo")))).as_dict()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == want, "coverage changed; if intended: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/coverage"


def test_every_catalogued_list_is_a_cell_with_its_count():
    cat = read_catalogue(str(DATA))
    cov = coverage(cat)
    for lst in cat.lists():
        cell = cov.cell(lst.region, lst.kind)
        assert cell.count == len(lst.items)
        assert cell.status == lst.status


def test_known_document_without_items_is_known_not_unknown(tmp_path):
    import shutil
    shutil.copytree(DATA / "catalogues", tmp_path / "catalogues")
    shutil.copytree(DATA / "schemas", tmp_path / "schemas")
    reg = tmp_path / "catalogues" / "known-documents.csv"
    header = "id,region,title,issuer,number,date,kinds,reported_counts,addresses,status,catalogue,note\n"
    if not reg.exists():
        reg.write_text(header, encoding="utf-8")
    with reg.open("a", encoding="utf-8") as fh:
        fh.write("K999,310000,测试文件,,,2015,duties;assistance,,,known,,test row\n")
    cov = coverage(read_catalogue(str(tmp_path)))
    assert cov.cell("310000", "duties").status == "known"
    assert "K999" in cov.cell("310000", "assistance").documents
    assert "已知未录入" in render_text(cov)


def test_partial_cell_label_shows_n_of_m():
    from villagecat.coverage import Cell
    assert Cell("140000", "prohibitions", "partial", count=7, reported_total=9).label == "部分 7/9"
