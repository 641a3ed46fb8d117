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

from villagecat.site import incremental, shell
from villagecat.site.pages import Page, Site, item_pages, listing_pages, region_page_paths, region_pages, slug

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
    jobs: int = 1  # processes writing the pages outside mkdocs' loop (villagecat.site.shell)
    shell_depths: dict[str, int] = field(default_factory=dict)  # shell docs path → depth
    shells: dict = field(default_factory=dict)  # depth → shell.Shell
    groups: list = field(default_factory=list)  # (key, weight, make) of the pages written from shells
    shell_paths: list = field(default_factory=list)  # their docs paths
    incremental: bool = False  # rewrite only the groups that changed since the last build into the same folder
    group_info: dict = field(default_factory=dict)  # group key → (digest, page paths)
    plan: object = None  # incremental.Plan
    kept: int = 0  # pages kept from the previous build
    config_out: Path | None = None
    shard: str | None = None  # build only the regions whose code starts with this (a province: "44")
    merge: list = field(default_factory=list)  # shard outputs whose pages this build takes where digests match
    merged: int = 0
    refused: list = field(default_factory=list)
    writers: object = None
    own: list = field(default_factory=list)  # the groups this process writes itself, while the writers go on
    written: int = 0
    wait_seconds: float = 0.0
    mkdocs_html: int = 0  # pages mkdocs wrote (the shells not counted)


_ACTIVE: list = []  # the builds under way in this process (to stop their writers if mkdocs fails)


def prepare(config, build: SiteBuild) -> None:
    config[KEY] = build
    _ACTIVE[:] = [build]


def _build_of(config) -> SiteBuild:
    build = config.get(KEY) if hasattr(config, "get") else None
    if build is None:  # plain mkdocs in the repository: the working tree, as `villagecat build` makes it
        from villagecat.reader import read_catalogue

        root = Path(config.config_file_path).resolve().parent
        site = Site(read_catalogue(str(root)), root, DEFAULT_RELEASE, config.site_url or "")
        build = SiteBuild(site, root)
        prepare(config, build)
    return build


def _nav_paths(nav) -> set[str]:
    """Every docs path the configured nav names."""
    found: set[str] = set()
    stack = [nav or []]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _region_of(path: str) -> str | None:
    """The region folder a generated page belongs to (``regions/<code>/…``), or None."""
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "regions" else None


