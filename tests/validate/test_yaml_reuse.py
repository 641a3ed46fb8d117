"""A ``schema:`` block read before is not parsed again (decode.read_yaml_bytes, "Repeated blocks"):
the value, the composed nodes (lines, columns, offsets) and the problems are exactly those of the
full reading, for the real catalogue, every fixture and mutated files; where the fast reading is
not sure, it reads the whole text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from villagecat import decode
from villagecat.decode import read_yaml_bytes

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(ROOT.glob("catalogues/*/catalogue.yaml")) + sorted((ROOT / "tests/fixtures").rglob("catalogue.yaml"))
REAL = sorted(ROOT.glob("catalogues/*/catalogue.yaml"))


def same_node(a, b, where="/"):
    assert a.tag == b.tag, where
    for m in ("start_mark", "end_mark"):
        ma, mb = getattr(a, m), getattr(b, m)
        assert (ma.line, ma.column, ma.index) == (mb.line, mb.column, mb.index), (where, m)
    if isinstance(a, yaml.ScalarNode):
        assert isinstance(b, yaml.ScalarNode) and (a.value, a.style) == (b.value, b.style), where
    elif isinstance(a, yaml.MappingNode):
        assert isinstance(b, yaml.MappingNode) and a.flow_style == b.flow_style and len(a.value) == len(b.value), where
        for (ka, va), (kb, vb) in zip(a.value, b.value):
            same_node(ka, kb, f"{where}{ka.value}:")
            same_node(va, vb, f"{where}{getattr(ka, 'value', '?')}/")
    else:
        assert isinstance(b, yaml.SequenceNode) and a.flow_style == b.flow_style and len(a.value) == len(b.value), where
        for i, (x, y) in enumerate(zip(a.value, b.value)):
            same_node(x, y, f"{where}{i}/")


def check_same(name: str, data: bytes):
    full = read_yaml_bytes(name, data, reuse=False)
    fast = read_yaml_bytes(name, data)
    assert fast[0] == full[0]
    assert [p.as_dict() for p in fast[2]] == [p.as_dict() for p in full[2]]
    assert (fast[1] is None) == (full[1] is None)
    if full[1] is not None:
        same_node(full[1], fast[1])
    return fast


@pytest.fixture(autouse=True, scope="module")
def warm():
    """Every block of the real catalogue and the fixtures cached, as in a run over many folders."""
    decode._blocks.clear()
    for path in FILES:
        read_yaml_bytes(path.name, path.read_bytes())
    assert decode._blocks, "no block cached: the fast reading would never run"
    yield
    decode._blocks.clear()


def placed(node) -> int:
    """How many nodes of ``node`` were placed from the cache rather than parsed."""
    n, stack = 0, [node]
    while stack:
        x = stack.pop()
        if isinstance(x, decode._Placed):
            n += 1
            continue
        if isinstance(x, yaml.MappingNode):
            stack.extend(v for _, v in x.value)
        elif isinstance(x, yaml.SequenceNode):
            stack.extend(x.value)
    return n


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_as_full_reading(path):
    check_same(path.name, path.read_bytes())


def test_the_fast_reading_runs_and_copies():
    text = REAL[0].read_bytes()
    value, node, _ = check_same("a.yaml", text)
    assert placed(node) == sum(1 for res in value["resources"] if "schema" in res)
    again, _, _ = read_yaml_bytes("a.yaml", text)
    again["resources"][0]["schema"]["fields"].append("x")  # a fresh copy each time: no sharing between readings
    assert read_yaml_bytes("a.yaml", text)[0] == value


def _text() -> str:
    return REAL[0].read_text(encoding="utf-8")


def _schema_lines(lines):
    return [i for i, line in enumerate(lines) if line.strip() == "schema:"]


@pytest.mark.parametrize("case", ["alias", "anchor", "duplicate-after", "duplicate-inside", "syntax-after", "tab",
                                  "crlf", "no-final-newline", "comment-after", "flow", "literal", "merge",
                                  "top-level", "deep", "keep-chomp", "not-mapping", "trailing-space-key",
                                  "duplicate-schema"])
def test_odd_files_same_as_full_reading(case):
    text = _text()
    lines = text.split("\n")
    first = _schema_lines(lines)[0]
    if case == "alias":
        text = text.replace("licenses:", "x-a: &a [1]\nx-b: *a\nlicenses:", 1)
    elif case == "anchor":
        lines[first + 1] = lines[first + 1] + " &anchor"
        text = "\n".join(lines)
    elif case == "duplicate-after":
        text = text.rstrip("\n") + "\nname: again\n"
    elif case == "duplicate-inside":
        lines.insert(first + 2, lines[first + 2])
        text = "\n".join(lines)
    elif case == "syntax-after":
        text = text.rstrip("\n") + "\n  - : : [\n"
    elif case == "tab":
        lines.insert(first + 3, "\t# tab")
        text = "\n".join(lines)
    elif case == "crlf":
        text = text.replace("\n", "\r\n")
    elif case == "no-final-newline":
        text = text.rstrip("\n")
    elif case == "comment-after":
        text = text.rstrip("\n") + "\n# the end\n"
    elif case == "flow":
        block = "\n".join(lines[first:_schema_lines(lines)[1] if len(_schema_lines(lines)) > 1 else len(lines)])
        text = "x-flow: {a: 1,\n" + block + "\n}\n" + text
    elif case == "literal":
        block = "\n".join(lines[first:first + 12])
        text = text.rstrip("\n") + "\nx-notes: |\n" + block + "\n"
    elif case == "merge":
        text = text.replace("licenses:", "x-m:\n  <<: {a: 1}\nlicenses:", 1)
    elif case == "top-level":
        text = text.rstrip("\n") + "\n" + "\n".join(line[2:] for line in lines[first:first + 20]) + "\n"
    elif case == "deep":
        text = "x-deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 58)) + "  " * 58 + "v: 1\n" + text
    elif case == "keep-chomp":
        lines[first + 2] = lines[first + 2].split(":")[0] + ": |+\n" + " " * 10 + "x"
        text = "\n".join(lines) + "\n\n\n"
    elif case == "not-mapping":
        text = "- " + text.replace("\n", "\n  ")
    elif case == "trailing-space-key":
        lines[first] += "   "
        text = "\n".join(lines)
    elif case == "duplicate-schema":
        block = lines[first:first + 10]
        lines[first:first] = block
        text = "\n".join(lines)
    check_same("odd.yaml", text.encode("utf-8"))


def test_a_block_moves_with_its_file():
    """The same block elsewhere: lines, offsets and the mark of what follows it are those of the new place."""
    text = _text()
    lines = text.split("\n")
    moved = "x-extra: 1\n\n\n" + "\n".join(lines[:3]) + "\n# note\n" + "\n".join(lines[3:]) + "\n\n\nx-after: 2\n"
    _, node, _ = check_same("moved.yaml", moved.encode("utf-8"))
    assert placed(node) > 0


def test_random_mutations_same_as_full_reading():
    """Lines deleted, repeated, re-indented or broken, anywhere: the fast reading gives what the
    full one gives, or falls back to it."""
    rng = random.Random(14)
    base = _text().split("\n")
    fast_runs = 0
    for _ in range(300):
        lines = list(base)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            op = rng.choice(["delete", "repeat", "indent", "dedent", "colon", "alias", "blank", "swap"])
            if op == "delete":
                del lines[i]
            elif op == "repeat":
                lines.insert(i, lines[i])
            elif op == "indent":
                lines[i] = "  " + lines[i]
            elif op == "dedent":
                lines[i] = lines[i][2:]
            elif op == "colon":
                lines[i] += ": x"
            elif op == "alias":
                lines[i] += " *a"
            elif op == "blank":
                lines.insert(i, "")
            elif op == "swap" and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
        value, node, _ = check_same("mutated.yaml", "\n".join(lines).encode("utf-8"))
        fast_runs += bool(node is not None and placed(node))
    assert fast_runs > 30  # the fast reading did run on mutated files (many others are refused)


@pytest.mark.parametrize("path", FILES + sorted((ROOT / "schemas").glob("*.yaml")) + [ROOT / "releases.yaml"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_built_value_is_what_yaml_load_gives(path):
    """decode._construct builds strings, lists and plain-keyed mappings itself: the same value as yaml.load."""
    data = path.read_bytes()
    value = read_yaml_bytes(path.name, data, reuse=False)[0]
    if value is None:
        return  # refused (an alias bomb among the fixtures must never reach yaml.load)
    assert value == yaml.safe_load(data.decode("utf-8-sig"))


def test_built_value_types():
    text = "a: 1\nb: [x, '2', 2, null, true, 2026-01-02, 1.5]\n1: {c: ~, 'd': ''}\ne: !!binary aGk=\n"
    built = decode._construct(decode._Loader, yaml.compose(text, Loader=yaml.SafeLoader))
    want = yaml.safe_load(text)
    assert built == want
    assert [type(v) for v in built["b"]] == [type(v) for v in want["b"]] and list(built) == list(want)
