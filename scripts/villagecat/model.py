"""The one in-memory model of the catalogue that every feature consumes.

A :class:`Catalogue` holds everything one tree (a folder or a git commit) says, read once by
:mod:`villagecat.reader`: regions (each with its sources and lists of items), the shared tables
(laws, known documents, withdrawn ids), the transcriptions under ``sources/``, the schemas of
that same tree, and its release records (``releases.yaml``, format-checked and verified against
git). Validation, diff, exports, the API and the site take a ``Catalogue``, never a path; nothing
here touches the file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

# List kinds, in the order pages and exports show them, with their id letters and Chinese names.
KINDS: dict[str, tuple[str, str, str]] = {
    "duties": ("D", "依法履行职责事项", "Duties"),
    "assistance": ("A", "依法协助工作事项", "Assistance"),
    "signs": ("S", "标牌标识", "Signs"),
    "certificates": ("C", "出具证明事项", "Certificates"),
    "negative-certificates": ("N", "不应出具证明事项", "Negative certificates"),
    "prohibitions": ("P", "“不得”规定", "Prohibitions"),
    "tasks": ("T", "任务责任清单", "Tasks"),
    "measures": ("M", "政策措施", "Measures"),
}
LETTER_KIND = {letter: kind for kind, (letter, _, _) in KINDS.items()}
LEVELS = {"national": "全国", "province": "省级", "prefecture": "市级", "county": "县级"}
SOURCE_KINDS = {"official-text": "官方文本", "reprint": "转载", "press-report": "新闻报道"}
# What a source's public address (``path``) is: a repost must never pass for the official text.
PATH_KINDS = {"official": "官方发布", "government-reprint": "其他政府网站转载", "reprint": "转载（非官方地址）",
              "press-report": "新闻报道"}
COMPLETENESS = {"complete": "完整", "partial": "部分", "examples": "仅示例"}


@dataclass
class Table:
    """One CSV file as read: its header, its rows keyed by column, and each row's line number."""

    path: str
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    raw_rows: list[list[str]] = field(default_factory=list)
    blob: str | None = None
    readable: bool = True


@dataclass
class Item:
    kind: str
    region: str
    path: str
    row: int
    values: dict[str, str]

    @property
    def id(self) -> str:
        return self.values.get("id", "")

    @property
    def seq(self) -> int | None:
        try:
            return int(self.values.get("seq", ""))
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.values.get("text", "")

    @property
    def category(self) -> str:
        return self.values.get("category", "")

    @property
    def source(self) -> str:
        return self.values.get("source", "")

    @property
    def note(self) -> str:
        return self.values.get("note", "")

    @property
    def legal_basis(self) -> list[str]:
        raw = self.values.get("legal_basis", "")
        return [x.strip() for x in raw.split(";") if x.strip()]


@dataclass
class Source:
    key: str
    title: str = ""
    issuer: str = ""
    number: str = ""
    date: str = ""
    kind: str = ""
    file: str = ""
    path: str = ""
    path_kind: str = ""
    retrieved: str = ""
    sha256: str = ""
    note: str = ""

    @classmethod
    def from_mapping(cls, m: dict) -> "Source":
        return cls(**{k: ("" if m.get(k) is None else str(m.get(k))) for k in cls.__dataclass_fields__})


@dataclass
class SourceFile:
    """One transcription under ``sources/`` as read: its bytes' checksum, its header and its body.

    ``status`` is ``ok`` when the file was read and decoded, else ``unsafe`` (the path is not a file
    name under ``sources/`` or leaves the tree), ``missing``, or ``unreadable`` (too large, not
    UTF-8, no header …; ``problems`` says which). Only the validator reports these.
    """

    path: str
    status: str = "ok"
    sha256: str = ""  # of the whole file, header and body
    header: dict = field(default_factory=dict)
    body: str = ""
    body_sha256: str = ""  # of the body's bytes, as read
    body_line: int = 1  # the file line the body starts on
    problems: list = field(default_factory=list)


