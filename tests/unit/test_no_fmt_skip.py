"""No ``fmt: skip`` or ``fmt: off`` directives: the formatter owns layout everywhere, and a file that grows too long is
split by idea instead of packed onto long lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TREES = ("emr_constructs", "stacks", "tests")
DIRECTIVE = re.compile(r"#\s*fmt:\s*(skip|off)\b")
FMT = "# fmt"  # the examples below are assembled so that this file does not contain a directive itself


def _python_files() -> list[Path]:
    return sorted(path for tree in TREES for path in (ROOT / tree).rglob("*.py"))


def test_the_walk_covers_every_tree() -> None:
    assert {path.relative_to(ROOT).parts[0] for path in _python_files()} == set(TREES)


def test_the_pattern_finds_the_directives() -> None:
    assert DIRECTIVE.search(f"x = [1,2]  {FMT}: skip")
    assert DIRECTIVE.search(f"{FMT}: off".replace("# ", "#"))
    assert not DIRECTIVE.search("x = 1  # formatted")


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_formatter_directive(path: Path) -> None:
    lines = [number for number, line in enumerate(path.read_text().splitlines(), 1) if DIRECTIVE.search(line)]
    assert not lines, f"{path.relative_to(ROOT)}: formatter directive on lines {lines}"
