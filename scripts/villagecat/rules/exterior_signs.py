"""Outside the village office hang only the four signs and two marks (意见 §6; 内蒙古 （八）: “除上述4个标牌和2个标识外，一般不得悬挂其他标牌、标识”).

The allowed names come from the nearest ``x-policy`` (the region's own, else its ancestors',
else the national one), so a region that words them its own way (嘎查村党组织) is read on its terms.
"""

from villagecat.problems import define, problem
from villagecat.rules.names import core

define("exterior-sign-not-allowed", "policy", "外部标牌不在允许范围内", "Exterior sign not allowed",
       "外部{what} {text!r} 不在允许的{what}中（{allowed}，依据 {policy_from}）。", "Exterior {what_en} {text!r} is not among those allowed ({allowed}, per {policy_from}).",
       "外部只能悬挂 4 个标牌和 2 个标识。核对源文件：若是内部标牌，把 position 改为 interior-sign。",
       "Only 4 signs and 2 marks may hang outside. Check the source: if it hangs inside, set position to interior-sign.")
define("exterior-sign-count", "policy", "外部标牌数量超出", "Too many exterior signs",
       "外部{what}有 {count} 个，最多 {limit} 个（依据 {policy_from}）。", "{count} exterior {what_en}s; at most {limit} (per {policy_from}).",
       "外部只能悬挂 4 个标牌和 2 个标识；核对 position 列。", "Only 4 signs and 2 marks may hang outside; check the position column.")

POSITIONS = {"exterior-sign": ("exterior_signs", "标牌", "sign"), "exterior-mark": ("exterior_marks", "标识", "mark")}


def _policy(cat, adcode, key):
    for region in reversed(cat.lineage(adcode)):
        names = region.policy.get(key)
        if isinstance(names, list) and names:
            return [str(n) for n in names], region
    return None, None


def check(cat):
    for lst in cat.lists():
        if lst.kind != "signs":
            continue
        for position, (key, what, what_en) in POSITIONS.items():
            rows = [i for i in lst.items if i.values.get("position") == position]
            allowed, src = _policy(cat, lst.region, key)
            if not allowed:
                continue
            cores = {core(n) for n in allowed}
            policy_from = f"{src.name or src.adcode} x-policy.{key}"
            for item in rows:
                if core(item.text) not in cores:
                    yield problem("exterior-sign-not-allowed", file=item.path, row=item.row, column="text", item_id=item.id,
                                  what=what, what_en=what_en, text=item.text, allowed="、".join(allowed), policy_from=policy_from)
            if len(rows) > len(allowed):
                yield problem("exterior-sign-count", file=lst.table.path, column="position", what=what, what_en=what_en,
                              count=len(rows), limit=len(allowed), policy_from=policy_from)
