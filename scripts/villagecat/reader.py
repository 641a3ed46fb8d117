"""The only code that opens catalogue files: a tree (folder or git commit) → one :class:`Catalogue`.

One tree is read once, completely: the shared tables, every region folder, the transcriptions
under ``sources/``, the schemas under ``schemas/`` and the release records of ``releases.yaml``
(format-checked, then verified against git). Reading never raises on bad input: what cannot be
read becomes a problem in ``catalogue.problems`` and the rest is still read, so one run reports
everything.

>>> cat = read_catalogue(".")          # the working tree
>>> "000000" in cat.regions
True
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager

from villagecat.decode import MAX_CSV_BYTES, MAX_YAML_BYTES, read_csv_bytes, read_yaml_bytes
from villagecat.model import KINDS, Catalogue, Item, ItemList, Law, Region, Source, SourceFile, Table
from villagecat.parallel import can_fork
from villagecat.problems import Problem, define, problem
from villagecat.source_text import MAX_SOURCE_BYTES, SOURCE_FILE_RE, SOURCES_DIR, parse_source_file
from villagecat.trees import FolderTree, GitTree, UnsafePath, open_tree, safe_join

ROOT = "catalogues"
TABLES = ("regions", "laws", "known-documents", "withdrawn")  # the shared tables, catalogues/<name>.csv
FOLDER_RE = re.compile(r"^(\d{6})-[a-z][a-z0-9-]*$")
RESOURCE_PATH_RE = re.compile(r"^[a-z][a-z0-9-]*\.csv$")

define("catalogue-missing", "input", "缺少 catalogue.yaml", "catalogue.yaml missing",
       "文件夹 {folder} 中没有 catalogue.yaml。", "Folder {folder} has no catalogue.yaml.",
       "每个地区文件夹都要有 catalogue.yaml，写法见 docs/data-conventions.md。", "Every region folder needs a catalogue.yaml; see docs/data-conventions.md.")
define("folder-name", "input", "文件夹名称不合规", "Bad folder name",
       "文件夹名 {folder} 不符合“六位行政区划代码-拼音”格式。", "Folder name {folder} is not '<six-digit adcode>-<pinyin>'.",
       "重命名为如 150000-neimenggu 的形式。", "Rename it like 150000-neimenggu.")
define("resource-path-unsafe", "input", "资源路径不安全", "Unsafe resource path",
       "资源路径 {path!r} 指向本文件夹之外或不是 .csv 文件名。", "Resource path {path!r} leaves the folder or is not a plain .csv file name.",
       "path 只写本文件夹内的文件名，如 duties.csv。", "Give path as a file name inside this folder, e.g. duties.csv.")
define("resource-missing-file", "input", "资源文件不存在", "Resource file missing",
       "catalogue.yaml 声明了 {path}，但文件不存在。", "catalogue.yaml declares {path}, but the file does not exist.",
       "添加该文件，或从 resources 中删除这一项。", "Add the file, or remove the resource from catalogue.yaml.")
define("resource-not-declared", "input", "CSV 未在 catalogue.yaml 中声明", "CSV not declared",
       "{path} 没有列在 catalogue.yaml 的 resources 中，不会被校验或发布。", "{path} is not listed in catalogue.yaml resources: it is neither validated nor published.",
       "在 resources 中为它添加一项（name、path、x-kind…），或删除该文件。", "Add a resource for it (name, path, x-kind …) or delete the file.")
define("unknown-kind", "input", "未知的清单类型", "Unknown list kind",
       "资源 {name} 的类型 {kind!r} 不是已知清单类型（{known}）。", "Resource {name} has kind {kind!r}, not one of {known}.",
       "把 x-kind 设为已知类型之一。", "Set x-kind to one of the known kinds.")
define("duplicate-kind", "input", "同一类型清单重复", "List kind declared twice",
       "本地区已有 {kind} 清单（{first}），不能再声明 {path}。", "This region already has a {kind} list ({first}); {path} cannot be a second one.",
       "同一地区同一类型的事项放在同一个 CSV 中，每行用 source 标明出处。", "Keep one CSV per kind per region; each row names its own source.")
define("not-a-regular-file", "input", "不是普通文件", "Not a regular file",
       "{path} 是{what_zh}，不是普通文件或文件夹，未被读取。", "{path} is {what_en}, not a regular file or folder; it was not read.",
       "删除它，换成普通的 UTF-8 文本文件或文件夹（目录中不能有命名管道、设备、git 子模块或 git 中的符号链接）。",
       "Delete it and put a plain UTF-8 text file or folder there (no named pipes, devices, git submodules or links committed to git).")
define("path-outside-repository", "input", "链接指向仓库之外", "Link leaves the repository",
       "{path} 是指向仓库之外的符号链接，未被读取。", "{path} is a symbolic link to somewhere outside the repository; it was not read.",
       "把文件或文件夹本身放进仓库，删除该链接。", "Put the file or folder itself into the repository and delete the link.")

SPECIAL = {  # what FolderTree.special / GitTree.special return, in Chinese and English
    "fifo": ("一个命名管道（FIFO）", "a named pipe (FIFO)"),
    "socket": ("一个套接字", "a socket"),
    "device": ("一个设备文件", "a device file"),
    "submodule": ("一个 git 子模块（commit 条目）", "a git submodule (a commit entry)"),
    "link": ("提交到 git 的符号链接", "a symbolic link committed to git"),
    "other": ("一个特殊文件", "a special file"),
}


def unreadable(tree, rel: str) -> Problem | None:
    """The problem of a name that must not be opened: a link out of the tree or a special file."""
    if tree.escapes(rel):
        return problem("path-outside-repository", file=rel, path=rel)
    what = tree.special(rel)
    if what:
        zh, en = SPECIAL.get(what, SPECIAL["other"])
        return problem("not-a-regular-file", file=rel, path=rel, what_zh=zh, what_en=en)
    return None


def read_table(tree, rel: str, problems: list, limit: int = MAX_CSV_BYTES, strings: dict | None = None) -> Table:
    """One CSV file as a :class:`Table`. ``strings`` (text → the one string object kept for it),
    shared by every table of a read, keeps each repeated cell once: counties copy their province's
    lists, and at national size this takes ≈ 18 % off the catalogue in memory (less to copy into
    the processes that write the site: :mod:`villagecat.site.shell`)."""
    table = Table(path=rel, blob=tree.blob_id(rel))
    refused = unreadable(tree, rel)
    if refused is not None:
        problems.append(refused)
        table.readable = False
        return table
    try:
        size = tree.size(rel)
    except (OSError, KeyError):
        size = 0
    if size > limit:
        problems.append(problem("file-too-large", file=rel, size=size, limit=limit))
        table.readable = False
        return table
    rows, probs = read_csv_bytes(rel, tree.read_bytes(rel, limit), limit)
    problems.extend(probs)
    if rows is None:
        table.readable = False
        return table
    table.header = header = rows[0] if rows else []
    width = len(header)
    keep = strings.setdefault if strings is not None else None
    for raw, line in zip(rows[1:], rows.lines[1:]):
        if not "".join(raw).strip():  # every cell blank
            continue
        if keep is not None:
            raw = [keep(cell, cell) for cell in raw]
        table.raw_rows.append(raw)
        row = dict(zip(header, raw))  # a repeated column keeps its last cell, as a dict display would
        if len(raw) < width:
            row = {h: (raw[i] if i < len(raw) else "") for i, h in enumerate(header)}
        table.rows.append(row)
        table.lines.append(line)
    return table


def read_catalogue(spec: str = ".", repo: str = ".", releases: bool = True) -> Catalogue:
    """Read a folder (working tree) or a git ref of ``repo`` into a :class:`Catalogue`."""
    tree = open_tree(str(spec), repo) if not hasattr(spec, "read_bytes") else spec
    return read_tree(tree, releases=releases)


def tree_repo(tree) -> str | None:
    """The git repository a tree belongs to: a git tree's, or the folder itself."""
    repo = getattr(tree, "repo", None) or getattr(tree, "root", None)
    return str(repo) if repo is not None else None


