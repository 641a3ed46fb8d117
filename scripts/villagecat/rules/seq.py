"""In a complete list the source numbers run 1..n without gaps (sub-items may share a number)."""

from villagecat.problems import define, problem

define("seq-gap", "policy", "序号不连续", "Gap in seq",
       "完整清单的序号应为 1 到 {n} 连续，缺少 {missing}。", "A complete list's seq should run 1 to {n}; missing {missing}.",
       "核对源文件：补上漏录的事项，或改正序号；若清单并不完整，把 x-completeness.status 改为 partial 并说明缺少哪些。",
       "Check the source: add the missed items or fix seq; if the list is not complete, set x-completeness.status to partial and say what is missing.")


def check(cat):
    for lst in cat.lists():
        if lst.status != "complete" or not lst.items:
            continue
        seqs = {i.seq for i in lst.items if i.seq is not None}
        if not seqs:
            continue
        n = max(seqs)
        # Never build range(1, n + 1): one mistyped seq (12 → 1200000000) would take minutes and
        # gigabytes. The first missing numbers lie within len(seqs) + 11 steps of 1.
        count = n - sum(1 for s in seqs if 1 <= s <= n)
        missing, k = [], 1
        while k <= n and len(missing) < 10:
            if k not in seqs:
                missing.append(k)
            k += 1
        if count:
            shown = "、".join(map(str, missing)) + ("…" if count > 10 else "")
            yield problem("seq-gap", file=lst.table.path, column="seq", n=n, missing=shown)
