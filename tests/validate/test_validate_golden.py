"""Golden reports for the corpus of broken repositories under tests/fixtures/invalid/.

Each fixture is a minimal repository made to break one rule (or to feed the reader one kind of bad
input); next to it, ``expected.json`` holds the flattened report ``[file, row, column, rule]`` and
``expected.txt`` the text report a contributor reads. Regenerate both after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/validate`` and review the diff.
"""

from __future__ import annotations

import difflib
import json
import re

import pytest

from validate_harness import INVALID, REGENERATE, UPDATE, VALID, base_of, invalid_fixtures, materialise
from villagecat.registry import all_rules
from villagecat.report_format import render_text
from villagecat.validate import validate


def golden_json(report) -> str:
    rows = [json.dumps(list(flat), ensure_ascii=False) for flat in report.flat()]
    body = ",\n    ".join(rows)
    problems = f"[\n    {body}\n  ]" if rows else "[]"
    return f'{{\n  "valid": {json.dumps(report.valid)},\n  "problems": {problems}\n}}\n'


def check_golden(path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and rerun.")
        return
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual"))
        pytest.fail(f"{path.relative_to(INVALID.parents[2])} differs from the report.\n"
                    f"If the change is intended, regenerate the goldens with:\n    {REGENERATE}\n"
                    f"and review the diff.\n{diff}")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Every invalid fixture validated once (the tests below share the reports)."""
    out = {}
    base = tmp_path_factory.mktemp("invalid")
    for name in invalid_fixtures():
        root = materialise(INVALID / name, base / name)
        out[name] = validate(root, base=base_of(root))
    return out


@pytest.mark.parametrize("name", invalid_fixtures())
def test_golden_report(name, reports):
    report = reports[name]
    check_golden(INVALID / name / "expected.json", golden_json(report))
    check_golden(INVALID / name / "expected.txt", render_text(report, limit=10_000))


# Fixtures not named after a rule code, and the rules their README says they trigger (an empty
# set: the README says the fixture yields no problem at all).
EXPECTED_RULES = {
    "binary-nul": {"binary-file"},
    "binary-xlsx": {"binary-file"},
    "csv-unclosed-quote": {"csv-malformed"},
    "encoding-big5": {"encoding-unknown"},
    "encoding-gb18030": {"encoding-not-utf8"},
    "encoding-gbk": {"encoding-not-utf8"},
    "encoding-gbk-yaml": {"encoding-not-utf8"},
    "encoding-shift-jis": {"encoding-unknown"},
    "encoding-utf16": {"encoding-not-utf8"},
    "encoding-utf16-no-bom": {"binary-file"},
    "file-too-large-csv": {"file-too-large"},
    "file-too-large-yaml": {"file-too-large"},
    "law-id-leading-space": {"pattern-mismatch"},
    "metadata-shapes": {"metadata-invalid"},
    "released-id-withdrawn": set(),
    "resource-is-a-folder": {"resource-missing-file"},
    "resource-path-absolute": {"resource-path-unsafe"},
    "resource-path-parent": {"resource-path-unsafe"},
    "resource-path-symlink": {"resource-path-unsafe"},
    "row-numbers-multiline": {"pattern-mismatch"},
    "seq-mistyped": {"seq-gap"},
    "text-control-vertical-tab": {"text-control-character"},
    "text-terminal-escape": {"text-control-character"},
    "yaml-alias-bomb": {"yaml-alias"},
    "yaml-comment-only": {"yaml-not-mapping"},
}


@pytest.mark.parametrize("name", invalid_fixtures())
def test_fixture_triggers_its_rule(name, reports):
    """A fixture really reports the rule it is named after, or the rules its README names
    (:data:`EXPECTED_RULES`); the golden alone would not say."""
    codes = {r.code for r in all_rules()}
    found = {p.rule for p in reports[name].problems}
    if name in codes:
        assert name in found
    else:
        assert name in EXPECTED_RULES, f"fixture {name} is not a rule code: add the rules its README names to EXPECTED_RULES"
        expected = EXPECTED_RULES[name]
        assert expected <= found if expected else found == set(), (name, sorted(found))
        assert not (expected & codes) ^ expected  # each expected rule exists


def test_expected_rules_name_fixtures():
    assert set(EXPECTED_RULES) <= set(invalid_fixtures())


def test_no_placeholder_left_in_reports(reports):
    """Every parameter a message or advice names was given by the check that emitted it."""
    for name, report in reports.items():
        for p in report.problems:
            for text in (p.message, p.message_en, p.advice, p.advice_en):
                assert not re.search(r"\{[a-z_]+\}", text), (name, p.rule, text)


def test_every_rule_has_a_fixture():
    """Each rule code is triggered by at least one fixture's golden report."""
    seen = set()
    for name in invalid_fixtures():
        golden = INVALID / name / "expected.json"
        if golden.exists():
            seen |= {row[3] for row in json.loads(golden.read_text(encoding="utf-8"))["problems"]}
    missing = sorted({r.code for r in all_rules()} - seen)
    assert not missing, (f"no fixture under tests/fixtures/invalid/ triggers {missing}: add a minimal repository "
                         f"that does (see tests/fixtures/README.md), then run {REGENERATE}")


def test_valid_fixture_has_no_problems(tmp_path):
    report = validate(materialise(VALID / "minimal", tmp_path / "minimal"))
    assert report.flat() == []
    assert report.valid


def test_region_folder_narrows_the_report(tmp_path):
    """Validating one region folder reports only that folder's problems."""
    root = materialise(INVALID / "unknown-source", tmp_path / "repo")
    whole = validate(root)
    (root / "catalogues" / "000000-quanguo").mkdir()
    national = validate(root / "catalogues" / "000000-quanguo")
    region = validate(root / "catalogues" / "150000-neimenggu")
    assert whole.flat() and region.flat() == [p for p in whole.flat() if p[0].startswith("catalogues/150000-neimenggu/")]
    assert national.flat() and all(p[0].startswith("catalogues/000000-quanguo") for p in national.flat())


def test_schema_root_is_honoured(tmp_path):
    """``validate(path, schema_root=…)`` reads schemas from there, not from the repository."""
    import shutil

    root = materialise(VALID / "minimal", tmp_path / "repo")
    other = tmp_path / "other"
    shutil.copytree(root / "schemas", other / "schemas")
    duties = other / "schemas" / "duties.schema.yaml"
    text = duties.read_text(encoding="utf-8")
    assert "    maxLength: 4000\n" in text
    duties.write_text(text.replace("    maxLength: 4000\n", "    maxLength: 2\n", 1), encoding="utf-8")
    assert validate(root).valid
    report = validate(root, schema_root=other)
    too_long = {(p.file, p.column) for p in report.problems if p.rule == "value-out-of-range"}
    assert too_long == {("catalogues/150000-neimenggu/duties.csv", "text")}, report.flat()
    assert "schema-copy-stale" in {p.rule for p in report.problems}  # the inline copies no longer match it
