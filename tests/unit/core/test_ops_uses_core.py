"""The ``emrctl`` CLI takes release, worker and naming knowledge from ``emr_constructs.core``, never from the
construct-side modules (which import aws_cdk) and never as its own literals."""

from __future__ import annotations

import click

from emr_constructs.core.releases import DEFAULT_EKS_RELEASE_LABEL
from emr_constructs.ops.cli import cli
from tests.unit.core._source import LIBRARY, ROOT, imported_modules, python_files

OPS = LIBRARY / "ops"
PURE_LIBRARY_MODULES = ("emr_constructs.core", "emr_constructs.ops", "emr_constructs.jobs.spec")
"""What ops may import from the library: core, itself, and the pure job spec (no aws_cdk)."""


def _library_imports() -> list[tuple[str, int, str]]:
    return [
        (str(path.relative_to(ROOT)), line, module)
        for path in python_files(OPS)
        for line, module in imported_modules(path)
        if module == "emr_constructs" or module.startswith("emr_constructs.")
    ]


def test_ops_imports_only_core_and_the_pure_job_spec() -> None:
    # Given every import of the library in ops, Then each is core, ops itself or the job spec: knowledge such as
    # release labels, worker sizes and names comes from core, not from emr_constructs.releases / serverless / _internal.
    imports = _library_imports()
    assert imports  # the walk sees the CLI's imports
    offenders = [entry for entry in imports if not entry[2].startswith(PURE_LIBRARY_MODULES)]
    assert offenders == []


def test_ops_takes_the_release_label_from_core() -> None:
    assert any(module == "emr_constructs.core.releases" for _, _, module in _library_imports())


def test_eks_submit_defaults_to_the_core_release_label() -> None:
    # Given `emrctl eks submit`, Then its --release-label default is core's EKS default.
    eks = cli.commands["eks"]
    assert isinstance(eks, click.Group)
    submit = eks.commands["submit"]
    defaults = {param.name: param.default for param in submit.params}
    assert defaults["release_label"] == DEFAULT_EKS_RELEASE_LABEL.label
