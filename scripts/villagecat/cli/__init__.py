"""The one command-line entry point, ``villagecat``; each sub-command is a thin module here.

Exit codes: 0 success/valid, 1 invalid (validation problems, a refused release), 2 usage error or
a failure the user must fix first. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from villagecat import __version__

COMMANDS = ["validate", "fmt", "sync", "coverage", "new-region", "import", "build", "serve", "diff", "release",
            "export", "errors"]


def module_name(command: str) -> str:
    """``new-region`` → ``new_region``; ``import`` (a keyword) → ``import_``."""
    import keyword

    name = command.replace("-", "_")
    return name + "_" if keyword.iskeyword(name) else name


class UsageError(Exception):
    """A problem with how the command was called; printed in Chinese and English, exit 2."""


def warn_unreadable(cat, what: str = "结果 / the result") -> None:
    """Say on stderr when reading found errors, so a figure is never shown as fact without that caveat."""
    from villagecat.textpolicy import visible

    unread = [p for p in cat.problems if p.severity == "error"]
    if unread:
        print(visible(f"提醒 / warning: 读取 {cat.label} 时发现 {len(unread)} 个问题（如 {unread[0].file}: {unread[0].message}），"
              f"{what}可能不完整，请运行 villagecat validate。/ reading {cat.label} found {len(unread)} problems "
              f"(e.g. {unread[0].file}: {unread[0].message_en}); it may be incomplete: run villagecat validate."),
              file=sys.stderr)


def repo_root(path):
    """The catalogue repository at or above ``path``, or a UsageError that says so (shared option)."""
    from villagecat.trees import find_root

    root = find_root(path)
    if root is None:
        raise UsageError(f"{path} 不在目录仓库中（找不到 catalogues/ 和 schemas/）/ not inside a catalogue repository")
    return root


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="villagecat",
        description="村级组织工作事务·机制牌子·证明事项 开放目录工具 / tools for the open catalogue of village-level duties, signs and certificates",
    )
    p.add_argument("--version", action="version", version=f"villagecat {__version__}")
    p.add_argument("--debug", action="store_true", help="出错时显示完整回溯 / show tracebacks")
    sub = p.add_subparsers(dest="command", metavar="命令")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"villagecat.cli.{module_name(name)}")
        except ModuleNotFoundError as exc:
            if exc.name == f"villagecat.cli.{module_name(name)}":
                continue
            raise
        sp = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.register(sp)
        sp.set_defaults(run=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "run", None):
        p.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # files, folders and ports: the user's environment, not our bug
        if args.debug:
            raise
        where = f"：{exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"错误 / error: {exc.strerror or exc}{where}\n"
              f"请检查路径、权限或端口 / check the path, permissions or port.", file=sys.stderr)
        return 2
    except Exception as exc:  # the last line of defence: never a traceback for users
        if args.debug:
            raise
        print(f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
              f"请加 --debug 重试并报告此问题 / rerun with --debug and report it.", file=sys.stderr)
        return 2


def run() -> NoReturn:
    """``villagecat`` as a command: :func:`main`, then out without tearing the interpreter down.

    A command that read a large catalogue ends holding millions of objects, and freeing them one by
    one at exit took 17 s after a national site build (2 GiB of them): longer than the rebuild's
    own writing. So the exit handlers run (``atexit``: temporary folders, logging), the standard
    streams are flushed, and the process ends there (``os._exit``), the memory going back whole.
    Every file a command writes is closed where it is written, never left to the interpreter's end."""
    import atexit
    import os

    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more can reach it
            pass
    os._exit(code)
