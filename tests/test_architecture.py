"""The house rules, checked on every `make test` (issue 17).

* the import contracts in pyproject.toml ([tool.importlinter]): the rooms are layers
  (desktop above annotate above store), Qt only in desktop, no NLP library in store, none
  imported by desktop;
* no import circle between any two modules of the project (a circle makes the order of imports
  matter and the rooms impossible to read one at a time);
* no source module over 600 lines;
* every module is imported by its installed name (``framelens.store``…): a bare ``import store``
  works only from the repository root and would load a second copy of the module;
* the wheel's package list in pyproject.toml names every package of the three rooms.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("store", "annotate", "desktop")               # folders
PACKAGES = tuple(f"framelens.{room}" for room in ROOMS)   # their installed names
MAX_LINES = 600


def test_import_contracts_hold():
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circles():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    class Graph:
        modules = {"a", "b", "c", "d"}
        edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, m):
            return self.edges.get(m, set())

    assert _cycles(Graph()) == [["a", "b", "c"]]


def test_no_module_over_600_lines():
    long = {}
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_LINES:
                long[str(path.relative_to(ROOT))] = n
    assert long == {}


BARE = re.compile(r"^\s*(?:from|import)\s+(?:store|annotate|desktop)\b", re.M)


def _sources():
    for folder in (*ROOMS, "tests", "bench"):
        yield from (p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def test_modules_are_imported_by_their_installed_names():
    bare = [str(p.relative_to(ROOT)) for p in _sources() if BARE.search(p.read_text(encoding="utf-8"))]
    assert bare == []


def test_the_bare_import_check_catches_one():
    assert BARE.search("x = 1\n    import store\n") and BARE.search("from desktop.shell import app")
    assert not BARE.search("from framelens import store\nimport storage\n")


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {"framelens." + ".".join(p.parent.relative_to(ROOT).parts)
             for room in ROOMS for p in (ROOT / room).rglob("__init__.py")}
    assert found - listed == set()
    assert {config["package-dir"][name] for name in PACKAGES} == set(ROOMS)