def _normal(path: str) -> bool:
    """Whether ``path`` is already as mkdocs writes a file's ``src_uri`` (``PurePath(path).as_posix()``)."""
    return bool(path) and path[-1] != "/" and "//" not in path and "/./" not in f"/{path}/"


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
    site = build.site
    listing = listing_pages(site)
    in_nav = _nav_paths(config["nav"])
    # Pages in the nav (the overviews) go through mkdocs; every other generated page is written
    # from a shell (villagecat.site.shell): regions, lists, items, laws, comparisons.
    generated = {page.path: page for page in listing if page.path in in_nav}
    outside = [page for page in listing if page.path not in in_nav]
    paths = set(generated)
    catalogued = site.cat.catalogued_regions()
    for path in [page.path for page in outside] + [p for r in catalogued for p in region_page_paths(r)]:
        if path in paths:
            raise FileExistsError(f"generated page {path} twice")
        paths.add(path)
    for item_path in site.item_pages.values():
        if item_path in paths:
            raise FileExistsError(f"item page {item_path} would replace another generated page")
        paths.add(item_path)
    for path in build.extra_pages:
        if path in paths:
            raise FileExistsError(f"extra page {path} would replace a generated page")
    taken = files.src_uris  # (get_file_from_path makes a PurePath of each: 2.5 s for a national site's pages)
    for path in paths:
        if path in taken if _normal(path) else files.get_file_from_path(path):
            raise FileExistsError(f"generated page {path} would overwrite a hand-written page")
        if shell.is_shell(path):
            raise FileExistsError(f"generated page {path} would take a shell page's place")
    depths = sorted({shell.depth_of(p) for p in paths if p not in generated} | ({2} if site.item_pages else set()))
    shells = [shell.shell_path(d) for d in depths]
    for path in shells:
        generated[path] = Page(path, shell.TITLE, "")
    for path, page in generated.items():
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
    build.shell_depths = {path: d for path, d in zip(shells, depths)}
    build.shells = {}
    by_region: dict[str, list[Page]] = {}
    rest: list[Page] = []
    for page in outside:
        key = _region_of(page.path)
        (by_region.setdefault(key, []) if key else rest).append(page)
    regions = {slug(r.adcode): r for r in catalogued}
    groups = []
    build.group_info = {}
    digests = build.incremental or build.shard is not None or bool(build.merge)
    region_digests: dict[str, str | None] = {}
    for key, region in regions.items():
        own = by_region.pop(key, [])
        if build.shard is not None and not region.adcode.startswith(build.shard):
            continue
        weight = 1 + len(own) + sum(1 + len(lst.items) for lst in region.lists.values())
        groups.append((key, weight, _group(site, own, region)))
        region_digests[region.adcode] = incremental.region_digest(site, region) if digests else None
        build.group_info[key] = (region_digests[region.adcode],
                                 [p.path for p in own] + region_page_paths(region)
                                 + [site.item_pages[site.key(i)] for l in region.lists.values() for i in l.items])
    rest += [p for ps in by_region.values() for p in ps]
    if rest and build.shard is None:
        # A part page of a split listing that shows only its part's regions is a group of its own
        # (a rebuild after one county changed rewrites the parts that hold it); the others, one group.
        whole = []
        for page in rest:
            digest = incremental.page_digest(page.scope, region_digests) if digests and page.scope else None
            if digest is None:
                whole.append(page)
                continue
            groups.append((incremental.PAGE + page.path, 1, _group(site, [page], None)))
            build.group_info[incremental.PAGE + page.path] = (digest, [page.path])
        if whole:
            groups.append((incremental.REST, len(whole), _group(site, whole, None)))
            build.group_info[incremental.REST] = (None, [p.path for p in whole])
    build.groups = groups
    # Regions' pages, then the others in listing order, however they are grouped (the sitemap's order).
    build.shell_paths = [path for key, (_d, paths) in build.group_info.items() if not incremental.is_rest(key)
                         for path in paths] + ([p.path for p in rest] if build.shard is None else [])
    build.count = (len(generated) - len(shells) + len(build.shell_paths)
                   + sum(1 for e in build.extra_pages.values() if not isinstance(e, Page)))
    # Shells first: the writers start as soon as mkdocs has rendered them.
    first = [f for f in files if f.src_uri in build.shell_depths]
    return Files(first + [f for f in files if f.src_uri not in build.shell_depths])


def _group(site: Site, pages: list[Page], region):
    def make():
        yield from pages
        if region is not None:
            yield from region_pages(site, region)
            yield from item_pages(site, [region])
    return make


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri in _build_of(config).pages:
        return ""  # the body comes after Markdown: nothing of a generated page is parsed as Markdown
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Generated pages get their rendered body. Hand-written Markdown tables come out with bare
    ``<th>`` cells; every header of a Markdown table is a column header, so ``scope="col"`` is
    added where no scope is given."""
    build = _build_of(config)
    if page.file.src_uri in build.shell_depths:
        return shell.BODY
    generated = build.pages.get(page.file.src_uri)
    if generated is not None:
        return generated.render(build.root / "site_config" / "templates")
    html = _BARE_TH.sub('<th scope="col"', html)
    if page.file.src_uri == "downloads.md":  # the formats explained by hand, then this release's files
        from villagecat.site.render import render

        html += render("publish/downloads-files.html", {"downloads": build.downloads, "versioned": build.site.versioned},
                       build.root / "site_config" / "templates")
    return html


def on_post_page(output: str, page, config) -> str:
    """A shell's output is cut at its placeholders; once every shell is known, the writers start."""
    build = _build_of(config)
    depth = build.shell_depths.get(page.file.src_uri)
    if depth is None:
        build.mkdocs_html += 1
    else:
        build.shells[depth] = shell.Shell.parse(output, depth)
        if len(build.shells) == len(build.shell_depths):
            out, templates = Path(config.site_dir), build.root / "site_config" / "templates"
            build.plan = incremental.plan(out, incremental.global_digest(build.site, build.shells, templates),
                                          build.group_info, build.incremental, [Path(m) for m in build.merge])
            build.plan.shard = build.shard
            write = [g for g in build.groups if g[0] in build.plan.write]
            build.own = _kept_here(write, build.jobs)
            build.writers = shell.Writers(out, build.shells, templates, [g for g in write if g not in build.own],
                                          build.jobs)
            build.writers.start()
    return output


