"""The EMR Serverless reference stack: an application in the private subnets, its runtime role, logs, a Glue
database, a dashboard and alarms."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_glue as glue
from constructs import Construct

from emr_constructs import (
    EmrServerlessApplication,
    EmrServerlessMonitoring,
    JobRuntimeRole,
    MaximumCapacity,
    RuntimeRoleTrust,
    SchedulerConfiguration,
    ServerlessAlarmThresholds,
)
from emr_constructs.core.outputs import ServerlessOutput
from emr_constructs.jobs import SparkJob
from emr_constructs.jobs.pipeline import PipelineTarget, SparkPipeline
from stacks.config import ServerlessConfig
from stacks.shared import alarm_topic, application_budget, platform_storage

DATA_PREFIXES = {"raw": "raw/", "curated": "curated/", "scripts": "scripts/"}


def _scheduler(config: ServerlessConfig) -> SchedulerConfiguration | None:
    """Job concurrency and queuing when either of its keys is set (the other keeps the service's default)."""
    if config.max_concurrent_runs is None and config.queue_timeout_minutes is None:
        return None
    timeout = config.queue_timeout_minutes
    return SchedulerConfiguration(
        max_concurrent_runs=config.max_concurrent_runs,
        queue_timeout=Duration.minutes(timeout) if timeout is not None else None,
    )


class EmrServerlessStack(Stack):
    """A Spark application that costs nothing while idle (no pre-initialized capacity, auto-stop), bounded by a
    maximum capacity, with a runtime role scoped to its data prefixes, Glue database and log destinations."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: ServerlessConfig,
        vpc: ec2.IVpc,
        subnet_type: ec2.SubnetType,
        application_tag: str,
        cost_center: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        storage = platform_storage(
            self, description="EMR Serverless data, logs and alarms", removal_policy=removal_policy
        )
        key, logs, data = storage.key, storage.logs, storage.data
        database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=self.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=config.glue_database, description="Tables written by EMR Serverless jobs"
            ),
        )
        # An L1 resource defaults to DeletionPolicy Delete; table definitions are data: follow the stack's policy.
        database.apply_removal_policy(removal_policy)
        self.application = EmrServerlessApplication(
            self,
            "Application",
            release_label=config.release_label,
            architecture=config.architecture,
            maximum_capacity=MaximumCapacity(
                cpu_vcpu=config.max_vcpu, memory_gb=config.max_memory_gb, disk_gb=config.max_disk_gb
            ),
            idle_timeout=Duration.minutes(config.idle_timeout_minutes),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=subnet_type),
            glue_data_catalog=True,
            iceberg_enabled=config.iceberg,
            log_bucket=logs.bucket,
            log_retention=config.log_retention_days,
            log_encryption_key=key,  # one key per stack: data, logs, alarms
            application_tag=application_tag,
            cost_center=cost_center,
            removal_policy=removal_policy,
            lifecycle_guards=config.lifecycle_guards,
            running_jobs_on_change=config.running_jobs_on_change,
            scheduler=_scheduler(config),
        )
        runtime = JobRuntimeRole(
            self,
            "JobRole",
            trust=RuntimeRoleTrust.serverless(self),
            description="Jobs on the EMR Serverless application",
        )
        runtime.grant_read(data.bucket, DATA_PREFIXES["raw"])
        runtime.grant_read(data.bucket, DATA_PREFIXES["scripts"])
        runtime.grant_read_write(data.bucket, DATA_PREFIXES["curated"])
        runtime.grant_glue_catalog([config.glue_database], write=True)
        runtime.grant_log_write(logs.bucket, "emr-serverless-logs/")
        assert self.application.log_group is not None
        runtime.grant_log_group_write(self.application.log_group)
        runtime.node.add_dependency(database)
        self.runtime_role = runtime

        topic = alarm_topic(self, key=key, email=config.alarm_email)
        application_budget(
            self,
            monthly_limit=config.monthly_budget_usd,
            application=application_tag,
            cost_center=cost_center,
            topic=topic,
        )
        monitoring = EmrServerlessMonitoring(
            self,
            "Monitoring",
            application=self.application,
            alarm_topic=topic,
            thresholds=ServerlessAlarmThresholds(capacity_percent=config.capacity_alarm_percent),
        )

        bucket = data.bucket_name
        self.pipeline = SparkPipeline(
            self,
            "Pipeline",
            jobs=[
                SparkJob(
                    name="wordcount",
                    entry_point=f"s3://{bucket}/{DATA_PREFIXES['scripts']}wordcount.py",
                    arguments=[f"s3://{bucket}/{DATA_PREFIXES['curated']}wordcount/"],
                    driver_cores=1,
                    driver_memory="4g",
                    executor_cores=1,
                    executor_memory="4g",
                    executor_instances=1,
                    log_uri=self.application.log_uri,
                )
            ],
            target=PipelineTarget.serverless(self.application, runtime.role),
            schedule=config.pipeline_schedule,
            schedule_enabled=config.pipeline_schedule_enabled,
            alarm_topic=topic,
            log_encryption_key=key,
            removal_policy=removal_policy,
        )
        outputs = {
            ServerlessOutput.PIPELINE_STATE_MACHINE_ARN: self.pipeline.state_machine_arn,
            ServerlessOutput.APPLICATION_ID: self.application.application_id,
            ServerlessOutput.APPLICATION_NAME: self.application.application_name or "",
            ServerlessOutput.RUNTIME_ROLE_ARN: runtime.role_arn,
            ServerlessOutput.LOG_URI: self.application.log_uri,
            ServerlessOutput.LOG_GROUP_NAME: self.application.log_group.log_group_name,
            ServerlessOutput.DATA_BUCKET: data.bucket_name,
            ServerlessOutput.GLUE_DATABASE: config.glue_database,
            ServerlessOutput.DASHBOARD_NAME: monitoring.dashboard_name,
        }
        for output, value in outputs.items():
            CfnOutput(self, output.key, value=value)
