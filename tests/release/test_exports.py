"""Downloads of a release: byte-identical rebuilds, stock frictionless validation, SQLite search, formula injection."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from villagecat.cli import main
from villagecat.exports import bigrams, neutralise, search

from .conftest import REPO

VENV_BIN = Path(sys.executable).parent
V = "2026.1"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The fixture repository released as 2026.1 and exported twice: in-process and by the CLI in a subprocess."""
    from .conftest import GIT_ENV, make_repo

    mp = pytest.MonkeyPatch()
    for k, v in GIT_ENV.items():
        mp.setenv(k, v)
    base = tmp_path_factory.mktemp("released")
    repo = make_repo(base / "repo")
    assert main(["release", V, "--summary", "测试 / test", "--date", "2026-01-20", "--repo", str(repo)]) == 0
    from villagecat.exports import export_release
    export_release(repo, V, base / "a")
    res = subprocess.run([str(VENV_BIN / "villagecat"), "export", "--ref", f"v{V}", "--repo", str(repo),
                          "--out", str(base / "b")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    mp.undo()
    return repo, base / "a", base / "b"


def test_rebuild_is_byte_identical(released):
    _, a, b = released
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert (a / "SHA256SUMS").read_bytes() == (b / "SHA256SUMS").read_bytes()
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    listed = [line.split("  ")[1] for line in (a / "SHA256SUMS").read_text().splitlines()]
    assert listed == sorted(n for n in names if n != "SHA256SUMS")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=a, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_datapackage_passes_stock_frictionless(released, tmp_path):
    _, a, _ = released
    with zipfile.ZipFile(a / f"villagecat-{V}-datapackage.zip") as zf:
        zf.extractall(tmp_path)
    res = subprocess.run([str(VENV_BIN / "frictionless"), "validate", "datapackage.json"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "INVALID" not in res.stdout


def test_sqlite_search(released):
    _, a, _ = released
    db = a / f"villagecat-{V}.sqlite"
    assert search(db, "村民委员会") == ["150000-D-003"]
    assert sorted(search(db, "证明")) == ["000000-N-001", "000000-N-002", "000000-N-003"]
    assert search(db, "居住证明") == ["000000-N-002"]
    assert "000000-N-002" in search(db, "居")
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"duties", "negative_certificates", "regions", "laws", "sources", "lists", "items", "meta"} <= tables
    assert con.execute("SELECT seq FROM duties WHERE id='150000-D-002'").fetchone() == (2,)
    assert con.execute("SELECT value FROM meta WHERE key='version'").fetchone() == (V,)
    # The plain data is not neutralised.
    assert con.execute("SELECT note FROM negative_certificates WHERE id='000000-N-002'").fetchone()[0].startswith("=HYPERLINK")


def test_bigrams():
    assert bigrams("居住证明") == "居住 住证 证明 明"
    assert bigrams("政务APP") == "政务 务 app"


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_formula_injection_csv(released):
    _, a, _ = released
    plain = (a / f"villagecat-{V}-items.csv").read_bytes()
    excel = (a / f"villagecat-{V}-items-excel.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")
    header = _csv_rows(plain)[0]
    assert header[:3] == ["region", "kind", "id"]
    col = header.index("note")
    notes = {r[2]: r[col] for r in _csv_rows(plain)[1:]}
    xnotes = {r[2]: r[col] for r in _csv_rows(excel)[1:]}
    assert notes["000000-N-002"].startswith("=HYPERLINK") and xnotes["000000-N-002"].startswith("'=HYPERLINK")
    assert notes["000000-N-003"].startswith("+1") and xnotes["000000-N-003"].startswith("'+1")
    assert xnotes["000000-N-001"] == ""
    with zipfile.ZipFile(a / f"villagecat-{V}-csv-excel.zip") as zf:
        body = zf.read("000000-quanguo/negative-certificates.csv")
    assert body.startswith(b"\xef\xbb\xbf") and b"'=HYPERLINK" in body
    with zipfile.ZipFile(a / f"villagecat-{V}-csv.zip") as zf:
        assert zf.read("000000-quanguo/negative-certificates.csv") == (
            REPO / "tests/release/fixtures/catalogues/000000-quanguo/negative-certificates.csv").read_bytes()
    for v in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert neutralise(v) == "'" + v
    assert neutralise("村民") == "村民" and neutralise(7) == 7


def test_formula_injection_xlsx(released):
    from openpyxl import load_workbook

    _, a, _ = released
    path = a / f"villagecat-{V}.xlsx"
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and all(b"<f>" not in zf.read(n) and b"<f " not in zf.read(n) for n in sheets)
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 20, 0, 0, 0)}
        assert b"2026-01-20T00:00:00Z" in zf.read("docProps/core.xml")
    wb = load_workbook(path)
    for sheet in wb.worksheets:  # every sheet: the header row bold and frozen, the data not bold
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.font.b for c in sheet[1]) and not any(c.font.b for c in sheet[2]), sheet.title
        kinds = {(c.data_type, type(c.value)) for row in sheet.iter_rows() for c in row if c.value is not None}
        assert kinds <= {("s", str), ("n", int)}, (sheet.title, kinds)
    ws = wb["不应出具证明事项"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["地区代码", "编号", "序号", "类别", "事项内容"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    note = rows["000000-N-002"][-1]
    assert note.value.startswith("'=HYPERLINK") and note.data_type == "s"
    assert rows["000000-N-003"][-1].value.startswith("'+1")
    assert rows["000000-N-002"][2].value == 2  # seq stays a number
    assert {"依法履行职责事项", "地区", "法律法规", "来源文件"} <= set(wb.sheetnames)


def test_xlsx_never_guesses(released, tmp_path, monkeypatch):
    """Even a value that reached the writer un-neutralised would be a string cell: no formula, no
    number, no link is guessed from text, and XlsxWriter's unescaped rich-text shortcut (a value
    between ``<r>`` and ``</r>``) is not taken."""
    from openpyxl import load_workbook

    from villagecat.exports import ExportSpec, write_xlsx
    from villagecat.exports import xlsx as xlsx_module
    from villagecat.reader import read_tree
    from villagecat.trees import GitTree

    repo, _, _ = released
    cat = read_tree(GitTree(repo, f"v{V}"), releases=False)
    tricky = {"category": "0123", "text": '<r><t>x</t></r></is></c><c r="Z9"><f>1+1</f></c><c r="Z10" t="inlineStr"><is><r><t>y</t></r>',
              "alternative": "http://example.invalid/a", "legal_basis_text": "  两端有空格 ", "note": "=1+1"}
    next(i for i in cat.items() if i.id == "000000-N-001").values.update(tricky)
    monkeypatch.setattr(xlsx_module, "neutralise", lambda v: v)
    path = tmp_path / "t.xlsx"
    write_xlsx(path, ExportSpec(cat, cat.schemas, V, "2026-01-20"))
    with zipfile.ZipFile(path) as zf:
        parts = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert parts and not any(b"<f>" in zf.read(n) or b"<hyperlink" in zf.read(n) for n in parts)
    ws = load_workbook(path)["不应出具证明事项"]
    columns = ["region"] + [f["name"] for f in cat.schemas["negative-certificates"]["fields"]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "000000-N-001")
    for name, value in tricky.items():
        cell = row[columns.index(name)]
        assert (cell.value, cell.data_type) == (value, "s"), name
    assert row[2].value == 1 and row[2].data_type == "n"  # seq: an integer field stays a number


def test_export_cli_without_release(repo, capsys):
    """No releases.yaml: the export is of HEAD, stamped with the commit's date."""
    out = repo / "dist" / "HEAD"
    assert main(["export", "--repo", str(repo)]) == 0
    assert (out / "SHA256SUMS").exists() and (out / "villagecat-HEAD.sqlite").exists()
    with zipfile.ZipFile(out / "villagecat-HEAD-csv.zip") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 15, 0, 0, 0)}
    assert main(["export", "--ref", "no-such-ref", "--repo", str(repo)]) == 2
