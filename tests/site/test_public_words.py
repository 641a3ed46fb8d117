"""Words for the public (issue 12): no internal field names, repository paths or English theme
furniture in what a public page says, and no made-up host anywhere.

Developer pages — where the names of the data, its files and its folders are the subject — are
the data dictionary, error codes, the API, the diff JSON format, the data conventions, contributing,
the architecture notes and the downloads page (its table of file formats names columns). Their
article is written for developers and is not checked; their header, navigation and footer are.
Every other page is checked whole (code blocks included), header and footer too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

DEVELOPER_PAGES = {"data-dictionary", "errors", "api", "diff-json", "data-conventions", "contribute", "architecture",
                   "downloads"}
# Internal names that once reached public pages (issue 12), and the columns and keys of the data.
INTERNAL = ["x-notes", "x-note", "x-policy", "x-legal-basis", "reported_total", "catalogue.yaml", "legal_basis",
            "legal_basis_text", "seq", "alternative", "subcategory", "responsible", "deadline", "text_colour",
            "ground_colour", "typeface", "item_type", "cited_as", "path_kind", "null", "list-level basis",
            "Made with", "Material for MkDocs", "Not found", "catalogues/", "sources/", "docs/", "schemas/"]
PATTERN = re.compile("|".join(rf"(?<![A-Za-z0-9_-]){re.escape(w)}" + ("" if w.endswith("/") else r"(?![A-Za-z0-9_])")
                              for w in INTERNAL))


class Visible(HTMLParser):
    """The text a reader sees (and a screen reader reads): no script or style; optionally no code."""

    SKIP = {"script", "style", "svg"}

    def __init__(self, skip_code: bool, skip_class: str = "\0"):
        super().__init__(convert_charrefs=True)
        self.skip = self.SKIP | ({"code", "pre"} if skip_code else set())
        self.skip_class = skip_class
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.skip or (tag == "nav" and self.skip_class in (a.get("class") or "")):
            self.depth += 1
            self.skip = self.skip | {"nav"} if tag == "nav" else self.skip
        if self.depth == 0 and a.get("aria-label"):
            self.parts.append(a["aria-label"])

    def handle_endtag(self, tag):
        if tag in self.skip and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.skip = self.skip - {"nav"} | (self.SKIP & {"nav"})

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def visible_text(html: str, skip_code: bool, skip_class: str = "\0") -> str:
    p = Visible(skip_code, skip_class)
    p.feed(html)
    return " ".join(p.parts)


def test_internal_word_list_catches_what_issue_12_saw():
    for text in ("清单级依据（list-level basis）", "见 catalogue.yaml x-notes", "alternative 留空", "seq 为出现顺序",
                 "reported_total 因此为 null", "见 catalogues/known-documents.csv", "Made with Material for MkDocs",
                 "404 - Not found"):
        assert PATTERN.search(text), text
    for text in ("政务 APP", "150000-D-020", "L0002", "sequence", "https://example.org/x_y"):
        assert not PATTERN.search(text), text


def test_no_public_page_says_internal_words(built):
    found = []
    for page in sorted(built.site.rglob("*.html")):
        rel = page.relative_to(built.site).as_posix()
        top = rel.split("/", 1)[0]
        html = page.read_text(encoding="utf-8")
        if top in DEVELOPER_PAGES:  # the page furniture only (not the article, nor its table of contents)
            head, rest = html.split('<div class="md-sidebar md-sidebar--secondary"', 1)
            html = head + rest.split("</article>", 1)[-1]
            text = visible_text(html, skip_code=False, skip_class="md-nav--secondary")
        else:
            text = visible_text(html, skip_code=False)
        for m in PATTERN.finditer(text):
            found.append(f"{rel}: {m.group(0)!r} in …{text[max(0, m.start() - 30):m.end() + 30]}…")
    assert not found, "\n".join(found[:40]) + f"\n({len(found)} in all)"


def test_notes_for_maintainers_stay_in_the_data(catalogue):
    """The data keeps its notes as written (the site maps them; downloads carry them)."""
    notes = [i.note for i in catalogue.items() if i.note]
    assert any(PATTERN.search(n) for n in notes)


@pytest.fixture(scope="module")
def no_address(tmp_path_factory, hostile, monkeypatch_module):
    from villagecat.site.build import build_site

    from conftest import REPO

    monkeypatch_module.delenv("SITE_URL", raising=False)
    tmp = tmp_path_factory.mktemp("noaddress")
    return build_site(out=tmp / "site", catalogue=hostile.root, release="2026.9", root=REPO)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_without_a_public_address_citations_carry_the_path(no_address):
    assert no_address.site_url == ""
    item = (no_address.out / "items" / "150000-D-001" / "index.html").read_text(encoding="utf-8")
    assert "\n/items/150000-D-001/.</pre>" in item
    assert 'rel="canonical"' not in item
    for page in no_address.out.rglob("*.html"):
        assert "villagecat.example" not in page.read_text(encoding="utf-8"), page


def test_citation_names_region_and_document_without_an_issuer(built, catalogue):
    """重庆 500000-N-001 has no named issuer: the citation still names the region and the document."""
    from villagecat.site import facts

    item = catalogue.item_index()["500000-N-001"]
    src = facts.item_source(catalogue, item)
    assert not src.issuer
    html = (built.site / "items" / "500000-N-001" / "index.html").read_text(encoding="utf-8")
    cite = re.search(r'<pre class="vc-cite-text" id="vc-cite-text">(.*?)</pre>', html, re.S).group(1)
    assert cite.startswith("重庆市") and f"《{src.title.replace(chr(34), '&#34;')}" in cite.replace("&quot;", "&#34;")
