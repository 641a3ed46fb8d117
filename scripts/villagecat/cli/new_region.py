"""villagecat new-region ADCODE [--name 名称 --parent ADCODE] [--slug pinyin]"""

from villagecat.cli import UsageError, repo_root

HELP = "新建地区：登记到 regions.csv，生成带注释的 catalogue.yaml / add a region and scaffold its catalogue.yaml"


def register(p):
    p.add_argument("adcode", help="六位行政区划代码（GB/T 2260）/ six-digit adcode")
    p.add_argument("--name", help="地区名称（regions.csv 中没有时必填）/ region name (needed when not in regions.csv)")
    p.add_argument("--parent", help="上级行政区划代码（regions.csv 中没有时必填）/ parent adcode (needed when not in regions.csv)")
    p.add_argument("--slug", help="文件夹名中的拼音，如 luquan（省级地区可省略）/ folder pinyin (optional for provinces)")
    p.add_argument("--repo", default=".", help="仓库目录 / repository folder")


def run(args) -> int:
    from villagecat.scaffold import ScaffoldError, new_region, next_steps

    root = repo_root(args.repo)
    try:
        s = new_region(root, args.adcode, name=args.name, parent=args.parent, slug=args.slug)
    except ScaffoldError as exc:
        raise UsageError(str(exc))
    if s.region_added:
        print(f"已添加到 / added to catalogues/regions.csv: {args.adcode}")
    for f in s.files:
        print(f"已创建 / created: {f}")
    print(next_steps(s, args.adcode), end="")
    return 0
