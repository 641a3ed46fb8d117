"""The static JSON API: plain files under ``api/v1/`` that any program can fetch.

Layout (every path relative to a release's site root, e.g. ``/2026.1/api/v1/``)::

    index.json                       release, counts, links to everything below
    releases.json                    every release of the catalogue (version, date, summary)
    regions.json                     every region with its lists and item counts
    regions/<adcode>.json            one region: sources, lists (with completeness), lineage
    lists/<adcode>/<kind>.json       one list: its metadata and all its items
    laws.json                        the law table with the ids of the items resting on each law

The shapes are described by ``schemas/api.schema.json``; files are written with sorted keys and
no timestamps, so the same catalogue always yields the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from villagecat.model import KINDS, Catalogue, ItemList
from villagecat.schemas import field_names

API_VERSION = "v1"


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")


def list_summary(cat: Catalogue, lst: ItemList) -> dict:
    region = cat.regions[lst.region]
    return {
        "region": lst.region, "kind": lst.kind, "kind_zh": KINDS[lst.kind][1], "title": lst.title,
        "source": lst.source, "item_count": len(lst.items),
        "completeness": {"status": lst.status, "reported_total": lst.reported_total,
                         "missing": str(lst.completeness.get("missing") or "")},
        "legal_basis": lst.legal_basis,
        "href": f"lists/{lst.region}/{lst.kind}.json",
        "folder": region.folder,
    }


def list_document(cat: Catalogue, lst: ItemList) -> dict:
    names = field_names(cat, lst.kind)  # the schemas read with this catalogue (a release's own)
    items = []
    for item in lst.items:
        record = {name: item.values.get(name, "") for name in names}
        record["seq"] = item.seq
        record["legal_basis"] = item.legal_basis
        items.append(record)
    return dict(list_summary(cat, lst), fields=names, items=items)


def region_document(cat: Catalogue, adcode: str) -> dict:
    region = cat.regions[adcode]
    return {
        "adcode": region.adcode, "name": region.name, "level": region.level, "parent": region.parent,
        "folder": region.folder, "title": region.title, "notes": region.notes,
        "lineage": [r.adcode for r in cat.lineage(adcode)],
        "sources": [vars(s) for s in region.sources.values()],
        "lists": [list_summary(cat, lst) for lst in region.lists.values()],
    }


def write_api(cat: Catalogue, out_dir: str | Path, release: str, releases: list[dict] | None = None) -> list[Path]:
    """Write the API for one catalogue (one release) into ``out_dir/api/v1``; returns the files."""
    base = Path(out_dir) / "api" / API_VERSION
    written: list[Path] = []

    def put(rel: str, data) -> None:
        _dump(base / rel, data)
        written.append(base / rel)

    regions = [region_document(cat, r.adcode) for r in cat.catalogued_regions()]
    put("regions.json", {"release": release, "regions": [
        {k: r[k] for k in ("adcode", "name", "level", "parent", "folder")} |
        {"href": f"regions/{r['adcode']}.json", "lists": [{"kind": l["kind"], "item_count": l["item_count"], "href": l["href"]} for l in r["lists"]]}
        for r in regions]})
    for r in regions:
        put(f"regions/{r['adcode']}.json", dict(r, release=release))
    for lst in cat.lists():
        put(f"lists/{lst.region}/{lst.kind}.json", dict(list_document(cat, lst), release=release))
    using: dict[str, list[str]] = {}
    for lst in cat.lists():
        for item in lst.items:
            for law in item.legal_basis:
                using.setdefault(law, []).append(item.id)
    list_level: dict[str, list[str]] = {}
    for lst in cat.lists():
        for law in lst.legal_basis:
            list_level.setdefault(law, []).append(f"{lst.region}/{lst.kind}")
    put("laws.json", {"release": release, "laws": [
        dict(vars(law), items=sorted(using.get(law.id, [])), lists=list_level.get(law.id, []))
        for law in sorted(cat.laws.values(), key=lambda l: l.id)]})
    put("releases.json", {"releases": releases or []})
    stats = cat.stats()
    put("index.json", {"api": API_VERSION, "release": release, "stats": stats,
                       "kinds": {k: {"letter": v[0], "zh": v[1], "en": v[2]} for k, v in KINDS.items()},
                       "links": {"regions": "regions.json", "laws": "laws.json", "releases": "releases.json"}})
    return written
