"""Every list says how complete it is; a partial list says what is missing; counts fit the source's total."""

from villagecat.decode import yaml_line
from villagecat.problems import define, problem

define("completeness-missing-statement", "policy", "未说明缺少哪些事项", "Missing items not stated",
       "清单标为 {status}，但 x-completeness.missing 没有说明缺少哪些事项。", "The list is marked {status} but x-completeness.missing does not say what is missing.",
       "在 missing 中写明缺少哪些事项（如“第 8、9 项未见全文”）及原因。", "Say in missing which items are absent (e.g. items 8–9 not seen) and why.")
define("count-exceeds-reported", "policy", "事项数超过源文件总数", "More items than the source reports",
       "清单有 {count} 条，超过源文件报告的总数 {total}。", "The list has {count} items, more than the {total} the source reports.",
       "检查是否重复录入或拆分了事项；若源文件总数有误，在 x-note 中说明并改正 reported_total。", "Look for items entered twice or split; if the source's total is wrong, explain in x-note and fix reported_total.")
define("count-below-complete", "policy", "完整清单的事项数少于总数", "Complete list has fewer items than reported",
       "清单标为完整，但只有 {count} 条，源文件报告 {total} 条。", "The list is marked complete but has {count} items; the source reports {total}.",
       "补上缺少的事项，或把 status 改为 partial 并说明缺少哪些。", "Add the missing items, or set status to partial and say what is missing.")


def check(cat):
    for lst in cat.lists():
        # A CSV that could not be read has already been reported; counting its zero items would
        # add a misleading "add the missing items" on top.
        if not lst.table.readable:
            continue
        region = cat.regions[lst.region]
        file = f"catalogues/{region.folder}/catalogue.yaml"
        status = lst.status
        total = lst.reported_total
        count = len(lst.items)
        found = []
        if status in ("partial", "examples") and not str(lst.completeness.get("missing") or "").strip():
            found.append(("completeness-missing-statement", "x-completeness.missing", dict(status=status)))
        if total is not None and count > total:
            found.append(("count-exceeds-reported", "x-completeness.reported_total", dict(count=count, total=total)))
        if status == "complete" and total is not None and count < total:
            found.append(("count-below-complete", "x-completeness.reported_total", dict(count=count, total=total)))
        if found:  # the line only then: a region read by another process composes its YAML to find it
            line = yaml_line(region.package_node, ("resources", lst.index, "x-completeness"))
            for rule, column, params in found:
                yield problem(rule, file=file, row=line, column=column, **params)