def read_releases(tree, cat: Catalogue | None = None) -> Catalogue:
    """``releases.yaml`` of ``tree``, format-checked, then verified against the tree's repository."""
    from villagecat.rules.release_records import read_records, verify_records

    cat = cat if cat is not None else Catalogue(label=tree.label, repo=tree_repo(tree))
    cat.records = read_records(tree)
    cat.record_problems = verify_records(cat.repo, cat.records) if cat.repo else []
    return cat


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a catalogue is built: reading makes millions of
    objects (rows, items) and no cycles, and each full collection walks all of them: a third of
    the reading time at 50k items, more at 500k (maintainers/scale.md). What was read is then
    frozen (``gc.freeze``): later collections skip it; reference counting still frees it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def read_tree(tree: FolderTree | GitTree, releases: bool = True) -> Catalogue:
    """Everything ``tree`` holds, read once. ``releases=False`` skips ``releases.yaml`` (an old
    release's own records are never used: the working tree's records describe every release)."""
    with _no_cycle_collection():
        return _read_tree(tree, releases)[0]


def read_tree_checked(tree: FolderTree | GitTree, regional, jobs: int = 1) -> tuple[Catalogue, list, set[str]]:
    """:func:`read_tree`, and ``regional(cat, codes)`` (checks that look at the given regions only)
    run over the region folders as they are read: ``(catalogue, its problems, the codes checked)``.

    With ``jobs`` > 1, a folder tree and at least :data:`SPLIT_FOLDERS` region folders, a forked
    child reads every other region (with its ``regional`` checks) while this process reads the rest
    (with its own), and sends back its regions and problems: the catalogue is the same as one
    process reads (regions in the same order, problems in the same order), except that the child's
    regions carry their ``catalogue.yaml`` text, composed again when a line number is asked for
    (:class:`villagecat.decode.LazyNode`), and their cells are not shared with this process's.
    """
    with _no_cycle_collection():
        return _read_tree(tree, True, jobs, regional)


