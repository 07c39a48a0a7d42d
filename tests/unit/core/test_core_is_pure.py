"""``emr_constructs.core`` is what the CLI and the constructs share: it must load without aws_cdk, constructs or jsii
(the CLI has to start in well under a second), and so must depend on nothing but the standard library and itself."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.unit.core._source import CORE, ROOT, imported_modules, module_name, python_files

CORE_MODULES = [module_name(path) for path in python_files(CORE)]
HEAVY = ("aws_cdk", "constructs", "jsii")
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:]))))
"""


def test_core_has_the_shared_modules() -> None:
    # Given the core package, When listing its modules, Then the shared knowledge is there (the walk is not empty).
    for expected in ("releases", "workers", "naming", "validation", "iam_actions", "spark", "tags", "tokens"):
        assert f"emr_constructs.core.{expected}" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_importing_a_core_module_loads_no_cdk(module: str) -> None:
    # Given a fresh interpreter, When it imports one core module, Then no aws_cdk/constructs/jsii module is loaded.
    result = subprocess.run(
        [sys.executable, "-c", PROBE, module, *HEAVY], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [], f"{module} loads {result.stdout.strip()}"


def test_the_probe_can_fail() -> None:
    # The same probe on a construct module reports aws_cdk: the test above would notice a regression.
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "emr_constructs._internal.validation", *HEAVY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "aws_cdk" in json.loads(result.stdout)


def test_core_imports_only_the_standard_library_and_itself() -> None:
    # Given every import statement in core, Then each names core itself or a standard-library module.
    stdlib = sys.stdlib_module_names
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in python_files(CORE)
        for line, module in imported_modules(path)
        if not module.startswith("emr_constructs.core") and module.split(".")[0] not in stdlib
    ]
    assert offenders == []
