"""Problems are values: a rule's stable code, where it happened, and what to do, in Chinese and English.

Every check in the project (decoding, CSV structure, metadata, policy) reports through
:class:`Problem`, whose ``rule`` names a :class:`Rule` registered here. The error-code page of the
documentation is generated from the same registry (:mod:`villagecat.registry`), so a code can never
be undocumented.

>>> from villagecat.registry import all_rules
>>> _ = all_rules()  # registers every rule module's codes
>>> p = problem("unknown-law", file="catalogues/x/duties.csv", row=3, column="legal_basis", law="L9999")
>>> p.rule, p.row, "L9999" in p.message
('unknown-law', 3, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    layer: str  # input | structure | metadata | policy
    title_zh: str
    title_en: str
    message_zh: str  # str.format template over the problem's params
    message_en: str
    advice_zh: str
    advice_en: str
    severity: str = ERROR


@dataclass(frozen=True)
class Problem:
    rule: str
    file: str
    row: int | None
    column: str | None
    message: str
    message_en: str
    advice: str
    advice_en: str
    severity: str = ERROR
    item_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("params")
        return d

    def key(self) -> tuple:
        return (self.file, self.row or 0, self.column or "", self.rule)


RULES: dict[str, Rule] = {}


def define(code, layer, title_zh, title_en, message_zh, message_en, advice_zh, advice_en, severity=ERROR) -> Rule:
    """Register a rule once; modules call this at import time."""
    rule = Rule(code, layer, title_zh, title_en, message_zh, message_en, advice_zh, advice_en, severity)
    if code in RULES and RULES[code] != rule:
        raise ValueError(f"rule {code} defined twice with different text")
    RULES[code] = rule
    return rule


class _SafeParams(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def problem(code: str, *, file: str, row: int | None = None, column: str | None = None,
            item_id: str | None = None, severity: str | None = None, **params) -> Problem:
    rule = RULES[code]
    fmt = _SafeParams({k: ("" if v is None else v) for k, v in params.items()})
    return Problem(
        rule=code, file=file, row=row, column=column,
        message=rule.message_zh.format_map(fmt), message_en=rule.message_en.format_map(fmt),
        advice=rule.advice_zh.format_map(fmt), advice_en=rule.advice_en.format_map(fmt),
        severity=severity or rule.severity, item_id=item_id, params=dict(params),
    )


# ---------------------------------------------------------------- bounds of a report

PER_RULE = 100  # problems of one rule listed per file
TOTAL = 5000  # problems listed in all

define("problems-truncated", "input", "问题过多，未全部列出", "Too many problems to list",
       "另有 {count} 个问题未列出（{why_zh}）。", "{count} more problems are not listed ({why_en}).",
       "先改正已列出的问题再重新校验；同一规则大量出错，通常是整个文件的格式或编码有误。",
       "Fix the problems listed and validate again; many problems of one rule usually mean the whole file is malformed.")


def truncated(file: str, rule: str, count: int, row: int | None = None, severity: str = ERROR) -> Problem:
    """The summary of ``count`` problems of ``rule`` in ``file`` that were not listed."""
    return problem("problems-truncated", file=file, row=row, severity=severity, rule=rule, count=count,
                   why_zh=f"规则 {rule}；每个文件每条规则最多列出 {PER_RULE} 个",
                   why_en=f"rule {rule}; at most {PER_RULE} of one rule are listed per file")


def cap(problems: list[Problem], per_rule: int = PER_RULE, total: int = TOTAL) -> list[Problem]:
    """Bound a report (``problems`` in report order): at most ``per_rule`` of one rule in one file,
    each group cut short summed up by a located ``problems-truncated`` problem (its row the first
    one left out), and at most ``total`` in all, the rest summed up by one more.

    A summary a check already made (it stopped making problems early) is merged into its group's.

    >>> import villagecat.structure  # defines row-length
    >>> ps = [problem("row-length", file="a.csv", row=r, found=1, expected=8) for r in range(2, 7)]
    >>> [(p.rule, p.row, p.params.get("count")) for p in cap(ps, per_rule=2)]
    [('row-length', 2, None), ('row-length', 3, None), ('problems-truncated', 4, 3)]
    """
    seen: dict[tuple, int] = {}
    left: dict[tuple, list] = {}  # (file, rule) -> [count, first row, any error]
    kept: list[Problem] = []

    def leave(file, rule, count, row, severity):
        entry = left.setdefault((file, rule), [0, row, False])
        entry[0] += count
        if entry[1] is None or (row is not None and row < entry[1]):
            entry[1] = row
        entry[2] = entry[2] or severity == ERROR

    for p in problems:
        if p.rule == "problems-truncated" and "rule" in p.params:
            leave(p.file, p.params["rule"], p.params["count"], p.row, p.severity)
            continue
        n = seen[(p.file, p.rule)] = seen.get((p.file, p.rule), 0) + 1
        if n > per_rule:
            leave(p.file, p.rule, 1, p.row, p.severity)
        else:
            kept.append(p)
    for (file, rule), (count, row, error) in left.items():
        kept.append(truncated(file, rule, count, row, ERROR if error else WARNING))
    kept.sort(key=lambda p: p.key())
    if len(kept) <= total:
        return kept
    rest = kept[total:]
    count = sum(p.params["count"] if p.rule == "problems-truncated" else 1 for p in rest)
    error = any(p.severity == ERROR for p in rest)
    return kept[:total] + [problem("problems-truncated", file=rest[0].file, row=rest[0].row,
                                   severity=ERROR if error else WARNING, count=count,
                                   why_zh=f"全部最多列出 {total} 个，此处及以后的都未列出",
                                   why_en=f"at most {total} are listed in all; none from here on")]
