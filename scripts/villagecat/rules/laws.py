"""laws.csv names each law once: two rows with the same title (or one's title as another's cited
form) split the items citing that law between two ids.

>>> norm_title("《中华人民共和国 村民委员会组织法》")
'中华人民共和国村民委员会组织法'
"""

import re

from villagecat.problems import define, problem

define("law-duplicate-title", "policy", "法律重复登记", "Law listed twice",
       "laws.csv 中 {id} 的名称 {title!r} 与 {other} 相同。", "In laws.csv, {id} has the title {title!r}, as {other} does.",
       "一部法律只登记一行：删除 {id}，把引用它的地方改为 {other}。",
       "List each law once: delete {id} and cite {other} where it was cited.")

FILE = "catalogues/laws.csv"


def norm_title(title: str) -> str:
    """A title as compared: no whitespace, 〈〉 read as 《》, without an outer 《》."""
    t = re.sub(r"\s+", "", title).replace("〈", "《").replace("〉", "》")
    return t[1:-1] if t.startswith("《") and t.endswith("》") and t.count("《") == 1 else t


def title_index(cat) -> dict[str, str]:
    """Normalised title or cited form → the first law id that has it."""
    out: dict[str, str] = {}
    for law in cat.laws.values():
        for t in (law.title, law.cited_as):
            if t and t.strip():
                out.setdefault(norm_title(t), law.id)
    return out


def check(cat):
    table = cat.tables.get("laws")
    if table is None:
        return
    first: dict[str, str] = {}
    for row, line in zip(table.rows, table.lines):
        lid = row.get("id", "")
        names = {norm_title(t) for t in (row.get("title", ""), row.get("cited_as", "")) if t.strip()}
        clash = next((first[n] for n in sorted(names) if n in first and first[n] != lid), None)
        if clash:
            yield problem("law-duplicate-title", file=FILE, row=line, column="title", id=lid,
                          title=row.get("title", ""), other=clash)
        for n in names:
            first.setdefault(n, lid)
