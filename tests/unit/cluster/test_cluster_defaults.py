"""A cluster built with defaults only: secure and frugal behaviour is asserted on the template."""

from __future__ import annotations

import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Match, Template

from emr_constructs import EmrCluster
from tests.conftest import new_stack, only_resource


@pytest.fixture(scope="module")
def template() -> Template:
    stack, vpc = new_stack()
    cluster = EmrCluster(stack, "Cluster", vpc=vpc)
    cluster.connections.allow_from(ec2.Peer.ipv4("10.1.0.0/16"), ec2.Port.tcp(8998), "Livy from the analysts VPC")
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def cluster(template: Template) -> dict:
    return only_resource(template, "AWS::EMR::Cluster")["Properties"]


def test_default_release_and_applications(cluster: dict) -> None:
    assert cluster["ReleaseLabel"] == "emr-7.10.0"
    assert [a["Name"] for a in cluster["Applications"]] == ["Spark", "Hadoop", "Livy"]


def test_primary_and_core_are_on_demand_graviton_fleets(cluster: dict) -> None:
    primary = cluster["Instances"]["MasterInstanceFleet"]
    core = cluster["Instances"]["CoreInstanceFleet"]
    assert (primary["TargetOnDemandCapacity"], primary["TargetSpotCapacity"]) == (1, 0)
    assert (core["TargetOnDemandCapacity"], core["TargetSpotCapacity"]) == (2, 0)
    for fleet in (primary, core):
        assert all(t["InstanceType"].split(".")[0].endswith("g") for t in fleet["InstanceTypeConfigs"])


def test_task_fleet_is_spot_capacity_optimized_with_on_demand_fallback(cluster: dict) -> None:
    (task,) = cluster["Instances"]["TaskInstanceFleets"]
    assert task["TargetSpotCapacity"] == 2 and task["TargetOnDemandCapacity"] == 0
    spot = task["LaunchSpecifications"]["SpotSpecification"]
    assert spot == {
        "AllocationStrategy": "capacity-optimized",
        "TimeoutAction": "SWITCH_TO_ON_DEMAND",
        "TimeoutDurationMinutes": 10,
    }
    types = [t["InstanceType"] for t in task["InstanceTypeConfigs"]]
    assert len(types) >= 4 and len({t.split(".")[0] for t in types}) >= 4


def test_core_fleet_has_an_hdfs_volume(cluster: dict) -> None:
    for config in cluster["Instances"]["CoreInstanceFleet"]["InstanceTypeConfigs"]:
        volume = config["EbsConfiguration"]["EbsBlockDeviceConfigs"][0]
        assert volume["VolumeSpecification"] == {"SizeInGB": 64, "VolumeType": "gp3"}


def test_idle_auto_termination_defaults_to_one_hour(cluster: dict) -> None:
    assert cluster["AutoTerminationPolicy"] == {"IdleTimeout": 3600}


def test_managed_scaling_keeps_on_demand_and_core_fixed(cluster: dict) -> None:
    assert cluster["ManagedScalingPolicy"]["ComputeLimits"] == {
        "UnitType": "InstanceFleetUnits",
        "MinimumCapacityUnits": 2,
        "MaximumCapacityUnits": 10,
        "MaximumOnDemandCapacityUnits": 2,
        "MaximumCoreCapacityUnits": 2,
    }


def test_operational_defaults(cluster: dict) -> None:
    instances = cluster["Instances"]
    assert instances["UnhealthyNodeReplacement"] is True
    assert instances["TerminationProtected"] is False
    assert instances["KeepJobFlowAliveWhenNoSteps"] is True
    assert cluster["StepConcurrencyLevel"] == 1
    assert cluster["VisibleToAllUsers"] is True


def test_placed_in_private_subnets(template: Template, cluster: dict) -> None:
    subnet_ids = cluster["Instances"]["Ec2SubnetIds"]
    assert [s["Ref"] for s in subnet_ids] == [
        next(k for k in template.find_resources("AWS::EC2::Subnet") if f"PrivateSubnet{i}" in k) for i in (1, 2)
    ]


