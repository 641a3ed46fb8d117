"""The public site: pages generated from the catalogue model, built with mkdocs-material.

``build.build_site`` runs ``mkdocs build --strict`` over ``docs/``; :mod:`plugin` (through
``site_config/hooks.py``) adds the generated pages inside mkdocs. Pages are values
(:class:`pages.Page`: path, title, template, context) computed from the model by the functions in
:mod:`facts`, and rendered last by :mod:`render` from ``site_config/templates`` with autoescape.
"""
