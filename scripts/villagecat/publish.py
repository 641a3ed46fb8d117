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

from villagecat.api import write_api
from villagecat.model import Catalogue
from villagecat.reader import read_tree
from villagecat.release import verified_releases
from villagecat.trees import FolderTree, release_tree

MAIN = "main"
LATEST = "latest"


def downloads_page(version: str, files: list[Path], base: Path) -> str:
    """Markdown for a release's downloads page: every file with size and SHA-256."""
    import html

    rows = []
    for f in sorted(files, key=lambda p: p.relative_to(base).as_posix()):
        rel = f.relative_to(base).as_posix()
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        size = f.stat().st_size
        rows.append(f'<tr><td><a href="../downloads/{html.escape(rel)}">{html.escape(rel)}</a></td>'
                    f'<td style="text-align:right">{size:,}</td><td><code>{digest}</code></td></tr>')
    return "\n".join([
        f"# 下载 · {html.escape(version)}", "",
        f"本页列出 {html.escape(version)} 版的全部数据文件，字节可复现：用同一版本重新生成，SHA-256 完全相同。"
        "格式说明见[下载说明](../downloads/)。/ Every data file of this release, with sizes and SHA-256 checksums; "
        "rebuilding the release yields identical bytes.", "",
        '<div class="vc-table-wrap" markdown="0"><table><thead><tr><th scope="col">文件 / file</th>'
        '<th scope="col">字节 / bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>',
        *rows, "</tbody></table></div>", "",
        "校验 / verify: `sha256sum -c SHA256SUMS`", ""])


def changelog_page(version: str, previous: str | None, diff_markdown: str, summary: str) -> str:
    """The release's changelog page. The summary comes from releases.yaml (a pull request can edit it),
    so it is escaped for HTML and Markdown alike: no link, image or markup in it ever renders."""
    import html

    from villagecat.diff_format import md

    head = f"# 变更记录 · {html.escape(version)}\n\n"
    intro = (f"与上一版 {html.escape(previous)} 相比的逐条变化。/ Item-by-item changes since {html.escape(previous)}.\n\n"
             if previous else "首个发布版本：以下为全部收录内容。/ First release: everything below is new.\n\n")
    return head + (f"> {md(summary)}\n\n" if summary else "") + intro + diff_markdown + "\n"


def publish(repo: str | Path = ".", out: str | Path = "site", base_url: str = "https://villagecat.example",
            include_main: bool = True) -> dict:
    """Build every release, the ``latest`` alias and the working tree (``main``) into ``out``."""
    from villagecat.diff import diff_catalogues
    from villagecat.diff_format import render_markdown
    from villagecat.exports import export_recorded
    from villagecat.progress import Progress
    from villagecat.site.build import build_site

    repo = Path(repo).resolve()
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
                "changelog.md": changelog_page(v, previous_version, diff_md, str(rel.get("summary") or "")),
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
    (out / "index.html").write_text(
        f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>村级组织工作事务开放目录</title>'
        f'<meta http-equiv="refresh" content="0; url={target}"><link rel="canonical" href="{base_url}/{target}">'
        f'<p><a href="{target}">前往最新版本 / go to the latest release</a></p></html>\n', encoding="utf-8")
    return {"versions": versions, "out": str(out)}
