"""villagecat errors: list every rule code (the error reference page is generated from the same list)."""

import json

HELP = "列出所有校验规则代码 / list every validation rule code"


def register(p):
    p.add_argument("--format", choices=["text", "json"], default="text")


def run(args) -> int:
    from villagecat.registry import all_rules

    rules = all_rules()
    if args.format == "json":
        print(json.dumps([r.__dict__ for r in rules], ensure_ascii=False, indent=2))
    else:
        for r in rules:
            print(f"{r.code}\t{r.layer}\t{r.title_zh} / {r.title_en}")
    return 0
