"""Problems are values: a rule's stable code, where it happened, and what to do, in Chinese and English.

Every check in the project (decoding, CSV structure, metadata, policy) reports through
:class:`Problem`, whose ``rule`` names a :class:`Rule` registered here. The error-code page of the
documentation is generated from the same registry, so a code can never be undocumented.

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


def all_rules() -> list[Rule]:
    """Every rule code, after importing every module that defines some."""
    from villagecat import decode, structure, metadata, rules  # noqa: F401  (registration)
    rules.load_all()
    return sorted(RULES.values(), key=lambda r: (("input", "structure", "metadata", "policy").index(r.layer), r.code))
