"""Coverage: for each region and list kind, how much of the real list the catalogue holds.

A cell is ``complete``, ``partial`` (n of m), ``examples``, ``known`` (a document is known to
exist — in ``known-documents.csv`` or as a source without text — but its items are not here) or
``unknown``. Computed from the model only; the site's coverage page and ``villagecat coverage``
render it.

>>> from villagecat.reader import read_catalogue
>>> cov = coverage(read_catalogue("."))
>>> cov.cell("150000", "duties").status
'complete'
"""

from __future__ import annotations

from dataclasses import dataclass, field, asdict

from villagecat.model import KINDS, Catalogue
from villagecat.textpolicy import visible

STATUS_ZH = {"complete": "完整", "partial": "部分", "examples": "仅示例", "known": "已知未录入", "unknown": "未知"}
STATUS_EN = {"complete": "complete", "partial": "partial", "examples": "examples only", "known": "known, not transcribed", "unknown": "unknown"}
STATUS_ORDER = ["complete", "partial", "examples", "known", "unknown"]


@dataclass
class Cell:
    region: str
    kind: str
    status: str
    count: int = 0  # items in the catalogue
    reported_total: int | None = None
    missing: str = ""
    documents: list[str] = field(default_factory=list)  # known-documents ids (and source titles) that cover this cell

    @property
    def label(self) -> str:
        """Short Chinese label for a matrix cell, e.g. ``部分 7/9``."""
        zh = STATUS_ZH[self.status]
        if self.status in ("partial", "examples"):
            return f"{zh} {self.count}/{self.reported_total}" if self.reported_total else f"{zh} {self.count}"
        if self.status == "complete":
            return f"{zh} {self.count}"
        return zh


@dataclass
class Coverage:
    regions: list[dict]  # adcode, name, level, folder
    kinds: list[str]
    cells: list[Cell]

    def cell(self, region: str, kind: str) -> Cell:
        for c in self.cells:
            if c.region == region and c.kind == kind:
                return c
        raise KeyError((region, kind))

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUS_ORDER}
        for c in self.cells:
            out[c.status] += 1
        return out

    def as_dict(self) -> dict:
        return {"regions": self.regions, "kinds": self.kinds, "counts": self.counts(),
                "cells": [asdict(c) for c in self.cells if c.status != "unknown"]}


def _kinds_of(text: str) -> list[str]:
    return [k.strip() for k in (text or "").split(";") if k.strip() in KINDS]


def coverage(cat: Catalogue) -> Coverage:
    """The region × kind matrix over every region in regions.csv."""
    known: dict[tuple[str, str], list[str]] = {}
    for row in cat.known_documents():
        if row.get("status") == "transcribed":
            continue
        for kind in _kinds_of(row.get("kinds", "")):
            known.setdefault((row.get("region", ""), kind), []).append(row.get("id", ""))
    regions = sorted(cat.regions.values(), key=lambda r: r.adcode)
    cells: list[Cell] = []
    for region in regions:
        for kind in KINDS:
            lst = region.lists.get(kind)
            docs = known.get((region.adcode, kind), [])
            if lst is not None:
                status = lst.status if lst.status in ("complete", "partial", "examples") else "partial"
                cells.append(Cell(region.adcode, kind, status, len(lst.items), lst.reported_total,
                                  str(lst.completeness.get("missing") or ""), docs))
            elif docs:
                cells.append(Cell(region.adcode, kind, "known", documents=docs))
            else:
                cells.append(Cell(region.adcode, kind, "unknown"))
    return Coverage(
        regions=[{"adcode": r.adcode, "name": r.name, "level": r.level, "folder": r.folder or ""} for r in regions],
        kinds=list(KINDS), cells=cells)


def render_text(cov: Coverage) -> str:
    """A plain matrix, Chinese first, for the terminal."""
    head = ["地区"] + [KINDS[k][1] for k in cov.kinds]
    lines = ["\t".join(head)]
    for r in cov.regions:
        # Region codes and names are data: a control character in one is shown, not sent to the terminal.
        row = [visible(f"{r['adcode']} {r['name']}")] + [cov.cell(r["adcode"], k).label for k in cov.kinds]
        lines.append("\t".join(row))
    c = cov.counts()
    lines.append("合计 / totals: " + "，".join(f"{STATUS_ZH[s]} {c[s]}" for s in STATUS_ORDER))
    return "\n".join(lines) + "\n"
