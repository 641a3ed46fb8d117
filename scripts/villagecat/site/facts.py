"""What the pages show, computed from the model: counts, what applies where, what rests on a law.

Renderers in :mod:`pages` only lay these values out; every figure on the site comes from a
function here, so a test can check the figures without parsing HTML.

>>> from villagecat.model import Catalogue, Region
>>> cat = Catalogue("t", regions={"000000": Region("000000", "全国", "national"),
...                               "150000": Region("150000", "内蒙古自治区", "province", "000000")})
>>> [r.adcode for r in cat.lineage("150000")]
['000000', '150000']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from villagecat.model import KINDS, LEVELS, Catalogue, Item, ItemList, Region, Source

# The national 意见 §8, quoted on every negative-certificate item: what to do when still asked.
OPINIONS_SECTION_8 = (
    "列入《不应由基层群众性自治组织出具证明事项清单》和省级不应出具证明事项清单的，村级组织要做好解释说明工作；"
    "虽列入清单、但有关党政群机构确因形势变化需要仍要求出具证明的，应及时向乡镇党委和政府反映情况，"
    "乡镇党委和政府应联系有关党政群机构协调处理。"
)
OPINIONS_KEY = "national-2022-opinions"
NATIONAL = "000000"
MUST_NOT_KINDS = ("prohibitions", "negative-certificates")


def kind_name(kind: str) -> str:
    return KINDS[kind][1] if kind in KINDS else kind


def level_name(region: Region) -> str:
    return LEVELS.get(region.level, region.level or "")


def region_label(region: Region) -> str:
    return region.name or region.title or region.adcode


def counts_by_kind(region: Region) -> dict[str, int]:
    """Items per list kind in one region, in KINDS order (kinds the region lacks omitted)."""
    return {k: len(region.lists[k].items) for k in KINDS if k in region.lists}


def region_total(region: Region) -> int:
    return sum(counts_by_kind(region).values())


def count_matrix(cat: Catalogue) -> tuple[list[Region], list[str], dict[tuple[str, str], int]]:
    """Regions × kinds present anywhere, with item counts: the statistics table and charts."""
    regions = cat.catalogued_regions()
    kinds = [k for k in KINDS if any(k in r.lists for r in regions)]
    return regions, kinds, {(r.adcode, k): len(r.lists[k].items) for r in regions for k in r.lists}


def kind_totals(cat: Catalogue) -> dict[str, int]:
    regions, kinds, m = count_matrix(cat)
    return {k: sum(m.get((r.adcode, k), 0) for r in regions) for k in kinds}


def list_source(cat: Catalogue, lst: ItemList) -> Source | None:
    return cat.regions[lst.region].sources.get(lst.source)


def item_source(cat: Catalogue, item: Item) -> Source | None:
    region = cat.regions.get(item.region)
    if region is None:
        return None
    return region.sources.get(item.source) or region.sources.get(region.lists[item.kind].source)


def item_list(cat: Catalogue, item: Item) -> ItemList:
    return cat.regions[item.region].lists[item.kind]


@dataclass
class Missing:
    """A document that applies to a region but whose text is not (or only partly) in the catalogue."""

    title: str
    issuer: str = ""
    number: str = ""
    date: str = ""
    region: str = ""  # adcode of the region whose catalogue or register records it
    note: str = ""
    kinds: str = ""
    addresses: list[str] = field(default_factory=list)
    partial: bool = False  # some of its lists are catalogued, not all


@dataclass
class Applicable:
    """What applies in a region: its lineage's lists, level by level, and what is known missing."""

    region: Region
    lineage: list[Region]
    lists: list[ItemList] = field(default_factory=list)  # national first, then each level down
    uncatalogued_levels: list[Region] = field(default_factory=list)  # ancestors without a folder
    missing: list[Missing] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[ItemList]]:
        out: dict[str, list[ItemList]] = {}
        for k in KINDS:
            ls = [l for l in self.lists if l.kind == k]
            if ls:
                out[k] = ls
        return out


