"""Every id ever released stays accounted for: present, or recorded as removed by a release; never reused.

Released ids are read from the git trees that ``releases.yaml`` records (one ``git ls-tree`` and
one ``git cat-file --batch`` per release, cached by tree id in memory and under the git directory,
since a tree id names immutable content). The rule fails closed: a malformed record is reported by
:mod:`villagecat.rules.release_records`, and a recorded tree that cannot be read is an error here
(``release-tree-unreadable``), never a silent pass. Without ``releases.yaml`` (and no sign that
there should be one, see ``releases-file-missing``) there is nothing to check.

* ``released-id-reused`` (error): an id that a release recorded as removed, or that was missing
  from a later release, is in the catalogue again. Kind and region are encoded in the id, so a
  returning id would give an old citation a new meaning.
* ``released-id-unrecorded`` (error): an id missing from a later release that did not record its
  removal (releases.yaml edited by hand, or a release made without ``villagecat release``).
* ``released-id-removal-pending`` (error): an id of the latest release is gone from the working
  catalogue and ``catalogues/withdrawn.csv`` does not say why. A pull request that drops an item
  adds a row there (date, reason, replacement); the next ``villagecat release`` then records the
  id under ``removed``.
* ``withdrawn-id-present`` (error): an id listed as withdrawn is still (or again) in the catalogue.
* ``release-tree-unreadable`` (error): a recorded release tree is not a readable tree of this
  repository, so the released ids could not be checked.
"""

from __future__ import annotations

import json
from pathlib import Path

from villagecat import git
from villagecat.problems import define, problem

define("released-id-reused", "policy", "已删除的编号被重新使用", "Removed id reused",
       "编号 {id} 曾在 {first} 发布，{removed_in} 起已删除，现在又出现了。",
       "Id {id} was released in {first} and removed as of {removed_in}; it is back.",
       "编号永不复用：给这一条换一个本清单从未用过的新编号（下一个未用序号）。",
       "Ids are never reused: give this item a new, never-used id (the next unused number).")
define("released-id-unrecorded", "policy", "发布中删除的编号未记录", "Removal not recorded by a release",
       "编号 {id}（{first} 发布）在 {missing_in} 中不见了，但 releases.yaml 没有记录其删除。",
       "Id {id} (released in {first}) is missing from {missing_in}, and releases.yaml does not record its removal.",
       "在 releases.yaml 中该版本的 removed 里补上此编号（releases.yaml 应由 villagecat release 写入）。",
       "Add the id to that release's removed list in releases.yaml (which villagecat release should write).")
define("released-id-removal-pending", "policy", "已发布的编号被删除且未登记原因", "Released id removed without a record",
       "编号 {id} 已在 {last} 发布，现在目录中没有了，catalogues/withdrawn.csv 也没有登记。",
       "Id {id} was released in {last}, is no longer in the catalogue, and catalogues/withdrawn.csv does not record it.",
       "若是误删，请恢复该行；若源文件确已删除该事项，在 catalogues/withdrawn.csv 中登记一行（编号、日期、原因、替代编号）。编号不得再用于其他事项。",
       "If it was deleted by mistake, restore the row; if the source really dropped the item, add a row to catalogues/withdrawn.csv (id, date, reason, replacement). The id must never be used again.")
define("withdrawn-id-present", "policy", "已撤回的编号仍在目录中", "Withdrawn id still present",
       "编号 {id} 登记在 catalogues/withdrawn.csv 中，却仍出现在目录里。",
       "Id {id} is listed in catalogues/withdrawn.csv but is still in the catalogue.",
       "删除 withdrawn.csv 中的这一行（若事项仍有效），或给目录中的这一条换一个从未用过的新编号。",
       "Remove the withdrawn.csv row (if the item still stands), or give the catalogue row a new, never-used id.")

define("release-tree-unreadable", "policy", "无法读取发布的目录树", "Release tree cannot be read",
       "发布 {version} 记录的 catalogues 树 {tree} 无法读取（{detail}），已发布的编号无法核对。",
       "The catalogues tree {tree} recorded for release {version} cannot be read ({detail}); released ids could not be checked.",
       "在完整的 git 克隆中校验（不要用 --depth）；若 releases.yaml 被改动，撤销该修改。",
       "Validate in a full git clone (no --depth); if releases.yaml was edited, undo the change.")

_MEMO: dict[tuple[str, str], dict[str, str]] = {}


def _cache_file(repo: str, tree: str) -> Path | None:
    rc, gitdir = git.status(repo, "rev-parse", "--absolute-git-dir")
    return Path(gitdir) / "villagecat-cache" / f"ids-{tree}.json" if rc == 0 and gitdir else None


