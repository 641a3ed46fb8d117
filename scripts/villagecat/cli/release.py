"""villagecat release VERSION --summary TEXT [--date YYYY-MM-DD] [--no-commit] | villagecat release VERSION --complete"""

import sys

from villagecat.cli import UsageError, repo_root

HELP = "发布新版本：校验、比较、写更新日志、提交并打标签 / make a release: validate, diff, changelog, commit, tag"


def register(p):
    p.add_argument("version", help="日历版本号，如 2026.1 / calendar version, e.g. 2026.1")
    p.add_argument("--summary", help="本次发布的概要（写入更新日志；新发布必填）/ human summary for the changelog (required for a new release)")
    p.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天）/ release date (default: today)")
    p.add_argument("--repo", default=".", help="仓库目录 / repository folder")
    p.add_argument("--no-commit", action="store_true", help="只写文件，不提交不打标签 / write the files only")
    p.add_argument("--complete", action="store_true",
                   help="补全在提交与打标签之间中断的发布：核对后给发布提交打标签 / finish a release interrupted "
                        "between its commit and its tag: verify it, then tag the release commit")


def run(args) -> int:
    from villagecat.release import ReleaseError, ReleaseRefused, complete_release, release

    root = repo_root(args.repo)
    if args.complete:
        if args.summary or args.date or args.no_commit:
            raise UsageError("--complete 不能与 --summary、--date、--no-commit 同用 / --complete takes no --summary, --date or --no-commit")
        try:
            done = complete_release(root, args.version)
        except ReleaseError as exc:
            raise UsageError(str(exc))
        print(f"已补上标签 / tagged v{done['version']} at {done['tagged'][:12]} "
              f"(catalogues tree {done['tree'][:12]}, recorded commit {done['commit'][:12]})")
        return 0
    if not args.summary:
        raise UsageError("请用 --summary 写明本次发布的概要 / give a --summary of the release")
    try:
        entry = release(root, args.version, args.summary, date=args.date, commit=not args.no_commit)
    except ReleaseError as exc:
        raise UsageError(str(exc))
    except ReleaseRefused as exc:
        print(f"拒绝发布 / release refused: {exc}", file=sys.stderr)
        return 1
    removed = len(entry["removed"])
    verb = "已写入发布文件（未提交、未打标签）/ release files written (not committed, not tagged)" if args.no_commit \
        else "已发布 / released"
    print(f"{verb} v{entry['version']} ({entry['date']}): {entry['items']} 条事项 / items, "
          f"删除 / removed {removed}; catalogues tree {entry['tree'][:12]}, commit {entry['commit'][:12]}")
    return 0
