"""read_pair reads only what differs (identical region folders are counted, not parsed); the diff
it gives equals the diff of the two trees read in full."""

from __future__ import annotations

import yaml

from villagecat import synthetic
from villagecat.diff import _Counted, diff_catalogues, read_pair, strip_schemas
from villagecat.diff_format import RENDERERS
from villagecat.reader import read_tree
from villagecat.trees import GitTree


def test_fast_pair_equals_full_read(tmp_path):
    root = tmp_path / "repo"
    info = synthetic.make_git_repo(root, items=2500, seed=5)
    old, new = read_pair(GitTree(root, "year1"), GitTree(root, "year2"))
    counted = [lst for r in new.catalogued_regions() for lst in r.lists.values() if isinstance(lst.items, _Counted)]
    assert counted and len({lst.region for lst in counted}) == info["counties"] - info["revised_counties"]
    fast = diff_catalogues(old, new)
    full = diff_catalogues(read_tree(GitTree(root, "year1")), read_tree(GitTree(root, "year2")))
    assert fast.as_dict() == full.as_dict()
    for fmt, render in RENDERERS.items():
        assert render(fast) == render(full), fmt
    assert fast.totals()["changed"] == info["changed"]


def test_strip_schemas_keeps_everything_else():
    text = ("name: x\nresources:\n- name: duties\n  path: duties.csv\n  schema:\n    fields:\n    - name: id\n\n"
            "      type: string\n  x-kind: duties\n- name: signs\n  schema: {fields: []}\n  path: signs.csv\n")
    data = yaml.safe_load(text)
    for res in data["resources"]:
        if isinstance(res.get("schema"), dict) and res["schema"].get("fields"):
            del res["schema"]
    assert yaml.safe_load(strip_schemas(text)) == data


def _git(root, *args):
    import subprocess

    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(root)})


def test_fast_pair_equals_full_read_with_quoted_rows_and_shared_files(tmp_path):
    """A folder identical on both sides whose lists have quoted cells spanning lines and blank
    rows (counted by the csv module), and a revised folder with a list whose blob is the same on
    both sides: still the diff of both trees read in full."""
    root = tmp_path / "repo"
    synthetic.make_git_repo(root, items=1500, seed=3)
    folders = sorted(p for p in (root / "catalogues").iterdir() if p.is_dir())
    quoted, revised = folders[0], folders[-1]
    for csv_path in sorted(quoted.glob("*.csv"))[:2]:
        lines = csv_path.read_text(encoding="utf-8").split("\n")
        cells = lines[1].split(",")
        cells[3] = '"第一行\n第二行，有""引号"""'
        lines[1] = ",".join(cells)
        lines.insert(2, ",,,")
        lines.insert(3, "")
        csv_path.write_text("\n".join(lines), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "quoted")
    _git(root, "tag", "t1")
    duties = revised / "duties.csv"
    duties.write_text(duties.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # the other lists keep their blobs
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "revised")
    _git(root, "tag", "t2")
    old, new = read_pair(GitTree(root, "t1"), GitTree(root, "t2"))
    counted = {lst.region for r in new.catalogued_regions() for lst in r.lists.values() if isinstance(lst.items, _Counted)}
    assert quoted.name.split("-")[0] in counted and revised.name.split("-")[0] not in counted
    fast = diff_catalogues(old, new)
    full = diff_catalogues(read_tree(GitTree(root, "t1")), read_tree(GitTree(root, "t2")))
    assert fast.as_dict() == full.as_dict()
    for fmt, render in RENDERERS.items():
        assert render(fast) == render(full), fmt