def applicable(cat: Catalogue, adcode: str) -> Applicable:
    """The lists of the region's ancestors composed with its own, and the gaps we know of.

    Gaps come from two places: sources recorded in a lineage region's catalogue.yaml without a
    transcription (``file`` empty: a document cited but not yet read), and rows of the register
    ``catalogues/known-documents.csv`` for a lineage region whose status is not ``transcribed``
    (``known``: not in the catalogue; ``partial``: some of its lists are). A document is listed once.
    """
    lineage = cat.lineage(adcode)
    region = cat.regions[adcode]
    out = Applicable(region=region, lineage=lineage)
    codes = {r.adcode for r in lineage}
    for r in lineage:
        if r.folder:
            out.lists.extend(r.lists[k] for k in KINDS if k in r.lists)
        elif r.adcode != adcode:
            out.uncatalogued_levels.append(r)
    register = {row.get("title", "").strip(): row for row in cat.known_documents() if row.get("title", "").strip()}
    listed: set[str] = set()

    def add(m: Missing, status: str) -> None:
        if status == "transcribed" or (m.title and m.title in listed):
            return
        m.partial = status == "partial"
        listed.add(m.title)
        out.missing.append(m)

    for r in lineage:
        for src in r.sources.values():
            if src.file.strip():
                continue
            row = register.get(src.title.strip(), {})
            add(Missing(title=src.title, issuer=src.issuer, number=src.number, date=src.date, region=r.adcode,
                        note=src.note, addresses=[src.path] if src.path else []), row.get("status", "known"))
    for row in cat.known_documents():
        if row.get("region", "").strip() not in codes:
            continue
        add(Missing(title=row.get("title", ""), issuer=row.get("issuer", ""), number=row.get("number", ""),
                    date=row.get("date", ""), region=row.get("region", "").strip(), note=row.get("note", ""),
                    kinds=row.get("kinds", ""),
                    addresses=[a.strip() for a in row.get("addresses", "").split(";") if a.strip()]),
            row.get("status", "known").strip())
    return out


def must_not(cat: Catalogue) -> list[ItemList]:
    """National rules first, then every region's prohibitions and negative lists."""
    regions = sorted(cat.catalogued_regions(), key=lambda r: (r.adcode != NATIONAL, r.adcode))
    return [r.lists[k] for r in regions for k in MUST_NOT_KINDS if k in r.lists]


def known_uncatalogued(cat: Catalogue, kinds: tuple[str, ...]) -> list[dict[str, str]]:
    """Register rows (known-documents.csv) of documents with lists of these kinds not yet transcribed."""
    out = []
    for row in cat.known_documents():
        row_kinds = {k.strip() for k in row.get("kinds", "").split(";")}
        if row_kinds & set(kinds) and row.get("status", "").strip() != "transcribed":
            out.append(row)
    return sorted(out, key=lambda r: (r.get("region", ""), r.get("id", "")))


def opinions_source(cat: Catalogue) -> Source | None:
    national = cat.regions.get(NATIONAL)
    return national.sources.get(OPINIONS_KEY) if national else None


@dataclass
class LawUse:
    items: list[Item] = field(default_factory=list)
    lists: list[ItemList] = field(default_factory=list)  # list-level basis (x-legal-basis)

    @property
    def total(self) -> int:
        return len(self.items) + len(self.lists)


def law_uses(cat: Catalogue) -> dict[str, LawUse]:
    """For every law id in laws.csv: items whose legal_basis names it, lists whose x-legal-basis does."""
    uses = {lid: LawUse() for lid in cat.laws}
    for lst in cat.lists():
        for lid in lst.legal_basis:
            if lid in uses:
                uses[lid].lists.append(lst)
        for item in lst.items:
            for lid in item.legal_basis:
                if lid in uses:
                    uses[lid].items.append(item)
    return uses


def compare_rows(cat: Catalogue, kind: str) -> tuple[list[Region], list[list[Item | None]]]:
    """One kind side by side: a column per region that has it, a row per position in source order."""
    return compare_columns([r for r in cat.catalogued_regions() if kind in r.lists], kind)


