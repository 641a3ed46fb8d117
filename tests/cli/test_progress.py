"""Progress goes to a terminal's stderr only, and only once the work has taken more than a second."""

import io
import time

from villagecat.progress import Progress


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_nothing_on_a_pipe_or_for_quick_work(monkeypatch):
    monkeypatch.delenv("VILLAGECAT_PROGRESS", raising=False)
    pipe = io.StringIO()
    with Progress("x", 2, stream=pipe, delay=0) as p:
        p.step("a")
        time.sleep(0.05)
    assert not p.shown and pipe.getvalue() == ""
    tty = Tty()
    with Progress("x", 2, stream=tty, delay=1.0) as p:
        p.step("a")
    assert not p.shown and tty.getvalue() == ""


def test_drawn_on_a_terminal_after_the_delay(monkeypatch):
    monkeypatch.delenv("VILLAGECAT_PROGRESS", raising=False)
    tty = Tty()
    with Progress("校验", 2, stream=tty, delay=0.01) as p:
        p.step("structure")
        time.sleep(0.3)
        p.step("rules")
    assert p.shown
    with Progress("校验", 2, stream=tty, delay=0.01, on=False) as q:  # e.g. --format json
        time.sleep(0.1)
    assert not q.shown
