"""Rebuilds that rewrite only what changed: the pages written from shells, grouped by region.

A build writes the generated pages outside the nav in groups (:mod:`villagecat.site.shell`): one
group per region folder (its region page, its list pages and its items' pages), one per page of a
split listing below its top page (a law's, a comparison's … part for one province or prefecture:
:attr:`villagecat.site.pages.Page.scope`) and one for the rest (the listings' top pages, the
regions index's parts, coverage). Each region group has a *digest* of everything its pages show that
comes from the catalogue (the region, its parents and children, its sources, lists and items, and
the items' page addresses); a part page's digest is that of the regions of its part and of the shape
of the pages around it (:func:`page_digest`); one *global* digest covers what every page shows (the
shells' HTML — theme, nav, site address, release label — the templates, the site code, the laws and
the schemas).

mkdocs empties the output folder at the start of every build. So :func:`stash` moves the previous
build's shell-written folders aside first (a rename), and :func:`restore` puts back the groups whose
digest is unchanged and deletes the pages of the others, which are then written again. The
manifest (digests and each group's page paths) is kept next to the output folder, in
``.<name>.villagecat-build/``, never in the published site. Anything unexpected — no manifest,
another output folder — means a full build into an emptied folder; a different global digest means
every page written again, over the previous build's files (deleting them first costs minutes at
national size), and those of no page of this build removed. Release builds
(``villagecat build --all-releases``, ``publish``) are always full.

The output is the same as a full build's (tests/site/test_shell.py compares them byte for byte).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.trees import package_repo

VERSION = 2
REST = ""  # the group of pages that belong to no region and show anything of the catalogue: always rewritten
PAGE = "="  # + a page's path: the group of one page of no region that shows only some regions (Page.scope)


def is_rest(key: str) -> bool:
    """Whether a group holds pages of no region (:data:`REST`, or one scoped page)."""
    return key == REST or key.startswith(PAGE)


def cache_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.villagecat-build"


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain).encode("utf-8")


def _plain(value):
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__ if k not in ("package_node", "table", "lists")}
    return repr(value)


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else _json(part))
        h.update(b"\0")
    return h.hexdigest()


def _files_digest(folder: Path, pattern: str) -> list:
    return [(p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob(pattern)) if p.is_file()] if folder.is_dir() else []


def global_digest(site, shells: dict, templates: Path) -> str:
    """What every shell-written page shows besides its own region's data."""
    cat = site.cat
    code = package_repo() / "scripts" / "villagecat"
    return _digest(VERSION, site.release, site.base, site.versioned, site.releases,
                   {d: s.parts for d, s in sorted(shells.items())},
                   _files_digest(templates, "*.html"),
                   _files_digest(code / "site", "*.py"), _files_digest(code, "model.py"),
                   {k: v for k, v in cat.laws.items()}, cat.schemas, site.titles)


def region_digest(site, region) -> str:
    cat = site.cat
    package = {k: v for k, v in region.package.items() if k != "resources"}
    resources = [{k: v for k, v in (r if isinstance(r, dict) else {}).items() if k != "schema"}
                 for r in region.package.get("resources", []) or []]
    lineage = [(r.adcode, r.name, r.level, r.folder) for r in cat.lineage(region.adcode)]
    children = sorted((r.adcode, r.name, r.level, r.folder, bool(r.lists)) for r in cat.regions.values()
                      if r.parent == region.adcode)
    lists = [(lst.kind, lst.index, {k: v for k, v in lst.resource.items() if k != "schema"},
              [(item.row, item.values, site.item_pages[site.key(item)]) for item in lst.items])
             for lst in region.lists.values()]
    return _digest(region, package, resources, lineage, children, region.sources, lists)


def page_digest(scope: tuple, regions: dict[str, str | None]) -> str | None:
    """The digest of a page of no region that shows only some regions (:attr:`Page.scope`): what it
    shows of its listing and the digests of those regions (``regions``: code → :func:`region_digest`).
    None (always rewritten) when one of them has none."""
    shown, codes = scope
    digests = [regions.get(code) for code in codes]
    if not codes or None in digests:
        return None
    return _digest(shown, codes, digests)


@dataclass
class Plan:
    """What this build writes: ``write`` the group keys to write (the others are kept as they are)."""

    out: Path
    global_digest: str
    digests: dict[str, str]
    paths: dict[str, list[str]]
    write: set[str] = field(default_factory=set)
    kept: int = 0  # pages kept from the previous build
    merged: int = 0  # pages taken from shards
    refused: list = field(default_factory=list)  # shards built with other settings (not used)
    shard: str | None = None  # the province this build wrote (a shard), or None for the whole site


def stash(out: Path) -> bool:
    """Before mkdocs empties ``out``: move the previous build's shell-written folders into the cache."""
    cache = cache_dir(out)
    data = _manifest(out)
    if data is None or data.get("out") != str(out):
        return False
    kept = cache / "kept"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    for top in data.get("tops", []):
        source = out / top
        if "/" in top or top in ("", ".", "..") or not source.is_dir() or source.is_symlink():
            continue
        source.rename(kept / top)
    index = out / "searchindex"  # written over by the new index (textindex.write_index), not deleted
    if index.is_dir() and not index.is_symlink():
        shutil.rmtree(previous_index(out), ignore_errors=True)
        index.rename(previous_index(out))
    return True


