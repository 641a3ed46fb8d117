"""The schemas under ``schemas/``: Table Schemas per list kind and the JSON Schema of catalogue.yaml.

Field text is written once there. The reader loads them from the same tree as the data
(:func:`load_schemas`, into ``Catalogue.schemas``: a release's schemas come from its own commit);
the validator, the inline copies in catalogue.yaml, the data dictionary, the API and the exports
all take them from there. The contributor tools that work on the files of a working tree
(``fmt``, ``import``, ``sync``) pass the repository folder instead, read through the same loader.

>>> s = table_schema(".", "duties")
>>> [f["name"] for f in s["fields"]][:4]
['id', 'seq', 'category', 'text']
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

SCHEMA_DIR = "schemas"
SUFFIX = ".schema.yaml"
INLINE_FIELD_KEYS = ("name", "title", "type", "format", "constraints")


def load_schemas(tree, problems: list | None = None) -> dict[str, dict]:
    """Every ``schemas/<name>.schema.yaml`` of a tree (folder or git), by name (``duties``,
    ``regions``, ``catalogue`` …), through the project's one safe YAML loader. A schema that cannot
    be read is left out, its problems appended to ``problems``."""
    from villagecat.decode import MAX_YAML_BYTES, read_yaml_bytes

    out: dict[str, dict] = {}
    if not tree.is_dir(SCHEMA_DIR) or tree.escapes(SCHEMA_DIR):
        return out
    for name in tree.list(SCHEMA_DIR):
        rel = f"{SCHEMA_DIR}/{name}"
        if not name.endswith(SUFFIX) or tree.special(rel) or tree.escapes(rel) or tree.is_dir(rel):
            continue
        value, _, probs = read_yaml_bytes(rel, tree.read_bytes(rel, MAX_YAML_BYTES))
        if problems is not None:
            problems.extend(p for p in probs if p.severity == "error")
        if value is not None:
            out[name[: -len(SUFFIX)]] = value
    return out


@functools.lru_cache(maxsize=64)
def _folder_schemas(root: str, stamp: tuple) -> dict[str, dict]:
    from villagecat.trees import FolderTree

    return load_schemas(FolderTree(root))


def _schemas(source) -> dict[str, dict]:
    """The schemas of a :class:`~villagecat.model.Catalogue`, a ``{name: schema}`` mapping, or a
    repository folder (read once per change of its ``schemas/`` files)."""
    if hasattr(source, "schemas"):
        return source.schemas
    if isinstance(source, dict):
        return source
    root = Path(source).resolve()
    folder = root / SCHEMA_DIR
    try:
        stamp = tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in os.scandir(folder)))
    except OSError:
        stamp = ()
    return _folder_schemas(str(root), stamp)


def table_schema(source, kind: str) -> dict:
    """The Table Schema of a list kind or reference table (regions, laws, known-documents): a copy
    (a JSON round trip, far faster than deepcopy; it is asked for once per table)."""
    return json.loads(json.dumps(_schemas(source)[kind], ensure_ascii=False))


def shared_table_schema(source, kind: str) -> dict:
    """The Table Schema of ``kind`` itself, not a copy: for callers that only read it (the
    structure layer, once per table)."""
    return _schemas(source)[kind]


def catalogue_schema(source) -> dict:
    return copy.deepcopy(_schemas(source)["catalogue"])


def inline_schema(source, kind: str) -> dict:
    """The copy written into catalogue.yaml: types and constraints, no prose.

    Stock ``frictionless validate`` refuses a schema path outside the package folder, so each
    package carries this copy; ``villagecat sync`` writes it and validation reports a stale one.
    """
    full = _schemas(source)[kind]
    # Called for every list at validation: a JSON round trip copies it far faster than deepcopy.
    return json.loads(json.dumps({
        "fields": [{k: f[k] for k in INLINE_FIELD_KEYS if k in f} for f in full["fields"]],
        "primaryKey": full.get("primaryKey", ["id"]),
        "missingValues": full.get("missingValues", [""]),
    }, ensure_ascii=False))


def field_names(source, kind: str) -> list[str]:
    return [f["name"] for f in _schemas(source)[kind]["fields"]]
