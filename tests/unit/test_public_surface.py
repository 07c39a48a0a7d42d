"""One public surface: ``emr_constructs._EXPORTS`` is the single list of public names.

Every public class, enum and function defined in a library module is reachable as ``emr_constructs.<Name>`` (the same
object), has a docstring and is named in the README; ``__all__`` of the package and of each subpackage derives from the
one list; the ``TYPE_CHECKING`` imports that let mypy see the names match it exactly; and loading the surface does not
load aws_cdk or jsii (the ``emrctl`` CLI imports ``emr_constructs.ops``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import emr_constructs
from emr_constructs._internal.exports import exports_under

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "emr_constructs"
README = (ROOT / "README.md").read_text()

# Packages under emr_constructs that are not part of the library surface, and why.
NOT_LIBRARY_SURFACE = {
    # The emrctl command line is its public interface (documented and tested in tests/ops/test_readme_cli.py).
    "emr_constructs.ops": "the emrctl CLI application",
    # A tool run on a cloud assembly (README "What the platform costs"): python -m emr_constructs.cost.report cdk.out
    "emr_constructs.cost": "the cost report of synthesized templates",
    # aws_cdk-free machinery shared by the constructs and the CLI; its user-facing types (ReleaseLabel, worker sizes,
    # step enums) are re-exported by releases.py, serverless/ and cluster/ and checked through them.
    "emr_constructs.core": "shared aws_cdk-free machinery",
}


def _is_private(module_name: str) -> bool:
    parts = module_name.split(".")
    if any(part.startswith("_") for part in parts[1:]):  # _internal, __main__, ...
        return True
    return any(module_name == p or module_name.startswith(f"{p}.") for p in NOT_LIBRARY_SURFACE)


def _public_modules() -> list[ModuleType]:
    infos = pkgutil.walk_packages([str(PACKAGE_DIR)], "emr_constructs.")
    return [emr_constructs, *(importlib.import_module(info.name) for info in infos if not _is_private(info.name))]


def _defined_public_objects() -> list[tuple[str, str, Any]]:
    """(module, name, object) for every public class, enum and function defined (not imported) in a public module."""
    found = []
    for module in _public_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            if value.__module__ == module.__name__:
                found.append((module.__name__, name, value))
    return found


DEFINED = _defined_public_objects()
PACKAGES = [m for m in _public_modules() if hasattr(m, "__path__")]


def _has_own_docstring(obj: Any) -> bool:
    doc = vars(obj).get("__doc__") if inspect.isclass(obj) else obj.__doc__
    if not doc or not doc.strip():
        return False
    # A dataclass without a docstring gets its signature as __doc__.
    return not (inspect.isclass(obj) and doc.startswith(f"{obj.__name__}("))


def test_the_walk_finds_the_library() -> None:
    names = {name for _, name, _ in DEFINED}
    assert {"EmrCluster", "EmrServerlessApplication", "EmrEksVirtualCluster", "SparkJob", "SparkPipeline"} <= names
    assert {p.__name__ for p in PACKAGES} >= {"emr_constructs", "emr_constructs.cluster", "emr_constructs.jobs"}


@pytest.mark.parametrize(("module", "name", "obj"), DEFINED, ids=[f"{m}.{n}" for m, n, _ in DEFINED])
def test_every_public_definition_is_reachable_from_the_top(module: str, name: str, obj: Any) -> None:
    assert name in emr_constructs.__all__, f"{module}.{name} is public but not exported by emr_constructs._EXPORTS"
    assert getattr(emr_constructs, name) is obj, f"emr_constructs.{name} is not {module}.{name}"


@pytest.mark.parametrize(("module", "name", "obj"), DEFINED, ids=[f"{m}.{n}" for m, n, _ in DEFINED])
def test_every_public_definition_has_a_docstring(module: str, name: str, obj: Any) -> None:
    assert _has_own_docstring(obj), f"{module}.{name} has no docstring"


@pytest.mark.parametrize("name", emr_constructs.__all__)
def test_every_exported_class_and_function_has_a_docstring(name: str) -> None:
    # Also covers what is defined in a package outside the walk (core/) and re-exported.
    obj = getattr(emr_constructs, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert _has_own_docstring(obj), f"emr_constructs.{name} ({obj.__module__}) has no docstring"


@pytest.mark.parametrize(("module", "name", "obj"), DEFINED, ids=[f"{m}.{n}" for m, n, _ in DEFINED])
def test_every_public_definition_is_named_in_the_readme(module: str, name: str, obj: Any) -> None:
    assert re.search(rf"\b{re.escape(name)}\b", README), f"{module}.{name} is not named in README.md"


def test_all_is_the_one_list() -> None:
    assert emr_constructs.__all__ == list(emr_constructs._EXPORTS)
    assert len(set(emr_constructs.__all__)) == len(emr_constructs.__all__)


def test_the_one_list_has_no_repeated_key() -> None:
    # A repeated key in a dict literal silently keeps the last value, so read the source.
    tree = ast.parse((PACKAGE_DIR / "__init__.py").read_text())
    assignments = [node for node in tree.body if isinstance(node, ast.AnnAssign | ast.Assign)]
    dicts = [node.value for node in assignments if isinstance(node.value, ast.Dict)]
    assert len(dicts) == 1
    keys = [key.value for key in dicts[0].keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(set(keys)) == len(emr_constructs._EXPORTS)


@pytest.mark.parametrize("name", emr_constructs.__all__)
def test_every_exported_name_resolves_from_its_module(name: str) -> None:
    module = importlib.import_module(emr_constructs._EXPORTS[name])
    assert getattr(emr_constructs, name) is getattr(module, name)
    assert name in dir(emr_constructs)


def test_no_export_comes_from_outside_the_library_surface() -> None:
    for name, module in emr_constructs._EXPORTS.items():
        assert module.startswith("emr_constructs."), name
        assert not _is_private(module), f"{name} is exported from {module}, which is not library surface"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchConstruct"):
        _ = emr_constructs.NoSuchConstruct  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="NoSuchConstruct"):
        _ = emr_constructs.cluster.NoSuchConstruct  # type: ignore[attr-defined]


@pytest.mark.parametrize("package", [p for p in PACKAGES if p is not emr_constructs], ids=lambda p: p.__name__)
def test_each_subpackage_exports_its_part_of_the_one_list(package: ModuleType) -> None:
    expected = exports_under(emr_constructs._EXPORTS, package.__name__)
    assert getattr(package, "_EXPORTS", {}) == expected
    assert getattr(package, "__all__", []) == list(expected)
    for name in expected:
        assert getattr(package, name) is getattr(emr_constructs, name)


def _type_checking_imports(path: Path) -> dict[str, str]:
    """name -> module of the ``from module import name as name`` lines under ``if TYPE_CHECKING:``."""
    imports: dict[str, str] = {}
    for node in ast.parse(path.read_text()).body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            continue
        for statement in node.body:
            assert isinstance(statement, ast.ImportFrom) and statement.module, ast.unparse(statement)
            for alias in statement.names:
                # "X as X" is what makes mypy --strict treat the import as a re-export.
                assert alias.asname == alias.name, f"{path}: write 'import {alias.name} as {alias.name}'"
                assert alias.name not in imports, f"{path}: {alias.name} imported twice"
                imports[alias.name] = statement.module
    return imports


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_type_checking_imports_match_the_one_list(package: ModuleType) -> None:
    path = Path(package.__file__ or "")
    expected = exports_under(emr_constructs._EXPORTS, package.__name__)
    assert _type_checking_imports(path) == expected


def test_loading_the_surface_loads_no_aws_cdk() -> None:
    packages = [p.__name__ for p in PACKAGES]
    code = (
        f"import importlib, sys; [importlib.import_module(p) for p in {packages!r}]; "
        "import emr_constructs.ops.cli, emr_constructs.jobs.spec; "
        "print(sorted(m for m in ('aws_cdk', 'jsii') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
