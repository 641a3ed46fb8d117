"""The export writers stream each download to its file; the bytes are those of the in-memory
build (build_files), file for file, SHA256SUMS included, whether the XLSX is written in a
process of its own or not."""

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
    for jobs in (1, 2):  # in one process, or the XLSX in a forked one: the same bytes
        written = write_all(spec, tmp_path / f"out-{jobs}", jobs=jobs)
        assert sorted(p.name for p in written) == sorted(files)
        for p in written:
            assert p.read_bytes() == files[p.name], (jobs, p.name)
