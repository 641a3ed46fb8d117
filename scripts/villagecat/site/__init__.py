"""The public site: pages generated from the catalogue model, built with mkdocs-material.

``build.build_site`` writes a docs tree (hand pages + generated pages) into a work folder and
runs ``mkdocs build --strict`` over it. Pages are values (:class:`pages.Page`) computed from the
model by the functions in :mod:`facts`, and rendered last, with every data value escaped.
"""
