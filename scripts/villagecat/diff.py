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

import codecs
import csv
import difflib
import io
import re
from dataclasses import asdict, dataclass, field, replace

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
    for lst in (old, new):
        if isinstance(lst, _Compared):
            return lst.diff  # compared where it was read (read_pair)
    if old is new and old is not None:  # one list for both sides (an identical folder, read_pair): the same
        n = len(old.items)
        return ListDiff(region=region, kind=kind, status="unchanged", path_old=old.table.path,
                        path_new=old.table.path, title_old=old.title, title_new=old.title, count_old=n, count_new=n)
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

    result.metadata = diff_metadata(*_changed_tables(old, new), region)
    return result


def _changed_tables(old: Catalogue, new: Catalogue) -> tuple[Catalogue, Catalogue]:
    """``old`` and ``new`` without the shared tables read from the same git blob on both sides:
    identical rows make no metadata change, and comparing every row of regions.csv field by field
    is most of what comparing metadata costs."""
    same = {name for name, t in old.tables.items() if t.blob and t.readable and name in new.tables
            and new.tables[name].blob == t.blob and new.tables[name].readable}
    if not same:
        return old, new
    return tuple(replace(cat, tables={k: t for k, t in cat.tables.items() if k not in same}) for cat in (old, new))


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


# A ``schema:`` key line (indented: inside a resource) and its block, the newline before it included:
# every following line indented deeper than the key (its indent and one more space), or blank.
_SCHEMA_BLOCK = re.compile(r"\n( +)schema:[ \t]*(?=\n|\Z)(?:\n(?:\1 [^\n]*|[^\S\n]*(?=\n|\Z)))*")


def strip_schemas(text: str) -> str:
    """``catalogue.yaml`` without its inline ``schema:`` blocks (copies of schemas/, which a diff never
    compares; they are most of each file). Block YAML: the block is every following line indented
    deeper than its key, or blank (only whitespace). One regular expression finds each block (this
    runs on every catalogue.yaml a diff reads; tests/diff compares it with a line-by-line reading)."""
    if "schema:" not in text:
        return text
    return _SCHEMA_BLOCK.sub("", "\n" + text)[1:]  # the newline added lets a first line be a key too


class _DiffView:
    """A tree as the diff reads it: some region folders hidden (they are identical on both sides),
    no transcriptions under sources/ (a diff compares what catalogue.yaml says of its sources, not
    their text), and catalogue.yaml without its inline schema copies. ``listing`` (folder → names,
    from one ``git ls-tree``) answers for the folders under catalogues/. With ``only`` (folder
    names) nothing else is there: no other folder, no shared table, no schemas (what a child
    process reads, :func:`_compare_part`)."""

    def __init__(self, tree, hidden: set[str], listing: dict[str, list[str]] | None = None,
                 blobs: dict[str, bytes] | None = None, only: set[str] | None = None):
        self._tree, self._hidden, self._listing, self._only = tree, hidden, listing, only
        self._blobs = blobs or {}  # blob id → bytes, fetched in one batch (the folders that differ)

    def _outside(self, rel: str) -> bool:
        """Whether ``rel`` is neither catalogues/ nor in one of the ``only`` folders."""
        if self._only is None:
            return False
        parts = rel.strip("/").split("/", 2)
        return parts[0] != "catalogues" or (len(parts) > 1 and parts[1] not in self._only)

    def list(self, rel: str) -> list[str]:
        rel = rel.strip("/")
        if rel == "sources" or self._outside(rel):
            return []
        if self._listing is not None and rel.startswith("catalogues/") and rel.count("/") == 1:
            return list(self._listing.get(rel[len("catalogues/"):], []))
        names = self._tree.list(rel)
        if rel == "catalogues" and self._only is not None:
            return [n for n in names if n in self._only]
        return [n for n in names if n not in self._hidden] if rel == "catalogues" else names

    def exists(self, rel: str) -> bool:
        return not rel.startswith("sources/") and not self._outside(rel) and self._tree.exists(rel)

    def is_dir(self, rel: str) -> bool:
        return not self._outside(rel) and self._tree.is_dir(rel)

    def special(self, rel: str) -> str | None:
        return None if self._outside(rel) else self._tree.special(rel)

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


