"""The quick readings of read_pair give exactly what the slow ones give: catalogue.yaml without
schemas read line by line (else the YAML loader), schema blocks cut by one regular expression,
rows counted in the bytes."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pytest
import yaml

from villagecat import synthetic
from villagecat.decode import _Loader, _quick_yaml, _Unsure
from villagecat.diff import _count_rows, strip_schemas

REPO = Path(__file__).resolve().parents[2]


def _same(a, b) -> bool:
    """Equal, with the same types (1 is not True) and the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _agrees(text: str) -> bool:
    """The quick reading gives what the loader gives, or declines (``True`` when it read it)."""
    try:
        got = _quick_yaml(text)
    except _Unsure:
        return False
    assert _same(got, yaml.load(text, Loader=_Loader)), text
    return True


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[str, list[str]]:
    """catalogue.yaml texts without schemas: synthetic ones, and this repository's own."""
    root = tmp_path_factory.mktemp("synthetic")
    synthetic.make_git_repo(root, items=1500, seed=11)
    read = lambda paths: [strip_schemas(p.read_text(encoding="utf-8-sig")) for p in sorted(paths)]
    return {"synthetic": read(root.glob("catalogues/*/catalogue.yaml")),
            "real": read(REPO.glob("catalogues/*/catalogue.yaml"))}


def test_quick_yaml_reads_the_catalogues_as_the_loader_does(texts):
    """Every synthetic catalogue.yaml is read quickly, and most of the real ones (those with a
    ``*`` or ``&`` go to the loader's checked path)."""
    assert texts["synthetic"] and all([_agrees(text) for text in texts["synthetic"]])
    real = [_agrees(text) for text in texts["real"]]
    assert sum(real) >= len(real) - 3


def test_quick_yaml_declines_or_agrees_on_mutated_texts(texts):
    """Random edits (quotes, comments, indentation, YAML's typed scalars, odd characters …): the
    quick reading either declines or gives exactly the loader's value, never a value where the
    loader fails."""
    rng = random.Random(20261203)
    bits = [" ", "  ", "-", "- ", ":", ": ", "'", "''", '"', "#", " #", "\n", "\n  ", "\n- ", "\n  - ", "a", "yes",
            "No", "null", "~", "1", "0x1", "1.5", "2020-01-01", "{", "[", "]", "|", ">", "!", "%", "@", "`", "?",
            "\t", "\r", "\xa0", "\u3000", "\x85", "\ufeff", "\u2028", "\x7f", "&", "*", "<<", "=", ".inf", "x: y",
            "k:", "-1", "+1", "012", "1_000", "1:20", "\\", ",", "---", "...", "x" * 130 + ":"]
    read = 0
    for _ in range(6000):
        lines = rng.choice(texts["synthetic"] + texts["real"]).split("\n")
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(lines))
            op = rng.random()
            if op < 0.55:
                p = rng.randint(0, len(lines[j]))
                lines[j] = lines[j][:p] + rng.choice(bits) + lines[j][p:]
            elif op < 0.7:
                lines.insert(j, lines[rng.randrange(len(lines))])
            elif op < 0.85:
                lines[j] = " " * rng.randint(0, 6) + lines[j].lstrip(" ")
            else:
                p = rng.randint(0, len(lines[j]))
                lines[j] = lines[j][:p] + lines[j][p + rng.randint(1, 5):]
        text = "\n".join(lines)
        try:
            yaml.load(text, Loader=_Loader)
        except yaml.YAMLError:
            with pytest.raises(_Unsure):
                _quick_yaml(text)
            continue
        read += _agrees(text)
    assert read > 1000  # the quick reading does read most plain edits


