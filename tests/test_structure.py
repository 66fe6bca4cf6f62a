"""The code-shape rules of the package scripts/mmrisk/ (and its subpackages), as tests.

1. The import graph between mmrisk modules has no cycles. Imports are read with :mod:`ast`
   (relative ones resolved), at module level and inside functions alike: a lazy import in a
   function still ties two modules together, it only moves the failure to run time. The failure
   message names each cycle and marks the edges that are lazy (inside a function) or only for
   type checkers (under ``if TYPE_CHECKING:``).
2. No module is longer than :data:`MAX_MODULE_LINES` lines.
3. No function or method is longer than :data:`MAX_FUNCTION_LINES` lines (from its ``def`` line to
   its last line, decorators not counted) unless the line just above the definition (above its
   decorators, if any) or its docstring's first line carries a note ``# long: <why>``.

The checks are plain functions over source text (:func:`imports_of`, :func:`import_cycles`,
:func:`long_functions`); the tests at the end of this module check the checks on small sources.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "scripts" / "mmrisk"
PACKAGE = "mmrisk"
REPO = PACKAGE_DIR.parents[1]

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

#: The note that lets a function be longer: ``# long: <why>`` with a reason.
LONG_NOTE = re.compile(r"#\s*long:\s*\S")

EdgeKind = Literal["module", "lazy", "typing"]
#: Which kind of import shows a cycle best: import-time first, lazy last.
_KIND_RANK: dict[str, int] = {"module": 0, "typing": 1, "lazy": 2}


@dataclass(frozen=True)
class Module:
    """One module of the package: its dotted name and file."""

    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def shown(self) -> str:
        """The file as failure messages show it (relative to the repository)."""
        return self.path.relative_to(REPO).as_posix() if self.path.is_relative_to(REPO) else str(self.path)


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target``, at ``line`` of the source's file."""

    source: str
    target: str
    line: int
    kind: EdgeKind
    function: str | None = None  # the function holding a lazy import

    def describe(self) -> str:
        where = f"line {self.line}"
        if self.kind == "lazy":
            return f"{where}, LAZY import inside {self.function}()"
        if self.kind == "typing":
            return f"{where}, under TYPE_CHECKING only"
        return where


def package_modules(root: Path = PACKAGE_DIR, package: str = PACKAGE) -> list[Module]:
    """Every module of the package under ``root``, subpackages included, sorted by name."""
    out: list[Module] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = [package, *rel.parts]
        if parts[-1] == "__init__":
            parts.pop()
        out.append(Module(".".join(parts), path))
    return out


# ---------------------------------------------------------------------------
# rule 1: the import graph


def _resolve_base(module: str, is_package: bool, level: int, name: str | None) -> str | None:
    """The absolute module a ``from <dots><name> import`` statement of ``module`` reads from."""
    if level == 0:
        return name
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(parts) - 1:
        return None  # beyond the top-level package
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


_Found = tuple[ast.Import | ast.ImportFrom, EdgeKind, str | None]


def _import_nodes(nodes: Iterable[ast.AST], kind: EdgeKind = "module", scope: str | None = None,
                  ) -> Iterator[_Found]:
    """Every import statement under ``nodes``: at import time, lazy (in a function) or for type checkers.

    ``scope`` is the qualified name of the enclosing class or function (``Class.method.inner``).
    """
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, kind, scope
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = node.name if scope is None else f"{scope}.{node.name}"
            lazy = kind == "lazy" or not isinstance(node, ast.ClassDef)
            yield from _import_nodes(ast.iter_child_nodes(node), "lazy" if lazy else kind, inner)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _import_nodes(node.body, "typing" if kind == "module" else kind, scope)
            yield from _import_nodes(node.orelse, kind, scope)
        else:
            yield from _import_nodes(ast.iter_child_nodes(node), kind, scope)


def imports_of(module: str, is_package: bool, source: str, known: set[str]) -> list[Edge]:
    """The imports of one module's source that reach modules in ``known`` (the package's modules).

    ``import a.b.c`` reaches ``a.b.c``; ``from X import n`` reaches ``X.n`` when that is a module,
    else ``X``. Relative imports are resolved against ``module`` (a package's ``__init__`` is its
    own base). Imports of a module by itself are left out.
    """
    edges: list[Edge] = []
    for node, kind, scope in _import_nodes(ast.parse(source).body):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _resolve_base(module, is_package, node.level, node.module)
            if base is None:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if alias.name != "*" and sub in known else base)
        for target in dict.fromkeys(targets):
            if target in known and target != module:
                edges.append(Edge(module, target, node.lineno, kind, scope if kind == "lazy" else None))
    return edges


