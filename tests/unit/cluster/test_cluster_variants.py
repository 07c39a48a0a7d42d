"""Clusters built with non-default props, all in one app synthesized once."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from emr_constructs import (
    Application,
    Classification,
    ClusterCapacity,
    Configuration,
    EbsVolume,
    EmrCluster,
    EmrSecurityGroups,
    InstanceFleet,
    InstanceGroup,
    ManagedScaling,
    Market,
    ReleaseLabel,
)
from tests.conftest import new_stack


@pytest.fixture(scope="module")
def clusters() -> dict[str, dict]:
    stack, vpc = new_stack()
    EmrCluster(
        stack,
        "Groups",
        vpc=vpc,
        capacity=ClusterCapacity.instance_groups(
            primary=InstanceGroup(instance_type="m6g.xlarge", count=3),
            core=InstanceGroup(count=4, ebs_volumes=[EbsVolume(size_gib=256, volumes_per_instance=2)]),
            tasks=[InstanceGroup(instance_type="r7g.2xlarge", count=0, market=Market.SPOT)],
        ),
        managed_scaling=ManagedScaling(minimum_units=4, maximum_units=20, maximum_core_units=4),
        step_concurrency_level=10,
        cost_center="analytics",
        application_tag="nightly-etl",
    )
    EmrCluster(
        stack,
        "MultiPrimaryFleets",
        vpc=vpc,
        release_label=ReleaseLabel.of("emr-6.12.0"),
        capacity=ClusterCapacity.instance_fleets(
            primary=InstanceFleet(instance_types=["m6g.xlarge"], on_demand_units=3)
        ),
    )
    EmrCluster(
        stack,
        "Catalog",
        vpc=vpc,
        applications=[Application.SPARK, Application.HIVE],
        glue_data_catalog=True,
        iceberg=True,
        configurations=[
            Configuration(Classification.SPARK_DEFAULTS, {"spark.dynamicAllocation.enabled": "true"}),
            Configuration(
                "hadoop-env", configurations=[Configuration("export", {"JAVA_HOME": "/usr/lib/jvm/java-17"})]
            ),
            Configuration("hive-site", {"hive.exec.dynamic.partition": "true"}),
        ],
        termination_protection=True,
        idle_timeout=Duration.minutes(30),
    )
    EmrCluster(
        stack,
        "Spark8",
        vpc=vpc,
        release_label=ReleaseLabel.of("emr-spark-8.0.0"),
        applications=[Application.SPARK, Application.LIVY],
    )
    outposts_subnet = ec2.Subnet.from_subnet_attributes(
        stack, "OutpostSubnet", subnet_id="subnet-0outpost00000000", availability_zone="us-east-1a"
    )
    supplied_sgs = EmrSecurityGroups(
        primary=ec2.SecurityGroup.from_security_group_id(stack, "P", "sg-primary0000000000"),
        core=ec2.SecurityGroup.from_security_group_id(stack, "C", "sg-core000000000000"),
        service_access=ec2.SecurityGroup.from_security_group_id(stack, "S", "sg-service000000000"),
    )
    EmrCluster(
        stack,
        "Outposts",
        vpc=vpc,
        subnet=outposts_subnet,
        capacity=ClusterCapacity.instance_groups(tasks=[]),
        security_groups=supplied_sgs,
        service_role=iam.Role.from_role_name(stack, "Svc", "MyEmrServiceRole"),
        instance_role=iam.Role.from_role_name(stack, "Inst", "MyEmrInstanceRole"),
        log_bucket=s3.Bucket.from_bucket_name(stack, "ExistingLogs", "existing-log-bucket"),
        auto_terminate_after_steps=True,
        managed_scaling_enabled=False,
    )
    template = Template.from_stack(stack)
    found = template.find_resources("AWS::EMR::Cluster")
    by_id = {}
    for logical_id, resource in found.items():
        name = next(
            n for n in ("Groups", "MultiPrimaryFleets", "Catalog", "Spark8", "Outposts") if logical_id.startswith(n)
        )
        by_id[name] = resource["Properties"]
    by_id["_template"] = template  # type: ignore[assignment]
    return by_id


def test_instance_groups_render_counts_markets_and_ebs(clusters: dict) -> None:
    instances = clusters["Groups"]["Instances"]
    assert instances["MasterInstanceGroup"] == {"InstanceCount": 3, "InstanceType": "m6g.xlarge", "Market": "ON_DEMAND"}
    core = instances["CoreInstanceGroup"]
    assert core["InstanceCount"] == 4
    assert core["EbsConfiguration"]["EbsBlockDeviceConfigs"] == [
        {"VolumeSpecification": {"SizeInGB": 256, "VolumeType": "gp3"}, "VolumesPerInstance": 2}
    ]
    assert instances["TaskInstanceGroups"] == [{"InstanceCount": 0, "InstanceType": "r7g.2xlarge", "Market": "SPOT"}]
    assert "Ec2SubnetId" in instances and "Ec2SubnetIds" not in instances
    assert clusters["Groups"]["ManagedScalingPolicy"]["ComputeLimits"]["UnitType"] == "Instances"


def test_three_primaries_force_termination_protection_and_drop_auto_termination(clusters: dict) -> None:
    for name in ("Groups", "MultiPrimaryFleets"):
        assert clusters[name]["Instances"]["TerminationProtected"] is True
        assert "AutoTerminationPolicy" not in clusters[name]
    fleet = clusters["MultiPrimaryFleets"]["Instances"]["MasterInstanceFleet"]
    assert (fleet["TargetOnDemandCapacity"], fleet["TargetSpotCapacity"]) == (3, 0)
    assert all(t["WeightedCapacity"] == 1 for t in fleet["InstanceTypeConfigs"])


def test_step_concurrency_and_cost_tags(clusters: dict) -> None:
    assert clusters["Groups"]["StepConcurrencyLevel"] == 10
    tags = clusters["Groups"]["Tags"]
    assert {"Key": "application", "Value": "nightly-etl"} in tags
    assert {"Key": "cost-center", "Value": "analytics"} in tags


def test_cost_tags_reach_the_roles_created_by_the_construct(clusters: dict) -> None:
    clusters["_template"].has_resource_properties(
        "AWS::IAM::Role",
        {"Tags": Match.array_with([{"Key": "cost-center", "Value": "analytics"}])},
    )


def test_glue_catalog_and_iceberg_are_merged_with_user_configurations(clusters: dict) -> None:
    configs = {c["Classification"]: c for c in clusters["Catalog"]["Configurations"]}
    factory = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
    assert configs["hive-site"]["ConfigurationProperties"] == {
        "hive.exec.dynamic.partition": "true",
        "hive.metastore.client.factory.class": factory,
    }
    assert configs["spark-hive-site"]["ConfigurationProperties"] == {"hive.metastore.client.factory.class": factory}
    assert configs["iceberg-defaults"]["ConfigurationProperties"] == {"iceberg.enabled": "true"}
    assert configs["hadoop-env"]["Configurations"] == [
        {"Classification": "export", "ConfigurationProperties": {"JAVA_HOME": "/usr/lib/jvm/java-17"}}
    ]


def test_glue_catalog_grants_are_scoped_to_database_and_tables(clusters: dict) -> None:
    policies = clusters["_template"].find_resources("AWS::IAM::ManagedPolicy")
    glue = [
        statement
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "glue:GetTable" in statement["Action"]
    ]
    assert len(glue) == 1
    resources = [str(r) for r in glue[0]["Resource"]]
    assert any(":catalog" in r for r in resources)
    assert any(":database/default" in r for r in resources)
    assert any(":table/default/*" in r for r in resources)
    assert not any(r.endswith("'*'") or r == "*" for r in resources)


def test_termination_protection_and_idle_timeout_props(clusters: dict) -> None:
    assert clusters["Catalog"]["Instances"]["TerminationProtected"] is True
    assert clusters["Catalog"]["AutoTerminationPolicy"] == {"IdleTimeout": 1800}


def test_spark_only_8x_line_gets_443_from_the_vpc(clusters: dict) -> None:
    assert clusters["Spark8"]["ReleaseLabel"] == "emr-spark-8.0.0"
    clusters["_template"].has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": "EMR service access from the private subnet",
            "SecurityGroupIngress": [
                Match.object_like(
                    {"FromPort": 443, "ToPort": 443, "CidrIp": {"Fn::GetAtt": [Match.any_value(), "CidrBlock"]}}
                )
            ],
        },
    )


def test_outposts_subnet_supplied_groups_roles_and_bucket(clusters: dict) -> None:
    props = clusters["Outposts"]
    instances = props["Instances"]
    assert instances["Ec2SubnetId"] == "subnet-0outpost00000000"
    assert instances["EmrManagedMasterSecurityGroup"] == "sg-primary0000000000"
    assert instances["EmrManagedSlaveSecurityGroup"] == "sg-core000000000000"
    assert instances["ServiceAccessSecurityGroup"] == "sg-service000000000"
    assert "MyEmrServiceRole" in str(props["ServiceRole"])
    assert props["LogUri"] == "s3://existing-log-bucket/emr-logs/"
    assert "TaskInstanceGroups" not in instances
    assert "ManagedScalingPolicy" not in props


def test_transient_cluster_terminates_after_last_step(clusters: dict) -> None:
    assert clusters["Outposts"]["Instances"]["KeepJobFlowAliveWhenNoSteps"] is False
    assert "AutoTerminationPolicy" not in clusters["Outposts"]
