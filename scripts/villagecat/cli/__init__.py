"""The one command-line entry point, ``villagecat``; each sub-command is a thin module here.

Exit codes: 0 success/valid, 1 invalid (validation problems, a refused release), 2 usage error or
a failure the user must fix first. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from villagecat import __version__

COMMANDS = ["validate", "sync", "coverage", "build", "serve", "diff", "release", "export", "errors"]


class UsageError(Exception):
    """A problem with how the command was called; printed in Chinese and English, exit 2."""


def repo_root(path):
    """The catalogue repository at or above ``path``, or a UsageError that says so (shared option)."""
    from villagecat.validate import find_root

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
            module = importlib.import_module(f"villagecat.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"villagecat.cli.{name}":
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
    except Exception as exc:  # the last line of defence: never a traceback for users
        if args.debug:
            raise
        print(f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
              f"请加 --debug 重试并报告此问题 / rerun with --debug and report it.", file=sys.stderr)
        return 2
