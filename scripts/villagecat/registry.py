"""The rule registry, filled from an explicit list of the modules that define rule codes.

``villagecat errors`` and the site's error-code page both list :func:`all_rules`, so a code can
never be undocumented, whatever was imported before (a fresh process sees every code). A module
that calls :func:`villagecat.problems.define` must be listed in :data:`MODULES`; a test greps
``scripts/`` for ``define(`` and checks.

>>> codes = {r.code for r in all_rules()}
>>> {"file-too-large", "row-length", "metadata-invalid", "unknown-law", "catalogue-missing"} <= codes
True
"""

from __future__ import annotations

import importlib

from villagecat.problems import RULES, Rule

LAYERS = ("input", "structure", "metadata", "policy")

# Every module that defines rule codes (the policy rules come from villagecat.rules.MODULES).
MODULES = [
    "villagecat.problems",
    "villagecat.decode",
    "villagecat.reader",
    "villagecat.source_text",
    "villagecat.structure",
    "villagecat.metadata",
]


def load_all() -> list:
    from villagecat import rules

    return [importlib.import_module(name) for name in MODULES] + rules.load_all()


def all_rules() -> list[Rule]:
    """Every rule code, after importing every module that defines some."""
    load_all()
    return sorted(RULES.values(), key=lambda r: (LAYERS.index(r.layer), r.code))
