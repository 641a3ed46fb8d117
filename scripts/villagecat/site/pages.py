"""The generated pages: a :class:`Page` (path, title, body) per region, list, item, law, kind …

Each function lays out values from :mod:`facts`, :mod:`citation`, :mod:`dictionary` and
:mod:`svg`; none computes a figure itself. Bodies are one raw HTML block built with the escaping
helpers of :mod:`html`, so no catalogue value is ever parsed as Markdown or HTML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from villagecat.model import COMPLETENESS, KINDS as KINDS_ALL, PATH_KINDS, SOURCE_KINDS, Catalogue, Item, ItemList, Region, Source
from villagecat.site import citation, dictionary, facts, svg
from villagecat.site.html import Html, block, dl, esc, join, link, rel, table, tag

SITE_NAME = "村级组织工作事务·机制牌子·证明事项 开放目录"
POSITIONS = {"exterior-sign": "外部标牌", "exterior-mark": "外部标识", "interior-sign": "内部标牌",
             "mechanism": "村级组织和工作机制"}
COMMON_FIELDS = ("id", "seq", "category", "text", "legal_basis", "legal_basis_text", "source", "note")
# Big tables of item text on overview pages. The site's search indexes the catalogue itself, not
# pages (villagecat.site.textindex); the data-pagefind-ignore marks only matter to page indexers.
UNINDEXED = Html('<div data-pagefind-ignore="all">')


@dataclass
class Page:
    path: str  # relative to docs_dir, e.g. "items/150000-D-020.md"
    title: str
    body: str

    def markdown(self) -> str:
        """Front matter + body, checked to read back as exactly that (see :func:`front_matter`).

        The title is HTML-escaped because the theme prints it unescaped.
        """
        return front_matter(self.path, {"title": esc(self.title)}, self.body)


class FrontMatterError(RuntimeError):
    """A generated page would not read back as written: building it could turn data into markup."""


def front_matter(path: str, meta: dict[str, str], body: str) -> str:
    r"""A page: YAML front matter holding ``meta``, then ``body`` (one raw HTML block).

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
    if data != meta or doc != body + "\n":
        raise FrontMatterError(f"{path}: front matter does not read back as written "
                               f"(got {sorted(data)!r} keys, body {'unchanged' if doc == body + chr(10) else 'changed'})")
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

    def __init__(self, cat: Catalogue, root: str | Path, release: str, site_url: str):
        self.cat, self.root, self.release, self.site_url = cat, Path(root), release, site_url
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

    @staticmethod
    def key(item: Item) -> tuple:
        return (item.region, item.kind, item.row)

    # links ------------------------------------------------------------------------------------
    def href(self, here: str, path: str) -> str:
        return rel(url_of(here), url_of(path))

    def region_link(self, here: str, region: Region) -> Html:
        if region.folder:
            return link(self.href(here, region_path(region.adcode)), facts.region_label(region))
        return tag("span", facts.region_label(region))

    def list_link(self, here: str, lst: ItemList, text: str | None = None) -> Html:
        return link(self.href(here, list_path(lst)), text or lst.title)

    def item_link(self, here: str, item: Item, text: str | None = None) -> Html:
        return link(self.href(here, self.item_pages[self.key(item)]), text if text is not None else item.id)

    def law_links(self, here: str, ids: list[str]) -> Html:
        parts = []
        for lid in ids:
            law = self.cat.laws.get(lid)
            parts.append(link(self.href(here, law_path(lid)), f"《{law.title}》") if law else tag("span", lid))
        return join(parts, "；")

    def source_text(self, src: Source | None) -> str:
        if src is None:
            return ""
        bits = [f"《{src.title}》" if src.title else "", src.issuer, src.number, src.date]
        return "，".join(b for b in bits if b)

    def address(self, url: str) -> Html:
        """A source's public address as a link, only for http(s) (never javascript: or data:)."""
        if re.match(r"^https?://", url or ""):
            return link(url, url, rel="nofollow noopener")
        return Html(esc(url))


# ---- pages ----------------------------------------------------------------------------------

