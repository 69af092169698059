"""The layout's rules, read from the source with ``ast`` (nothing is imported).

- no two folders (or top-level modules) of ``api/`` import each other, directly or
  through a cycle: imports point one way;
- ``operations`` modules never import HTTP schemas;
- ``matchmaking/`` and ``scheduler/`` import neither Flask, Celery nor SQLAlchemy.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB_FRAMEWORKS = ("flask", "celery", "sqlalchemy")


def _modules(package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        yield ".".join(parts), path


def _imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports, at the top or inside a function, or names in a
    string for ``importlib`` (``"api.events.routes"``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"api(\.[a-z_]+)+", node.value):
                found.add(node.value)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _unit(module: str) -> str | None:
    """The folder (or top-level module) of ``api`` a module belongs to."""
    parts = module.split(".")
    if parts[0] != "api":
        return None
    return "api" if len(parts) == 1 else parts[1]


def _is_unit(name: str) -> bool:
    return name == "api" or (ROOT / "api" / name).is_dir() or (ROOT / "api" / f"{name}.py").exists()


def api_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in _modules("api"):
        unit = _unit(module)
        assert unit is not None
        targets = graph.setdefault(unit, set())
        for imported in _imports(module, path):
            other = _unit(imported)
            if other is not None and other != unit and _is_unit(other):
                targets.add(other)
    return graph


def test_the_api_graph_is_read() -> None:
    graph = api_graph()
    assert {"events", "registration", "solving", "schedules", "http", "app"} <= set(graph)
    assert "solving" in graph["meetings"]  # a re-solve is a solver job
    assert "events" in graph["app"]


def test_no_folder_of_api_imports_a_folder_that_imports_it_back() -> None:
    try:
        order = list(TopologicalSorter(api_graph()).static_order())
    except CycleError as exc:
        raise AssertionError(f"api/ folders import each other: {' -> '.join(exc.args[1])}") from exc
    assert order


def test_a_cycle_would_be_found() -> None:
    graph = api_graph()
    graph["events"] = graph["events"] | {"meetings"}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle through events -> meetings -> ... -> events went unseen")


def test_operations_never_import_http_schemas() -> None:
    offenders = [
        f"{module} imports {imported}"
        for module, path in _modules("api")
        if module.split(".")[-1] == "operations"
        for imported in _imports(module, path)
        if "schemas" in imported.split(".") or imported.split(".")[0] == "marshmallow"
    ]
    assert offenders == []


def test_domain_packages_import_no_web_framework() -> None:
    offenders = [
        f"{module} imports {imported}"
        for package in ("matchmaking", "scheduler")
        for module, path in _modules(package)
        for imported in _imports(module, path)
        if imported.split(".")[0] in WEB_FRAMEWORKS or imported.startswith("flask_")
    ]
    assert offenders == []
