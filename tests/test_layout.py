"""The layout README.md describes: imports between our top-level packages point one way."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES = {
    "articles",
    "consultations",
    "dashboard",
    "discovery",
    "newsletter",
    "pages",
    "practice",
    "precheck",
    "search",
}
SHARED = {"web", "staff", "background", "accesslog"}
PACKAGES = CAPABILITIES | SHARED | {"clinic_site"}


def imports_of(package: str) -> set[str]:
    """The other top-level packages of ours that a package's code imports (migrations included)."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(name.split(".")[0] for name in names)
    return (found & PACKAGES) - {package}


GRAPH = {package: imports_of(package) for package in sorted(PACKAGES)}


def cycle_through(start: str) -> list[str] | None:
    """A path of imports that leads from `start` back to itself, if there is one."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        package, path = stack.pop()
        for imported in GRAPH[package]:
            if imported == start:
                return [*path, start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, [*path, imported]))
    return None


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycle_between_top_level_packages(package):
    assert cycle_through(package) is None, " -> ".join(cycle_through(package))


@pytest.mark.parametrize("package", sorted(SHARED))
def test_shared_parts_import_no_capability_app(package):
    assert not GRAPH[package] & CAPABILITIES


def test_only_the_project_package_imports_the_project_package():
    # clinic_site wires everything together (urls, wsgi); nothing imports it back.
    assert [package for package, imported in GRAPH.items() if "clinic_site" in imported] == []


def test_the_checker_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "web", GRAPH["web"] | {"articles"})
    monkeypatch.setitem(GRAPH, "articles", GRAPH["articles"] | {"web"})
    assert cycle_through("web") == ["web", "articles", "web"]
