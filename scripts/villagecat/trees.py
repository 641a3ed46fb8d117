"""Where catalogue files come from: a folder on disk or a tree in git.

The reader asks a tree for names and bytes and never touches the file system or git itself, so
an old release is read from git objects without checking anything out.

>>> t = FolderTree(".")
>>> isinstance(t.exists("pyproject.toml"), bool)
True
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A path that would leave the tree (absolute, or climbing with ..)."""


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
        for seg in PurePosixPath(part).parts:
            if seg in ("..",):
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

    def _path(self, rel: str) -> Path:
        p = (self.root / safe_join(rel)).resolve()
        if p != self.root and self.root not in p.parents:
            raise UnsafePath(rel)
        return p

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

    def size(self, rel: str) -> int:
        return self._path(rel).stat().st_size

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        with open(self._path(rel), "rb") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)

    def blob_id(self, rel: str) -> str | None:
        return None


class GitTree:
    """A tree of a git commit, read with ``git ls-tree`` and ``git cat-file``.

    ``ref`` is anything git accepts (tag, branch, commit, ``HEAD~2``); ``prefix`` is the folder of
    the repository the tree stands for (normally the repository root).
    """

    def __init__(self, repo: str | os.PathLike, ref: str):
        self.repo = str(repo)
        self.ref = ref
        self.label = ref
        self.commit = self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
        entries = self._git("ls-tree", "-r", "-t", "-l", "-z", self.commit)
        self._entries: dict[str, tuple[str, str, int]] = {}  # path -> (type, oid, size)
        for rec in entries.split("\x00"):
            if not rec:
                continue
            meta, path = rec.split("\t", 1)
            mode, typ, oid, size = meta.split()
            self._entries[path] = (typ, oid, int(size) if size != "-" else 0)

    @classmethod
    def from_tree_id(cls, repo: str | os.PathLike, tree_id: str, prefix: str = "catalogues",
                     label: str | None = None) -> "GitTree":
        """A tree object (e.g. a release's recorded ``catalogues/`` tree) seen as if at ``prefix``."""
        self = cls.__new__(cls)
        self.repo, self.ref, self.label, self.commit = str(repo), tree_id, label or tree_id, None
        prefix = safe_join(prefix)
        self._entries = {prefix: ("tree", tree_id, 0)} if prefix else {}
        for rec in self._git("ls-tree", "-r", "-t", "-l", "-z", tree_id).split("\x00"):
            if rec:
                meta, path = rec.split("\t", 1)
                mode, typ, oid, size = meta.split()
                self._entries[f"{prefix}/{path}" if prefix else path] = (typ, oid, int(size) if size != "-" else 0)
        return self

    def _git(self, *args: str, binary: bool = False):
        res = subprocess.run(["git", "-C", self.repo, *args], capture_output=True, check=False)
        if res.returncode != 0:
            raise LookupError(f"git {' '.join(args)}: {res.stderr.decode('utf-8', 'replace').strip()}")
        return res.stdout if binary else res.stdout.decode("utf-8", "surrogateescape")

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

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        typ, oid, _ = self._entries[safe_join(rel)]
        data = self._git("cat-file", "blob", oid, binary=True)
        return data if limit is None else data[: limit + 1]

    def blob_id(self, rel: str) -> str | None:
        entry = self._entries.get(safe_join(rel))
        return entry[1] if entry else None

    def escapes(self, rel: str) -> bool:
        return False  # git trees hold links as blobs; nothing is followed

    def tree_id(self, rel: str) -> str | None:
        entry = self._entries.get(safe_join(rel))
        return entry[1] if entry and entry[0] == "tree" else None


def open_tree(spec: str, repo: str | os.PathLike = ".") -> FolderTree | GitTree:
    """A folder if ``spec`` names one on disk, otherwise a git ref of ``repo``."""
    if Path(spec).is_dir():
        return FolderTree(spec)
    return GitTree(repo, spec)
