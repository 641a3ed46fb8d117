"""``--help`` of every command is pinned by a golden file, and the README's command table lists
exactly the parser's sub-commands and their options.

Regenerate the goldens after a deliberate change of the command line:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli
and review the diff.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from villagecat.cli import parser

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


def _subparsers():
    p = parser()
    action = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    return p, action.choices


def _help(p) -> str:
    return p.format_help()


@pytest.fixture(autouse=True)
def fixed_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width


def _commands() -> list[str]:
    return ["villagecat", *_subparsers()[1]]


@pytest.mark.parametrize("command", _commands())
def test_help_golden(command):
    top, subs = _subparsers()
    text = _help(top if command == "villagecat" else subs[command])
    path = GOLDEN / f"{command}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli"
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "actual"))
        pytest.fail(f"villagecat {command} --help changed. If intended, run UPDATE_GOLDEN=1 .venv/bin/python -m pytest "
                    f"tests/cli, update README.md's command table, and review the diff.\n{diff}")


def test_every_golden_is_a_command():
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(_commands())


def _readme_table() -> dict[str, set[str]]:
    """``{sub-command: options}`` from the rows of README.md's command table (first cell)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.startswith("| `villagecat "):
            continue
        first = line.split(" | ", 1)[0]
        for cell in re.findall(r"`villagecat ([^`]*)`", first):
            name = cell.split()[0]
            rows.setdefault(name, set()).update(re.findall(r"--[a-z][a-z-]*", cell))
    return rows


def test_readme_command_table_matches_the_parser():
    _, subs = _subparsers()
    table = _readme_table()
    assert set(table) == set(subs), "README.md's command table and the parser's sub-commands differ"
    for name, sp in subs.items():
        options = {o for a in sp._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
        assert table[name] == options, (name, sorted(table[name] ^ options))
