"""villagecat build [--out site] [--catalogue PATH] [--site-url URL] [--release LABEL] [--full] [--jobs N] [--province CODE | --merge DIR ...] [--all-releases]"""

from villagecat.cli import UsageError

HELP = "从目录生成页面并建站（严格模式）/ generate the pages and build the site (strict mode)"


def register(p):
    p.add_argument("--out", default="site", help="输出目录（默认 site）/ output folder")
    p.add_argument("--catalogue", default=None,
                   help="目录仓库（含 catalogues/ 与 schemas/，默认当前仓库）/ catalogue repository to build")
    p.add_argument("--site-url", default=None, help="网站地址，用于永久链接和引用 / site URL for permanent links")
    p.add_argument("--release", default=None, help="版本标签，出现在引用中（默认 “main (未发布)”）/ release label")
    p.add_argument("--work", default=None, help="不再使用：生成的页面不写到磁盘（保留以兼容）/ unused: generated pages are no longer written to disk (kept for old scripts)")
    p.add_argument("--full", action="store_true",
                   help="完整重建：不沿用上次建站中未变化地区的页面 / rebuild every page (by default a build into the same folder "
                        "rewrites only the regions that changed)")
    p.add_argument("--jobs", type=int, default=None,
                   help="写页面的进程数（默认每个 CPU 核一个）/ processes writing pages (default: one per core)")
    p.add_argument("--province", default=None, metavar="CODE",
                   help="只建一个省（行政区划代码前两位）的地区、清单和事项页，作为分片，由 --merge 合并 "
                        "/ build one province's region, list and item pages only (a shard for --merge)")
    p.add_argument("--merge", action="append", default=[], metavar="DIR",
                   help="合并分片：采用这些分片目录中设置相同、内容未变的页面（可重复）"
                        " / take the pages of these shard folders built with the same settings (repeatable)")
    p.add_argument("--all-releases", action="store_true",
                   help="按 releases.yaml 建出所有发布版本（/<版本>/、/latest/、/main/ 与 versions.json）/ build every release in mike's layout")


def build_all(out="site", site_url=None) -> int:
    """Every release, ``latest`` and ``main`` (see villagecat.publish); shared with `serve`."""
    from villagecat.publish import publish
    from villagecat.release import ReleaseError
    from villagecat.site.build import UnsafeSource, project_root  # (trees.project_root, re-exported)

    kwargs = {"base_url": site_url} if site_url else {}
    try:
        result = publish(project_root("."), out, **kwargs)
    except UnsafeSource as exc:
        return _refused(exc)
    except ReleaseError as exc:
        raise UsageError(str(exc))
    if not result.get("public_url"):
        _no_public_url()
    names = "、".join(v["version"] for v in result["versions"])
    print(f"已建站 / built {result['out']}: {names}")
    return 0


def _no_public_url() -> None:
    import sys

    from villagecat.site.build import NO_PUBLIC_URL

    print(NO_PUBLIC_URL, file=sys.stderr)


def _refused(exc) -> int:
    import sys

    print(f"拒绝建站 / build refused: {exc}", file=sys.stderr)
    return 1


def _count_errors(root, cat) -> int:
    from villagecat.validate import validate

    return len(validate(root, cat=cat).errors)


def _warn_if_invalid(errors: int) -> None:
    """The site shows what is there; a catalogue that does not validate is built, with a warning.
    ``cat``, the catalogue the pages are built from, is validated (the tree is read once) in a
    process of its own while the site is built (:class:`villagecat.site.shell.Forked`)."""
    import sys

    if errors:
        print(f"警告：目录校验未通过（{errors} 个错误），页面可能缺少事项；运行 villagecat validate 查看。"
              f" / warning: the catalogue is invalid ({errors} errors); pages may miss items.", file=sys.stderr)


def build(out="site", catalogue=None, site_url=None, release=None, work=None, full=False, jobs=None,
          province=None, merge=()) -> int:
    """Build and print the figures; 0 built, 1 refused by strict mode. Shared with `serve`."""
    import sys

    from mkdocs.exceptions import Abort, ConfigurationError

    from villagecat.cli import repo_root
    from villagecat.progress import Progress
    from villagecat.reader import read_tree
    from villagecat.site.build import DEFAULT_RELEASE, UnsafeSource, build_site, default_jobs
    from villagecat.site.shell import Forked
    from villagecat.trees import FolderTree

    root = repo_root(catalogue if catalogue is not None else ".")  # catalogues/ and schemas/, or a usage error
    try:
        with Progress("建站 / building", 3) as progress:  # on a terminal's stderr, after a second
            progress.step("read")
            cat = read_tree(FolderTree(root))  # read once: validated, then shown
            progress.step("validate")
            checking = Forked(_count_errors, root, cat, fork=(jobs or default_jobs()) > 1)
            progress.step("mkdocs")
            try:
                r = build_site(out=out, catalogue=cat, site_url=site_url, release=release or DEFAULT_RELEASE, work=work,
                               incremental=not full, jobs=jobs, shard=province, merge=list(merge))
            except BaseException:
                checking.stop()
                raise
            _warn_if_invalid(checking.result())
    except FileNotFoundError as exc:
        raise UsageError(f"找不到建站所需文件 / missing: {exc}")
    except UnsafeSource as exc:
        return _refused(exc)
    except (Abort, ConfigurationError) as exc:
        print(f"建站失败：严格模式下出现警告，见上 / build failed in strict mode: {exc}")
        return 1
    if not r.site_url:
        _no_public_url()
    print(f"已建站 / built {r.out}: {r.pages} 个生成页面 / generated pages, {r.html_files} 个 HTML 文件 / HTML files, "
          f"{r.seconds:.1f} s（生成 / generate {r.generate_seconds:.1f} s，搜索索引 / search index {r.search_seconds:.1f} s，"
          f"{r.search_bytes / 1e6:.1f} MB"
          + (f"，{r.search_unchanged}/{r.search_files} 个索引文件未变 / {r.search_unchanged} of {r.search_files} index files unchanged"
             if r.search_unchanged else "") + "）"
          + (f"；沿用上次未变化的 {r.kept} 页 / {r.kept} unchanged pages kept from the last build" if r.kept else "")
          + (f"；取自分片 {r.merged} 页 / {r.merged} pages taken from shards" if r.merged else ""))
    for shard in r.refused:
        print(f"提示：分片 {shard} 的建站设置（网址、版本、模板、法律法规表……）与本次不同，未采用，其页面已重新生成。"
              f" / note: shard {shard} was built with other settings (address, release, templates, laws …); its pages were written again.",
              file=sys.stderr)
    return 0


def run(args) -> int:
    if args.all_releases:
        return build_all(args.out, args.site_url)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs 至少为 1 / --jobs must be at least 1")
    if args.province is not None and (len(args.province) != 2 or not args.province.isdigit()):
        raise UsageError("--province 应为省级行政区划代码的前两位，如 44 / --province takes a province code's two digits, e.g. 44")
    if args.province is not None and args.merge:
        raise UsageError("--province 与 --merge 不能同时使用 / --province and --merge do not go together")
    return build(args.out, args.catalogue, args.site_url, args.release, args.work, args.full, args.jobs,
                 args.province, args.merge)
