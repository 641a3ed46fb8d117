"""``villagecat`` as a command ends without tearing the interpreter down (villagecat.cli.run): what
it printed still arrives whole, its exit code is the command's, and exit handlers still run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_output_arrives_whole_with_the_commands_exit_code(tmp_path):
    codes = subprocess.run([sys.executable, "-m", "villagecat", "errors", "--format", "json"],
                           capture_output=True, text=True, cwd=REPO)
    # every byte of an output larger than the stream's buffer, flushed before the process ended
    assert codes.returncode == 0 and len(codes.stdout) > 8192 and json.loads(codes.stdout)
    invalid = tmp_path / "invalid"
    shutil.copytree(REPO / "tests" / "fixtures" / "invalid" / "cell-type" / "catalogues", invalid / "catalogues")
    shutil.copytree(REPO / "schemas", invalid / "schemas")
    bad = subprocess.run([sys.executable, "-m", "villagecat", "validate", str(invalid), "--format", "json"],
                         capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 1 and json.loads(bad.stdout)["valid"] is False
    usage = subprocess.run([sys.executable, "-m", "villagecat", "diff", "no-such-ref", "--repo", str(tmp_path)],
                           capture_output=True, text=True, cwd=REPO)
    assert usage.returncode == 2 and "error" in usage.stderr


def test_exit_handlers_run(tmp_path):
    mark = tmp_path / "handler-ran"
    code = ("import atexit, sys; from pathlib import Path; from villagecat.cli import run; "
            f"atexit.register(lambda: Path({str(mark)!r}).write_text('yes')); "
            "sys.argv = ['villagecat', 'errors']; run()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and done.stdout.strip() and mark.read_text() == "yes"
