"""The sitemap of a site whose generated pages are written outside mkdocs (:mod:`villagecat.site.shell`).

mkdocs writes ``sitemap.xml`` (and ``.gz``) for the pages it renders: the hand-written and
overview pages, and the shells. :func:`rewrite` drops the shells and adds every page written from
them. A sitemap file may hold at most 50,000 addresses (sitemaps.org); past that, ``sitemap.xml``
becomes a sitemap index naming ``sitemaps/pages-N.xml`` files of ≤ 50,000 each, so the address
search engines are given stays the same. Without a public address (``site_url``) mkdocs writes an
empty ``urlset`` and so does this. XML is written by the standard library's XML writer.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import XMLGenerator

from villagecat.site import shell
from villagecat.site.pages import url_of

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PER_FILE = 50_000


def _entries(path: Path) -> list[tuple[str, str]]:
    """(loc, lastmod) of mkdocs' sitemap, shells left out."""
    if not path.is_file():
        return []
    root = ET.parse(path).getroot()
    out = []
    for url in root.findall(f"{{{NS}}}url"):
        loc = url.findtext(f"{{{NS}}}loc") or ""
        if shell.SEGMENT in loc:
            continue
        out.append((loc, url.findtext(f"{{{NS}}}lastmod") or ""))
    return out


def _write(target: Path, tag: str, child: str, rows) -> None:
    buf = io.StringIO()
    gen = XMLGenerator(buf, "utf-8", short_empty_elements=True)
    gen.startDocument()
    gen.startPrefixMapping(None, NS)
    gen.startElementNS((NS, tag), tag, {})
    for loc, lastmod in rows:
        gen.characters("\n    ")
        gen.startElementNS((NS, child), child, {})
        gen.startElementNS((NS, "loc"), "loc", {})
        gen.characters(loc)
        gen.endElementNS((NS, "loc"), "loc")
        if lastmod:
            gen.startElementNS((NS, "lastmod"), "lastmod", {})
            gen.characters(lastmod)
            gen.endElementNS((NS, "lastmod"), "lastmod")
        gen.endElementNS((NS, child), child)
    gen.characters("\n")
    gen.endElementNS((NS, tag), tag)
    gen.endDocument()
    data = buf.getvalue().encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    with open(target.with_name(target.name + ".gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:  # reproducible bytes
            gz.write(data)


def rewrite(out: Path, site_url: str, paths, lastmod: str) -> int:
    """Rewrite ``out/sitemap.xml`` with the shells dropped and ``paths`` (docs paths) added; the
    number of addresses it lists (0 without a public address)."""
    target = out / "sitemap.xml"
    if not target.is_file():
        return 0
    entries = _entries(target)
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        entries += [(base + url_of(p), lastmod) for p in paths]
    for old in (out / "sitemaps").glob("pages-*.xml*") if (out / "sitemaps").is_dir() else ():
        old.unlink()
    if len(entries) <= PER_FILE:
        _write(target, "urlset", "url", entries)
        return len(entries)
    base = site_url if site_url.endswith("/") else site_url + "/"
    chunks = []
    for n, start in enumerate(range(0, len(entries), PER_FILE), 1):
        name = f"sitemaps/pages-{n}.xml"
        _write(out / name, "urlset", "url", entries[start:start + PER_FILE])
        chunks.append((base + name, lastmod))
    _write(target, "sitemapindex", "sitemap", chunks)
    return len(entries)
