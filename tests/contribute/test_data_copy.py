"""A data-only pull request passes ``make test`` unchanged: a new region with two lists, added to a
copy of this repository's catalogue the way a contributor adds it (new-region, import), leaves the
data-dependent tests green when they run on that copy (``VILLAGECAT_DATA_ROOT``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import cli, write_xlsx
from villagecat.source_text import sha256
from villagecat.validate import validate

REPO = Path(__file__).resolve().parents[2]
DATA_TESTS = ["tests/validate/test_validate_data.py", "tests/coverage/test_coverage.py"]


def transcription(root: Path) -> str:
    """The pull request's transcription of its source, ``sources/yunnan-test.md``; returns its sha256."""
    body = "测试文件\n\n一、不应出具的证明：1. 测试不应出具的证明甲；2. 测试不应出具的证明乙。\n二、可以出具的证明：测试可以出具的证明丙。\n"
    head = f"---\ntitle: 测试文件\ndate: '2024'\nkind: official-text\nbody_sha256: {sha256(body.encode())}\n---\n"
    data = (head + body).encode("utf-8")
    (root / "sources" / "yunnan-test.md").write_bytes(data)
    return sha256(data)


def test_new_region_with_two_lists_keeps_data_tests_green(tmp_path, capsys):
    copy = tmp_path / "copy"
    for name in ("catalogues", "schemas", "sources"):
        shutil.copytree(REPO / name, copy / name)
    code, out, err = cli(capsys, "new-region", "530000", "--name", "云南省", "--parent", "000000", "--repo", str(copy))
    assert code == 0, err
    yml = copy / "catalogues/530000-yunnan/catalogue.yaml"
    yml.write_text(yml.read_text(encoding="utf-8").replace('    title: ""', "    title: 测试文件", 1)
                   .replace('    date: ""', '    date: "2024"', 1)
                   .replace('    path: ""', "    path: https://example.org/yunnan/2024.html", 1)
                   .replace('    file: ""', f"    file: sources/yunnan-test.md\n    sha256: {transcription(copy)}", 1),
                   encoding="utf-8")
    lists = {"negative-certificates": [["1", "测试不应出具的证明甲", "", ""], ["2", "测试不应出具的证明乙", "", ""]],
             "certificates": [["1", "测试可以出具的证明丙", "《中华人民共和国村民委员会组织法》", ""]]}
    for kind, items in lists.items():
        sheet = write_xlsx(tmp_path / f"{kind}.xlsx", items=items, title=f"测试{kind}")
        code, out, err = cli(capsys, "import", str(sheet), "--region", "530000", "--kind", kind,
                             "--source", "yunnan-source", "--repo", str(copy))
        assert code == 0, out + err
    report = validate(copy)
    assert report.valid, [p.as_dict() for p in report.errors]
    assert report.stats["regions"] == validate(REPO).stats["regions"] + 1
    env = dict(os.environ, VILLAGECAT_DATA_ROOT=str(copy))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser",
                           *DATA_TESTS], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
    # The data tests really read the copy: break it, and they fail.
    csv_path = copy / "catalogues/530000-yunnan/certificates.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("530000-C-001", "530000-C-1"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/validate/test_validate_data.py::test_repository_validates"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "530000-C-1" in proc.stdout
