"""The real catalogue: it validates, its lists have the sources' counts, and its text is verbatim.

These tests read ``catalogues/`` as it stands (or the copy named by ``VILLAGECAT_DATA_ROOT``); when
one fails, the data (not the validator) is what needs fixing, unless the failure says otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from validate_harness import BIN, DATA, INVALID, SHARED, VALID, materialise, run_cli
from villagecat.reader import read_catalogue
from villagecat.validate import validate

# (adcode, kind, number of items in the source document), counted in the documents themselves.
SOURCE_COUNTS = [
    ("000000", "negative-certificates", 20),
    ("150000", "duties", 51),
    ("150000", "assistance", 20),
    ("150000", "measures", 13),
    ("450000", "measures", 21),
    ("340304", "tasks", 31),
    ("340304", "prohibitions", 13),
]

WHITESPACE = re.compile(r"\s+")


MARKDOWN_BOLD = re.compile(r"\*\*")


def squash(text: str) -> str:
    """Text with every kind of whitespace (spaces, full-width spaces, line breaks) removed."""
    return WHITESPACE.sub("", text)


def squash_document(text: str) -> str:
    """A transcription as compared: some are Markdown, whose bold markers (``**``) are not words."""
    return squash(MARKDOWN_BOLD.sub("", text))


@pytest.fixture(scope="module")
def cat():
    return read_catalogue(str(DATA))


@pytest.mark.parametrize("adcode,kind,count", SOURCE_COUNTS, ids=[f"{a}-{k}" for a, k, _ in SOURCE_COUNTS])
def test_counts_equal_the_sources(cat, adcode, kind, count):
    region = cat.regions.get(adcode)
    assert region is not None and region.folder, f"no catalogue folder for {adcode}"
    lst = region.lists.get(kind)
    assert lst is not None, f"catalogues/{region.folder} has no {kind} list"
    assert len(lst.items) == count, f"catalogues/{region.folder}/{kind}.csv has {len(lst.items)} items; the source has {count}"


def test_complete_lists_have_their_reported_total(cat):
    """A list marked complete with a reported_total has exactly that many items.

    Signs lists are left out: one source line naming several signs becomes several rows.
    """
    wrong = [f"catalogues/{cat.regions[l.region].folder}/{l.table.path.rsplit('/', 1)[-1]}: "
             f"{len(l.items)} items, reported_total {l.reported_total}"
             for l in cat.lists()
             if l.status == "complete" and l.reported_total is not None and l.kind != "signs"
             and len(l.items) != l.reported_total]
    assert not wrong, "\n".join(wrong)


def test_text_is_verbatim(cat):
    """Every item's text is found in the document its source names (whitespace ignored on both sides)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the source documents are not available here")
    documents: dict[str, str] = {}
    missing_files, not_found, checked = [], [], 0
    for region in cat.catalogued_regions():
        for key, source in region.sources.items():
            if source.file and not (SHARED / source.file).is_file():
                missing_files.append(f"catalogues/{region.folder}/catalogue.yaml: source {key} file {source.file}")
        for lst in region.lists.values():
            for item in lst.items:
                source = region.sources.get(item.source)
                if source is None or not source.file or not (SHARED / source.file).is_file():
                    continue  # unknown-source is the validator's; a source without text cannot be checked
                if source.file not in documents:
                    documents[source.file] = squash_document((SHARED / source.file).read_text(encoding="utf-8"))
                checked += 1
                if squash(item.text) not in documents[source.file]:
                    not_found.append(f"{item.path}:{item.row} {item.id} {item.text[:40]!r} not in {source.file}")
    assert not missing_files, "\n".join(missing_files)
    assert not not_found, f"{len(not_found)} of {checked} items not verbatim:\n" + "\n".join(not_found)
    assert checked > 0


def test_repository_validates():
    proc = run_cli("validate", cwd=DATA)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_cli_json_equals_library_on_repository():
    proc = run_cli("validate", "--format", "json", cwd=DATA)
    assert proc.returncode in (0, 1), proc.stderr
    out = json.loads(proc.stdout)
    assert out == validate(DATA).as_dict()
    assert out["stats"]["regions"] >= 1 and out["stats"]["items"] >= 1


# The stock `frictionless validate` command, run by its own console code in one clean interpreter
# (no villagecat imported) for all catalogues at once: eleven separate processes cost ten seconds.
FRICTIONLESS = """
import json, sys
from typer.testing import CliRunner
from frictionless.console import console
runner = CliRunner()
for path in sys.argv[1:]:
    result = runner.invoke(console, ["validate", "--json", path])
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = {"valid": False, "errors": [{"type": "no-json", "message": (result.stdout + str(result.exception))[-2000:]}]}
    print(json.dumps({"path": path, "exit": result.exit_code, "report": report}))
"""


def stock_frictionless(paths, cwd):
    proc = subprocess.run([str(BIN / "python"), "-c", FRICTIONLESS, *map(str, paths)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        report = rec["report"]
        errors = [f"{t.get('name')}: {e.get('type')} {e.get('message')}" for t in report.get("tasks", []) for e in t.get("errors", [])]
        errors += [f"{e.get('type')} {e.get('message')}" for e in report.get("errors", [])]
        out[rec["path"]] = (report.get("valid") is True and rec["exit"] == 0, "\n".join(errors[:20]))
    return out


def test_stock_frictionless_validates_every_catalogue():
    """``frictionless validate catalogue.yaml`` (no villagecat) passes, thanks to the schema copies."""
    paths = [p.relative_to(DATA) for p in sorted(DATA.glob("catalogues/*/catalogue.yaml"))]
    assert paths
    results = stock_frictionless(paths, DATA)
    failed = [f"{path}:\n{detail}" for path, (ok, detail) in results.items() if not ok]
    assert not failed, "\n\n".join(failed)
    assert len(results) == len(paths)


def test_stock_frictionless_sees_the_schema_copies(tmp_path):
    """The check above is not vacuous: with the schema copies, frictionless rejects a bad id."""
    good = materialise(VALID / "minimal", tmp_path / "good")
    bad = materialise(INVALID / "pattern-mismatch", tmp_path / "bad")
    rel = "catalogues/150000-neimenggu/catalogue.yaml"
    results = stock_frictionless([good / rel, bad / rel], tmp_path)
    assert results[str(good / rel)][0], results[str(good / rel)][1]
    assert not results[str(bad / rel)][0]
    assert "constraint-error" in results[str(bad / rel)][1]
