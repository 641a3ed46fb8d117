"""The architecture's promises, checked: one read per tree, one registry, plumbing written once, no import cycles."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "scripts" / "villagecat"
VILLAGECAT = str(Path(sys.executable).with_name("villagecat"))


def _sources() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "scripts").rglob("*.py"))}


# ---------------------------------------------------------------- reads counted

class ReadCounter:
    """Counts ``read_bytes`` of every tree, by (tree, path): a tree is a folder or a git commit."""

    def __init__(self, monkeypatch):
        from villagecat import trees

        self.counts: Counter = Counter()
        for cls in (trees.FolderTree, trees.GitTree):
            real = cls.read_bytes

            def counted(tree, rel, limit=None, _real=real):
                ident = ("git", tree.commit or tree.ref) if isinstance(tree, trees.GitTree) else ("folder", str(tree.root))
                self.counts[(ident, trees.safe_join(rel))] += 1
                return _real(tree, rel, limit)

            monkeypatch.setattr(cls, "read_bytes", counted)

    def trees(self) -> set:
        return {tree for tree, _ in self.counts}

    def twice(self) -> list:
        return sorted(k for k, n in self.counts.items() if n > 1)


def test_build_reads_the_working_tree_once(monkeypatch, tmp_path):
    """``villagecat build``: the catalogue it validates is the one it shows; every file is read once."""
    import villagecat.site.build as site_build
    from villagecat.cli import build as cli_build

    counter = ReadCounter(monkeypatch)
    shown = []

    def fake_build_site(out, catalogue, **kwargs):  # the mkdocs part is not what is counted here
        shown.append(site_build._catalogue(catalogue))
        raise FileNotFoundError("stop after the catalogue was handed over")

    monkeypatch.setattr(site_build, "build_site", fake_build_site)
    from villagecat.cli import UsageError

    with pytest.raises(UsageError):
        cli_build.build(out=str(tmp_path / "site"), catalogue=str(ROOT))
    assert shown and shown[0].stats()["items"] > 0
    read = {path for _, path in counter.counts}
    assert any(p.endswith("/duties.csv") for p in read) and "releases.yaml" in read and "schemas/duties.schema.yaml" in read
    assert counter.twice() == []


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A git repository with two releases (2026.1, 2026.2) and a changed working tree (main)."""
    import shutil

    from villagecat.release import release
    from villagecat.sync import sync

    mp = pytest.MonkeyPatch()
    for k, v in GIT_ENV.items():
        mp.setenv(k, v)
    try:
        repo = tmp_path_factory.mktemp("history") / "repo"
        shutil.copytree(ROOT / "tests" / "release" / "fixtures" / "catalogues", repo / "catalogues")
        shutil.copytree(ROOT / "schemas", repo / "schemas")
        sync(repo)

        def git(*args):
            subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

        git("init", "-q", "-b", "main")
        git("add", "-A")
        git("commit", "-qm", "first")
        release(repo, "2026.1", "first", date="2026-01-01")
        duties = repo / "catalogues" / "150000-neimenggu" / "duties.csv"
        duties.write_text(duties.read_text(encoding="utf-8").replace("宣传贯彻执行党的主张。", "宣传和贯彻执行党的路线方针政策。"),
                          encoding="utf-8")
        git("commit", "-qam", "changed")
        release(repo, "2026.2", "second", date="2026-02-01")
        (repo / "catalogues" / "regions.csv").write_text(
            (repo / "catalogues" / "regions.csv").read_text(encoding="utf-8"), encoding="utf-8")  # main: the work tree
    finally:
        mp.undo()
    return repo


def test_publish_reads_each_tree_once(history, monkeypatch, tmp_path):
    """``build --all-releases``: two release commits and the working tree, each file of each read once."""
    from villagecat import publish as publish_mod

    built = []
    monkeypatch.setattr("villagecat.site.build.build_site",
                        lambda out, catalogue, **kw: built.append((Path(out).name, catalogue)) or Path(out).mkdir(parents=True))
    counter = ReadCounter(monkeypatch)
    publish_mod.publish(history, tmp_path / "site", include_main=True)
    assert [name for name, _ in built] == ["2026.1", "2026.2", "main"]
    kinds = Counter(kind for kind, _ in counter.trees())
    assert kinds == {"git": 2, "folder": 1}, counter.trees()
    for tree in counter.trees():
        paths = {p for t, p in counter.counts if t == tree}
        assert any(p.endswith(".csv") and p.count("/") == 2 for p in paths), (tree, paths)  # a region's list was read
        assert "schemas/duties.schema.yaml" in paths, tree  # each release with its own commit's schemas
    assert counter.twice() == []
    # The pages, API and downloads of a release were made from the catalogue read from its commit.
    assert built[0][1].label == "v2026.1" and built[1][1].label == "v2026.2"


