"""The only module that runs git: every other module asks here.

Safety rules, kept in one place: a name given by a user (``--base``, a ref on the command line)
is resolved once with ``rev-parse --verify --end-of-options``, and every later call uses the
resulting object id; object ids taken from files (``releases.yaml``) are validated with
:func:`require_oid` before use; paths follow ``--``.

>>> is_oid("0" * 40), is_oid("--upload-pack=x")
(True, False)
"""

from __future__ import annotations

import os
import re
import subprocess

OID_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # fullmatch: SHA-1 or SHA-256


class GitError(LookupError):
    """git failed (or is not installed); the message is git's own."""


def is_oid(value) -> bool:
    return isinstance(value, str) and bool(OID_RE.fullmatch(value))


def require_oid(value) -> str:
    """``value`` when it is a full object id, else :class:`GitError` (never passed to git)."""
    if not is_oid(value):
        raise GitError(f"{value!r} 不是 git 对象 id / is not a git object id")
    return value


def call(repo: str | os.PathLike, *args: str, data: bytes | None = None) -> tuple[int, bytes]:
    """Run ``git -C repo args…``: ``(returncode, stdout)``; 127 when git cannot be started."""
    try:
        res = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except OSError:
        return 127, b""
    return res.returncode, res.stdout


def status(repo: str | os.PathLike, *args: str, data: bytes | None = None) -> tuple[int, str]:
    """Like :func:`call`, with stdout decoded and stripped (for ids and short answers)."""
    rc, out = call(repo, *args, data=data)
    return rc, out.decode("utf-8", "replace").strip()


def run(repo: str | os.PathLike, *args: str, data: bytes | None = None, binary: bool = False,
        env: dict[str, str] | None = None):
    """Run git and return its stdout (text, or bytes with ``binary``); :class:`GitError` on failure.
    ``env`` (e.g. an author and date for a generated history) is added to the environment."""
    try:
        res = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False,
                             env={**os.environ, **env} if env else None)
    except OSError as exc:
        raise GitError(f"git: {exc}") from exc
    if res.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {res.stderr.decode('utf-8', 'replace').strip()}")
    return res.stdout if binary else res.stdout.decode("utf-8", "surrogateescape")


def resolve_commit(repo: str | os.PathLike, ref: str) -> str:
    """The commit id ``ref`` (a user's name: tag, branch, ``HEAD~2``) names; read after
    ``--end-of-options`` so that it can never be an option. :class:`GitError` otherwise."""
    rc, oid = status(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if rc != 0 or not is_oid(oid):
        raise GitError(f"{ref!r} 不是提交 / is not a commit")
    return oid


def ls_tree(repo: str | os.PathLike, treeish: str) -> list[tuple[str, str, str, int]]:
    """Every entry under ``treeish`` (an object id): ``(path, type, oid, size)``; links have type ``link``."""
    out = []
    for rec in run(repo, "ls-tree", "-r", "-t", "-l", "-z", require_oid(treeish)).split("\x00"):
        if rec:
            meta, path = rec.split("\t", 1)
            mode, typ, oid, size = meta.split()
            typ = "link" if mode == "120000" else typ  # a symbolic link's blob is its target, not content
            out.append((path, typ, oid, int(size) if size != "-" else 0))
    return out


class CatFile:
    """A long-lived ``git cat-file --batch`` (a process per blob costs seconds at scale)."""

    def __init__(self, repo: str | os.PathLike):
        self.repo = str(repo)
        self._proc = None

    def read(self, oid: str) -> bytes:
        require_oid(oid)
        proc = self._proc
        if proc is None or proc.poll() is not None:
            proc = self._proc = subprocess.Popen(["git", "-C", self.repo, "cat-file", "--batch"],
                                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                 stderr=subprocess.DEVNULL)
        proc.stdin.write(oid.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) != 3:
            raise GitError(f"git cat-file: {oid} not found")
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)  # the newline after each object
        return data

    def close(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.stdin.close()
            proc.wait()
        self._proc = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def cat_blobs(repo: str | os.PathLike, oids: list[str]):
    """The blobs ``oids``, in order, through one ``git cat-file --batch`` fed by a thread: no round
    trip per blob, for reading thousands at once (e.g. the changed region folders of a diff)."""
    import threading

    for oid in oids:
        require_oid(oid)
    proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def feed():
        try:
            proc.stdin.write("".join(f"{o}\n" for o in oids).encode())
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for oid in oids:
            header = proc.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(f"git cat-file: {oid} not found")
            data = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)
            yield data
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()

