"""EmrEksVirtualCluster, EmrEksCluster, pod templates and EMR on EKS monitoring, on one synthesized stack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from emr_constructs import JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.eks import EmrEksCluster, EmrEksVirtualCluster, LimitRange, ResourceQuota
from emr_constructs.eks.pod_templates import PodTemplates
from emr_constructs.monitoring.eks_monitoring import EmrEksMonitoring
from tests.conftest import new_app


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    stack = Stack(new_app(), "Eks")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    created = EmrEksCluster(stack, "Eks", vpc=vpc)
    virtual_cluster = EmrEksVirtualCluster(
        stack,
        "Analytics",
        cluster=created.cluster,
        namespace="analytics",
        resource_quota=ResourceQuota(requests_cpu="64", requests_memory="256Gi", pods=100),
        limit_range=LimitRange(default_cpu="2", default_memory="8Gi", default_request_cpu="500m"),
        cost_center="analytics",
    )
    role = JobRuntimeRole(
        stack,
        "Exec",
        trust=RuntimeRoleTrust.eks_irsa(
            open_id_connect_provider=created.cluster.open_id_connect_provider, namespace="analytics"
        ),
    )
    ci = iam.Role(stack, "Ci", assumed_by=iam.AccountRootPrincipal())
    virtual_cluster.grant_start_job_run(ci, role.role)
    bucket = s3.Bucket.from_bucket_name(stack, "Artifacts", "my-artifacts")
    templates = PodTemplates(stack, "PodTemplates", bucket=bucket, prefix="pod-templates/")
    EmrEksMonitoring(
        stack,
        "Monitoring",
        virtual_cluster=virtual_cluster,
        alarm_topic=sns.Topic(stack, "Topic"),
    )
    imported = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Imported", "abcdefghijklmno1234567890")
    return {"template": Template.from_stack(stack), "stack": stack, "templates": templates, "imported": imported}


def _one(template: Template, resource_type: str, prefix: str = "") -> dict[str, Any]:
    found = [v for k, v in template.find_resources(resource_type).items() if k.startswith(prefix)]
    assert len(found) == 1, (resource_type, prefix, len(found))
    return found[0]


def test_namespace_quota_and_limit_range_are_one_manifest(built: dict) -> None:
    manifests = built["template"].find_resources("Custom::AWSCDK-EKS-KubernetesResource")
    (manifest,) = [v for k, v in manifests.items() if k.startswith("AnalyticsNamespace")]
    text = json.dumps(manifest["Properties"]["Manifest"])
    for needle in (
        '\\"kind\\":\\"Namespace\\"',
        '\\"name\\":\\"analytics\\"',
        '\\"kind\\":\\"ResourceQuota\\"',
        '\\"requests.memory\\":\\"256Gi\\"',
        '\\"pods\\":\\"100\\"',
        '\\"kind\\":\\"LimitRange\\"',
        '\\"defaultRequest\\":{\\"cpu\\":\\"500m\\"}',
    ):
        assert needle in text, needle


def test_virtual_cluster_targets_the_namespace_after_it_exists(built: dict) -> None:
    template: Template = built["template"]
    vc = _one(template, "AWS::EMRContainers::VirtualCluster")
    provider = vc["Properties"]["ContainerProvider"]
    assert provider["Type"] == "EKS"
    assert provider["Info"] == {"EksInfo": {"Namespace": "analytics"}}
    assert any(d.startswith("AnalyticsNamespace") for d in vc["DependsOn"])
    assert {"Key": "cost-center", "Value": "analytics"} in vc["Properties"]["Tags"]


def test_no_competing_access_entry_for_the_emr_service_linked_role(built: dict) -> None:
    entries = built["template"].find_resources("AWS::EKS::AccessEntry")
    assert "AWSServiceRoleForAmazonEMRContainers" not in json.dumps(entries)
    assert "aws-auth" not in json.dumps(built["template"].to_json())


def test_grant_start_job_run_pins_the_execution_role(built: dict) -> None:
    policy = _one(built["template"], "AWS::IAM::Policy", "CiDefaultPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    start = next(s for s in statements if s["Action"] == "emr-containers:StartJobRun")
    assert "emr-containers:ExecutionRoleArn" in start["Condition"]["ArnEquals"]
    assert "Fn::GetAtt" in start["Resource"]
    runs = next(s for s in statements if "emr-containers:CancelJobRun" in s["Action"])
    assert "/jobruns/*" in json.dumps(runs["Resource"])


def test_job_log_group_is_encrypted_and_retained(built: dict) -> None:
    group = _one(built["template"], "AWS::Logs::LogGroup", "AnalyticsJobLogs")
    assert group["DeletionPolicy"] == "Retain" and "KmsKeyId" in group["Properties"]


def test_cluster_is_private_logged_encrypted_with_addons(built: dict) -> None:
    template: Template = built["template"]
    cluster = _one(template, "AWS::EKS::Cluster")["Properties"]
    assert cluster["ResourcesVpcConfig"]["EndpointPublicAccess"] is False
    assert cluster["ResourcesVpcConfig"]["EndpointPrivateAccess"] is True
    assert cluster["AccessConfig"]["AuthenticationMode"] == "API_AND_CONFIG_MAP"
    assert len(cluster["Logging"]["ClusterLogging"]["EnabledTypes"]) == 5
    assert cluster["EncryptionConfig"][0]["Resources"] == ["secrets"]
    addons = {a["Properties"]["AddonName"] for a in template.find_resources("AWS::EKS::Addon").values()}
    assert addons >= {"coredns", "kube-proxy", "vpc-cni", "eks-pod-identity-agent"}


def test_graviton_node_groups_keep_drivers_on_demand_and_executors_on_spot(built: dict) -> None:
    groups = {k: v["Properties"] for k, v in built["template"].find_resources("AWS::EKS::Nodegroup").items()}
    by_role = {g["Labels"]["emr-constructs.io/role"]: g for g in groups.values()}
    assert by_role["system"]["CapacityType"] == "ON_DEMAND"
    assert by_role["driver"]["CapacityType"] == "ON_DEMAND"
    assert by_role["executor"]["CapacityType"] == "SPOT"
    assert by_role["executor"]["Taints"] == [
        {"Key": "emr-constructs.io/spot", "Value": "true", "Effect": "NO_SCHEDULE"}
    ]
    for group in groups.values():
        assert group["AmiType"] == "AL2023_ARM_64_STANDARD"
        assert all(t.split(".")[0].endswith("g") for t in group["InstanceTypes"])


def test_pod_templates_select_capacity_and_tolerate_spot(built: dict) -> None:
    deployment = _one(built["template"], "Custom::CDKBucketDeployment")["Properties"]
    assert deployment["DestinationBucketKeyPrefix"] == "pod-templates/"
    stack = built["stack"]
    assert stack.resolve(built["templates"].driver_template_uri) == "s3://my-artifacts/pod-templates/driver.yaml"
    from emr_constructs.eks.pod_templates import driver_template, executor_template

    assert driver_template()["spec"]["nodeSelector"]["eks.amazonaws.com/capacityType"] == "ON_DEMAND"
    executor = executor_template()["spec"]
    assert executor["nodeSelector"] == {"eks.amazonaws.com/capacityType": "SPOT", "kubernetes.io/arch": "arm64"}
    assert executor["tolerations"][0]["key"] == "emr-constructs.io/spot"


def test_events_become_metrics_without_a_custom_lambda(built: dict) -> None:
    template: Template = built["template"]
    rules = [v["Properties"] for v in template.find_resources("AWS::Events::Rule").values()]
    sources = {r["EventPattern"]["source"][0] for r in rules}
    assert sources == {"aws.emr-containers"}
    assert all(r["EventPattern"]["detail-type"] == ["EMR Job Run State Change"] for r in rules)
    failed = next(r for r in rules if "state" in r["EventPattern"]["detail"])
    assert failed["EventPattern"]["detail"]["state"] == ["FAILED"] and "Ref" in failed["Targets"][0]["Arn"]
    filters = [v["Properties"] for v in template.find_resources("AWS::Logs::MetricFilter").values()]
    assert len(filters) == 7
    transform = next(f for f in filters if "FAILED" in f["FilterPattern"])["MetricTransformations"][0]
    assert transform["MetricNamespace"] == "EMRonEKS/JobRuns" and transform["MetricName"] == "JobRunsFailed"
    assert transform["Dimensions"] == [{"Key": "VirtualClusterId", "Value": "$.detail.virtualClusterId"}]
    template.has_resource_properties("AWS::Logs::ResourcePolicy", {"PolicyDocument": Match.any_value()})
    alarm = _one(template, "AWS::CloudWatch::Alarm", "MonitoringJobRunsFailed")["Properties"]
    assert alarm["MetricName"] == "JobRunsFailed" and alarm["AlarmActions"]
    functions = template.find_resources("AWS::Lambda::Function")
    assert not any("Monitoring" in k for k in functions)


def test_imported_virtual_cluster_metric(built: dict) -> None:
    metric = built["imported"].metric_job_runs("COMPLETED")
    assert metric.metric_name == "JobRunsCompleted"
    assert metric.dimensions == {"VirtualClusterId": "abcdefghijklmno1234567890"}