@dataclass
class ItemList:
    region: str
    kind: str
    resource: dict
    table: Table
    items: list[Item] = field(default_factory=list)
    index: int = 0  # position in catalogue.yaml resources

    @property
    def title(self) -> str:
        return str(self.resource.get("title") or KINDS[self.kind][1])

    @property
    def source(self) -> str:
        return str(self.resource.get("x-source") or "")

    @property
    def completeness(self) -> dict:
        c = self.resource.get("x-completeness")
        return c if isinstance(c, dict) else {}

    @property
    def status(self) -> str:
        return str(self.completeness.get("status") or "")

    @property
    def reported_total(self) -> int | None:
        v = self.completeness.get("reported_total")
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    @property
    def legal_basis(self) -> list[str]:
        v = self.resource.get("x-legal-basis") or []
        return [str(x) for x in v] if isinstance(v, list) else []


@dataclass
class Region:
    adcode: str
    name: str = ""
    level: str = ""
    parent: str = ""
    note: str = ""
    folder: str | None = None  # e.g. "150000-neimenggu", None when no catalogue yet
    package: dict = field(default_factory=dict)
    package_node: object = None
    sources: dict[str, Source] = field(default_factory=dict)
    lists: dict[str, ItemList] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.package.get("title") or self.name)

    @property
    def policy(self) -> dict:
        p = self.package.get("x-policy")
        return p if isinstance(p, dict) else {}

    @property
    def notes(self) -> list[str]:
        n = self.package.get("x-notes")
        return [str(x) for x in n] if isinstance(n, list) else []


@dataclass
class Law:
    id: str
    title: str
    cited_as: str = ""
    level: str = ""
    issuer: str = ""
    region: str = ""
    note: str = ""
    deprecated: str = ""


@dataclass
class Catalogue:
    label: str
    regions: dict[str, Region] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)  # regions, laws, known-documents, releases …
    source_files: dict[str, SourceFile] = field(default_factory=dict)  # sources/<name>.md -> what was read
    problems: list = field(default_factory=list)  # what reading found (input layer)
    schemas: dict[str, dict] = field(default_factory=dict)  # schemas/<name>.schema.yaml of the same tree
    records: object = None  # release_records.Records of releases.yaml (None: not read)
    record_problems: list = field(default_factory=list)  # what verifying the records against git found
    repo: str | None = None  # the git repository the tree belongs to (release trees are read from it)

    @property
    def releases(self) -> list[dict]:
        """The well-formed release records, oldest first (verified: see ``record_problems``)."""
        return list(self.records.entries) if self.records is not None else []

    def withdrawn(self) -> dict[str, int]:
        """``{id: line}`` of ``catalogues/withdrawn.csv``."""
        t = self.tables.get("withdrawn")
        return {row.get("id", ""): line for row, line in zip(t.rows, t.lines)} if t else {}

    def lineage(self, adcode: str) -> list[Region]:
        """The region and its ancestors, national first: what applies there.

        Stops at unknown parents and at cycles rather than looping.
        """
        chain: list[Region] = []
        seen: set[str] = set()
        code = adcode
        while code and code in self.regions and code not in seen:
            seen.add(code)
            chain.append(self.regions[code])
            code = self.regions[code].parent
        return list(reversed(chain))

    def catalogued_regions(self) -> list[Region]:
        return [r for r in sorted(self.regions.values(), key=lambda r: r.adcode) if r.folder]

    def lists(self) -> Iterator[ItemList]:
        for region in self.catalogued_regions():
            yield from region.lists.values()

    def items(self) -> Iterator[Item]:
        for lst in self.lists():
            yield from lst.items

    def source_file(self, source: Source | None) -> SourceFile | None:
        """The transcription ``source.file`` names, as read (``None`` when the source names none)."""
        if source is None or not source.file.strip():
            return None
        return self.source_files.get(source.file.strip())

    def item_index(self) -> dict[str, Item]:
        return {item.id: item for item in self.items()}

    def known_documents(self) -> list[dict[str, str]]:
        t = self.tables.get("known-documents")
        return t.rows if t else []

    def stats(self) -> dict[str, int]:
        lists = list(self.lists())
        return {"regions": len(self.catalogued_regions()), "lists": len(lists),
                "items": sum(len(l.items) for l in lists), "laws": len(self.laws)}
