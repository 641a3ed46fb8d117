"""Validation: the three layers of the design over one catalogue, collected into one :class:`Report`.

>>> report = validate(".")
>>> sorted(report.as_dict())
['errors', 'stats', 'valid', 'warnings']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from villagecat import rules
from villagecat.metadata import check_metadata
from villagecat.model import Catalogue
from villagecat.parallel import default_jobs
from villagecat.problems import ERROR, Problem, cap
from villagecat.reader import read_tree, read_tree_checked
from villagecat.structure import check_structure
from villagecat.trees import FolderTree, find_root


@dataclass
class Report:
    problems: list[Problem]
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        stats = dict(self.stats, problems=len(self.errors), warnings=len(self.warnings))
        return {"valid": self.valid, "errors": [p.as_dict() for p in self.errors],
                "warnings": [p.as_dict() for p in self.warnings], "stats": stats}

    def flat(self) -> list[tuple]:
        """``[(file, row, column, rule), …]``: the shape tests compare."""
        return [(p.file, p.row, p.column, p.rule) for p in self.problems]


def check_regions(cat: Catalogue, regions) -> list[Problem]:
    """What looks at one region at a time (its lists' structure, its ``catalogue.yaml``, the rules
    marked ``REGIONAL``), over ``regions`` (adcodes): run where those regions are read
    (:func:`read_tree_checked`)."""
    out = check_structure(cat, regions, shared=False) + check_metadata(cat, regions)
    for module in rules.load_all():
        if getattr(module, "REGIONAL", False):
            out += list(module.check(cat, regions, shared=False))
    return out


def check_catalogue(cat: Catalogue, progress=None, checked: tuple[list, set] | None = None) -> Report:
    """Every layer over an already-read catalogue (any tree: folder or git), against its own schemas.
    ``progress`` (a :class:`villagecat.progress.Progress`) is told each layer as it starts;
    ``checked`` is ``(problems, adcodes)`` of :func:`check_regions` already run over those regions."""
    step = progress.step if progress is not None else (lambda what: None)
    done, codes = checked or ([], set())
    problems = list(cat.problems) + list(done)
    rest = {r.adcode for r in cat.catalogued_regions()} - codes if codes else None
    step("structure")
    problems += check_structure(cat, rest)
    step("metadata")
    problems += check_metadata(cat, rest)
    for module in rules.load_all():
        step(module.__name__.rsplit(".", 1)[-1])
        problems += list(module.check(cat, rest) if getattr(module, "REGIONAL", False) else module.check(cat))
    unique = {(p.key(), p.message): p for p in problems}
    ordered = sorted(unique.values(), key=lambda p: p.key())
    return Report(cap(ordered), cat.stats())


def validate(path: str | Path = ".", schema_root: str | Path | None = None, base: str | None = None,
             cat: Catalogue | None = None, progress=None, jobs: int | None = None) -> Report:
    """Validate the working tree at ``path`` (the repository, or a folder inside it).

    ``schema_root`` (a folder holding ``schemas/``) replaces the tree's own schemas; ``cat`` is the
    repository's catalogue when the caller has already read it (``villagecat build``), so that
    the tree is read once. ``jobs`` (default: one per core) > 1 reads a large tree with two
    processes, each checking the regions it reads (:func:`read_tree_checked`); the report is the same.

    When ``path`` is a region folder, the problems in that folder are reported, and those found
    elsewhere that concern it (:mod:`villagecat.scope`); the rest of the catalogue is still read,
    since rules look at ancestors and shared tables. With ``base`` (a git ref, e.g. the pull
    request's base branch), every release record of the base's ``releases.yaml`` must still be
    there unchanged (LookupError when ``base`` cannot be resolved).
    """
    # A path that does not exist would otherwise resolve to the repository above it and, being
    # filtered to nothing, pass as valid.
    if not Path(path).exists():
        raise FileNotFoundError(path)
    root = find_root(path)
    if root is None:
        raise FileNotFoundError(path)
    target = Path(path).resolve()
    # Any other folder of the repository (docs/, a test fixture) holds no catalogue: filtering the
    # report to it would pass whatever it contains.
    if target != root and root / "catalogues" not in (target, *target.parents):
        raise FileNotFoundError(path)
    checked = None
    if cat is None:
        if progress is not None:
            progress.step("read")
        if schema_root is None:  # (other schemas replace the tree's after the read: checked after it)
            cat, done, codes = read_tree_checked(FolderTree(root), check_regions, default_jobs() if jobs is None else jobs)
            checked = (done, codes)
        else:
            cat = read_tree(FolderTree(root))
    if schema_root is not None:
        from villagecat.schemas import load_schemas

        cat.schemas = load_schemas(FolderTree(schema_root), cat.problems)
    report = check_catalogue(cat, progress, checked)
    if base is not None:
        from villagecat.rules.release_records import check_base

        extra = check_base(cat, base)
        if extra:
            report.problems = sorted([*report.problems, *extra], key=lambda p: p.key())
    if target != root:
        from villagecat.scope import concerns

        rel = target.relative_to(root).as_posix()
        inside = [r for r in cat.catalogued_regions() if f"catalogues/{r.folder}" == rel or rel.startswith(f"catalogues/{r.folder}/")]
        # A region folder also gets the problems found elsewhere that are about it (an id it shares
        # with another region, its register rows, the laws it cites): see villagecat.scope.
        whole = [r for r in inside if f"catalogues/{r.folder}" == rel]
        report.problems = [p for p in report.problems if p.file == rel or p.file.startswith(rel + "/")
                           or any(concerns(p, cat, r) for r in whole)]
        if inside:  # a region folder (or a file in one): count what was checked there
            lists = [l for r in inside for l in r.lists.values()]
            report.stats = dict(report.stats, regions=len(inside), lists=len(lists), items=sum(len(l.items) for l in lists))
    return report
