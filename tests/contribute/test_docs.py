"""The README's command table names every sub-command; the pull request template asks for the source."""

from pathlib import Path

from villagecat.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `villagecat ")]
    missing = [c for c in COMMANDS if not any(f"`villagecat {c}" in line.split(" | ")[0] for line in table)]
    assert not missing, f"README.md's command table lacks {missing}"


def test_pull_request_template_asks_for_the_source_document():
    text = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for word in ("标题", "发文机关", "文号", "日期", "网址", "修改原因"):
        assert word in text


def test_contributing_has_both_recipes():
    for path in (ROOT / "CONTRIBUTING.md", ROOT / "docs/contribute.md"):
        text = path.read_text(encoding="utf-8")
        assert "我有一张表格" in text and "我用 git" in text and "villagecat import" in text
