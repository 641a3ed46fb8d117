"""The data dictionary (from ``schemas/*.schema.yaml``) and the error-code reference (from the rule registry).

Field text is written once, in the schemas; these functions only flatten it into rows.

>>> rows = catalogue_rows({"properties": {"a": {"type": "object", "description": "甲",
...                        "properties": {"b": {"type": "string", "pattern": "^x$"}}}}})
>>> [(r.name, r.type, r.constraints) for r in rows]
[('a', 'object', ''), ('a.b', 'string', 'pattern: ^x$')]
"""

from __future__ import annotations

from dataclasses import dataclass

from villagecat.model import KINDS

REFERENCE_TABLES = ("regions", "laws", "known-documents")
_CONSTRAINT_KEYS = ("required", "unique", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum", "const",
                    "minItems")


@dataclass
class FieldRow:
    name: str
    title: str
    description: str
    description_en: str
    type: str
    constraints: str
    example: str


@dataclass
class SchemaDoc:
    name: str  # file stem, e.g. duties
    title: str
    description: str
    description_en: str
    fields: list[FieldRow]


def _fmt(v) -> str:
    if isinstance(v, list):
        return " / ".join(str(x) for x in v)
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def _constraints(d: dict) -> str:
    return "; ".join(f"{k}: {_fmt(d[k])}" for k in _CONSTRAINT_KEYS if k in d)


def _schemas(source) -> dict[str, dict]:
    """The schemas of a :class:`~villagecat.model.Catalogue` (read with it from the same tree), or
    of a repository folder."""
    from villagecat.schemas import _schemas as of

    return of(source)


def table_docs(source) -> list[SchemaDoc]:
    """Every Table Schema: the list kinds in KINDS order, then the reference tables."""
    schemas = _schemas(source)
    names = [k for k in KINDS] + list(REFERENCE_TABLES)
    names += sorted(n for n in schemas if n not in names and n != "catalogue")
    docs = []
    for name in names:
        s = schemas.get(name)
        if not isinstance(s, dict):
            continue
        fields = [FieldRow(name=str(f.get("name", "")), title=str(f.get("title", "")),
                           description=str(f.get("description", "")), description_en=str(f.get("x-description-en", "")),
                           type=str(f.get("type", "string")), constraints=_constraints(f.get("constraints") or {}),
                           example=_fmt(f.get("example", "")))
                  for f in s.get("fields") or [] if isinstance(f, dict)]
        docs.append(SchemaDoc(name, str(s.get("title", name)), str(s.get("description", "")),
                              str(s.get("x-description-en", "")), fields))
    return docs


def catalogue_doc(source) -> SchemaDoc | None:
    s = _schemas(source).get("catalogue")
    if not isinstance(s, dict):
        return None
    return SchemaDoc("catalogue", str(s.get("title", "catalogue.yaml")), str(s.get("description", "")),
                     str(s.get("x-description-en", "")), catalogue_rows(s))


def catalogue_rows(schema: dict, prefix: str = "") -> list[FieldRow]:
    """Flatten a JSON Schema's properties (nested objects and arrays of objects) into dotted rows."""
    rows: list[FieldRow] = []
    required = set(schema.get("required") or [])
    for name, p in (schema.get("properties") or {}).items():
        if not isinstance(p, dict):
            continue
        full = f"{prefix}{name}"
        c = _constraints(p)
        if name in required:
            c = "必填 required" + (f"; {c}" if c else "")
        t = p.get("type", "const" if "const" in p else ("enum" if "enum" in p else ""))
        rows.append(FieldRow(full, "", str(p.get("description", "")), str(p.get("x-description-en", "")),
                             _fmt(t), c, _fmt(p.get("example", ""))))
        if isinstance(p.get("properties"), dict):
            rows.extend(catalogue_rows(p, full + "."))
        items = p.get("items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            rows.extend(catalogue_rows(items, full + "[]."))
    return rows
