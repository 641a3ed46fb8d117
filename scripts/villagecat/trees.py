"""Where catalogue files come from: a folder on disk or a tree in git.

The reader asks a tree for names and bytes and never touches the file system or git itself, so
an old release is read from git objects without checking anything out.

>>> t = FolderTree(".")
>>> isinstance(t.exists("pyproject.toml"), bool)
True
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from villagecat import git


class UnsafePath(ValueError):
    """A path that would leave the tree (absolute, or climbing with ..)."""


class NotRegularFile(OSError):
    """A name that is neither a file nor a folder (a FIFO, socket, device, git submodule or link)."""


def _special_mode(mode: int) -> str | None:
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "other"


def safe_join(*parts: str) -> str:
    """Join POSIX path parts, refusing anything that leaves the tree.

    >>> safe_join("catalogues", "x", "duties.csv")
    'catalogues/x/duties.csv'
    >>> safe_join("catalogues", "../../etc/passwd")
    Traceback (most recent call last):
    ...
    villagecat.trees.UnsafePath: ../../etc/passwd
    """
    out: list[str] = []
    for part in parts:
        if part.startswith("/") or "\\" in part or "\x00" in part:
            raise UnsafePath(part)
        for seg in part.split("/"):  # as PurePosixPath(part).parts, without its cost (once per file access)
            if seg == "..":
                raise UnsafePath(part)
            if seg in (".", ""):
                continue
            out.append(seg)
    return "/".join(out)


class FolderTree:
    """A working tree on disk. Symbolic links that point outside the root are refused."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()
        self.label = str(root)
        # Each file is asked about several times in one reading (exists, kind, size, bytes): its
        # resolved path is worked out once. (A tree is read once; links do not change meanwhile.)
        self._resolved: dict[str, Path | None] = {}

    def _path(self, rel: str) -> Path:
        safe = safe_join(rel)
        try:
            p = self._resolved[safe]
        except KeyError:
            p = self._resolved[safe] = self._resolve(safe)
        if p is None:
            raise UnsafePath(rel)
        return p

    def _resolve(self, safe: str) -> Path | None:
        """``safe`` resolved (links followed), or None outside the root. A name in a folder already
        resolved is that folder's resolved path and the name, unless the name is itself a link (one
        ``lstat`` instead of one per part of the path: a national tree has ≈ 15k files)."""
        head, _, name = safe.rpartition("/")
        if head:
            try:
                base = self._path(head)
            except UnsafePath:
                return None  # (safe_join refuses "..": nothing under a folder outside comes back in)
            p = base / name
            try:
                link = stat.S_ISLNK(os.lstat(p).st_mode)
            except FileNotFoundError:
                link = False  # resolve() (not strict) keeps a missing name as it is
            except OSError:
                link = True  # anything odder: as resolve() sees it
            if not link:
                return p
        p = (self.root / safe).resolve()
        return p if p == self.root or self.root in p.parents else None

    def exists(self, rel: str) -> bool:
        try:
            return self._path(rel).exists()
        except UnsafePath:
            return False

    def escapes(self, rel: str) -> bool:
        """True when ``rel`` (e.g. through a symbolic link) resolves outside the root."""
        try:
            self._path(rel)
        except UnsafePath:
            return True
        return False

    def is_dir(self, rel: str) -> bool:
        try:
            return self._path(rel).is_dir()
        except UnsafePath:
            return False

    def list(self, rel: str) -> list[str]:
        p = self._path(rel)
        if not p.is_dir():
            return []
        return sorted(child.name for child in p.iterdir())

    def special(self, rel: str) -> str | None:
        """``fifo``, ``socket``, ``device`` … when ``rel`` is neither a regular file nor a folder, else None.

        Found with ``stat``, never by opening: opening a FIFO blocks until someone writes to it.
        """
        try:
            return _special_mode(self._path(rel).stat().st_mode)
        except (UnsafePath, OSError):
            return None

    def size(self, rel: str) -> int:
        return self._path(rel).stat().st_size

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        path = self._path(rel)
        if self.special(rel):
            raise NotRegularFile(f"not a regular file: {rel}")
        with open(path, "rb") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)

    def blob_id(self, rel: str) -> str | None:
        return None


