"""Two small helpers the pages share: :func:`esc` (markupsafe's escaping, as a plain string, for the
page title the theme prints) and :func:`rel` (relative links between directory URLs).

Page bodies are Jinja2 templates with autoescape (``site_config/templates``); nothing here builds
markup.

>>> esc('<script>alert(1)</script>')
'&lt;script&gt;alert(1)&lt;/script&gt;'
"""

from __future__ import annotations

import posixpath

from markupsafe import escape


def esc(value) -> str:
    """Escape a data value for HTML text or attributes (quotes included); ``None`` becomes empty."""
    return "" if value is None else str(escape(value))


def rel(from_url: str, to_url: str) -> str:
    """Relative href from the page at ``from_url`` to ``to_url`` (site-relative, directory URLs).

    >>> rel("items/150000-D-020/", "regions/150000/")
    '../../regions/150000/'
    >>> rel("", "laws/")
    'laws/'
    >>> rel("compare/duties/", "compare/duties/440000/"), rel("a/b/", "a/b/"), rel("a/", "assets/x.css")
    ('440000/', './', '../assets/x.css')
    """
    path, _, frag = to_url.partition("#")
    src, dst = from_url.rstrip("/"), path.rstrip("/")
    a, b = src.split("/") if src else [], dst.split("/") if dst else []
    if _plain(a) and _plain(b):
        # The common case, in strings (posixpath.relpath asks the OS for the working directory
        # twice per call, which was most of the time of making the listing pages).
        n = 0
        while n < len(a) and n < len(b) and a[n] == b[n]:
            n += 1
        r = "/".join([".."] * (len(a) - n) + b[n:]) or "."
    else:
        r = posixpath.relpath(dst or ".", src or ".")
    if path.endswith("/") or path == "":
        r = "./" if r == "." else r + "/"
    return r + ("#" + frag if frag else "")


def _plain(segments: list[str]) -> bool:
    """No empty, "." or ".." segment (nor a leading slash): nothing for relpath to normalise."""
    return "" not in segments and "." not in segments and ".." not in segments
