"""The README's Architecture tree names every module of brandifiers/ and every top-level folder, and docs/README.md
every note, so neither can drift from `ls` again: a module added without its line in the tree fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "brandifiers"
NAME_COLUMN = 8  # a tree line indented less than this starts an entry; deeper, it continues the last one


def _tree() -> list[str]:
    """The lines of the first fenced block after the README's "## Architecture" heading."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Architecture\n", 1)[1]
    return section.split("```\n", 2)[1].splitlines()


def _sections() -> dict[str, str]:
    """Folder path (as in the tree, e.g. "brandifiers/services/common") -> the text of its entry."""
    sections: dict[str, str] = {}
    stack: list[str] = []
    current = None
    for line in _tree():
        indent = len(line) - len(line.lstrip())
        if indent < NAME_COLUMN:
            first = line.split()[0] if line.strip() else ""
            depth = indent // 2
            del stack[depth:]
            if first.endswith("/"):
                stack.append(first.rstrip("/"))
                current = "/".join(stack)
            else:  # a line of files: their names belong to the enclosing folder, not its description
                key = "/".join(stack)
                sections[key] = sections.get(key, "") + " " + " ".join(w for w in line.split() if w.endswith(".py"))
                current = None
        if current is not None:
            sections[current] = sections.get(current, "") + " " + line
    return sections


def _words(text: str) -> set[str]:
    """The words of an entry outside parentheses: "(log-in throttle)" describes a module, it names none."""
    while (shorter := re.sub(r"\([^()]*\)", " ", text)) != text:
        text = shorter
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


def _missing(folder: Path, sections: dict[str, str]) -> list[str]:
    key = str(folder.relative_to(ROOT))
    named = _words(sections.get(key, "")) | {"__init__"}
    return [f"{key}/{path.name}" for path in sorted(folder.glob("*.py")) if path.stem not in named]


def test_the_tree_names_every_module():
    sections = _sections()
    folders = [PACKAGE, PACKAGE / "state", PACKAGE / "components", PACKAGE / "jobs"]
    folders += sorted(p for sub in ("services", "pages") for p in (PACKAGE / sub).iterdir()
                      if p.is_dir() and p.name != "__pycache__")
    assert [name for folder in folders for name in _missing(folder, sections)] == []


def test_the_tree_names_every_top_level_folder():
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".gitignore").read_text().splitlines()}
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")} - ignored
    named = {word.rstrip("/") for line in _tree() for word in line.split() if word.endswith("/")}
    assert sorted(folders - named) == []


def test_the_docs_index_lists_every_note():
    index = (ROOT / "docs" / "README.md").read_text()
    listed = set(re.findall(r"^\| `([^`]+\.md)` \|", index, re.MULTILINE))
    notes = {p.name for p in (ROOT / "docs").glob("*.md")} - {"README.md"}
    assert sorted(notes - listed) == []
