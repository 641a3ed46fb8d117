"""How to cite an item: a GB/T 7714-style reference to one item of one catalogue release.

>>> from villagecat.model import Item, Source
>>> item = Item("duties", "150000", "x.csv", 2, {"id": "150000-D-020", "seq": "20", "text": "组织开展献血。"})
>>> src = Source("k", "实施意见", "自治区党委办公厅", "", "2023-05-10")
>>> print(cite(item, "某目录", src, "2026.1", "https://example.org/"))  # doctest: +NORMALIZE_WHITESPACE
自治区党委办公厅. 某目录: 第20项“组织开展献血。”[DS/OL]. (2023-05-10).
村级组织工作事务·机制牌子·证明事项开放目录, 2026.1, 条目 150000-D-020.
https://example.org/items/150000-D-020/.
"""

from __future__ import annotations

from villagecat.model import Item, Source

PROJECT = "村级组织工作事务·机制牌子·证明事项开放目录"


def item_url(site_url: str, item_id: str) -> str:
    """The item's permanent address (site_url + items/<id>/)."""
    return f"{site_url.rstrip('/')}/items/{item_id}/"


def cite(item: Item, list_title: str, source: Source | None, release: str, site_url: str) -> str:
    """GB/T 7714-2015 shape for an online dataset: 责任者. 题名: 析出项[DS/OL]. (日期). 出处. 地址.

    The 文号 follows the list title in parentheses when the source has one; missing parts are
    left out rather than invented.
    """
    issuer = source.issuer if source and source.issuer else "佚名"
    number = f"（{source.number}）" if source and source.number else ""
    date = f" ({source.date})." if source and source.date else ""
    seq = item.values.get("seq", "").strip()
    part = f"第{seq}项" if seq else "条目"
    return (f"{issuer}. {list_title}{number}: {part}“{item.text}”[DS/OL].{date}\n"
            f"{PROJECT}, {release}, 条目 {item.id}.\n"
            f"{item_url(site_url, item.id)}.")
