"""villagecat sync [PATH]: write the schema copies into every catalogue.yaml."""

from villagecat.cli import repo_root

HELP = "把 schemas/ 中的表结构写入各 catalogue.yaml / copy table schemas into each catalogue.yaml"


def register(p):
    p.add_argument("path", nargs="?", default=".", help="仓库目录 / repository folder")
    p.add_argument("--check", action="store_true", help="只检查不写入，有过期副本时退出码为 1 / only check; exit 1 when stale")


def run(args) -> int:
    from villagecat.sync import sync

    root = repo_root(args.path)
    changed = sync(root, write=not args.check)
    for path in changed:
        print(("需要更新 / stale: " if args.check else "已更新 / updated: ") + path)
    if not changed:
        print("所有表结构副本都是最新的 / all schema copies are up to date")
    return 1 if (args.check and changed) else 0