def all_pages(site: Site) -> list[Page]:
    cat = site.cat
    pages = [home(site), regions_index(site), must_not(site), laws_index(site), compare_index(site),
             statistics(site), signs(site), coverage_page(site), data_dictionary(site), errors(site)]
    for region in cat.catalogued_regions():
        pages.append(region_page(site, region))
        for lst in region.lists.values():
            pages.append(list_page(site, lst))
            pages.extend(item_page(site, item) for item in lst.items)
    pages.extend(law_page(site, lid) for lid in cat.laws)
    pages.extend(compare_page(site, k) for k in facts.kind_totals(cat))
    return pages


def home(site: Site) -> Page:
    here = "index.md"
    cat = site.cat
    stats = cat.stats()
    regions, kinds, m = facts.count_matrix(cat)
    rows = [[site.region_link(here, r), facts.level_name(r)] + [m.get((r.adcode, k), "") for k in kinds]
            + [facts.region_total(r)] for r in regions]
    national = cat.regions.get(facts.NATIONAL)
    nat = ""
    if national and national.folder:
        nat = Html(tag("h2", "全国性规定") + tag("p", "中央文件的规定在每个地区都适用：") + Html(
            "<ul>" + "".join(f"<li>{site.list_link(here, l)}（{len(l.items)} 条）</li>" for l in national.lists.values())
            + "</ul>") + tag("p", Html("各地“不得”规定与不应出具的证明汇总见" + link(site.href(here, "must-not.md"), "“不得”汇总页") + "。")))
    search = Html(
        f'<form class="vc-search" role="search" action="{esc(site.href(here, "search.md"))}" method="get">'
        '<label for="vc-q">搜索事项（如：证明、村民委员会、人民调解）</label> '
        '<input id="vc-q" name="q" type="search" placeholder="输入关键词">'
        '<button type="submit" class="md-button">搜索</button></form>')
    body = block(
        tag("h1", SITE_NAME),
        tag("p", "本站把各级党委、政府公布的村级组织工作事务清单——依法履行职责事项、依法协助工作事项、"
                 "标牌标识、出具证明事项和不应出具的证明事项——逐字整理为可检索、可比较、可引用的开放数据。"),
        tag("p", "面向村民：查一查村委会是否必须出具某项证明、某块牌子该不该挂；面向干部：准确引用某一版本中的某一条；"
                 "面向开发者：下载数据并在其上开发。"),
        search,
        tag("h2", "各地区目录"),
        tag("p", f"目前收录 {stats['regions']} 个地区的 {stats['lists']} 份清单，共 {stats['items']} 条事项，"
                 f"引用法律法规 {stats['laws']} 部。"),
        UNINDEXED + table(["地区", "层级"] + [facts.kind_name(k) for k in kinds] + ["合计"], rows,
                                                  caption="各地区各类清单事项数") + Html("</div>"),
        nat,
        tag("h2", "从这里开始"),
        Html("<ul>"
             f"<li>{link(site.href(here, 'regions/index.md'), '按地区浏览')}</li>"
             f"<li>{link(site.href(here, 'must-not.md'), '“不得”规定与不应出具的证明')}</li>"
             f"<li>{link(site.href(here, 'laws/index.md'), '法律法规及以其为依据的事项')}</li>"
             f"<li>{link(site.href(here, 'compare/index.md'), '各地同类清单对照')}</li>"
             f"<li>{link(site.href(here, 'statistics.md'), '统计图表')}</li>"
             f"<li>{link(site.href(here, 'signs.md'), '标牌标识式样')}</li>"
             f"<li>{link(site.href(here, 'cite.md'), '如何引用')}</li>"
             "</ul>"),
    )
    return Page(here, "首页", body)


def regions_index(site: Site) -> Page:
    here = "regions/index.md"
    cat = site.cat
    rows = []
    for r in sorted(cat.regions.values(), key=lambda r: r.adcode):
        parent = cat.regions.get(r.parent)
        rows.append([r.adcode, site.region_link(here, r), facts.level_name(r),
                     facts.region_label(parent) if parent else "",
                     facts.region_total(r) if r.folder else "尚未收录"])
    body = block(tag("h1", "地区"),
                 tag("p", "每个地区页列出该地区的来源文件、清单，以及在该地区适用的全部清单（全国、省、市、县各级合并，标明层级）。"),
                 table(["代码", "地区", "层级", "上级", "事项数"], rows, caption="地区一览"))
    return Page(here, "地区", body)


