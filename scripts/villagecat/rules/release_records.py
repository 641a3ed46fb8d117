"""The release records of ``releases.yaml``: well-formed, verifiable against git, append-only.

A pull request can edit ``releases.yaml`` like any other file, so every record is checked before
any of its values is used as a path or a git argument, and then verified against the git objects
it names. Located at the record's line in ``releases.yaml``:

* ``release-record-invalid``: the file or a record is malformed — ``version`` not ``YYYY.N``
  (a string), ``date`` not a real ``YYYY-MM-DD``, ``tree``/``commit`` not 40 lower-case hex
  digits, ``removed`` not a list of ids, or ``releases.yaml`` not a regular file.
* ``release-version-order``: versions are not strictly increasing.
* ``release-commit-unknown``: the recorded commit is not a commit of this repository.
* ``release-commit-not-ancestor``: the recorded commit is not an ancestor of ``HEAD``.
* ``release-tree-mismatch``: the recorded tree is not the recorded commit's ``catalogues`` tree.
* ``release-tag-mismatch``: the tag ``v<version>`` exists but points neither at the recorded
  commit nor at the release commit ``villagecat release`` made on top of it.
* ``releases-file-missing``: there is no ``releases.yaml`` although tags ``v*`` exist or the git
  history of ``HEAD`` has one (deleting the file would switch the released-id rule off).
* ``release-entry-changed`` / ``release-entry-removed`` (``villagecat validate --base REF``): a
  record of the base's ``releases.yaml`` was changed or removed; records may only be appended.

Git is called with validated object ids only (40 hex digits), literal ``refs/tags/v<version>``
names built from validated versions, or a user's ``--base`` after ``--end-of-options``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from villagecat import git as gitmod
from villagecat.problems import Problem, define, problem
from villagecat.versions import parse_version

RELEASES_FILE = "releases.yaml"
RECORD_VERSION_RE = re.compile(r"\d{4}\.[1-9]\d{0,3}")  # fullmatch only: "$" would let "2026.1\n" through
OID_RE = re.compile(r"[0-9a-f]{40}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

define("release-record-invalid", "metadata", "发布记录格式错误", "Malformed release record",
       "releases.yaml 中的发布记录 {where} 无效：{detail_zh}。",
       "The release record {where} in releases.yaml is invalid: {detail_en}.",
       "releases.yaml 只由 villagecat release 写入：撤销对它的手工修改（git checkout <基础分支> -- releases.yaml）。",
       "releases.yaml is written by villagecat release only: undo the hand edit (git checkout <base branch> -- releases.yaml).")
define("release-version-order", "metadata", "发布版本号未递增", "Release versions not increasing",
       "发布 {version} 不大于它前面的发布 {previous}。",
       "Release {version} is not above the release before it, {previous}.",
       "发布记录从旧到新排列，版本号严格递增；撤销对 releases.yaml 的手工修改。",
       "Records run oldest first with strictly increasing versions; undo the hand edit of releases.yaml.")
define("release-commit-unknown", "metadata", "发布记录的提交不存在", "Release commit not found",
       "发布 {version} 记录的提交 {commit} 不在本仓库的 git 历史中（{detail_zh}）。",
       "The commit {commit} recorded for release {version} is not in this repository's git history ({detail_en}).",
       "在完整的 git 克隆中校验（git clone，不要用 --depth）；若记录被改动，撤销对 releases.yaml 的修改。",
       "Validate in a full git clone (no --depth); if the record was edited, undo the change to releases.yaml.")
define("release-commit-not-ancestor", "metadata", "发布提交不在当前历史上", "Release commit not an ancestor of HEAD",
       "发布 {version} 记录的提交 {commit} 不是当前 HEAD 的祖先。",
       "The commit {commit} recorded for release {version} is not an ancestor of HEAD.",
       "发布记录只能指向本分支已有的提交；撤销对 releases.yaml 的修改，或先合并包含该发布的分支。",
       "A release record can only name a commit of this branch's history; undo the change to releases.yaml, or merge the branch holding that release.")
define("release-tree-mismatch", "metadata", "发布记录的树与提交不符", "Release tree does not match its commit",
       "发布 {version} 记录的 catalogues 树 {tree} 不是其提交 {commit} 的 catalogues 树（{actual}）。",
       "The catalogues tree {tree} recorded for release {version} is not its commit {commit}'s catalogues tree ({actual}).",
       "已发布的数据不可更改：撤销对 releases.yaml 的修改。",
       "Released data cannot change: undo the change to releases.yaml.")
define("release-tag-mismatch", "metadata", "发布标签与记录不符", "Release tag does not match the record",
       "标签 v{version} 指向提交 {tagged}，既不是记录的提交 {commit}，也不是在其上生成的发布提交。",
       "Tag v{version} points at commit {tagged}, which is neither the recorded commit {commit} nor the release commit made on it.",
       "已发布的记录不可更改：撤销对 releases.yaml 的修改；标签由维护者创建，切勿移动。",
       "Released records cannot change: undo the change to releases.yaml; tags are made by maintainers and never moved.")
define("releases-file-missing", "metadata", "缺少 releases.yaml", "releases.yaml is missing",
       "没有 releases.yaml，但{evidence_zh}：已发布的编号将无从核对。",
       "There is no releases.yaml although {evidence_en}: released ids could not be checked.",
       "恢复 releases.yaml（git checkout <基础分支> -- releases.yaml）；发布记录只能追加，不能删除。",
       "Restore releases.yaml (git checkout <base branch> -- releases.yaml); release records may only be appended, never deleted.")
define("release-entry-changed", "metadata", "已有的发布记录被改动", "Existing release record changed",
       "与基础版本 {base} 相比，发布 {version} 的记录被改动（{fields}）。",
       "Compared with the base {base}, the record of release {version} changed ({fields}).",
       "已发布的记录不可更改，新记录只能追加在最后（由 villagecat release 写入）：撤销对该记录的修改。",
       "Released records never change and new ones are only appended (by villagecat release): undo the change to that record.")
define("release-entry-removed", "metadata", "已有的发布记录被删除", "Existing release record removed",
       "与基础版本 {base} 相比，发布 {version} 的记录不见了。",
       "Compared with the base {base}, the record of release {version} is gone.",
       "发布记录永不删除：恢复该记录（git checkout <基础分支> -- releases.yaml）。",
       "Release records are never deleted: restore it (git checkout <base branch> -- releases.yaml).")


@dataclass
class Records:
    """What ``releases.yaml`` holds: the raw records, the well-formed ones, and the problems found."""
    present: bool = False
    raw: list = field(default_factory=list)        # every record as loaded (for comparison with a base)
    entries: list[dict] = field(default_factory=list)  # records that passed every format check
    positions: list[int] = field(default_factory=list)  # each entry's index in ``raw``
    problems: list[Problem] = field(default_factory=list)
    node: object = None

    @property
    def well_formed(self) -> bool:
        """True when the file was read and every record passed the format checks."""
        return not any(p.severity == "error" for p in self.problems) and len(self.entries) == len(self.raw)

    def line(self, index: int, key: str | None = None) -> int | None:
        from villagecat.decode import yaml_line

        if self.node is None:
            return None
        return yaml_line(self.node, ("releases", index) + ((key,) if key else ()))


def git(root, *args: str, data: bytes | None = None) -> tuple[int, str]:
    """Run git in ``root``: ``(returncode, stdout)``. Callers pass validated ids or literal names only."""
    return gitmod.status(root, *args, data=data)


def _invalid(recs: Records, index: int | None, key: str | None, where: str, zh: str, en: str) -> None:
    row = recs.line(index, key) if index is not None else 1
    recs.problems.append(problem("release-record-invalid", file=RELEASES_FILE, row=row, column=key,
                                 where=where, detail_zh=zh, detail_en=en))


def parse_records(data: bytes) -> Records:
    """Format checks of ``releases.yaml`` bytes (no git): safe YAML, shapes, versions, dates, object ids."""
    from villagecat.decode import read_yaml_bytes

    recs = Records(present=True)
    value, node, probs = read_yaml_bytes(RELEASES_FILE, data)
    recs.problems += probs
    recs.node = node
    if value is None:
        return recs
    rels = value.get("releases")
    if not isinstance(rels, list):
        _invalid(recs, None, None, "releases", "应为含 releases 列表的映射", "it must be a mapping with a releases list")
        return recs
    recs.raw = rels
    previous = None
    for i, rec in enumerate(rels):
        where = f"#{i + 1}"
        if not isinstance(rec, dict):
            _invalid(recs, i, None, where, "不是映射", "it is not a mapping")
            continue
        ok = True
        version = rec.get("version")
        if isinstance(version, str) and RECORD_VERSION_RE.fullmatch(version):
            where = f"#{i + 1} ({version})"
        else:
            _invalid(recs, i, "version", where, f"version {version!r} 应为 'YYYY.N' 形式的字符串",
                     f"version {version!r} must be a 'YYYY.N' string")
            ok = False
        date = rec.get("date")
        try:
            good_date = isinstance(date, str) and DATE_RE.fullmatch(date) and dt.date.fromisoformat(date)
        except ValueError:
            good_date = False
        if not good_date:
            _invalid(recs, i, "date", where, f"date {date!r} 应为存在的日期 'YYYY-MM-DD'（字符串）",
                     f"date {date!r} must be a real date as a 'YYYY-MM-DD' string")
            ok = False
        for key in ("tree", "commit"):
            oid = rec.get(key)
            if not (isinstance(oid, str) and OID_RE.fullmatch(oid)):
                _invalid(recs, i, key, where, f"{key} 应为 40 位小写十六进制 git 对象 id",
                         f"{key} must be a git object id of 40 lower-case hex digits")
                ok = False
        removed = rec.get("removed", [])
        if not (isinstance(removed, list) and all(isinstance(x, str) for x in removed)):
            _invalid(recs, i, "removed", where, "removed 应为编号（字符串）列表", "removed must be a list of ids (strings)")
            ok = False
        if "summary" in rec and not isinstance(rec["summary"], str):
            _invalid(recs, i, "summary", where, "summary 应为字符串", "summary must be a string")
            ok = False
        items = rec.get("items", 0)
        if not isinstance(items, int) or isinstance(items, bool) or items < 0:
            _invalid(recs, i, "items", where, "items 应为非负整数", "items must be a non-negative integer")
            ok = False
        if not ok:
            continue
        if previous is not None and parse_version(version) <= parse_version(previous):
            recs.problems.append(problem("release-version-order", file=RELEASES_FILE, row=recs.line(i, "version"),
                                         column="version", version=version, previous=previous))
            ok = False
        previous = version
        if ok:
            recs.entries.append(rec)
            recs.positions.append(i)
    return recs


def read_records(tree) -> Records:
    """Format checks of a tree's ``releases.yaml`` (no git). ``present`` is False when there is none.

    ``tree`` is a :class:`~villagecat.trees.FolderTree` or :class:`~villagecat.trees.GitTree` (a
    folder path is read as a folder tree); the reader calls this once per catalogue.
    """
    from villagecat.decode import MAX_YAML_BYTES
    from villagecat.trees import FolderTree

    if not hasattr(tree, "read_bytes"):
        tree = FolderTree(tree)
    if not (_is_link(tree, RELEASES_FILE) or tree.special(RELEASES_FILE) or tree.escapes(RELEASES_FILE)
            or tree.exists(RELEASES_FILE)):
        return Records(present=False)
    if tree.special(RELEASES_FILE) or tree.escapes(RELEASES_FILE) or tree.is_dir(RELEASES_FILE) \
            or _is_link(tree, RELEASES_FILE):
        recs = Records(present=True)
        _invalid(recs, None, None, RELEASES_FILE, "不是普通文件（符号链接、文件夹或设备）",
                 "it is not a regular file (a symbolic link, folder or device)")
        return recs
    return parse_records(tree.read_bytes(RELEASES_FILE, MAX_YAML_BYTES))


def _is_link(tree, rel: str) -> bool:
    """A symbolic link, even one that stays inside the folder: releases.yaml must be the file itself."""
    root = getattr(tree, "root", None)
    return root is not None and (root / rel).is_symlink()


def _missing_evidence(root) -> tuple[str, str] | None:
    """Why a missing releases.yaml is suspicious: tags ``v*`` exist, or HEAD's history had one."""
    rc, out = git(root, "for-each-ref", "--count=1", "--format=%(refname:short)", "refs/tags/v*")
    if rc == 0 and out:
        return f"存在发布标签 {out}", f"the release tag {out} exists"
    rc, out = git(root, "rev-list", "-1", "HEAD", "--", RELEASES_FILE)
    if rc == 0 and out:
        return f"git 历史中的提交 {out[:12]} 有该文件", f"commit {out[:12]} in the git history has it"
    return None