def import_graph(modules: list[Module]) -> list[Edge]:
    known = {m.name for m in modules}
    return [e for m in modules for e in imports_of(m.name, m.is_package, m.path.read_text("utf-8"), known)]


def _strongly_connected(nodes: Iterable[str], succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            children = succ.get(v, [])
            if i < len(children):
                work.append((v, i + 1))
                w = children[i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


def _shortest_cycle(start: str, edges: list[Edge], allowed: set[str]) -> list[Edge] | None:
    """A shortest cycle through ``start`` using ``edges`` between ``allowed`` modules (BFS)."""
    out_of: dict[str, list[Edge]] = {}
    for e in edges:
        if e.source in allowed and e.target in allowed:
            out_of.setdefault(e.source, []).append(e)
    came: dict[str, Edge] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt: list[str] = []
        for v in frontier:
            for e in out_of.get(v, []):
                if e.target == start:
                    path = [e]
                    while path[0].source != start:
                        path.insert(0, came[path[0].source])
                    return path
                if e.target not in seen:
                    seen.add(e.target)
                    came[e.target] = e
                    nxt.append(e.target)
        frontier = nxt
    return None


def _best_edges(edges: list[Edge]) -> list[Edge]:
    """One edge per (source, target): an import-time one if there is one, else the first."""
    best: dict[tuple[str, str], Edge] = {}
    for e in edges:
        old = best.get((e.source, e.target))
        if old is None or _KIND_RANK[e.kind] < _KIND_RANK[old.kind]:
            best[(e.source, e.target)] = e
    return list(best.values())


@dataclass(frozen=True)
class Cycle:
    """A group of modules that import each other, and one cycle through them."""

    group: tuple[str, ...]
    edges: tuple[Edge, ...]

    def describe(self, files: dict[str, str]) -> str:
        kinds = {e.kind for e in self.edges}
        if kinds == {"module"}:
            label = "import-time cycle"
        elif "lazy" in kinds:
            label = "cycle through a LAZY import (inside a function)"
        else:
            label = "cycle through a TYPE_CHECKING-only import"
        names = " -> ".join([self.edges[0].source, *(e.target for e in self.edges)])
        text = f"  {label}: {names}"
        if len(self.group) > len(self.edges):
            text += f"\n    (one cycle of the group {', '.join(self.group)})"
        return text + "".join(
            f"\n      {e.source} imports {e.target} ({files.get(e.source, e.source)}, {e.describe()})"
            for e in self.edges)


def import_cycles(edges: list[Edge]) -> list[Cycle]:
    """One cycle per group of modules that import each other (strongly connected component).

    A group with a cycle of import-time edges alone is shown with that cycle, so a lazy or
    TYPE_CHECKING edge in a reported cycle means no cycle of the group avoids such an edge.
    """
    edges = _best_edges(edges)
    succ: dict[str, list[str]] = {}
    for e in edges:
        succ.setdefault(e.source, []).append(e.target)
    nodes = sorted({e.source for e in edges} | {e.target for e in edges})
    eager = [e for e in edges if e.kind == "module"]
    cycles: list[Cycle] = []
    for comp in _strongly_connected(nodes, succ):
        if len(comp) < 2:
            continue
        group = set(comp)
        found = next((c for c in (_shortest_cycle(v, eager, group) for v in comp) if c), None)
        found = found or _shortest_cycle(comp[0], edges, group)
        assert found, comp
        cycles.append(Cycle(tuple(comp), tuple(found)))
    return sorted(cycles, key=lambda c: (max(_KIND_RANK[e.kind] for e in c.edges), c.group))


# ---------------------------------------------------------------------------
# rules 2 and 3: sizes


@dataclass(frozen=True)
class LongFunction:
    line: int
    name: str  # qualified: Class.method, outer.inner
    length: int


def _docstring_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) \
            and isinstance(node.body[0].value.value, str):
        return node.body[0].lineno
    return None


def _has_long_note(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    candidates = [first - 1, node.lineno - 1]  # the line above the definition (above any decorator)
    doc = _docstring_line(node)
    if doc is not None:
        candidates.append(doc)
    return any(1 <= n <= len(lines) and LONG_NOTE.search(lines[n - 1]) for n in candidates)


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[LongFunction]:
    """Functions and methods (nested ones too) longer than ``limit`` lines and without a long note."""
    lines = source.splitlines()
    out: list[LongFunction] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                assert child.end_lineno is not None
                length = child.end_lineno - child.lineno + 1
                if length > limit and not _has_long_note(child, lines):
                    out.append(LongFunction(child.lineno, name, length))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return sorted(out, key=lambda f: f.line)


def count_lines(source: str) -> int:
    return len(source.splitlines())


# ---------------------------------------------------------------------------
# the rules applied to the package

MODULES = package_modules()


def test_package_is_found():
    names = {m.name for m in MODULES}
    assert {"mmrisk", "mmrisk.iscn", "mmrisk.fish"} <= names, sorted(names)


def test_no_import_cycles():
    edges = import_graph(MODULES)
    cycles = import_cycles(edges)
    files = {m.name: m.shown for m in MODULES}
    assert not cycles, (f"{len(cycles)} group(s) of mmrisk modules import each other:\n"
                        + "\n".join(c.describe(files) for c in cycles))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.shown)
def test_module_size(module: Module):
    n = count_lines(module.path.read_text("utf-8"))
    assert n <= MAX_MODULE_LINES, f"{module.shown}: {n} lines, above {MAX_MODULE_LINES}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.shown)
def test_function_size(module: Module):
    found = long_functions(module.path.read_text("utf-8"))
    assert not found, (
        f"functions above {MAX_FUNCTION_LINES} lines without a '# long: <why>' note:\n"
        + "\n".join(f"  {module.shown}:{f.line} {f.name}: {f.length} lines" for f in found))


# ---------------------------------------------------------------------------
# the checks checked

KNOWN = {"p", "p.a", "p.b", "p.sub", "p.sub.c", "p.sub.d"}


def test_imports_resolve_absolute_and_relative_forms():
    src = "import p.a\nfrom . import b\nfrom .sub import c\nfrom .sub.d import thing\nimport os\n"
    assert [(e.target, e.line) for e in imports_of("p.x", False, src, KNOWN | {"p.x"})] == [
        ("p.a", 1), ("p.b", 2), ("p.sub.c", 3), ("p.sub.d", 4)]
    src = "from .. import a\nfrom ..b import name\nfrom . import d\nfrom .d import name\n"
    assert [e.target for e in imports_of("p.sub.c", False, src, KNOWN)] == ["p.a", "p.b", "p.sub.d", "p.sub.d"]
    # a package's __init__ is its own base; a name that is no module reaches the package itself
    src = "from . import c\nfrom . import helper\nfrom .. import a\n"
    assert [e.target for e in imports_of("p.sub", True, src, KNOWN)] == ["p.sub.c", "p.a"]
    assert [e.target for e in imports_of("p.sub.d", False, src, KNOWN)] == ["p.sub.c", "p.sub", "p.a"]
    assert imports_of("p.sub.c", False, "from ... import x\nfrom .c import y\n", KNOWN) == []


def test_imports_are_tagged_lazy_or_typing():
    src = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\n"
           "class K:\n    def m(self):\n        def inner():\n            from .b import f\n")
    edges = imports_of("p.x", False, src, KNOWN)
    assert [(e.target, e.kind, e.function) for e in edges] == [("p.a", "typing", None),
                                                               ("p.b", "lazy", "K.m.inner")]


