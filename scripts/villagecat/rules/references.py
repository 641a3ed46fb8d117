"""Every law, source and region that a row or a catalogue.yaml names must exist."""

from villagecat.decode import yaml_line
from villagecat.problems import define, problem

define("unknown-law", "policy", "未知的法律编号", "Unknown law id",
       "法律编号 {law} 不在 catalogues/laws.csv 中。", "Law id {law} is not in catalogues/laws.csv.",
       "在 laws.csv 中添加这部法律（编号取下一个未用的），或改正编号。", "Add the law to laws.csv (next unused id) or correct the id.")
define("law-cited-by-title", "policy", "用名称而不是编号引用法律", "Law cited by title, not id",
       "{value!r} 是 laws.csv 中 {law} 的名称；legal_basis 只填编号。", "{value!r} is the title of {law} in laws.csv; legal_basis holds ids only.",
       "把它改为 {law}（条款原文写在 legal_basis_text）；不要在 laws.csv 中再登记一次。",
       "Write {law} instead (the wording goes to legal_basis_text); do not add the law to laws.csv again.")
define("unknown-source", "policy", "未知的来源键", "Unknown source key",
       "来源键 {key!r} 不在本目录 catalogue.yaml 的 sources 中。", "Source key {key!r} is not among this folder's catalogue.yaml sources.",
       "在 sources 中登记该文件（签发机关、文号、日期），或改正键名；现有：{known}。", "Register the document in sources (issuer, number, date) or fix the key; known: {known}.")
define("unknown-region", "policy", "未知的行政区划", "Unknown region",
       "行政区划代码 {adcode} 不在 catalogues/regions.csv 中。", "Adcode {adcode} is not in catalogues/regions.csv.",
       "在 regions.csv 中按 GB/T 2260 添加该地区及其上级。", "Add the region and its parents to regions.csv (GB/T 2260).")
define("region-mismatch", "policy", "地区与文件夹不一致", "Region does not match folder",
       "catalogue.yaml 的 {key} 为 {value!r}，而文件夹是 {folder}。", "catalogue.yaml has {key} {value!r} but the folder is {folder}.",
       "把 {key} 改为 {expected!r}。", "Set {key} to {expected!r}.")


def _law_problem(titles: dict, law: str, **where):
    """unknown-law, or law-cited-by-title when the value is the title of a law laws.csv has."""
    from villagecat.rules.laws import norm_title

    known = titles.get(norm_title(law))
    if known:
        return problem("law-cited-by-title", **where, value=law, law=known)
    return problem("unknown-law", **where, law=law)


def check(cat):
    from villagecat.rules.laws import title_index

    titles = title_index(cat)
    table = cat.tables.get("regions")
    rows = list(zip(table.rows, table.lines)) if table else []
    known_regions = {row.get("adcode") for row, _ in rows}
    for table_row, line in rows:
        parent = table_row.get("parent", "")
        if parent and parent not in known_regions:
            yield problem("unknown-region", file="catalogues/regions.csv", row=line, column="parent", adcode=parent)
    for region in cat.catalogued_regions():
        yaml_file = f"catalogues/{region.folder}/catalogue.yaml"
        if region.adcode not in known_regions:
            yield problem("unknown-region", file=f"catalogues/{region.folder}", adcode=region.adcode)
        pkg = region.package
        if not pkg:
            continue
        for key, expected in (("name", region.folder), ("region", region.adcode)):
            if key in pkg and str(pkg[key]) != expected:
                yield problem("region-mismatch", file=yaml_file, row=yaml_line(region.package_node, (key,)), column=key,
                              key=key, value=pkg[key], folder=region.folder, expected=expected)
        known = "、".join(region.sources) or "（无）"
        for lst in region.lists.values():
            where = ("resources", lst.index)
            if lst.source and lst.source not in region.sources:
                yield problem("unknown-source", file=yaml_file, row=yaml_line(region.package_node, where + ("x-source",)),
                              column="x-source", key=lst.source, known=known)
            for law in lst.legal_basis:
                if law not in cat.laws:
                    yield _law_problem(titles, law, file=yaml_file, row=yaml_line(region.package_node, where + ("x-legal-basis",)),
                                       column="x-legal-basis")
            for item in lst.items:
                if item.source and item.source not in region.sources:
                    yield problem("unknown-source", file=item.path, row=item.row, column="source", item_id=item.id,
                                  key=item.source, known=known)
                for law in item.legal_basis:
                    if law not in cat.laws:
                        yield _law_problem(titles, law, file=item.path, row=item.row, column="legal_basis", item_id=item.id)
