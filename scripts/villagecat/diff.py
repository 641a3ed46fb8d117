"""Diff two catalogues item by item: a pure function from two :class:`Catalogue` values to a :class:`Diff`.

Every list (region × kind) is compared by item id. An item present in both with differences lands
in exactly one bucket, by priority:

* ``changed`` – a field other than ``seq`` and ``category`` differs (text, note, legal basis …);
* ``moved`` – ``category`` differs (and possibly ``seq``), nothing else;
* ``renumbered`` – only ``seq`` differs.

Each record carries the full ``changes`` map ``{field: [old, new]}`` (fields compared over the union
of both headers; a missing column reads as ``""``) and, for each changed field, the character-level
edit as ``inline`` segments ``[op, old_text, new_text]`` (op ``equal`` / ``delete`` / ``insert`` /
``replace``, from :class:`difflib.SequenceMatcher` over characters), so renderers never compute.

Metadata — sources, list completeness, laws, regions, the register, withdrawn ids — is compared
too (:mod:`villagecat.diff_meta`) and lands in ``Diff.metadata``.

Duplicate or missing ids make comparing by id meaningless: they raise :class:`DiffError`.

>>> from villagecat.model import Catalogue
>>> d = diff_catalogues(Catalogue("a"), Catalogue("b"))
>>> d.totals()["added"], d.is_empty()
(0, True)
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import asdict, dataclass, field

from villagecat.model import KINDS, Catalogue, Item, ItemList, Region, Source, Table

BUCKETS = ("added", "removed", "changed", "moved", "renumbered")
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


class DiffError(ValueError):
    """The catalogues cannot be compared by id (duplicate or empty ids, unknown region)."""


@dataclass
class ItemChange:
    id: str
    changes: dict[str, list[str]]
    inline: dict[str, list[list[str]]]
    old_row: int | None = None
    new_row: int | None = None
    text: str = ""  # the item's (new) text, for context in renderers


@dataclass
class ItemRecord:
    """An added or removed item: its values as read."""

    id: str
    row: int | None
    values: dict[str, str]


@dataclass
class ListDiff:
    region: str
    kind: str
    status: str  # added | removed | changed | unchanged
    path_old: str | None = None
    path_new: str | None = None
    title_old: str | None = None
    title_new: str | None = None
    count_old: int = 0
    count_new: int = 0
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    added: list[ItemRecord] = field(default_factory=list)
    removed: list[ItemRecord] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    moved: list[ItemChange] = field(default_factory=list)
    renumbered: list[ItemChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"old": self.count_old, "new": self.count_new,
                **{b: len(getattr(self, b)) for b in BUCKETS}}

    def has_changes(self) -> bool:
        return (self.status != "unchanged" or any(getattr(self, b) for b in BUCKETS)
                or bool(self.columns_added or self.columns_removed))


@dataclass
class RegionDiff:
    adcode: str
    name: str
    folder_old: str | None
    folder_new: str | None
    status: str  # added | removed | changed | unchanged
    lists: list[ListDiff] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: old/new item counts and bucket sizes."""
        return {lst.kind: lst.counts() for lst in self.lists}

    def totals(self) -> dict[str, int]:
        out = {"old": 0, "new": 0, **{b: 0 for b in BUCKETS}}
        for lst in self.lists:
            for k, v in lst.counts().items():
                out[k] += v
        return out

    def has_changes(self) -> bool:
        return self.status != "unchanged" or any(lst.has_changes() for lst in self.lists)


