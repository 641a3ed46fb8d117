"""Small helpers the pages share: :func:`esc` (markupsafe's escaping, as a plain string, for the
page title the theme prints), :func:`rel` (relative links between directory URLs) and
:func:`script_json` (the theme's page configuration as JSON, as Jinja's ``tojson`` but in UTF-8).

Page bodies are Jinja2 templates with autoescape (``site_config/templates``); nothing here builds
markup.

>>> esc('<script>alert(1)</script>')
'&lt;script&gt;alert(1)&lt;/script&gt;'
"""

from __future__ import annotations

import json
import posixpath

from jinja2 import pass_eval_context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape


def esc(value) -> str:
    """Escape a data value for HTML text or attributes (quotes included); ``None`` becomes empty."""
    return "" if value is None else str(escape(value))


@pass_eval_context
def script_json(eval_ctx, value) -> Markup:
    """Jinja's ``tojson`` filter with one change: characters outside ASCII are written as they are
    (UTF-8) instead of as ``\\uXXXX`` escapes. The same value when parsed, half the bytes
    for Chinese text; ``<``, ``>``, ``&`` and ``'`` are still escaped (so nothing in it can end a
    ``<script>`` element or start markup), and the environment's JSON policies still apply (keys
    sorted by default). The theme's ``__config`` on every page is written with it
    (site_config/overrides/main.html; the filter is registered by :func:`villagecat.site.plugin.on_env`).

    >>> from jinja2 import Environment
    >>> env = Environment()
    >>> env.filters["script_json"] = script_json
    >>> print(env.from_string("{{ v | script_json }}").render(v={"t": "复制</script>&'", "a": 1}))
    {"a": 1, "t": "复制\\u003c/script\\u003e\\u0026\\u0027"}
    """
    policies = eval_ctx.environment.policies
    kwargs = {**policies["json.dumps_kwargs"], "ensure_ascii": False}
    return htmlsafe_json_dumps(value, dumps=policies["json.dumps_function"] or json.dumps, **kwargs)


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
    r = _relpath(path.rstrip("/") or ".", from_url.rstrip("/") or ".")
    if path.endswith("/") or path == "":
        r = "./" if r == "." else r + "/"
    return r + ("#" + frag if frag else "")


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two site-relative paths, without its two ``abspath`` calls (it is
    called for every link of every page: half a million times per 20k items). Paths holding ``.``
    or ``..`` segments, or absolute ones, go to ``posixpath.relpath`` itself.

    >>> _relpath("regions/150000", "items/150000-D-020"), _relpath("laws", ".")
    ('../../regions/150000', 'laws')
    """
    a = [] if path == "." else path.split("/")
    b = [] if start == "." else start.split("/")
    if path.startswith("/") or start.startswith("/") or any(s in ("", ".", "..") for s in a + b):
        return posixpath.relpath(path, start)
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    parts = [".."] * (len(b) - n) + a[n:]
    return "/".join(parts) if parts else "."
