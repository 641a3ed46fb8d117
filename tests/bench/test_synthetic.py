"""The synthetic national catalogue (villagecat.synthetic) at a small size: deterministic, shaped
like GB/T 2260, every county with all eight lists, a valid catalogue, and a next year whose
changes `villagecat diff` sees exactly as the generator made them."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from villagecat import synthetic
from villagecat.diff import diff_catalogues
from villagecat.model import KINDS
from villagecat.trees import FolderTree, GitTree
from villagecat.reader import read_tree
from villagecat.validate import validate


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("syn") / "repo"
    return root, synthetic.make_git_repo(root, items=1500, seed=3)


def test_same_seed_same_bytes_and_commits(repo, tmp_path):
    root, _ = repo
    again = tmp_path / "again"
    synthetic.make_git_repo(again, items=1500, seed=3)
    assert _digest(again) == _digest(root)
    head = lambda r: subprocess.run(["git", "-C", str(r), "rev-parse", "year1", "year2"], capture_output=True, text=True).stdout
    assert head(again) == head(root)
    other = tmp_path / "other"
    synthetic.make_git_repo(other, items=1500, seed=4)
    assert _digest(other) != _digest(root)


def test_repository_packed_in_the_foreground(repo):
    """No detached `git gc --auto` may run on into the steps a benchmark times: automatic gc is off
    and the generator packs the objects itself before it returns."""
    root, _ = repo
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], capture_output=True, text=True, check=True).stdout
    assert git("config", "gc.auto").strip() == "0"
    counts = dict(line.split(": ") for line in git("count-objects", "-v").splitlines())
    assert counts["count"] == "0" and int(counts["packs"]) >= 1, counts


def test_structure_national():
    rows, counties = synthetic.structure()
    assert len([r for r in rows if r[2] == "province"]) == 31
    assert 2700 <= len(counties) <= 3000 and 300 <= len([r for r in rows if r[2] == "prefecture"]) <= 360
    codes = [r[0] for r in rows] + [c[0] for c in counties]
    assert len(codes) == len(set(codes)) and all(re.fullmatch(r"\d{6}", c) for c in codes)
    for adcode, _, province, pref in counties:  # GB/T 2260 shape: PP CC NN under PPCC00 under PP0000
        assert pref == adcode[:4] + "00" and province == adcode[:2] + "0000" and adcode[4:] != "00"
    # The default size is the national one.
    assert abs(len(synthetic.pick_counties(synthetic.NATIONAL_ITEMS)) * synthetic.PER_COUNTY - 500_000) < 5_000


def test_every_county_has_every_list_and_a_source(repo):
    root, info = repo
    with open(root / "catalogues" / "regions.csv", encoding="utf-8") as fh:
        regions = {r["adcode"]: r for r in csv.DictReader(fh)}
    folders = sorted((root / "catalogues").glob("*-c*"))
    assert len(folders) == info["counties"] >= 8
    for folder in folders:
        adcode = folder.name[:6]
        assert regions[adcode]["level"] == "county" and regions[regions[adcode]["parent"]]["level"] == "prefecture"
        assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(KINDS)
        body = (root / "sources" / f"{adcode}.md").read_text(encoding="utf-8")
        with open(folder / "duties.csv", encoding="utf-8") as fh:
            assert all(r["text"] in body for r in csv.DictReader(fh))


def test_counties_copy_their_province():
    """Counties of one province share most item texts; counties of different provinces few."""
    _, counties = synthetic.build(8000, seed=3)
    by_prov: dict[str, list[set]] = {}
    for c in counties:
        by_prov.setdefault(c.province, []).append({r["text"] for r in c.lists["duties"]})
    same = [len(a & b) / len(a | b) for lists in by_prov.values() for a, b in zip(lists, lists[1:])]
    provs = [lists[0] for lists in by_prov.values()]
    other = [len(a & b) / len(a | b) for a, b in zip(provs, provs[1:])]
    assert len(same) >= 5 and min(same) > 0.5 and max(other) < min(same)


def test_valid_and_next_year_counts(repo):
    root, info = repo
    report = validate(root)
    assert report.valid, [p.as_dict() for p in report.errors][:3]
    total = info["items_year1"]
    assert info["items_year2"] == total
    assert info["changed"] == pytest.approx(total * 0.02, abs=3)
    assert info["added"] == info["removed"] == pytest.approx(total * 0.01, abs=3)
    assert info["renumbered"] > 0
    old, new = read_tree(GitTree(root, "year1")), read_tree(GitTree(root, "year2"))
    t = diff_catalogues(old, new).totals()
    assert (t["changed"], t["added"], t["removed"], t["renumbered"]) == (
        info["changed"], info["added"], info["removed"], info["renumbered"])
    with open(root / "catalogues" / "withdrawn.csv", encoding="utf-8") as fh:
        withdrawn = list(csv.DictReader(fh))
    assert sorted(r["id"] for r in withdrawn) == diff_catalogues(old, new).removed_ids()


def test_touch_changes_one_item_of_an_unrevised_county(repo, tmp_path):
    """The benchmark's rebuild after one county changed: one duty reworded in a county the second year
    left as it was, its source with it; the second year's withdrawn ids kept; still valid."""
    import shutil

    root, info = repo
    work = tmp_path / "repo"
    shutil.copytree(root, work, symlinks=True)
    code = synthetic.touch_county(work, items=1500, seed=3)
    changed = sorted(line[3:] for line in subprocess.run(["git", "-C", str(work), "status", "--porcelain"],
                                                          capture_output=True, text=True, check=True).stdout.splitlines())
    folder = next(p.name for p in (work / "catalogues").iterdir() if p.name.startswith(f"{code}-"))
    assert changed == [f"catalogues/{folder}/catalogue.yaml", f"catalogues/{folder}/duties.csv", f"sources/{code}.md"]
    new = read_tree(FolderTree(work))
    d = diff_catalogues(read_tree(GitTree(work, "year2")), new)
    assert d.totals()["changed"] == 1 and d.totals()["added"] == d.totals()["removed"] == 0
    first = new.regions[code].lists["duties"].items[0]
    assert [c.id for r in d.changed_regions() for lst in r.lists for c in lst.changed] == [first.id]
    assert first.text.endswith("（本县修订）")
    assert validate(work).valid

