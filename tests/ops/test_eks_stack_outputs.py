"""``emrctl eks submit --stack`` runs the job as the reference EKS stack intends: with the stack's pod templates
(drivers On-Demand, executors on Spot), its release label and its log group, not only its target, role and log URI.
Each run is read back with the EMR on EKS ``DescribeJobRun`` API of the moto server."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import pytest

from emr_constructs.core.outputs import EksOutput
from tests.ops.conftest import Result

STACK = "Emr-outputs-Eks"
STACK_RELEASE = "emr-7.9.0-latest"
"""Not the CLI's default, so a run that carries it took it from the stack."""
DRIVER_CONF = "spark.kubernetes.driver.podTemplateFile"
EXECUTOR_CONF = "spark.kubernetes.executor.podTemplateFile"
JOB = ("--name", "pi", "--entry-point", "s3://my-data/scripts/pi.py")


@pytest.fixture(scope="module")
def stack(client: Callable[[str], Any], world: dict[str, str]) -> dict[str, str]:
    """A stack with every output of the EKS schema (as the reference EKS stack writes them) on the moto server."""
    values = {
        EksOutput.VIRTUAL_CLUSTER_ID: world["vc_id"],
        EksOutput.DATA_BUCKET: "my-data",
        EksOutput.EXECUTION_ROLE_ARN: world["role_arn"],
        EksOutput.LOG_GROUP_NAME: "/emr-on-eks/emr-platform",
        EksOutput.LOG_URI: "s3://my-logs/emr-eks-logs/",
        EksOutput.DRIVER_POD_TEMPLATE: "s3://my-data/artifacts/pod-templates/driver.yaml",
        EksOutput.EXECUTOR_POD_TEMPLATE: "s3://my-data/artifacts/pod-templates/executor.yaml",
        EksOutput.DASHBOARD_NAME: "emr-eks",
        EksOutput.RELEASE_LABEL: STACK_RELEASE,
    }
    assert set(values) == set(EksOutput)
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {output.key: {"Value": value} for output, value in values.items()},
    }
    client("cloudformation").create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    return {output.key: value for output, value in values.items()}


def _run(client: Callable[[str], Any], result: Result) -> dict[str, Any]:
    assert result.code == 0, result.stderr
    submitted = result.json()
    run = client("emr-containers").describe_job_run(virtualClusterId=submitted["target"], id=submitted["id"])
    return dict(run["jobRun"])


def _confs(run: dict[str, Any]) -> dict[str, str]:
    words = shlex.split(run["jobDriver"]["sparkSubmitJobDriver"].get("sparkSubmitParameters", ""))
    pairs = [words[i + 1] for i, word in enumerate(words) if word == "--conf"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_submit_from_the_stack_applies_its_pod_templates_release_and_logs(
    emrctl: Callable[..., Result], client: Callable[[str], Any], stack: dict[str, str]
) -> None:
    run = _run(client, emrctl("--json", "eks", "submit", "--stack", STACK, *JOB))
    assert run["releaseLabel"] == STACK_RELEASE
    assert run["executionRoleArn"] == stack[EksOutput.EXECUTION_ROLE_ARN.key]
    confs = _confs(run)
    assert confs[DRIVER_CONF] == stack[EksOutput.DRIVER_POD_TEMPLATE.key]
    assert confs[EXECUTOR_CONF] == stack[EksOutput.EXECUTOR_POD_TEMPLATE.key]
    monitoring = run["configurationOverrides"]["monitoringConfiguration"]
    assert monitoring["s3MonitoringConfiguration"]["logUri"] == stack[EksOutput.LOG_URI.key]
    assert monitoring["cloudWatchMonitoringConfiguration"]["logGroupName"] == stack[EksOutput.LOG_GROUP_NAME.key]


def test_explicit_options_win_over_the_stack(
    emrctl: Callable[..., Result], client: Callable[[str], Any], stack: dict[str, str]
) -> None:
    # Given --release-label and a driver pod template of the user's own, Then those are sent; the executor template
    # still comes from the stack.
    mine = "s3://my-data/my-templates/driver.yaml"
    result = emrctl(
        "--json",
        "eks",
        "submit",
        "--stack",
        STACK,
        *JOB,
        "--release-label",
        "emr-7.5.0-latest",
        "--conf",
        f"{DRIVER_CONF}={mine}",
    )
    run = _run(client, result)
    assert run["releaseLabel"] == "emr-7.5.0-latest"
    confs = _confs(run)
    assert confs[DRIVER_CONF] == mine
    assert confs[EXECUTOR_CONF] == stack[EksOutput.EXECUTOR_POD_TEMPLATE.key]


def test_without_the_stack_no_pod_template_is_invented(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str], stack: dict[str, str]
) -> None:
    result = emrctl("--json", "eks", "submit", "--target", world["vc_id"], "--role", world["role_arn"], *JOB)
    run = _run(client, result)
    assert run["releaseLabel"] != STACK_RELEASE
    assert DRIVER_CONF not in _confs(run) and EXECUTOR_CONF not in _confs(run)


def test_a_malformed_release_label_is_a_usage_error(emrctl: Callable[..., Result], stack: dict[str, str]) -> None:
    result = emrctl("eks", "submit", "--stack", STACK, *JOB, "--release-label", "7.10")
    assert result.code == 2
    assert result.stderr.strip().startswith("error: --release-label: got '7.10'; must look like 'emr-X.Y.Z'")
