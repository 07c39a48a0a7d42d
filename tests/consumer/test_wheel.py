"""Importability: the wheel, installed with the runtime requirements only into a fresh venv, serves a consumer app.

The wheel is built from the checkout (``pip wheel --no-deps``), installed with requirements.txt into one fresh venv
per run (the pip cache keeps this to about half a minute), and tests/consumer/consumer_app.py runs from a temporary
directory outside the repository with no PYTHONPATH: every public construct, the four compliance packs, 0 findings.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import constructs
import pytest

import emr_constructs

# One xdist worker synthesizes (and builds) once for the whole module (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("consumer-wheel")
ROOT = Path(__file__).resolve().parents[2]
APP = Path(__file__).with_name("consumer_app.py")

# Exported constructs the consumer app reaches through another construct rather than by name.
INDIRECT = {
    "ApplicationLifecycleGuards": "EmrServerlessApplication creates it (lifecycle_guards=True)",
    "LaunchRole": "EmrServiceCatalog creates it",
    "EmrServiceCatalog": "its product stacks add product templates to the assembly; tests/unit/catalog synthesizes "
    "it with the four packs and cfn-lint on the parent and product templates",
    "LakeFormationDataLakeSettings": "REPLACES an account's data lake admins, so an app opts in deliberately; its "
    "synth warning is tested in tests/unit/lakeformation",
    "EmrEksLakeFormationSecurityConfiguration": "needs a query engine role and the secure namespace's RBAC, set up "
    "outside CloudFormation; tested in tests/unit/lakeformation",
    "ClusterBase": "abstract base of EmrCluster",
    "ApplicationBase": "abstract base of EmrServerlessApplication",
    "VirtualClusterBase": "abstract base of EmrEksVirtualCluster",
    "StepSubmitter": "EmrCluster.add_step with a runtime role creates it",
    "Karpenter": "EmrEksCluster(karpenter=KarpenterOptions()) creates it",
    "EmrServiceRole": "EmrCluster creates it",
    "EmrInstanceRole": "EmrCluster creates it",
    "RolePolicy": "JobRuntimeRole grants write into it",
}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    return env


def _run(command: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout, check=False)
    assert run.returncode == 0, f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy of the project files: pip builds in the source tree (build/, *.egg-info), which another
    # build or a reader of the work tree would otherwise share.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "emr_constructs", source / "emr_constructs", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", str(dist)], cwd=dist)
    (built,) = dist.glob("emr_constructs-*.whl")
    return built


@pytest.fixture(scope="module")
def consumer_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "consumer"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt"), str(wheel)], venv)
    return python


def _consumer(python: Path, workdir: Path, *args: str) -> dict[str, Any]:
    shutil.copy(APP, workdir / APP.name)
    run = _run([str(python), APP.name, str(workdir / "cdk.out"), *args], cwd=workdir)
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def test_the_wheel_holds_every_package_file_and_asset(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "emr_constructs").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert {"emr_constructs/py.typed", "emr_constructs/cluster/tls_handler/index.js"} <= expected
    assert expected - names == set()
    assert not {n for n in names if n.startswith(("tests/", "stacks/"))}


def test_the_consumer_app_uses_every_public_construct() -> None:
    source = APP.read_text()
    public = {
        name
        for name in emr_constructs._EXPORTS
        if inspect.isclass(obj := getattr(emr_constructs, name)) and issubclass(obj, constructs.Construct)
    }
    assert set(INDIRECT) <= public
    assert {name for name in public - set(INDIRECT) if name not in source} == set()
    assert "import emr_constructs\n" in source and "from emr_constructs import (" in source
    assert "emr_constructs." not in source.replace("emr_constructs.__file__", "")  # public names only


def test_a_consumer_outside_the_repo_synthesizes_with_zero_findings(consumer_python: Path, tmp_path: Path) -> None:
    result = _consumer(consumer_python, tmp_path)
    assert Path(result["module"]).is_relative_to(consumer_python.parents[1]), result["module"]  # the wheel
    assert result["templates"] == [f"Consumer{s}.template.json" for s in ("Ec2", "Eks", "Network", "Serverless")]
    assert result["findings"] == []
    assert result["error"] is None


def test_without_its_acknowledgments_the_consumer_app_fails_the_packs(consumer_python: Path, tmp_path: Path) -> None:
    result = _consumer(consumer_python, tmp_path, "--no-acknowledgments")
    rules = {rule.split("-", 1)[1] for rule, _ in result["findings"]}
    assert {"EMR6", "EMRKerberosEnabled", "VPCNoUnrestrictedRouteToIGW", "IAMNoInlinePolicy"} <= rules
    assert "ValidationFailed" in result["error"]
