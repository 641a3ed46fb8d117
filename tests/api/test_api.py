"""The static JSON API: every file validates against schemas/api.schema.json and agrees with the model."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from villagecat.api import write_api
from villagecat.reader import read_catalogue

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "api.schema.json").read_text(encoding="utf-8"))


def _validator(name):
    return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": SCHEMA["$defs"]})


def test_api_files_validate_and_match_model(tmp_path):
    cat = read_catalogue(str(ROOT))
    files = write_api(cat, tmp_path, release="test", releases=[{"version": "2026.1", "date": "2026-11-25"}])
    base = tmp_path / "api" / "v1"
    load = lambda rel: json.loads((base / rel).read_text(encoding="utf-8"))
    for name, rel in [("index", "index.json"), ("regions", "regions.json"), ("laws", "laws.json"), ("releases", "releases.json")]:
        errors = list(_validator(name).iter_errors(load(rel)))
        assert not errors, (rel, errors[:3])
    for lst in cat.lists():
        doc = load(f"lists/{lst.region}/{lst.kind}.json")
        assert not list(_validator("list").iter_errors(doc))
        assert [i["id"] for i in doc["items"]] == [i.id for i in lst.items]
        assert doc["item_count"] == len(doc["items"])
    for region in cat.catalogued_regions():
        assert not list(_validator("region").iter_errors(load(f"regions/{region.adcode}.json")))
    assert load("index.json")["stats"]["items"] == sum(1 for _ in cat.items())
    assert len(files) == len(set(files))


def test_api_is_byte_identical_on_rebuild(tmp_path):
    cat = read_catalogue(str(ROOT))
    a = write_api(cat, tmp_path / "a", release="x")
    b = write_api(cat, tmp_path / "b", release="x")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
