"""The house rules of docs/architecture.md that a refactor could quietly break.

The layering itself (imports point down, no cycles inside a folder) is import-linter's job:
``lint-imports`` checks the contracts of pyproject.toml in CI. This file checks the rest.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import bioanchors

PACKAGE = Path(bioanchors.__file__).parent
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_under_the_split_rule(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_holds(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.name == "__main__.py" or (path.name == "__init__.py" and not tree.body):
        return
    assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} has no module docstring"


def test_every_module_imports_without_side_effects(capsys: pytest.CaptureFixture[str]) -> None:
    names = [info.name for info in pkgutil.walk_packages([str(PACKAGE)], "bioanchors.")]
    for name in names:
        if name != "bioanchors.__main__":
            importlib.import_module(name)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
