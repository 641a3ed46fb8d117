"""Page values and escaping, without a browser: what the generated HTML contains."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from villagecat.registry import all_rules
from villagecat.site import citation, dictionary, facts, pages
from villagecat.site.html import esc, rel
from villagecat.site.render import render

from conftest import HOSTILE, REPO


def test_escaping_and_the_table_template():
    assert esc("<a href='x'>&") == "&lt;a href=&#39;x&#39;&gt;&amp;"
    page = pages.Page("x.md", "t", "pages/errors.html", {"rows": [["<x>", pages.Link("a?b=1&c=<2>", "<i>"), "", "", ""]]})
    t = page.render()
    assert '<th scope="col">代码</th>' in t and '<th scope="row">&lt;x&gt;</th>' in t
    assert '<a href="a?b=1&amp;c=&lt;2&gt;">&lt;i&gt;</a>' in t


def test_templates_render_every_page_of_a_hostile_value(catalogue):
    """Every template, fed a context whose every string is markup, prints it as text."""
    site = pages.Site(catalogue, REPO, "<b>版</b>", "https://e.org/")
    items = [p for p in pages.all_pages(site) if p.path.startswith("items/")][:5]
    for page in items:
        html = page.render()
        assert html.startswith('<div class="vc-page">') and html.rstrip().endswith("</div>"), page.path
        assert "<b>版</b>" not in html and "&lt;b&gt;版&lt;/b&gt;" in html, page.path


def test_relative_links():
    assert rel("items/150000-D-020/", "regions/150000/") == "../../regions/150000/"
    assert rel("", "regions/") == "regions/"
    assert rel("regions/", "") == "../"
    assert rel("laws/", "laws/L0001/#x") == "L0001/#x"


def test_citation_has_every_part(catalogue):
    item = catalogue.item_index()["150000-D-020"]
    lst = facts.item_list(catalogue, item)
    text = citation.cite(item, lst.title, facts.item_source(catalogue, item), "2026.1", "https://e.org/")
    for part in (lst.title, "第20项", item.text, "[DS/OL]", "2026.1", "150000-D-020", "https://e.org/items/150000-D-020/",
                 facts.item_source(catalogue, item).issuer):
        assert part in text


def test_applicable_composes_lineage_and_names_gaps(catalogue):
    app = facts.applicable(catalogue, "140404")
    regions = [l.region for l in app.lists]
    assert regions[0] == "000000" and "140404" in regions
    assert regions == sorted(regions, key=lambda c: [r.adcode for r in app.lineage].index(c))
    titles = [m.title for m in app.missing]
    assert "村级组织履行职责事项指导目录" in titles


def test_law_uses_count_items_and_list_level_bases(catalogue):
    uses = facts.law_uses(catalogue)
    n_items = sum(len(u.items) for u in uses.values())
    assert n_items == sum(len([x for x in i.legal_basis if x in catalogue.laws]) for i in catalogue.items())
    assert sum(len(u.lists) for u in uses.values()) == sum(
        len([x for x in l.legal_basis if x in catalogue.laws]) for l in catalogue.lists())


def test_generated_pages_cover_every_item_list_region_and_law(built, catalogue):
    def built_page(path):
        return built.site / pages.url_of(path) / "index.html"

    for item in catalogue.items():
        assert built_page(pages.item_path(item.id)).is_file(), item.id
    for lst in catalogue.lists():
        assert built_page(pages.list_path(lst)).is_file()
    for region in catalogue.catalogued_regions():
        assert built_page(pages.region_path(region.adcode)).is_file()
    for lid in catalogue.laws:
        assert built_page(pages.law_path(lid)).is_file()


def test_data_dictionary_has_every_schema_field(built):
    html = (built.site / "data-dictionary" / "index.html").read_text(encoding="utf-8")
    for doc in dictionary.table_docs(REPO):
        for f in doc.fields:
            assert f"<th scope=\"row\">{esc(f.name)}</th>" in html, (doc.name, f.name)
    for f in dictionary.catalogue_doc(REPO).fields:
        assert esc(f.name) in html


def test_error_page_has_every_rule(built):
    html = (built.site / "errors" / "index.html").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f">{rule.code}<" in html


def test_negative_certificate_items_quote_opinions_section_8(built, catalogue):
    negatives = [i for i in catalogue.items() if i.kind == "negative-certificates"]
    assert negatives
    for item in negatives:
        html = (built.site / "items" / item.id / "index.html").read_text(encoding="utf-8")
        assert facts.OPINIONS_SECTION_8 in html
    must_not = (built.site / "must-not" / "index.html").read_text(encoding="utf-8")
    assert facts.OPINIONS_SECTION_8 in must_not


def test_region_page_labels_levels_and_says_what_is_missing(built):
    html = (built.site / "regions" / "140404" / "index.html").read_text(encoding="utf-8")
    assert "全国 · 全国" in html
    assert "尚未收录" in html and "村级组织履行职责事项指导目录" in html


def test_signs_drawn_in_official_style(built, catalogue):
    html = (built.site / "signs" / "index.html").read_text(encoding="utf-8")
    assert "'Noto Serif CJK SC', 'Songti SC', SimSun, serif" in html.replace("&#39;", "'")
    styled = facts.styled_signs(catalogue)
    assert html.count('<svg class="vc-sign"') == len(styled)
    red = [i for i in styled if i.values.get("text_colour") == "红"]
    if red:
        assert 'fill="#c8102e"' in html


def test_statistics_chart_is_inline_svg(built):
    html = (built.site / "statistics" / "index.html").read_text(encoding="utf-8")
    assert '<svg class="vc-chart"' in html


class _Elements(HTMLParser):
    """What a browser would build: elements with event-handler attributes, script bodies, data tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers, self.scripts, self.tags, self._in_script = [], [], set(), False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [(tag, k) for k, _ in attrs if k.startswith("on")]
        self.handlers += [(tag, v) for k, v in attrs if k in ("href", "src") and (v or "").startswith("javascript:")]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_is_escaped_everywhere(hostile):
    for path in hostile.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        el = _Elements()
        el.feed(html)
        assert el.handlers == [], path
        assert not any("__pwned" in s for s in el.scripts), path
        assert not {"img", "em", "u", "b", "i"} & el.tags, path
        assert "<script>window.__pwned" not in html
        assert 'href="javascript:' not in html
        assert "<img src=x" not in html
        assert "<em>类别</em>" not in html and "<i>机关</i>" not in html
    item = (hostile.site / "items" / "150000-D-001" / "index.html").read_text(encoding="utf-8")
    assert esc(HOSTILE[0]) in item
    tmpl = (hostile.site / "items" / "150000-D-004" / "index.html").read_text(encoding="utf-8")
    assert "{{ config.site_name }}" in tmpl and "{% if true %}" in tmpl
    md = (hostile.site / "items" / "150000-D-005" / "index.html").read_text(encoding="utf-8")
    assert "**加粗**" in md and "<strong>" not in md.split('class="vc-page"')[1]