def _kept_here(write: list, jobs: int) -> list:
    """The groups this process writes itself while forked writers write the others.

    The pages of no region (laws, comparisons …) read every item, and so does the search index,
    which this process makes: every process that reads an item copies the memory pages it lies on
    (reference counts), so both in one process keeps the catalogue from being copied a third time
    (at national size: 3.3 GiB for the build's processes together instead of 6.6). That holds
    while the writers have the regions' pages to write; when they have less (a rebuild after one
    county changed), the pages of no region go to a writer, to be written alongside the index."""
    rest = [g for g in write if incremental.is_rest(g[0])]
    if jobs <= 1 or not rest:
        return []
    regions = sum(g[1] for g in write if not incremental.is_rest(g[0]))
    return rest if regions >= sum(g[1] for g in rest) else []


def on_pre_build(config) -> None:
    """Before mkdocs empties the output folder: keep the previous build's pages aside (a rebuild
    rewrites only what changed: villagecat.site.incremental), or forget them for a full build."""
    build = _build_of(config)
    out = Path(config.site_dir)
    build.config_out = out
    if not (build.incremental and incremental.stash(out)):
        incremental.forget(out)


def on_build_error(error) -> None:
    for build in list(_ACTIVE):
        _stop(build)
        if build.config_out is not None:
            incremental.forget(build.config_out)


def on_template_context(context, template_name, config):
    """The 404 page's links are root-absolute (it answers any address): without a public address,
    mkdocs would root them at ``/``; they start at the site's permanent path (``/2026.1/``) instead."""
    from mkdocs.commands.build import get_context

    build = _build_of(config)
    path = build.site.base
    if template_name == "404.html" and not config.site_url and path.startswith("/") and path != "/":
        return get_context(context["nav"], context["pages"], config, base_url=path)
    return context


def on_env(env, config, files):
    """The theme's templates get the ``script_json`` filter (:func:`villagecat.site.html.script_json`:
    the ``__config`` block of site_config/overrides/main.html)."""
    from villagecat.site.html import script_json

    env.filters["script_json"] = script_json
    return env


def on_post_build(config) -> None:
    from villagecat.site.build import index_search

    import time

    build = _build_of(config)
    try:
        if build.own:  # while the forked writers go on (see on_post_page)
            build.written += build.writers.write(build.own)
        if build.shard is None:  # (a shard's search is the merged site's)
            out = Path(config.site_dir)
            # Two processes for the index when the writers have little to do (this process kept
            # no pages for itself: a rebuild); one while they write the regions' pages.
            build.search = _timed(index_search, build.site, out, incremental.previous_index(out),
                                  1 if build.own else build.jobs)
        if build.writers is None and build.groups:
            raise RuntimeError("shell pages were not rendered: the generated pages cannot be written")
        if build.writers is not None:
            t1 = time.perf_counter()
            build.written += build.writers.join()
            build.wait_seconds = time.perf_counter() - t1
        from mkdocs.utils import get_build_date

        from villagecat.site import sitemap

        sitemap.rewrite(Path(config.site_dir), config.site_url or "", build.shell_paths, get_build_date())
        if build.plan is not None:
            if build.incremental or build.shard is not None:
                incremental.save(build.plan)
            build.kept, build.merged, build.refused = build.plan.kept, build.plan.merged, build.plan.refused
    finally:
        _stop(build)
        shell.remove_shells(Path(config.site_dir))


def _timed(fn, *args) -> dict:
    import time

    t0 = time.perf_counter()
    return {**fn(*args), "seconds": time.perf_counter() - t0}


def _stop(build) -> None:
    if build.writers is not None:
        build.writers.stop()
