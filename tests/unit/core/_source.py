"""Reading the library's source as data: every module of a tree, its string constants and imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LIBRARY = ROOT / "emr_constructs"
CORE = LIBRARY / "core"
SCANNED = (LIBRARY, ROOT / "stacks", ROOT / "app.py")
"""The code that ships: the library, the reference stacks and the app (tests state expected values on their own)."""


@dataclass(frozen=True)
class StringConstant:
    path: Path
    line: int
    value: str
    use: str = "literal"
    """``"key"`` when the string indexes a value (``response["application"]``), ``"prop"`` when it is the prop name
    a ``check_*``/``fail`` call reports, else ``"literal"``."""

    @property
    def in_core(self) -> bool:
        return CORE in self.path.parents

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.value!r}"


def python_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from [root] if root.is_file() else sorted(root.rglob("*.py"))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def string_constants(*roots: Path) -> Iterator[StringConstant]:
    """Every string literal (f-string parts included) except documentation: a string that is a statement of its own
    (module, class, function and attribute docstrings)."""
    for path in python_files(*roots):
        tree = parse(path)
        docs = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        }
        keys = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
        props = {
            id(node.args[0])
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and node.args
            and isinstance(node.func, ast.Name)
            and (node.func.id.startswith("check_") or node.func.id == "fail")
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                use = "key" if id(node) in keys else "prop" if id(node) in props else "literal"
                yield StringConstant(path, node.lineno, node.value, use)


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every ``import x`` and ``from x import y`` of ``path`` (absolute imports)."""
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