def previous_index(out: Path) -> Path:
    """Where :func:`stash` keeps the previous build's search index for the next one to write over."""
    return cache_dir(out) / "searchindex"


def _remove_page(root: Path, path: str) -> None:
    from villagecat.site.shell import page_file

    target = page_file(root, path)
    if target.is_file():
        target.unlink()
        folder = target.parent
        while folder != root:  # its folders, while empty: rmdir refuses a folder that is not
            try:  # (asking first listed whole folders: 55 s for the 16k pages of no region at 500k items)
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def _manifest(out: Path) -> dict | None:
    try:
        data = json.loads((cache_dir(out) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None


def plan(out: Path, digest: str, groups: dict[str, tuple[str | None, list[str]]], incremental: bool,
         shards: list[Path] = ()) -> Plan:
    """Decide which groups to write (``groups``: key → (digest or None, page paths)), and put back
    the pages of the others from the cache (after mkdocs has emptied and started filling ``out``);
    then take the groups that ``shards`` (outputs of province builds) hold with the same digests."""
    cache = cache_dir(out)
    digests = {k: d for k, (d, _paths) in groups.items() if d is not None}
    p = Plan(out, digest, digests, {k: paths for k, (_d, paths) in groups.items()}, write=set(groups))
    kept = cache / "kept"
    old = _manifest(out) if incremental and kept.is_dir() else None
    if old is None:
        shutil.rmtree(kept, ignore_errors=True)
        _merge(p, shards)
        return p
    # Another global digest (a law, the settings, the site's code changed): every page is written
    # again, over the previous build's files rather than after deleting them all (≈ 540k files at
    # national size, at ≈ 1.5 ms a file here); those no page of this build has are removed.
    same = {k for k, d in digests.items() if old.get("digests", {}).get(k) == d} if old.get("global") == digest else set()
    for top in kept.iterdir():  # files right under a top folder are mkdocs' pages (regions/index.html)
        # (the entries' types from the folder listing: a stat of each of the 500k item folders
        # under items/ took 13 s of a national rebuild)
        with os.scandir(top) as entries:
            loose = [e.path for e in entries if not e.is_dir(follow_symlinks=False)]
        for path in loose:
            os.unlink(path)
    # Pages of changed or vanished groups (and the rest group) that this build does not have are
    # deleted from what is put back; the others are written over where they are (removing a file
    # costs more than overwriting it: textindex._Folder).
    now = {path for paths in p.paths.values() for path in paths}
    for key, paths in old.get("paths", {}).items():
        if key not in same:
            for path in paths:
                if path not in now:
                    _remove_page(kept, path)
    for top in sorted(kept.iterdir()):
        target = out / top.name
        if not target.exists():
            top.rename(target)
            continue
        for child in sorted(top.iterdir()):  # mkdocs wrote here too (e.g. regions/index.html): merge
            if not (target / child.name).exists():
                child.rename(target / child.name)
    shutil.rmtree(kept, ignore_errors=True)
    p.write = set(groups) - same
    p.kept = sum(len(groups[k][1]) for k in same)
    _merge(p, shards)
    return p


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and not target.is_symlink():  # a rebuild's page of a changed group
        target.unlink()
    try:
        os.link(source, target)  # same file system: no copy
    except OSError:
        shutil.copyfile(source, target)


def _merge(p: Plan, shards: list[Path]) -> None:
    """Groups still to write that a shard built with the same global and group digest are taken
    from it (hard links, or copies across file systems); the rest are written by this build."""
    for shard in shards:
        data = _manifest(shard)
        if data is None or data.get("global") != p.global_digest:
            p.refused.append(str(shard))
            continue
        theirs = data.get("digests", {})
        for key in sorted(k for k in p.write if k in p.digests and theirs.get(k) == p.digests[k]):
            from villagecat.site.shell import page_file

            sources = [(page_file(shard, path), page_file(p.out, path)) for path in p.paths[key]]
            if not all(src.is_file() and not src.is_symlink() for src, _ in sources):
                continue
            for src, dst in sources:
                _link(src, dst)
            p.write.discard(key)
            p.merged += len(sources)


def save(p: Plan) -> None:
    """After a successful build: the manifest the next build compares with."""
    cache = cache_dir(p.out)
    cache.mkdir(parents=True, exist_ok=True)
    tops = sorted({path.split("/", 1)[0] for paths in p.paths.values() for path in paths if "/" in path})
    data = {"version": VERSION, "out": str(p.out), "global": p.global_digest, "digests": p.digests,
            "paths": p.paths, "tops": tops, "shard": p.shard}
    tmp = cache / "manifest.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache / "manifest.json")


def forget(out: Path) -> None:
    """A failed or full-only build: no manifest, so the next build is full."""
    shutil.rmtree(cache_dir(out), ignore_errors=True)
