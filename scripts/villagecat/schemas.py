"""The schemas under ``schemas/``: Table Schemas per list kind and the JSON Schema of catalogue.yaml.

Field text is written once there; the validator, the inline copies in catalogue.yaml, the data
dictionary and the exports all read it through this module.

>>> s = table_schema(".", "duties")
>>> [f["name"] for f in s["fields"]][:4]
['id', 'seq', 'category', 'text']
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import yaml

SCHEMA_DIR = "schemas"
INLINE_FIELD_KEYS = ("name", "title", "type", "format", "constraints")


@functools.lru_cache(maxsize=None)
def _load(root: str, name: str) -> dict:
    with open(Path(root) / SCHEMA_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def table_schema(root: str | Path, kind: str) -> dict:
    """The Table Schema of a list kind or reference table (regions, laws, known-documents)."""
    return copy.deepcopy(_load(str(Path(root).resolve()), f"{kind}.schema.yaml"))


def catalogue_schema(root: str | Path) -> dict:
    return copy.deepcopy(_load(str(Path(root).resolve()), "catalogue.schema.yaml"))


def inline_schema(root: str | Path, kind: str) -> dict:
    """The copy written into catalogue.yaml: types and constraints, no prose.

    Stock ``frictionless validate`` refuses a schema path outside the package folder, so each
    package carries this copy; ``villagecat sync`` writes it and validation reports a stale one.
    """
    return json.loads(_inline_json(str(Path(root).resolve()), kind))


@functools.lru_cache(maxsize=None)
def _inline_json(root: str, kind: str) -> str:
    # Called for every list at validation: a JSON round trip copies it far faster than deepcopy.
    full = _load(root, f"{kind}.schema.yaml")
    return json.dumps({
        "fields": [{k: f[k] for k in INLINE_FIELD_KEYS if k in f} for f in full["fields"]],
        "primaryKey": full.get("primaryKey", ["id"]),
        "missingValues": full.get("missingValues", [""]),
    }, ensure_ascii=False)


def field_names(root: str | Path, kind: str) -> list[str]:
    return [f["name"] for f in table_schema(root, kind)["fields"]]
