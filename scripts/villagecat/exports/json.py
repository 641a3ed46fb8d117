"""The JSON download: the whole catalogue as one value (integers typed, empty cells null)."""

from __future__ import annotations

import json
import os

from villagecat.exports.common import (KINDS, LICENSE, TITLE, TITLE_EN, ExportSpec, _field_types, _typed, law_rows,
                                       region_rows)


def json_document(spec: ExportSpec) -> dict:
    """The whole catalogue as one JSON value (integers typed, empty cells null)."""
    rnames, rrows = region_rows(spec)
    lnames, lrows = law_rows(spec)
    catalogues = []
    for reg in spec.catalogue.catalogued_regions():
        lists = []
        for kind in KINDS:
            lst = reg.lists.get(kind)
            if lst is None:
                continue
            types = _field_types(spec, kind)
            lists.append({
                "kind": kind, "title": lst.title, "source": lst.source,
                "completeness": {"status": lst.status, "reported_total": lst.reported_total,
                                 "missing": str(lst.completeness.get("missing") or "")},
                "legal_basis": lst.legal_basis,
                "items": [{n: _typed(item.values.get(n, ""), t) for n, t in types.items()} for item in lst.items],
            })
        catalogues.append({"region": reg.adcode, "folder": reg.folder, "title": reg.title,
                           "sources": [vars(reg.sources[k]) for k in sorted(reg.sources)], "lists": lists})
    return {"title": TITLE, "title_en": TITLE_EN, "version": spec.version, "date": spec.date,
            "license": LICENSE, **spec.meta,
            "regions": [dict(zip(rnames, r)) for r in rrows],
            "laws": [dict(zip(lnames, r)) for r in lrows],
            "catalogues": catalogues}


def json_bytes(spec: ExportSpec) -> bytes:
    return (json.dumps(json_document(spec), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_json(path: str | os.PathLike, spec: ExportSpec) -> None:
    """The bytes of :func:`json_bytes`, encoded piece by piece into ``path`` (never one big string)."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for chunk in encoder.iterencode(json_document(spec)):
            fh.write(chunk)
        fh.write("\n")