@dataclass
class Diff:
    old: str
    new: str
    region: str | None = None
    regions: list[RegionDiff] = field(default_factory=list)
    metadata: list = field(default_factory=list)  # villagecat.diff_meta.MetaChange: sources, laws, register …

    def totals(self) -> dict[str, int]:
        out = {"old": 0, "new": 0, **{b: 0 for b in BUCKETS},
               "regions_added": 0, "regions_removed": 0, "lists_added": 0, "lists_removed": 0,
               "columns_added": 0, "columns_removed": 0, "metadata": len(self.metadata)}
        for r in self.regions:
            out["regions_added"] += r.status == "added"
            out["regions_removed"] += r.status == "removed"
            for lst in r.lists:
                out["lists_added"] += lst.status == "added"
                out["lists_removed"] += lst.status == "removed"
                out["columns_added"] += len(lst.columns_added)
                out["columns_removed"] += len(lst.columns_removed)
                for k, v in lst.counts().items():
                    out[k] += v
        return out

    def is_empty(self) -> bool:
        return not self.metadata and not any(r.has_changes() for r in self.regions)

    def changed_regions(self) -> list[RegionDiff]:
        return [r for r in self.regions if r.has_changes()]

    def removed_ids(self) -> list[str]:
        """Every id present in ``old`` and absent from ``new`` (what a release records as removed)."""
        return sorted(rec.id for r in self.regions for lst in r.lists for rec in lst.removed)

    def added_ids(self) -> list[str]:
        return sorted(rec.id for r in self.regions for lst in r.lists for rec in lst.added)

    def as_dict(self) -> dict:
        """The JSON shape documented in docs/diff-json.md (schemas/diff.schema.json)."""
        return {
            "format": "villagecat-diff/1",
            "old": self.old,
            "new": self.new,
            "region": self.region,
            "totals": self.totals(),
            "regions": [{
                "adcode": r.adcode, "name": r.name, "status": r.status,
                "folder_old": r.folder_old, "folder_new": r.folder_new,
                "totals": r.totals(), "counts": r.counts(),
                "lists": [_list_dict(lst) for lst in r.lists],
            } for r in self.regions],
            "metadata": [asdict(m) for m in self.metadata],
        }


def _list_dict(lst: ListDiff) -> dict:
    d = asdict(lst)
    d["counts"] = lst.counts()
    return d


