"""EmrServerlessApplication: defaults that cost nothing while idle, options, grants, imports and metrics."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from emr_constructs import (
    ApplicationType,
    Architecture,
    CapacityAllocationType,
    Classification,
    Configuration,
    DiskType,
    EmrServerlessApplication,
    InitialCapacity,
    InteractiveConfiguration,
    MaximumCapacity,
    ReleaseLabel,
    WorkerConfiguration,
    WorkerType,
)
from tests.conftest import new_stack


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    stack, vpc = new_stack()
    default = EmrServerlessApplication(stack, "Batch", cost_center="analytics")
    EmrServerlessApplication(
        stack,
        "Hive",
        application_type=ApplicationType.HIVE,
        release_label=ReleaseLabel.of("emr-6.15.0"),
        architecture=Architecture.X86_64,
        initial_capacity=[
            InitialCapacity(
                worker_type=WorkerType.HIVE_DRIVER,
                worker_count=1,
                worker_configuration=WorkerConfiguration(cpu="2 vCPU", memory="16", disk="30 GB"),
            ),
            InitialCapacity(
                worker_type=WorkerType.TEZ_TASK,
                worker_count=4,
                worker_configuration=WorkerConfiguration(cpu=8, memory="60 GB"),
            ),
        ],
        maximum_capacity=MaximumCapacity(cpu_vcpu=64, memory_gb=512, disk_gb=2000),
        idle_timeout=Duration.minutes(30),
        vpc=vpc,
        glue_data_catalog=True,
        cloudwatch_logs=False,
        managed_persistence=False,
    )
    spark = EmrServerlessApplication(
        stack,
        "Spark",
        name="etl",
        vpc=vpc,
        initial_capacity=[
            InitialCapacity(
                worker_type=WorkerType.SPARK_EXECUTOR,
                worker_count=2,
                worker_configuration=WorkerConfiguration(
                    cpu="4 vCPU", memory="16 GB", disk="500 GB", disk_type=DiskType.SHUFFLE_OPTIMIZED
                ),
            ),
        ],
        image_uri="123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:custom",
        worker_image_uris={WorkerType.SPARK_DRIVER: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/driver:1"},
        runtime_configuration=[
            Configuration(Classification.SPARK_DEFAULTS, {"spark.dynamicAllocation.maxExecutors": "20"})
        ],
        glue_data_catalog=True,
        iceberg_enabled=True,
        interactive=InteractiveConfiguration(studio_enabled=True, livy_endpoint_enabled=True),
        auto_stop=True,
    )
    spark.connections.allow_to(ec2.Peer.ipv4("10.0.0.0/16"), ec2.Port.tcp(5432), "PostgreSQL source")
    runtime = iam.Role.from_role_arn(stack, "Runtime", "arn:aws:iam::123456789012:role/JobRole")
    submitter = iam.Role(stack, "Submitter", assumed_by=iam.AccountRootPrincipal())
    default.grant_start_job_run(submitter, runtime)
    imported = EmrServerlessApplication.from_application_id(
        stack, "Imported", "00f6b0eou5biqd0l", application_name="legacy", release_label=ReleaseLabel.of("emr-7.10.0")
    )
    old = EmrServerlessApplication.from_application_id(
        stack, "Old", "00f6b0eou5bzzz0l", application_name="old", release_label=ReleaseLabel.of("emr-6.15.0")
    )
    template = Template.from_stack(stack)
    apps = {k: v["Properties"] for k, v in template.find_resources("AWS::EMRServerless::Application").items()}
    return {
        "template": template,
        "stack": stack,
        "default": default,
        "imported": imported,
        "old": old,
        "apps": {n: next(v for k, v in apps.items() if k.startswith(n)) for n in ("Batch", "Hive", "Spark")},
    }


def test_default_costs_nothing_while_idle(built: dict) -> None:
    props = built["apps"]["Batch"]
    assert "InitialCapacity" not in props
    assert props["AutoStopConfiguration"] == {"Enabled": True, "IdleTimeoutMinutes": 15}
    assert props["AutoStartConfiguration"] == {"Enabled": True}
    assert props["MaximumCapacity"] == {"Cpu": "32 vCPU", "Memory": "128 GB", "Disk": "1000 GB"}


def test_default_is_spark_on_graviton_without_vpc(built: dict) -> None:
    props = built["apps"]["Batch"]
    assert (props["Type"], props["Architecture"], props["ReleaseLabel"]) == ("SPARK", "ARM64", "emr-7.10.0")
    assert "NetworkConfiguration" not in props
    assert props["Name"] == "Test-Batch"
    assert {"Key": "cost-center", "Value": "analytics"} in props["Tags"]
    assert {"Key": "application", "Value": "Batch"} in props["Tags"]


def test_default_monitoring_s3_kms_cloudwatch_kms_and_managed_persistence(built: dict) -> None:
    monitoring = built["apps"]["Batch"]["MonitoringConfiguration"]
    assert monitoring["S3MonitoringConfiguration"]["LogUri"]["Fn::Join"][1][-1] == "/emr-serverless-logs/"
    assert "Fn::GetAtt" in monitoring["S3MonitoringConfiguration"]["EncryptionKeyArn"]
    cloudwatch = monitoring["CloudWatchLoggingConfiguration"]
    assert cloudwatch["Enabled"] is True and "Fn::GetAtt" in cloudwatch["EncryptionKeyArn"]
    assert monitoring["ManagedPersistenceMonitoringConfiguration"] == {"Enabled": True}
    built["template"].has_resource(
        "AWS::Logs::LogGroup",
        {"Properties": {"KmsKeyId": Match.any_value(), "RetentionInDays": 365}, "DeletionPolicy": "Retain"},
    )


def test_hive_with_initial_capacity_x86_vpc_and_glue(built: dict) -> None:
    props = built["apps"]["Hive"]
    assert (props["Type"], props["Architecture"]) == ("HIVE", "X86_64")
    assert props["InitialCapacity"] == [
        {
            "Key": "HiveDriver",
            "Value": {"WorkerCount": 1, "WorkerConfiguration": {"Cpu": "2 vCPU", "Memory": "16 GB", "Disk": "30 GB"}},
        },
        {"Key": "TezTask", "Value": {"WorkerCount": 4, "WorkerConfiguration": {"Cpu": "8 vCPU", "Memory": "60 GB"}}},
    ]
    assert props["AutoStopConfiguration"]["IdleTimeoutMinutes"] == 30
    assert len(props["NetworkConfiguration"]["SubnetIds"]) == 2
    assert len(props["NetworkConfiguration"]["SecurityGroupIds"]) == 1
    assert props["RuntimeConfiguration"] == [
        {
            "Classification": "hive-site",
            "Properties": {
                "hive.metastore.client.factory.class": (
                    "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
                )
            },
        }
    ]
    monitoring = props["MonitoringConfiguration"]
    assert "CloudWatchLoggingConfiguration" not in monitoring
    assert monitoring["ManagedPersistenceMonitoringConfiguration"] == {"Enabled": False}


def test_spark_images_interactive_shuffle_disks_and_merged_configuration(built: dict) -> None:
    props = built["apps"]["Spark"]
    assert props["Name"] == "etl"
    assert props["ImageConfiguration"] == {"ImageUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:custom"}
    assert props["WorkerTypeSpecifications"] == {
        "Driver": {"ImageConfiguration": {"ImageUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/driver:1"}}
    }
    assert props["InteractiveConfiguration"] == {"StudioEnabled": True, "LivyEndpointEnabled": True}
    executor = props["InitialCapacity"][0]["Value"]["WorkerConfiguration"]
    assert executor == {"Cpu": "4 vCPU", "Memory": "16 GB", "Disk": "500 GB", "DiskType": "SHUFFLE_OPTIMIZED"}
    (spark_defaults,) = props["RuntimeConfiguration"]
    assert spark_defaults["Classification"] == "spark-defaults"
    assert spark_defaults["Properties"]["spark.dynamicAllocation.maxExecutors"] == "20"
    assert (
        spark_defaults["Properties"]["spark.sql.catalog.glue_catalog.catalog-impl"]
        == "org.apache.iceberg.aws.glue.GlueCatalog"
    )
    assert "spark.hadoop.hive.metastore.client.factory.class" in spark_defaults["Properties"]


def test_connections_manage_the_created_security_group(built: dict) -> None:
    built["template"].has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": "EMR Serverless workers",
            "SecurityGroupEgress": Match.array_with([Match.object_like({"CidrIp": "0.0.0.0/0"})]),
        },
    )


def test_grant_start_job_run_is_scoped_and_passes_only_the_runtime_role(built: dict) -> None:
    template: Template = built["template"]
    policy = next(v for k, v in template.find_resources("AWS::IAM::Policy").items() if k.startswith("Submitter"))
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    runs = next(s for s in statements if "emr-serverless:StartJobRun" in s["Action"])
    assert set(runs["Action"]) >= {
        "emr-serverless:StartJobRun",
        "emr-serverless:GetJobRun",
        "emr-serverless:CancelJobRun",
        "emr-serverless:ListJobRuns",
        "emr-serverless:GetDashboardForJobRun",
    }
    assert len(runs["Resource"]) == 2 and "/jobruns/*" in str(runs["Resource"][1])
    assert "*" not in str(runs["Resource"][0])
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    assert passing["Resource"] == "arn:aws:iam::123456789012:role/JobRole"
    assert passing["Condition"] == {"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}


def test_imported_application_arn_and_metrics_by_release(built: dict) -> None:
    stack = built["stack"]
    imported, old = built["imported"], built["old"]
    assert stack.resolve(imported.application_arn)["Fn::Join"][1][-1].endswith(":/applications/00f6b0eou5biqd0l")
    pre_initialized = CapacityAllocationType.PRE_INITIALIZED
    # WorkerType values as EMR Serverless publishes them (Spark_Driver, not the initial-capacity key Driver).
    # See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
    new_metric = imported.metric_cpu_allocated(worker_type="Spark_Driver", capacity_allocation_type=pre_initialized)
    assert new_metric.dimensions == {
        "ApplicationId": "00f6b0eou5biqd0l",
        "ApplicationName": "legacy",
        "WorkerType": "Spark_Driver",
        "CapacityAllocationType": "PreInitCapacity",
    }
    assert old.metric_cpu_allocated().dimensions == {"ApplicationId": "00f6b0eou5bzzz0l"}


@pytest.mark.parametrize(
    ("method", "metric_name", "statistic"),
    [
        ("metric_cpu_allocated", "CPUAllocated", "Average"),
        ("metric_memory_allocated", "MemoryAllocated", "Average"),
        ("metric_storage_allocated", "StorageAllocated", "Average"),
        ("metric_running_worker_count", "RunningWorkerCount", "Average"),
        ("metric_idle_worker_count", "IdleWorkerCount", "Average"),
        ("metric_max_cpu_allowed", "MaxCPUAllowed", "Maximum"),
        ("metric_max_memory_allowed", "MaxMemoryAllowed", "Maximum"),
        ("metric_max_storage_allowed", "MaxStorageAllowed", "Maximum"),
        ("metric_submitted_jobs", "SubmittedJobs", "Sum"),
        ("metric_pending_jobs", "PendingJobs", "Sum"),
        ("metric_scheduled_jobs", "ScheduledJobs", "Sum"),
        ("metric_running_jobs", "RunningJobs", "Sum"),
        ("metric_success_jobs", "SuccessJobs", "Sum"),
        ("metric_failed_jobs", "FailedJobs", "Sum"),
        ("metric_cancelling_jobs", "CancellingJobs", "Sum"),
        ("metric_cancelled_jobs", "CancelledJobs", "Sum"),
    ],
)
def test_metric_methods(built: dict, method: str, metric_name: str, statistic: str) -> None:
    metric = getattr(built["default"], method)()
    assert (metric.namespace, metric.metric_name, metric.statistic) == ("AWS/EMRServerless", metric_name, statistic)
    assert set(metric.dimensions) == {"ApplicationId", "ApplicationName"}  # emr-7.10.0 publishes both
