"""Behaviour of the reference stacks, synthesized exactly as app.py builds them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference_app import synth_reference_app


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return synth_reference_app(tmp_path_factory.mktemp("ref")).templates()


@pytest.fixture(scope="module")
def own_certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    ctx = {
        "env": "certs",
        "environments": {"certs": {"ec2": {"tls_certificate_s3_uri": "s3://corp-pki/emr/certs.zip"}}},
    }
    return synth_reference_app(tmp_path_factory.mktemp("certs"), **ctx).templates()


@pytest.fixture(scope="module")
def no_nat(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    ctx = {"env": "lean", "environments": {"lean": {"network": {"nat_gateways": 0, "interface_endpoints": ["sts"]}}}}
    return synth_reference_app(tmp_path_factory.mktemp("lean"), **ctx).templates()


def _of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_network_has_one_nat_gateway_endpoints_and_flow_logs(default: dict) -> None:
    network = default["Emr-default-Network"]
    assert len(_of_type(network, "AWS::EC2::NatGateway")) == 1
    endpoints = _of_type(network, "AWS::EC2::VPCEndpoint")
    assert sum(e["Properties"].get("VpcEndpointType") == "Gateway" for e in endpoints) == 1
    # With a NAT gateway the AWS APIs are reached through it: no interface endpoint (each costs per hour per AZ).
    assert [e for e in endpoints if e["Properties"].get("VpcEndpointType") == "Interface"] == []
    (flow_log,) = _of_type(network, "AWS::EC2::FlowLog")
    assert flow_log["Properties"]["TrafficType"] == "ALL"
    for subnet in _of_type(network, "AWS::EC2::Subnet"):
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False


def test_private_subnets_are_tagged_for_the_emr_v2_policy(default: dict) -> None:
    private = [
        s
        for s in _of_type(default["Emr-default-Network"], "AWS::EC2::Subnet")
        if {"Key": "aws-cdk:subnet-type", "Value": "Private"} in s["Properties"]["Tags"]
    ]
    assert len(private) == 2
    for subnet in private:
        assert {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"} in subnet["Properties"]["Tags"]


def test_zero_nat_gateways_gives_isolated_subnets(no_nat: dict) -> None:
    network = no_nat["Emr-lean-Network"]
    assert _of_type(network, "AWS::EC2::NatGateway") == []
    assert _of_type(network, "AWS::EC2::InternetGateway") == []
    cluster = _of_type(no_nat["Emr-lean-Ec2"], "AWS::EMR::Cluster")[0]
    assert len(cluster["Properties"]["Instances"]["Ec2SubnetIds"]) == 2


def test_ec2_stack_encrypts_at_rest_and_in_transit(default: dict) -> None:
    ec2 = default["Emr-default-Ec2"]
    (security,) = _of_type(ec2, "AWS::EMR::SecurityConfiguration")
    encryption = security["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True and encryption["EnableInTransitEncryption"] is True
    (cluster,) = _of_type(ec2, "AWS::EMR::Cluster")
    assert cluster["Properties"]["SecurityConfiguration"] == {
        "Ref": next(k for k, v in ec2["Resources"].items() if v["Type"] == "AWS::EMR::SecurityConfiguration")
    }


def test_ec2_stack_outputs(default: dict) -> None:
    outputs = default["Emr-default-Ec2"]["Outputs"]
    for name in (
        "ClusterId",
        "LogBucket",
        "LogUri",
        "DashboardName",
        "RuntimeRoleArn",
        "DataBucket",
        "TlsCertificateUri",
    ):
        assert name in outputs


def test_alarms_notify_an_encrypted_topic(default: dict) -> None:
    ec2 = default["Emr-default-Ec2"]
    (topic_id,) = [k for k, v in ec2["Resources"].items() if v["Type"] == "AWS::SNS::Topic"]
    assert "KmsMasterKeyId" in ec2["Resources"][topic_id]["Properties"]
    for alarm in _of_type(ec2, "AWS::CloudWatch::Alarm"):
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}]


def test_every_stateful_resource_is_retained(default: dict) -> None:
    for template in default.values():
        for resource in template["Resources"].values():
            if resource["Type"] in ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Logs::LogGroup"):
                assert resource.get("DeletionPolicy") == "Retain", resource["Type"]


def test_runtime_role_reads_raw_and_writes_curated_only(default: dict) -> None:
    ec2 = default["Emr-default-Ec2"]
    role_id = next(
        k
        for k in ec2["Resources"]
        if k.startswith("ClusterSparkJobRole") and ec2["Resources"][k]["Type"] == "AWS::IAM::Role"
    )
    policies = [v for v in _of_type(ec2, "AWS::IAM::ManagedPolicy") if v["Properties"]["Roles"] == [{"Ref": role_id}]]
    text = str(policies)
    assert "/raw/*" in text and "/curated/*" in text and "/artifacts/*" in text
    writes = [
        s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"] if "s3:PutObject" in s["Action"]
    ]
    assert len(writes) == 1 and "/curated/*" in str(writes[0]["Resource"])


def test_existing_certificate_object_is_used_and_readable_by_the_nodes(own_certificates: dict) -> None:
    ec2 = own_certificates["Emr-certs-Ec2"]
    (security,) = _of_type(ec2, "AWS::EMR::SecurityConfiguration")
    tls = security["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]
    assert tls["TLSCertificateConfiguration"]["S3Object"] == "s3://corp-pki/emr/certs.zip"
    policies = str(_of_type(ec2, "AWS::IAM::ManagedPolicy"))
    assert ":s3:::corp-pki/emr/certs.zip*" in policies


def test_serverless_stack_costs_nothing_while_idle(default: dict) -> None:
    (application,) = _of_type(default["Emr-default-Serverless"], "AWS::EMRServerless::Application")
    props = application["Properties"]
    assert "InitialCapacity" not in props
    assert props["AutoStopConfiguration"] == {"Enabled": True, "IdleTimeoutMinutes": 15}
    assert props["MaximumCapacity"] == {"Cpu": "32 vCPU", "Memory": "128 GB", "Disk": "1000 GB"}
    assert props["Architecture"] == "ARM64"


def test_serverless_stack_runs_in_private_subnets_with_glue_and_outputs(default: dict) -> None:
    serverless = default["Emr-default-Serverless"]
    (application,) = _of_type(serverless, "AWS::EMRServerless::Application")
    subnets = application["Properties"]["NetworkConfiguration"]["SubnetIds"]
    assert len(subnets) == 2 and all("PrivateSubnet" in str(s) for s in subnets)
    (database,) = _of_type(serverless, "AWS::Glue::Database")
    assert database["Properties"]["DatabaseInput"]["Name"] == "emr_platform"
    for name in ("ApplicationId", "RuntimeRoleArn", "LogUri", "LogGroupName", "DashboardName", "DataBucket"):
        assert name in serverless["Outputs"], name
    for alarm in _of_type(serverless, "AWS::CloudWatch::Alarm"):
        assert alarm["Properties"]["AlarmActions"]


def test_eks_stack_imports_the_named_cluster_and_outputs(default: dict) -> None:
    eks_stack = default["Emr-default-Eks"]
    (virtual_cluster,) = _of_type(eks_stack, "AWS::EMRContainers::VirtualCluster")
    provider = virtual_cluster["Properties"]["ContainerProvider"]
    assert provider["Id"] == "emr-platform" and provider["Info"]["EksInfo"]["Namespace"] == "emr-jobs"
    assert _of_type(eks_stack, "AWS::EKS::Cluster") == []
    for name in (
        "VirtualClusterId",
        "ExecutionRoleArn",
        "LogGroupName",
        "DriverPodTemplate",
        "ExecutorPodTemplate",
        "DataBucket",
    ):
        assert name in eks_stack["Outputs"], name
    roles = [
        r
        for r in _of_type(eks_stack, "AWS::IAM::Role")
        if str(r["Properties"].get("RoleName", "")).startswith("emr-eks-job-")
    ]
    (execution_role,) = roles
    assert "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub" in str(
        execution_role["Properties"]["AssumeRolePolicyDocument"]
    )
