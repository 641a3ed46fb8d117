"""The generated pages as values: a :class:`Page` (path, title, template, context) per region,
list, item, law, kind …

Each function gathers values from :mod:`facts`, :mod:`citation`, :mod:`dictionary` and
:mod:`svg` — plain data plus the small link values below — and names the template in
``site_config/templates/pages/`` that lays them out; :mod:`villagecat.site.render` renders it with
autoescape. No function here writes HTML, so no catalogue value is ever parsed as HTML, Markdown
or a template. The body is put into the page after Markdown (:mod:`villagecat.site.plugin`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from villagecat.model import COMPLETENESS, KINDS as KINDS_ALL, PATH_KINDS, SOURCE_KINDS, Catalogue, Item, ItemList, Region, Source
from villagecat.site import citation, dictionary, facts, svg, words
from villagecat.site.html import esc, rel

SITE_NAME = "村级组织工作事务·机制牌子·证明事项 开放目录"
POSITIONS = {"exterior-sign": "外部标牌", "exterior-mark": "外部标识", "interior-sign": "内部标牌",
             "mechanism": "村级组织和工作机制"}
COMMON_FIELDS = ("id", "seq", "category", "text", "legal_basis", "legal_basis_text", "source", "note")
LIST_BASIS = "清单级依据"

# Listing pages stay bounded whatever the catalogue's size (maintainers/scale.md, "Listing pages at
# national size"): no listing page's rendered body is larger than PAGE_BYTES (tested on a generated
# catalogue). A listing that would show more than its limit becomes an overview linking to one page
# per province (and per prefecture below a province still too large); see :func:`facts.region_parts`.
PAGE_BYTES = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How much one listing page shows before it is split by region.

    ``items``: item rows or comparison cells (≈ 140–450 bytes each: 1,000 stay well under
    :data:`PAGE_BYTES`; a sign with its drawing counts as two); also regions plus lists on the
    regions pages. ``regions``: rows of the coverage table (≈ 1.4 KB each). ``bars``: bars of one
    statistics chart.
    """
    items: int = 1000
    regions: int = 400
    bars: int = 40


LIMITS = Limits()


# ---- values the templates lay out --------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """A link: ``href`` (relative, or an http(s) address) and its text."""
    href: str
    text: str
    rel: str | None = None


@dataclass(frozen=True)
class Span:
    """Text in its own element (a region without pages of its own)."""
    text: str


