"""Shared helpers of the validator tests: where things are, and how a fixture becomes a repository.

A fixture under ``tests/fixtures/`` holds ``catalogues/``, perhaps ``sources/`` (and its README and goldens). To
validate it we copy it to a temporary folder, add the real ``schemas/``, and replace each
``schema: "@<kind>"`` placeholder in a catalogue.yaml by the current inline copy of that kind's
schema, written as one line of JSON so that line numbers in the goldens do not move. Files that are
too big (or too odd) to commit are made by the functions in :data:`GENERATED`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from villagecat.schemas import inline_schema

REPO = Path(__file__).resolve().parents[2]
# The catalogue the data tests read: this repository, or a copy (tests/contribute/test_data_copy.py
# adds a region to a copy and runs the data tests on it, as a data-only pull request would).
DATA = Path(os.environ.get("VILLAGECAT_DATA_ROOT") or REPO).resolve()
FIXTURES = REPO / "tests" / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
SHARED = REPO.parent / "shared"
BIN = Path(sys.executable).parent
VILLAGECAT = str(BIN / "villagecat")
NMG = "catalogues/150000-neimenggu"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
REGENERATE = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/validate"

_PLACEHOLDER = re.compile(rb'schema: "@([a-z-]+)"')


def _big_cell(root: Path) -> None:
    """A cell of 100 001 characters: what an unclosed quote does to a long file."""
    path = root / NMG / "duties.csv"
    text = path.read_text(encoding="utf-8").replace("调解民间纠纷。", "调" * 100_001)
    path.write_text(text, encoding="utf-8")


def _sparse_csv(root: Path) -> None:
    """A duties.csv just over the CSV limit, sparse so that it costs no disk and no time."""
    from villagecat.decode import MAX_CSV_BYTES

    with open(root / NMG / "duties.csv", "r+b") as fh:
        fh.truncate(MAX_CSV_BYTES + 1)


def _big_yaml(root: Path) -> None:
    """A catalogue.yaml just over the YAML limit: a valid one followed by a long comment."""
    from villagecat.decode import MAX_YAML_BYTES

    path = root / NMG / "catalogue.yaml"
    data = path.read_bytes()
    path.write_bytes(data + b"#" + b"x" * (MAX_YAML_BYTES - len(data)) + b"\n")


def _symlink_out(root: Path) -> None:
    """duties.csv a symbolic link to a file outside the repository: it must never be read."""
    os.symlink("/etc/passwd", root / NMG / "duties.csv")


def _folder_for_file(root: Path) -> None:
    """duties.csv a folder (git cannot store one empty, so it is made here)."""
    (root / NMG / "duties.csv").mkdir()


def _many_rows(root: Path) -> None:
    """duties.csv with one row more than the limit after its header (one cell each: 400 kB)."""
    from villagecat.decode import MAX_ROWS

    path = root / NMG / "duties.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\n" + "x\n" * (MAX_ROWS + 1), encoding="utf-8")


def _many_cells(root: Path) -> None:
    """duties.csv of MAX_COLUMNS columns and just enough rows to pass the cell limit."""
    from villagecat.decode import MAX_CELLS, MAX_COLUMNS

    row = ",".join("x" * MAX_COLUMNS) + "\n"
    rows = MAX_CELLS // MAX_COLUMNS  # with the header: over the limit
    (root / NMG / "duties.csv").write_text(row * (rows + 1), encoding="utf-8")


def _fifo(root: Path) -> None:
    """duties.csv a named pipe: opening it would block until someone writes."""
    path = root / NMG / "duties.csv"
    path.unlink()
    os.mkfifo(path)


def _links_out(root: Path) -> None:
    """A region folder and a shared table that are links to places outside the repository."""
    outside = root.parent / f"{root.name}-outside"
    shutil.copytree(root / NMG, outside / "440000-guangdong")
    os.symlink(outside / "440000-guangdong", root / "catalogues" / "440000-guangdong")
    os.symlink("/etc/passwd", root / "catalogues" / "known-documents.csv")


GENERATED = {
    "csv-too-many-rows": _many_rows,
    "csv-too-many-cells": _many_cells,
    "not-a-regular-file": _fifo,
    "path-outside-repository": _links_out,
    "resource-is-a-folder": _folder_for_file,
    "csv-field-too-long": _big_cell,
    "file-too-large-csv": _sparse_csv,
    "file-too-large-yaml": _big_yaml,
    "resource-path-symlink": _symlink_out,
}


GIT_ENV = {"GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.invalid",
           "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.invalid",
           "GIT_AUTHOR_DATE": "2026-01-15T12:00:00Z", "GIT_COMMITTER_DATE": "2026-01-15T12:00:00Z",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, *args: str, data: bytes | None = None) -> str:
    return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=True,
                          env={**os.environ, **GIT_ENV}).stdout.decode().strip()


def _releases(root: Path) -> None:
    """Turn ``released/<version>/<folder>/<list>.csv`` into git trees, commits and a ``releases.yaml``.

    The rules on released ids read old releases from git tree objects; a fixture keeps the released
    CSVs as plain files (a nested git repository cannot be committed), and this writes the objects
    with ``git hash-object`` and ``git mktree`` into a fresh repository, then one commit per release
    (its ``catalogues`` is that tree; fixed dates, so ids are stable) chained on ``HEAD``.
    ``released/<version>/removed.txt`` lists the ids that release recorded as removed.

    A fixture that tampers with the records holds its own ``releases.yaml``, where ``{tree:V}`` and
    ``{commit:V}`` stand for release V's ids (``{commit:orphan}``: a commit off HEAD's history);
    ``base-releases.yaml`` (same placeholders) becomes the ``releases.yaml`` of a branch ``base``
    that the golden test validates against (``--base base``); ``tags.txt`` lines ``NAME TARGET``
    make tags; an empty file ``delete-releases-yaml`` leaves no ``releases.yaml`` at all.
    """
    released = root / "released"
    _git(root, "init", "-q")
    entries, ids = [], {}
    parent = None
    for version_dir in sorted(released.iterdir(), key=lambda p: [int(x) for x in p.name.split(".")]):
        folders = []
        for folder in sorted(p for p in version_dir.iterdir() if p.is_dir()):
            blobs = [f"100644 blob {_git(root, 'hash-object', '-w', str(csv))}\t{csv.name}"
                     for csv in sorted(folder.glob("*.csv"))]
            folders.append(f"040000 tree {_git(root, 'mktree', data=chr(10).join(blobs).encode())}\t{folder.name}")
        tree = _git(root, "mktree", data="\n".join(folders).encode())
        top = _git(root, "mktree", data=f"040000 tree {tree}\tcatalogues".encode())
        commit = _git(root, "commit-tree", top, *(["-p", parent] if parent else []), "-m", f"catalogue {version_dir.name}")
        parent = commit
        removed_file = version_dir / "removed.txt"
        removed = removed_file.read_text(encoding="utf-8").split() if removed_file.exists() else []
        ids[f"tree:{version_dir.name}"], ids[f"commit:{version_dir.name}"] = tree, commit
        entries.append({"version": version_dir.name, "date": f"{version_dir.name.split('.')[0]}-01-15",
                        "tree": tree, "commit": commit, "removed": removed})
    _git(root, "update-ref", "HEAD", parent)
    ids["commit:orphan"] = _git(root, "commit-tree", top, "-m", "not on HEAD's history")
    shutil.rmtree(released)

    def fill(text: str) -> str:
        return re.sub(r"\{((?:tree|commit):[0-9a-z.]+)\}", lambda m: ids[m.group(1)], text)

    tags = root / "tags.txt"
    if tags.exists():
        for line in fill(tags.read_text(encoding="utf-8")).splitlines():
            if line.strip():
                name, target = line.split()
                _git(root, "update-ref", f"refs/tags/{name}", target)
        tags.unlink()
    template = root / "releases.yaml"
    if (root / "delete-releases-yaml").exists():
        (root / "delete-releases-yaml").unlink()
    elif template.exists():
        template.write_text(fill(template.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        template.write_text(json.dumps({"releases": entries}, indent=2) + "\n", encoding="utf-8")
    base = root / "base-releases.yaml"
    if base.exists():
        blob = _git(root, "hash-object", "-w", "--stdin", data=fill(base.read_text(encoding="utf-8")).encode())
        top = _git(root, "mktree", data=f"100644 blob {blob}\treleases.yaml".encode())
        _git(root, "update-ref", "refs/heads/base", _git(root, "commit-tree", top, "-p", parent, "-m", "base"))
        base.unlink()


def base_of(root: Path) -> str | None:
    """``"base"`` when the fixture made a base branch to compare release records with."""
    try:
        _git(root, "rev-parse", "--verify", "-q", "refs/heads/base")
    except subprocess.CalledProcessError:
        return None
    return "base"


def materialise(fixture: Path, dest: Path) -> Path:
    """Copy ``fixture`` to ``dest`` as a repository the validator can read; returns ``dest``."""
    shutil.copytree(fixture, dest, ignore=shutil.ignore_patterns("expected.*", "README.md"), symlinks=True)
    shutil.copytree(REPO / "schemas", dest / "schemas")
    for yaml_path in (dest / "catalogues").glob("*/catalogue.yaml"):
        data = yaml_path.read_bytes()
        new = _PLACEHOLDER.sub(
            lambda m: b"schema: " + json.dumps(inline_schema(dest, m.group(1).decode()), ensure_ascii=False).encode(), data)
        if new != data:
            yaml_path.write_bytes(new)
    if (dest / "released").is_dir():
        _releases(dest)
    if fixture.name in GENERATED:
        GENERATED[fixture.name](dest)
    return dest


def invalid_fixtures() -> list[str]:
    return sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([VILLAGECAT, *args], capture_output=True, text=True, cwd=cwd or REPO, timeout=timeout)
