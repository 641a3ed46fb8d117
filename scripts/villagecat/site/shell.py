"""Pages written from a shell: every generated page outside the nav, rendered without mkdocs' page loop.

mkdocs costs ≈ 3.5 ms a page (its theme templates, the navigation block above all); at national
size (≈ 500k items, ≈ 26k region and list pages) that alone is more than the build's budget. But
every page that is not in the nav — a region, a list, an item, a law, a comparison — gets the same
theme around its body: the same header, the same nav (none of them is active in it), the same
scripts. Only four things differ: the title, the body, the page's own address (in the canonical
link and the "latest version" link) and how deep the page is (its relative links ``../../``).

So mkdocs renders one *shell* page per folder depth, with placeholders for the title, the body and
the address (:func:`shell_path`); :class:`Shell` cuts its output at the placeholders once, and
:func:`write_pages` fills it for each page: the body rendered from its template (autoescape, as
before) and the title escaped exactly as mkdocs would print it (the theme prints the front matter's
title unescaped, so pages put it there escaped: :meth:`villagecat.site.pages.Page.markdown`). The
shells are removed from the output afterwards. Pages are written by worker processes (``fork``) over
both cores while mkdocs and the search index go on (:class:`Writers`); a rebuild rewrites only the
regions whose content, or anything every page shows, changed (:mod:`villagecat.site.incremental`).

Why and the measurements: maintainers/site-build.md ("Pages outside mkdocs' page loop").
"""

from __future__ import annotations

import os
import re
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

from villagecat.parallel import Forked, WriterFailed, can_fork, default_jobs, frozen  # noqa: F401  (re-exported)
from villagecat.site.html import esc
from villagecat.site.pages import Page, url_of

TITLE = "vcshellzzztitle"  # placeholders: lower-case ASCII, nothing mkdocs or the theme escapes or changes
# The theme adds an <h1> with the title to a body holding none ("\u003ch1" not in page.content, in
# material's partials/content.html): the body placeholder holds one, and Shell.fill does the same.
BODY = "<!-- vcshellzzzbody <h1> -->"
SEGMENT = "vcshellzzz"  # the shells' folder names (no item, region or law id can look like this)


def shell_path(depth: int) -> str:
    """The docs path of the shell page for pages ``depth`` folders deep (``items/X/`` is 2)."""
    if depth < 1:
        raise ValueError("a shell is at least one folder deep")
    return "/".join([SEGMENT] * (depth - 1) + [f"{SEGMENT}{depth}"]) + ".md"


def depth_of(path: str) -> int:
    """How many folders deep a generated page's address is: ``regions/150000/duties.md`` → 3."""
    return url_of(path).count("/")


def is_shell(path: str) -> bool:
    return path.split("/", 1)[0].startswith(SEGMENT)


def title_html(title: str) -> str:
    """The title as the theme prints a generated page's (its front matter holds it escaped)."""
    return esc(title).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class Shell:
    """One shell page's output cut at its placeholders: literal text and the names of the holes."""

    parts: tuple  # str literal, or ("title",) / ("body",) / ("url",)
    depth: int

    @classmethod
    def parse(cls, html: str, depth: int) -> "Shell":
        url = url_of(shell_path(depth))
        pattern = re.compile("|".join(re.escape(t) for t in (url, TITLE, BODY)))
        parts: list = []
        last = 0
        counts = {"title": 0, "body": 0, "url": 0}
        for m in pattern.finditer(html):
            parts.append(_compact(html[last:m.start()]))
            hole = {url: "url", TITLE: "title", BODY: "body"}[m.group(0)]
            counts[hole] += 1
            parts.append((hole,))
            last = m.end()
        parts.append(_compact(html[last:]))
        if counts["body"] != 1 or counts["title"] < 1:
            raise ValueError(f"shell page at depth {depth}: expected one body and a title placeholder, found {counts}")
        if SEGMENT in "".join(p for p in parts if isinstance(p, str)):
            raise ValueError(f"shell page at depth {depth}: its address appears in a form that is not replaced")
        return cls(tuple(parts), depth)

    def fill(self, title: str, body: str, url: str, templates: Path | None = None) -> str:
        if "<h1" not in body:  # as the theme does (see BODY)
            from villagecat.site.render import render

            body = render("shell/heading.html", {"title": title}, templates) + "\n" + body
        values = {"title": title_html(title), "body": body, "url": esc(url)}
        return "".join(p if isinstance(p, str) else values[p[0]] for p in self.parts)