@dataclass(frozen=True)
class Seq:
    """Values shown one after another with ``sep`` between them (a list of law links)."""
    parts: tuple
    sep: str = ""

    def __bool__(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class Status:
    """A coverage cell: its status (a CSS class), an English title and what it shows."""
    status: str
    title: str
    content: object


@dataclass
class Page:
    path: str  # relative to docs_dir, e.g. "items/150000-D-020.md"
    title: str
    template: str  # under site_config/templates, e.g. "pages/item.html"
    # The template's values, or a function making them when the page is rendered (the parts of a
    # split listing: made where they are written, so a national build never holds them all at once).
    context: dict | Callable[[], dict] = field(default_factory=dict)
    # For rebuilds (villagecat.site.incremental): ``(shown, codes)`` when the page shows nothing of
    # the catalogue but ``shown`` (values, JSON-able) and the regions ``codes`` (the part of a split
    # listing below its top page); None when it may show anything of the whole catalogue.
    scope: tuple | None = None

    def markdown(self) -> str:
        """The page's source as mkdocs reads it: front matter with the title, and no body (the body
        is rendered from the template and put in after Markdown). Checked to read back as written
        (see :func:`front_matter`). The title is HTML-escaped because the theme prints it unescaped.
        """
        return front_matter(self.path, {"title": esc(self.title)}, "")

    def render(self, templates: str | Path | None = None) -> str:
        """The page body: the template rendered with the context (autoescape on)."""
        from villagecat.site.render import render

        return render(self.template, self.values(), templates)

    def values(self) -> dict:
        """The template's context (made now when the page was given a function for it)."""
        return self.context() if callable(self.context) else self.context


class FrontMatterError(RuntimeError):
    """A generated page would not read back as written: building it could turn data into markup."""


def front_matter(path: str, meta: dict[str, str], body: str) -> str:
    r"""A page: YAML front matter holding ``meta``, then ``body``.

    Each value is written as a JSON string in ASCII (``\u007f`` for DEL …), which YAML reads as a
    double-quoted scalar whatever the value holds. The page is then read back exactly as mkdocs
    reads it; if that does not give back ``meta`` and ``body`` unchanged, :class:`FrontMatterError`
    is raised. mkdocs itself never fails loudly here: front matter that YAML cannot read is left in
    the page and rendered as Markdown (with ``attr_list``, a way to add event handlers).

    >>> print(front_matter("a.md", {"title": "x\x7f{: onfocus=alert(1)}"}, "<div></div>"), end="")
    ---
    title: "x\u007f{: onfocus=alert(1)}"
    ---
    <BLANKLINE>
    <div></div>
    """
    from mkdocs.utils.meta import get_data

    # A lone surrogate (only a YAML escape can make one; validation refuses it) cannot be written
    # as UTF-8: it is shown as its escape rather than failing the build.
    meta = {key: _encodable(str(value)) for key, value in meta.items()}
    body = _encodable(body)
    head = "".join(f"{key}: {json.dumps(value, ensure_ascii=True)}\n" for key, value in meta.items())
    text = f"---\n{head}---\n\n{body}\n"
    try:
        doc, data = get_data(text)
    except Exception as exc:  # noqa: BLE001  (any failure to read back is the same refusal)
        raise FrontMatterError(f"{path}: front matter cannot be read back ({type(exc).__name__})") from exc
    if data != meta or doc != (body + "\n" if body else ""):
        raise FrontMatterError(f"{path}: front matter does not read back as written "
                               f"(got {sorted(data)!r} keys, body {'changed' if doc != (body + chr(10) if body else '') else 'unchanged'})")
    return text


def _encodable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def url_of(path: str) -> str:
    """Directory URL of a docs path: ``regions/150000/index.md`` → ``regions/150000/``."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


_SAFE = re.compile(r"[^0-9A-Za-z_-]")


def slug(value: str) -> str:
    """A file-name-safe form of an id (ids are validated elsewhere; a bad one must not escape)."""
    return _SAFE.sub("_", value) or "_"


def region_path(adcode: str) -> str:
    return f"regions/{slug(adcode)}/index.md"


def list_path(lst: ItemList) -> str:
    return f"regions/{slug(lst.region)}/{slug(lst.kind)}.md"


def item_path(item_id: str) -> str:
    return f"items/{slug(item_id)}.md"


def law_path(law_id: str) -> str:
    return f"laws/{slug(law_id)}.md"


def compare_path(kind: str) -> str:
    return f"compare/{slug(kind)}.md"


class Site:
    """The context every page function shares: the catalogue, the release label and the site URL."""

    limits: Limits = LIMITS  # a test may give a site lower limits (``site.limits = Limits(...)``)

    def __init__(self, cat: Catalogue, root: str | Path, release: str, site_url: str, path: str = "/",
                 releases: list[dict] | None = None, versioned: bool = False):
        self.cat, self.root, self.release, self.site_url = cat, Path(root), release, site_url
        # The permanent base of this site's addresses: its public address, or, when none is
        # configured, its path (``/2026.1/``) — never a made-up host.
        self.base = site_url or path
        # Releases this site may name (a release's pages never name a later one: they must not change).
        self.releases = list(releases if releases is not None else (cat.releases or []))
        self.versioned = versioned  # built in mike's layout: other releases are at ../<version>/
        # Item → docs path. Keyed by the item's place, not its id: an invalid catalogue may repeat
        # an id, and its pages must still not overwrite each other.
        self.item_pages: dict[tuple, str] = {}
        taken: set[str] = set()
        for item in cat.items():
            p = item_path(item.id)
            while p in taken:
                p = p[:-3] + "_.md"
            taken.add(p)
            self.item_pages[self.key(item)] = p
        self.law_uses = facts.law_uses(cat)
        self.field_titles: dict[str, dict[str, str]] = {
            d.name: {f.name: f.title for f in d.fields} for d in dictionary.table_docs(self.cat)}
        self._coverage = None
        self.titles = {name: title for fields in self.field_titles.values() for name, title in fields.items() if title}

    def plain(self, text: str) -> str:
        """A note written for maintainers, as the public reads it: plain Chinese, or nothing (:mod:`words`)."""
        return words.plain(text, self.titles)

    @staticmethod
    def key(item: Item) -> tuple:
        return (item.region, item.kind, item.row)

    @property
    def coverage(self):
        """The coverage matrix of this site's catalogue, computed once per :class:`Site`."""
        if self._coverage is None:
            from villagecat.coverage import coverage

            self._coverage = coverage(self.cat)
        return self._coverage

    # links ------------------------------------------------------------------------------------
    def href(self, here: str, path: str) -> str:
        return rel(url_of(here), url_of(path))

    def link(self, here: str, path: str, text: str) -> Link:
        return Link(self.href(here, path), text)

    def region_link(self, here: str, region: Region) -> Link | Span:
        if region.folder:
            return Link(self.href(here, region_path(region.adcode)), facts.region_label(region))
        return Span(facts.region_label(region))

    def list_link(self, here: str, lst: ItemList, text: str | None = None) -> Link:
        return Link(self.href(here, list_path(lst)), text or lst.title)

    def item_link(self, here: str, item: Item, text: str | None = None) -> Link:
        return Link(self.href(here, self.item_pages[self.key(item)]), text if text is not None else item.id)

    def law_links(self, here: str, ids: list[str]) -> Seq:
        parts = []
        for lid in ids:
            law = self.cat.laws.get(lid)
            parts.append(Link(self.href(here, law_path(lid)), f"《{law.title}》") if law else Span(lid))
        return Seq(tuple(parts), "；")

    def source_text(self, src: Source | None) -> str:
        if src is None:
            return ""
        bits = [f"《{src.title}》" if src.title else "", src.issuer, src.number, src.date]
        return "，".join(b for b in bits if b)

    def address(self, url: str) -> Link | str:
        """A source's public address as a link, only for http(s) (never javascript: or data:)."""
        if re.match(r"^https?://", url or ""):
            return Link(url, url, rel="nofollow noopener")
        return url or ""

    def addresses(self, urls: list[str]) -> Seq:
        return Seq(tuple(self.address(u) for u in urls if u), " ")


def coverage_of(site: Site):
    """The coverage matrix of this site's catalogue (kept on the :class:`Site`, never in a module cache)."""
    return site.coverage


# ---- pages ----------------------------------------------------------------------------------

def all_pages(site: Site) -> list[Page]:
    """Every generated page: the listing pages, then each region's pages and its items' pages."""
    pages = listing_pages(site)
    for region in site.cat.catalogued_regions():
        pages += region_pages(site, region)
    return pages + list(item_pages(site))


def listing_pages(site: Site) -> list[Page]:
    """The generated pages that belong to no one region: overviews, laws, comparisons.

    A region's own pages (:func:`region_pages`) and the item pages (:func:`item_pages`) are many
    more: they are made region by region where they are written (:mod:`villagecat.site.shell`),
    never all held at once; :func:`region_page_paths` gives their addresses without making them.
    Listings too large for one page are split by region (:data:`PAGE_BYTES`, :class:`Limits`): the
    page keeps its address and the parts follow it (``compare/duties/440000/`` …)."""
    cat = site.cat
    listings = [regions_pages(site), must_not_pages(site), statistics_pages(site), signs_pages(site), coverage_pages(site)]
    regions, must, stats, sign, cov = (l[0] for l in listings)
    pages = [home(site), regions, must, laws_index(site), compare_index(site), stats, sign, cov,
             data_dictionary(site), errors(site), releases_page(site)]
    for parts in listings:
        pages.extend(parts[1:])
    for lid in cat.laws:
        pages.extend(law_pages(site, lid))
    for k in facts.kind_totals(cat):
        pages.extend(compare_pages(site, k))
    return pages


def region_pages(site: Site, region: Region) -> list[Page]:
    """A catalogued region's page and its lists' pages."""
    return [region_page(site, region)] + [list_page(site, lst) for lst in region.lists.values()]


def region_page_paths(region: Region) -> list[str]:
    """The docs paths of :func:`region_pages`, without making the pages."""
    return [region_path(region.adcode)] + [list_path(lst) for lst in region.lists.values()]


# ---- listings split by region ---------------------------------------------------------------

def part_path(base: str, code: str) -> str:
    """The page of one region's part of a split listing: ``part_path("compare/duties", "440000")``
    is ``compare/duties/440000.md`` (address ``compare/duties/440000/``)."""
    return f"{base}/{slug(code)}.md"


def _split(site: Site, root: str, base: str, top: facts.RegionPart, title: str, template: str, context_of,
           local=None) -> list[Page]:
    """A listing's pages: ``top``'s at ``root`` (its address never changes), then one page per part
    below a split part, at :func:`part_path` of ``base``. Each is titled ``title`` (`` · `` and its
    part's name below the top) and laid out by ``template``; ``context_of(here, part, trail,
    children)`` makes its values only when the page is rendered (:meth:`Page.values`): at national
    size the parts of the law and comparison listings hold ≈ 1.5 GB of values, made one at a time in
    the processes writing them. ``trail`` is the (path, label) of each page above it, ``children``
    the (path, part) of each part it links to.

    ``local``: for a listing whose part pages show only their part's regions (and their children's
    counts), the values of the listing they also show (a law's id, the kinds of the columns …), or
    None. Those pages get a :attr:`Page.scope` (the regions of their part, and the shape of the
    pages around them), so that a rebuild rewrites only the parts where a changed region is."""
    out: list[Page] = []

    def walk(part: facts.RegionPart, path: str, trail: list) -> None:
        children = [(part_path(base, c.code), c) for c in part.children]
        name = title + (f" · {part.label}" if trail else "")
        scope = None
        if local is not None and trail:
            shown = [local, path, name, template, part.code, part.label, part.split, part.weight,
                     [r.adcode for r in part.own], trail,
                     [(p, c.code, c.label, c.split, c.weight, [r.adcode for r in c.members]) for p, c in children]]
            scope = (shown, [r.adcode for r in part.members])
        out.append(Page(path, name, template, partial(context_of, path, part, trail, children), scope))
        for child_path, child in children:
            walk(child, child_path, trail + [(path, part.label if trail else "全国")])

    walk(top, root, [])
    return out


def _part_head(site: Site, here: str, part: facts.RegionPart, trail: list, what: str) -> dict | None:
    """What a page of a split listing says about itself: where it is, that it shows a part, where
    the whole is. None for a listing shown whole on one page (the page stays as it always was)."""
    if not trail and not part.split:
        return None
    return {"trail": [site.link(here, path, label) for path, label in trail],
            "label": part.label if trail else "", "what": what, "split": part.split,
            "downloads": site.link(here, "downloads.md", "下载页"),
            "count": len(part.members)}


def _members(part: facts.RegionPart) -> list[Region]:
    """The regions a page shows in full: all of a whole part's, a split part's own region only."""
    return part.own if part.split else part.members


def item_pages(site: Site, regions: list[Region] | None = None):
    """One page per item, in catalogue order (a generator: at national size they are never all held);
    ``regions`` limits them to those regions' items."""
    for region in site.cat.catalogued_regions() if regions is None else regions:
        for lst in region.lists.values():
            for item in lst.items:
                yield item_page(site, item)


def _links(site: Site, here: str, pairs) -> list[Link]:
    return [site.link(here, path, text) for path, text in pairs]


def home(site: Site) -> Page:
    """The home page: what the site is, a search box, and per region which lists exist and how complete.

    When the regions listing is split (:func:`regions_pages`), the home page lists the national
    lists and one line per province linking to its regions page instead of every list."""
    here = "index.md"
    cat = site.cat
    top = _regions_top(site)
    shown = [r for r in _members(top) if r.folder] if top.split else cat.catalogued_regions()
    regions = []
    for r in shown:
        lists = [{"link": site.list_link(here, l), "kind": facts.kind_name(l.kind), "count": len(l.items),
                  "status": _completeness(l)} for l in r.lists.values()]
        regions.append({"link": site.region_link(here, r), "level": facts.level_name(r), "lists": lists})
    national = cat.regions.get(facts.NATIONAL)
    return Page(here, "首页", "pages/home.html", {
        "site_name": SITE_NAME, "stats": cat.stats(), "search_action": site.href(here, "search.md"),
        "regions": regions, "national": bool(national and national.folder),
        "parts": [_regions_part_row(site, here, path, part) for path, part in
                  ((part_path("regions/in", c.code), c) for c in top.children)],
        "must_not": site.link(here, "must-not.md", "“不得”汇总页"),
        "downloads": site.link(here, "downloads.md", "下载页"),
        "start": _links(site, here, [("regions/index.md", "按地区浏览"), ("must-not.md", "“不得”规定与不应出具的证明"),
                                     ("laws/index.md", "法律法规及以其为依据的事项"), ("compare/index.md", "各地同类清单对照"),
                                     ("statistics.md", "统计图表"), ("signs.md", "标牌标识式样"),
                                     ("coverage.md", "各地收录情况"), ("cite.md", "如何引用")])})


def _regions_top(site: Site) -> facts.RegionPart:
    """Every region of regions.csv (with its lists) split by province, then prefecture, past the limit."""
    return facts.region_parts(site.cat, list(site.cat.regions.values()), lambda r: 1 + len(r.lists), site.limits.items)


def _regions_part_row(site: Site, here: str, path: str, part: facts.RegionPart) -> list:
    catalogued = [r for r in part.members if r.folder]
    return [site.link(here, path, part.label), len(part.members), len(catalogued),
            sum(len(r.lists) for r in catalogued), sum(facts.region_total(r) for r in catalogued)]


def _completeness(lst: ItemList) -> str:
    """How complete a list is, in words: 完整 / 部分收录（n/m） / 仅举例."""
    rt = lst.reported_total
    if lst.status == "partial":
        return f"部分收录（{len(lst.items)}/{rt}）" if rt is not None else "部分收录"
    return COMPLETENESS.get(lst.status, lst.status or "未说明")


def regions_index(site: Site) -> Page:
    return regions_pages(site)[0]


def regions_pages(site: Site) -> list[Page]:
    """The regions index (``regions/``) and, past the limit, one page per province (and prefecture)
    at ``regions/in/<adcode>/``, each listing its regions and the lists they have."""
    cat = site.cat

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        rows = []
        for r in _members(part):
            parent = cat.regions.get(r.parent)
            rows.append([r.adcode, site.region_link(here, r), facts.level_name(r),
                         facts.region_label(parent) if parent else "",
                         facts.region_total(r) if r.folder else "尚未收录"])
        head = _part_head(site, here, part, trail, "地区")
        return {"rows": rows, "part": head, "parts": [_regions_part_row(site, here, path, c) for path, c in children]}

    return _split(site, "regions/index.md", "regions/in", _regions_top(site), "地区", "pages/regions.html", page)


def _sources(site: Site, here: str, region: Region) -> list[dict]:
    """Each source document with its issuer, 文号, date and address (unknowns said plainly)."""
    out = []
    for s in region.sources.values():
        address: object = "未记录"
        if s.path:
            address = Seq((site.address(s.path), f"（{PATH_KINDS.get(s.path_kind, s.path_kind)}）" if s.path_kind else ""))
        out.append({"heading": f"《{s.title}》" if s.title else s.key,
                    "pairs": [("签发机关", s.issuer or "未知"), ("文号", s.number or "无或未见"), ("日期", s.date or "未知"),
                              ("文本类型", SOURCE_KINDS.get(s.kind, s.kind)), ("地址", address),
                              ("本站转录", "有" if s.file else "尚无（本站还没有此文件的文本）"), ("说明", site.plain(s.note))]})
    return out


def _lists_rows(site: Site, here: str, region: Region) -> list[list]:
    rows = []
    for lst in region.lists.values():
        rt = lst.reported_total
        rows.append([site.list_link(here, lst), facts.kind_name(lst.kind), len(lst.items),
                     COMPLETENESS.get(lst.status, lst.status or "未说明"), "未说明" if rt is None else rt])
    return rows


def region_page(site: Site, region: Region) -> Page:
    here = region_path(region.adcode)
    cat = site.cat
    app = facts.applicable(cat, region.adcode)
    parent = cat.regions.get(region.parent)
    label = facts.region_label(region)
    applicable = []
    for kind, lists in app.by_kind().items():
        rows = []
        for lst in lists:
            r = cat.regions[lst.region]
            for item in lst.items:
                rows.append([site.item_link(here, item, item.text), f"{facts.level_name(r)} · {facts.region_label(r)}",
                             item.values.get("seq", ""), site.item_link(here, item)])
        applicable.append({"kind": facts.kind_name(kind), "notices": [partial_notice(site, here, l) for l in lists],
                           "rows": rows, "caption": f"在{label}适用的{facts.kind_name(kind)}"})
    gaps = [(facts.kind_name(c.kind), c.label, c.missing) for c in _cells_by_region(site).get(region.adcode, [])
            if c.status in ("partial", "examples", "known")]
    missing = [[m.title or "（标题未知）", "部分收录" if m.partial else "尚未收录", m.issuer or "未知", m.number or "未知",
                m.date or "未知", facts.region_label(cat.regions[m.region]) if m.region in cat.regions else m.region,
                site.addresses(m.addresses), site.plain(m.note)] for m in app.missing]
    return Page(here, label, "pages/region.html", {
        "label": label, "level": facts.level_name(region), "adcode": region.adcode,
        "parent": site.region_link(here, parent) if parent else None,
        "sources": _sources(site, here, region), "lists": _lists_rows(site, here, region),
        "levels": "、".join(f"{facts.region_label(r)}（{facts.level_name(r)}）" for r in app.lineage),
        "uncatalogued": "、".join(f"{facts.region_label(r)}（{facts.level_name(r)}）" for r in app.uncatalogued_levels),
        "applicable": applicable, "gaps": gaps, "missing": missing, "notes": [n for n in map(site.plain, region.notes) if n],
        "contribute": site.link(here, "contribute.md", "如何贡献"), "coverage": site.link(here, "coverage.md", "收录情况")})


def _cells_by_region(site: Site) -> dict[str, list]:
    """The coverage cells of each region, in coverage order (one pass, kept on the site)."""
    by = getattr(site, "_cells_by_region", None)
    if by is None:
        by = {}
        for c in site.coverage.cells:
            by.setdefault(c.region, []).append(c)
        site._cells_by_region = by
    return by


def _item_row(site: Site, here: str, item: Item) -> list:
    """A list page's row: the item's text first (it gets the width; on a phone the row is a card)."""
    return [site.item_link(here, item, item.text), item.values.get("seq", ""), item.category,
            site.law_links(here, item.legal_basis) if item.legal_basis else item.values.get("legal_basis_text", ""),
            site.plain(item.note), site.item_link(here, item)]


def list_page(site: Site, lst: ItemList) -> Page:
    here = list_path(lst)
    region = site.cat.regions[lst.region]
    src = facts.list_source(site.cat, lst)
    rt = lst.reported_total
    meta = [("地区", site.region_link(here, region)), ("类型", facts.kind_name(lst.kind)),
            ("来源文件", site.source_text(src)), ("收录条数", len(lst.items)),
            ("完整程度", COMPLETENESS.get(lst.status, lst.status or "未说明")),
            ("来源自述总数", "未说明" if rt is None else rt)]
    if lst.completeness.get("missing"):
        meta.append(("缺少的事项", lst.completeness.get("missing")))
    if lst.legal_basis:
        meta.append((LIST_BASIS, site.law_links(here, lst.legal_basis)))
    if site.plain(lst.resource.get("x-note") or ""):
        meta.append(("整理说明", site.plain(lst.resource.get("x-note"))))
    return Page(here, f"{lst.title} · {facts.region_label(region)}", "pages/list.html", {
        "title": lst.title, "notice": partial_notice(site, here, lst), "meta": meta,
        "rows": [_item_row(site, here, i) for i in lst.items]})


def negative_advice(site: Site) -> dict:
    src = facts.opinions_source(site.cat)
    cite = (f"{src.issuer}《{src.title}》" + (f"（{src.number}）" if src.number else "")) if src else \
        "中共中央办公厅、国务院办公厅《关于规范村级组织工作事务、机制牌子和证明事项的意见》"
    return {"quote": facts.OPINIONS_SECTION_8, "cite": cite}


def partial_notice(site: Site, here: str, lst: ItemList) -> dict | None:
    """What the notice on every page showing items of an incomplete list says (or None).

    Text, not colour alone, carries the message (an admonition with a title and a sentence).
    """
    if lst.status not in ("partial", "examples"):
        return None
    rt = lst.reported_total
    shown = f"收录 {len(lst.items)} 条" + (f"，源文件共 {rt} 条" if rt is not None else "")
    what = "只收录了部分事项" if lst.status == "partial" else "只收录了举例提到的事项"
    return {"title": f"本清单不完整：{what}（{shown}）", "missing": str(lst.completeness.get("missing") or ""),
            "contribute": site.link(here, "contribute.md", "如何补充这份清单"),
            "coverage": site.link(here, "coverage.md", "全部清单的收录情况")}


def item_page(site: Site, item: Item) -> Page:
    here = site.item_pages[site.key(item)]
    cat = site.cat
    lst = facts.item_list(cat, item)
    region = cat.regions[item.region]
    src = facts.item_source(cat, item)
    titles = site.field_titles.get(item.kind, {})
    meta = [("编号", item.id), ("序号（源文件）", item.values.get("seq", "")),
            ("清单", site.list_link(here, lst)), ("地区", site.region_link(here, region)),
            ("层级", facts.level_name(region)), ("类别", item.category)]
    for k, v in item.values.items():
        if k not in COMMON_FIELDS and v.strip():
            shown = POSITIONS.get(v, v) if k == "position" else v
            meta.append((titles.get(k, k), shown))
    meta += [("法律依据", site.law_links(here, item.legal_basis) if item.legal_basis else ""),
             ("依据原文", item.values.get("legal_basis_text", "")),
             (LIST_BASIS, site.law_links(here, lst.legal_basis) if lst.legal_basis else ""),
             ("来源文件", site.source_text(src)),
             ("来源地址", site.address(src.path) if src and src.path else ""),
             ("备注", site.plain(item.note))]
    return Page(here, f"{_short(item)} · {item.id}", "pages/item.html", {
        "region": site.region_link(here, region), "list": site.list_link(here, lst), "seq": item.values.get("seq", ""),
        "heading": _short(item), "notice": partial_notice(site, here, lst), "text": item.text, "meta": meta,
        "sign": _sign_figure(item) if item.kind == "signs" and facts.sign_style(item) else None,
        "advice": negative_advice(site) if item.kind == "negative-certificates" else None,
        "citation": citation.cite(item, lst.title, src, site.release, site.base, facts.region_label(region))})


def _short(item: Item, n: int = 40) -> str:
    t = item.text.strip()
    return t if len(t) <= n else t[:n] + "…"


def _sign_figure(item: Item) -> dict:
    style = facts.sign_style(item)
    words = []
    if style.get("ground_colour") or style.get("text_colour"):
        words.append(f"{style.get('ground_colour', '')}底" if style.get("ground_colour") else "底色未规定")
        words.append(f"{style.get('text_colour', '')}字" if style.get("text_colour") else "字色未规定")
    words += [style[k] for k in ("typeface", "form") if style.get(k)]
    return {"drawing": svg.sign(item.text, style), "text": item.text, "words": "，".join(words)}


def must_not(site: Site) -> Page:
    return must_not_pages(site)[0]


def must_not_pages(site: Site) -> list[Page]:
    """The “不得” page: national rules first, then each region's prohibitions and negative lists;
    past the limit, the national rules and one page per province (prefecture …) of the others."""
    cat = site.cat
    kinds = facts.MUST_NOT_KINDS
    national = cat.regions.get(facts.NATIONAL)
    members = [r for r in cat.catalogued_regions() if r.adcode != facts.NATIONAL and any(k in r.lists for k in kinds)]
    top = facts.region_parts(cat, members, lambda r: sum(len(r.lists[k].items) for k in kinds if k in r.lists),
                             site.limits.items)

    def section(here: str, lst: ItemList) -> dict:
        region = cat.regions[lst.region]
        return {"heading": f"{facts.region_label(region)}（{facts.level_name(region)}）· {facts.kind_name(lst.kind)}",
                "list": site.list_link(here, lst), "notice": partial_notice(site, here, lst),
                "rows": [[site.item_link(here, i, i.text), i.values.get("seq", ""), site.item_link(here, i)]
                         for i in lst.items],
                "caption": lst.title}

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        shown = ([national] if national is not None and national.folder and not trail else []) + _members(part)
        sections = [section(here, r.lists[k]) for r in shown for k in kinds if k in r.lists]
        known = []
        if not trail:
            known = [[r.get("title") or "（标题未知）", facts.region_label(cat.regions[r["region"]])
                      if r.get("region") in cat.regions else r.get("region", ""), r.get("issuer", ""), r.get("number", ""),
                      r.get("date", ""), "部分收录" if r.get("status") == "partial" else "尚未收录",
                      site.addresses([a.strip() for a in r.get("addresses", "").split(";")])]
                     for r in facts.known_uncatalogued(cat, kinds)]
        parts = [[site.link(here, path, c.label), len(c.members), c.weight] for path, c in children]
        return {"advice": negative_advice(site), "sections": sections, "known": known,
                "part": _part_head(site, here, part, trail, "“不得”规定与不应出具的证明"), "parts": parts}

    return _split(site, "must-not.md", "must-not", top, "“不得”规定与不应出具的证明", "pages/must-not.html", page,
                  local=["must-not", list(kinds), negative_advice(site)])


def laws_index(site: Site) -> Page:
    here = "laws/index.md"
    uses = site.law_uses
    rows = [[law.id, site.link(here, law_path(law.id), f"《{law.title}》"), law.level, law.issuer,
             len(uses[law.id].items), len(uses[law.id].lists)] for law in site.cat.laws.values()]
    return Page(here, "法律法规", "pages/laws.html", {"rows": rows})


def law_page(site: Site, lid: str) -> Page:
    return law_pages(site, lid)[0]


def law_pages(site: Site, lid: str) -> list[Page]:
    """A law and every item resting on it (its own basis, or its list's); past the limit, the
    counts per province and one page per province (prefecture …) at ``laws/<id>/<adcode>/``."""
    cat = site.cat
    law = cat.laws[lid]
    use = site.law_uses[lid]
    by_region: dict[str, list[Item]] = {}  # use.items is in catalogue order: by region, then list
    for i in use.items:
        by_region.setdefault(i.region, []).append(i)
    items_of = {code: len(items) for code, items in by_region.items()}
    lists_of: dict[str, list[ItemList]] = {}
    for l in use.lists:
        lists_of.setdefault(l.region, []).append(l)
    members = [cat.regions[c] for c in sorted(set(items_of) | set(lists_of)) if c in cat.regions]
    top = facts.region_parts(cat, members, lambda r: items_of.get(r.adcode, 0) + sum(
        1 + len(l.items) for l in lists_of.get(r.adcode, [])), site.limits.items)
    meta = [("编号", law.id), ("层级", law.level), ("制定机关", law.issuer), ("引用形式", law.cited_as),
            ("地区", law.region or "全国"), ("说明", site.plain(law.note)), ("状态", "已废止/停用：" + law.deprecated if law.deprecated else "")]

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        def row(item: Item, how: str) -> list:
            return [site.item_link(here, item, item.text), facts.region_label(cat.regions[item.region]),
                    facts.kind_name(item.kind), item.values.get("seq", ""), how, site.item_link(here, item)]

        codes = {r.adcode for r in _members(part)}
        lists = [l for l in use.lists if l.region in codes]
        rows = [row(i, "逐条依据") for r in _members(part) for i in by_region.get(r.adcode, [])]
        rows += [row(i, LIST_BASIS) for l in lists for i in l.items]
        inside = {r.adcode for r in part.members}
        n_items = sum(items_of.get(c, 0) for c in inside)
        part_lists = [l for c in sorted(inside) for l in lists_of.get(c, [])]
        parts = []
        for path, c in children:
            c_lists = [l for r in c.members for l in lists_of.get(r.adcode, [])]
            parts.append([site.link(here, path, c.label), sum(items_of.get(r.adcode, 0) for r in c.members),
                          len(c_lists), sum(len(l.items) for l in c_lists)])
        return {
            "title": f"《{law.title}》", "meta": [(k, v) for k, v in meta if v], "rows": rows,
            "total": n_items + sum(len(l.items) for l in part_lists) if part.split else len(rows),
            "n_items": n_items, "n_lists": len(part_lists),
            "lists": [(site.list_link(here, l), facts.region_label(cat.regions[l.region]), len(l.items)) for l in lists],
            "part": _part_head(site, here, part, trail, "以本法为依据的事项"), "parts": parts}

    return _split(site, law_path(lid), law_path(lid)[:-3], top, f"《{law.title}》", "pages/law.html", page,
                  local=["law", lid])


def compare_index(site: Site) -> Page:
    here = "compare/index.md"
    totals = facts.kind_totals(site.cat)
    regions = site.cat.catalogued_regions()
    rows = [[site.link(here, compare_path(k), f"{facts.kind_name(k)}对照"),
             sum(1 for r in regions if k in r.lists), n] for k, n in totals.items()]
    return Page(here, "各地对照", "pages/compare-index.html", {"rows": rows})


def compare_page(site: Site, kind: str) -> Page:
    return compare_pages(site, kind)[0]


def compare_pages(site: Site, kind: str) -> list[Page]:
    """One kind side by side, a column per region; past the limit, one page per province, and per
    prefecture below a province still too large (``compare/<kind>/<adcode>/``)."""
    members = [r for r in site.cat.catalogued_regions() if kind in r.lists]
    top = facts.region_parts(site.cat, members, lambda r: len(r.lists[kind].items), site.limits.items)
    name = facts.kind_name(kind)

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        regions, rows = facts.compare_columns(_members(part), kind)
        cells = [[n + 1] + [site.item_link(here, i, i.text) if i else "" for i in row] for n, row in enumerate(rows)]
        heading = f"{name}：各地对照" + (f" · {part.label}" if trail else "")
        return {
            "kind": name, "heading": heading, "table": bool(regions) or not part.split,
            "notices": [partial_notice(site, here, r.lists[kind]) for r in regions],
            "headers": ["位置"] + [facts.region_label(r) for r in regions], "rows": cells,
            "part": _part_head(site, here, part, trail, f"{name}对照"),
            "parts": [[site.link(here, path, c.label), len(c.members), c.weight] for path, c in children]}

    return _split(site, compare_path(kind), compare_path(kind)[:-3], top, f"{name}：各地对照", "pages/compare.html", page,
                  local=["compare", kind])


def statistics(site: Site) -> Page:
    return statistics_pages(site)[0]


def statistics_pages(site: Site) -> list[Page]:
    """Items per region and kind, as bar charts and a table. Past ``limits.bars`` regions, a bar per
    province (its regions summed) and one page per province (prefecture …) with its own regions."""
    regions, kinds, m = facts.count_matrix(site.cat)
    top = facts.region_parts(site.cat, regions, lambda r: 1, site.limits.bars)

    def counts(rs: list[Region]) -> list[int]:
        return [sum(m.get((r.adcode, k), 0) for r in rs) for k in kinds]

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        own = _members(part)
        bars = [(facts.region_label(r), counts([r])) for r in own] + [(c.label, counts(c.members)) for _, c in children]
        labels = [label for label, _ in bars]
        by_region = svg.bar_chart("各地区事项数（按清单类型分段）" if not children else
                                  "各地区事项数（按清单类型分段；下级地区合计）", labels,
                                  [(facts.kind_name(k), [b[1][n] for b in bars]) for n, k in enumerate(kinds)])
        totals = dict(zip(kinds, counts(part.members)))
        by_kind = svg.bar_chart("各类清单事项数", [facts.kind_name(k) for k in totals], [("事项数", list(totals.values()))])
        rows = [[facts.region_label(r)] + [m.get((r.adcode, k), 0) for k in kinds] + [facts.region_total(r)] for r in own]
        rows += [[site.link(here, path, c.label)] + counts(c.members) + [sum(counts(c.members))] for path, c in children]
        rows.append(["合计"] + [totals[k] for k in kinds] + [sum(totals.values())])
        return {
            "by_region": by_region, "by_kind": by_kind, "headers": ["地区"] + [facts.kind_name(k) for k in kinds] + ["合计"],
            "rows": rows, "part": _part_head(site, here, part, trail, "统计")}

    return _split(site, "statistics.md", "statistics", top, "统计", "pages/statistics.html", page,
                  local=["statistics", kinds])


def signs(site: Site) -> Page:
    return signs_pages(site)[0]


def signs_pages(site: Site) -> list[Page]:
    """Every region's signs, drawn where the source gives their style; past the limit, one page per
    province (prefecture …) at ``signs/<adcode>/``."""
    members = [r for r in site.cat.catalogued_regions() if "signs" in r.lists]
    # A sign with its drawing costs about two item rows (≈ 750 bytes; 1,000 were 759 KB at 500k items).
    top = facts.region_parts(site.cat, members, lambda r: 2 * len(r.lists["signs"].items), site.limits.items)

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        sections = []
        for region in _members(part):
            lst = region.lists["signs"]
            figures = []
            for item in lst.items:
                pos = POSITIONS.get(item.values.get("position", ""), item.values.get("position", ""))
                styled = bool(facts.sign_style(item))
                figures.append({"figure": _sign_figure(item) if styled else None, "position": pos,
                                "link": site.item_link(here, item) if styled else site.item_link(here, item, item.text)})
            sections.append({"heading": f"{facts.region_label(region)} · {lst.title}", "figures": figures})
        return {
            "sections": sections, "part": _part_head(site, here, part, trail, "标牌标识"),
            "parts": [[site.link(here, path, c.label), len(c.members), sum(len(r.lists["signs"].items) for r in c.members)]
                      for path, c in children]}

    return _split(site, "signs.md", "signs", top, "标牌标识", "pages/signs.html", page, local=["signs"])


def data_dictionary(site: Site) -> Page:
    here = "data-dictionary.md"
    tables = [{"title": doc.title, "id": f"schema-{slug(doc.name)}",
               "intro": f"{doc.description} {doc.description_en}".strip() + f"（文件 {doc.name}.csv）",
               "rows": [[f.name, f.title, f.description, f.description_en, f.type, f.constraints, f.example]
                        for f in doc.fields]} for doc in dictionary.table_docs(site.cat)]
    cat_doc = dictionary.catalogue_doc(site.cat)
    catalogue = None
    if cat_doc:
        catalogue = {"title": cat_doc.title, "intro": f"{cat_doc.description} {cat_doc.description_en}".strip(),
                     "rows": [[f.name, f.description, f.description_en, f.type, f.constraints] for f in cat_doc.fields]}
    return Page(here, "数据字典", "pages/data-dictionary.html", {"tables": tables, "catalogue": catalogue})


def errors(site: Site) -> Page:
    from villagecat.registry import all_rules

    here = "errors.md"
    layers = {"input": "读取", "structure": "结构", "metadata": "元数据", "policy": "政策规则"}
    rows = [[r.code, layers.get(r.layer, r.layer), "错误" if r.severity == "error" else "警告",
             f"{r.title_zh} / {r.title_en}", f"{r.advice_zh} / {r.advice_en}"] for r in all_rules()]
    return Page(here, "错误代码", "pages/errors.html", {"rows": rows})


def coverage_page(site: Site) -> Page:
    return coverage_pages(site)[0]


def coverage_pages(site: Site) -> list[Page]:
    """Region × list kind: complete, partial (n of m), examples, known but missing, unknown.

    Past ``limits.regions`` rows, the table shows a row per province (how many of its regions have
    each kind catalogued) linking to one page per province (prefecture …) at ``coverage/<adcode>/``."""
    from villagecat.coverage import STATUS_EN, STATUS_ORDER, STATUS_ZH

    cov = site.coverage
    cat = site.cat
    cells: dict[tuple[str, str], object] = {}
    for c in cov.cells:
        cells.setdefault((c.region, c.kind), c)
    counts = cov.counts()
    chart = svg.bar_chart("各收录状态的地区×清单类型格数", [STATUS_ZH[s] for s in STATUS_ORDER[:-1]],
                          [("格数", [counts[s] for s in STATUS_ORDER[:-1]])])
    members = [cat.regions[r["adcode"]] for r in cov.regions
               if not all(cells[(r["adcode"], k)].status == "unknown" for k in cov.kinds)]
    order = {r.adcode: n for n, r in enumerate(members)}
    top = facts.region_parts(cat, members, lambda r: 1, site.limits.regions)
    legend = [(s, STATUS_ZH[s], d) for s, d in (
        ("complete", "源文件的全部事项都已逐字收录；数字为条数。"),
        ("partial", "只收录了部分事项（n/m：已收录 n 条，源文件共 m 条）；清单页写明缺少哪些。"),
        ("examples", "只收录了报道或文件中举例提到的事项。"),
        ("known", "已知有这份清单（被引用或登记在案），但本站还没有文本。"),
        ("unknown", "本站不知道该地区是否有这类清单（表中显示为 —）。"))]
    register = []
    for row in cat.known_documents():
        region = cat.regions.get(row.get("region", ""))
        register.append([row.get("id", ""), row.get("title") or "（标题未知）",
                         facts.region_label(region) if region else row.get("region", ""),
                         row.get("issuer", ""), row.get("number", ""), row.get("date", ""),
                         "、".join(facts.kind_name(k.strip()) for k in row.get("kinds", "").split(";") if k.strip() in KINDS_ALL),
                         row.get("reported_counts", ""),
                         {"known": "尚未收录", "partial": "部分收录", "transcribed": "已收录"}.get(row.get("status", ""), row.get("status", "")),
                         site.addresses([a.strip() for a in row.get("addresses", "").split(";")])])
    caught = ("complete", "partial", "examples")

    def page(here: str, part: facts.RegionPart, trail: list, children: list) -> dict:
        rows = []
        for region in sorted(_members(part), key=lambda r: order[r.adcode]):
            row = []
            for k in cov.kinds:
                c = cells[(region.adcode, k)]
                text: object = c.label if c.status != "unknown" else "—"
                if c.status in caught and k in region.lists:
                    text = site.list_link(here, region.lists[k], c.label)
                row.append(Status(c.status, STATUS_EN[c.status], text))
            rows.append([site.region_link(here, region), facts.level_name(region)] + row)
        parts = [[site.link(here, path, c.label), len(c.members)]
                 + [sum(1 for r in c.members if cells[(r.adcode, k)].status in caught) for k in cov.kinds]
                 for path, c in children]
        return {
            "legend": legend, "headers": ["地区", "层级"] + [facts.kind_name(k) for k in cov.kinds], "rows": rows,
            "chart": chart if not trail else None,
            "totals": "，".join(f"{STATUS_ZH[s]} {counts[s]} 格" for s in STATUS_ORDER),
            "contribute": site.link(here, "contribute.md", "如何贡献"), "register": register if not trail else None,
            "part": _part_head(site, here, part, trail, "收录情况"), "parts": parts,
            "parts_headers": ["地区", "地区数"] + [f"{facts.kind_name(k)}（已收录的地区数）" for k in cov.kinds]}

    return _split(site, "coverage.md", "coverage", top, "收录情况", "pages/coverage.html", page)


def chinese_part(text: str) -> str:
    """The Chinese half of a bilingual “中文 / English” text (a release summary).

    >>> chinese_part("第二版：补正。/ Second release.")
    '第二版：补正。'
    >>> chinese_part("只有中文")
    '只有中文'
    """
    return re.split(r"\s*/\s+(?=[A-Za-z])", text, maxsplit=1)[0].strip()


def _version(v: str) -> str:
    """A release's folder: its version (``YYYY.N``, verified with the release records)."""
    return v if re.fullmatch(r"[0-9]{4}\.[0-9]+", v) else slug(v)


def releases_page(site: Site) -> Page:
    """The releases, newest first, with dates, summaries and (in the versioned site) their changelog
    and downloads. A release's own site names only itself and earlier releases: it never changes."""
    here = "releases.md"
    shown = site.releases
    if site.release in {str(r.get("version")) for r in shown}:
        upto = [str(r.get("version")) for r in shown].index(site.release)
        shown = shown[:upto + 1]
    rows = []
    for r in reversed(shown):
        v = str(r.get("version", ""))
        summary = str(r.get("summary") or "")
        rows.append({"version": v, "date": str(r.get("date") or ""), "summary": chinese_part(summary),
                     "current": v == site.release,
                     "changelog": Link(f"../../{_version(v)}/changelog/", "变更记录") if site.versioned else None,
                     "downloads": Link(f"../../{_version(v)}/downloads/", "下载") if site.versioned else None,
                     "site": Link(f"../../{_version(v)}/", f"{v} 版网站") if site.versioned else None})
    return Page(here, "版本发布", "pages/releases.html", {
        "rows": rows, "release": site.release, "cite": site.link(here, "cite.md", "如何引用"),
        "downloads": site.link(here, "downloads.md", "下载")})
