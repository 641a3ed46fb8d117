"""The register of known documents (catalogues/known-documents.csv) stays true to the catalogue.

A document marked transcribed or partial links to the list that holds it (``<folder>/<kind>``),
and that list exists; a register row names a known region and real list kinds; a row still marked
known for a document that a list of its region now cites (same 文号, or same title) is stale.
"""

from villagecat.model import KINDS
from villagecat.problems import define, problem

define("known-document-link", "policy", "已录入文件未链接到目录", "Transcribed document not linked",
       "登记为 {status} 的文件 {id} 应在 catalogue 列链接到所录入的清单（如 140000-shanxi/certificates）。",
       "Document {id} is registered as {status}; its catalogue column must link the list holding it (e.g. 140000-shanxi/certificates).",
       "在 catalogue 列填写“文件夹/清单类型”。", "Fill the catalogue column with '<folder>/<kind>'.")
define("known-document-broken-link", "policy", "登记的目录链接不存在", "Register links to a missing list",
       "文件 {id} 链接的清单 {link} 在目录中不存在。", "Document {id} links to list {link}, which is not in the catalogue.",
       "改正链接（文件夹名/清单类型），或清空它并把 status 改为 known。", "Fix the link (folder/kind), or empty it and set status to known.")
define("known-document-unknown-kind", "policy", "登记了未知的清单类型", "Unknown list kind in register",
       "文件 {id} 的 kinds 中有未知类型 {kind!r}。", "Document {id} lists an unknown kind {kind!r}.",
       "kinds 只能用：{known}，以英文分号分隔。", "Use only {known}, separated by ';'.")
define("known-document-transcribed-unlisted", "policy", "已收录的清单未在登记表中", "Catalogued list missing from register",
       "清单 {link} 标为 {status}，但登记表中没有链接到它的文件。", "List {link} is {status} but no register row links to it.",
       "在 known-documents.csv 中为它登记一行（status partial，catalogue 填 {link}），让读者知道完整文件在哪里。",
       "Add a register row (status partial, catalogue {link}) so readers know where the full document is.", severity="warning")

define("known-document-status-stale", "policy", "已录入的文件在登记表中仍为 known", "Register row still 'known'",
       "登记表中 {id} 仍为 known，但 {link} 已经录入了这份文件（来源键 {key}）。",
       "Register row {id} is still 'known', but {link} now holds this document (source key {key}).",
       "把 {id} 的 status 改为 transcribed（全部录入）或 partial（部分录入），catalogue 填 {link}。",
       "Set the status of {id} to transcribed (all of it) or partial, and its catalogue column to {link}.")

FILE = "catalogues/known-documents.csv"


def _same_document(row: dict, source) -> bool:
    """A register row and a catalogue source name the same document: same 文号, or same title."""
    from villagecat.rules.laws import norm_title

    number = row.get("number", "").strip()
    if number and source.number.strip():
        return number == source.number.strip()
    title = row.get("title", "").strip()
    return bool(title) and norm_title(title) == norm_title(source.title)


def citing_lists(cat, row: dict) -> list[tuple[str, str]]:
    """``[(folder/kind, source key)]`` of the lists in the row's region that cite the row's document."""
    region = cat.regions.get(row.get("region", ""))
    if region is None or not region.folder:
        return []
    out = []
    for key, source in region.sources.items():
        if not _same_document(row, source):
            continue
        for lst in region.lists.values():
            if lst.source == key or any(item.source == key for item in lst.items):
                out.append((f"{region.folder}/{lst.kind}", key))
    return out


def check(cat):
    table = cat.tables.get("known-documents")
    if table is None:
        return
    regions_by_folder = {r.folder: r for r in cat.catalogued_regions()}
    linked: set[str] = set()
    for row, line in zip(table.rows, table.lines):
        doc_id, status, link = row.get("id", ""), row.get("status", ""), row.get("catalogue", "").strip()
        for kind in [k.strip() for k in row.get("kinds", "").split(";") if k.strip()]:
            if kind not in KINDS:
                yield problem("known-document-unknown-kind", file=FILE, row=line, column="kinds", id=doc_id, kind=kind, known=";".join(KINDS))
        if status == "known":
            cited = citing_lists(cat, row)
            if cited:
                yield problem("known-document-status-stale", file=FILE, row=line, column="status", id=doc_id,
                              link=";".join(c for c, _ in cited), key=cited[0][1])
        if status in ("partial", "transcribed") and not link:
            yield problem("known-document-link", file=FILE, row=line, column="catalogue", id=doc_id, status=status)
        for one in [x.strip() for x in link.split(";") if x.strip()]:
            folder, _, kind = one.partition("/")
            region = regions_by_folder.get(folder)
            if region is None or (kind and kind not in region.lists):
                yield problem("known-document-broken-link", file=FILE, row=line, column="catalogue", id=doc_id, link=one)
            linked.add(one)
            linked.add(folder)
    for lst in cat.lists():
        if lst.status in ("partial", "examples"):
            link = f"{cat.regions[lst.region].folder}/{lst.kind}"
            if link not in linked:
                yield problem("known-document-transcribed-unlisted", file=FILE, column="catalogue", link=link, status=lst.status)
