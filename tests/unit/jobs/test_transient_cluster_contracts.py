"""The transient cluster a ``SparkPipeline`` creates (Step Functions ``createCluster.sync``): what RunJobFlow needs
to succeed with AmazonEMRServicePolicy_v2, checked on the synthesized definition and the state machine's policy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template

from emr_constructs.jobs import SparkJob
from emr_constructs.jobs.pipeline import PIPELINE_TAG, PipelineTarget, SparkPipeline, TransientCluster
from tests.conftest import new_app

V2_FLAG = "@aws-cdk/aws-stepfunctions-tasks:enableEmrServicePolicyV2"
MANAGED_POLICY_TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}


@pytest.fixture(scope="module", params=[True, False], ids=["v2-flag-on", "v2-flag-off"])
def template(request: pytest.FixtureRequest) -> Template:
    """The library must not depend on aws-cdk-lib's feature flag for the tag: build with it on and off."""
    stack = Stack(new_app(**{V2_FLAG: request.param}), "Transient")
    job = SparkJob(name="etl", entry_point="s3://my-artifacts/jobs/etl.py")
    SparkPipeline(
        stack,
        "Nightly",
        jobs=[job],
        target=PipelineTarget.transient_ec2(TransientCluster(subnet_id="subnet-12345678", log_uri="s3://my-logs/emr/")),
    )
    return Template.from_stack(stack)


def _render(part: Any) -> str:
    """A part of the definition's ``Fn::Join``: literal text, or a marker naming what a token refers to."""
    if isinstance(part, str):
        return part
    if set(part) == {"Ref"}:
        return "${Ref:" + part["Ref"] + "}"
    if set(part) == {"Fn::GetAtt"}:
        return "${GetAtt:" + ".".join(part["Fn::GetAtt"]) + "}"
    return "${Expr:" + ",".join(sorted(_refs(part))) + "}"


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        if "Ref" in value:
            return {value["Ref"]}
        if "Fn::GetAtt" in value:
            return {value["Fn::GetAtt"][0]}
        return set().union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value)) if value else set()
    return set()


def _create_cluster(template: Template) -> dict[str, Any]:
    (machine,) = template.find_resources("AWS::StepFunctions::StateMachine").values()
    definition = json.loads("".join(_render(p) for p in machine["Properties"]["DefinitionString"]["Fn::Join"][1]))
    (state,) = [s for s in definition["States"].values() if "createCluster" in s.get("Resource", "")]
    return dict(state)


def _logical_id(template: Template, resource_type: str, prefix: str) -> str:
    (found,) = [k for k in template.find_resources(resource_type) if k.startswith(prefix)]
    return found


def _statements(template: Template) -> list[dict[str, Any]]:
    (policy,) = [
        v for k, v in template.find_resources("AWS::IAM::ManagedPolicy").items() if k.startswith("NightlyPolicy")
    ]
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def test_transient_cluster_is_created_with_the_managed_policy_tag(template: Template) -> None:
    """Rule: a cluster whose service role uses AmazonEMRServicePolicy_v2 must be created with the request tag
    ``for-use-with-amazon-emr-managed-policies = true``, or EMR cannot launch its instances."""
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html
    create = _create_cluster(template)
    service_role = _logical_id(template, "AWS::IAM::Role", "NightlyClusterServiceRole")
    assert service_role in create["Parameters"]["ServiceRole"], "precondition: the pipeline's own service role"
    role = template.to_json()["Resources"][service_role]["Properties"]
    assert "AmazonEMRServicePolicy_v2" in json.dumps(role["ManagedPolicyArns"])
    assert MANAGED_POLICY_TAG in create["Parameters"]["Tags"]


def test_job_flow_role_names_the_instance_profile(template: Template) -> None:
    """Rule: RunJobFlow's ``JobFlowRole`` is the name of an EC2 instance profile, not of a role."""
    # https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html (JobFlowRole)
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html
    profile = _logical_id(template, "AWS::IAM::InstanceProfile", "NightlyClusterNodes")
    assert _create_cluster(template)["Parameters"]["JobFlowRole"] == "${Ref:" + profile + "}"


def test_state_machine_may_tag_the_cluster_it_creates(template: Template) -> None:
    """Rule: RunJobFlow with ``Tags`` also needs ``elasticmapreduce:AddTags``; scoped like RunJobFlow, to requests
    carrying this pipeline's tag, on cluster ARNs of this account and Region."""
    # https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-policy-fullaccess-v2.html
    create = _create_cluster(template)
    (pipeline_tag,) = [t["Value"] for t in create["Parameters"]["Tags"] if t["Key"] == PIPELINE_TAG]
    (add_tags,) = [s for s in _statements(template) if "elasticmapreduce:AddTags" in json.dumps(s["Action"])]
    assert add_tags["Condition"] == {"StringEquals": {f"aws:RequestTag/{PIPELINE_TAG}": pipeline_tag}}
    resource = json.dumps(add_tags["Resource"])
    assert ":elasticmapreduce:" in resource and ":cluster/*" in resource and '"*"' not in resource


def test_transient_cluster_terminates_itself_when_idle(template: Template) -> None:
    """Rule: Step Functions does not terminate a cluster when an execution is stopped (only the pipeline's terminate
    states do), so the RunJobFlow request carries ``AutoTerminationPolicy.IdleTimeout`` (60 to 604800 seconds): EMR
    itself ends a cluster left without steps."""
    # https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-auto-termination-policy.html
    idle = _create_cluster(template)["Parameters"]["AutoTerminationPolicy"]["IdleTimeout"]
    assert isinstance(idle, int) and 60 <= idle <= 604800


@pytest.mark.parametrize("seconds", [59, 604801, 1.5])
def test_transient_cluster_idle_timeout_out_of_range_is_rejected(seconds: float) -> None:
    with pytest.raises((ValueError, TypeError), match="idle_timeout_seconds"):
        TransientCluster(subnet_id="subnet-12345678", idle_timeout_seconds=seconds)  # type: ignore[arg-type]