def _sources(site: Site, here: str, region: Region) -> Html:
    """Each source document with its issuer, 文号, date and address (unknowns said plainly)."""
    out = []
    for s in region.sources.values():
        out.append(tag("h3", f"《{s.title}》" if s.title else s.key))
        out.append(dl([("签发机关", s.issuer or "未知"), ("文号", s.number or "无或未见"), ("日期", s.date or "未知"),
                       ("文本类型", SOURCE_KINDS.get(s.kind, s.kind)),
                       ("地址", site.address(s.path) + (f"（{PATH_KINDS.get(s.path_kind, s.path_kind)}）" if s.path_kind else "")
                        if s.path else "未记录"),
                       ("本站转录", "有" if s.file else "尚无（本站还没有此文件的文本）"), ("说明", s.note)]))
    return Html("".join(out))


def _lists_table(site: Site, here: str, region: Region) -> Html:
    rows = []
    for lst in region.lists.values():
        rt = lst.reported_total
        rows.append([site.list_link(here, lst), facts.kind_name(lst.kind), len(lst.items),
                     COMPLETENESS.get(lst.status, lst.status or "未说明"), "未说明" if rt is None else rt])
    return table(["清单", "类型", "收录条数", "完整程度", "来源自述总数"], rows, caption="本地区清单")


