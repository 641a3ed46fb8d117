"""Validation with the region folders read by two processes (``read_tree_checked`` with ``jobs=2``)
reports exactly what one process reports: every invalid fixture against its golden files, and the
catalogue read the same way (regions, their order, problems, items, line numbers)."""

from __future__ import annotations

import shutil

import pytest

from test_validate_golden import golden_json
from validate_harness import INVALID, VALID, base_of, invalid_fixtures, materialise
from villagecat import reader
from villagecat.decode import LazyNode, read_yaml_bytes, yaml_line
from villagecat.parallel import can_fork
from villagecat.report_format import render_text
from villagecat.trees import FolderTree
from villagecat.validate import check_regions, validate

pytestmark = pytest.mark.skipif(not can_fork(), reason="the split read forks")


@pytest.fixture()
def split_always(monkeypatch):
    monkeypatch.setattr(reader, "SPLIT_FOLDERS", 2)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    base = tmp_path_factory.mktemp("split")
    return {name: materialise(INVALID / name, base / name) for name in invalid_fixtures()}


@pytest.mark.parametrize("name", invalid_fixtures())
def test_split_report_equals_golden(name, fixtures, split_always):
    root = fixtures[name]
    report = validate(root, base=base_of(root), jobs=2)
    assert golden_json(report) == (INVALID / name / "expected.json").read_text(encoding="utf-8")
    assert render_text(report, limit=10_000) == (INVALID / name / "expected.txt").read_text(encoding="utf-8")


def _catalogue_shape(cat):
    return {
        "regions": [(code, r.folder, r.name, sorted(r.lists)) for code, r in cat.regions.items()],
        "problems": [p.as_dict() for p in cat.problems],
        "items": [(i.path, i.row, i.values) for i in cat.items()],
        "sources": sorted(cat.source_files),
    }


def test_split_read_equals_one_process(tmp_path, split_always):
    """Several regions, one of them missing from regions.csv, a badly named folder, two folders of
    one adcode: the catalogue is read alike by one process and by two."""
    root = materialise(VALID / "minimal", tmp_path / "repo")
    cats = root / "catalogues"
    folders = sorted(p for p in cats.iterdir() if p.is_dir())
    for n, code in enumerate(("990101", "990102", "990103", "990104")):  # codes regions.csv lacks
        shutil.copytree(folders[-1], cats / f"{code}-copy{n}")
    shutil.copytree(folders[-1], cats / "990101-again")  # a second folder of one adcode
    shutil.copytree(folders[-1], cats / "Not-A-Region")
    one = reader.read_tree_checked(FolderTree(root), check_regions, jobs=1)
    two = reader.read_tree_checked(FolderTree(root), check_regions, jobs=2)
    assert _catalogue_shape(one[0]) == _catalogue_shape(two[0])
    assert sorted(p.as_dict().items().__repr__() for p in one[1]) == sorted(p.as_dict().items().__repr__() for p in two[1])
    assert one[2] == two[2]
    # The regions the child read carry their YAML text; their lines are those of the composed node.
    lazy = [r for r in two[0].regions.values() if isinstance(r.package_node, LazyNode)]
    assert lazy, "the child read no region"
    for region in lazy:
        node = one[0].regions[region.adcode].package_node
        for path in (("resources", 0), ("resources", 0, "x-completeness"), ("sources", 0, "file"), ("title",)):
            assert yaml_line(region.package_node, path) == yaml_line(node, path)


def test_lazy_node_composes_once():
    text = b"title: x\nresources:\n- name: duties\n  path: duties.csv\n"
    lazy = LazyNode("a/catalogue.yaml", text)
    assert yaml_line(lazy, ("resources", 0, "path")) == 4
    assert lazy.data is None and lazy.node() is not None
    assert yaml_line(lazy, ("resources",)) == yaml_line(read_yaml_bytes("a.yaml", text)[1], ("resources",))
