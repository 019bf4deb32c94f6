"""The house's layer rules, read from the imports of every module (ARCHITECTURE.md, README)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "brandifiers"


def _imports(path: Path) -> set[str]:
    """Every module name `path` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(sub: str) -> dict[str, set[str]]:
    return {str(p.relative_to(PACKAGE.parent)): _imports(p) for p in sorted((PACKAGE / sub).rglob("*.py"))}


def _offenders(sub: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path} imports {name}" for path, names in _modules(sub).items() for name in sorted(names)
            if name.split(".")[0] in forbidden or name.startswith(tuple(f for f in forbidden if "." in f))]


def test_services_never_import_reflex_or_a_layer_above():
    above = ("reflex", "brandifiers.state", "brandifiers.pages", "brandifiers.components", "brandifiers.jobs",
             "brandifiers.api", "brandifiers.brandifiers")
    assert _offenders("services", above) == []


def test_state_never_imports_pages_or_components():
    assert _offenders("state", ("brandifiers.pages", "brandifiers.components")) == []


def test_components_never_import_pages():
    assert _offenders("components", ("brandifiers.pages",)) == []


def test_models_import_nothing_above_them():
    above = ("brandifiers.services", "brandifiers.state", "brandifiers.pages", "brandifiers.components",
             "brandifiers.jobs", "brandifiers.api", "reflex")
    assert _offenders("models", above) == []


def _domain_graph() -> dict[str, set[str]]:
    """services subpackage -> the other subpackages it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path, names in _modules("services").items():
        parts = Path(path).parts
        if len(parts) < 4:  # brandifiers/services/__init__.py
            continue
        domain = parts[2]
        graph[domain]
        for name in names:
            bits = name.split(".")
            if bits[:2] == ["brandifiers", "services"] and len(bits) > 2 and bits[2] != domain:
                graph[domain].add(bits[2])
    return graph


def test_services_are_grouped_in_domain_subpackages():
    loose = [p.name for p in (PACKAGE / "services").glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert set(_domain_graph()) >= {"common", "accounts", "deals", "discovery", "metrics", "rollups", "stats",
                                    "messaging", "records"}


def test_common_is_the_floor():
    assert _domain_graph()["common"] == set()


def test_domains_import_each_other_without_a_cycle():
    graph = _domain_graph()
    done: set[str] = set()
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycles.append(" -> ".join(stack[stack.index(node):] + [node]))
            return
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, stack + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert cycles == []


def test_payments_never_import_deals():
    """The gateways and the reconciliation know payments, not deals (services.deals.funding calls them)."""
    assert "deals" not in _domain_graph()["payments"]
    assert _offenders("services/payments", ("brandifiers.services.deals",)) == []