def _ls_catalogues(tree) -> dict[str, dict[str, tuple[str, str, int]]] | None:
    """folder → {name: (type, oid, size)} for every region folder of a git tree: from the listing
    a :class:`villagecat.trees.GitTree` made when it was opened (one ``git ls-tree`` of the whole
    commit), else from a ``git ls-tree`` of ``catalogues/``; ``None`` for a folder on disk."""
    from villagecat import git

    tid = tree.tree_id("catalogues") if hasattr(tree, "tree_id") else None
    if not tid:
        return None
    if callable(getattr(tree, "entries", None)):  # a GitTree: its listing, made when it was opened
        entries = [(path, *entry) for path, entry in tree.entries("catalogues").items()]
    else:
        try:
            entries = git.ls_tree(tree.repo, tid)
        except git.GitError:
            return None
    out: dict[str, dict[str, tuple[str, str, int]]] = {}
    for path, typ, oid, size in entries:
        parts = path.split("/")
        if len(parts) == 1 and typ == "tree":
            out.setdefault(path, {})
        elif len(parts) == 2:
            out.setdefault(parts[0], {})[parts[1]] = (typ, oid, size)
    return out


def _cat_blobs(repo: str, oids: list[str]):
    """The blobs ``oids``, in order, from one batched ``git cat-file`` (:func:`villagecat.git.cat_blobs`)."""
    from villagecat import git

    return git.cat_blobs(repo, oids)


_BLANKISH = re.compile(r"^(?:[^\S\n]|,)+$", re.M)  # a line of only spaces and commas
# A line that might be blank once decoded: only ASCII whitespace other than a newline (what
# str.isspace accepts), commas, and bytes of multi-byte characters (U+3000 is a space too).
# _MAYBE_BLANK_NEXT finds one after a newline, or an empty line (not the end after a last newline).
_MAYBE_BLANK = re.compile(rb"[\t\x0b\x0c\x1c-\x1f ,\x80-\xff]+(?:\n|\Z)")
_MAYBE_BLANK_NEXT = re.compile(rb"\n(?:[\t\x0b\x0c\x1c-\x1f ,\x80-\xff]*\n|[\t\x0b\x0c\x1c-\x1f ,\x80-\xff]+\Z)")


def _count_rows(data: bytes) -> tuple[list[str], int]:
    """The header and the rows holding something, as the reader counts items. Without quotes,
    carriage returns, empty lines and lines that might be blank a row is a line: the lines are
    counted in the bytes (newlines are ASCII and survive any decoding) and only the header is
    decoded. Otherwise the text is counted line by line, or by the csv module."""
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if b'"' not in body and b"\r" not in body and not _MAYBE_BLANK.match(body) and not _MAYBE_BLANK_NEXT.search(body):
        end = body.find(b"\n")
        first = body[:end] if end >= 0 else body
        header = first.decode("utf-8", errors="replace").split(",") if first else []
        return header, body.count(b"\n") - body.endswith(b"\n")
    text = data.decode("utf-8-sig", errors="replace")
    if '"' not in text and "\r" not in text and not _BLANKISH.search(text):
        lines = text.split("\n")
        return (lines[0].split(",") if lines[0] else []), len(lines) - 1 - lines.count("") + (lines[0] == "")
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    return header, sum(1 for row in rows if any(cell.strip() for cell in row))


def _summaries(tree, folders: dict[str, dict[str, tuple[str, str, int]]]) -> dict[str, Region]:
    """Region folders identical on both sides, as far as a diff needs them: catalogue.yaml (without
    schemas) and each list's path, header, title and number of items; every blob read in one
    batch. A folder that cannot be read so (odd YAML, a link, a missing file) is left out: the
    reader then reads it the usual way."""
    import yaml

    from villagecat.decode import load_yaml_plain
    from villagecat.reader import FOLDER_RE, RESOURCE_PATH_RE

    plan = []
    for folder, names in folders.items():
        m = FOLDER_RE.match(folder)
        if not m or names.get("catalogue.yaml", ("",))[0] != "blob":
            continue
        files = ["catalogue.yaml"] + sorted(n for n, (typ, *_) in names.items() if n.endswith(".csv") and typ == "blob")
        plan.append((folder, m.group(1), files))
    oids = [folders[f][n][1] for f, _, files in plan for n in files]
    blobs = _cat_blobs(tree.repo, oids)
    out: dict[str, Region] = {}
    for folder, adcode, files in plan:
        data = {n: next(blobs) for n in files}
        try:
            text = strip_schemas(data["catalogue.yaml"].decode("utf-8-sig"))
            package = load_yaml_plain(f"catalogues/{folder}/catalogue.yaml", text)
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