def test_logs_go_to_a_kms_encrypted_retained_bucket(template: Template, cluster: dict) -> None:
    assert cluster["LogUri"]["Fn::Join"][1][-1] == "/emr-logs/"
    assert "LogEncryptionKmsKeyId" in cluster
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": Match.object_like(
                {
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            Match.object_like(
                                {"ServerSideEncryptionByDefault": Match.object_like({"SSEAlgorithm": "aws:kms"})}
                            )
                        ]
                    },
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "LoggingConfiguration": Match.object_like({"DestinationBucketName": Match.any_value()}),
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    },
                }
            ),
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_service_role_uses_v2_policy_with_confused_deputy_conditions(template: Template) -> None:
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Principal": {"Service": "elasticmapreduce.amazonaws.com"},
                            "Condition": {
                                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                                "ArnLike": {"aws:SourceArn": Match.any_value()},
                            },
                        }
                    )
                ]
            },
            "ManagedPolicyArns": [
                {
                    "Fn::Join": [
                        "",
                        ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"],
                    ]
                }
            ],
        },
    )


def test_service_role_may_pass_only_the_instance_role_to_ec2(template: Template) -> None:
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "iam:PassRole",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": [Match.string_like_regexp("ClusterInstanceRole"), "Arn"]},
                            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
                        }
                    ]
                )
            }
        },
    )


def test_instance_role_is_least_privilege_and_not_v1(template: Template) -> None:
    roles = template.find_resources("AWS::IAM::Role")
    for role in roles.values():
        for arn in role["Properties"].get("ManagedPolicyArns", []):
            assert "AmazonElasticMapReduceforEC2Role" not in str(arn)
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "s3:PutObject",
                            "Effect": "Allow",
                            "Resource": {"Fn::Join": ["", [Match.any_value(), "/emr-logs/*"]]},
                        }
                    ]
                )
            },
            "Roles": [{"Ref": Match.string_like_regexp("ClusterInstanceRole")}],
        },
    )


def test_instance_profile_and_policies_exist_before_the_cluster(template: Template) -> None:
    (cluster,) = template.find_resources("AWS::EMR::Cluster").values()
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    profile = next(iter(template.find_resources("AWS::IAM::InstanceProfile")))
    assert set(cluster["DependsOn"]) == {*policies, profile}
    assert cluster["Properties"]["JobFlowRole"] == {"Ref": profile}


def test_managed_security_groups_are_tagged_and_service_access_uses_9443(template: Template, cluster: dict) -> None:
    instances = cluster["Instances"]
    for key in ("EmrManagedMasterSecurityGroup", "EmrManagedSlaveSecurityGroup", "ServiceAccessSecurityGroup"):
        assert "Fn::GetAtt" in instances[key]
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "Tags": Match.array_with([{"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}]),
            "GroupDescription": "EMR service access from the private subnet",
        },
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "FromPort": 9443,
            "ToPort": 9443,
            "IpProtocol": "tcp",
            "SourceSecurityGroupId": {"Fn::GetAtt": [Match.string_like_regexp("Primary"), "GroupId"]},
        },
    )
    template.has_resource_properties("AWS::EC2::SecurityGroupEgress", {"FromPort": 8443, "ToPort": 8443})


def test_cost_allocation_tags_on_the_cluster(cluster: dict) -> None:
    assert {"Key": "application", "Value": "Cluster"} in cluster["Tags"]


def test_connections_open_the_primary_and_core_groups(template: Template) -> None:
    groups = template.find_resources(
        "AWS::EC2::SecurityGroup",
        {
            "Properties": {
                "SecurityGroupIngress": Match.array_with(
                    [Match.object_like({"CidrIp": "10.1.0.0/16", "FromPort": 8998})]
                )
            }
        },
    )
    descriptions = sorted(g["Properties"]["GroupDescription"] for g in groups.values())
    assert descriptions == ["EMR-managed core and task node group", "EMR-managed primary node group"]