def verify_records(root, recs: Records) -> list[Problem]:
    """Git checks of the well-formed records: commit exists and is an ancestor of HEAD, tree matches, tag matches."""
    out: list[Problem] = []
    if not recs.present:
        evidence = _missing_evidence(root)
        if evidence:
            out.append(problem("releases-file-missing", file=RELEASES_FILE, evidence_zh=evidence[0], evidence_en=evidence[1]))
        return out
    for i, rec in zip(recs.positions, recs.entries):
        version, commit, tree = rec["version"], rec["commit"], rec["tree"]
        rc, typ = git(root, "cat-file", "-t", commit)
        if rc != 0 or typ != "commit":
            zh, en = (f"对象类型为 {typ}", f"the object is a {typ}") if rc == 0 else ("找不到该对象", "no such object")
            out.append(problem("release-commit-unknown", file=RELEASES_FILE, row=recs.line(i, "commit"), column="commit",
                               version=version, commit=commit, detail_zh=zh, detail_en=en))
            continue
        rc, _ = git(root, "merge-base", "--is-ancestor", commit, "HEAD")
        if rc != 0:
            out.append(problem("release-commit-not-ancestor", file=RELEASES_FILE, row=recs.line(i, "commit"),
                               column="commit", version=version, commit=commit))
        rc, actual = git(root, "rev-parse", "--verify", "-q", f"{commit}:catalogues")
        if rc != 0 or actual != tree:
            out.append(problem("release-tree-mismatch", file=RELEASES_FILE, row=recs.line(i, "tree"), column="tree",
                               version=version, tree=tree, commit=commit, actual=actual or "无 / none"))
        rc, tagged = git(root, "rev-parse", "--verify", "-q", f"refs/tags/v{version}^{{commit}}")
        if rc == 0 and tagged and not tag_matches(root, tagged, commit, tree):
            out.append(problem("release-tag-mismatch", file=RELEASES_FILE, row=recs.line(i, "version"), column="version",
                               version=version, tagged=tagged, commit=commit))
    return out


