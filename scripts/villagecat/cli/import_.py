"""villagecat import FILE --region ADCODE --kind KIND --source KEY [--sheet NAME] [--map 表头=列名] …"""

import sys

from villagecat.cli import UsageError, repo_root

HELP = "从 Excel/WPS 表格（XLSX 或 CSV）导入一份清单 / import a list from a spreadsheet (XLSX or CSV)"


def register(p):
    from villagecat.model import KINDS

    p.add_argument("file", help="XLSX 或 CSV 文件（UTF-8、UTF-8-BOM、GBK、GB18030）/ an XLSX or CSV file")
    p.add_argument("--region", required=True, help="地区代码（先用 villagecat new-region 建立）/ the region's adcode")
    p.add_argument("--kind", required=True, choices=list(KINDS), help="清单类型 / list kind")
    p.add_argument("--source", required=True, help="catalogue.yaml 中来源文件的 key / the source key in catalogue.yaml")
    p.add_argument("--sheet", help="工作表名称（默认与清单类型同名的表，否则第一张）/ sheet name (default: the kind's, else the first)")
    p.add_argument("--map", action="append", default=[], metavar="表头=列名",
                   help="指定表头对应的列，如 --map '办理时限=deadline'；'表头=' 忽略该列（可重复）/ map a header to a column; 'HEADER=' drops it")
    p.add_argument("--title", help="新清单的标题（默认取表格标题行）/ title of a new list (default: the sheet's title row)")
    p.add_argument("--status", choices=["complete", "partial", "examples"], default="complete",
                   help="新清单的完整程度 / completeness of a new list")
    p.add_argument("--reported-total", type=int, help="源文件自述的事项总数 / the total the source reports")
    p.add_argument("--dry-run", action="store_true", help="只显示将做什么，不写文件 / show what would happen, write nothing")
    p.add_argument("--repo", default=".", help="仓库目录 / repository folder")


def run(args) -> int:
    from pathlib import Path

    from villagecat.importer import ImportRefused, import_list
    from villagecat.report_format import RENDERERS
    from villagecat.validate import validate

    root = repo_root(args.repo)
    if not Path(args.file).is_file():
        raise UsageError(f"{args.file} 不存在 / does not exist")
    try:
        r = import_list(root, args.file, args.region, args.kind, args.source, sheet=args.sheet, maps=args.map,
                        title=args.title, status=args.status, reported_total=args.reported_total, write=not args.dry_run)
    except ImportRefused as exc:
        print(f"拒绝导入 / import refused: {exc}", file=sys.stderr)
        return 1
    lay = r.layout
    print(f"读取 / read: {args.file}（{r.described}）")
    for t in lay.title_rows:
        print(f"跳过标题行 / title row skipped: {t}")
    print(f"表头在第 {lay.header_row} 行 / header on row {lay.header_row}: "
          + "，".join(f"{h}→{f}" for h, f in _pairs(r)))
    for h in lay.ignored:
        print(f"忽略的列 / column dropped: {h}")
    n = len(r.kept) + len(r.edited) + len(r.new)
    print(f"{n} 条事项 / items: 保留编号 {len(r.kept)} 条未变 / unchanged, {len(r.edited)} 条修改 / edited, "
          f"{len(r.new)} 条新编号 / new ids"
          + (f"（{r.new[0]} … {r.new[-1]}）" if r.new else ""))
    for iid, text in r.removed:
        print(f"表中没有了 / no longer in the sheet: {iid} {text}（若已发布，在 catalogues/withdrawn.csv 中登记原因 "
              f"/ if released, record why in catalogues/withdrawn.csv）")
    for law in r.laws_added:
        print(f"新增法律（请核对）/ law added, please check: {law['id']} {law['title']} → catalogues/laws.csv")
    verb = "将写入 / would write" if args.dry_run else "已写入 / written"
    print(f"{verb}: {r.path}" + ("（新清单，已加入 catalogue.yaml / new list, added to catalogue.yaml）" if r.resource_added else ""))
    if args.dry_run:
        return 0
    report = validate(Path(root) / r.path.rsplit("/", 1)[0])
    sys.stdout.write(RENDERERS["text"](report, 50))
    return 0 if report.valid else 1


def _pairs(r):
    return [(r.layout.headers[j], f) for j, f in sorted(r.layout.columns.items())]
