"""The core's modules import each other without a cycle: features register their commands and jobs on
the router, and the scheduler runs what the router holds, so it imports no feature and no feature
imports it. Every import counts, those inside functions too (a late import hides a cycle, it does
not remove it)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FEATURES = sorted(
    path.stem if path.is_file() else path.name
    for path in (REPO / "bot" / "features").iterdir()
    if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
)


def modules(package: str) -> dict[str, Path]:
    found = {}
    for path in (REPO / package).rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of `package` and the modules of `package` it imports anywhere in its text."""
    known = modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names if alias.name in known}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in known:
                        imported.add(f"{node.module}.{alias.name}")
                    elif node.module in known:
                        imported.add(node.module)
        graph[name] = imported
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return seen


def test_no_module_of_the_core_imports_itself_back_through_others():
    assert cycles(import_graph("bot")) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_scheduler_and_the_router_know_no_feature():
    graph = import_graph("bot")
    for module in ("bot.scheduler", "bot.router", "bot.jobs"):
        assert {m for m in reachable(graph, module) if m.startswith("bot.features")} == set(), module


def test_no_feature_imports_the_scheduler():
    graph = {name: deps for name, deps in import_graph("bot").items() if name.startswith("bot.features.")}
    assert {name for name, deps in graph.items() if "bot.scheduler" in deps} == set()


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_imports_alone_in_a_fresh_interpreter(feature):
    script = f"import bot.features.{feature}"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_scheduler_alone_loads_no_feature():
    script = (
        "import sys, bot.scheduler; print(sorted(m for m in sys.modules if m.startswith('bot.features')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"


def test_every_feature_package_registers_itself_through_the_index():
    """A package added under `bot/features/` (goals, say) without a line in the index would never
    answer a command nor run a job: the index imports each one, and each has `register`."""
    index = ast.parse((REPO / "bot" / "features" / "__init__.py").read_text(encoding="utf-8"))
    listed = {
        alias.name
        for node in ast.walk(index)
        if isinstance(node, ast.ImportFrom) and node.module == "bot.features"
        for alias in node.names
    }
    assert listed == set(FEATURES)
    for feature in FEATURES:
        assert callable(importlib.import_module(f"bot.features.{feature}").register), feature


def test_the_reviews_feature_imports_no_other_features_evidence():
    """Each feature adds its piece of a review's evidence through `router.evidence`: the reviews feature
    gathers and shows what is registered, and reaches no other feature's evidence module to do it (nor
    does the vocabulary of evidence, `bot.evidence`, know any feature)."""
    graph = import_graph("bot")
    evidence = {name for name in graph if name.startswith("bot.features.") and name.endswith(".evidence")}
    assert "bot.features.goals.evidence" in evidence  # what this test guards exists
    ours = {name for name in graph if name.startswith("bot.features.reviews")}
    reached = set().union(*(reachable(graph, name) for name in ours))
    assert reached & evidence == {"bot.features.reviews.evidence"}
    assert {m for m in reachable(graph, "bot.evidence") if m.startswith("bot.features")} == set()
