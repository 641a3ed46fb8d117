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

from villagecat.api import write_api
from villagecat.model import Catalogue
from villagecat.reader import read_tree
from villagecat.release import verified_releases
from villagecat.site.pages import Page
from villagecat.trees import FolderTree, package_repo, project_root, release_tree

MAIN = "main"
LATEST = "latest"


def downloads_files(version: str, files: list[Path], base: Path) -> dict:
    """A release's files for its downloads page: every file with size and SHA-256 (linked there)."""
    rows = []
    for f in sorted(files, key=lambda p: p.relative_to(base).as_posix()):
        rows.append({"name": f.relative_to(base).as_posix(), "size": f"{f.stat().st_size:,}",
                     "sha256": hashlib.sha256(f.read_bytes()).hexdigest()})
    return {"version": version, "files": rows}


CHANGED_LIMIT = 200  # items listed per bucket and list on the changelog page (the rest counted)
BUCKET_NAMES = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动类别", "renumbered": "重新编号"}


def changelog_context(diff, version: str, previous: str | None, summary: str, new: Catalogue,
                      old: Catalogue | None = None) -> dict:
    """What the changelog page shows, for the public: per region and list, the items added, removed,
    changed, moved or renumbered, each id a link to its item page (a removed item: its page in the
    previous release), changed fields by their Chinese names. Maintainers' notes are not shown."""
    from villagecat.site import facts
    from villagecat.site.pages import Link, Site, chinese_part, item_path, slug, url_of
    from villagecat.site.html import rel

    here = "changelog/"
    titles = {}
    for d in (Site(new, ".", version, "").field_titles, Site(old, ".", version, "").field_titles if old else {}):
        for fields in d.values():
            titles.update({k: v for k, v in fields.items() if v})
    shown_fields = ("text", "category", "seq", "legal_basis", "legal_basis_text")
    new_ids = {i.id for i in new.items()}

    def link(item_id: str) -> Link:
        if item_id in new_ids:
            return Link(rel(here, url_of(item_path(item_id))), item_id)
        return Link(f"../../{previous}/items/{slug(item_id)}/", item_id) if previous else Link("#", item_id)

    regions = []
    for r in diff.changed_regions():
        lists = []
        for lst in r.lists:
            if not lst.has_changes():
                continue
            buckets = []
            for b in ("added", "removed", "changed", "moved", "renumbered"):
                recs = getattr(lst, b)
                if not recs:
                    continue
                rows = []
                for rec in recs[:CHANGED_LIMIT]:
                    if b in ("added", "removed"):
                        rows.append({"link": link(rec.id), "text": rec.values.get("text", ""), "changes": []})
                        continue
                    changes = [{"field": titles.get(k, k), "old": a, "new": v} for k, (a, v) in rec.changes.items()
                               if k in shown_fields]
                    others = [titles.get(k, "其他字段") for k in rec.changes if k not in shown_fields]
                    if others:
                        changes.append({"field": "、".join(dict.fromkeys(others)), "old": None, "new": None})
                    rows.append({"link": link(rec.id), "text": rec.text, "changes": changes})
                buckets.append({"name": BUCKET_NAMES[b], "rows": rows, "more": max(0, len(recs) - CHANGED_LIMIT)})
            lists.append({"kind": facts.kind_name(lst.kind), "title": lst.title_new or lst.title_old or "",
                          "old": lst.count_old, "new": lst.count_new, "buckets": buckets})
        regions.append({"name": f"{r.name}", "lists": lists})
    totals = diff.totals()
    return {"version": version, "previous": previous, "summary": chinese_part(summary),
            "totals": [(BUCKET_NAMES[b], totals[b]) for b in ("added", "removed", "changed", "moved", "renumbered")],
            "regions": regions, "metadata": len(diff.metadata)}


def changelog_page(diff, version: str, previous: str | None, summary: str, new: Catalogue,
                   old: Catalogue | None = None) -> Page:
    """The release's changelog page, rendered from ``publish/changelog.html`` (autoescape: the
    summary from releases.yaml and every value from the data are text, never markup)."""
    return Page("changelog.md", f"变更记录 · {version}", "publish/changelog.html",
                changelog_context(diff, version, previous, summary, new, old))


def _templates(root: Path | None = None) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str((root or package_repo()) / "site_config" / "templates")),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def redirect_page(target: str, base_url: str, root: Path | None = None) -> str:
    """The top-level ``index.html``: straight on to ``target`` (``latest/`` or ``main/``)."""
    return _templates(root).get_template("publish/redirect.html").render(target=target, base_url=base_url)


