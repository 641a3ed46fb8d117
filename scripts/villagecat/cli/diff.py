"""villagecat diff A B [--region ADCODE] [--format text|markdown|json]"""

import sys

from villagecat.cli import UsageError, warn_unreadable

HELP = "按编号比较两个版本（git 引用或文件夹）/ compare two versions (git refs or folders) item by item"


def register(p):
    p.add_argument("old", help="旧版本：标签、提交、分支或文件夹 / old side: tag, commit, branch or folder")
    p.add_argument("new", nargs="?", default=".", help="新版本（默认工作区）/ new side (default: the working tree)")
    p.add_argument("--region", help="只比较这个地区（六位代码）/ only this region (adcode)")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text", help="输出格式 / output format")
    p.add_argument("--repo", default=".", help="git 仓库目录 / repository for git refs (default: .)")


def _tree(spec: str, repo: str):
    """A folder (the repository or a folder inside it) or a git ref of ``repo`` (:func:`villagecat.trees.open_tree`)."""
    from villagecat.trees import open_tree

    try:
        tree = open_tree(spec, repo)
    except LookupError:
        raise UsageError(f"{spec} 既不是文件夹也不是 git 引用 / {spec} is neither a folder nor a git ref of {repo}")
    if not tree.is_dir("catalogues"):
        raise UsageError(f"{spec} 中没有 catalogues/ / {spec} has no catalogues/ folder")
    return tree


def run(args) -> int:
    from villagecat.diff import DiffError, diff_catalogues, read_pair
    from villagecat.diff_format import RENDERERS

    old, new = read_pair(_tree(args.old, args.repo), _tree(args.new, args.repo), region=args.region)
    old.label, new.label = args.old, args.new
    for cat in (old, new):
        warn_unreadable(cat, "比较结果")
    try:
        d = diff_catalogues(old, new, region=args.region)
    except DiffError as exc:
        raise UsageError(str(exc))
    sys.stdout.write(RENDERERS[args.format](d))
    return 0
