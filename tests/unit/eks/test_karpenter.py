"""Karpenter as the Spark capacity of a created EKS cluster."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
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
    needles = ["EC2NodeClass", "spark-driver", "on-demand", "spark-executor", '[\\"spot\\"]',
               "emr-constructs.io/spot", '\\"cpu\\":\\"128\\"', '[\\"arm64\\"]', "al2023@latest"]  # fmt: skip
    for needle in needles:
        assert needle in text, needle


def test_controller_uses_pod_identity_and_a_scoped_policy(template: Template) -> None:
    (association,) = template.find_resources("AWS::EKS::PodIdentityAssociation").values()
    assert association["Properties"]["ServiceAccount"] == "karpenter"
    assert association["Properties"]["Namespace"] == "kube-system"
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for k, p in template.find_resources("AWS::IAM::ManagedPolicy").items()
        if "ControllerPolicy" in k
    ]
    (statements,) = policies
    terminate = next(s for s in statements if "ec2:TerminateInstances" in s["Action"])
    assert "aws:ResourceTag/eks:eks-cluster-name" in terminate["Condition"]["StringEquals"]
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}


def test_interruption_queue_gets_the_four_event_kinds(template: Template) -> None:
    rules = [
        r["Properties"]["EventPattern"]["detail-type"][0] for r in template.find_resources("AWS::Events::Rule").values()
    ]
    assert sorted(rules) == sorted(["EC2 Spot Instance Interruption Warning", "EC2 Instance Rebalance Recommendation",
                                    "EC2 Instance State-change Notification", "AWS Health Event"])  # fmt: skip
    (queue,) = template.find_resources("AWS::SQS::Queue").values()
    assert queue["Properties"]["SqsManagedSseEnabled"] is True


def test_chart_is_pinned(template: Template) -> None:
    (chart,) = template.find_resources("Custom::AWSCDK-EKS-HelmChart").values()
    props: dict[str, Any] = chart["Properties"]
    assert props["Chart"] == "karpenter" and props["Version"] == "1.6.3"
    assert props["Repository"] == "oci://public.ecr.aws/karpenter/karpenter"


def test_bad_chart_version() -> None:
    with pytest.raises(ValueError, match=r"karpenter.version: got 'latest'; must be a chart version"):
        KarpenterOptions(version="latest").validate()