@pytest.mark.parametrize("text", [
    "a: 1\nb: yes\nc: ~\nd:\ne: 1.5\nf: 2020-01-01\ng: '012'\nh: 012\n",  # typed by the loader
    "a:\n- x\n- 'y'\nb:\n  - c: 1\n    d:\n    - e\n",  # sequences, indented or not
    "a: x # note\n", "a: [1, 2]\n", "a: \"x\"\n", "a: |\n  x\n", "a: x\n  y\n", "a: 'x\n  y'\n",
    "a: &x 1\nb: *x\n", "yes: 1\n", "<<: {a: 1}\n", "a:\tx\n", "a: x\r\nb: y\n", "- a\n", " a: 1\n",
])
def test_quick_yaml_small_cases(text):
    try:
        want = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        with pytest.raises(_Unsure):
            _quick_yaml(text)
        return
    try:
        got = _quick_yaml(text)
    except _Unsure:
        return
    assert _same(got, want)


_KEY = re.compile(r"^( +)schema:[ \t]*$")


def _strip_line_by_line(text: str) -> str:
    """strip_schemas as it was first written: a line loop."""
    out, skip = [], None
    for line in text.split("\n"):
        if skip is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > skip:
                continue
            skip = None
        m = _KEY.match(line)
        if m:
            skip = len(m.group(1))
            continue
        out.append(line)
    return "\n".join(out)


def test_strip_schemas_equals_the_line_loop(texts):
    rng = random.Random(7)
    parts = ["schema:", " ", "  ", "\n", "a", "x: 1", "\t", "\r", "\u3000", "\x0c", "\x1c", "\xa0", "\x85", "-",
             "schema: x", "  schema:\n    fields:\n    - name: id\n"]
    cases = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 30))) for _ in range(30000)]
    cases += [p.read_text(encoding="utf-8") for p in sorted(REPO.glob("catalogues/*/catalogue.yaml"))]
    for text in cases:
        assert strip_schemas(text) == _strip_line_by_line(text), text


def _csv_count(data: bytes):
    """What the reader counts: the header, then the rows with something in them (the csv module)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    return next(rows, []), sum(1 for row in rows if any(cell.strip() for cell in row))


def _agreeing(cases) -> int:
    """How many of ``cases`` the csv module reads; for each, :func:`_count_rows` gives its count."""
    checked = 0
    for data in cases:
        try:
            want = _csv_count(data)
        except csv.Error:
            continue
        assert _count_rows(data) == want, data
        checked += 1
    return checked


def test_row_count_without_csv_module_equals_csv_module():
    cases = [b"", b"\n", b"id,text\n", b"id,text\n1,a\n\n2,b", b"id,text\n1,a\n ,\n2,b\n", b"\nid,text\n1,a\n",
             "id,text\n\u3000\n1,a\n".encode(), b"\xef\xbb\xbfid,text\n1,a\n", b'id,text\n1,"a\nb"\n\n']
    rng = random.Random(14)
    parts = [b"a", b",", b"\n", b" ", "\u3000".encode(), b"1", b"\t", b'"', b"\r", b"\xff"]
    cases += [b"".join(rng.choice(parts) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    assert _agreeing(cases) > 3000


def test_row_count_in_bytes_equals_csv_module():
    """Byte-order marks (whole or cut), characters Python counts as spaces in one byte or several,
    invalid UTF-8, empty lines: the count is the csv module's."""
    rng = random.Random(5)
    parts = [b"a", b",", b"\n", b" ", "\u3000".encode(), b"1", b"\t", b'"', b"\r", b"\xff", b"\xef\xbb\xbf",
             b"\xef\xbb", "\x85".encode(), "\xa0".encode(), b"\x1c", b"\x0b", b"\x0c", "中".encode(), b"\x00",
             "\u2028".encode(), b"\xe3\x80"]
    assert _agreeing(b"".join(rng.choice(parts) for _ in range(rng.randint(0, 16))) for _ in range(60000)) > 50000


def test_row_count_of_a_plain_list_never_decodes_the_rows(monkeypatch):
    """A list without quotes or blank lines is counted in its bytes (the text path is not taken)."""
    data = "\ufeffid,seq,text\n110101-D-001,1,宣传贯彻党的路线方针政策\n110101-D-002,2,组织实施\n".encode()
    monkeypatch.setattr("villagecat.diff._BLANKISH", None)  # the text path would fail on it
    assert _count_rows(data) == (["id", "seq", "text"], 2)
