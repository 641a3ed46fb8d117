"""Build the site: ``mkdocs build --strict`` over ``docs/``, with the generated pages added inside
mkdocs by :mod:`villagecat.site.plugin` (registered in mkdocs.yml through ``site_config/hooks.py``).

Nothing is generated onto the disk: the pages exist only as mkdocs files in memory, their bodies
rendered from the templates in ``site_config/templates``. The catalogue can come from another
folder (``--catalogue``) so tests can build a fixture with hostile text through exactly the same
path. Why inside mkdocs and not a generation step before it: maintainers/site-build.md.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.model import Catalogue
from villagecat.reader import read_catalogue
from villagecat.site.pages import Page, Site
from villagecat.parallel import default_jobs
from villagecat.site.plugin import DEFAULT_RELEASE, SiteBuild, prepare
from villagecat.trees import project_root  # noqa: F401  (the one root finder, re-exported for callers)


@dataclass
class BuildResult:
    out: Path
    pages: int  # generated pages
    html_files: int
    seconds: float
    generate_seconds: float
    search_seconds: float = 0.0
    search_bytes: int = 0
    search_files: int = 0  # files of the search index
    search_unchanged: int = 0  # of which already held the same bytes (a rebuild's): left as they were
    warnings: list[str] = field(default_factory=list)
    site_url: str = ""  # the public address used ("" when none is configured)
    kept: int = 0  # pages kept from the previous build into the same folder (incremental)
    written: int = 0  # pages written from shells by this build
    merged: int = 0  # pages taken from province shards (--merge)
    refused: list[str] = field(default_factory=list)  # shards built with other settings, not used


NO_PUBLIC_URL = ("提示：没有配置公开网址（mkdocs.yml 的 site_url、环境变量 SITE_URL 或 --site-url），"
                 "引用和永久链接只写路径（如 /2026.1/items/…/），不写主机名。"
                 " / note: no public address is configured (site_url in mkdocs.yml, SITE_URL, or --site-url);"
                 " citations carry the permanent path without a host.")


def public_url(root: str | Path = ".") -> str:
    """The site's public address as configured in ``mkdocs.yml`` (``site_url``, which reads the
    ``SITE_URL`` environment variable), or ``""``: the one place it is set."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    return (load_config(config_file=str(project_root(root) / "mkdocs.yml"))["site_url"] or "").rstrip("/")


class UnsafeSource(ValueError):
    """A file of the site's sources that must not be published: a link leaving the repository, or
    something that is not a regular file (a pull request could otherwise publish /etc/passwd)."""


def check_sources(folder: Path, root: Path) -> None:
    """Refuse any symbolic link under ``folder`` that resolves outside ``root`` (or loops back to a
    folder above it), and anything that is neither a regular file, a folder nor such a link."""
    root = root.resolve()
    if not folder.exists() and not folder.is_symlink():
        return
    stack = [(folder, frozenset())]  # (path, the real folders above it on this walk)
    while stack:
        path, above = stack.pop()
        rel = path.relative_to(root) if path.is_relative_to(root) else path
        if path.is_symlink():
            target = path.resolve()
            if target != root and root not in target.parents:
                raise UnsafeSource(f"{rel} 是指向仓库之外（{os.readlink(path)}）的符号链接，不能发布 "
                                   f"/ {rel} is a symbolic link leaving the repository ({os.readlink(path)}); it is not published")
        if path.is_dir():
            real = path.resolve()
            if real in above:
                raise UnsafeSource(f"{rel} 是指向上层文件夹的符号链接（循环）/ {rel} links to a folder above it (a loop)")
            stack.extend((child, above | {real}) for child in sorted(path.iterdir()))
        elif not path.is_file():
            raise UnsafeSource(f"{rel} 不是普通文件（命名管道、设备或失效的链接），不能发布 "
                               f"/ {rel} is not a regular file (a pipe, device or broken link); it is not published")


def _catalogue(catalogue) -> Catalogue:
    """A :class:`Catalogue` as given, or a folder read into one (for callers holding only a path)."""
    return catalogue if isinstance(catalogue, Catalogue) else read_catalogue(str(catalogue), releases=False)


