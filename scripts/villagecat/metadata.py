"""Metadata layer: each catalogue.yaml against ``schemas/catalogue.schema.yaml`` (JSON Schema)."""

from __future__ import annotations

import datetime

from jsonschema import Draft202012Validator

from villagecat.decode import yaml_line
from villagecat.model import Catalogue
from villagecat.problems import Problem, define, problem
from villagecat.schemas import catalogue_schema

define("metadata-invalid", "metadata", "catalogue.yaml 内容不合规", "catalogue.yaml is invalid",
       "{where}：{detail}", "{where}: {detail}",
       "按数据字典中 catalogue.yaml 一节修改；日期和行政区划代码要加引号。", "Fix it after the catalogue.yaml section of the data dictionary; quote dates and adcodes.")
define("metadata-unquoted", "metadata", "日期或代码未加引号", "Date or code not quoted",
       "{where} 的值 {value} 被读成了{what}。", "{where} was read as a {what_en}: {value}.",
       "给该值加上引号，如 \"{value}\"。", "Quote it, e.g. \"{value}\".")

_validators: dict[str, Draft202012Validator] = {}


def _validator(cat: Catalogue) -> Draft202012Validator:
    """One validator per distinct schema (schemas come with each catalogue; releases share them)."""
    import json

    schema = catalogue_schema(cat)
    key = json.dumps(schema, sort_keys=True, default=str)
    if key not in _validators:
        _validators[key] = Draft202012Validator(schema)
    return _validators[key]


def _where(path) -> str:
    return "/".join(str(p) for p in path) or "(顶层)"


def check_metadata(cat: Catalogue, regions=None) -> list[Problem]:
    """Each region's ``catalogue.yaml`` (of ``regions``, adcodes, when given) against the schema."""
    out: list[Problem] = []
    validator = _validator(cat)
    for region in cat.catalogued_regions():
        if not region.package or regions is not None and region.adcode not in regions:
            continue
        file = f"catalogues/{region.folder}/catalogue.yaml"
        # Dates and adcodes that YAML turned into dates/integers get their own advice.
        unquoted: set[tuple] = set()
        for path, value in _quotable(region.package, ()):
            unquoted.add(path)
            what, what_en = ("日期", "date") if isinstance(value, datetime.date) else ("数字", "number")
            out.append(problem("metadata-unquoted", file=file, row=yaml_line(region.package_node, path),
                               column=str(path[-1]), where=_where(path), value=value, what=what, what_en=what_en))
        for err in sorted(validator.iter_errors(region.package), key=lambda e: list(map(str, e.absolute_path))):
            path = tuple(err.absolute_path)
            if path in unquoted:
                continue
            out.append(problem("metadata-invalid", file=file, row=yaml_line(region.package_node, path),
                               column=str(path[-1]) if path else None, where=_where(path), detail=err.message[:300]))
    return out


_QUOTED_KEYS = ("date", "region", "retrieved", "number", "sha256")  # text that YAML reads as a date or number unquoted


def _quotable(value, path, out=None) -> list[tuple]:
    """``(path, value)`` of every date or integer under a key that must hold text, depth first in
    order (the walk looks at each key once and builds a path only for containers and finds)."""
    out = [] if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                _quotable(v, path + (k,), out)
            elif isinstance(v, (datetime.date, int)) and not isinstance(v, bool) and k in _QUOTED_KEYS:
                out.append((path + (k,), v))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, (dict, list)):
                _quotable(v, path + (i,), out)
    return out
