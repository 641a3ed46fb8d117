"""Every download of one version, each written straight to its file by its own writer (nothing
holds all of them in memory), then SHA256SUMS read back from the files.

Every file is byte-identical on every rebuild of the same release: rows in a fixed order, zip
entries sorted with fixed dates (the release date, 00:00), fixed XLSX document properties, and the
SQLite file written to a temporary file, optimised and vacuumed into place.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from villagecat.exports.checksums import sha256sums, write_sha256sums
from villagecat.exports.common import ExportSpec, all_items_rows, load_schemas
from villagecat.exports.csv import csv_bytes, csv_members, write_csv
from villagecat.exports.datapackage import datapackage_zip, write_datapackage_zip
from villagecat.exports.json import json_bytes, write_json
from villagecat.exports.sqlite import sqlite_bytes, write_sqlite
from villagecat.exports.xlsx import xlsx_bytes, write_xlsx
from villagecat.exports.zip import write_zip, zip_bytes
from villagecat.model import Catalogue


def writers(spec: ExportSpec) -> dict:
    """File name → a function writing that download to a path."""
    v = spec.version

    def items(excel):
        return lambda path: write_csv(path, *all_items_rows(spec), excel=excel)

    return {
        f"villagecat-{v}-csv.zip": lambda path: write_zip(path, csv_members(spec, excel=False), spec.stamp),
        f"villagecat-{v}-csv-excel.zip": lambda path: write_zip(path, csv_members(spec, excel=True), spec.stamp),
        f"villagecat-{v}-items.csv": items(False),
        f"villagecat-{v}-items-excel.csv": items(True),
        f"villagecat-{v}.json": lambda path: write_json(path, spec),
        f"villagecat-{v}.xlsx": lambda path: write_xlsx(path, spec),
        f"villagecat-{v}.sqlite": lambda path: write_sqlite(path, spec),
        f"villagecat-{v}-datapackage.zip": lambda path: write_datapackage_zip(path, spec),
    }


# What each download costs, relative to the others (seconds per writer at 50k items, one process,
# 2026-12-03): the downloads are dealt out to two processes by these, so that both finish together.
COSTS = {"xlsx": 3.8, "sqlite": 2.9, "csv-excel.zip": 1.3, "csv.zip": 1.2, ".json": 1.0,
         "items-excel.csv": 0.6, "datapackage.zip": 0.6, "items.csv": 0.5}


def cost(name: str) -> float:
    """:data:`COSTS` of a download's file name (1.0 for one not listed)."""
    return next((c for end, c in COSTS.items() if name.endswith(end)), 1.0)


def lanes(names: list[str], jobs: int) -> list[list[str]]:
    """``names`` dealt out to ``jobs`` processes, costliest first, each to the least loaded; the
    first lane is this process's. Deterministic: the same names give the same lanes."""
    out: list[list[str]] = [[] for _ in range(max(1, jobs))]
    loads = [0.0] * len(out)
    for name in sorted(names, key=lambda n: (-cost(n), n)):
        k = loads.index(min(loads))
        out[k].append(name)
        loads[k] += cost(name)
    return out


def write_all(spec: ExportSpec, out_dir: str | os.PathLike, jobs: int | None = None) -> list[Path]:
    """Write every download of ``spec`` and SHA256SUMS into ``out_dir``; returns the paths, sorted.

    With more than one job the downloads are shared between this process and forked ones
    (:mod:`villagecat.parallel`) by their cost (:func:`lanes`); the bytes are the same either way.
    (The XLSX alone in a process of its own bounded the wall time while openpyxl wrote it; with
    XlsxWriter the other downloads did, at 500k items 149 s.)"""
    from villagecat.parallel import Forked, default_jobs

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    made = writers(spec)
    jobs = default_jobs() if jobs is None else jobs
    here, *apart = lanes(list(made), min(jobs, 2)) if jobs > 1 else [list(made)]

    def write(names: list[str]) -> None:
        for name in names:
            made[name](out / name)

    running = [Forked(write, names) for names in apart if names]
    try:
        write(here)
        for job in running:
            job.result()
    finally:
        for job in running:
            job.stop()
    write_sha256sums(out, list(made))
    return sorted([out / n for n in made] + [out / "SHA256SUMS"])


def build_files(spec: ExportSpec) -> dict[str, bytes]:
    """Every download of one version, by file name (SHA256SUMS included), in memory (small catalogues, tests)."""
    v = spec.version
    header, rows = all_items_rows(spec)
    files = {
        f"villagecat-{v}-csv.zip": zip_bytes(csv_members(spec, excel=False), spec.stamp),
        f"villagecat-{v}-csv-excel.zip": zip_bytes(csv_members(spec, excel=True), spec.stamp),
        f"villagecat-{v}-items.csv": csv_bytes(header, rows),
        f"villagecat-{v}-items-excel.csv": csv_bytes(header, rows, excel=True),
        f"villagecat-{v}.json": json_bytes(spec),
        f"villagecat-{v}.xlsx": xlsx_bytes(spec),
        f"villagecat-{v}.sqlite": sqlite_bytes(spec),
        f"villagecat-{v}-datapackage.zip": datapackage_zip(spec),
    }
    files["SHA256SUMS"] = sha256sums(files)
    return files


