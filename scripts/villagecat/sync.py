"""Write the inline schema copies of ``schemas/`` into each catalogue.yaml (see schemas.inline_schema)."""

from __future__ import annotations

from pathlib import Path

import yaml

from villagecat.decode import MAX_YAML_BYTES, read_yaml_bytes
from villagecat.model import KINDS
from villagecat.schemas import inline_schema
from villagecat.trees import FolderTree


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def sync(root: str | Path, write: bool = True, skipped: list[str] | None = None,
         refused: list[str] | None = None) -> list[str]:
    """Rewrite stale schema copies; returns the catalogue.yaml files that were (or would be) changed.

    Files that cannot be read safely are left alone and appended to ``skipped`` when given; a
    catalogue.yaml reached through a symbolic link leaving the repository (its folder or itself),
    or one that is not a regular file, is neither read nor written and appended to ``refused``.
    """
    root = Path(root)
    tree = FolderTree(root)
    changed = []
    if tree.escapes("catalogues"):
        if refused is not None:
            refused.append("catalogues")
        return changed
    for path in sorted((root / "catalogues").glob("*/catalogue.yaml")):
        rel = path.relative_to(root).as_posix()
        if tree.escapes(rel) or tree.special(rel):
            if refused is not None:
                refused.append(rel)
            continue
        # The same checked reading as validate: a file with aliases, duplicate keys or bad bytes is
        # left alone (rewriting it would silently drop what YAML discarded); validate reports it.
        data, _, problems = read_yaml_bytes(rel, tree.read_bytes(rel, MAX_YAML_BYTES))
        if data is None or any(p.severity == "error" for p in problems):
            if skipped is not None:
                skipped.append(path.relative_to(root).as_posix())
            continue
        if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
            continue
        dirty = False
        for res in data["resources"]:
            if not isinstance(res, dict):
                continue
            kind = res.get("x-kind") or res.get("name")
            if kind not in KINDS:
                continue
            want = inline_schema(root, kind)
            if res.get("schema") != want:
                res["schema"] = want
                dirty = True
        if dirty:
            changed.append(path.relative_to(root).as_posix())
            if write:
                path.write_text(dump_yaml(data), encoding="utf-8")
    return changed
