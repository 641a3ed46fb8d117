"""An id names its region and kind (``150000-D-012`` is a duty of 内蒙古) and is unique everywhere."""

import re

from villagecat.model import KINDS
from villagecat.problems import define, problem

define("id-region-mismatch", "policy", "编号的地区代码不对", "Id's region code is wrong",
       "编号 {id} 的地区代码不是本文件夹的 {adcode}。", "Id {id} does not start with this folder's adcode {adcode}.",
       "编号以所在文件夹的行政区划代码开头，如 {adcode}-{letter}-001。", "Ids start with the folder's adcode, e.g. {adcode}-{letter}-001.")
define("id-kind-mismatch", "policy", "编号的类型字母不对", "Id's kind letter is wrong",
       "编号 {id} 的类型字母不是 {kind} 清单的 {letter}。", "Id {id} does not carry the letter {letter} of a {kind} list.",
       "{kind} 清单的编号形如 {adcode}-{letter}-001。", "Ids of a {kind} list look like {adcode}-{letter}-001.")
define("id-duplicate-across-files", "policy", "编号在不同文件中重复", "Id used in two files",
       "编号 {id} 同时出现在 {other}。", "Id {id} also appears in {other}.",
       "每个编号全库唯一：给其中一条换一个从未用过的编号。", "Ids are unique across the catalogue: give one of them an unused id.")

ID_RE = re.compile(r"^(\d{6})-([A-Z])-(\d{3,})$")


def check(cat):
    first: dict[str, str] = {}
    for lst in cat.lists():
        letter = KINDS[lst.kind][0]
        for item in lst.items:
            m = ID_RE.match(item.id)
            if m:
                if m.group(1) != lst.region:
                    yield problem("id-region-mismatch", file=item.path, row=item.row, column="id", item_id=item.id,
                                  id=item.id, adcode=lst.region, letter=letter)
                if m.group(2) != letter:
                    yield problem("id-kind-mismatch", file=item.path, row=item.row, column="id", item_id=item.id,
                                  id=item.id, kind=lst.kind, letter=letter, adcode=lst.region)
            if not item.id:
                continue
            if item.id in first and first[item.id] != item.path:
                yield problem("id-duplicate-across-files", file=item.path, row=item.row, column="id", item_id=item.id,
                              id=item.id, other=first[item.id])
            first.setdefault(item.id, item.path)