class GitTree:
    """A tree of a git commit, read with ``git ls-tree`` and ``git cat-file`` (:mod:`villagecat.git`).

    ``ref`` is anything git accepts (tag, branch, commit, ``HEAD~2``), resolved once to a commit id.
    """

    def __init__(self, repo: str | os.PathLike, ref: str):
        self.repo = str(repo)
        self.ref = ref
        self.label = ref
        # The ref comes from the user (or a pull request's workflow): resolved after --end-of-options;
        # every later git call uses the resolved commit id.
        self.commit = git.resolve_commit(self.repo, ref)
        self._entries: dict[str, tuple[str, str, int]] = {}  # path -> (type, oid, size)
        self._batch = git.CatFile(self.repo)
        self._load(self.commit, "")

    def _load(self, treeish: str, prefix: str) -> None:
        """Record every entry of ``treeish`` (one ``git ls-tree``), its paths placed under ``prefix``."""
        for path, typ, oid, size in git.ls_tree(self.repo, treeish):
            self._entries[f"{prefix}/{path}" if prefix else path] = (typ, oid, size)

    @classmethod
    def from_tree_id(cls, repo: str | os.PathLike, tree_id: str, prefix: str = "catalogues",
                     label: str | None = None) -> "GitTree":
        """A tree object (e.g. a release's recorded ``catalogues/`` tree) seen as if at ``prefix``."""
        git.require_oid(tree_id)
        self = cls.__new__(cls)
        self.repo, self.ref, self.label, self.commit = str(repo), tree_id, label or tree_id, None
        self._batch = git.CatFile(self.repo)
        prefix = safe_join(prefix)
        self._entries = {prefix: ("tree", tree_id, 0)} if prefix else {}
        self._load(tree_id, prefix)
        return self

    def date(self) -> str:
        """The commit's date, ``YYYY-MM-DD`` (what reproducible exports of a ref are stamped with)."""
        return git.run(self.repo, "show", "-s", "--format=%cs", git.require_oid(self.commit)).strip()

    def entries(self, under: str) -> dict[str, tuple[str, str, int]]:
        """Every path below the folder ``under`` (relative to it) → (type, oid, size), from the
        listing made when the tree was opened (no further ``git ls-tree``)."""
        prefix = safe_join(under) + "/"
        return {path[len(prefix):]: entry for path, entry in self._entries.items() if path.startswith(prefix)}

    def exists(self, rel: str) -> bool:
        return safe_join(rel) in self._entries or rel in ("", ".")

    def is_dir(self, rel: str) -> bool:
        rel = safe_join(rel)
        return rel == "" or self._entries.get(rel, ("",))[0] == "tree"

    def list(self, rel: str) -> list[str]:
        rel = safe_join(rel)
        prefix = rel + "/" if rel else ""
        names = {p[len(prefix):].split("/", 1)[0] for p in self._entries if p.startswith(prefix) and p != rel}
        return sorted(names)

    def size(self, rel: str) -> int:
        return self._entries[safe_join(rel)][2]

    def special(self, rel: str) -> str | None:
        """``submodule`` (a ``commit`` entry) or ``link`` (a symbolic link), else None."""
        typ = self._entries.get(safe_join(rel), ("",))[0]
        return {"commit": "submodule", "link": "link"}.get(typ)

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        typ, oid, _ = self._entries[safe_join(rel)]
        if typ != "blob":
            raise NotRegularFile(f"not a regular file: {rel} ({typ})")
        data = self._batch.read(oid)
        return data if limit is None else data[: limit + 1]

    def close(self) -> None:
        self._batch.close()

    def blob_id(self, rel: str) -> str | None:
        entry = self._entries.get(safe_join(rel))
        return entry[1] if entry else None

    def escapes(self, rel: str) -> bool:
        return False  # git trees hold links as blobs; nothing is followed

    def tree_id(self, rel: str) -> str | None:
        entry = self._entries.get(safe_join(rel))
        return entry[1] if entry and entry[0] == "tree" else None


def release_tree(repo: str | os.PathLike, record: dict) -> GitTree:
    """The tree of a verified release record: its commit, whose ``catalogues`` tree is the recorded
    one (checked here again), so that its data and its ``schemas/`` come from the same commit."""
    tree = GitTree(repo, git.require_oid(record["commit"]))
    if tree.tree_id("catalogues") != record["tree"]:
        raise git.GitError(f"release {record.get('version')}: catalogues tree is not {record['tree']}")
    tree.label = f"v{record['version']}"
    return tree


CATALOGUE_MARKERS = ("catalogues", "schemas")


def find_root(path: str | os.PathLike, markers: tuple[str, ...] = CATALOGUE_MARKERS) -> Path | None:
    """The folder at or above ``path`` that holds every one of ``markers`` (folders or files):
    the catalogue repository by default (``catalogues/`` and ``schemas/``)."""
    p = Path(path).resolve()
    for candidate in [p, *p.parents]:
        if all((candidate / m).exists() for m in markers):
            return candidate
    return None


def package_repo() -> Path:
    """The repository this package is installed from (editable install: ``scripts/villagecat`` in it)."""
    return Path(__file__).resolve().parents[2]


def project_root(start: str | os.PathLike = ".") -> Path:
    """The folder holding mkdocs.yml: ``start`` if it has one, else this package's repository."""
    here = Path(start).resolve()
    if (here / "mkdocs.yml").is_file():
        return here
    repo = package_repo()
    if (repo / "mkdocs.yml").is_file():
        return repo
    raise FileNotFoundError("mkdocs.yml not found")


def open_tree(spec: str, repo: str | os.PathLike = ".") -> FolderTree | GitTree:
    """A folder if ``spec`` names one on disk (the catalogue repository at or above it, or a folder
    holding ``catalogues/``), otherwise a git ref of ``repo``. LookupError when neither."""
    if Path(spec).is_dir():
        root = Path(spec) if (Path(spec) / "catalogues").is_dir() else find_root(spec)
        return FolderTree(root or spec)
    return GitTree(repo, spec)
