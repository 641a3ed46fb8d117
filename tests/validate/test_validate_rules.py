"""Every rule is a value a contributor can read: a stable kebab-case code, a layer, and non-empty
Chinese and English title, message and advice whose templates format."""

from __future__ import annotations

import re
import string

import pytest

from villagecat.problems import ERROR, WARNING, problem
from villagecat.registry import all_rules

RULES = all_rules()
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_rules_are_registered():
    assert len(RULES) >= 40
    assert len({r.code for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_text(rule):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.code)
    assert rule.layer in ("input", "structure", "metadata", "policy")
    assert rule.severity in (ERROR, WARNING)
    for name in ("title_zh", "title_en", "message_zh", "message_en", "advice_zh", "advice_en"):
        value = getattr(rule, name)
        assert isinstance(value, str) and value.strip(), f"{rule.code}: {name} is empty"
    for name in ("title_zh", "advice_zh"):
        assert CJK.search(getattr(rule, name)), f"{rule.code}: {name} has no Chinese"
    assert not CJK.search(rule.title_en), f"{rule.code}: title_en is not English"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_templates_format(rule):
    """Templates parse, and formatted with every parameter they name, leave no placeholder behind."""
    def fields(template):
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    # The location keywords of problem() are not template parameters: a template naming one never fills it.
    names = set().union(*(fields(t) for t in (rule.message_zh, rule.message_en, rule.advice_zh, rule.advice_en)))
    params = {f.split("!")[0]: "X" for f in names}
    assert not set(params) & {"file", "row", "column", "item_id", "severity"}, rule.code
    p = problem(rule.code, file="catalogues/x/duties.csv", row=2, **params)
    for text in (p.message, p.message_en, p.advice, p.advice_en):
        assert not re.search(r"\{[a-z_]+\}", text), (rule.code, text)
