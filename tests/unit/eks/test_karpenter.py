"""Karpenter as the Spark capacity of a created EKS cluster."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from emr_constructs.eks import EmrEksCluster, KarpenterOptions
from tests.conftest import new_app


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Karpenter")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    EmrEksCluster(stack, "Eks", vpc=vpc, karpenter=KarpenterOptions(executor_cpu_limit=128))
    return Template.from_stack(stack)


def _manifest(template: Template, prefix: str) -> str:
    manifests = template.find_resources("Custom::AWSCDK-EKS-KubernetesResource")
    (manifest,) = [v for k, v in manifests.items() if prefix in k]
    return json.dumps(manifest["Properties"]["Manifest"])


def test_only_the_system_node_group_remains(template: Template) -> None:
    groups = [
        g["Properties"]["Labels"]["emr-constructs.io/role"]
        for g in template.find_resources("AWS::EKS::Nodegroup").values()
    ]
    assert groups == ["system"]


def test_node_pools_keep_drivers_on_demand_and_executors_on_spot(template: Template) -> None:
    text = _manifest(template, "NodePools")
    needles = [
        "EC2NodeClass",
        "spark-driver",
        "on-demand",
        "spark-executor",
        '[\\"spot\\"]',
        "emr-constructs.io/spot",
        '\\"cpu\\":\\"128\\"',
        '[\\"arm64\\"]',
        "al2023@latest",
    ]
    for needle in needles:
        assert needle in text, needle


def test_controller_uses_pod_identity(template: Template) -> None:
    (association,) = template.find_resources("AWS::EKS::PodIdentityAssociation").values()
    assert association["Properties"]["ServiceAccount"] == "karpenter"
    assert association["Properties"]["Namespace"] == "kube-system"


# Karpenter's reference controller policy, for the chart version the code pins (v1.6.3): CloudFormation template
# website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml in
# https://github.com/aws/karpenter-provider-aws ; https://karpenter.sh/docs/reference/cloudformation/


def _controller_policies(template: Template) -> list[dict[str, Any]]:
    (role,) = [k for k in template.find_resources("AWS::IAM::Role") if "ControllerRole" in k]
    policies = [
        p["Properties"]["PolicyDocument"]
        for p in template.find_resources("AWS::IAM::ManagedPolicy").values()
        if {"Ref": role} in p["Properties"].get("Roles", [])
    ]
    assert policies
    return policies


def _statements(template: Template) -> list[dict[str, Any]]:
    return [s for p in _controller_policies(template) for s in p["Statement"] if s["Effect"] == "Allow"]


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def _resources(statement: dict[str, Any]) -> list[Any]:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]


def _cluster_name(template: Template) -> str:
    (cluster,) = template.find_resources("AWS::EKS::Cluster").values()
    name = cluster["Properties"]["Name"]
    assert isinstance(name, str), "the tag keys in the policy need the cluster name at synth time"
    return name


def _condition(statement: dict[str, Any], operator: str, key: str) -> Any:
    return statement.get("Condition", {}).get(operator, {}).get(key)


def test_controller_policy_allows_nothing_but_reads_on_every_resource(template: Template) -> None:
    """Only Describe calls (Region-scoped) and pricing:GetProducts, which have no resource-level permissions, are
    allowed on Resource "*"."""
    for statement in _statements(template):
        if "*" in _resources(statement):
            for action in _actions(statement):
                assert action.startswith("ec2:Describe") or action == "pricing:GetProducts", action
            if any(a.startswith("ec2:") for a in _actions(statement)):
                assert _condition(statement, "StringEquals", "aws:RequestedRegion") == {"Ref": "AWS::Region"}


def test_controller_terminates_and_retags_only_instances_of_its_cluster(template: Template) -> None:
    """TerminateInstances/DeleteLaunchTemplate and CreateTags on existing instances need the resource tags Karpenter
    puts on what it launches: kubernetes.io/cluster/<name>=owned and a karpenter.sh/nodepool tag."""
    owned = f"aws:ResourceTag/kubernetes.io/cluster/{_cluster_name(template)}"
    mutating = [
        s for s in _statements(template) if {"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"} & set(_actions(s))
    ]
    assert mutating
    for statement in mutating:
        assert _condition(statement, "StringEquals", owned) == "owned"
        assert _condition(statement, "StringLike", "aws:ResourceTag/karpenter.sh/nodepool") == "*"
    tagging = [s for s in _statements(template) if "ec2:CreateTags" in _actions(s)]
    assert tagging
    for statement in tagging:
        on_create = _condition(statement, "StringEquals", "ec2:CreateAction")
        if on_create is not None:  # tags sent with RunInstances/CreateFleet/CreateLaunchTemplate
            assert set(on_create) <= {"RunInstances", "CreateFleet", "CreateLaunchTemplate"}
            assert _condition(statement, "StringEquals", owned.replace("ResourceTag", "RequestTag")) == "owned"
        else:  # retagging an instance it launched, with a fixed set of tag keys
            assert _condition(statement, "StringEquals", owned) == "owned"
            assert _condition(statement, "StringLike", "aws:ResourceTag/karpenter.sh/nodepool") == "*"
            assert set(_condition(statement, "ForAllValues:StringEquals", "aws:TagKeys")) <= {
                "eks:eks-cluster-name",
                "karpenter.sh/nodeclaim",
                "Name",
            }


def test_controller_launches_only_with_its_cluster_tags(template: Template) -> None:
    """RunInstances/CreateFleet/CreateLaunchTemplate create resources only when the request carries the cluster's
    tags; launch templates are used only when they carry them; AMIs, snapshots, subnets, security groups and capacity
    reservations of this Region are the only other inputs."""
    requested = f"aws:RequestTag/kubernetes.io/cluster/{_cluster_name(template)}"
    inputs = {"image", "snapshot", "security-group", "subnet", "capacity-reservation"}
    for statement in _statements(template):
        launch = {"ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"} & set(_actions(statement))
        if not launch:
            continue
        if _condition(statement, "StringEquals", requested) == "owned":
            assert _condition(statement, "StringLike", "aws:RequestTag/karpenter.sh/nodepool") == "*"
            continue
        resource_types = set()
        for resource in _resources(statement):
            text = json.dumps(resource)
            assert '"AWS::Region"' in text, resource
            resource_types.add(text.rsplit(":", 1)[1].split("/")[0])
        if resource_types == {"launch-template"}:
            owned = requested.replace("RequestTag", "ResourceTag")
            assert _condition(statement, "StringEquals", owned) == "owned"
        else:
            assert resource_types <= inputs and "ec2:CreateLaunchTemplate" not in launch, (resource_types, launch)


def test_controller_manages_only_instance_profiles_of_its_cluster_and_region(template: Template) -> None:
    """iam:CreateInstanceProfile needs the cluster/Region request tags; tagging, adding/removing the role and deleting
    need them on the profile: no account-wide instance-profile deletion."""
    name = _cluster_name(template)
    actions = {
        "iam:CreateInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
    }
    seen: set[str] = set()
    for statement in _statements(template):
        granted = actions & set(_actions(statement))
        if not granted:
            continue
        seen |= granted
        kinds = ["RequestTag"] if granted == {"iam:CreateInstanceProfile"} else ["ResourceTag"]
        if "iam:TagInstanceProfile" in granted:
            kinds.append("RequestTag")
        for kind in kinds:
            assert _condition(statement, "StringEquals", f"aws:{kind}/kubernetes.io/cluster/{name}") == "owned"
            region = _condition(statement, "StringEquals", f"aws:{kind}/topology.kubernetes.io/region")
            assert region == {"Ref": "AWS::Region"}, (granted, kind)
            assert _condition(statement, "StringLike", f"aws:{kind}/karpenter.k8s.aws/ec2nodeclass") == "*"
    assert seen == actions


def test_controller_passes_only_the_node_role_to_ec2(template: Template) -> None:
    passing = [s for s in _statements(template) if "iam:PassRole" in _actions(s)]
    assert len(passing) == 1
    (resource,) = _resources(passing[0])
    assert resource["Fn::GetAtt"][0].startswith("EksKarpenterNodeRole")
    services = _condition(passing[0], "StringEquals", "iam:PassedToService")
    assert set(services if isinstance(services, list) else [services]) <= {"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}


def test_controller_reads_only_the_interruption_queue(template: Template) -> None:
    for statement in _statements(template):
        if any(a.startswith("sqs:") for a in _actions(statement)):
            assert _resources(statement) == [{"Fn::GetAtt": [_queue_id(template), "Arn"]}]


def _queue_id(template: Template) -> str:
    (logical_id,) = template.find_resources("AWS::SQS::Queue")
    return str(logical_id)


def test_interruption_queue_accepts_events_only_from_the_stack_rules(template: Template) -> None:
    """EventBridge (and SQS) may SendMessage only on behalf of this stack's four rules, in this account
    (aws:SourceArn / aws:SourceAccount).
    See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions"""
    (queue_policy,) = template.find_resources("AWS::SQS::QueuePolicy").values()
    rules = {k for k in template.find_resources("AWS::Events::Rule")}
    allows = [s for s in queue_policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allows
    for statement in allows:
        assert _actions(statement) == ["sqs:SendMessage"]
        source_arns = _condition(statement, "ArnEquals", "aws:SourceArn")
        assert {arn["Fn::GetAtt"][0] for arn in source_arns} == rules
        assert _condition(statement, "StringEquals", "aws:SourceAccount") == {"Ref": "AWS::AccountId"}


def test_interruption_queue_gets_the_four_event_kinds(template: Template) -> None:
    rules = [
        r["Properties"]["EventPattern"]["detail-type"][0] for r in template.find_resources("AWS::Events::Rule").values()
    ]
    assert sorted(rules) == sorted(
        [
            "EC2 Spot Instance Interruption Warning",
            "EC2 Instance Rebalance Recommendation",
            "EC2 Instance State-change Notification",
            "AWS Health Event",
        ]
    )
    (queue,) = template.find_resources("AWS::SQS::Queue").values()
    assert queue["Properties"]["SqsManagedSseEnabled"] is True


def test_chart_is_pinned(template: Template) -> None:
    (chart,) = template.find_resources("Custom::AWSCDK-EKS-HelmChart").values()
    props: dict[str, Any] = chart["Properties"]
    assert props["Chart"] == "karpenter" and props["Version"] == "1.6.3"
    assert props["Repository"] == "oci://public.ecr.aws/karpenter/karpenter"
    # installed after (and deleted before) the controller's pod identity and policies
    policies = [k for k, p in template.find_resources("AWS::IAM::ManagedPolicy").items() if "Controller" in k]
    (chart_resource,) = template.find_resources("Custom::AWSCDK-EKS-HelmChart").values()
    assert set(policies) <= set(chart_resource["DependsOn"]) and len(policies) == 2
    # Karpenter tags what it launches with settings.clusterName: the name the controller policy's conditions use
    assert f'"clusterName":"{_cluster_name(template)}"' in props["Values"]["Fn::Join"][1][0]


def test_bad_chart_version() -> None:
    with pytest.raises(ValueError, match=r"karpenter.version: got 'latest'; must be a chart version"):
        KarpenterOptions(version="latest").validate()


def _worst_case(value: Any) -> Any:
    """The document as IAM will store it, with every token at its longest plausible value."""
    longest = {
        "AWS::Partition": "aws-us-gov",
        "AWS::Region": "ap-southeast-2",
        "AWS::AccountId": "123456789012",
        "AWS::URLSuffix": "amazonaws.com",
    }
    if isinstance(value, list):
        return [_worst_case(v) for v in value]
    if isinstance(value, dict):
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return separator.join(_worst_case(p) for p in parts)
        if "Ref" in value:
            return longest.get(value["Ref"], "x" * 100)
        if "Fn::GetAtt" in value:  # role, queue and cluster ARNs: names of up to 64 / 80 / 100 characters
            return "arn:aws-us-gov:service:ap-southeast-2:123456789012:resource/" + "x" * 100
        return {k: _worst_case(v) for k, v in value.items()}
    return value


def test_controller_policies_fit_the_managed_policy_size_limit_with_the_longest_cluster_name() -> None:
    """A managed policy holds at most 6,144 characters, whitespace not counted; the cluster name (up to 100
    characters) appears in many condition keys.
    See: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"""
    stack = Stack(new_app(), "LongName")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    EmrEksCluster(stack, "Eks", vpc=vpc, karpenter=KarpenterOptions(), cluster_name="c" * 100)
    for document in _controller_policies(Template.from_stack(stack)):
        text = json.dumps(_worst_case(document), separators=(",", ":"))
        assert "c" * 100 in text
        assert len(text) <= 6144, len(text)


@pytest.fixture(scope="module")
def scratch() -> dict[str, Any]:
    stack = Stack(new_app(), "Scratch")
    return {"stack": stack, "vpc": ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)}


def test_more_controller_replicas_than_system_nodes(scratch: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"karpenter.controller_replicas: got 2; must not exceed capacity.system"):
        options = KarpenterOptions(controller_replicas=2)
        EmrEksCluster(scratch["stack"], "Replicas", vpc=scratch["vpc"], karpenter=options)


def test_karpenter_needs_a_literal_cluster_name(scratch: dict[str, Any]) -> None:
    token = CfnParameter(scratch["stack"], "ClusterName").value_as_string
    with pytest.raises(ValueError, match=r"cluster_name: got '\$\{Token\[.*must be a literal name with karpenter"):
        EmrEksCluster(scratch["stack"], "Token", vpc=scratch["vpc"], karpenter=KarpenterOptions(), cluster_name=token)
    EmrEksCluster(scratch["stack"], "NodeGroups", vpc=scratch["vpc"], cluster_name=token)  # no Karpenter: fine
    with pytest.raises(ValueError, match=r"cluster_name: got 'bad name'; must be 1-100 letters"):
        EmrEksCluster(scratch["stack"], "Bad", vpc=scratch["vpc"], cluster_name="bad name")