def region_page(site: Site, region: Region) -> Page:
    here = region_path(region.adcode)
    cat = site.cat
    app = facts.applicable(cat, region.adcode)
    parent = cat.regions.get(region.parent)
    parts = [tag("h1", f"{facts.region_label(region)}"),
             tag("p", Html(f"层级：{esc(facts.level_name(region))}" + (
                 f"；上级：{site.region_link(here, parent)}" if parent else "") + f"；行政区划代码 {esc(region.adcode)}。")),
             tag("h2", "来源文件"), _sources(site, here, region),
             tag("h2", "本地区清单"), _lists_table(site, here, region)]
    parts.append(tag("h2", "在本地区适用的清单"))
    levels = "、".join(f"{facts.region_label(r)}（{facts.level_name(r)}）" for r in app.lineage)
    parts.append(tag("p", f"在{facts.region_label(region)}，以下各级的清单同时适用：{levels}。每条事项标明其所属层级。"))
    if app.uncatalogued_levels:
        parts.append(tag("p", "尚未收录的上级目录：" + "、".join(
            f"{facts.region_label(r)}（{facts.level_name(r)}）" for r in app.uncatalogued_levels)
                         + "。这些层级的清单同样适用，但本站还没有它们的文本。", class_="vc-gap"))
    for kind, lists in app.by_kind().items():
        parts.append(tag("h3", facts.kind_name(kind)))
        parts.extend(partial_notice(site, here, lst) for lst in lists)
        rows = []
        for lst in lists:
            r = cat.regions[lst.region]
            for item in lst.items:
                rows.append([site.item_link(here, item), f"{facts.level_name(r)} · {facts.region_label(r)}",
                             item.values.get("seq", ""), item.text])
        parts.append(UNINDEXED +
                     table(["编号", "层级", "序号", "事项"], rows, caption=f"在{facts.region_label(region)}适用的{facts.kind_name(kind)}")
                     + Html("</div>"))
    gaps = [c for c in coverage_of(site).cells if c.region == region.adcode and c.status in ("partial", "examples", "known")]
    parts.append(tag("h2", "本地区缺少什么"))
    if gaps:
        parts.append(Html("<ul>" + "".join(
            f"<li>{esc(facts.kind_name(c.kind))}：{esc(c.label)}" + (f"（{esc(c.missing)}）" if c.missing else "") + "</li>"
            for c in gaps) + "</ul>"))
    else:
        parts.append(tag("p", "本站没有登记本地区缺少的清单；这不代表本地区没有其他清单。"))
    parts.append(tag("p", Html(f"有这些文件的全文？请按{link(site.href(here, 'contribute.md'), '如何贡献')}补充；"
                               f"全国情况见{link(site.href(here, 'coverage.md'), '收录情况')}。")))
    if app.missing:
        parts.append(tag("h3", "已知存在、尚未收录的文件"))
        parts.append(tag("p", "下列文件在本地区适用（本级或上级），已知存在（被引用或登记在案），但本站还没有或只有部分文本，"
                              "因此上面的清单并不完整："))
        rows = [[m.title or "（标题未知）", "部分收录" if m.partial else "尚未收录", m.issuer or "未知", m.number or "未知",
                 m.date or "未知", facts.region_label(cat.regions[m.region]) if m.region in cat.regions else m.region,
                 join([site.address(a) for a in m.addresses], " "), m.note] for m in app.missing]
        parts.append(table(["文件", "状态", "签发机关", "文号", "日期", "所属地区", "地址", "说明"], rows,
                           caption="尚未收录的文件"))
    if region.notes:
        parts.append(tag("h2", "整理说明"))
        parts.append(Html("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in region.notes) + "</ul>"))
    return Page(here, facts.region_label(region), block(*parts))


def _item_row(site: Site, here: str, item: Item) -> list:
    return [site.item_link(here, item), item.values.get("seq", ""), item.category, site.item_link(here, item, item.text),
            site.law_links(here, item.legal_basis) if item.legal_basis else item.values.get("legal_basis_text", ""),
            item.note]


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
        meta.append(("清单级依据（list-level basis）", site.law_links(here, lst.legal_basis)))
    if lst.resource.get("x-note"):
        meta.append(("整理说明", lst.resource.get("x-note")))
    rows = [_item_row(site, here, i) for i in lst.items]
    body = block(tag("h1", lst.title), partial_notice(site, here, lst), dl(meta), tag("h2", "事项（按源文件顺序）"),
                 UNINDEXED
                 + table(["编号", "序号", "类别", "事项", "法律依据", "备注"], rows, caption=lst.title) + Html("</div>"))
    return Page(here, f"{lst.title} · {facts.region_label(region)}", body)


def negative_advice(site: Site) -> Html:
    src = facts.opinions_source(site.cat)
    cite = (f"{src.issuer}《{src.title}》" + (f"（{src.number}）" if src.number else "")) if src else \
        "中共中央办公厅、国务院办公厅《关于规范村级组织工作事务、机制牌子和证明事项的意见》"
    return Html('<div class="admonition info vc-advice"><p class="admonition-title">仍被要求出具时怎么办</p>'
                f"<blockquote><p>{esc(facts.OPINIONS_SECTION_8)}</p></blockquote>"
                f"<p>——{esc(cite)}第8条</p></div>")


def partial_notice(site: Site, here: str, lst: ItemList) -> Html:
    """A visible notice on every page that shows items of a list that is not complete.

    Text, not colour alone, carries the message (an admonition with a title and a sentence).
    """
    if lst.status not in ("partial", "examples"):
        return Html("")
    rt = lst.reported_total
    shown = f"收录 {len(lst.items)} 条" + (f"，源文件共 {rt} 条" if rt is not None else "")
    what = "只收录了部分事项" if lst.status == "partial" else "只收录了举例提到的事项"
    missing = str(lst.completeness.get("missing") or "")
    return Html('<div class="admonition warning vc-partial" role="note">'
                f'<p class="admonition-title">本清单不完整：{esc(what)}（{esc(shown)}）</p>'
                + (f"<p>缺少：{esc(missing)}</p>" if missing else "")
                + f"<p>不要据此认为未列出的事项不存在。{link(site.href(here, 'contribute.md'), '如何补充这份清单')}"
                f" · {link(site.href(here, 'coverage.md'), '全部清单的收录情况')}</p></div>")


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
             ("清单级依据（list-level basis）", site.law_links(here, lst.legal_basis) if lst.legal_basis else ""),
             ("来源文件", site.source_text(src)),
             ("来源地址", site.address(src.path) if src and src.path else ""),
             ("备注", item.note)]
    parts = [tag("p", Html(f"{site.region_link(here, region)} › {site.list_link(here, lst)} › 第{esc(item.values.get('seq', ''))}项"),
                 class_="vc-crumbs"),
             tag("h1", _short(item)),
             partial_notice(site, here, lst),
             tag("p", item.text, class_="vc-item-text"),
             dl(meta, unindexed=("清单级依据（list-level basis）", "备注", "来源文件", "来源地址", "清单"))]
    if item.kind == "signs" and facts.sign_style(item):
        parts.append(tag("h2", "式样示意"))
        parts.append(_sign_figure(item))
    if item.kind == "negative-certificates":
        parts.append(negative_advice(site))
    text = citation.cite(item, lst.title, src, site.release, site.site_url)
    parts.append(Html(
        '<section class="vc-cite" aria-label="引用本条" data-pagefind-ignore="all">'
        '<h2>引用本条</h2>'
        f'<pre class="vc-cite-text" id="vc-cite-text">{esc(text)}</pre>'
        '<button type="button" class="md-button vc-copy" data-copy-target="vc-cite-text" hidden>复制引用</button>'
        '<span class="vc-copy-status" role="status" aria-live="polite"></span></section>'))
    return Page(here, f"{_short(item)} · {item.id}", block(*parts))


def _short(item: Item, n: int = 40) -> str:
    t = item.text.strip()
    return t if len(t) <= n else t[:n] + "…"


def _sign_figure(item: Item) -> Html:
    style = facts.sign_style(item)
    words = []
    if style.get("ground_colour") or style.get("text_colour"):
        words.append(f"{style.get('ground_colour', '')}底" if style.get("ground_colour") else "底色未规定")
        words.append(f"{style.get('text_colour', '')}字" if style.get("text_colour") else "字色未规定")
    words += [style[k] for k in ("typeface", "form") if style.get(k)]
    return Html(f'<figure class="vc-sign-fig">{svg.sign(item.text, style)}'
                f"<figcaption>{esc(item.text)}：{esc('，'.join(words))}（据源文件；未规定的部分按白底黑字宋体示意）</figcaption></figure>")


def must_not(site: Site) -> Page:
    here = "must-not.md"
    parts = [tag("h1", "“不得”规定与不应出具的证明"),
             tag("p", "全国性规定与各地区的“不得”规定、不应由村级组织出具的证明事项，集中在本页。全国规定在每个地区都适用。"),
             negative_advice(site)]
    for lst in facts.must_not(site.cat):
        region = site.cat.regions[lst.region]
        parts.append(tag("h2", f"{facts.region_label(region)}（{facts.level_name(region)}）· {facts.kind_name(lst.kind)}"))
        parts.append(tag("p", Html(f"出自：{site.list_link(here, lst)}")))
        parts.append(partial_notice(site, here, lst))
        rows = [[site.item_link(here, i), i.values.get("seq", ""), i.text] for i in lst.items]
        parts.append(UNINDEXED
                     + table(["编号", "序号", "事项"], rows, caption=lst.title) + Html("</div>"))
    known = facts.known_uncatalogued(site.cat, facts.MUST_NOT_KINDS)
    if known:
        parts.append(tag("h2", "已知存在、尚未收录的清单"))
        parts.append(tag("p", "下列文件含有“不得”规定或不应出具的证明事项，已登记在案，但本站还没有（或只有部分）文本："))
        rows = [[r.get("title") or "（标题未知）", facts.region_label(site.cat.regions[r["region"]])
                 if r.get("region") in site.cat.regions else r.get("region", ""), r.get("issuer", ""), r.get("number", ""),
                 r.get("date", ""), "部分收录" if r.get("status") == "partial" else "尚未收录",
                 join([site.address(a.strip()) for a in r.get("addresses", "").split(";") if a.strip()], " ")]
                for r in known]
        parts.append(table(["文件", "地区", "签发机关", "文号", "日期", "状态", "地址"], rows, caption="尚未收录的清单"))
    return Page(here, "“不得”规定与不应出具的证明", block(*parts))


def laws_index(site: Site) -> Page:
    here = "laws/index.md"
    uses = site.law_uses
    rows = [[law.id, link(site.href(here, law_path(law.id)), f"《{law.title}》"), law.level, law.issuer,
             len(uses[law.id].items), len(uses[law.id].lists)] for law in site.cat.laws.values()]
    body = block(tag("h1", "法律法规"),
                 tag("p", "各清单引用的全部法律法规。点击名称查看以其为依据的全部事项（跨地区），以及把它列为整份清单依据的清单。"),
                 table(["编号", "名称", "层级", "制定机关", "事项数", "清单级依据数"], rows, caption="法律法规一览"))
    return Page(here, "法律法规", body)


def law_page(site: Site, lid: str) -> Page:
    here = law_path(lid)
    law = site.cat.laws[lid]
    use = site.law_uses[lid]
    meta = [("编号", law.id), ("层级", law.level), ("制定机关", law.issuer), ("引用形式", law.cited_as),
            ("地区", law.region or "全国"), ("说明", law.note), ("状态", "已废止/停用：" + law.deprecated if law.deprecated else "")]

    def row(item: Item, how: str) -> list:
        return [site.item_link(here, item), facts.region_label(site.cat.regions[item.region]), facts.kind_name(item.kind),
                item.values.get("seq", ""), item.text, how]

    rows = [row(i, "逐条依据") for i in use.items]
    rows += [row(i, "清单级依据（list-level basis）") for l in use.lists for i in l.items]
    parts = [tag("h1", f"《{law.title}》"), dl([(k, v) for k, v in meta if v]),
             tag("h2", f"以本法为依据的事项（{len(rows)} 条）"),
             tag("p", f"逐条依据：{len(use.items)} 条事项在本条的“法律依据”中引用本法。"
                      f"清单级依据：{len(use.lists)} 份清单把本法列为整份清单的依据（源文件没有说明哪一条依据哪部法律），"
                      f"这些清单的全部事项也列在下表，并注明“清单级依据”。")]
    if use.lists:
        parts.append(Html("<ul>" + "".join(
            f"<li>清单级依据：{site.list_link(here, l)}（{esc(facts.region_label(site.cat.regions[l.region]))}，{len(l.items)} 条）</li>"
            for l in use.lists) + "</ul>"))
    parts.append(UNINDEXED + table(["编号", "地区", "类型", "序号", "事项", "依据方式"], rows, caption="以本法为依据的事项")
                 + Html("</div>") if rows else tag("p", "目前没有事项或清单引用本法。"))
    return Page(here, f"《{law.title}》", block(*parts))


def compare_index(site: Site) -> Page:
    here = "compare/index.md"
    totals = facts.kind_totals(site.cat)
    rows = [[link(site.href(here, compare_path(k)), f"{facts.kind_name(k)}对照"),
             len(facts.compare_rows(site.cat, k)[0]), n] for k, n in totals.items()]
    body = block(tag("h1", "各地对照"), tag("p", "选择一类清单，各地区的同类清单并排显示，按源文件顺序对齐（同一行不表示内容相同）。"),
                 table(["清单类型", "地区数", "事项总数"], rows, caption="可对照的清单类型"))
    return Page(here, "各地对照", body)


def compare_page(site: Site, kind: str) -> Page:
    here = compare_path(kind)
    regions, rows = facts.compare_rows(site.cat, kind)
    cells = [[n + 1] + [site.item_link(here, i, i.text) if i else "" for i in row] for n, row in enumerate(rows)]
    notices = [partial_notice(site, here, r.lists[kind]) for r in regions if kind in r.lists]
    body = block(tag("h1", f"{facts.kind_name(kind)}：各地对照"),
                 tag("p", "每列一个地区，按各自源文件顺序排列；同一行只是位置相同，不表示内容对应。"),
                 *notices,
                 UNINDEXED
                 + table(["位置"] + [facts.region_label(r) for r in regions], cells, caption=f"{facts.kind_name(kind)}对照",
                         cls="vc-table vc-compare") + Html("</div>"))
    return Page(here, f"{facts.kind_name(kind)}：各地对照", body)


def statistics(site: Site) -> Page:
    here = "statistics.md"
    regions, kinds, m = facts.count_matrix(site.cat)
    labels = [facts.region_label(r) for r in regions]
    by_region = svg.bar_chart("各地区事项数（按清单类型分段）", labels,
                              [(facts.kind_name(k), [m.get((r.adcode, k), 0) for r in regions]) for k in kinds])
    totals = facts.kind_totals(site.cat)
    by_kind = svg.bar_chart("各类清单事项数", [facts.kind_name(k) for k in totals], [("事项数", list(totals.values()))])
    rows = [[facts.region_label(r)] + [m.get((r.adcode, k), 0) for k in kinds] + [facts.region_total(r)] for r in regions]
    rows.append(["合计"] + [totals[k] for k in kinds] + [sum(totals.values())])
    body = block(tag("h1", "统计"),
                 tag("h2", "各地区事项数"), tag("figure", by_region),
                 tag("h2", "各类清单事项数"), tag("figure", by_kind),
                 tag("h2", "数据表"),
                 table(["地区"] + [facts.kind_name(k) for k in kinds] + ["合计"], rows, caption="各地区各类清单事项数"))
    return Page(here, "统计", body)


def signs(site: Site) -> Page:
    here = "signs.md"
    parts = [tag("h1", "标牌标识"),
             tag("p", "各地清单所列的标牌标识。源文件规定了式样（底色、字色、字体、形制）的，按其式样绘出示意图；"
                      "未规定的只列名称。示意图用宋体类字体（Noto Serif CJK SC、Songti SC、SimSun）显示。")]
    for region in site.cat.catalogued_regions():
        lst = region.lists.get("signs")
        if not lst:
            continue
        parts.append(tag("h2", f"{facts.region_label(region)} · {lst.title}"))
        figs = []
        for item in lst.items:
            pos = POSITIONS.get(item.values.get("position", ""), item.values.get("position", ""))
            if facts.sign_style(item):
                figs.append(Html(f'<li>{_sign_figure(item)}<p>{esc(pos)} · {site.item_link(here, item)}</p></li>'))
            else:
                figs.append(Html(f"<li><p>{site.item_link(here, item, item.text)}</p><p>{esc(pos)} · 源文件未规定式样</p></li>"))
        parts.append(Html('<ul class="vc-signs" data-pagefind-ignore="all">' + "".join(figs) + "</ul>"))
    return Page(here, "标牌标识", block(*parts))


def data_dictionary(site: Site) -> Page:
    here = "data-dictionary.md"
    parts = [tag("h1", "数据字典"),
             tag("p", "本页由 schemas/ 下的表结构自动生成：每个字段的名称、中文说明、英文说明、类型、约束和示例。")]
    cat_doc = dictionary.catalogue_doc(site.cat)
    for doc in dictionary.table_docs(site.cat):
        parts.append(tag("h2", f"{doc.title}", id=f"schema-{slug(doc.name)}"))
        parts.append(tag("p", f"{doc.description} {doc.description_en}".strip() + f"（文件 {doc.name}.csv）"))
        parts.append(table(["字段", "名称", "说明", "English", "类型", "约束", "示例"],
                           [[f.name, f.title, f.description, f.description_en, f.type, f.constraints, f.example]
                            for f in doc.fields], caption=doc.title))
    if cat_doc:
        parts.append(tag("h2", cat_doc.title, id="schema-catalogue"))
        parts.append(tag("p", f"{cat_doc.description} {cat_doc.description_en}".strip()))
        parts.append(table(["键", "说明", "English", "类型", "约束"],
                           [[f.name, f.description, f.description_en, f.type, f.constraints] for f in cat_doc.fields],
                           caption=cat_doc.title))
    return Page(here, "数据字典", block(*parts))


def errors(site: Site) -> Page:
    from villagecat.registry import all_rules

    here = "errors.md"
    layers = {"input": "读取", "structure": "结构", "metadata": "元数据", "policy": "政策规则"}
    rows = [[r.code, layers.get(r.layer, r.layer), "错误" if r.severity == "error" else "警告",
             f"{r.title_zh} / {r.title_en}", f"{r.advice_zh} / {r.advice_en}"] for r in all_rules()]
    body = block(tag("h1", "校验规则与错误代码"),
                 tag("p", "villagecat validate 报告的每个问题都带有下列代码之一。本页由程序中的规则定义自动生成。"),
                 table(["代码", "层", "级别", "名称", "怎么改"], rows, caption="全部规则"))
    return Page(here, "错误代码", body)


_COVERAGE: dict[int, object] = {}


def coverage_of(site: Site):
    """The coverage matrix of this site's catalogue (computed once per build)."""
    from villagecat.coverage import coverage

    key = id(site.cat)
    if key not in _COVERAGE:
        _COVERAGE.clear()
        _COVERAGE[key] = coverage(site.cat)
    return _COVERAGE[key]


def coverage_page(site: Site) -> Page:
    """Region × list kind: complete, partial (n of m), examples, known but missing, unknown."""
    from villagecat.coverage import STATUS_EN, STATUS_ORDER, STATUS_ZH

    here = "coverage.md"
    cov = coverage_of(site)
    cat = site.cat
    counts = cov.counts()
    chart = svg.bar_chart("各收录状态的地区×清单类型格数", [STATUS_ZH[s] for s in STATUS_ORDER[:-1]],
                          [("格数", [counts[s] for s in STATUS_ORDER[:-1]])])
    rows = []
    for r in cov.regions:
        if all(cov.cell(r["adcode"], k).status == "unknown" for k in cov.kinds):
            continue
        region = cat.regions[r["adcode"]]
        cells = []
        for k in cov.kinds:
            c = cov.cell(r["adcode"], k)
            text = c.label if c.status != "unknown" else "—"
            if c.status in ("complete", "partial", "examples") and k in region.lists:
                text = site.list_link(here, region.lists[k], c.label)
            cells.append(Html(f'<span class="vc-cov vc-cov-{esc(c.status)}" title="{esc(STATUS_EN[c.status])}">{text}</span>'))
        rows.append([site.region_link(here, region), facts.level_name(region)] + cells)
    legend = Html("<ul>" + "".join(
        f'<li><span class="vc-cov vc-cov-{s}">{esc(STATUS_ZH[s])}</span>：{esc(d)}</li>' for s, d in (
            ("complete", "源文件的全部事项都已逐字收录；数字为条数。"),
            ("partial", "只收录了部分事项（n/m：已收录 n 条，源文件共 m 条）；清单页写明缺少哪些。"),
            ("examples", "只收录了报道或文件中举例提到的事项。"),
            ("known", "已知有这份清单（被引用或登记在案），但本站还没有文本。"),
            ("unknown", "本站不知道该地区是否有这类清单（表中显示为 —）。"))) + "</ul>")
    register = []
    for row in cat.known_documents():
        region = cat.regions.get(row.get("region", ""))
        register.append([row.get("id", ""), row.get("title") or "（标题未知）",
                         facts.region_label(region) if region else row.get("region", ""),
                         row.get("issuer", ""), row.get("number", ""), row.get("date", ""),
                         "、".join(facts.kind_name(k.strip()) for k in row.get("kinds", "").split(";") if k.strip() in KINDS_ALL),
                         row.get("reported_counts", ""),
                         {"known": "尚未收录", "partial": "部分收录", "transcribed": "已收录"}.get(row.get("status", ""), row.get("status", "")),
                         join([site.address(a.strip()) for a in row.get("addresses", "").split(";") if a.strip()], " ")])
    body = block(
        tag("h1", "收录情况"),
        tag("p", "每个地区、每类清单，本站收录到什么程度：完整、部分（n/m）、仅示例、已知但尚未收录，或未知。"
                 "只列出至少有一格已知的地区。"),
        legend,
        table(["地区", "层级"] + [facts.kind_name(k) for k in cov.kinds], rows, caption="各地区各类清单收录情况",
              cls="vc-table vc-coverage"),
        tag("h2", "各状态格数"), tag("figure", chart),
        tag("p", "合计：" + "，".join(f"{STATUS_ZH[s]} {counts[s]} 格" for s in STATUS_ORDER) + "。"),
        tag("h2", "已知文件登记表"),
        tag("p", Html("登记在 catalogues/known-documents.csv 的文件：有的已收录，有的只有标题和条数。"
                      f"有全文的，欢迎按{link(site.href(here, 'contribute.md'), '如何贡献')}补充。")),
        UNINDEXED + table(["编号", "文件", "地区", "签发机关", "文号", "日期", "清单类型", "报道条数", "状态", "地址"], register,
                          caption="已知文件登记表") + Html("</div>"),
    )
    return Page(here, "收录情况", body)
