"""Module docstrings say in 1-3 lines what a module does, takes and raises (README); longer design notes go to docs/."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "brandifiers"


def test_module_docstrings_are_at_most_three_lines():
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(), str(path)), clean=False)
        if doc and len(doc.strip().splitlines()) > 3:
            long.append(str(path.relative_to(PACKAGE.parent)))
    assert long == []
