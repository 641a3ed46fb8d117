"""The data package download: a self-contained Frictionless package (schemas inlined) in a zip."""

from __future__ import annotations

import hashlib
import json
import os

from villagecat.exports.common import (FIELD_KEYS, KINDS, LICENSE, REGION_FIELD, SOURCES_FIELDS, TITLE, TITLE_EN,
                                       ExportSpec, kind_rows, law_rows, region_rows, source_rows)
from villagecat.exports.csv import csv_bytes
from villagecat.exports.zip import write_zip, zip_bytes



def _inline_fields(fields: list[dict]) -> list[dict]:
    return [{k: f[k] for k in FIELD_KEYS if k in f} for f in fields]


def datapackage(spec: ExportSpec, lazy: bool = False) -> tuple[dict, dict]:
    """A self-contained Frictionless data package (schemas inlined) and its CSV files.

    ``lazy``: the files are functions giving their bytes, and each resource's ``hash`` and
    ``bytes`` are left for the caller to fill in once it has made them.
    """
    files: dict = {}
    resources = []

    def add(name: str, title: str, header: list[str], rows, schema: dict):
        path = f"data/{name}.csv"
        if lazy:
            files[path] = lambda: csv_bytes(header, rows() if callable(rows) else rows)
            digest, size = "", 0
        else:
            files[path] = csv_bytes(header, rows() if callable(rows) else rows)
            digest, size = hashlib.sha256(files[path]).hexdigest(), len(files[path])
        resources.append({"name": name, "path": path, "title": title, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "hash": "sha256:" + digest, "bytes": size, "schema": schema})

    rh, rr = region_rows(spec)
    add("regions", "行政区划 / regions", rh, rr,
        {"fields": _inline_fields(spec.schemas["regions"]["fields"]), "primaryKey": ["adcode"], "missingValues": [""]})
    lh, lr = law_rows(spec)
    add("laws", "法律法规 / laws", lh, lr,
        {"fields": _inline_fields(spec.schemas["laws"]["fields"]), "primaryKey": ["id"], "missingValues": [""]})
    sh, sr = source_rows(spec)
    add("sources", "来源文件 / source documents", sh, sr,
        {"fields": [{"name": n, "title": t, "type": "string"} for n, t in SOURCES_FIELDS],
         "primaryKey": ["region", "key"], "missingValues": [""],
         "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["adcode"]}}]})
    for kind in spec.kinds():
        schema = spec.schemas[kind]
        add(kind, f"{KINDS[kind][1]} / {KINDS[kind][2]}", ["region", *spec.names(kind)], lambda kind=kind: kind_rows(spec, kind),
            {"fields": [REGION_FIELD, *_inline_fields(schema["fields"])], "primaryKey": ["id"], "missingValues": [""],
             "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["adcode"]}}]})
    descriptor = {
        "profile": "tabular-data-package",
        "name": "villagecat",
        "title": TITLE,
        "description": TITLE_EN,
        "version": spec.version,
        "created": f"{spec.date}T00:00:00Z",
        "licenses": [LICENSE],
        **{f"x-{k}": v for k, v in spec.meta.items()},
        "resources": resources,
    }
    return descriptor, files


def datapackage_zip(spec: ExportSpec) -> bytes:
    descriptor, files = datapackage(spec)
    files = dict(files)
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return zip_bytes(files, spec.stamp)


def write_datapackage_zip(path: str | os.PathLike, spec: ExportSpec) -> None:
    """The bytes of :func:`datapackage_zip`, one CSV in memory at a time: each data file is made,
    hashed and written in name order; the descriptor (which sorts after ``data/``) comes last."""
    descriptor, members = datapackage(spec, lazy=True)
    assert all(name < "datapackage.json" for name in members)
    sizes = {}

    def made(name):
        def make():
            data = members[name]()
            sizes[name] = (hashlib.sha256(data).hexdigest(), len(data))
            return data
        return make

    def described():
        for res in descriptor["resources"]:
            digest, size = sizes[res["path"]]
            res["hash"], res["bytes"] = "sha256:" + digest, size
        return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    write_zip(path, {**{name: made(name) for name in members}, "datapackage.json": described}, spec.stamp)