def _release_epoch(date: str) -> str:
    """SOURCE_DATE_EPOCH for a release: midnight UTC of its date, so that the dates mkdocs writes
    (sitemap, its gzip header) are the release's, not the build's."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(str(date))
    except ValueError:
        day = dt.date(2000, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()))


def _copy_404(site: Path, out: Path) -> None:
    """The server's own 404 page at the top: the newest release's (its links are root-absolute)."""
    if (site / "404.html").is_file():
        shutil.copy(site / "404.html", out / "404.html")


def publish(repo: str | Path = ".", out: str | Path = "site", base_url: str | None = None,
            include_main: bool = True) -> dict:
    """Build every release, the ``latest`` alias and the working tree (``main``) into ``out``.

    ``base_url`` is the public address (default: ``site_url`` of mkdocs.yml, i.e. ``SITE_URL``);
    without one, pages carry no canonical link and citations carry the permanent path
    (``/2026.1/items/…/``). A release's pages are byte-identical whoever builds them, wherever and
    whenever: no build folder, date or later release appears in them.
    """
    import os

    from villagecat.diff import diff_catalogues
    from villagecat.exports import export_recorded
    from villagecat.progress import Progress
    from villagecat.site.build import build_site, public_url

    repo = Path(repo).resolve()
    tools = project_root(repo)  # where the templates are: this repository, or the installed tools' own
    out = Path(out).resolve()
    main = read_tree(FolderTree(repo))  # the working tree, read once: its records, its pages, its API
    releases = verified_releases(main)  # verified records (ReleaseError otherwise), before anything is written
    base_url = (public_url(repo) if base_url is None else base_url).rstrip("/")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    versions = []
    public = [{k: r.get(k) for k in ("version", "date", "summary")} for r in releases]
    version_extra = {"version": {"provider": "mike", "default": LATEST}}
    previous_cat, previous_version = None, None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    with tempfile.TemporaryDirectory() as tmp, Progress("建站 / building", len(releases) + include_main) as progress:
        tmp = Path(tmp)
        try:
            for n, rel in enumerate(releases):
                v = str(rel["version"])
                progress.step(v)
                os.environ["SOURCE_DATE_EPOCH"] = _release_epoch(rel.get("date"))
                tree = release_tree(repo, rel)
                cat = read_tree(tree, releases=False)  # one read of the release's commit: data and schemas
                tree.close()
                dl = tmp / f"dl-{v}"
                files = export_recorded(cat, rel, dl)
                # The first release is compared with an empty catalogue: everything it holds is new.
                diff = diff_catalogues(previous_cat or Catalogue(label="（空）"), cat)
                pages = {"changelog.md": changelog_page(diff, v, previous_version, str(rel.get("summary") or ""),
                                                        cat, previous_cat)}
                build_site(out=out / v, catalogue=cat, site_url=f"{base_url}/{v}/" if base_url else None, release=v,
                           root=repo, extra_pages=pages, extra_config={"extra": version_extra}, path=f"/{v}/",
                           releases=public[:n + 1], versioned=True, downloads=downloads_files(v, files, dl))
                shutil.copytree(dl, out / v / "downloads", dirs_exist_ok=True)
                write_api(cat, out / v, release=v, releases=public[:n + 1])
                versions.insert(0, {"version": v, "title": v, "aliases": []})
                previous_cat, previous_version = cat, v
        finally:
            if epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = epoch
        if versions:
            versions[0]["aliases"] = [LATEST]
            shutil.copytree(out / versions[0]["version"], out / LATEST)
            _copy_404(out / versions[0]["version"], out)
        if include_main:
            progress.step(MAIN)
            build_site(out=out / MAIN, catalogue=main, site_url=f"{base_url}/{MAIN}/" if base_url else None,
                       release="main（未发布）", root=repo, extra_config={"extra": version_extra}, path=f"/{MAIN}/",
                       releases=public, versioned=True)
            write_api(main, out / MAIN, release=MAIN, releases=public)
            versions.append({"version": MAIN, "title": "main（未发布）", "aliases": []})
            if not versions[0]["aliases"]:
                _copy_404(out / MAIN, out)
    (out / "versions.json").write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    target = f"{LATEST}/" if releases else f"{MAIN}/"
    (out / "index.html").write_text(redirect_page(target, base_url, tools), encoding="utf-8")
    return {"versions": versions, "out": str(out), "public_url": base_url}
