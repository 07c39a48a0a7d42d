"""``emrctl ec2 --stack`` when EMR has terminated the stack's cluster (idle auto-termination): CloudFormation still
holds the TERMINATED cluster, and a terminated cluster can never run a step again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.ops.conftest import Result

STACK = "Emr-idle-Ec2"


@pytest.fixture(scope="module")
def terminated(client: Callable[[str], Any]) -> dict[str, str]:
    """A stack whose ClusterId output names a cluster that EMR has since terminated (moto: TerminateJobFlows)."""
    emr = client("emr")
    cluster_id = emr.run_job_flow(
        Name="Emr-idle-Ec2-Cluster",
        ReleaseLabel="emr-7.10.0",
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        LogUri="s3://my-logs/emr-logs/",
        Instances={
            "MasterInstanceType": "m7g.xlarge",
            "SlaveInstanceType": "m7g.xlarge",
            "InstanceCount": 3,
            "KeepJobFlowAliveWhenNoSteps": True,
        },
    )["JobFlowId"]
    step_id = emr.add_job_flow_steps(
        JobFlowId=cluster_id,
        Steps=[
            {
                "Name": "before",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "s3://my-data/jobs/a.py"]},
            }
        ],
    )["StepIds"][0]
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    assert emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]["State"] == "TERMINATED"
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "ClusterId": {"Value": cluster_id},
            "LogUri": {"Value": "s3://my-logs/emr-logs/"},
            "RuntimeRoleArn": {"Value": "arn:aws:iam::123456789012:role/SparkJobRole"},
        },
    }
    client("cloudformation").create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    return {"cluster_id": cluster_id, "step_id": step_id}


def test_submit_to_a_stack_whose_cluster_is_terminated_says_so_and_how_to_recreate_it(
    emrctl: Callable[..., Result], terminated: dict[str, str]
) -> None:
    result = emrctl("ec2", "submit", "--stack", STACK, "--name", "x", "--entry-point", "s3://my-data/jobs/x.py")
    assert result.code == 7, result.stderr
    message = " ".join(result.stderr.split())
    assert f"stack {STACK!r}: its cluster {terminated['cluster_id']} is TERMINATED" in message
    assert "idle auto-termination" in message
    assert "ec2.cluster_generation" in message and f"cdk deploy {STACK}" in message
    assert "Traceback" not in result.stderr


def test_reading_the_history_of_a_terminated_stack_cluster_still_works_with_a_warning(
    emrctl: Callable[..., Result], terminated: dict[str, str]
) -> None:
    listed = emrctl("--json", "ec2", "list", "--stack", STACK)
    assert listed.code == 0, listed.stderr
    assert terminated["step_id"] in [s["id"] for s in listed.json()]
    assert f"warning: stack {STACK!r}: its cluster {terminated['cluster_id']} is TERMINATED" in listed.stderr


def test_help_documents_the_terminated_cluster_exit_code(emrctl: Callable[..., Result]) -> None:
    text = " ".join(emrctl("--help").stdout.split())
    assert "7 the stack's cluster is terminated" in text
