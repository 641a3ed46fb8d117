"""Which problems concern one region: what ``villagecat validate catalogues/<folder>`` reports.

A region's own files, and the problems found elsewhere that are about it: an id of its lists used
again in another region's file, the register rows about it (or linking its lists), the laws its
lists cite, its row in regions.csv, its withdrawn ids and its released ids. A contributor checking
one folder sees everything a full run would hold against that folder.
"""

from __future__ import annotations

SHARED = {"catalogues/known-documents.csv": "known-documents", "catalogues/laws.csv": "laws",
          "catalogues/regions.csv": "regions", "catalogues/withdrawn.csv": "withdrawn"}


def _row(cat, name: str, line: int | None) -> dict[str, str]:
    table = cat.tables.get(name)
    if table is None or line is None:
        return {}
    for row, at in zip(table.rows, table.lines):
        if at == line:
            return row
    return {}


def _cited_laws(region) -> set[str]:
    out: set[str] = set()
    for lst in region.lists.values():
        out.update(lst.legal_basis)
        for item in lst.items:
            out.update(item.legal_basis)
    return out


def concerns(p, cat, region) -> bool:
    """Whether problem ``p`` (found anywhere) is about ``region``, beyond the files in its folder."""
    folder = f"catalogues/{region.folder}/"
    code = region.adcode
    if str(p.params.get("other", "")).startswith(folder):
        return True  # an id of this region used again elsewhere
    if p.item_id and str(p.item_id).startswith(code + "-") and p.file in ("releases.yaml", *SHARED):
        return True
    name = SHARED.get(p.file)
    if name is None:
        return False
    row = _row(cat, name, p.row)
    if name == "known-documents":
        links = [x.strip() for x in row.get("catalogue", "").split(";")] + [str(p.params.get("link", ""))]
        return row.get("region") == code or any(x.startswith(region.folder + "/") or x == region.folder for x in links)
    if name == "laws":
        ids = {row.get("id", ""), str(p.params.get("id", "")), str(p.params.get("other", ""))} - {""}
        return row.get("region") == code or bool(ids & _cited_laws(region))
    if name == "regions":
        return code in (row.get("adcode"), row.get("parent"), p.params.get("adcode"))
    if name == "withdrawn":
        return row.get("id", "").startswith(code + "-")
    return False