SPLIT_FOLDERS = 200  # fewer region folders than this are read by one process (forking costs ≈ 20 ms)


def _read_tree(tree: FolderTree | GitTree, releases: bool, jobs: int = 1, regional=None) -> tuple[Catalogue, list, set[str]]:
    from villagecat.schemas import load_schemas

    cat = Catalogue(label=tree.label, repo=tree_repo(tree))
    probs = cat.problems

    if tree.escapes(ROOT):
        probs.append(problem("path-outside-repository", file=ROOT, path=ROOT))
        return cat
    for name in TABLES:
        rel = f"{ROOT}/{name}.csv"
        if tree.escapes(rel) or tree.special(rel) or (tree.exists(rel) and not tree.is_dir(rel)):
            cat.tables[name] = read_table(tree, rel, probs)
    for row in cat.tables.get("regions", Table("")).rows:
        code = row.get("adcode", "").strip()
        if code:
            cat.regions.setdefault(code, Region(adcode=code, name=row.get("name", ""), level=row.get("level", ""),
                                                parent=row.get("parent", ""), note=row.get("note", "")))
    for row in cat.tables.get("laws", Table("")).rows:
        lid = row.get("id", "").strip()
        if lid:
            # Keyed and named by the same stripped id (as regions are): " L0001" is reported by the
            # structure layer, and must not leave a law whose id is not its key.
            cat.laws.setdefault(lid, Law(**{**{k: row.get(k, "") for k in Law.__dataclass_fields__}, "id": lid}))

    plan: list = []  # per entry of catalogues/, in order: the problem it is, or (folder, adcode) to read
    for folder in tree.list(ROOT):
        rel_folder = f"{ROOT}/{folder}"
        if folder.startswith(".") or folder in {f"{t}.csv" for t in TABLES}:
            continue
        refused = unreadable(tree, rel_folder)
        if refused is not None:
            plan.append(refused)
            continue
        if not tree.is_dir(rel_folder):
            continue
        m = FOLDER_RE.match(folder)
        if not m:
            plan.append(problem("folder-name", file=rel_folder, folder=folder))
            continue
        plan.append((folder, m.group(1)))
    todo = [entry for entry in plan if isinstance(entry, tuple)]
    schema_problems: list[Problem] = []
    if regional is not None:  # the regional checks need the schemas before the regions
        cat.schemas = load_schemas(tree, schema_problems)
    found: dict[str, list[Problem]] = {}  # folder → the problems of reading it
    checked: list[Problem] = []
    codes = {code for _, code in todo}
    if regional is not None and jobs > 1 and len(todo) >= SPLIT_FOLDERS and isinstance(tree, FolderTree) and can_fork():
        _read_split(tree, cat, todo, regional, found, checked)
    else:
        strings: dict[str, str] = {}  # every cell text read, kept once (read_table)
        _read_folders(tree, cat, todo, strings, found)
        if regional is not None:
            checked = list(regional(cat, codes))
    for entry in plan:
        probs.extend(found[entry[0]] if isinstance(entry, tuple) else [entry])
    _read_sources(tree, cat)
    if regional is None:
        cat.schemas = load_schemas(tree, schema_problems)
    probs.extend(schema_problems)
    if releases:
        read_releases(tree, cat)
    return cat, checked, codes