def released_ids(repo: str, tree: str) -> dict[str, str]:
    """``{id: path}`` of every item in a ``catalogues/`` tree object (cached: tree ids are immutable).

    The tree is read as a :class:`~villagecat.trees.GitTree` and each region folder's CSV decoded
    by :mod:`villagecat.decode`, as the reader does; only the ``id`` column is kept. ``tree`` must
    be a validated object id (40 hex digits); anything else is a LookupError.
    """
    from villagecat.decode import MAX_CSV_BYTES, read_csv_bytes
    from villagecat.trees import GitTree

    git.require_oid(tree)
    key = (str(Path(repo).resolve()), tree)
    if key in _MEMO:
        return _MEMO[key]
    cache = _cache_file(repo, tree)
    if cache is not None and cache.exists():
        try:
            _MEMO[key] = json.loads(cache.read_text(encoding="utf-8"))
            return _MEMO[key]
        except (OSError, ValueError):
            pass
    typ = git.run(repo, "cat-file", "-t", tree).strip()  # GitError (a LookupError) with git's own words
    if typ != "tree":
        raise LookupError(f"{tree} is a {typ}, not a tree")
    gt = GitTree.from_tree_id(repo, tree, prefix="catalogues")
    ids: dict[str, str] = {}
    try:
        for folder in gt.list("catalogues"):
            base = f"catalogues/{folder}"
            if not gt.is_dir(base):
                continue
            for name in gt.list(base):
                path = f"{base}/{name}"
                if not name.endswith(".csv") or gt.special(path) or gt.is_dir(path):
                    continue
                rows, _ = read_csv_bytes(path, gt.read_bytes(path, MAX_CSV_BYTES), MAX_CSV_BYTES)
                if not rows or "id" not in rows[0]:
                    continue
                col = rows[0].index("id")
                for row in rows[1:]:
                    if len(row) > col and row[col].strip():
                        ids.setdefault(row[col].strip(), path)
    finally:
        gt.close()
    _MEMO[key] = ids
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(ids, sort_keys=True), encoding="utf-8")
        except OSError:
            pass
    return ids


def check(cat):
    withdrawn = cat.withdrawn()
    for item in cat.items():
        if item.id in withdrawn:
            yield problem("withdrawn-id-present", file=item.path, row=item.row, column="id", item_id=item.id, id=item.id)
    yield from _check_releases(cat, set(withdrawn))


def _unread(path: str, unread: set[str]) -> bool:
    folder = path.rsplit("/", 1)[0]
    return path in unread or folder in unread or f"{folder}/catalogue.yaml" in unread


def _check_releases(cat, withdrawn: set[str]):
    from villagecat.rules.release_records import RELEASES_FILE

    recs = cat.records
    if recs is None or not recs.well_formed:
        return  # malformed records are errors of their own (release_records); ids cannot be compared
    releases = recs.entries
    if not releases:
        return
    per, unreadable = [], []
    for i, rel in zip(recs.positions, releases):
        try:
            per.append((rel["version"], released_ids(str(cat.repo), rel["tree"])))
        except (LookupError, OSError, ValueError, IndexError) as exc:
            unreadable.append(problem("release-tree-unreadable", file=RELEASES_FILE, row=recs.line(i, "tree"),
                                      column="tree", version=rel["version"], tree=rel["tree"],
                                      detail=str(exc)[:200] or type(exc).__name__))
    if unreadable:
        yield from unreadable  # fail closed: never a silent pass
        return
    removed_in: dict[str, str] = {}
    for rel in releases:
        for i in rel.get("removed") or []:
            removed_in.setdefault(str(i), str(rel.get("version")))
    current = {item.id: item for item in cat.items() if item.id}
    # Files (or whole region folders) that could not be read are already reported; their ids are
    # not "removed", and listing each one would bury the real problem.
    unread = {p.file for p in cat.problems if p.severity == "error"}
    first: dict[str, int] = {}
    present: dict[str, int] = {}
    for idx, (_, ids) in enumerate(per):
        for i in ids:
            first.setdefault(i, idx)
            present[i] = present.get(i, 0) + 1
    last_version, last_ids = per[-1]
    for i, idx in first.items():
        gap = present[i] < len(per) - idx  # missing from some release after its first
        item = current.get(i)
        if item is not None:
            if i in removed_in or gap:
                gone = removed_in.get(i) or next(v for v, ids in per[idx + 1:] if i not in ids)
                yield problem("released-id-reused", file=item.path, row=item.row, column="id", item_id=i,
                              id=i, first=per[idx][0], removed_in=gone)
            continue
        if gap:
            missing_in = next(v for v, ids in per[idx + 1:] if i not in ids)
            if i not in removed_in:
                yield problem("released-id-unrecorded", file="releases.yaml", item_id=i,
                              id=i, first=per[idx][0], missing_in=missing_in)
        elif i in last_ids and i not in removed_in and i not in withdrawn and not _unread(last_ids[i], unread):
            yield problem("released-id-removal-pending", file=last_ids[i], column="id", item_id=i, id=i, last=last_version)
