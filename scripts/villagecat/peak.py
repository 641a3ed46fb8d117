"""Run a command and record its true peak memory: ``python peak.py REPORT CMD [ARG …]``.

Linux carries a process's peak resident size (``ru_maxrss``) across ``exec``, and a child started
by ``vfork``/``posix_spawn`` (what :mod:`subprocess` uses) execs out of its parent's address space,
so the child inherits the *parent's* high-water mark: a command started from a 600 MiB test
process reports 600 MiB even if it never uses 20. This file is run by path with ``-I -S``, so it
stays ≈ 10 MiB; the command it starts inherits that instead, and its ``wait4`` rusage (the command
and its waited-for descendants) is the command's own figure.

It writes ``{"maxrss": bytes}`` to REPORT and exits as the command did (128 + N after signal N).
Standard library only: it must not import the project (``-S`` leaves site-packages out).
"""

import json
import os
import subprocess
import sys


def main(argv: list[str]) -> int:
    report, command = argv[0], argv[1:]
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    with open(report, "w", encoding="utf-8") as fh:
        json.dump({"maxrss": usage.ru_maxrss * 1024}, fh)  # Linux reports kilobytes
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def wrap(report: str, command: list[str]) -> list[str]:
    """The argv that runs ``command`` under this file, with a small interpreter."""
    return [sys.executable, "-I", "-S", os.path.abspath(__file__), report, *command]


def read(report: str) -> int:
    """The peak bytes :func:`main` recorded; 0 when the wrapper was killed before writing."""
    try:
        with open(report, encoding="utf-8") as fh:
            return int(json.load(fh)["maxrss"])
    except (OSError, ValueError, KeyError):
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
