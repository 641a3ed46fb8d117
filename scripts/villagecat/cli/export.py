"""villagecat export [--ref REF] [--out DIR] [--version NAME]
villagecat export --region ADCODE --format xlsx [--ref REF] [--out FILE]   (a sheet to edit and import back)"""

import sys

from villagecat.cli import UsageError, repo_root

HELP = "生成下载文件（CSV、JSON、XLSX、SQLite、数据包、校验和）/ build the downloads of a release or ref"


def register(p):
    p.add_argument("--ref", help="发布版本（如 2026.1 或 v2026.1）或任意 git 引用；默认最新发布，没有发布时为 HEAD "
                                 "/ a release (2026.1, v2026.1) or any git ref; default: the latest release, else HEAD")
    p.add_argument("--out", help="输出目录（默认 dist/<版本>）/ output folder (default dist/<version>)")
    p.add_argument("--version", dest="name", help="非发布引用的版本名 / version name for a ref that is not a release")
    p.add_argument("--repo", default=".", help="仓库目录 / repository folder")
    p.add_argument("--region", help="只导出这个地区的清单，供编辑后用 villagecat import 导回（默认读工作区）"
                                    "/ only this region's lists, as a sheet to edit and import back (default: the working tree)")
    p.add_argument("--format", choices=["xlsx"], help="与 --region 一起用：xlsx（每份清单一张表）/ with --region: xlsx, one sheet per list")


def run(args) -> int:
    from villagecat.exports import ExportRefused
    from villagecat.progress import Progress
    from villagecat.reader import read_releases
    from villagecat.release import ReleaseError, find_release, verified_releases
    from villagecat.trees import FolderTree

    root = repo_root(args.repo)
    if args.region or args.format:
        return _region_sheet(args, root)
    try:
        releases = verified_releases(read_releases(FolderTree(root)))
    except ReleaseError as exc:
        raise UsageError(str(exc))
    rel = None
    if args.ref is None and releases:
        rel = releases[-1]
    elif args.ref is not None:
        try:
            rel = find_release(releases, args.ref)
        except ReleaseError:
            rel = None  # not a version: a git ref
    try:
        with Progress("导出 / exporting") as progress:  # on a terminal's stderr, after a second
            progress.step(f"v{rel['version']}" if rel is not None else (args.ref or "HEAD"))
            written = _export(args, root, rel)
    except LookupError as exc:
        what = args.ref or (f"v{rel['version']}" if rel is not None else "HEAD")
        raise UsageError(f"无法读取 {what}：{exc} / cannot read {what}")
    except ExportRefused as exc:
        print(f"拒绝导出 / export refused: {exc}\n请先运行 villagecat validate 修正。/ Run villagecat validate and fix it first.",
              file=sys.stderr)
        return 1
    for p in written:
        print(f"{p.stat().st_size:>10}  {p}")
    return 0


def _export(args, root, rel):
    """A release (read from its recorded commit) or any git ref, into ``--out``."""
    import re
    from pathlib import Path

    from villagecat.exports import export_recorded, export_ref
    from villagecat.reader import read_tree
    from villagecat.trees import release_tree

    if rel is not None:
        out = Path(args.out or root / "dist" / str(rel["version"]))
        return export_recorded(read_tree(release_tree(root, rel), releases=False), rel, out)
    ref = args.ref or "HEAD"
    name = re.sub(r"[^0-9A-Za-z._-]", "-", args.name or ref)
    out = Path(args.out or root / "dist" / name)
    return export_ref(root, ref, out, version=name)


def _region_sheet(args, root) -> int:
    from pathlib import Path

    from villagecat.importer import ImportRefused, export_region_xlsx
    from villagecat.reader import read_catalogue

    if not (args.region and args.format):
        raise UsageError("--region 和 --format xlsx 要一起用 / --region and --format xlsx go together")
    cat = read_catalogue(args.ref or str(root), str(root), releases=False)
    region = cat.regions.get(args.region)
    if region is None or not region.folder:
        raise UsageError(f"没有地区 {args.region} 的目录 / no catalogue folder for region {args.region}")
    try:
        data = export_region_xlsx(cat, root, args.region)
    except ImportRefused as exc:
        raise UsageError(str(exc))
    out = Path(args.out or f"{region.folder}.xlsx")
    out.write_bytes(data)
    print(f"{len(data):>10}  {out}")
    print(f"编辑后导回 / edit it, then import each sheet back: villagecat import {out} --region {args.region} "
          f"--kind <清单类型 kind> --source <来源键 key>")
    return 0