# ---------------------------------------------------------------- one registry

def test_errors_in_a_fresh_process_equal_the_sites_list():
    """``villagecat errors`` imports nothing else first: it must still list what the error page lists."""
    import json

    from villagecat.registry import all_rules

    proc = subprocess.run([VILLAGECAT, "errors", "--format", "json"], capture_output=True, text=True, check=True)
    fresh = [r["code"] for r in json.loads(proc.stdout)]
    site = [r.code for r in all_rules()]  # what site/pages.py's error page lists
    assert len(fresh) > 50 and fresh == site


def test_every_module_defining_codes_is_registered():
    """A module that calls ``define(`` but is missing from the registry's list would be undocumented."""
    from villagecat import registry, rules

    listed = set(registry.MODULES) | {f"villagecat.rules.{m}" for m in rules.MODULES}
    defining = {path[len("scripts/"):-3].replace("/", ".") for path, text in _sources().items()
                if re.search(r"^define\(", text, re.M)}
    assert defining and "villagecat.reader" in defining
    assert defining - listed == set()


# ---------------------------------------------------------------- plumbing written once

def _calls(pattern: str, allowed: set[str]) -> list[str]:
    out = []
    for path, text in _sources().items():
        if path in allowed:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(pattern, line) and not line.lstrip().startswith("#"):
                out.append(f"{path}:{n}: {line.strip()}")
    return out


def test_git_runs_only_in_the_git_module():
    runs = r"subprocess\.(run|Popen|call|check_output|check_call)\("
    assert len(_calls(runs, set())) >= 2  # the git module's own (the pattern finds them)
    # bench.py runs each benchmark step as a child process (villagecat, python), through peak.py,
    # which starts the command it is given: none of them is git.
    assert _calls(runs, {"scripts/villagecat/git.py", "scripts/villagecat/bench.py", "scripts/villagecat/peak.py"}) == []
    assert _calls(r"\bgit\s+-C|shell\s*=\s*True", {"scripts/villagecat/git.py"}) == []  # no git through a shell
    assert _calls(r"\"git\"\s*,", {"scripts/villagecat/git.py"}) == []


def test_yaml_is_read_only_by_the_safe_loader():
    assert _calls(r"yaml\.(load|safe_load|compose|full_load|unsafe_load|load_all|safe_load_all|parse)\(",
                  {"scripts/villagecat/decode.py"}) == []


def test_one_root_finder():
    finders = _calls(r"def \w*root\w*\(", {"scripts/villagecat/cli/__init__.py"})
    assert [f.split(":")[0] for f in finders] == ["scripts/villagecat/trees.py"] * 2, finders
    # the command line's repo_root only turns "not found" into a usage error
    assert "from villagecat.trees import find_root" in (PKG / "cli" / "__init__.py").read_text(encoding="utf-8")
    walks = _calls(r"for \w+ in \[?\*?\w+(\.\w+)*, \*\w+\.parents|\.parents\[", {"scripts/villagecat/trees.py"})
    assert walks == []
    assert [f for f in _calls(r"def open_tree\(", set())] == [f for f in _calls(r"def open_tree\(", set())
                                                                if f.startswith("scripts/villagecat/trees.py")]


# ---------------------------------------------------------------- import cycles

def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        mod = path.relative_to(ROOT / "scripts").with_suffix("").as_posix().replace("/", ".")
        mod = mod.removesuffix(".__init__")
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("villagecat"):
                deps.add(node.module)
                deps |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("villagecat")}
        graph[mod] = deps
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def _reaches(graph, start, goal) -> bool:
    seen, stack = set(), [start]
    while stack:
        m = stack.pop()
        for d in graph.get(m, ()):
            if d == goal:
                return True
            if d not in seen:
                seen.add(d)
                stack.append(d)
    return False


@pytest.mark.parametrize("a,b", [("villagecat.problems", "villagecat.decode"),
                                 ("villagecat.problems", "villagecat.structure"),
                                 ("villagecat.problems", "villagecat.metadata"),
                                 ("villagecat.validate", "villagecat.rules.released_ids"),
                                 ("villagecat.rules.release_records", "villagecat.release")])
def test_no_import_cycle(a, b):
    """Imports anywhere in a module count, top-level or inside a function."""
    graph = _imports()
    assert a in graph and b in graph
    assert not (_reaches(graph, a, b) and _reaches(graph, b, a))


def test_problems_and_the_rules_import_no_consumer():
    graph = _imports()
    assert not _reaches(graph, "villagecat.problems", "villagecat.rules")
    assert not _reaches(graph, "villagecat.rules.released_ids", "villagecat.validate")