def _read_folders(tree, cat: Catalogue, todo: list, strings: dict, found: dict, texts: dict | None = None) -> None:
    """Each ``(folder, adcode)`` of ``todo`` read into ``cat``; the problems of each kept in ``found``
    (by folder); with ``texts``, the ``catalogue.yaml`` bytes of each region read (by adcode)."""
    for folder, code in todo:
        start = len(cat.problems)
        data = _read_region(tree, cat, folder, code, strings)
        if data is not None and texts is not None:
            texts[code] = data
        found[folder] = cat.problems[start:]
        del cat.problems[start:]


def _lanes(todo: list) -> tuple[list, list]:
    """``todo`` dealt into two lanes, this process's and the child's: every other adcode (folders of
    one adcode stay together: the last read is the one kept)."""
    codes = list(dict.fromkeys(code for _, code in todo))
    theirs = set(codes[1::2])
    return [e for e in todo if e[1] not in theirs], [e for e in todo if e[1] in theirs]


def _read_split(tree, cat: Catalogue, todo: list, regional, found: dict, checked: list) -> None:
    """Half the region folders read (and checked) by a forked child, the other half here."""
    from villagecat.decode import LazyNode
    from villagecat.parallel import Forked

    table_codes = list(cat.regions)  # the regions of regions.csv, in order; folders add the rest
    mine, theirs = _lanes(todo)

    def child():
        found_there: dict[str, list[Problem]] = {}
        texts: dict[str, bytes] = {}
        _read_folders(tree, cat, theirs, {}, found_there, texts)
        codes = {code for _, code in theirs}
        problems = list(regional(cat, codes))
        regions = {}
        for code in codes:
            region = cat.regions[code]
            if region.package_node is not None:  # its nodes stay here: cheaper composed again where asked for
                region.package_node = LazyNode(f"{ROOT}/{region.folder}/catalogue.yaml", texts[code])
            for lst in region.lists.values():
                lst.items = []  # made again from the rows there: half the cost of sending a region
            regions[code] = region
        return regions, found_there, problems

    job = Forked(child)
    try:
        strings: dict[str, str] = {}
        _read_folders(tree, cat, mine, strings, found)
        checked.extend(regional(cat, {code for _, code in mine}))
        regions, found_there, problems = job.result()
    finally:
        job.stop()
    for region in regions.values():
        for lst in region.lists.values():
            _make_items(lst)
    cat.regions.update(regions)
    found.update(found_there)
    checked.extend(problems)
    order = dict.fromkeys(table_codes)
    order.update(dict.fromkeys(code for _, code in todo))  # as one process would have added them
    cat.regions = {code: cat.regions[code] for code in order}


def _read_sources(tree, cat: Catalogue) -> None:
    """Each transcription under ``sources/`` and each a catalogue.yaml names, read once into the model.

    What cannot be read is recorded on the :class:`SourceFile` (its ``status`` and ``problems``),
    not in ``cat.problems``: a release tree holds no ``sources/``, and that must not stop its
    pages or downloads; the validator reports it.
    """
    named = [source.file.strip() for region in cat.catalogued_regions() for source in region.sources.values()]
    listing = tree.list(SOURCES_DIR) if tree.is_dir(SOURCES_DIR) else []  # is_dir is False for a link leaving the tree
    present = [f"{SOURCES_DIR}/{name}" for name in listing if name.endswith(".md") and name != "README.md"]
    for rel in named + present:  # files no catalogue names are read too, so that their headers are checked
        if rel and rel not in cat.source_files:
            cat.source_files[rel] = _read_source(tree, rel)


def _read_source(tree, rel: str) -> SourceFile:
    try:
        safe = bool(SOURCE_FILE_RE.match(rel)) and safe_join(rel) == rel and not tree.escapes(rel)
    except UnsafePath:
        safe = False
    if not safe:
        return SourceFile(path=rel, status="unsafe")
    refused = unreadable(tree, rel)  # a FIFO would hang the read; a special file is never opened
    if refused is not None:
        return SourceFile(path=rel, status="unreadable", problems=[refused])
    if not tree.exists(rel) or tree.is_dir(rel):
        return SourceFile(path=rel, status="missing")
    size = tree.size(rel)
    if size > MAX_SOURCE_BYTES:
        return SourceFile(path=rel, status="unreadable",
                          problems=[problem("file-too-large", file=rel, size=size, limit=MAX_SOURCE_BYTES)])
    return parse_source_file(rel, tree.read_bytes(rel, MAX_SOURCE_BYTES))


