"""``validate catalogues/<folder>`` also reports what a full run holds against that folder."""

from __future__ import annotations

from villagecat.validate import validate


def test_region_folder_sees_cross_region_problems(repo):
    # 000000-quanguo and 150000 share an id; the full run reports it once, on 150000's file.
    signs = repo / "catalogues/000000-quanguo/signs.csv"
    lines = signs.read_text(encoding="utf-8").splitlines()
    lines[1] = "150000-D-001" + lines[1][lines[1].index(","):]
    signs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The register still calls the document 150000 transcribes 'known'.
    src_title = "测试来源文件"
    (repo / "catalogues/known-documents.csv").write_text(
        "id,region,title,issuer,number,date,kinds,reported_counts,addresses,status,catalogue,note\n"
        f"K001,150000,{src_title},测试机关,,2023-05-10,duties,,,known,,\n", encoding="utf-8")
    whole = {p.rule for p in validate(repo).problems}
    assert {"id-duplicate-across-files", "known-document-status-stale"} <= whole
    region = validate(repo / "catalogues/150000-neimenggu")
    rules = {(p.rule, p.file) for p in region.problems}
    assert ("id-duplicate-across-files", "catalogues/150000-neimenggu/duties.csv") in rules
    assert ("known-document-status-stale", "catalogues/known-documents.csv") in rules
    # Checking 000000-quanguo alone used to hide the shared id: it is reported on the other file.
    other = {(p.rule, p.file) for p in validate(repo / "catalogues/000000-quanguo").problems}
    assert ("id-duplicate-across-files", "catalogues/150000-neimenggu/duties.csv") in other
    assert "known-document-status-stale" not in {r for r, _ in other}