def compare_columns(regions: list[Region], kind: str) -> tuple[list[Region], list[list[Item | None]]]:
    """:func:`compare_rows` for the given regions (those of one part of a split comparison)."""
    regions = [r for r in regions if kind in r.lists]
    columns = [r.lists[kind].items for r in regions]
    depth = max((len(c) for c in columns), default=0)
    return regions, [[c[i] if i < len(c) else None for c in columns] for i in range(depth)]


def styled_signs(cat: Catalogue) -> list[Item]:
    return [i for i in cat.items() if i.kind == "signs" and sign_style(i)]


def sign_style(item: Item) -> dict[str, str]:
    """The style columns a source gives for a sign (empty when it gives none)."""
    keys = ("ground_colour", "text_colour", "typeface", "form")
    return {k: item.values.get(k, "").strip() for k in keys if item.values.get(k, "").strip()}


@dataclass
class RegionPart:
    """A part of a listing split by region: the region at its top and the regions below it that it shows.

    A part is *whole* (every member shown on one page) while its weight stays within the limit;
    otherwise it is *split*: its own region's entries stay on its page, and each region one level
    down (a province below the nation, a prefecture below a province …) that has members becomes a
    part of its own (:func:`region_parts`).
    """

    code: str  # adcode of the region at the top (NATIONAL for the whole catalogue)
    region: Region | None  # that region (None when the catalogue has no row for it)
    members: list[Region]  # the regions in this part that have entries, in adcode order
    weight: int
    own: list[Region] = field(default_factory=list)  # members shown on a split part's own page
    children: list["RegionPart"] = field(default_factory=list)  # non-empty only when split

    @property
    def split(self) -> bool:
        return bool(self.children)

    @property
    def label(self) -> str:
        return region_label(self.region) if self.region else self.code

    def walk(self):
        """This part, then every part below it (depth first, adcode order)."""
        yield self
        for child in self.children:
            yield from child.walk()


def region_parts(cat: Catalogue, members: list[Region], weight, limit: int) -> RegionPart:
    """``members`` grouped by the regions tree (``regions.csv``'s parents), split where a part
    would weigh more than ``limit``.

    ``weight(region)`` is what one member costs on a page (its rows, cells or bars). The whole
    catalogue is the part at the top (:data:`NATIONAL`); a part heavier than ``limit`` keeps its own
    region's entries and splits the rest by the region one level below it. A part with nothing
    below its own region stays whole, whatever its weight: one region's entries are never split.

    >>> from villagecat.model import Catalogue, Region
    >>> regions = {c: Region(c, c, lv, p, folder="x") for c, lv, p in [
    ...     ("000000", "national", ""), ("110000", "province", "000000"), ("110101", "county", "110000"),
    ...     ("120000", "province", "000000")]}
    >>> top = region_parts(Catalogue("t", regions=regions), list(regions.values()), lambda r: 1, 2)
    >>> [(p.code, [m.adcode for m in p.members], p.split) for p in top.walk()]
    [('000000', ['000000', '110000', '110101', '120000'], True), ('110000', ['110000', '110101'], False), ('120000', ['120000'], False)]
    >>> [r.adcode for r in top.own]
    ['000000']
    """
    paths = {r.adcode: [a.adcode for a in cat.lineage(r.adcode) if a.adcode != NATIONAL] for r in members}
    weights = {r.adcode: weight(r) for r in members}

    def part(code: str, depth: int, regs: list[Region]) -> RegionPart:
        regs = sorted(regs, key=lambda r: r.adcode)
        p = RegionPart(code, cat.regions.get(code), regs, sum(weights[r.adcode] for r in regs))
        if p.weight <= limit:
            return p
        groups: dict[str, list[Region]] = {}
        for r in regs:
            path = paths[r.adcode]
            if len(path) <= depth:
                p.own.append(r)
            else:
                groups.setdefault(path[depth], []).append(r)
        if not groups:
            p.own = []
            return p
        p.children = [part(c, depth + 1, groups[c]) for c in sorted(groups)]
        return p

    return part(NATIONAL, 0, list(members))
