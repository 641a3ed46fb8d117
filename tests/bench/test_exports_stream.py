"""The export writers stream each download to its file; the bytes are those of the in-memory
build (build_files), file for file, SHA256SUMS included, whether they are written in one process
or shared with a forked one by their cost."""

from __future__ import annotations

from villagecat import synthetic
from villagecat.exports import ExportSpec, build_files, load_schemas, write_all
from villagecat.reader import read_tree
from villagecat.trees import GitTree


def test_streamed_downloads_equal_in_memory(tmp_path):
    root = tmp_path / "repo"
    synthetic.make_git_repo(root, items=600, seed=2)
    tree = GitTree(root, "year2")
    spec = ExportSpec(read_tree(tree), load_schemas(tree), "t1", "2027-01-01", {"commit": tree.commit})
    files = build_files(spec)
    for jobs in (1, 2):  # in one process, or shared with a forked one: the same bytes
        written = write_all(spec, tmp_path / f"out-{jobs}", jobs=jobs)
        assert sorted(p.name for p in written) == sorted(files)
        for p in written:
            assert p.read_bytes() == files[p.name], (jobs, p.name)


def test_downloads_are_dealt_out_by_cost():
    """Two processes: the costliest downloads apart, both lanes within one download's cost of each
    other; the lanes do not depend on the order the names come in."""
    from villagecat.exports.build import cost, lanes

    names = [f"v{end}" for end in ("-csv.zip", "-csv-excel.zip", "-items.csv", "-items-excel.csv", ".json",
                                   ".xlsx", ".sqlite", "-datapackage.zip")]
    here, apart = lanes(names, 2)
    assert sorted(here + apart) == sorted(names)
    assert {"v.xlsx", "v.sqlite"} & set(here) and {"v.xlsx", "v.sqlite"} & set(apart)
    assert abs(sum(map(cost, here)) - sum(map(cost, apart))) <= max(map(cost, names))
    assert lanes(list(reversed(names)), 2) == [here, apart]
    assert lanes(names, 1) == [sorted(names, key=lambda n: (-cost(n), n))]
