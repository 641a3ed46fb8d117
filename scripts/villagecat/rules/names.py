"""Comparing names across documents that word them slightly differently.

>>> core("嘎查村党组织") == core("村党组织") == core("XX村党组织")
True
>>> same_certificate("亲属关系证明", "亲属关系证明。")
True
"""

import re

_PUNCT = re.compile(r"[\s\u3000\u200b，。、；：,.;:（）()“”\"'《》〈〉【】\[\]—\-…·!！?？]+")
_VILLAGE_PREFIX = re.compile(r"^(?:XX|××|xx|某)?(?:嘎查村|嘎查|村（社区）|村\(社区\)|村|社区)?")


def plain(text: str) -> str:
    """Text without spaces and punctuation, for comparison only."""
    return _PUNCT.sub("", text or "")


def core(name: str) -> str:
    """A sign's name without the village prefix the documents vary on (村, 嘎查村, XX村)."""
    return _VILLAGE_PREFIX.sub("", plain(name), count=1)


def same_certificate(a: str, b: str) -> bool:
    return bool(plain(a)) and plain(a) == plain(b)
