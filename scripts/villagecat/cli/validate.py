"""villagecat validate [PATH] [--format text|json|github] [--base REF]"""

import sys

from villagecat.cli import UsageError
from villagecat.report_format import RENDERERS

HELP = "校验目录（结构、元数据、政策规则）/ validate the catalogue (structure, metadata, policy rules)"


def register(p):
    p.add_argument("path", nargs="?", default=".", help="仓库或其中的地区文件夹（默认当前目录）/ repository or a region folder in it")
    p.add_argument("--format", choices=sorted(RENDERERS), default="text", help="输出格式 / output format")
    p.add_argument("--base", default=None,
                   help="与之比较发布记录的 git 引用（如 origin/main）：已有记录不得改动或删除 / a git ref "
                        "(e.g. origin/main) whose release records must all still be here unchanged")
    p.add_argument("--max", type=int, default=200, help="文本格式最多列出的问题数 / problems listed in text format")


def run(args) -> int:
    from villagecat import rules
    from villagecat.progress import Progress
    from villagecat.validate import validate

    try:  # progress on a terminal's stderr, for the text report only
        with Progress("校验 / validating", 3 + len(rules.MODULES), on=args.format == "text") as progress:
            report = validate(args.path, base=args.base, progress=progress)
    except FileNotFoundError:
        raise UsageError(f"{args.path} 不在目录仓库中（找不到 catalogues/ 和 schemas/）/ not inside a catalogue repository")
    except LookupError as exc:
        raise UsageError(str(exc))
    out = RENDERERS[args.format](report, args.max) if args.format == "text" else RENDERERS[args.format](report)
    sys.stdout.write(out)
    return 0 if report.valid else 1