def _fetch(tree, folders: dict[str, dict[str, tuple[str, str, int]]] | None, hidden: set[str]) -> dict[str, bytes]:
    """The blobs of the region folders a diff reads (those not ``hidden``), from one batched
    ``git cat-file`` instead of one round trip each."""
    if not folders or not hasattr(tree, "repo"):
        return {}
    oids = sorted({oid for folder, names in folders.items() if folder not in hidden
                   for name, (typ, oid, _) in names.items() if typ == "blob"})
    from villagecat import git

    blobs = _cat_blobs(tree.repo, oids)
    try:
        return {oid: next(blobs) for oid in oids}
    except (git.GitError, OSError, StopIteration):
        return {}  # the reader then reads each file the usual way
    finally:
        blobs.close()


# ---------------------------------------------------------------- both cores
# A diff between two git refs spends its time on the folders that differ (read on both sides and
# compared) and on counting the identical ones. A child process reads and compares part of the
# differing folders while this one counts the identical ones and reads the rest; what comes back
# is small: each list's comparison, and its region's catalogue.yaml, with no item (the comparison
# holds what a diff shows of them).

# Seconds of processor time (git's included) per byte of blobs, measured on the synthetic national
# catalogue (2026-12): a folder identical on both sides is counted (one side's bytes), a differing
# one read and compared here (both sides' bytes) or in the child (its comparison sent back).
_COST_COUNTED = 18e-9
_COST_HERE = 76e-9
_COST_CHILD = 101e-9
_SPLIT_MIN_BYTES = 4_000_000  # differing folders smaller than this are not worth a process


@dataclass
class _Compared(ItemList):
    """A list compared before the diff was asked for (:func:`read_pair`), its comparison in
    ``diff``: read in this process (its items kept) or in a child process (only their number,
    :func:`_compare_part`). ``cited`` is every law id the list or one of its items cites: all a
    diff takes of items beyond their comparison (diff_meta asks ``legal_basis`` for the laws of one
    region)."""

    diff: ListDiff | None = None
    cited: list[str] = field(default_factory=list)

    @property
    def legal_basis(self) -> list[str]:
        return list(self.cited)


def _compared(lst: ItemList, diff: ListDiff, keep_items: bool) -> _Compared:
    """``lst`` with its comparison; without ``keep_items``, its items and rows left out (counted),
    the laws they cite kept in ``cited``."""
    cited = set(lst.legal_basis)
    if not keep_items:
        for raw in {item.values.get("legal_basis", "") for item in lst.items}:  # as Item.legal_basis splits it
            cited.update(x.strip() for x in raw.split(";") if x.strip())
    table = lst.table if keep_items else Table(path=lst.table.path, header=lst.table.header, blob=lst.table.blob,
                                               readable=lst.table.readable)
    return _Compared(region=lst.region, kind=lst.kind, resource=lst.resource, table=table,
                     items=lst.items if keep_items else _Counted(len(lst.items)), index=lst.index, diff=diff,
                     cited=sorted(cited))


def _compare_lists(old: Catalogue, new: Catalogue) -> dict[str, dict[str, ListDiff]]:
    """adcode → kind → comparison, for every list of two catalogues."""
    olds = {r.adcode: r for r in old.catalogued_regions()}
    news = {r.adcode: r for r in new.catalogued_regions()}
    out = {}
    for code in sorted(olds.keys() | news.keys()):
        a, b = olds.get(code), news.get(code)
        out[code] = {kind: _diff_list(code, kind, a.lists.get(kind) if a else None, b.lists.get(kind) if b else None)
                     for kind in set(a.lists if a else {}) | set(b.lists if b else {})}
    return out


def _compare_here(old: Catalogue, new: Catalogue) -> None:
    """Compare the lists read in this process while a child process compares its own: each list
    becomes a :class:`_Compared` holding its items and comparison."""
    for code, diffs in _compare_lists(old, new).items():
        for cat in (old, new):
            region = cat.regions.get(code)
            if region is not None and region.folder:
                region.lists = {kind: _compared(lst, diffs[kind], True) for kind, lst in region.lists.items()}


@dataclass
class _Part:
    """What a child process sends back of the region folders it read and compared: each side's
    regions (by adcode) with :class:`_Compared` lists, and each side's item ids (an id may not be
    in two folders: this process checks them against the folders it read)."""

    old: dict[str, Region]
    new: dict[str, Region]
    ids_old: set[str]
    ids_new: set[str]


