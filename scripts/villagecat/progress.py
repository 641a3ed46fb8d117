"""Progress output for the long commands (build, publish, export, validate), drawn with rich.

Shown only on stderr, only when stderr is a terminal, and only once the work has taken more than
a second: never in JSON or GitHub output (that goes to stdout), in pipes, in CI logs or in tests'
captured output. ``VILLAGECAT_PROGRESS=0`` turns it off.

>>> with Progress("work", total=2) as p:   # not a terminal here: nothing is drawn
...     p.step("a"); p.step("b")
>>> p.shown
False
"""

from __future__ import annotations

import os
import sys
import threading

DELAY = 1.0  # seconds before anything is drawn


def enabled(stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("VILLAGECAT_PROGRESS", "1") == "0":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """``with Progress(label, total) as p: p.step(what)`` — a bar after :data:`DELAY` seconds."""

    def __init__(self, label: str, total: int | None = None, stream=None, delay: float = DELAY, on: bool = True):
        self.label, self.total, self.delay = label, total, delay
        self.stream = stream if stream is not None else sys.stderr
        self.on = on and enabled(self.stream)
        self.done = 0
        self.what = ""
        self.shown = False
        self._bar = None
        self._task = None
        self._lock = threading.Lock()
        self._timer = None

    def __enter__(self) -> "Progress":
        if self.on:  # drawn only if the work is still going after the delay
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _show(self) -> None:
        with self._lock:
            if self._bar is not None or not self.on:
                return
            self._start()

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
        self._bar.start()
        self._task = self._bar.add_task(f"{self.label} {self.what}".strip(), total=self.total, completed=self.done)
        self.shown = True

    def step(self, what: str = "", advance: int = 1) -> None:
        """Count one unit of work as begun (``what`` names it)."""
        if not self.on:
            return
        with self._lock:
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done, description=f"{self.label} {what}".strip())
            self.done += advance
            self.what = what

    def __exit__(self, *exc) -> None:
        with self._lock:
            self.on = False
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
                self._bar = None
