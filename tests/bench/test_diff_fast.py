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
