"""The tests' own modules import the same whichever folders one pytest call collects.

pytest (setup.cfg: default ``prepend`` import mode, no ``__init__.py`` under tests/) imports
every conftest.py under the one name ``conftest``, the last one loaded winning, and every
other module under its file name. So helpers live in named modules (``files_support``,
``review_facts``, ``record_support`` ...), never imported from a conftest, and no two
modules under tests/ share a file name."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _modules() -> list[Path]:
    return sorted(TESTS.rglob("*.py"))


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_module_imports_a_conftest():
    offenders = {
        str(path.relative_to(TESTS)): sorted(
            n for n in _imported_names(path) if n.split(".")[-1] == "conftest"
        )
        for path in _modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_module_file_names_are_unique():
    counts = Counter(path.name for path in _modules() if path.name not in ("conftest.py", "__init__.py"))
    assert [name for name, count in counts.items() if count > 1] == []
