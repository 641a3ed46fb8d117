"""Write the inline schema copies of ``schemas/`` into each catalogue.yaml (see schemas.inline_schema).

Only the ``schema:`` blocks are rewritten, in the text itself: every other line of the file —
comments, quoting, key order, blank lines — stays as the contributor wrote it. The result is
parsed again and must equal the old content with the new copies; a file where that fails is
rewritten whole only if it has no comment to lose, and otherwise left alone and reported.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from villagecat.decode import MAX_YAML_BYTES, read_yaml_bytes
from villagecat.model import KINDS
from villagecat.schemas import inline_schema
from villagecat.trees import FolderTree


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _content_end(text: str, start: int, end: int) -> int:
    """End of the last line in ``text[start:end]`` that holds content (not blank, not a comment)."""
    if not text[_line_start(text, end):end].strip():
        end = _line_start(text, end)  # the mark sits in the next line's indentation
    elif "\n" in text[end:]:
        end = text.index("\n", end) + 1  # the rest of the value's own line
    else:
        end = len(text)
    lines = text[start:end].splitlines(keepends=True)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + sum(len(x) for x in lines)


def _block(indent: int, want: dict) -> str:
    dumped = dump_yaml({"schema": want})
    return "".join(" " * indent + line + "\n" for line in dumped.splitlines())


def rewrite_schemas(text: str, wants: dict[int, dict]) -> str:
    """``text`` with the ``schema`` of resource ``i`` replaced (or added) by ``wants[i]``, textually."""
    _, root, probs = read_yaml_bytes("catalogue.yaml", text.encode("utf-8"))
    if root is None:
        raise ValueError(probs[0].message_en if probs else "unreadable YAML")
    resources = next((v for k, v in root.value if getattr(k, "value", None) == "resources"), None)
    edits: list[tuple[int, int, str]] = []
    for i, item in enumerate(resources.value if isinstance(resources, yaml.SequenceNode) else []):
        if i not in wants or not isinstance(item, yaml.MappingNode) or not item.value:
            continue
        indent = item.value[0][0].start_mark.column
        pair = next(((k, v) for k, v in item.value if getattr(k, "value", None) == "schema"), None)
        if pair is not None:
            k, v = pair
            start = _line_start(text, k.start_mark.index)
            if text[start:k.start_mark.index].strip() not in ("", "-"):
                raise ValueError("schema key shares its line")  # e.g. "- schema:": left to the fallback
            edits.append((start, _content_end(text, start, v.end_mark.index), _block(indent, wants[i])))
        else:
            at = _content_end(text, _line_start(text, item.start_mark.index), item.end_mark.index)
            edits.append((at, at, ("" if at == 0 or text[at - 1] == "\n" else "\n") + _block(indent, wants[i])))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def sync(root: str | Path, write: bool = True, skipped: list[str] | None = None,
         refused: list[str] | None = None, paths: list[Path] | None = None) -> list[str]:
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
    for path in paths if paths is not None else sorted((root / "catalogues").glob("*/catalogue.yaml")):
        rel = path.relative_to(root).as_posix()
        if tree.escapes(rel) or tree.special(rel):
            if refused is not None:
                refused.append(rel)
            continue
        # The same checked reading as validate: a file with aliases, duplicate keys or bad bytes is
        # left alone (rewriting it would silently drop what YAML discarded); validate reports it.
        raw = tree.read_bytes(rel, MAX_YAML_BYTES)
        data, _, problems = read_yaml_bytes(rel, raw)
        if data is None or any(p.severity == "error" for p in problems):
            if skipped is not None:
                skipped.append(path.relative_to(root).as_posix())
            continue
        if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
            continue
        wants: dict[int, dict] = {}
        for index, res in enumerate(data["resources"]):
            if not isinstance(res, dict):
                continue
            kind = res.get("x-kind") or res.get("name")
            if kind not in KINDS:
                continue
            want = inline_schema(root, kind)
            if res.get("schema") != want:
                res["schema"] = want
                wants[index] = want
        if not wants:
            continue
        text = raw.decode("utf-8-sig")
        try:
            new = rewrite_schemas(text, wants)
            ok = read_yaml_bytes("catalogue.yaml", new.encode("utf-8"))[0] == data
        except (yaml.YAMLError, ValueError):
            ok = False
        if not ok:
            if "#" in text:  # whole rewrite would lose comments: leave it to a person
                if skipped is not None:
                    skipped.append(path.relative_to(root).as_posix())
                continue
            new = dump_yaml(data)
        changed.append(path.relative_to(root).as_posix())
        if write:
            path.write_text(new, encoding="utf-8")
    return changed
