"""Hostile input at the command-line boundary: ``villagecat validate`` run as a user runs it.

Each case is a fixture from tests/fixtures/invalid/ copied into a temporary repository. We check the
exit code (0 valid, 1 invalid, 2 usage), that no traceback escapes, and that the advice a
contributor needs (the iconv command, the sed command …) is printed. Every subprocess of this module
runs once, in parallel, before the tests read the results.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from validate_harness import INVALID, NMG, REPO, VALID, materialise, run_cli
from villagecat.validate import validate

DUTIES = f"{NMG}/duties.csv"

# fixture → text the output must contain (beyond the rule codes, which are always checked). The
# other fixtures take the same code paths; the golden tests check their reports in-process.
HOSTILE = {
    "encoding-gbk": f"iconv -f GB18030 -t UTF-8 '{DUTIES}' > tmp.csv && mv tmp.csv '{DUTIES}'",
    "encoding-gb18030": f"iconv -f GB18030 -t UTF-8 '{DUTIES}'",
    "encoding-utf16": f"iconv -f UTF-16 -t UTF-8 '{DUTIES}'",
    "encoding-gbk-yaml": f"iconv -f GB18030 -t UTF-8 '{NMG}/catalogue.yaml'",
    "utf8-bom": f"sed -i '1s/^\\xEF\\xBB\\xBF//' '{DUTIES}'",
    "binary-nul": "NUL",
    "file-empty": "至少写入表头一行",
    "csv-malformed": "英文双引号是否成对",
    "row-length": "多了或少了逗号",
    "header-unknown-column": "'remarks'",
    "header-missing-column": "'note'",
    "yaml-syntax": "只用空格",
    "yaml-not-mapping": "顶层应是“键: 值”映射",
    "yaml-alias-bomb": "把别名处的内容直接写出来",
    "resource-path-parent": "'../../../../etc/passwd'",
    "resource-path-absolute": "'/etc/passwd'",
    "resource-path-symlink": "resource-path-unsafe",
    "file-too-large-csv": "超过上限 52428800 字节",
    # hostile pull requests: bounds, special files, links out (see also test_hostile_bounds.py)
    "csv-too-many-rows": "文件超过 200000 行",
    "csv-too-many-columns": "超过 64 个单元格",
    "csv-too-many-cells": "单元格总数超过 2000000",
    "problems-truncated": "另有 5 个问题未列出",
    "yaml-too-deep": "嵌套层数超过 64",
    "not-a-regular-file": "命名管道（FIFO）",
    "path-outside-repository": "catalogues/440000-guangdong 是指向仓库之外的符号链接",
    "encoding-big5": "不要按 GB18030 转换",
    "encoding-shift-jis": "看起来可能是 Shift-JIS",
}

USAGE = {
    "nonexistent": ["validate", "no/such/folder"],
    "outside": ["validate", "/"],
    "not-a-catalogue-folder": ["validate", "docs"],  # inside the repository, but holds no catalogue
    "bad-format": ["validate", "--format", "xml"],
    "bad-option": ["validate", "--no-such-option"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """name → completed process, for every command line of this module."""
    base = tmp_path_factory.mktemp("cli")
    jobs = {}
    for name in HOSTILE:
        root = materialise(INVALID / name, base / name)
        jobs[name] = (["validate", str(root)], root)
    valid = materialise(VALID / "minimal", base / "valid")
    law = materialise(INVALID / "unknown-law", base / "unknown-law")
    source = materialise(INVALID / "unknown-source", base / "unknown-source")
    jobs.update({
        "valid": (["validate", str(valid)], valid),
        "json": (["validate", "--format", "json", str(law)], REPO),
        "github": (["validate", "--format", "github", str(law)], REPO),
        "github-warning": (["validate", "--format", "github", str(base / "utf8-bom")], REPO),
        "max": (["validate", "--max", "1", str(law)], REPO),
        "region": (["validate", "catalogues/150000-neimenggu"], source),
    })
    jobs.update({f"usage-{name}": (args, REPO) for name, args in USAGE.items()})
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = pool.map(lambda job: run_cli(*job[0], cwd=job[1]), jobs.values())
        out = dict(zip(jobs, procs))
    out["roots"] = {"unknown-law": law, "utf8-bom": base / "utf8-bom"}
    return out


def no_traceback(proc):
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input(name, runs):
    golden = json.loads((INVALID / name / "expected.json").read_text(encoding="utf-8"))
    proc = runs[name]
    no_traceback(proc)
    assert proc.returncode == (0 if golden["valid"] else 1), proc.stdout + proc.stderr
    for _, _, _, rule in golden["problems"]:
        assert f"[{rule}]" in proc.stdout
    assert HOSTILE[name] in proc.stdout
    assert "root:" not in proc.stdout  # nothing of /etc/passwd ever shows


def test_text_output_equals_golden(runs):
    """What the CLI prints is exactly the golden text report of the library."""
    for name in ("encoding-gbk", "yaml-alias-bomb", "resource-path-parent"):
        assert runs[name].stdout == (INVALID / name / "expected.txt").read_text(encoding="utf-8")


def test_valid_repository_exits_0(runs):
    proc = runs["valid"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "校验通过" in proc.stdout and "Valid:" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize("name", sorted(USAGE))
def test_usage_errors_exit_2(name, runs):
    proc = runs[f"usage-{name}"]
    assert proc.returncode == 2, proc.stdout + proc.stderr
    no_traceback(proc)
    assert proc.stderr.strip()


def test_region_folder_argument(runs):
    proc = runs["region"]
    assert proc.returncode == 1
    assert "[unknown-source]" in proc.stdout
    assert "catalogues/regions.csv" not in proc.stdout


def test_json_equals_library(runs):
    """``--format json`` prints the library's ``validate().as_dict()``, nothing more or less."""
    proc = runs["json"]
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out == validate(runs["roots"]["unknown-law"]).as_dict()
    assert set(out) >= {"valid", "errors", "stats"}
    assert out["valid"] is False
    for error in out["errors"]:
        assert {"file", "row", "column", "rule", "message", "advice"} <= set(error)
        assert error["message"] and error["advice"]


def test_github_format_emits_annotations(runs):
    report = validate(runs["roots"]["unknown-law"])
    proc = runs["github"]
    assert proc.returncode == 1
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == len(report.errors) > 0
    for line, p in zip(errors, report.errors):
        assert line.startswith(f"::error file={p.file},line={p.row},title={p.rule}::")
        assert p.message in line
    assert "校验未通过" in proc.stdout
    assert "未列出" not in proc.stdout  # every problem is an annotation: none is "not shown"


def test_github_format_warnings(runs):
    proc = runs["github-warning"]
    assert proc.returncode == 0
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith("::warning file=catalogues/150000-neimenggu/duties.csv,line=1,title=utf8-bom::")


def test_text_cap(runs):
    """``--max`` caps the text listing and says how many more there are."""
    proc = runs["max"]
    assert proc.returncode == 1
    assert proc.stdout.count("错误 [unknown-law]") == 1
    assert "另有 1 个问题未列出" in proc.stdout
