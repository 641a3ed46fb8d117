"""Whatever bytes land in a CSV or a catalogue.yaml, validation returns a report and never raises."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from validate_harness import NMG, REPO, VALID, materialise
from villagecat.problems import RULES
from villagecat.report_format import RENDERERS
from villagecat.schemas import field_names
from villagecat.validate import validate

# FUZZ_EXAMPLES=2000 for a long hunt; the default keeps the four tests near ten seconds.
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 30)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return materialise(VALID / "minimal", tmp_path_factory.mktemp("fuzz") / "repo")


def check_with(repo, rel: str, data: bytes):
    path = repo / rel
    original = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(data)
        report = validate(repo)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
    assert all(p.rule in RULES for p in report.problems)
    assert all(not p.file.startswith("/") for p in report.problems)
    json.dumps(report.as_dict(), ensure_ascii=False)
    for render in RENDERERS.values():
        assert render(report)
    return report


# CSV-like text: cells drawn from awkward characters, sometimes under the real header.
CELL = st.lists(st.sampled_from(list('a1,"\n\r\t ;:-L0D证明\u3000\ufeff\x00\\') + ["150000-D-", "L0001"]), max_size=8).map("".join)


@st.composite
def csv_text(draw):
    kind = draw(st.sampled_from(["duties", "certificates", "signs", "regions", "laws", "known-documents"]))
    header = draw(st.one_of(st.just(field_names(REPO, kind)), st.lists(CELL, max_size=10)))
    rows = draw(st.lists(st.lists(CELL, max_size=10), max_size=6))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=20),
                   st.dates().map(str), st.sampled_from(["duties", "complete", "partial", "150000", "L0001", "nmg-test"]))
KEY = st.one_of(st.sampled_from(["name", "title", "region", "sources", "resources", "path", "x-kind", "x-source",
                                 "x-completeness", "status", "reported_total", "x-policy", "exterior_signs",
                                 "interior_sign_limit", "schema", "key", "date", "x-legal-basis"]), st.text(max_size=8))
TREE = st.recursive(SCALAR, lambda children: st.one_of(st.lists(children, max_size=4),
                                                      st.dictionaries(KEY, children, max_size=5)), max_leaves=25)


@st.composite
def yaml_text(draw):
    """YAML that parses to a mapping, often with the keys the validator looks for."""
    base = {"name": "150000-neimenggu", "title": "t", "region": "150000", "licenses": [{"name": "CC-BY-4.0"}],
            "sources": [{"key": "nmg-test", "title": "t", "issuer": "", "number": "", "date": "2023", "kind": "reprint"}],
            "resources": [{"name": "duties", "path": "duties.csv", "title": "t", "x-kind": "duties", "x-source": "nmg-test",
                           "x-completeness": {"status": "complete", "reported_total": 3}}]}
    for key, value in draw(st.dictionaries(KEY, TREE, max_size=4)).items():
        base[key] = value
    if draw(st.booleans()):
        res = base["resources"] if isinstance(base.get("resources"), list) else []
        res.append(draw(st.dictionaries(KEY, TREE, max_size=6)))
    return yaml.safe_dump(base, allow_unicode=True)


@SETTINGS
@given(data=st.binary(max_size=600))
def test_random_bytes_as_csv(repo, data):
    check_with(repo, f"{NMG}/duties.csv", data)


CSV_FILES = [f"{NMG}/duties.csv", f"{NMG}/certificates.csv", "catalogues/000000-quanguo/signs.csv",
             "catalogues/000000-quanguo/negative-certificates.csv", "catalogues/regions.csv", "catalogues/laws.csv",
             "catalogues/known-documents.csv"]


@SETTINGS
@given(rel=st.sampled_from(CSV_FILES), text=st.one_of(csv_text(), st.text(max_size=300)),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_text_as_csv(repo, rel, text, encoding):
    check_with(repo, rel, text.encode(encoding, "replace"))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=600), st.text(max_size=300).map(str.encode)))
def test_random_bytes_as_yaml(repo, data):
    check_with(repo, f"{NMG}/catalogue.yaml", data)


@SETTINGS
@given(text=yaml_text())
def test_random_mappings_as_yaml(repo, text):
    check_with(repo, f"{NMG}/catalogue.yaml", text.encode())
