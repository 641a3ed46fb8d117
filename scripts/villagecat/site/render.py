"""Page bodies from Jinja2 templates (``site_config/templates``), with autoescape always on.

Page functions (:mod:`villagecat.site.pages`) return values — a path, a template name and a
context of plain data and small link values — and this module turns them into HTML. Every value
from the catalogue is escaped by Jinja's autoescape; nothing in the package marks data safe.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from villagecat.trees import package_repo

TEMPLATES = package_repo() / "site_config" / "templates"


@lru_cache(maxsize=4)
def environment(folder: str | None = None) -> jinja2.Environment:
    """The templates' environment: autoescape on, undefined names are errors, output kept compact."""
    from villagecat.site import pages

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder or str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=False)
    env.tests.update(link=lambda v: isinstance(v, pages.Link), seq=lambda v: isinstance(v, pages.Seq),
                     span=lambda v: isinstance(v, pages.Span), status=lambda v: isinstance(v, pages.Status))
    return env


def render(template: str, context: dict, folder: str | Path | None = None) -> str:
    return environment(str(folder) if folder else None).get_template(template).render(**context)
