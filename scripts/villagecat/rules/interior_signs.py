"""A region that caps its interior signs (禹会区: at most 12) lists no more than that."""

from villagecat.problems import define, problem

define("interior-sign-limit", "policy", "内部标牌超过上限", "Too many interior signs",
       "内部标牌有 {count} 个，超过 {region} 规定的上限 {limit} 个。", "{count} interior signs, over {region}'s limit of {limit}.",
       "核对源文件的挂牌目录；多出的若不是内部标牌，改正 position。", "Check the source's sign directory; fix position where a row is not an interior sign.")


def check(cat):
    for lst in cat.lists():
        if lst.kind != "signs":
            continue
        limit = None
        for region in reversed(cat.lineage(lst.region)):
            value = region.policy.get("interior_sign_limit")
            if isinstance(value, int) and not isinstance(value, bool):
                limit, name = value, region.name or region.adcode
                break
        if limit is None:
            continue
        count = sum(1 for i in lst.items if i.values.get("position") == "interior-sign")
        if count > limit:
            yield problem("interior-sign-limit", file=lst.table.path, column="position", count=count, limit=limit, region=name)
