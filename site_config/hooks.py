"""mkdocs hooks of the site: the generated pages, assets and search index come from
:mod:`villagecat.site.plugin` (see its docstring and maintainers/site-build.md)."""

from villagecat.site.plugin import (  # noqa: F401
    on_build_error, on_env, on_files, on_page_content, on_page_markdown, on_post_build, on_post_page, on_pre_build,
    on_template_context)
