"""How to cite an item: a GB/T 7714-style reference to one item of one catalogue release.

>>> from villagecat.model import Item, Source
>>> item = Item("duties", "150000", "x.csv", 2, {"id": "150000-D-020", "seq": "20", "text": "组织开展献血。"})
>>> src = Source("k", "实施意见", "自治区党委办公厅", "", "2023-05-10")
>>> print(cite(item, "某目录", src, "2026.1", "https://example.org/2026.1/", "内蒙古自治区"))  # doctest: +NORMALIZE_WHITESPACE
自治区党委办公厅. 某目录（《实施意见》）: 第20项“组织开展献血。”[DS/OL]. (2023-05-10).
村级组织工作事务·机制牌子·证明事项开放目录, 2026.1, 条目 150000-D-020.
https://example.org/2026.1/items/150000-D-020/.

Without a named issuer the region stands in for it, and without a public address the citation
carries the permanent path (never a made-up host):

>>> print(cite(item, "某目录", Source("k", "某目录", "", "", ""), "2026.1", "/2026.1/", "重庆市"))  # doctest: +NORMALIZE_WHITESPACE
重庆市（发文机关未载明）. 某目录: 第20项“组织开展献血。”[DS/OL].
村级组织工作事务·机制牌子·证明事项开放目录, 2026.1, 条目 150000-D-020.
/2026.1/items/150000-D-020/.
"""

from __future__ import annotations

from villagecat.model import Item, Source

PROJECT = "村级组织工作事务·机制牌子·证明事项开放目录"


def item_url(base: str, item_id: str) -> str:
    """The item's permanent address: ``base`` (the release's public address, or its path such as
    ``/2026.1/`` when the site has no public address) + ``items/<id>/``."""
    return f"{base.rstrip('/')}/items/{item_id}/"


def cite(item: Item, list_title: str, source: Source | None, release: str, base: str, region: str = "") -> str:
    """GB/T 7714-2015 shape for an online dataset: 责任者. 题名: 析出项[DS/OL]. (日期). 出处. 地址.

    The source document's title and 文号 follow the list title in parentheses (the title only when
    it differs from the list's); an unnamed issuer is given as the region; missing parts are left
    out rather than invented.
    """
    if source and source.issuer:
        issuer = source.issuer
    else:
        issuer = f"{region}（发文机关未载明）" if region else "佚名"
    doc = [f"《{source.title}》" if source and source.title and source.title.strip("《》") != list_title.strip("《》") else "",
           source.number if source and source.number else ""]
    doc_text = f"（{'，'.join(d for d in doc if d)}）" if any(doc) else ""
    date = f" ({source.date})." if source and source.date else ""
    seq = item.values.get("seq", "").strip()
    part = f"第{seq}项" if seq else "条目"
    return (f"{issuer}. {list_title}{doc_text}: {part}“{item.text}”[DS/OL].{date}\n"
            f"{PROJECT}, {release}, 条目 {item.id}.\n"
            f"{item_url(base, item.id)}.")
