"""``emrctl <runtime> release`` shows the release each runtime runs, read from the moto server: the Serverless
application's releaseLabel (GetApplication), the cluster's ReleaseLabel (DescribeCluster), and for EMR on EKS the
stack's ReleaseLabel output with the releaseLabel of the latest job runs (the release is per job run there)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from emr_constructs.core.outputs import Ec2Output, EksOutput
from tests.ops.conftest import Result

EKS_STACK = "Emr-release-Eks"
EC2_STACK = "Emr-release-Ec2"
STACK_RELEASE = "emr-7.12.0-latest"


def _stack(client: Callable[[str], Any], name: str, outputs: dict[str, str]) -> None:
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))


@pytest.fixture(scope="module")
def eks(client: Callable[[str], Any], world: dict[str, str]) -> dict[str, Any]:
    """A virtual cluster of its own (other tests add runs to the shared one) with a run before and after an upgrade."""
    containers = client("emr-containers")
    vc_id = containers.create_virtual_cluster(
        name="release",
        containerProvider={"id": "emr-platform", "type": "EKS", "info": {"eksInfo": {"namespace": "emr-release"}}},
    )["id"]
    runs = {}
    for label in ("emr-7.10.0-latest", STACK_RELEASE):
        runs[label] = containers.start_job_run(
            name=f"pi-{label}",
            virtualClusterId=vc_id,
            executionRoleArn=world["role_arn"],
            releaseLabel=label,
            jobDriver={"sparkSubmitJobDriver": {"entryPoint": "s3://my-data/scripts/pi.py"}},
        )["id"]
    _stack(
        client,
        EKS_STACK,
        {EksOutput.VIRTUAL_CLUSTER_ID.key: vc_id, EksOutput.RELEASE_LABEL.key: STACK_RELEASE},
    )
    return {"vc_id": vc_id, "runs": runs}


def _ok(result: Result) -> dict[str, Any]:
    assert result.code == 0, result.stderr
    return dict(result.json())


def test_serverless_release_is_the_applications(emrctl: Callable[..., Result], world: dict[str, str]) -> None:
    shown = _ok(emrctl("--json", "serverless", "release", "--target", world["app_id"]))
    assert shown["target"] == world["app_id"] and shown["release_label"] == "emr-7.10.0"
    text = emrctl("serverless", "release", "--target", "My_First_Application")
    assert text.code == 0 and text.stdout.strip() == f"{world['app_id']}  emr-7.10.0  ({shown['state']})"


def test_ec2_release_is_the_clusters_by_id_and_by_stack(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    by_id = _ok(emrctl("--json", "ec2", "release", "--target", world["cluster_id"]))
    assert by_id["target"] == world["cluster_id"] and by_id["release_label"] == "emr-7.10.0"
    _stack(client, EC2_STACK, {Ec2Output.CLUSTER_ID.key: world["cluster_id"]})
    by_stack = _ok(emrctl("--json", "ec2", "release", "--stack", EC2_STACK))
    assert by_stack["target"] == world["cluster_id"] and by_stack["release_label"] == "emr-7.10.0"


def test_eks_release_is_the_stacks_and_each_runs(emrctl: Callable[..., Result], eks: dict[str, Any]) -> None:
    shown = _ok(emrctl("--json", "eks", "release", "--stack", EKS_STACK))
    assert shown["target"] == eks["vc_id"]
    assert shown["stack_release_label"] == STACK_RELEASE
    assert {run["id"]: run["release_label"] for run in shown["runs"]} == {v: k for k, v in eks["runs"].items()}


def test_eks_release_without_a_stack_shows_the_runs_only(emrctl: Callable[..., Result], eks: dict[str, Any]) -> None:
    shown = _ok(emrctl("--json", "eks", "release", "--target", eks["vc_id"], "--runs", "1"))
    assert shown["stack_release_label"] is None
    assert len(shown["runs"]) == 1 and shown["runs"][0]["release_label"] in eks["runs"]
    text = emrctl("eks", "release", "--target", eks["vc_id"])
    assert text.code == 0 and "(no --stack)" in text.stdout and STACK_RELEASE in text.stdout


@pytest.mark.parametrize(
    ("runtime", "target"),
    [("serverless", "no-such-application"), ("ec2", "no-such-cluster"), ("eks", "no-such-virtual-cluster")],
)
def test_an_unknown_target_exits_not_found(emrctl: Callable[..., Result], runtime: str, target: str) -> None:
    result = emrctl(runtime, "release", "--target", target)
    assert result.code == 3, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_every_runtime_group_has_release(emrctl: Callable[..., Result]) -> None:
    for runtime in ("serverless", "ec2", "eks"):
        result = emrctl(runtime, "--help")
        assert result.code == 0 and "release" in result.stdout