def test_no_template_marks_data_safe():
    """The project hook refuses code that marks markup safe; the site package never does."""
    marks = ["|" + "safe", "Mark" + "up(", "autoescape" + "=False"]
    for path in list((REPO / "scripts" / "villagecat" / "site").rglob("*.py")) + list((REPO / "site_config").rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").replace(" ", "")
            for m in marks:
                assert m not in text, (path, m)


def test_law_page_shows_item_and_list_level_bases(built, catalogue):
    uses = facts.law_uses(catalogue)
    lid, use = next((k, u) for k, u in uses.items() if u.lists)
    html = (built.site / "laws" / lid / "index.html").read_text(encoding="utf-8")
    assert "清单级依据" in html and "list-level basis" not in html
    for item in use.items + [i for l in use.lists for i in l.items]:
        assert f">{item.id}</a>" in html


def test_register_gaps_are_listed_once_and_transcribed_ones_not(catalogue):
    from villagecat.model import Catalogue, Region, Source, Table

    cat = Catalogue("t", regions={
        "000000": Region("000000", "全国", "national", folder="000000-quanguo"),
        "150000": Region("150000", "内蒙古自治区", "province", "000000", folder="150000-neimenggu",
                         sources={"a": Source("a", "甲文件"), "b": Source("b", "乙文件", file="seeds/x.txt")})})
    cat.tables["known-documents"] = Table("k", rows=[
        {"region": "150000", "title": "甲文件", "status": "known", "catalogue": ""},
        {"region": "150000", "title": "丙文件", "status": "partial", "catalogue": "150000-neimenggu/duties"},
        {"region": "150000", "title": "丁文件", "status": "transcribed", "catalogue": "150000-neimenggu/signs"},
        {"region": "440000", "title": "戊文件", "status": "known", "catalogue": ""}])
    missing = facts.applicable(cat, "150000").missing
    assert [(m.title, m.partial) for m in missing] == [("甲文件", False), ("丙文件", True)]


def test_source_address_says_when_it_is_a_repost():
    """A repost on a commercial site is labelled as such next to its (escaped) address."""
    from villagecat.model import Catalogue, Region, Source

    cat = Catalogue(label="t")
    region = Region(adcode="000000", folder="000000-quanguo")
    region.sources["a"] = Source(key="a", title="甲", path="http://example.org/<x>", path_kind="reprint")
    region.sources["b"] = Source(key="b", title="乙", path="http://gov.example/b")
    site = pages.Site(cat, REPO, "main", "https://example.org/")
    html = render("pages/region.html", {"label": "全国", "level": "国家级", "adcode": "000000", "parent": None,
                                        "sources": pages._sources(site, "regions/000000/index.md", region), "lists": [],
                                        "levels": "", "uncatalogued": "", "applicable": [], "gaps": [], "missing": [],
                                        "notes": [], "contribute": "", "coverage": ""})
    assert "http://example.org/&lt;x&gt;</a>（转载（非官方地址））" in html
    assert "http://gov.example/b</a></dd>" in html


# ---- front matter (issue 8, finding 1) ------------------------------------------------------------

FRONT_MATTER_TITLES = [
    "[x](#){:autofocus onfocus=alert(1)}\x7f宣传",  # the review's case: DEL
    "清单\x85{: onmouseover=alert(2)}",  # NEL, a C1 control YAML reads as a line break
    "标题\x9b31m\x90\x9f",  # other C1 controls
    "a\u202eb\u2028c\x1b[2J\x0b\x00",  # bidi, line separator, ESC, VT, NUL
    'x"\n---\ntitle: y\n...\n',  # quotes and lines that would end the front matter
    "\ud800孤立代理",  # a lone surrogate (a YAML escape can make one)
]


@pytest.mark.parametrize("title", FRONT_MATTER_TITLES)
def test_front_matter_reads_back_whatever_the_title(title):
    """The page writer itself, fed titles validation refuses (`build` builds invalid data too)."""
    import yaml
    from mkdocs.utils.meta import get_data

    page = pages.Page("items/x.md", title, "pages/item.html")
    text = page.markdown()
    text.encode("utf-8")  # writable as UTF-8 (a lone surrogate is written as its escape)
    head = text.split("\n")[:3]
    assert head[0] == "---" and head[2] == "---" and head[1].isascii()  # one line, escapes only
    meant = esc(title).encode("utf-8", "backslashreplace").decode("utf-8")
    assert yaml.safe_load(head[1]) == {"title": meant}
    assert get_data(text) == ("", {"title": meant})  # and no body: it is rendered after Markdown


def test_front_matter_guard_refuses_what_would_not_read_back(monkeypatch):
    """Were the writer to emit front matter YAML cannot read (the old ensure_ascii=False did, for a
    DEL), the build stops with FrontMatterError instead of letting mkdocs render it as Markdown."""
    real = pages.json.dumps
    monkeypatch.setattr(pages.json, "dumps", lambda v, ensure_ascii=True: real(v, ensure_ascii=False))
    with pytest.raises(pages.FrontMatterError, match="items/x.md"):
        pages.Page("items/x.md", "[x](#){:autofocus onfocus=alert(1)}\x7f", "pages/item.html").markdown()
    monkeypatch.undo()
    with pytest.raises(pages.FrontMatterError):
        pages.front_matter("a.md", {"a: b": "c"}, "<div></div>")  # a key that is not one key
    with pytest.raises(pages.FrontMatterError):
        pages.front_matter("a.md", {"title": "t"}, "\n<div></div>")  # a body mkdocs would change


def test_hostile_titles_reach_the_built_pages_as_text(hostile):
    """Titles holding DEL/C1 before an attr_list payload are the page's <title> and <h1>, as text."""
    from conftest import HOSTILE_LAW_TITLE, HOSTILE_LIST_TITLE

    short = HOSTILE[-1][:40] + "…"
    cases = [(f"items/150000-D-{len(HOSTILE):03d}", short, short),
             ("regions/150000/duties", HOSTILE_LIST_TITLE, HOSTILE_LIST_TITLE),
             ("laws/L0001", f"《{HOSTILE_LAW_TITLE}》", f"《{HOSTILE_LAW_TITLE}》")]
    for path, h1, title in cases:
        text = (hostile.site / path / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{esc(h1)}</h1>" in text, path
        assert f"<title>{esc(title)}" in text, path
        # The article is the page body and nothing else: front matter rendered as Markdown would come
        # first, as a rule and a heading.
        article = text.split("<article", 1)[1].split(">", 1)[1]
        assert article.lstrip().startswith('<div class="vc-page">'), path


def test_relative_paths_as_posixpath_gives_them():
    """html._relpath (the fast path of every link) agrees with posixpath.relpath on site paths."""
    import posixpath
    import random

    from villagecat.site.html import _relpath

    segments = ["items", "regions", "150000", "150000-D-020", "duties", "laws", "a", "b", "..", "."]
    rng = random.Random(5)
    for _ in range(20000):
        p = "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4))) or "."
        q = "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4))) or "."
        assert _relpath(p, q) == posixpath.relpath(p, q), (p, q)