_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def _compact(text: str) -> str:
    """The theme's indentation and blank lines dropped (one newline kept): ≈ 60 % of a page's bytes.

    Whitespace between tags collapses to one space in HTML anyway; the shell's literal parts hold no
    ``<pre>`` or ``<textarea>`` (the body, which may, is never compacted)."""
    if re.search(r"<(pre|textarea)\b", text):
        return text
    return _INDENT.sub("\n", text)


def page_file(out: Path, path: str) -> Path:
    """Where a page's HTML goes: ``items/X.md`` → ``out/items/X/index.html``."""
    return out / url_of(path) / "index.html"


def write_page(out: Path, shells: dict[int, Shell], page: Page, templates: Path) -> None:
    html = shells[depth_of(page.path)].fill(page.title, page.render(templates), url_of(page.path), templates)
    target = page_file(out, page.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html.encode("utf-8", "xmlcharrefreplace"))


def remove_shells(out: Path) -> None:
    for child in out.iterdir() if out.is_dir() else ():
        if child.name.startswith(SEGMENT):
            shutil.rmtree(child) if child.is_dir() else child.unlink()


# ---- worker processes -------------------------------------------------------------------------



class Writers:
    """Write groups of pages in worker processes (``fork``: they share the catalogue read once).

    ``groups`` is a list of ``(key, make)``: ``make()`` yields the group's pages (called in the
    worker, so item pages are never all held). Groups are dealt out greedily by ``weight``. With
    ``jobs`` ≤ 1, or where ``fork`` is missing, :meth:`start` does nothing and :meth:`join` writes
    every group in this process.
    """

    def __init__(self, out: Path, shells: dict[int, Shell], templates: Path, groups: list, jobs: int):
        self.out, self.shells, self.templates, self.groups = out, shells, templates, groups
        self.jobs = jobs if can_fork() else 1
        self.procs: list = []
        self.written = 0

    def write(self, groups) -> int:
        """Write ``groups`` in this process (a worker's share, or the pages the parent keeps for
        itself); how many pages."""
        n = 0
        for _key, _weight, make in groups:
            for page in make():
                write_page(self.out, self.shells, page, self.templates)
                n += 1
        return n

    def start(self) -> None:
        if self.jobs <= 1 or not self.groups:
            return
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        shares: list[list] = [[] for _ in range(self.jobs)]
        loads = [0] * self.jobs
        for group in sorted(self.groups, key=lambda g: -g[1]):
            k = loads.index(min(loads))
            shares[k].append(group)
            loads[k] += group[1]
        with frozen():  # the catalogue's objects stay shared: the collector would otherwise touch (copy) them
            for share in shares:
                if not share:
                    continue
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=self._child, args=(share, send), daemon=True)
                proc.start()
                send.close()
                self.procs.append((proc, recv))

    def _child(self, share, send) -> None:
        try:
            send.send(("ok", self.write(share)))
        except BaseException:  # noqa: BLE001  (any failure goes back to the parent as a message)
            send.send(("error", traceback.format_exc()))
        finally:
            send.close()
            os._exit(0)  # no atexit handlers or inherited buffers of the parent run in the child

    def join(self) -> int:
        if not self.procs:
            self.written = self.write(self.groups)
            return self.written
        errors = []
        for proc, recv in self.procs:
            try:
                status, value = recv.recv()
            except EOFError:
                status, value = "error", f"worker {proc.pid} ended without a word (exit code {proc.exitcode})"
            proc.join()
            if status == "ok":
                self.written += value
            else:
                errors.append(value)
        self.procs = []
        if errors:
            raise WriterFailed("生成页面失败 / writing pages failed:\n" + "\n".join(errors))
        return self.written

    def stop(self) -> None:
        for proc, _recv in self.procs:
            if proc.is_alive():
                proc.kill()
            proc.join()
        self.procs = []
