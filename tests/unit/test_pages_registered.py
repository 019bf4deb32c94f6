"""Every page module registers itself when imported (components.layout.template): the app
(brandifiers/brandifiers.py) must import each one, or its route silently disappears."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "brandifiers"


def test_the_app_imports_every_page_module():
    tree = ast.parse((PACKAGE / "brandifiers.py").read_text())
    imported = {f"{node.module}.{alias.name}" for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("brandifiers.pages")
                for alias in node.names}
    pages = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
             for p in (PACKAGE / "pages").rglob("*.py") if p.name != "__init__.py"}
    assert pages - imported == set()
    assert imported - pages == set()
