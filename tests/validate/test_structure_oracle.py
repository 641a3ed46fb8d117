"""The compiled cell checks of structure.py report exactly what frictionless reports (same codes,
rows, columns, messages): on every fixture's tables and on generated rows."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from validate_harness import INVALID, REPO, VALID, materialise
from villagecat.model import KINDS, Table
from villagecat.reader import read_catalogue
from villagecat.schemas import table_schema
from villagecat.structure import _check_cells, _check_cells_frictionless

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _both(table: Table, kind: str) -> tuple[list, list]:
    schema = table_schema(REPO, kind)
    present = [f["name"] for f in schema["fields"] if f["name"] in table.header]
    key = lambda p: (p["row"] or 0, p["column"] or "", p["rule"], p["message"])
    ours = sorted((p.as_dict() for p in _check_cells(table, table_schema(REPO, kind), present)), key=key)
    oracle = sorted((p.as_dict() for p in _check_cells_frictionless(table, schema, present)), key=key)
    return ours, oracle


FIXTURES = sorted(p for p in INVALID.iterdir() if (p / "catalogues").is_dir()) + [VALID / "minimal"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixtures_same_problems(fixture, tmp_path):
    root = materialise(fixture, tmp_path / "repo")
    cat = read_catalogue(str(root))
    tables = [(t, name) for name, t in cat.tables.items()] + [(lst.table, lst.kind) for lst in cat.lists()]
    checked = 0
    for table, kind in tables:
        if table.readable and table.rows:
            ours, oracle = _both(table, kind)
            assert ours == oracle, table.path
            checked += 1
    assert checked or fixture.name in {"binary-nul", "binary-xlsx"} or not tables


def test_some_fixture_has_cell_problems(tmp_path):
    """The comparison above is not vacuous: fixtures produce cell problems of every code."""
    seen = set()
    for name in ("required-missing", "pattern-mismatch", "enum-mismatch", "value-out-of-range", "cell-type"):
        if not (INVALID / name).is_dir():
            continue
        cat = read_catalogue(str(materialise(INVALID / name, tmp_path / name)))
        for lst in cat.lists():
            seen |= {p["rule"] for p in _both(lst.table, lst.kind)[0]}
    assert {"required-missing", "pattern-mismatch"} <= seen


CELLS = st.one_of(
    st.sampled_from(["", " ", "1", "0", "-3", " 7", "７", "1_0", "1.0", "12a", "L0001", "L0001;L0002", "L001",
                     "150000-D-001", "150000-D-001\n", "x-y", "A-b", "interior-sign", "exterior-sign", "红", "红色",
                     "a" * 5000, "文" * 2001]),
    st.text(alphabet="0123456789-;LDAS \n文a", max_size=14),
)


@SETTINGS
@given(kind=st.sampled_from(sorted(KINDS) + ["laws", "regions", "withdrawn"]), data=st.data())
def test_generated_rows_same_problems(kind, data):
    names = [f["name"] for f in table_schema(REPO, kind)["fields"]]
    header = data.draw(st.lists(st.sampled_from(names), unique=True, min_size=1)) if data.draw(st.booleans()) else names
    n = data.draw(st.integers(1, 6))
    rows = [{h: data.draw(CELLS) for h in header} for _ in range(n)]
    table = Table(path=f"catalogues/x/{kind}.csv", header=header, rows=rows, lines=[i + 2 for i in range(n)],
                  raw_rows=[[r[h] for h in header] for r in rows])
    ours, oracle = _both(table, kind)
    assert ours == oracle