def _read_region(tree, cat: Catalogue, folder: str, adcode: str, strings: dict | None = None) -> bytes | None:
    """One region folder into ``cat``; the bytes of its ``catalogue.yaml`` when they were parsed."""
    probs = cat.problems
    rel_folder = f"{ROOT}/{folder}"
    region = cat.regions.get(adcode)
    if region is None:
        region = cat.regions[adcode] = Region(adcode=adcode)
    region.folder = folder
    yaml_rel = f"{rel_folder}/catalogue.yaml"
    refused = unreadable(tree, yaml_rel)
    if refused is not None:
        probs.append(refused)
        return
    if not tree.exists(yaml_rel) or tree.is_dir(yaml_rel):  # a folder named catalogue.yaml cannot be read
        probs.append(problem("catalogue-missing", file=rel_folder, folder=folder))
        return
    size = tree.size(yaml_rel)
    if size > MAX_YAML_BYTES:
        probs.append(problem("file-too-large", file=yaml_rel, size=size, limit=MAX_YAML_BYTES))
        return
    data = tree.read_bytes(yaml_rel, MAX_YAML_BYTES)
    package, node, yprobs = read_yaml_bytes(yaml_rel, data)
    probs.extend(yprobs)
    if package is None:
        return None
    region.package, region.package_node = package, node
    sources = package.get("sources")
    for src in sources if isinstance(sources, list) else []:  # the metadata layer reports the shape
        if isinstance(src, dict) and src.get("key"):
            region.sources.setdefault(str(src["key"]), Source.from_mapping(src))

    declared: set[str] = set()
    resources = package.get("resources")
    for index, res in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(res, dict):
            continue  # the metadata layer reports the shape
        path = res.get("path")
        if not isinstance(path, str):
            continue
        try:
            safe_join(path)
            ok = bool(RESOURCE_PATH_RE.match(path))
        except UnsafePath:
            ok = False
        if not ok:
            probs.append(problem("resource-path-unsafe", file=yaml_rel, row=_line(node, index), column="path", path=path))
            continue
        kind = str(res.get("x-kind") or res.get("name") or "")
        if kind not in KINDS:
            probs.append(problem("unknown-kind", file=yaml_rel, row=_line(node, index), column="x-kind",
                                 name=res.get("name"), kind=kind, known="、".join(KINDS)))
            continue
        csv_rel = f"{rel_folder}/{path}"
        declared.add(path)
        if kind in region.lists:
            probs.append(problem("duplicate-kind", file=yaml_rel, row=_line(node, index), column="x-kind",
                                 kind=kind, first=region.lists[kind].table.path, path=path))
            continue
        if tree.escapes(csv_rel):
            probs.append(problem("resource-path-unsafe", file=yaml_rel, row=_line(node, index), column="path", path=path))
            continue
        if not tree.special(csv_rel) and (not tree.exists(csv_rel) or tree.is_dir(csv_rel)):
            probs.append(problem("resource-missing-file", file=yaml_rel, row=_line(node, index), column="path", path=path))
            continue
        table = read_table(tree, csv_rel, probs, strings=strings)
        lst = ItemList(region=adcode, kind=kind, resource=res, table=table, index=index)
        _make_items(lst)
        region.lists[kind] = lst
    for name in tree.list(rel_folder):
        if name.endswith(".csv") and name not in declared:
            probs.append(problem("resource-not-declared", file=f"{rel_folder}/{name}", path=name))
    return data


def _make_items(lst: ItemList) -> None:
    """The items of a list, one a row of its table (sharing the row's mapping)."""
    kind, code, path = lst.kind, lst.region, lst.table.path
    lst.items = [Item(kind=kind, region=code, path=path, row=line, values=row)
                 for row, line in zip(lst.table.rows, lst.table.lines)]


def _line(node, index: int) -> int | None:
    from villagecat.decode import yaml_line
    return yaml_line(node, ("resources", index))
