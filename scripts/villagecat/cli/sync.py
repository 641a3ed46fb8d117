"""villagecat sync [PATH]: write the schema copies into every catalogue.yaml."""

import sys

from villagecat.cli import repo_root

HELP = "把 schemas/ 中的表结构写入各 catalogue.yaml / copy table schemas into each catalogue.yaml"


def register(p):
    p.add_argument("path", nargs="?", default=".", help="仓库目录 / repository folder")
    p.add_argument("--check", action="store_true", help="只检查不写入，有过期副本时退出码为 1 / only check; exit 1 when stale")


def run(args) -> int:
    from villagecat.sync import sync

    root = repo_root(args.path)
    skipped: list[str] = []
    refused: list[str] = []
    changed = sync(root, write=not args.check, skipped=skipped, refused=refused)
    for path in changed:
        print(("需要更新 / stale: " if args.check else "已更新 / updated: ") + path)
    for path in skipped:
        print(f"无法读取，未处理 / unreadable, left alone: {path}（运行 villagecat validate 查看原因 / run villagecat validate）")
    for path in refused:
        print(f"拒绝处理 / refused: {path} 经由指向仓库之外的符号链接，或不是普通文件；既不读取也不写入 "
              f"/ {path} is reached through a symbolic link leaving the repository, or is not a regular file: "
              f"neither read nor written", file=sys.stderr)
    if not changed and not skipped and not refused:
        print("所有表结构副本都是最新的 / all schema copies are up to date")
    return 1 if (changed and args.check) or skipped or refused else 0
