"""Escaping and small HTML builders. Every value from the catalogue passes through :func:`esc`.

Generated pages are Markdown files whose body is one raw HTML block: Python-Markdown passes a
block-level HTML element through untouched, so item text is never parsed as Markdown (no links,
emphasis or HTML from the data). To keep that block whole, the builders here never emit a blank
line, and every text value is escaped with :func:`html.escape` (quotes included) before it
enters markup.

>>> esc('<script>alert(1)</script>')
'&lt;script&gt;alert(1)&lt;/script&gt;'
>>> tag("a", "x<y", href="../a?b=1&c=2")
'<a href="../a?b=1&amp;c=2">x&lt;y</a>'
"""

from __future__ import annotations

import html
import posixpath
import re

_BLANK = re.compile(r"\n\s*\n")


class Html(str):
    """A string that is already markup (built here from escaped parts): not escaped again.

    Concatenation keeps the type, and escapes a plain-string operand: only ``Html`` is markup.

    >>> Html("<b>") + "<i>"
    '<b>&lt;i&gt;'
    """

    def __add__(self, other):
        return Html(str.__add__(self, esc(other)))

    def __radd__(self, other):
        return Html(esc(other) + str(self))


def esc(value) -> str:
    """Escape a data value for HTML text or attributes; ``None`` becomes empty.

    Markdown-significant characters that survive escaping are harmless because data only ever
    appears inside a raw HTML block; braces are left alone (no template engine sees page bodies).
    Blank lines, which could end the raw block, are removed from the whole body by :func:`block`.
    """
    if value is None:
        return ""
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=True).replace("\r\n", "\n").replace("\r", "\n")


def attrs(**kw) -> str:
    out = []
    for k, v in kw.items():
        if v is None or v is False:
            continue
        name = k.rstrip("_").replace("_", "-")
        out.append(f" {name}" if v is True else f' {name}="{html.escape(str(v), quote=True)}"')
    return "".join(out)


def tag(name: str, content="", **kw) -> Html:
    """``<name attrs>content</name>``; content is escaped unless it is :class:`Html`."""
    if isinstance(content, (list, tuple)):
        inner = "".join(esc(c) for c in content)
    else:
        inner = esc(content)
    return Html(f"<{name}{attrs(**kw)}>{inner}</{name}>")


def join(parts, sep: str = "") -> Html:
    return Html(esc(sep).join(esc(p) for p in parts if p is not None and p != ""))


def link(href: str, text, **kw) -> Html:
    return tag("a", text, href=href, **kw)


def rel(from_url: str, to_url: str) -> str:
    """Relative href from the page at ``from_url`` to ``to_url`` (site-relative, directory URLs).

    >>> rel("items/150000-D-020/", "regions/150000/")
    '../../regions/150000/'
    >>> rel("", "laws/")
    'laws/'
    """
    path, _, frag = to_url.partition("#")
    r = posixpath.relpath(path.rstrip("/") or ".", from_url.rstrip("/") or ".")
    if path.endswith("/") or path == "":
        r = "./" if r == "." else r + "/"
    return r + ("#" + frag if frag else "")


def table(headers: list[str], rows: list[list], caption: str | None = None, row_header: int | None = 0,
          cls: str = "vc-table") -> Html:
    """An accessible table: ``<th scope="col">`` headers, an optional ``<th scope="row">`` column,
    wrapped in a scrolling container so wide tables scroll on a phone instead of the page."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            if i == row_header:
                cells.append(f'<th scope="row">{esc(c)}</th>')
            else:
                cells.append(f"<td>{esc(c)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f'<div class="vc-scroll" tabindex="0" role="region" aria-label="{esc(caption or "表格")}">'
                f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def dl(pairs: list[tuple[str, object]], unindexed: tuple[str, ...] = ()) -> Html:
    """A definition list; the values of keys in ``unindexed`` are left out of the search index."""
    quiet = ' data-pagefind-ignore="all"'
    return Html("<dl class=\"vc-dl\">" + "".join(
        f"<dt>{esc(k)}</dt><dd{quiet if k in unindexed else ''}>{esc(v) or '—'}</dd>" for k, v in pairs) + "</dl>")


def ul(items: list, cls: str | None = None) -> Html:
    return Html(f"<ul{attrs(class_=cls)}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def block(*parts) -> str:
    """The page body: one raw HTML ``<div>`` with no blank line inside, so Markdown keeps it whole."""
    inner = "".join(esc(p) for p in parts if p is not None)
    out = f'<div class="vc-page">{inner}</div>'
    return _BLANK.sub("\n", out.replace("\r", ""))
