"""Work over both cores: a function run in a forked child process, its result sent back.

Used where one build, export or diff has independent parts: the site build's validation while
its pages are written (:mod:`villagecat.site.shell`), the downloads shared between two processes
(:mod:`villagecat.exports.build`), part of a diff's differing folders (:mod:`villagecat.diff`).
``fork`` shares the catalogue read once (``gc.freeze`` keeps its pages from being copied by the
collector); where ``fork`` is missing, or with one job, the function runs in this process when its
result is asked for.
"""

from __future__ import annotations

import os
import traceback
from contextlib import contextmanager


class WriterFailed(RuntimeError):
    """A child process could not do its part (the message holds its traceback)."""


def default_jobs() -> int:
    """Processes to use: one per core this process may use (``VILLAGECAT_JOBS`` overrides)."""
    env = os.environ.get("VILLAGECAT_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def frozen():
    """Around forking: what exists is frozen (``gc.freeze``), so the children's collectors never
    touch (copy) the parent's memory pages. Only the young generations are collected first: a full
    collection walks every object (4–5 s in a national rebuild, once per fork), and an old object
    is as well frozen as freed."""
    import gc

    gc.collect(1)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class Forked:
    """One function run in a forked child (some of the downloads, while the others are written), its
    result sent back; without ``fork`` (or ``jobs`` ≤ 1) it runs in this process at :meth:`result`."""

    def __init__(self, fn, *args, fork: bool = True):
        self.fn, self.args, self.proc, self.recv = fn, args, None, None
        if fork and can_fork():
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            self.recv, send = ctx.Pipe(duplex=False)
            with frozen():
                self.proc = ctx.Process(target=self._child, args=(send,), daemon=True)
                self.proc.start()
            send.close()

    def _child(self, send) -> None:
        try:
            send.send(("ok", self.fn(*self.args)))
        except BaseException:  # noqa: BLE001
            send.send(("error", traceback.format_exc()))
        finally:
            send.close()
            os._exit(0)

    def result(self):
        if self.proc is None:
            return self.fn(*self.args)
        try:
            status, value = self.recv.recv()
        except EOFError:
            status, value = "error", f"process {self.proc.pid} ended without a word (exit code {self.proc.exitcode})"
        self.proc.join()
        self.proc = None
        if status != "ok":
            raise WriterFailed(value)
        return value

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join()
            self.proc = None


