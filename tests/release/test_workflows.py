"""The GitHub workflows hold to the rules that keep a hostile pull request away from tokens and the site.

Parsed with PyYAML: least-privilege ``permissions``, actions pinned by full commit SHA, no token
left in a checkout, no ``${{ }}`` expanded inside a shell script, no checkout in the workflow that
may write, and every ``villagecat`` sub-command a workflow calls exists.
"""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from villagecat.cli import parser

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # PyYAML reads the key `on` as true
    return data


def steps(data):
    for name, job in data["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"pull-request.yml", "pr-comment.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_explicit_and_least(path):
    data = load(path)
    assert data.get("permissions") == {"contents": "read"}, "top-level permissions: contents: read"
    triggers = data["on"] if isinstance(data["on"], (list, dict)) else [data["on"]]
    for name, job in data["jobs"].items():
        perms = job.get("permissions", {})
        assert isinstance(perms, dict) and "write-all" not in str(perms)
        if "pull_request" in triggers or "pull_request_target" in triggers:
            assert "write" not in perms.values(), f"{name}: a job running pull-request code may not write"
    assert "pull_request_target" not in triggers


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_by_commit_sha(path):
    text = path.read_text(encoding="utf-8")
    for _, _, step in steps(load(path)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    for line in text.splitlines():
        if re.search(r"\buses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"pin with the tag in a comment: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_run_and_no_token_in_checkouts(path):
    for name, _, step in steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{name}: pass values through env:, never ${{{{ }}}} inside run:"
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"{name}: persist-credentials: false"


def test_the_commenting_workflow_runs_no_pull_request_code():
    data = load(REPO / ".github" / "workflows" / "pr-comment.yml")
    assert set(data["on"]) == {"workflow_run"}
    for name, job, step in steps(data):
        assert not str(step.get("uses", "")).startswith("actions/checkout@"), "never check out the pull request"
        run = step.get("run", "")
        assert not re.search(r"\b(villagecat|make|pip|python3?|bash \.ci|npm|git)\b", run), run
    perms = data["jobs"]["comment"]["permissions"]
    assert perms == {"actions": "read", "pull-requests": "write"}


def test_pull_request_job_judges_with_base_tools_and_compares_records():
    data = load(REPO / ".github" / "workflows" / "pull-request.yml")
    runs = [step.get("run", "") for _, _, step in steps(data)]
    validate = next(r for r in runs if "villagecat validate" in r)
    assert validate.startswith("tools/.venv/bin/villagecat") and "--base" in validate
    uploads = [s for _, _, s in steps(data) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["name"] == "pr-comment"


def test_every_villagecat_command_used_exists():
    sub = next(a for a in parser()._actions if a.dest == "command")
    known = set(sub.choices)
    calls = []
    for path in WORKFLOWS:
        for _, _, step in steps(load(path)):
            for line in step.get("run", "").splitlines():
                if re.search(r"villagecat\s", line):
                    words = shlex.split(line.split(">")[0])
                    calls.append(words[next(i for i, w in enumerate(words) if w.endswith("villagecat")) + 1:])
    assert calls and {c[0] for c in calls} <= known, {c[0] for c in calls} - known
    for argv in calls:  # …and the options they pass parse
        parser().parse_args(argv)
