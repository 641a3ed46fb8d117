"""The site's pages inside mkdocs: the event handlers ``site_config/hooks.py`` hands on to.

``on_files`` adds every generated page as an in-memory file (front matter with its title, no
body) and the site's assets; ``on_page_markdown`` gives Markdown nothing to parse for them;
``on_page_content`` puts in the body rendered from its template; ``on_post_build`` writes the
search index. Generated pages never pass through Markdown, never touch the disk as sources and
stay out of the nav. Why a plugin and not a generation step: maintainers/site-build.md.

What to build comes from :func:`prepare` (``villagecat build``, ``publish``, ``serve``); plain
``mkdocs build`` or ``mkdocs serve`` in the repository builds its own catalogue as ``main``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from villagecat.site.pages import Page, Site, all_pages

KEY = "villagecat"  # where prepare() leaves the build's values in the mkdocs config
DEFAULT_RELEASE = "main (未发布)"
_BARE_TH = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


@dataclass
class SiteBuild:
    """One build's values: the :class:`Site` its pages show, the project root (templates, assets,
    hand-written docs) and pages another tool made for this build (``path`` → Markdown or Page)."""

    site: Site
    root: Path
    extra_pages: dict[str, str | Page] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)  # generated, by docs path
    count: int = 0
    search: dict = field(default_factory=dict)
    downloads: dict | None = None  # a release's files: {"version", "files": [{"name", "size", "sha256"}]}


def prepare(config, build: SiteBuild) -> None:
    config[KEY] = build


def _build_of(config) -> SiteBuild:
    build = config.get(KEY) if hasattr(config, "get") else None
    if build is None:  # plain mkdocs in the repository: the working tree, as `villagecat build` makes it
        from villagecat.reader import read_catalogue

        root = Path(config.config_file_path).resolve().parent
        site = Site(read_catalogue(str(root)), root, DEFAULT_RELEASE, config.site_url or "")
        build = SiteBuild(site, root)
        prepare(config, build)
    return build


def on_files(files: Files, config) -> Files:
    from villagecat.site.build import check_sources

    build = _build_of(config)
    root = build.root
    check_sources(Path(config.docs_dir), root)
    assets = root / "site_config" / "assets"
    check_sources(assets, root)
    if assets.is_dir():
        for path in sorted(p for p in assets.rglob("*") if p.is_file()):
            uri = "assets/" + path.relative_to(assets).as_posix()
            if files.get_file_from_path(uri):
                raise FileExistsError(f"asset {uri} would replace a hand-written file")
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    generated = {page.path: page for page in all_pages(build.site)}
    for path, extra in build.extra_pages.items():
        if path in generated:
            raise FileExistsError(f"extra page {path} would replace a generated page")
    for path, page in generated.items():
        if files.get_file_from_path(path):
            raise FileExistsError(f"generated page {path} would overwrite a hand-written page")
        files.append(File.generated(config, path, content=page.markdown(), inclusion=InclusionLevel.NOT_IN_NAV))
    for path, extra in build.extra_pages.items():
        if files.get_file_from_path(path):
            raise FileExistsError(f"extra page {path} would overwrite a hand-written page")
        if isinstance(extra, Page):
            generated[path] = extra
            files.append(File.generated(config, path, content=extra.markdown()))
        else:
            files.append(File.generated(config, path, content=extra))
    build.pages = generated
    build.count = len(generated) + sum(1 for e in build.extra_pages.values() if not isinstance(e, Page))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri in _build_of(config).pages:
        return ""  # the body comes after Markdown: nothing of a generated page is parsed as Markdown
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Generated pages get their rendered body. Hand-written Markdown tables come out with bare
    ``<th>`` cells; every header of a Markdown table is a column header, so ``scope="col"`` is
    added where no scope is given."""
    build = _build_of(config)
    generated = build.pages.get(page.file.src_uri)
    if generated is not None:
        return generated.render(build.root / "site_config" / "templates")
    html = _BARE_TH.sub('<th scope="col"', html)
    if page.file.src_uri == "downloads.md":  # the formats explained by hand, then this release's files
        from villagecat.site.render import render

        html += render("publish/downloads-files.html", {"downloads": build.downloads, "versioned": build.site.versioned},
                       build.root / "site_config" / "templates")
    return html


def on_template_context(context, template_name, config):
    """The 404 page's links are root-absolute (it answers any address): without a public address,
    mkdocs would root them at ``/``; they start at the site's permanent path (``/2026.1/``) instead."""
    from mkdocs.commands.build import get_context

    build = _build_of(config)
    path = build.site.base
    if template_name == "404.html" and not config.site_url and path.startswith("/") and path != "/":
        return get_context(context["nav"], context["pages"], config, base_url=path)
    return context


def on_post_build(config) -> None:
    from villagecat.site.build import index_search

    import time

    build = _build_of(config)
    t0 = time.perf_counter()
    build.search = {**index_search(build.site, Path(config.site_dir)), "seconds": time.perf_counter() - t0}