def _plan(old_ls: dict, new_ls: dict, identical: set[str]) -> tuple[set[str], set[str]] | None:
    """The differing region folders a child process should read and compare (old side, new side),
    chosen so that it ends when this process has counted the identical folders and compared the rest;
    ``None`` when there is not enough to share. Only a region with at most one folder a side,
    holding nothing but files, goes there (anything odd is left to this process)."""
    from villagecat.reader import FOLDER_RE

    size = lambda names: sum(entry[2] for entry in names.values())
    by_code: dict[str, tuple[list[str], list[str]]] = {}
    for i, ls in enumerate((old_ls, new_ls)):
        for folder in ls:
            m = FOLDER_RE.match(folder)
            by_code.setdefault(m.group(1) if m else "", ([], []))[i].append(folder)
    counted = sum(size(new_ls[f]) for f in identical)
    differing = sum(size(old_ls[f]) for f in old_ls if f not in identical) \
        + sum(size(new_ls[f]) for f in new_ls if f not in identical)
    candidates = []
    for code, (olds, news) in sorted(by_code.items()):
        names = [old_ls[f] for f in olds] + [new_ls[f] for f in news]
        if code and len(olds) <= 1 and len(news) <= 1 and not any(f in identical for f in olds + news) \
                and all(n.get("catalogue.yaml", ("",))[0] == "blob" and all(e[0] == "blob" for e in n.values())
                        for n in names):
            candidates.append((olds, news, sum(map(size, names))))
    if sum(c[2] for c in candidates) < _SPLIT_MIN_BYTES:
        return None
    # The child's share x (bytes) balances: x · child = counted + (differing − x) · here.
    target = (counted * _COST_COUNTED + differing * _COST_HERE) / (_COST_CHILD + _COST_HERE)
    olds_out, news_out, taken = set(), set(), 0
    for olds, news, cost in candidates:
        if taken >= target:
            break
        olds_out.update(olds)
        news_out.update(news)
        taken += cost
    return olds_out, news_out


def _compare_part(old_tree, new_tree, old_ls: dict, new_ls: dict, folders_old: set[str],
                  folders_new: set[str]) -> _Part | None:
    """Read the region folders ``folders_old`` and ``folders_new`` of the two trees and compare
    them (run in a child process); ``None`` when the result could not stand for them (a problem in
    reading, an empty or repeated id, a blob not fetched): this process then reads them itself."""
    from villagecat.reader import read_tree

    cats = []
    for tree, ls, folders in ((old_tree, old_ls, folders_old), (new_tree, new_ls, folders_new)):
        blobs = _fetch(tree, {f: ls[f] for f in folders}, set())
        if any(oid not in blobs for f in folders for typ, oid, _ in ls[f].values()):
            return None  # never the tree's own reader: this process's git may be running
        cats.append(read_tree(_DiffView(tree, set(), _listing(ls), blobs, only=folders), releases=False))
    old, new = cats
    if old.problems or new.problems:
        return None
    ids = [[item.id for item in cat.items()] for cat in (old, new)]
    part = _Part({}, {}, set(ids[0]), set(ids[1]))
    if len(part.ids_old) < len(ids[0]) or len(part.ids_new) < len(ids[1]) \
            or any(not i.strip() for i in part.ids_old | part.ids_new):
        return None  # what _index refuses: let this process find it again and say so
    for code, diffs in _compare_lists(old, new).items():
        for cat, out in ((old, part.old), (new, part.new)):
            region = cat.regions.get(code)
            if region is not None and region.folder:
                lists = {kind: _compared(lst, diffs[kind], False) for kind, lst in region.lists.items()}
                out[code] = Region(adcode=code, folder=region.folder, package=region.package,
                                   sources=region.sources, lists=lists)
    return part


def _take_part(part: _Part, old: Catalogue, new: Catalogue) -> bool:
    """Put the regions a child process read and compared into ``old`` and ``new`` (as reading their
    folders would have set them), unless one of their ids is also in a folder read here
    (``False``: comparing by id must then refuse, as it would have)."""
    if not part.ids_old.isdisjoint(i.id for i in old.items()) or not part.ids_new.isdisjoint(i.id for i in new.items()):
        return False
    for regions, cat in ((part.old, old), (part.new, new)):
        for code, stub in regions.items():
            region = cat.regions.get(code)
            if region is None:
                region = cat.regions[code] = Region(adcode=code)
            region.folder, region.package, region.package_node = stub.folder, stub.package, None
            region.sources, region.lists = stub.sources, stub.lists
    return True