def _nav_title(path: str, markdown: str | Page) -> str:
    if isinstance(markdown, Page):
        return markdown.title
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(path).stem


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(out: str | Path = "site", catalogue: Catalogue | str | Path | None = None, site_url: str | None = None,
               release: str = DEFAULT_RELEASE, work: str | Path | None = None, root: str | Path = ".",
               extra_pages: dict[str, str | Page] | None = None, extra_config: dict | None = None,
               path: str = "/", releases: list[dict] | None = None, versioned: bool = False,
               downloads: dict | None = None, jobs: int | None = None, incremental: bool = False,
               shard: str | None = None, merge: list | None = None) -> BuildResult:
    """Build the site with its generated pages into ``out`` in strict mode (a warning fails the build).

    ``catalogue`` is the :class:`Catalogue` to show, read once by the caller (a folder is read
    here; ``None`` reads the repository at ``root``).

    ``extra_pages`` (docs path → Markdown, or a :class:`Page` rendered from its template) are
    added to the site and to the nav under “本版本”; ``path`` is the site's permanent path (``/2026.1/``),
    what citations carry when there is no public address (``site_url`` here, or ``site_url`` in
    mkdocs.yml, read from the ``SITE_URL`` environment variable); ``releases`` the releases the
    releases page lists (default: the catalogue's), ``versioned`` whether they live next to this
    site in mike's layout; ``downloads`` (``version``, ``files``) the files the downloads page links; ``extra_config`` overrides top-level mkdocs
    settings (e.g. ``extra`` for the version selector of a release build). ``work`` is accepted
    for older callers and unused: nothing is generated onto the disk.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    t0 = time.perf_counter()
    root = project_root(root)
    catalogue = _catalogue(catalogue if catalogue is not None else root)
    out = Path(out).resolve()
    overrides = {**(extra_config or {}), "site_dir": str(out), "strict": True}
    extra = overrides.pop("extra", None)  # added to mkdocs.yml's `extra`, not replacing it
    if site_url:
        overrides["site_url"] = site_url
    check_sources(root / "site_config", root)  # theme overrides and templates are read where they are
    check_sources(root / "docs", root)
    cfg = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
    if extra:
        cfg["extra"].update(extra)
    extra_pages = dict(extra_pages or {})
    if extra_pages and isinstance(cfg["nav"], list):
        cfg["nav"].append({"本版本": [{_nav_title(p, md): p} for p, md in extra_pages.items()]})
    site = Site(catalogue, root, release, cfg["site_url"] or "", path=path, releases=releases, versioned=versioned)
    spec = SiteBuild(site, root, extra_pages, downloads=downloads, jobs=default_jobs() if jobs is None else jobs,
                     incremental=incremental, shard=shard, merge=list(merge or []))
    prepare(cfg, spec)
    t1 = time.perf_counter()
    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        build(cfg)
    finally:
        log.removeHandler(collect)
    t2 = time.perf_counter()
    # Counted as written, not by walking the output (os.walk over a national site's 540k folders
    # took 50 s of a 190 s rebuild): mkdocs' pages, the theme's 404 page and the pages from shells.
    html_files = spec.mkdocs_html + (out / "404.html").is_file() + len(spec.shell_paths)
    return BuildResult(out=out, site_url=cfg["site_url"] or "", pages=spec.count, html_files=html_files, seconds=t2 - t0, generate_seconds=t1 - t0,
                       warnings=collect.messages, search_seconds=spec.search.get("seconds", 0.0),
                       search_bytes=spec.search.get("bytes", 0),
                       search_files=spec.search.get("files", 0), search_unchanged=spec.search.get("unchanged", 0), kept=spec.kept, written=spec.written,
                       merged=spec.merged, refused=spec.refused)


def index_search(site: Site, out: Path, previous: Path | None = None, jobs: int = 1) -> dict:
    """Write the site's own search index (``out/searchindex/``): character n-grams of every item and law,
    sharded so that a query fetches only what it needs (:mod:`villagecat.site.textindex`).

    The index is made from the catalogue, not from the pages: page furniture (breadcrumbs, the
    changelog, the search page's help, hand-written pages) is never a hit. How the mechanism was
    chosen, with the measurements: maintainers/search.md. ``previous``: an earlier index folder to
    write over (a rebuild's); ``jobs`` > 1: part of it written by a forked child.
    """
    from villagecat.site.textindex import write_index

    return write_index(site, out, previous, jobs)
