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
    ("000000", "measures", 11),          # 二（一）1 … 二（三）8 and 三（一）–（三）
    ("000000", "signs", 9),              # 4 signs, 2 marks, 3 interior signs named in 二（二）6
    ("150000", "duties", 51),
    ("150000", "assistance", 20),
    ("150000", "measures", 13),
    ("150000", "prohibitions", 8),       # the sentences with 不得
    ("150000", "signs", 13),             # 4 mechanisms, 4 signs, 2 marks; 3 interior signs of （八）
    ("450000", "measures", 21),
    ("340304", "tasks", 31),
    ("340304", "prohibitions", 13),
    ("340304", "signs", 15),             # 附件3: (4个) + (2个) + (9 个)
    ("140404", "tasks", 7),              # 二（一）, 二（二） and its 1–4, 二（三）
    ("140404", "signs", 3),              # the interior signs of 二（二）1
    ("140404", "measures", 3),           # 三、工作要求 (一)–(三)
    ("310000", "negative-certificates", 3),  # examples the report names
    ("330000", "negative-certificates", 1),  # the one item the source names
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
    """Every item's text is found in the transcription under sources/ its source names (whitespace
    ignored on both sides, ``**`` in the transcription), with no file outside the repository.

    Folded here independently of the validator's ``text-not-in-source``, which must agree.
    """
    documents: dict[str, str] = {}
    unreadable, not_found, checked = [], [], 0
    for region in cat.catalogued_regions():
        for key, source in region.sources.items():
            if source.file:
                sf = cat.source_file(source)
                if sf is None or sf.status != "ok":
                    unreadable.append(f"catalogues/{region.folder}/catalogue.yaml: source {key} file {source.file}: "
                                      f"{sf.status if sf else 'not read'}")
        for lst in region.lists.values():
            for item in lst.items:
                source = region.sources.get(item.source or lst.source)
                sf = cat.source_file(source)
                if sf is None or sf.status != "ok":
                    continue  # unknown-source is the validator's; a source without text cannot be checked
                if sf.path not in documents:
                    documents[sf.path] = squash_document(sf.body)
                checked += 1
                if squash(item.text) not in documents[sf.path]:
                    not_found.append(f"{item.path}:{item.row} {item.id} {item.text[:40]!r} not in {sf.path}")
    assert not unreadable, "\n".join(unreadable)
    assert not not_found, f"{len(not_found)} of {checked} items not verbatim:\n" + "\n".join(not_found)
    assert checked == sum(1 for _ in cat.items()), "some items have no transcription to check against"
    rules = {p.rule for p in validate(DATA).problems}
    assert not rules & {"text-not-in-source", "source-checksum", "source-file-missing", "source-path-unsafe",
                        "source-header", "source-untraceable"}, rules


def _shared_original(header: dict):
    origin = str(header.get("copied_from") or "")
    return SHARED / origin.removeprefix("shared/") if origin.startswith("shared/") else None


def test_sources_copy_every_shared_document_byte_for_byte(cat):
    """Where the working set ../shared is present: each of its documents has a copy under sources/
    whose body is the same bytes (the header says which file it copies). Skipped elsewhere."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: nothing to compare the sources/ copies with")
    originals = sorted(p for d in ("seeds", "sources") for p in (SHARED / d).glob("*") if p.name != "README.md")
    copies = {p.stem: p for p in (DATA / "sources").glob("*.md") if p.name != "README.md"}
    missing = [str(p) for p in originals if p.stem not in copies]
    assert not missing, f"no copy under sources/ of: {missing}"
    differ = []
    for original in originals:
        sf = cat.source_files[f"sources/{original.stem}.md"]
        assert _shared_original(sf.header) == original, (sf.path, sf.header.get("copied_from"))
        if sf.body.encode("utf-8") != original.read_bytes():
            differ.append(sf.path)
    assert not differ, f"body differs from ../shared: {differ}"


ALNUM = re.compile(r"[A-Za-z0-9]")


def layout_free(text: str) -> str:
    """Text as the conventions transcribe it: line breaks and the spaces at line edges joined, and
    spaces dropped unless they touch a Latin letter or a digit (those are kept verbatim: 政务 APP)."""
    text = "".join(line.strip() for line in MARKDOWN_BOLD.sub("", text).split("\n"))
    return re.sub(r"(?<=(.)) +(?=(.))",
                  lambda m: m.group(0) if ALNUM.match(m.group(1)) or ALNUM.match(m.group(2)) else "", text)


def test_half_width_spaces_follow_the_source(cat):
    """A half-width space next to a Latin letter or digit is kept as the source has it, and none is added.

    docs/data-conventions.md (半角空格): 广西 and 内蒙古 both print “政务 APP”; both keep it.
    """
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the source documents are not available here")
    documents: dict[str, str] = {}
    wrong, checked = [], 0
    for region in cat.catalogued_regions():
        for lst in region.lists.values():
            for item in lst.items:
                source = region.sources.get(item.source)
                if source is None or not source.file or not (SHARED / source.file).is_file():
                    continue
                if source.file not in documents:
                    documents[source.file] = layout_free((SHARED / source.file).read_text(encoding="utf-8"))
                checked += 1
                if layout_free(item.text) not in documents[source.file]:
                    wrong.append(f"{item.path}:{item.row} {item.id} {item.text[:40]!r}")
    assert not wrong, f"{len(wrong)} of {checked} items differ from the source in their half-width spaces:\n" + "\n".join(wrong)
    assert checked > 0


def test_neimenggu_categories_follow_the_annex_layout(cat):
    """内蒙古's flattened annex: category names, then items, then laws, broken into blocks at the same places.

    Each blank-line block of items belongs to the category named in the same position (catalogue.yaml x-notes).
    """
    seed = SHARED / "seeds" / "003_2c6cb29522081129.txt"
    if not seed.is_file():
        pytest.skip(f"{seed} is absent")
    text = seed.read_text(encoding="utf-8")
    region = cat.regions["150000"]
    for kind, header, names in (("duties", "履责事项", ["政治组织类", "自我管理类", "自我教育类", "自我服务类", "自我监督类"]),
                                ("assistance", "协助工作事项", ["经济类", "社会类", "生态类"])):
        start = text.index(f"\n{header}\n")
        body = text[start + len(header) + 2:text.index("主要党内法规和法律法规依据", start)]
        blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
        assert len(blocks) == len(names), f"{kind}: {len(blocks)} blocks for {len(names)} categories"
        expected = {int(n): name for block, name in zip(blocks, names)
                    for n in re.findall(r"(?:^|\n)(\d+)\.", block)}
        got = {item.seq: item.values.get("category") for item in region.lists[kind].items}
        assert got == expected


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
