"""Policy rules written from the documents themselves: one module per rule, each a ``check``.

A rule module defines its codes with :func:`villagecat.problems.define` at import time and
exposes ``check(cat) -> Iterable[Problem]``: everything it needs is in the catalogue. :func:`run` runs every module listed in
``MODULES`` over one catalogue.

A module whose checks look at one region at a time (its lists, its ``catalogue.yaml``) and at the
shared tables sets ``REGIONAL = True`` and takes ``check(cat, regions=None, shared=True)``: the
validator then runs it over the regions where they are read, each process its own
(:func:`villagecat.validate.check_regions`), and over the shared tables once.
"""

from __future__ import annotations

import importlib

MODULES = [
    "references",
    "laws",
    "ids",
    "seq",
    "exterior_signs",
    "interior_signs",
    "certificates",
    "completeness",
    "schema_copy",
    "known_documents",
    "release_records",
    "released_ids",
    "sources",
    "text_policy",
]


def load_all():
    return [importlib.import_module(f"villagecat.rules.{name}") for name in MODULES]


def run(cat) -> list:
    out = []
    for module in load_all():
        out.extend(module.check(cat))
    return out