def tag_matches(root, tagged: str, commit: str, tree: str) -> bool:
    """A release tag names the recorded commit, or the release commit made directly on it (same catalogues)."""
    if tagged == commit:
        return True
    if not OID_RE.fullmatch(tagged):
        return False
    rc, parent = git(root, "rev-parse", "--verify", "-q", f"{tagged}^1")
    if rc != 0 or parent != commit:
        return False
    rc, tagged_tree = git(root, "rev-parse", "--verify", "-q", f"{tagged}:catalogues")
    return rc == 0 and tagged_tree == tree


def resolve_base(root, base: str) -> str:
    """The commit id a ``--base`` ref names (read after ``--end-of-options``); LookupError otherwise."""
    rc, oid = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{base}^{{commit}}")
    if rc != 0 or not OID_RE.fullmatch(oid):
        raise LookupError(f"无法解析基础引用 {base!r} / cannot resolve the base ref {base!r}")
    return oid


def check_base(cat, base: str) -> list[Problem]:
    """Every record of the base's releases.yaml is still in ``cat``'s, unchanged and in place (append-only)."""
    root = cat.repo
    oid = resolve_base(root, base)
    rc, typ = git(root, "cat-file", "-t", f"{oid}:{RELEASES_FILE}")
    if rc != 0:
        return []  # the base has no releases: nothing to keep
    rc, data = gitmod.call(root, "cat-file", "blob", f"{oid}:{RELEASES_FILE}")
    base_recs = parse_records(data) if rc == 0 else Records()
    if rc != 0 or base_recs.node is None:
        raise LookupError(f"基础引用 {base} 的 releases.yaml 无法读取 / the base {base}'s releases.yaml cannot be read")
    recs = cat.records if cat.records is not None else Records()
    if recs.present and recs.node is None:
        return []  # the file itself is unreadable: already an error
    out: list[Problem] = []
    for i, old in enumerate(base_recs.raw):
        version = old.get("version") if isinstance(old, dict) else f"#{i + 1}"
        new = recs.raw[i] if i < len(recs.raw) else None
        if new == old:
            continue
        if isinstance(new, dict) and isinstance(old, dict) and new.get("version") == old.get("version"):
            keys = sorted({*old, *new}, key=str)
            changed = ", ".join(str(k) for k in keys if old.get(k) != new.get(k)) or "?"
            out.append(problem("release-entry-changed", file=RELEASES_FILE, row=recs.line(i), base=base,
                               version=version, fields=changed))
        else:
            out.append(problem("release-entry-removed", file=RELEASES_FILE, row=recs.line(i),
                               base=base, version=version))
    return out


def check(cat):
    """What the reader found in ``releases.yaml`` and when verifying it against git."""
    if cat.records is not None:
        yield from cat.records.problems
    yield from cat.record_problems