def inline_ops(old: str, new: str) -> list[list[str]]:
    """Character-level edit from ``old`` to ``new`` as ``[op, old_segment, new_segment]``.

    >>> inline_ops("出具居住证明", "出具户籍证明")
    [['equal', '出具', '出具'], ['replace', '居住', '户籍'], ['equal', '证明', '证明']]
    """
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [[tag, old[i1:i2], new[j1:j2]] for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _index(cat: Catalogue, region: str | None) -> None:
    """Refuse duplicate or empty ids: comparing by id needs each id exactly once."""
    seen: dict[str, Item] = {}
    for reg in cat.catalogued_regions():
        if region and reg.adcode != region:
            continue
        for lst in reg.lists.values():
            for item in lst.items:
                if not item.id.strip():
                    raise DiffError(f"{cat.label}: {item.path} 第 {item.row} 行没有编号，无法按编号比较 / "
                                    f"line {item.row} has no id: cannot compare by id")
                if item.id in seen:
                    first = seen[item.id]
                    raise DiffError(f"{cat.label}: 编号 {item.id} 重复（{first.path} 第 {first.row} 行，{item.path} 第 {item.row} 行），"
                                    f"无法按编号比较；请先运行 villagecat validate 修正 / duplicate id {item.id} "
                                    f"({first.path}:{first.row}, {item.path}:{item.row}): fix it first (villagecat validate)")
                seen[item.id] = item


def _header(lst: ItemList | None) -> list[str]:
    if lst is None:
        return []
    return list(lst.table.header) or (list(lst.items[0].values) if lst.items else [])


def _diff_list(region: str, kind: str, old: ItemList | None, new: ItemList | None) -> ListDiff:
    status = "added" if old is None else "removed" if new is None else "unchanged"
    out = ListDiff(region=region, kind=kind, status=status,
                   path_old=old.table.path if old else None, path_new=new.table.path if new else None,
                   title_old=old.title if old else None, title_new=new.title if new else None,
                   count_old=len(old.items) if old else 0, count_new=len(new.items) if new else 0)
    h_old, h_new = _header(old), _header(new)
    if old is not None and new is not None:
        out.columns_added = [c for c in h_new if c not in h_old]
        out.columns_removed = [c for c in h_old if c not in h_new]
        # Same blob in both git trees: the file is byte-identical, nothing to compare.
        same_file = bool(old.table.blob) and old.table.blob == new.table.blob
    else:
        same_file = False
    old_items = {i.id: i for i in (old.items if old else [])} if not same_file else {}
    new_items = {i.id: i for i in (new.items if new else [])} if not same_file else {}
    columns = h_old + [c for c in h_new if c not in h_old]
    for iid in sorted(new_items.keys() - old_items.keys()):
        it = new_items[iid]
        out.added.append(ItemRecord(iid, it.row, dict(it.values)))
    for iid in sorted(old_items.keys() - new_items.keys()):
        it = old_items[iid]
        out.removed.append(ItemRecord(iid, it.row, dict(it.values)))
    for iid in sorted(old_items.keys() & new_items.keys()):
        a, b = old_items[iid], new_items[iid]
        if a.values == b.values:
            continue
        changes = {c: [a.values.get(c, ""), b.values.get(c, "")] for c in columns
                   if a.values.get(c, "") != b.values.get(c, "")}
        if not changes:
            continue
        rec = ItemChange(iid, changes, {c: inline_ops(o, n) for c, (o, n) in changes.items() if c != "seq"},
                         old_row=a.row, new_row=b.row, text=b.text)
        others = set(changes) - {"seq", "category"}
        if others:
            out.changed.append(rec)
        elif "category" in changes:
            out.moved.append(rec)
        else:
            out.renumbered.append(rec)
    if status == "unchanged" and (out.columns_added or out.columns_removed or any(getattr(out, b) for b in BUCKETS)
                                  or out.title_old != out.title_new):
        out.status = "changed"
    return out


def _region_name(cat_new: Catalogue, cat_old: Catalogue, adcode: str) -> str:
    for cat in (cat_new, cat_old):
        r = cat.regions.get(adcode)
        if r is not None and (r.name or r.title):
            return r.name or r.title
    return ""


def diff_catalogues(old: Catalogue, new: Catalogue, region: str | None = None) -> Diff:
    """Compare ``old`` with ``new`` by item id, optionally only one region (adcode).

    Raises :class:`DiffError` on duplicate or empty ids, or when ``region`` is in neither catalogue.
    """
    _index(old, region)
    _index(new, region)
    olds: dict[str, Region] = {r.adcode: r for r in old.catalogued_regions()}
    news: dict[str, Region] = {r.adcode: r for r in new.catalogued_regions()}
    codes = sorted(olds.keys() | news.keys())
    if region is not None:
        if region not in codes:
            raise DiffError(f"两边都没有地区 {region} / region {region} is in neither catalogue")
        codes = [region]
    result = Diff(old=old.label, new=new.label, region=region)
    for code in codes:
        a, b = olds.get(code), news.get(code)
        status = "added" if a is None else "removed" if b is None else "unchanged"
        rd = RegionDiff(adcode=code, name=_region_name(new, old, code),
                        folder_old=a.folder if a else None, folder_new=b.folder if b else None, status=status)
        kinds = sorted(set(a.lists if a else {}) | set(b.lists if b else {}), key=lambda k: KIND_ORDER.get(k, 99))
        for kind in kinds:
            rd.lists.append(_diff_list(code, kind, a.lists.get(kind) if a else None, b.lists.get(kind) if b else None))
        if status == "unchanged" and (any(lst.status != "unchanged" for lst in rd.lists) or rd.folder_old != rd.folder_new):
            rd.status = "changed"
        result.regions.append(rd)
    from villagecat.diff_meta import diff_metadata

    result.metadata = diff_metadata(old, new, region)
    return result


class _Counted(list):
    """The items of a list whose region folder is identical on both sides: counted, never read.

    It iterates as empty (nothing to compare, no id to index) but its ``len`` is the number of
    items, which is all a diff shows of an unchanged list.
    """

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def __len__(self) -> int:
        return self.n


_SCHEMA_KEY = re.compile(r"^( +)schema:[ \t]*$")


def strip_schemas(text: str) -> str:
    """``catalogue.yaml`` without its inline ``schema:`` blocks (copies of schemas/, which a diff never
    compares; they are most of each file). Block YAML: the block is every following line indented
    deeper than its key, or blank."""
    if "schema:" not in text:
        return text
    out: list[str] = []
    skip = None
    for line in text.split("\n"):
        if skip is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > skip:
                continue
            skip = None
        m = _SCHEMA_KEY.match(line)
        if m:
            skip = len(m.group(1))
            continue
        out.append(line)
    return "\n".join(out)


class _DiffView:
    """A tree as the diff reads it: some region folders hidden (they are identical on both sides),
    no transcriptions under sources/ (a diff compares what catalogue.yaml says of its sources, not
    their text), and catalogue.yaml without its inline schema copies. ``listing`` (folder → names,
    from one ``git ls-tree``) answers for the folders under catalogues/."""

    def __init__(self, tree, hidden: set[str], listing: dict[str, list[str]] | None = None,
                 blobs: dict[str, bytes] | None = None):
        self._tree, self._hidden, self._listing = tree, hidden, listing
        self._blobs = blobs or {}  # blob id → bytes, fetched in one batch (the folders that differ)

    def list(self, rel: str) -> list[str]:
        rel = rel.strip("/")
        if rel == "sources":
            return []
        if self._listing is not None and rel.startswith("catalogues/") and rel.count("/") == 1:
            return list(self._listing.get(rel[len("catalogues/"):], []))
        names = self._tree.list(rel)
        return [n for n in names if n not in self._hidden] if rel == "catalogues" else names

    def exists(self, rel: str) -> bool:
        return not rel.startswith("sources/") and self._tree.exists(rel)

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes:
        oid = self._tree.blob_id(rel) if self._blobs else None
        if oid in self._blobs and not self._tree.special(rel):
            data = self._blobs[oid]
            data = data if limit is None else data[: limit + 1]
        else:
            data = self._tree.read_bytes(rel, limit)
        if rel.endswith("/catalogue.yaml"):
            try:
                return strip_schemas(data.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return data  # the reader reports it
        return data

    def __getattr__(self, name):
        return getattr(self._tree, name)


def _ls_catalogues(tree) -> dict[str, dict[str, tuple[str, str]]] | None:
    """folder → {name: (type, oid)} for every region folder of a git tree, from one ``git ls-tree``."""
    from villagecat import git

    tid = tree.tree_id("catalogues") if hasattr(tree, "tree_id") else None
    if not tid:
        return None
    try:
        entries = git.ls_tree(tree.repo, tid)
    except git.GitError:
        return None
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for path, typ, oid, _ in entries:
        parts = path.split("/")
        if len(parts) == 1 and typ == "tree":
            out.setdefault(path, {})
        elif len(parts) == 2:
            out.setdefault(parts[0], {})[parts[1]] = (typ, oid)
    return out


def _cat_blobs(repo: str, oids: list[str]):
    """The blobs ``oids``, in order, from one batched ``git cat-file`` (:func:`villagecat.git.cat_blobs`)."""
    from villagecat import git

    return git.cat_blobs(repo, oids)


_BLANKISH = re.compile(r"^(?:[^\S\n]|,)+$", re.M)  # a line of only spaces and commas


def _count_rows(data: bytes) -> tuple[list[str], int]:
    """The header and the rows holding something, as the reader counts items. Without quotes and
    carriage returns a row is a line, and the lines are counted without the csv module."""
    text = data.decode("utf-8-sig", errors="replace")
    if '"' not in text and "\r" not in text and not _BLANKISH.search(text):
        lines = text.split("\n")
        return (lines[0].split(",") if lines[0] else []), len(lines) - 1 - lines.count("") + (lines[0] == "")
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    return header, sum(1 for row in rows if any(cell.strip() for cell in row))


def _summaries(tree, folders: dict[str, dict[str, tuple[str, str]]]) -> dict[str, Region]:
    """Region folders identical on both sides, as far as a diff needs them: catalogue.yaml (without
    schemas) and each list's path, header, title and number of items; every blob read in one
    batch. A folder that cannot be read so (odd YAML, a link, a missing file) is left out: the
    reader then reads it the usual way."""
    import yaml

    from villagecat.decode import load_yaml_quick
    from villagecat.reader import FOLDER_RE, RESOURCE_PATH_RE

    plan = []
    for folder, names in folders.items():
        m = FOLDER_RE.match(folder)
        if not m or names.get("catalogue.yaml", ("",))[0] != "blob":
            continue
        files = ["catalogue.yaml"] + sorted(n for n, (typ, _) in names.items() if n.endswith(".csv") and typ == "blob")
        plan.append((folder, m.group(1), files))
    oids = [folders[f][n][1] for f, _, files in plan for n in files]
    blobs = _cat_blobs(tree.repo, oids)
    out: dict[str, Region] = {}
    for folder, adcode, files in plan:
        data = {n: next(blobs) for n in files}
        try:
            package = load_yaml_quick(f"catalogues/{folder}/catalogue.yaml", strip_schemas(data["catalogue.yaml"].decode("utf-8-sig")))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
            continue
        if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
            continue
        region = Region(adcode=adcode, folder=folder, package=package)
        ok = True
        for index, res in enumerate(package["resources"]):
            if not isinstance(res, dict) or not isinstance(res.get("path"), str):
                continue
            kind = str(res.get("x-kind") or res.get("name") or "")
            if not RESOURCE_PATH_RE.match(res["path"]) or kind not in KINDS or kind in region.lists \
                    or res["path"] not in data:
                ok = False  # something the reader reports: let it read this folder
                break
            csv_rel = f"catalogues/{folder}/{res['path']}"
            lst = ItemList(region=adcode, kind=kind, resource=res, index=index,
                           table=Table(path=csv_rel, blob=folders[folder][res["path"]][1]))
            lst.table.header, n = _count_rows(data[res["path"]])
            lst.items = _Counted(n)
            region.lists[kind] = lst
        if ok:
            out[folder] = region
    return out


def _fetch(tree, folders: dict[str, dict[str, tuple[str, str]]] | None, hidden: set[str]) -> dict[str, bytes]:
    """The blobs of the region folders a diff reads (those not ``hidden``), from one batched
    ``git cat-file`` instead of one round trip each."""
    if not folders or not hasattr(tree, "repo"):
        return {}
    oids = sorted({oid for folder, names in folders.items() if folder not in hidden
                   for name, (typ, oid) in names.items() if typ == "blob"})
    from villagecat import git

    blobs = _cat_blobs(tree.repo, oids)
    try:
        return {oid: next(blobs) for oid in oids}
    except (git.GitError, OSError, StopIteration):
        return {}  # the reader then reads each file the usual way
    finally:
        blobs.close()


def read_pair(old_tree, new_tree) -> tuple[Catalogue, Catalogue]:
    """Read two trees for a diff, doing work only where they differ.

    Between two git refs most region folders are usually unchanged: identical tree ids mean
    identical content, so such a folder is neither parsed nor compared — only its lists' titles and
    item counts are taken (:func:`_summary`), once, into both sides. The other folders and the
    shared tables are read as usual, without the inline schema copies and the transcriptions,
    which a diff does not compare. (Measured on 500k synthetic items, 15 % of them in revised
    folders: see bench/report.md.)
    """
    from villagecat.reader import _no_cycle_collection, read_tree

    with _no_cycle_collection():
        old_ls, new_ls = _ls_catalogues(old_tree), _ls_catalogues(new_tree)
        same: dict[str, Region] = {}
        if old_ls is not None and new_ls is not None:
            identical = {f: new_ls[f] for f in old_ls if f in new_ls
                         and old_tree.tree_id(f"catalogues/{f}") == new_tree.tree_id(f"catalogues/{f}")}
            same = _summaries(new_tree, identical)
        hidden = set(same)
        listing = lambda ls: {f: sorted(names) for f, names in ls.items()} if ls is not None else None
        new = read_tree(_DiffView(new_tree, hidden, listing(new_ls), _fetch(new_tree, new_ls, hidden)))
        old = read_tree(_DiffView(old_tree, hidden, listing(old_ls), _fetch(old_tree, old_ls, hidden)))
    for folder, summary in same.items():
        for cat in (old, new):
            region = cat.regions.get(summary.adcode)
            if region is None:
                region = cat.regions[summary.adcode] = Region(adcode=summary.adcode)
            region.folder, region.package, region.lists = folder, summary.package, summary.lists
            region.sources = {}
            for src in summary.package.get("sources") or []:
                if isinstance(src, dict) and src.get("key"):
                    region.sources.setdefault(str(src["key"]), Source.from_mapping(src))
    return old, new
