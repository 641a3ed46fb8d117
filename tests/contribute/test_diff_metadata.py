"""diff reports metadata: a 文号, a reported total, a law — not "no differences"."""

from __future__ import annotations

import json

from conftest import cli, commit


def test_metadata_changes_are_reported(repo, capsys):
    yml = repo / "catalogues/150000-neimenggu/catalogue.yaml"
    text = yml.read_text(encoding="utf-8")
    text = text.replace('number: ""', "number: 内党办发〔2023〕5号", 1).replace("reported_total: 3", "reported_total: 4", 1)
    yml.write_text(text, encoding="utf-8")
    laws = repo / "catalogues/laws.csv"
    laws.write_text(laws.read_text(encoding="utf-8").replace("全国人民代表大会常务委员会", "全国人大常委会"), encoding="utf-8")
    commit(repo, "metadata only")
    code, out, _ = cli(capsys, "diff", "HEAD~1", "HEAD", "--repo", str(repo))
    assert code == 0
    assert "没有差异" not in out
    assert "number: '' → '内党办发〔2023〕5号'" in out
    assert "reported_total: [-3-]{+4+}" in out
    assert "~ L0001" in out and "issuer: 全国人[-民代表-]大{+常委+}会[-常务委员会-]" in out
    code, md, _ = cli(capsys, "diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format", "markdown")
    assert "没有差异" not in md and "内党办发〔2023〕5号" in md and "<summary><b>元数据" in md
    code, js, _ = cli(capsys, "diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format", "json")
    doc = json.loads(js)
    sections = {(m["section"], m["key"]) for m in doc["metadata"]}
    assert sections == {("sources", "nmg-test"), ("lists", "duties"), ("laws", "L0001")}
    assert doc["totals"]["metadata"] == 3
    # --region narrows the shared tables to what concerns the region: L0001 is not cited there.
    code, js, _ = cli(capsys, "diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format", "json", "--region", "150000")
    assert {m["section"] for m in json.loads(js)["metadata"]} >= {"sources", "lists"}


def test_metadata_json_matches_schema(repo, capsys):
    import jsonschema
    from pathlib import Path

    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas/diff.schema.json").read_text(encoding="utf-8"))
    reg = repo / "catalogues/regions.csv"
    reg.write_text(reg.read_text(encoding="utf-8") + "450000,广西壮族自治区,province,000000,\n", encoding="utf-8")
    code, js, _ = cli(capsys, "diff", "HEAD", str(repo), "--repo", str(repo), "--format", "json")
    doc = json.loads(js)
    jsonschema.validate(doc, schema)
    assert [(m["section"], m["status"]) for m in doc["metadata"]] == [("regions", "added")]