def _outcome(part) -> _Part | None:
    """What the child process sent back, or ``None`` when it failed (in a child process or, where
    there is no ``fork``, here): its folders are then read here, and the diff is the same."""
    try:
        return part.result()
    except Exception:  # noqa: BLE001 (a failure costs time, never the result)
        return None


def _listing(ls: dict | None) -> dict[str, list[str]] | None:
    """folder → its names, for :class:`_DiffView`."""
    return {f: sorted(names) for f, names in ls.items()} if ls is not None else None


def read_pair(old_tree, new_tree, jobs: int | None = None, region: str | None = None) -> tuple[Catalogue, Catalogue]:
    """Read two trees for a diff, doing work only where they differ.

    Between two git refs most region folders are usually unchanged: identical tree ids mean
    identical content, so such a folder is neither parsed nor compared — only its lists' titles and
    item counts are taken (:func:`_summaries`), once, into both sides. The other folders and the
    shared tables are read as usual, without the inline schema copies and the transcriptions,
    which a diff does not compare. With two processes (``jobs``, by default one per core) part of
    the differing folders is read and compared in a child process meanwhile (:func:`_plan`,
    :func:`_compare_part`): their lists come back compared, without items. Whenever that part
    cannot stand for them (an error reading them, an id in two folders, the child failing) both
    trees are read here as without it, so that the diff (or its refusal) is the same. (Measured
    on 500k synthetic items, 15 % of them in revised folders: see bench/report.md.)

    The folders of ``region`` (an adcode: ``diff --region``) are read in full even when identical:
    a diff of that region shows the laws its items cite, which a summary does not hold.
    """
    from villagecat.parallel import Forked, can_fork, default_jobs
    from villagecat.reader import _no_cycle_collection, read_tree

    with _no_cycle_collection():
        old_ls, new_ls = _ls_catalogues(old_tree), _ls_catalogues(new_tree)
        same: dict[str, Region] = {}
        part = aside_old = aside_new = None
        if old_ls is not None and new_ls is not None:
            asked = f"{region}-" if region else None  # (a folder is "<adcode>-<name>")
            identical = {f for f in old_ls if f in new_ls and not (asked and f.startswith(asked))
                         and old_tree.tree_id(f"catalogues/{f}") == new_tree.tree_id(f"catalogues/{f}")}
            plan = _plan(old_ls, new_ls, identical) if (jobs or default_jobs()) > 1 else None
            if plan is not None:
                aside_old, aside_new = plan
                part = Forked(_compare_part, old_tree, new_tree, old_ls, new_ls, aside_old, aside_new, fork=can_fork())
            same = _summaries(new_tree, {f: new_ls[f] for f in identical})
        hidden = set(same)

        def read(aside_old=frozenset(), aside_new=frozenset()) -> tuple[Catalogue, Catalogue]:
            """Both trees, without the identical folders (and those ``aside`` for the child)."""
            cats = {}
            for side, tree, ls, aside in (("new", new_tree, new_ls, aside_new), ("old", old_tree, old_ls, aside_old)):
                cats[side] = read_tree(_DiffView(tree, hidden | aside, _listing(ls), _fetch(tree, ls, hidden | aside)))
            return cats["old"], cats["new"]

        if part is None:
            old, new = read()
        else:
            try:
                old, new = read(aside_old, aside_new)
                _compare_here(old, new)
                done = _outcome(part)
            finally:
                part.stop()  # (when this process failed first)
            if done is None or not _take_part(done, old, new):
                old, new = read()  # as if there had been no child
    for folder, summary in same.items():
        sources: dict[str, Source] = {}
        for src in summary.package.get("sources") or []:
            if isinstance(src, dict) and src.get("key"):
                sources.setdefault(str(src["key"]), Source.from_mapping(src))
        for cat in (old, new):  # one package, one set of lists and sources for both sides
            region = cat.regions.get(summary.adcode)
            if region is None:
                region = cat.regions[summary.adcode] = Region(adcode=summary.adcode)
            region.folder, region.package, region.lists, region.sources = folder, summary.package, summary.lists, sources
    return old, new
