"""villagecat coverage [--format text|json]: which lists the catalogue holds, in part or in full."""

import json

HELP = "各地区各类清单的收录情况 / what the catalogue holds per region and list kind"


def register(p):
    p.add_argument("path", nargs="?", default=".", help="仓库目录 / repository folder")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args) -> int:
    from villagecat.cli import repo_root, warn_unreadable
    from villagecat.coverage import coverage, render_text
    from villagecat.reader import read_catalogue

    root = repo_root(args.path)
    cat = read_catalogue(str(root))
    warn_unreadable(cat, "收录情况")
    cov = coverage(cat)
    if args.format == "json":
        print(json.dumps(cov.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_text(cov), end="")
    return 0
