"""The bytes every page carries around its body (maintainers/site-build.md, "Page weight"): what
was cut from the theme's shell must have been dead weight, so these pin what the cuts rely on.

- The ``__config`` JSON the theme's script reads parses to the same value as the theme's own block
  writes (ours writes it in UTF-8 instead of ``\\uXXXX`` escapes), with and without a version
  selector, and still escapes what could end its ``<script>``.
- No ``data-pagefind-*`` attribute is left (Pagefind is no longer used).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def theme():
    """mkdocs' Jinja environment for mkdocs.yml: the theme, our overrides and the hooks' filters."""
    from mkdocs.config import load_config

    cfg = load_config(str(REPO / "mkdocs.yml"))
    env = cfg.plugins.on_env(cfg.theme.get_env(), config=cfg, files=None)
    return cfg, env


def _config_block(theme, template: str, url: str, extra: dict | None = None) -> str:
    """The ``config`` block of ``template`` (the theme's ``base.html`` or our ``main.html``) for the
    page at ``url``, as mkdocs renders it: the JSON inside its script."""
    from mkdocs.utils import get_relative_url

    cfg, env = theme
    saved = dict(cfg["extra"])
    cfg["extra"].update(extra or {})
    try:
        lang = env.get_template("partials/language.html").make_module({"config": cfg})
        t = env.get_template(template)
        ctx = t.new_context({"config": cfg, "base_url": get_relative_url(".", url), "page": SimpleNamespace(url=url),
                             "features": cfg.theme["features"], "lang": lang})
        html = "".join(t.blocks["config"](ctx))
    finally:
        cfg["extra"].clear()
        cfg["extra"].update(saved)
    found = CONFIG.findall(html)
    assert len(found) == 1, html
    return found[0]


HOSTILE_EXTRA = {"version": {"provider": "mike", "default": "latest"},
                 "tags": {"</script><script>window.__pwned=1</script>标签&'": "<!--"}}


@pytest.mark.parametrize("extra", [None, HOSTILE_EXTRA], ids=["working tree", "release, hostile extra"])
@pytest.mark.parametrize("url", ["", "items/150000-D-020/"])
def test_config_is_the_themes_value_written_in_utf8(theme, url, extra):
    ours = _config_block(theme, "main.html", url, extra)
    theirs = _config_block(theme, "base.html", url, extra)
    assert json.loads(ours) == json.loads(theirs)
    assert ours != theirs and "\\u" not in ours.replace("\\u003c", "").replace("\\u003e", "").replace(
        "\\u0026", "").replace("\\u0027", "")
    assert len(ours.encode("utf-8")) < len(theirs.encode("utf-8")) - 200
    assert not re.search(r"[<>&']", ours)  # nothing can end the script or start markup
    assert "复制" in ours and json.loads(ours)["translations"]["clipboard.copy"] == "复制"


def test_a_built_page_carries_that_config(built, theme):
    for url in ("", "items/150000-D-020/", "regions/150000/duties/"):
        html = (built.site / url / "index.html").read_text(encoding="utf-8")
        found = CONFIG.findall(html)
        assert len(found) == 1
        assert json.loads(found[0]) == json.loads(_config_block(theme, "base.html", url)), url


def test_no_page_carries_indexer_attributes(built):
    """Pagefind is gone (search is the site's own index of the catalogue, not of pages): its
    ``data-pagefind-*`` attributes were dead bytes, five on every item page."""
    pages = list(built.site.rglob("*.html"))
    assert len(pages) > 100
    assert [p.relative_to(built.site).as_posix() for p in pages if b"data-pagefind" in p.read_bytes()] == []
    templates = REPO / "site_config"
    assert [p.name for p in templates.rglob("*.html") if "pagefind" in p.read_text(encoding="utf-8")] == []
