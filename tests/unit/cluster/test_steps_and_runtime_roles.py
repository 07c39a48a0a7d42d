"""Bootstrap actions, ordered steps, runtime roles, grants, imports and metrics."""

from __future__ import annotations

import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Match, Template

from emr_constructs import (
    ActionOnFailure,
    AtRestEncryption,
    BootstrapAction,
    DeployMode,
    EmrCluster,
    EmrSecurityConfiguration,
    InTransitEncryption,
    KerberosConfiguration,
    RuntimeRoleAuthorization,
    Step,
)
from tests.conftest import new_stack


@pytest.fixture(scope="module")
def built() -> dict:
    stack, vpc = new_stack()
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        at_rest=AtRestEncryption(key=key),
        in_transit=InTransitEncryption(certificate_s3_uri="s3://my-artifacts/tls/certs.zip"),
        runtime_roles=RuntimeRoleAuthorization(propagate_source_identity=True, lake_formation=True),
    )
    cluster = EmrCluster(stack, "Cluster", vpc=vpc, security_configuration=security)
    cluster.add_bootstrap_action(
        BootstrapAction(name="install-deps", script_s3_uri="s3://my-artifacts/bootstrap/deps.sh", args=["--fast"])
    )
    cluster.add_step(
        Step.spark_submit(
            name="prepare",
            entry_point="s3://my-artifacts/jobs/prepare.py",
            args=["--data_source", "s3://my-data/raw/", "--output_uri", "s3://my-data/curated/"],
            spark_conf={"spark.executor.memory": "4g"},
            py_files=["s3://my-artifacts/jobs/lib.zip"],
        )
    )
    cluster.add_step(
        Step(
            name="hive",
            args=["hive-script", "--run-hive-script", "--args", "-f", "s3://my-artifacts/q.sql"],
            action_on_failure=ActionOnFailure.CANCEL_AND_WAIT,
        )
    )
    runtime = cluster.add_runtime_role("JobRole")
    cluster.add_step(
        Step.spark_submit(
            name="as-runtime-role",
            entry_point="s3://my-artifacts/jobs/report.jar",
            main_class="com.example.Report",
            deploy_mode=DeployMode.CLIENT,
            runtime_role=runtime.role,
        )
    )
    cluster.add_step(
        Step.spark_submit(name="second", entry_point="s3://my-artifacts/jobs/b.py", runtime_role=runtime.role)
    )
    submitter = iam.Role(stack, "Submitter", assumed_by=iam.AccountRootPrincipal())
    cluster.grant_add_steps(submitter)
    imported = EmrCluster.from_cluster_id(stack, "Imported", "j-2AXXXXXXGAPLF", runtime_roles=[runtime.role])
    importer = iam.Role(stack, "ImportedSubmitter", assumed_by=iam.AccountRootPrincipal())
    imported.grant_add_steps(importer)

    kdc_secret = secretsmanager.Secret(stack, "KdcPassword")
    kerberized = EmrSecurityConfiguration(
        stack, "Kerberized", kerberos=KerberosConfiguration(kdc_admin_password=kdc_secret)
    )
    EmrCluster(stack, "KerberosCluster", vpc=vpc, security_configuration=kerberized)
    return {
        "template": Template.from_stack(stack),
        "stack": stack,
        "cluster": cluster,
        "imported": imported,
        "runtime": runtime,
    }


def _cluster_props(template: Template, prefix: str = "Cluster") -> dict:
    return next(r for k, r in template.find_resources("AWS::EMR::Cluster").items() if k.startswith(prefix))[
        "Properties"
    ]


def test_bootstrap_action_rendered(built: dict) -> None:
    assert _cluster_props(built["template"])["BootstrapActions"] == [
        {
            "Name": "install-deps",
            "ScriptBootstrapAction": {"Path": "s3://my-artifacts/bootstrap/deps.sh", "Args": ["--fast"]},
        }
    ]


def test_steps_without_runtime_role_are_ordered_in_the_cluster(built: dict) -> None:
    steps = _cluster_props(built["template"])["Steps"]
    assert [s["Name"] for s in steps] == ["prepare", "hive"]
    assert steps[0] == {
        "Name": "prepare",
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {
            "Jar": "command-runner.jar",
            "Args": [
                "spark-submit",
                "--deploy-mode",
                "cluster",
                "--py-files",
                "s3://my-artifacts/jobs/lib.zip",
                "--conf",
                "spark.executor.memory=4g",
                "s3://my-artifacts/jobs/prepare.py",
                "--data_source",
                "s3://my-data/raw/",
                "--output_uri",
                "s3://my-data/curated/",
            ],
        },
    }
    assert steps[1]["ActionOnFailure"] == "CANCEL_AND_WAIT"


def test_runtime_role_steps_are_submitted_in_order_with_execution_role(built: dict) -> None:
    template: Template = built["template"]
    submissions = template.find_resources("Custom::AWS")
    assert len(submissions) == 2
    first_id = next(k for k in submissions if "RuntimeRoleStep2" in k)
    second = next(v for k, v in submissions.items() if "RuntimeRoleStep3" in k)
    assert first_id in second["DependsOn"]
    create = str(submissions[first_id]["Properties"]["Create"])
    assert "addJobFlowSteps" in create and "ExecutionRoleArn" in create and "com.example.Report" in create


def test_runtime_role_trusts_instance_role_with_session_actions(built: dict) -> None:
    built["template"].has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
                        "Effect": "Allow",
                        "Principal": {"AWS": {"Fn::GetAtt": [Match.string_like_regexp("ClusterInstanceRole"), "Arn"]}},
                    },
                ]
            }
        },
    )


