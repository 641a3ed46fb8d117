"""The schema copied into each catalogue.yaml resource equals the one in schemas/ (``villagecat sync`` writes it)."""

from villagecat.decode import yaml_line
from villagecat.problems import define, problem
from villagecat.schemas import inline_schema

define("schema-copy-stale", "policy", "表结构副本过期", "Schema copy out of date",
       "资源 {name} 中的 schema 与 schemas/{kind}.schema.yaml 不一致或缺失。", "The schema in resource {name} differs from schemas/{kind}.schema.yaml or is missing.",
       "运行 villagecat sync 重新写入（不要手改 schema）。", "Run villagecat sync to rewrite it (do not edit schema by hand).")


def check(cat):
    expected: dict[str, dict] = {}  # kind → its inline copy, made once (thousands of lists share it)
    for lst in cat.lists():
        if lst.kind not in expected:
            expected[lst.kind] = inline_schema(cat, lst.kind)
        if lst.resource.get("schema") != expected[lst.kind]:
            region = cat.regions[lst.region]
            yield problem("schema-copy-stale", file=f"catalogues/{region.folder}/catalogue.yaml",
                          row=yaml_line(region.package_node, ("resources", lst.index)), column="schema",
                          name=lst.resource.get("name"), kind=lst.kind)
