"""villagecat fmt [--check] [PATH …]"""

from villagecat.cli import repo_root

HELP = ("把 CSV 写成规范格式（UTF-8 无 BOM、LF、去掉首尾空白、按表结构排列列、按序号排序）"
        "/ write the CSVs in canonical form (UTF-8, LF, trimmed, schema column order, sorted by seq)")


def register(p):
    p.add_argument("paths", nargs="*", metavar="PATH", help="只处理这些文件或文件夹（默认整个目录）/ only these files or folders")
    p.add_argument("--check", action="store_true", help="只检查不写入，有文件需要格式化时退出码为 1 / only check; exit 1 when a file would change")
    p.add_argument("--repo", default=None, help="仓库目录（默认 PATH 所在仓库或当前目录）/ repository folder")


def run(args) -> int:
    from pathlib import Path

    from villagecat.cli import UsageError
    from villagecat.fmt import fmt

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p} 不存在 / does not exist")
    root = repo_root(args.repo or (args.paths[0] if args.paths else "."))
    result = fmt(root, args.paths or None, write=not args.check)
    for rel in result.changed:
        print(("需要格式化 / would change: " if args.check else "已格式化 / formatted: ") + rel)
    for rel, why in result.skipped:
        print(f"未处理 / left alone: {rel}：{why}（运行 villagecat validate 查看 / run villagecat validate）")
    if not result.changed and not result.skipped:
        print(f"{result.checked} 个文件都已是规范格式 / {result.checked} files already formatted")
    return 1 if (args.check and result.changed) or result.skipped else 0