def write_files(files: dict[str, bytes], out_dir: str | os.PathLike) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(files):
        p = out / name
        p.write_bytes(files[name])
        written.append(p)
    return written


def export_catalogue(cat: Catalogue, schemas: dict, version: str, date: str, out_dir,
                     meta: dict | None = None) -> list[Path]:
    """Write every download of ``cat`` into ``out_dir``; returns the paths written."""
    spec = ExportSpec(cat, schemas, version, date, dict(meta or {}))
    return write_all(spec, out_dir)


class ExportRefused(ValueError):
    """The catalogue could not be read whole: downloads would silently miss items."""


def require_readable(cat) -> None:
    """Refuse to export a catalogue whose files could not all be read (encoding, CSV or YAML errors),
    or whose keys the downloads cannot hold (see :func:`key_problems`), or whose text holds control
    characters (the XLSX writer cannot store them, the other formats would pass them on: see
    :mod:`villagecat.rules.text_policy`)."""
    from villagecat.rules import text_policy
    from villagecat.textpolicy import visible

    errors = [p for p in cat.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise ExportRefused(f"{len(errors)} 个文件无法完整读取，如 {first.file}：{first.message} "
                            f"/ {len(errors)} files could not be read whole, e.g. {first.file}: {first.message_en}")
    keys = key_problems(cat)
    if keys:
        raise ExportRefused(f"{len(keys)} 处编号为空或重复，如 {keys[0][0]} / {len(keys)} empty or repeated keys, "
                            f"e.g. {keys[0][1]}")
    bad = list(text_policy.check(cat))
    if bad:
        first = bad[0]
        where = visible(f"{first.file}，第 {first.row} 行" + (f"，列 {first.column}" if first.column else ""))
        raise ExportRefused(f"{len(bad)} 处文本含控制字符，如 {where}：{visible(first.message)} "
                            f"/ {len(bad)} text values hold control characters, e.g. {where}: {visible(first.message_en)}")


def key_problems(cat) -> list[tuple[str, str]]:
    """``(Chinese, English)`` for each empty or repeated key the downloads need unique: item ids
    (across every list: the SQLite ``items`` table), region codes and law ids. Readable data can
    still break them (the validator reports them too); SQLite would refuse them half-way.
    """
    out: list[tuple[str, str]] = []

    def unique(entries, what_zh, what_en):
        first: dict[str, tuple[str, int]] = {}
        for key, path, line in entries:
            key = key.strip()
            if not key:
                out.append((f"{path} 第 {line} 行的{what_zh}为空", f"{path} line {line}: empty {what_en}"))
            elif key in first:
                fpath, fline = first[key]
                out.append((f"{path} 第 {line} 行的{what_zh} {key} 与 {fpath} 第 {fline} 行重复",
                            f"{path} line {line}: {what_en} {key} repeats {fpath} line {fline}"))
            else:
                first[key] = (path, line)

    unique(((i.id, i.path, i.row) for i in cat.items()), "编号", "id")
    for name, column, what_zh, what_en in (("regions", "adcode", "行政区划代码", "adcode"), ("laws", "id", "编号", "id")):
        t = cat.tables.get(name)
        if t is not None:
            unique(((r.get(column, ""), t.path, line) for r, line in zip(t.rows, t.lines)), what_zh, what_en)
    return out


def export_release(repo: str | os.PathLike, version: str, out_dir: str | os.PathLike) -> list[Path]:
    """Export a recorded release: its ``catalogues/`` tree and its commit's schemas, read once.

    >>> # export_release(".", "2026.1", "dist/2026.1")
    """
    from villagecat.reader import read_tree
    from villagecat.release import find_release, load_releases
    from villagecat.trees import release_tree

    rel = find_release(load_releases(repo), version)
    if rel is None:
        raise LookupError(f"releases.yaml 中没有版本 {version} / no release {version} in releases.yaml")
    cat = read_tree(release_tree(repo, rel), releases=False)  # data and schemas of the recorded commit
    return export_recorded(cat, rel, out_dir)


def export_recorded(cat: Catalogue, rel: dict, out_dir: str | os.PathLike) -> list[Path]:
    """Export a release already read (``cat``, from :func:`villagecat.trees.release_tree`) for its record ``rel``."""
    require_readable(cat)
    meta = {"commit": rel["commit"], "tree": rel["tree"]}
    return export_catalogue(cat, cat.schemas, str(rel["version"]), str(rel["date"]), out_dir, meta)


def export_ref(repo: str | os.PathLike, ref: str, out_dir, version: str | None = None) -> list[Path]:
    """Export any git ref (not a release): stamped with the commit's own date, so also reproducible."""
    from villagecat.reader import read_tree
    from villagecat.trees import GitTree

    tree = GitTree(repo, ref)
    date = tree.date()
    if not tree.is_dir("catalogues"):
        raise LookupError(f"{ref} 中没有 catalogues/ / {ref} has no catalogues/ folder")
    cat = read_tree(tree, releases=False)
    require_readable(cat)
    meta = {"commit": tree.commit, "tree": tree.tree_id("catalogues") or ""}
    return export_catalogue(cat, cat.schemas, version or re.sub(r"[^0-9A-Za-z._-]", "-", ref), date, out_dir, meta)