def test_cycles_are_found_and_named():
    def e(s: str, t: str, kind: EdgeKind = "module") -> Edge:
        return Edge(s, t, 1, kind, "f" if kind == "lazy" else None)

    assert import_cycles([e("p.a", "p.b"), e("p.b", "p.sub.c")]) == []
    [cycle] = import_cycles([e("p.a", "p.b"), e("p.b", "p.sub.c"), e("p.sub.c", "p.a", "lazy")])
    text = cycle.describe({})
    assert "p.a -> p.b -> p.sub.c -> p.a" in text and "LAZY import inside f()" in text
    # a group with an import-time cycle is shown with it, even when a lazy one is shorter
    [cycle] = import_cycles([e("p.a", "p.b"), e("p.b", "p.a", "lazy"), e("p.b", "p.sub.c"), e("p.sub.c", "p.a")])
    assert [x.kind for x in cycle.edges] == ["module"] * 3 and "import-time cycle" in cycle.describe({})
    assert "one cycle of the group p.a, p.b, p.sub.c" not in cycle.describe({})
    assert len(import_cycles([e("p.a", "p.b"), e("p.b", "p.a"), e("p.sub.c", "p.sub.d"),
                              e("p.sub.d", "p.sub.c")])) == 2


def test_long_functions_and_the_long_note():
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    src = (f"def short():\n    pass\n\ndef too_long():\n{body}\n"
           f"# long: one table of cases, clearer in one place\ndef noted():\n{body}\n"
           f"def documented():\n    '''Reads it all.  # long: one pass over the file'''\n{body}\n"
           f"class K:\n    @staticmethod\n    def method():\n{body.replace('    ', '        ')}\n"
           f"# long: a note above the decorator counts\n@staticmethod\ndef decorated():\n{body}\n"
           f"# long:\ndef empty_note():\n{body}\n")
    found = long_functions(src)
    assert [(f.name, f.length) for f in found] == [("too_long", 81), ("K.method", 81), ("empty_note", 81)]
    assert found[0].line == 4
