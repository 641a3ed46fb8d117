"""The site across releases, in mike's layout: ``/<version>/`` per release, ``/latest/``, ``/main/``.

Each release is built from its recorded commit, read once from git objects (never checked out) into
one :class:`~villagecat.model.Catalogue`: the ``catalogues/`` tree its entry in ``releases.yaml``
records and that commit's ``schemas/`` (every record verified first, when the working tree is
read). Its pages, downloads, API and the next release's changelog all use that one catalogue; the
working tree (``main``) is read once too. Each release has its own ``site_url`` so that
canonical links and citations carry the release's address, never ``latest``. Next to each
release's pages: its downloads (``downloads/``), its static API (``api/v1/``), its changelog
page and its downloads page. ``versions.json`` at the top feeds the theme's version selector, and
the theme shows its "outdated" banner on every release but the newest.

    villagecat build --all-releases          # → site/versions.json, site/2026.1/, site/latest/, site/main/
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import jinja2
from markupsafe import Markup

from villagecat.api import write_api
from villagecat.model import Catalogue
from villagecat.reader import read_tree
from villagecat.release import verified_releases
from villagecat.site.pages import Page
from villagecat.trees import FolderTree, package_repo, project_root, release_tree

MAIN = "main"
LATEST = "latest"


def downloads_page(version: str, files: list[Path], base: Path) -> Page:
    """A release's downloads page (``downloads-files.md``): every file with size and SHA-256."""
    rows = []
    for f in sorted(files, key=lambda p: p.relative_to(base).as_posix()):
        rows.append({"name": f.relative_to(base).as_posix(), "size": f"{f.stat().st_size:,}",
                     "sha256": hashlib.sha256(f.read_bytes()).hexdigest()})
    return Page("downloads-files.md", f"下载 · {version}", "publish/downloads-files.html",
                {"version": version, "files": rows})


def _markdown_text(text: str) -> Markup:
    """A Markup helper: ``text`` escaped for HTML and Markdown alike (:func:`villagecat.diff_format.md`),
    so that autoescape leaves it as it is. No link, image or markup in it ever renders."""
    from villagecat.diff_format import md

    return Markup(md(text))


def _templates(root: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str((root or package_repo()) / "site_config" / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = _markdown_text
    return env


def changelog_page(version: str, previous: str | None, diff_markdown: str, summary: str, root: Path | None = None) -> str:
    """The release's changelog page (Markdown). The summary comes from releases.yaml (a pull request
    can edit it), so it is escaped for HTML and Markdown alike; ``diff_markdown`` is what
    :func:`villagecat.diff_format.render_markdown` wrote, every value in it escaped there."""
    return _templates(root).get_template("publish/changelog.md").render(
        version=version, previous=previous, summary=summary, diff=Markup(diff_markdown))


def redirect_page(target: str, base_url: str, root: Path | None = None) -> str:
    """The top-level ``index.html``: straight on to ``target`` (``latest/`` or ``main/``)."""
    return _templates(root).get_template("publish/redirect.html").render(target=target, base_url=base_url)


def publish(repo: str | Path = ".", out: str | Path = "site", base_url: str = "https://villagecat.example",
            include_main: bool = True) -> dict:
    """Build every release, the ``latest`` alias and the working tree (``main``) into ``out``."""
    from villagecat.diff import diff_catalogues
    from villagecat.diff_format import render_markdown
    from villagecat.exports import export_recorded
    from villagecat.progress import Progress
    from villagecat.site.build import build_site

    repo = Path(repo).resolve()
    tools = project_root(repo)  # where the templates are: this repository, or the installed tools' own
    out = Path(out).resolve()
    main = read_tree(FolderTree(repo))  # the working tree, read once: its records, its pages, its API
    releases = verified_releases(main)  # verified records (ReleaseError otherwise), before anything is written
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    base_url = base_url.rstrip("/")
    versions = []
    public = [{k: r.get(k) for k in ("version", "date", "summary")} for r in releases]
    version_extra = {"version": {"provider": "mike", "default": LATEST}}
    previous_cat, previous_version = None, None
    with tempfile.TemporaryDirectory() as tmp, Progress("建站 / building", len(releases) + include_main) as progress:
        tmp = Path(tmp)
        for rel in releases:
            v = str(rel["version"])
            progress.step(v)
            tree = release_tree(repo, rel)
            cat = read_tree(tree, releases=False)  # one read of the release's commit: data and schemas
            tree.close()
            dl = tmp / f"dl-{v}"
            files = export_recorded(cat, rel, dl)
            # The first release is compared with an empty catalogue: everything it holds is new.
            diff_md = render_markdown(diff_catalogues(previous_cat or Catalogue(label="（空）"), cat))
            pages = {
                "changelog.md": changelog_page(v, previous_version, diff_md, str(rel.get("summary") or ""), tools),
                "downloads-files.md": downloads_page(v, files, dl),
            }
            build_site(out=out / v, catalogue=cat, site_url=f"{base_url}/{v}/", release=v, work=tmp / f"work-{v}",
                       root=repo, extra_pages=pages, extra_config={"extra": version_extra})
            shutil.copytree(dl, out / v / "downloads", dirs_exist_ok=True)
            write_api(cat, out / v, release=v, releases=public)
            versions.insert(0, {"version": v, "title": v, "aliases": []})
            previous_cat, previous_version = cat, v
        if versions:
            versions[0]["aliases"] = [LATEST]
            shutil.copytree(out / versions[0]["version"], out / LATEST)
        if include_main:
            progress.step(MAIN)
            build_site(out=out / MAIN, catalogue=main, site_url=f"{base_url}/{MAIN}/", release="main（未发布）",
                       work=tmp / "work-main", root=repo, extra_config={"extra": version_extra})
            write_api(main, out / MAIN, release=MAIN, releases=public)
            versions.append({"version": MAIN, "title": "main（未发布 / unreleased）", "aliases": []})
    (out / "versions.json").write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    target = f"{LATEST}/" if releases else f"{MAIN}/"
    (out / "index.html").write_text(redirect_page(target, base_url, tools), encoding="utf-8")
    return {"versions": versions, "out": str(out)}
