"""Build the site: generate the docs tree into a work folder, then ``mkdocs build --strict`` over it.

The docs tree is a copy of the hand-written ``docs/`` plus ``site_config/assets`` plus every
generated page, written to ``<work>/docs`` (default ``.build/docs``, never committed); mkdocs
reads it through ``docs_dir``. The catalogue can come from another folder (``--catalogue``) so
tests can build a fixture with hostile text through exactly the same path.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.model import Catalogue
from villagecat.reader import read_catalogue
from villagecat.site.pages import Site, all_pages
from villagecat.trees import project_root  # noqa: F401  (the one root finder, re-exported for callers)

DEFAULT_RELEASE = "main (未发布)"


@dataclass
class BuildResult:
    out: Path
    docs: Path
    pages: int  # generated pages
    html_files: int
    seconds: float
    generate_seconds: float
    search_seconds: float = 0.0
    search_bytes: int = 0
    warnings: list[str] = field(default_factory=list)


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


def generate_docs(root: Path, catalogue: Catalogue, docs: Path, release: str, site_url: str,
                  extra_pages: dict[str, str] | None = None) -> int:
    """Write the docs tree; returns the number of generated pages."""
    return _generate(root, catalogue, docs, release, site_url, extra_pages)[0]


def _catalogue(catalogue) -> Catalogue:
    """A :class:`Catalogue` as given, or a folder read into one (for callers holding only a path)."""
    return catalogue if isinstance(catalogue, Catalogue) else read_catalogue(str(catalogue), releases=False)


def _generate(root: Path, catalogue: Catalogue, docs: Path, release: str, site_url: str,
              extra_pages: dict[str, str] | None = None) -> tuple[int, Site]:
    """Write the docs tree; returns the number of generated pages and the :class:`Site` they show.

    ``extra_pages`` (docs path → Markdown) are pages another tool made for this build, such as a
    release's changelog; like generated pages they may not replace a hand-written one.
    """
    assets = root / "site_config" / "assets"
    check_sources(root / "docs", root)
    check_sources(assets, root)
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(root / "docs", docs)
    if assets.is_dir():
        shutil.copytree(assets, docs / "assets", dirs_exist_ok=True)
    cat = _catalogue(catalogue)
    site = Site(cat, root, release, site_url)
    files = {page.path: page.markdown() for page in all_pages(site)}
    for path, text in (extra_pages or {}).items():
        if path in files:
            raise FileExistsError(f"extra page {path} would replace a generated page")
        files[path] = text
    for path, text in files.items():
        target = docs / path
        if target.exists():
            raise FileExistsError(f"generated page {path} would overwrite a hand-written page")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(files), site


def _nav_title(path: str, markdown: str) -> str:
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
               extra_pages: dict[str, str] | None = None, extra_config: dict | None = None) -> BuildResult:
    """Generate pages and build the site into ``out`` in strict mode (a warning fails the build).

    ``catalogue`` is the :class:`Catalogue` to show, read once by the caller (a folder is read
    here; ``None`` reads the repository at ``root``).

    ``extra_pages`` (docs path → Markdown) are added to the docs tree and to the nav under
    “本版本”; ``extra_config`` overrides top-level mkdocs settings (e.g. ``extra`` for the
    version selector of a release build).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    t0 = time.perf_counter()
    root = project_root(root)
    catalogue = _catalogue(catalogue if catalogue is not None else root)
    work = Path(work).resolve() if work else root / ".build"
    docs = work / "docs"
    out = Path(out).resolve()
    docs.mkdir(parents=True, exist_ok=True)  # load_config insists that docs_dir exists
    overrides = {**(extra_config or {}), "docs_dir": str(docs), "site_dir": str(out), "strict": True}
    if site_url:
        overrides["site_url"] = site_url
    check_sources(root / "site_config", root)  # theme overrides are read where they are
    cfg = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
    if extra_pages and isinstance(cfg["nav"], list):
        cfg["nav"].append({"本版本": [{_nav_title(p, md): p} for p, md in extra_pages.items()]})
    n, site = _generate(root, catalogue, docs, release, cfg["site_url"] or "", extra_pages)
    t1 = time.perf_counter()
    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    try:
        build(cfg)
    finally:
        log.removeHandler(collect)
    t2 = time.perf_counter()
    figures = index_search(site, out)
    t3 = time.perf_counter()
    html_files = sum(1 for _ in out.rglob("*.html"))
    search_bytes = figures["bytes"]
    return BuildResult(out=out, docs=docs, pages=n, html_files=html_files, seconds=t3 - t0, generate_seconds=t1 - t0,
                       warnings=collect.messages, search_seconds=t3 - t2, search_bytes=search_bytes)


def index_search(site: Site, out: Path) -> dict:
    """Write the site's own search index (``out/searchindex/``): character n-grams of every item and law,
    sharded so that a query fetches only what it needs (:mod:`villagecat.site.textindex`).

    The index is made from the catalogue, not from the pages: page furniture (breadcrumbs, the
    changelog, the search page's help, hand-written pages) is never a hit. How the mechanism was
    chosen, with the measurements: maintainers/search.md.
    """
    from villagecat.site.textindex import write_index

    return write_index(site, out)
