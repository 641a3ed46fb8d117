"""read_pair with a child process (part of the differing folders read and compared there) gives the
diff of one process, forked or not; whatever the child cannot stand for (a problem reading, an id in
two folders, the child failing) is read again here, with the same result, refusal or warning."""

from __future__ import annotations

import subprocess

import pytest

from villagecat import diff as diffmod
from villagecat import parallel, synthetic
from villagecat.diff import DiffError, _Compared, diff_catalogues, read_pair
from villagecat.diff_format import RENDERERS
from villagecat.reader import FOLDER_RE, read_tree
from villagecat.trees import GitTree


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(root)})


def _clone(repo, tmp_path):
    """A copy of ``repo`` (tags year1, year2; year2 checked out) to commit a third version to."""
    root = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(repo), str(root)], check=True, capture_output=True)
    return root


def _commit(root, tag):
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", tag)
    _git(root, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("split") / "repo"
    synthetic.make_git_repo(root, items=2500, seed=5)
    return root


def _halves(old_ls, new_ls, identical):
    """The first half (by adcode) of the differing regions to the child, the rest here."""
    codes = sorted({FOLDER_RE.match(f).group(1) for ls in (old_ls, new_ls) for f in ls if f not in identical})
    child = set(codes[: max(1, len(codes) // 2)])
    pick = lambda ls: {f for f in ls if f not in identical and FOLDER_RE.match(f).group(1) in child}
    return pick(old_ls), pick(new_ls)


@pytest.fixture
def split_in_halves(monkeypatch):
    monkeypatch.setattr(diffmod, "_plan", _halves)


def _compared_regions(cat) -> set[str]:
    """The regions read and compared in the child process (their lists come without items)."""
    return {r.adcode for r in cat.catalogued_regions()
            if any(isinstance(l, _Compared) and type(l.items) is diffmod._Counted for l in r.lists.values())}


def _outputs(old, new, region=None):
    d = diff_catalogues(old, new, region=region)
    return d.as_dict(), {fmt: render(d) for fmt, render in RENDERERS.items()}


def _pairs(root, a, b):
    """read_pair in one process, with a forked child, and with the child's work done here."""
    out = {"one": read_pair(GitTree(root, a), GitTree(root, b), jobs=1),
           "forked": read_pair(GitTree(root, a), GitTree(root, b), jobs=2)}
    can_fork = parallel.can_fork
    parallel.can_fork = lambda: False
    try:
        out["inline"] = read_pair(GitTree(root, a), GitTree(root, b), jobs=2)
    finally:
        parallel.can_fork = can_fork
    return out


def test_split_gives_the_diff_of_one_process(repo, split_in_halves):
    pairs = _pairs(repo, "year1", "year2")
    one = pairs["one"]
    assert not _compared_regions(one[1])
    compared = _compared_regions(pairs["forked"][1])
    assert compared and compared == _compared_regions(pairs["inline"][1])
    full = _outputs(read_tree(GitTree(repo, "year1")), read_tree(GitTree(repo, "year2")))
    diff = diff_catalogues(*one)
    changed = [r.adcode for r in diff.regions if r.status != "unchanged"]
    here = [c for c in changed if c not in compared]
    assert here, "both processes compare some regions"
    for old, new in pairs.values():
        assert _outputs(old, new) == _outputs(*one) == full
        for region in (min(compared), here[0], diff.regions[0].adcode):  # the child's, this process's, unchanged
            assert _outputs(old, new, region) == _outputs(*one, region)


def test_region_filter_keeps_the_laws_items_cite_in_a_child_folder(repo, tmp_path, split_in_halves):
    """diff --region of a region compared in the child shows a change of a law only its items cite."""
    root = _clone(repo, tmp_path)
    d = diff_catalogues(*read_pair(GitTree(root, "year1"), GitTree(root, "year2"), jobs=1))
    region = min(r.adcode for r in d.regions if r.status != "unchanged")
    new = read_tree(GitTree(root, "year2"))
    cited = {law for lst in new.regions[region].lists.values() for item in lst.items for law in item.legal_basis}
    listed = {law for lst in new.regions[region].lists.values() for law in lst.legal_basis}
    law = sorted(cited - listed)[0]
    laws = root / "catalogues" / "laws.csv"
    laws.write_text(laws.read_text(encoding="utf-8").replace(f"{law},", f"{law},（改）", 1), encoding="utf-8")
    _commit(root, "t2")
    pairs = _pairs(root, "year1", "t2")
    assert region in _compared_regions(pairs["forked"][1])
    want = _outputs(*pairs["one"], region)
    assert any(m["section"] == "laws" and m["key"] == law for m in want[0]["metadata"])
    for old, new in pairs.values():
        assert _outputs(old, new, region) == want


def test_region_filter_keeps_the_laws_items_cite_in_an_unchanged_folder(repo, tmp_path):
    """diff --region of a region whose folder is the same on both sides shows a change of a law only
    its items cite (the folder is read in full for it, not summarised)."""
    root = _clone(repo, tmp_path)
    d = diff_catalogues(*read_pair(GitTree(root, "year1"), GitTree(root, "year2"), jobs=1))
    new = read_tree(GitTree(root, "year2"))
    region = law = None
    for r in d.regions:
        if r.status != "unchanged" or not new.regions[r.adcode].lists:
            continue
        lists = new.regions[r.adcode].lists.values()
        cited = {law for lst in lists for item in lst.items for law in item.legal_basis}
        only = sorted(cited - {law for lst in lists for law in lst.legal_basis})
        if only:
            region, law = r.adcode, only[0]
            break
    assert region, "the synthetic catalogue has an unchanged region whose items cite a law"
    laws = root / "catalogues" / "laws.csv"
    laws.write_text(laws.read_text(encoding="utf-8").replace(f"{law},", f"{law},（改）", 1), encoding="utf-8")
    _commit(root, "t3")
    full = _outputs(read_tree(GitTree(root, "year1")), read_tree(GitTree(root, "t3")), region)
    assert any(m["section"] == "laws" and m["key"] == law for m in full[0]["metadata"])
    for jobs in (1, 2):
        pair = read_pair(GitTree(root, "year1"), GitTree(root, "t3"), jobs=jobs, region=region)
        assert _outputs(*pair, region) == full


@pytest.mark.parametrize("case", ["across", "within", "empty"])
def test_ids_that_cannot_be_compared_are_refused_as_without_a_child(repo, tmp_path, split_in_halves, case):
    """An id in a folder of the child's and in one of this process's, an id twice in a folder of
    the child's, an empty id there: the same refusal as without a child."""
    root = _clone(repo, tmp_path)
    d = diff_catalogues(*read_pair(GitTree(root, "year1"), GitTree(root, "year2"), jobs=1))
    changed = sorted(r.folder_new for r in d.regions if r.status != "unchanged")
    first = root / "catalogues" / changed[0] / "duties.csv"
    target = root / "catalogues" / (changed[-1] if case == "across" else changed[0]) / "duties.csv"
    taken = "" if case == "empty" else first.read_text(encoding="utf-8").split("\n")[1].split(",")[0]
    lines = target.read_text(encoding="utf-8").split("\n")
    lines[2] = ",".join([taken] + lines[2].split(",")[1:])
    target.write_text("\n".join(lines), encoding="utf-8")
    _commit(root, "t2")
    messages = set()
    for old, new in _pairs(root, "year1", "t2").values():
        assert not _compared_regions(new)  # read here again
        with pytest.raises(DiffError) as exc:
            diff_catalogues(old, new)
        messages.add(str(exc.value))
    assert len(messages) == 1 and taken in messages.pop()


def test_a_problem_in_a_child_folder_is_reported_as_without_a_child(repo, tmp_path, split_in_halves):
    root = _clone(repo, tmp_path)
    d = diff_catalogues(*read_pair(GitTree(root, "year1"), GitTree(root, "year2"), jobs=1))
    folder = min(r.folder_new for r in d.regions if r.status != "unchanged")
    signs = root / "catalogues" / folder / "signs.csv"
    signs.write_bytes(signs.read_text(encoding="utf-8").encode("gb18030"))  # not UTF-8
    (root / "catalogues" / folder / "extra.csv").write_text("id\n", encoding="utf-8")  # not declared
    _commit(root, "t2")
    pairs = _pairs(root, "year1", "t2")
    assert not _compared_regions(pairs["forked"][1])  # read here again
    problems = [[(p.rule, p.file, p.row) for p in cat.problems] for cat in pairs["one"]]
    assert problems[1]
    for old, new in pairs.values():
        assert [[(p.rule, p.file, p.row) for p in cat.problems] for cat in (old, new)] == problems
        assert _outputs(old, new) == _outputs(*pairs["one"])


@pytest.mark.parametrize("fork", [True, False])
def test_a_failing_child_is_replaced(repo, monkeypatch, split_in_halves, fork):
    def fail(*args):
        raise RuntimeError("child failed")

    monkeypatch.setattr(diffmod, "_compare_part", fail)
    monkeypatch.setattr(parallel, "can_fork", lambda: fork)
    old, new = read_pair(GitTree(repo, "year1"), GitTree(repo, "year2"), jobs=2)
    assert not _compared_regions(new)
    assert _outputs(old, new) == _outputs(*read_pair(GitTree(repo, "year1"), GitTree(repo, "year2"), jobs=1))


def test_one_job_never_forks(repo, monkeypatch):
    monkeypatch.setattr(diffmod, "_SPLIT_MIN_BYTES", 0)
    monkeypatch.setenv("VILLAGECAT_JOBS", "1")
    monkeypatch.setattr(parallel, "Forked", None)  # any use would fail
    old, new = read_pair(GitTree(repo, "year1"), GitTree(repo, "year2"))
    assert not _compared_regions(new)


def test_the_plan_balances_and_leaves_small_diffs_alone(repo, monkeypatch):
    from villagecat.diff import _ls_catalogues, _plan

    old_tree, new_tree = GitTree(repo, "year1"), GitTree(repo, "year2")
    old_ls, new_ls = _ls_catalogues(old_tree), _ls_catalogues(new_tree)
    identical = {f for f in old_ls if old_tree.tree_id(f"catalogues/{f}") == new_tree.tree_id(f"catalogues/{f}")}
    assert _plan(old_ls, new_ls, identical) is None  # a few folders: not worth a process
    monkeypatch.setattr(diffmod, "_SPLIT_MIN_BYTES", 0)
    olds, news = _plan(old_ls, new_ls, identical)
    assert olds and olds == news and not olds & identical
    monkeypatch.setattr(diffmod, "_COST_COUNTED", 0.0)  # nothing else to do here: the child takes a share
    share, _ = _plan(old_ls, new_ls, identical)
    assert 0 < len(share) <= len(olds)


def test_identical_folders_read_otherwise_when_not_plain(repo, tmp_path):
    """Identical folders whose catalogue.yaml the quick reading declines (a comment, a flow list:
    the YAML loader reads it) or the summary refuses (a list kind twice: the reader reads the
    folder and reports it): the diff is still the one of both trees read in full."""
    from villagecat.decode import _quick_yaml, _Unsure
    from villagecat.diff import strip_schemas

    root = _clone(repo, tmp_path)
    _git(root, "checkout", "-q", "year1")
    _git(root, "checkout", "-q", "-b", "odd")
    d = diff_catalogues(*read_pair(GitTree(root, "year1"), GitTree(root, "year2"), jobs=1))
    unchanged = sorted(r.folder_new for r in d.regions if r.status == "unchanged")
    commented, doubled = (root / "catalogues" / f / "catalogue.yaml" for f in unchanged[:2])
    text = commented.read_text(encoding="utf-8")
    commented.write_text(text.replace("\nlicenses:\n", "\n# licences\nlicenses: \n", 1)
                         .replace("  format: csv\n", "  format: [csv]\n", 1), encoding="utf-8")
    with pytest.raises(_Unsure):
        _quick_yaml(strip_schemas(commented.read_text(encoding="utf-8")))
    text = doubled.read_text(encoding="utf-8")
    doubled.write_text(text.replace("  x-kind: assistance\n", "  x-kind: duties\n", 1), encoding="utf-8")
    _commit(root, "t1")
    _git(root, "checkout", "-q", "year2")  # the next version, with these two folders as in t1
    _git(root, "checkout", "-q", "t1", "--", *(str(p.relative_to(root)) for p in (commented, doubled)))
    _commit(root, "t2")
    t1, t2 = GitTree(root, "t1"), GitTree(root, "t2")
    assert all(t1.tree_id(f"catalogues/{f}") == t2.tree_id(f"catalogues/{f}") for f in unchanged[:2])
    full = _outputs(read_tree(t1), read_tree(t2))
    for old, new in _pairs(root, "t1", "t2").values():
        assert _outputs(old, new) == full
        assert [p.rule for p in old.problems] == [p.rule for p in new.problems] == ["duplicate-kind"]
        summarised = {r.folder for r in new.catalogued_regions()
                      if any(type(l.items) is diffmod._Counted for l in r.lists.values())}
        assert unchanged[0] in summarised and unchanged[1] not in summarised
