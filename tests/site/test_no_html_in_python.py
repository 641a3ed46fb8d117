"""No function in scripts/ builds HTML by string concatenation or f-strings: markup lives in the
Jinja2 templates of site_config/templates (autoescape on). A few named helpers are allowed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# A piece of literal text that opens or closes a tag, or a "<" / "</" left for a tag name.
TAG = re.compile(r"<(?:/?[A-Za-z][\w-]*|!--|![Dd][Oo][Cc][Tt][Yy][Pp][Ee])|</?$")

# (file, function): the only functions allowed to assemble markup in Python, and why.
ALLOWED = {
    # GitHub Markdown for pull-request comments (villagecat diff --format markdown), not the site: every value
    # passes md()/md_word() first; kept byte-identical to the diff goldens.
    ("villagecat/diff_format.py", "code"),
    ("villagecat/diff_format.py", "_inline_md"),
    ("villagecat/diff_format.py", "_md_list"),
    ("villagecat/diff_format.py", "_markdown"),
    ("villagecat/diff_format.py", "_md_metadata"),
    # Plain text, not HTML: an invisible character shown as <U+0085>.
    ("villagecat/textpolicy.py", "visible"),
}


def _strings(node: ast.AST) -> list[str]:
    """The literal text of a string expression: constants and the literal parts of f-strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return []


def _builds_html(node: ast.AST) -> bool:
    """An f-string, a ``+`` / ``%`` of strings, a ``.format()`` or a ``.join()`` whose literal text has a tag."""
    if isinstance(node, ast.JoinedStr) and any(TAG.search(s) for s in _strings(node)):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return any(TAG.search(s) for side in (node.left, node.right) for s in _strings(side))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"):
        parts = [node.func.value] + list(node.args)
        for arg in node.args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                parts += arg.elts
            if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
                parts.append(arg.elt)
        return any(TAG.search(s) for p in parts for s in _strings(p))
    return False


def offences(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if _builds_html(child) and (name, inner) not in ALLOWED:
                found.append(f"{name}:{child.lineno} in {inner or '<module>'}")
            visit(child, inner)

    visit(tree, None)
    return found


def test_no_function_builds_html_in_python():
    found = []
    for path in sorted(SCRIPTS.rglob("*.py")):
        found += offences(path.read_text(encoding="utf-8"), path.relative_to(SCRIPTS).as_posix())
    assert found == [], "HTML built in Python (write a template in site_config/templates):\n" + "\n".join(found)


def test_the_check_finds_what_it_is_for():
    """The ways markup used to be assembled in this project are all caught, docstrings are not."""
    cases = {
        'def f(x):\n    return f"<td>{x}</td>"\n': 1,
        "def f(x):\n    return '<li>' + x + '</li>'\n": 1,
        'def f(name, x):\n    return f"<{name}>{x}</{name}>"\n': 1,
        'def f(xs):\n    return "".join(f"<li>{x}</li>" for x in xs)\n': 1,
        'def f(xs):\n    return "</td><td>".join(xs)\n': 1,
        'def f(x):\n    return "<p>%s</p>" % x\n': 1,
        'def f(x):\n    return "<p>{}</p>".format(x)\n': 1,
        'def f(x):\n    """Returns ``<p>`` text."""\n    return x + "a < b"\n': 0,
        'def f(x):\n    return f"{x} < 3"\n': 0,
    }
    for source, n in cases.items():
        assert bool(offences(source, "x.py")) == bool(n), source


def test_allowed_helpers_exist():
    """Every allowed name is a function that still exists (a stale entry would hide a new one)."""
    for file, function in ALLOWED:
        tree = ast.parse((SCRIPTS / file).read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        assert function in names, (file, function)