def test_instance_role_may_assume_the_runtime_role(built: dict) -> None:
    built["template"].has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
                                "Resource": {"Fn::GetAtt": [Match.string_like_regexp("ClusterJobRole"), "Arn"]},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_security_configuration_document(built: dict) -> None:
    configs = built["template"].find_resources("AWS::EMR::SecurityConfiguration")
    doc = next(v for k, v in configs.items() if k.startswith("Security"))["Properties"]["SecurityConfiguration"]
    encryption = doc["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True and encryption["EnableInTransitEncryption"] is True
    at_rest = encryption["AtRestEncryptionConfiguration"]
    assert at_rest["S3EncryptionConfiguration"]["EncryptionMode"] == "SSE-KMS"
    assert at_rest["LocalDiskEncryptionConfiguration"]["EncryptionKeyProviderType"] == "AwsKms"
    assert at_rest["LocalDiskEncryptionConfiguration"]["EnableEbsEncryption"] is True
    assert encryption["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"] == {
        "CertificateProviderType": "PEM",
        "S3Object": "s3://my-artifacts/tls/certs.zip",
    }
    assert doc["AuthorizationConfiguration"] == {
        "IAMConfiguration": {
            "EnableApplicationScopedIAMRole": True,
            "ApplicationScopedIAMRoleConfiguration": {"PropagateSourceIdentity": True},
        },
        "LakeFormationConfiguration": {"AuthorizedSessionTagValue": "Amazon EMR"},
    }
    assert doc["InstanceMetadataServiceConfiguration"]["MinimumInstanceMetadataServiceVersion"] == 2


def test_ebs_encryption_key_grants_for_the_service_role(built: dict) -> None:
    built["template"].has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_kerberos_uses_a_cluster_dedicated_kdc_and_a_secrets_manager_password(built: dict) -> None:
    template: Template = built["template"]
    configs = template.find_resources("AWS::EMR::SecurityConfiguration")
    doc = next(v for k, v in configs.items() if k.startswith("Kerberized"))["Properties"]["SecurityConfiguration"]
    assert doc["AuthenticationConfiguration"]["KerberosConfiguration"] == {
        "Provider": "ClusterDedicatedKdc",
        "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24},
    }
    attributes = _cluster_props(template, "KerberosCluster")["KerberosAttributes"]
    assert attributes["Realm"] == "EC2.INTERNAL"
    assert "resolve:secretsmanager" in str(attributes["KdcAdminPassword"])


def test_grant_add_steps_is_scoped_to_the_cluster_and_its_runtime_roles(built: dict) -> None:
    template: Template = built["template"]
    policy = next(v for k, v in template.find_resources("AWS::IAM::Policy").items() if k.startswith("SubmitterDefault"))
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    steps = next(s for s in statements if "elasticmapreduce:AddJobFlowSteps" in s["Action"])
    assert ":cluster/" in str(steps["Resource"]) and "*" not in str(steps["Resource"])
    pass_role = next(s for s in statements if s["Action"] == "iam:PassRole")
    job_role = next(k for k in template.find_resources("AWS::IAM::Role") if k.startswith("ClusterJobRole"))
    assert pass_role["Resource"] == {"Fn::GetAtt": [job_role, "Arn"]}


def test_imported_cluster_grants_and_metrics(built: dict) -> None:
    template: Template = built["template"]
    policy = next(
        v for k, v in template.find_resources("AWS::IAM::Policy").items() if k.startswith("ImportedSubmitter")
    )
    assert "cluster/j-2AXXXXXXGAPLF" in str(policy["Properties"]["PolicyDocument"]["Statement"][0]["Resource"])
    metric = built["imported"].metric_apps_failed()
    assert metric.namespace == "AWS/ElasticMapReduce"
    assert metric.dimensions == {"JobFlowId": "j-2AXXXXXXGAPLF"}


@pytest.mark.parametrize(
    ("method", "metric_name", "statistic"),
    [
        ("metric_is_idle", "IsIdle", "Minimum"),
        ("metric_apps_failed", "AppsFailed", "Sum"),
        ("metric_apps_pending", "AppsPending", "Average"),
        ("metric_apps_running", "AppsRunning", "Average"),
        ("metric_yarn_memory_available_percentage", "YARNMemoryAvailablePercentage", "Average"),
        ("metric_container_pending_ratio", "ContainerPendingRatio", "Average"),
        ("metric_hdfs_utilization", "HDFSUtilization", "Maximum"),
        ("metric_capacity_remaining_gb", "CapacityRemainingGB", "Minimum"),
        ("metric_core_nodes_running", "CoreNodesRunning", "Average"),
        ("metric_task_nodes_running", "TaskNodesRunning", "Average"),
        ("metric_mr_unhealthy_nodes", "MRUnhealthyNodes", "Maximum"),
    ],
)
def test_metric_methods(built: dict, method: str, metric_name: str, statistic: str) -> None:
    metric = getattr(built["cluster"], method)()
    assert (metric.metric_name, metric.statistic, metric.namespace) == (metric_name, statistic, "AWS/ElasticMapReduce")
    cluster_logical_id = next(
        k for k in built["template"].find_resources("AWS::EMR::Cluster") if k.startswith("Cluster")
    )
    assert built["stack"].resolve(metric.dimensions["JobFlowId"]) == {"Ref": cluster_logical_id}
