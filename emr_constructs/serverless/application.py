"""``EmrServerlessApplication``: a Spark or Hive application that costs nothing while idle by default.

See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emrserverless as emrs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import (
    check_enum,
    check_s3_prefix,
    check_sequence_of,
    check_text,
    check_type,
)
from emr_constructs._internal.validation import check_pattern, check_range, fail, is_token
from emr_constructs.cluster.applications import Configuration
from emr_constructs.core.releases import (
    DEFAULT_SERVERLESS_RELEASE_LABEL,
    SERVERLESS_INTERACTIVE,
    SERVERLESS_SCHEDULER,
)
from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG
from emr_constructs.core.validation import check_ecr_image, check_mapping_of
from emr_constructs.releases import SERVERLESS, SERVERLESS_ARM64, SERVERLESS_CUSTOM_IMAGES, ReleaseLabel

# ApplicationBase moved to base.py; importing it from here keeps working (explicit re-export for mypy).
from emr_constructs.serverless.base import ApplicationBase as ApplicationBase
from emr_constructs.serverless.base import _ImportedApplication
from emr_constructs.serverless.guards import (
    DEFAULT_RUNNING_JOBS_ON_CHANGE,
    ApplicationLifecycleGuards,
    RunningJobsOnChange,
)
from emr_constructs.serverless.runtime_configuration import glue_catalog, iceberg, render_configurations
from emr_constructs.serverless.scheduler import SchedulerConfiguration
from emr_constructs.serverless.workers import (
    ApplicationType,
    Architecture,
    InitialCapacity,
    MaximumCapacity,
    WorkerType,
)
from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION, SecureBucket, SecureLogGroup

DEFAULT_RELEASE_LABEL = DEFAULT_SERVERLESS_RELEASE_LABEL
DEFAULT_IDLE_TIMEOUT = Duration.minutes(15)
IDLE_TIMEOUT_MINUTES = (1, 10080)
DEFAULT_LOG_PREFIX = "emr-serverless-logs/"


@dataclass(frozen=True, kw_only=True)
class InteractiveConfiguration:
    """Interactive use of a Spark application: EMR Studio notebooks and an Apache Livy endpoint."""

    studio_enabled: bool = True
    livy_endpoint_enabled: bool = False


class EmrServerlessApplication(ApplicationBase):
    """An EMR Serverless application.

    :param release_label: Default: ``ReleaseLabel.EMR_7_10_0``; releases before emr-6.6.0 are rejected.
    :param application_type: Default: Spark.
    :param name: Default: ``<stack name>-<construct id>`` (also the ``ApplicationName`` metric dimension).
    :param architecture: Default: ARM64 (Graviton, cheaper). The service's own default is X86_64.
    :param initial_capacity: pre-initialized workers. Default: none, so an idle application costs nothing.
    :param maximum_capacity: Default: 32 vCPU, 128 GB, 1,000 GB across all jobs.
    :param auto_start: start on job submission. Default: on.
    :param auto_stop: Default: on. :param idle_timeout: Default: 15 minutes (1 minute to 7 days).
    :param vpc: Default: no VPC access: jobs reach S3, Glue and other public AWS endpoints but nothing inside your
        VPCs (databases, private endpoints). With a VPC, workers run in ``vpc_subnets`` (default: private with
        egress) and reach only what those subnets route to (NAT gateway or VPC endpoints for S3, Glue, STS, Logs).
    :param security_groups: Default: one group created here (all outbound, no inbound).
    :param image_uri: a custom image for all workers (emr-6.9.0+). :param worker_image_uris: per worker type.
    :param runtime_configuration: configuration classifications such as ``spark-defaults``.
    :param glue_data_catalog: Glue Data Catalog as metastore. :param iceberg_enabled: Apache Iceberg (Spark only).
    :param interactive: Default: none (batch only). Needs emr-6.14.0 or later.
    :param scheduler: job concurrency and queuing (emr-7.0.0 or later). Default: none: every submitted job run
        starts at once, bounded only by ``maximum_capacity``.
        See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications-concurrency-queuing.html
    :param log_bucket: S3 destination of job logs. Default: a new ``SecureBucket`` (KMS, RETAIN).
    :param cloudwatch_logs: Default: on, to a KMS-encrypted log group created here (retention one year, RETAIN).
    :param log_encryption_key: the KMS key of that log group (and of the lifecycle guards' log group). Default: a new
        key for it. Pass the stack's key to share one (it gets the CloudWatch Logs statement once, see
        ``allow_cloudwatch_logs``).
    :param managed_persistence: keep Spark UI / logs in EMR-managed storage for 30 days. Default: on.
    :param lifecycle_guards: Default: on. EMR Serverless updates or deletes an application only while it is CREATED
        or STOPPED, and one that ran a job stays STARTED until auto-stop (or forever with auto-stop off or
        pre-initialized capacity): without the guards, ``cdk deploy`` of a changed application (a tag included) and
        ``cdk destroy`` fail while it is STARTED. Two custom resources (one Lambda function, its role and encrypted
        log group) stop it first: an update guard the application depends on, run whenever the application's
        properties change, and a delete guard deleted before it. Auto-start brings the application back on the next
        job. Turn off if you stop the application yourself before deploying; turning it off on a deployed stack
        deletes the delete guard, which stops the application once.
        See: https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html
    :param running_jobs_on_change: what the guards do with unfinished job runs (StopApplication fails while jobs run).
        Default: ``RunningJobsOnChange.WAIT``: a deployment never destroys work; jobs that finish within about 14
        minutes let it proceed, longer ones fail it with a message naming the runs, and CloudFormation rolls back
        (the application unchanged). ``CANCEL`` always proceeds and loses the jobs; ``FAIL`` fails at once.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        release_label: ReleaseLabel = DEFAULT_RELEASE_LABEL,
        application_type: ApplicationType = ApplicationType.SPARK,
        name: str | None = None,
        architecture: Architecture = Architecture.ARM64,
        initial_capacity: Sequence[InitialCapacity] = (),
        maximum_capacity: MaximumCapacity | None = None,
        auto_start: bool = True,
        auto_stop: bool = True,
        idle_timeout: Duration = DEFAULT_IDLE_TIMEOUT,
        vpc: ec2.IVpc | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        security_groups: Sequence[ec2.ISecurityGroup] | None = None,
        image_uri: str | None = None,
        worker_image_uris: Mapping[WorkerType, str] | None = None,
        runtime_configuration: Sequence[Configuration] = (),
        glue_data_catalog: bool = False,
        iceberg_enabled: bool = False,
        interactive: InteractiveConfiguration | None = None,
        scheduler: SchedulerConfiguration | None = None,
        log_bucket: s3.IBucket | None = None,
        log_prefix: str = DEFAULT_LOG_PREFIX,
        cloudwatch_logs: bool = True,
        log_encryption_key: kms.IKey | None = None,
        log_retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        managed_persistence: bool = True,
        application_tag: str | None = None,
        cost_center: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        lifecycle_guards: bool = True,
        running_jobs_on_change: RunningJobsOnChange = DEFAULT_RUNNING_JOBS_ON_CHANGE,
    ) -> None:
        super().__init__(scope, construct_id)
        _check_props(locals())
        release_label.require(SERVERLESS, "release_label", release_label.label)
        if release_label.suffix is not None:
            raise fail("release_label", release_label.label, "EMR Serverless takes 'emr-X.Y.Z' or 'emr-spark-X.Y.Z'")
        if architecture is Architecture.ARM64:
            release_label.require(SERVERLESS_ARM64, "architecture", architecture.value)
        if interactive is not None:
            release_label.require(SERVERLESS_INTERACTIVE, "interactive", interactive)
        if scheduler is not None:
            release_label.require(SERVERLESS_SCHEDULER, "scheduler", scheduler)
            scheduler.validate("scheduler")
        self.release_label = release_label
        self.application_type = application_type
        self.maximum_capacity = maximum_capacity or MaximumCapacity()
        self.maximum_capacity.validate()
        self._validate_capacity(release_label, application_type, initial_capacity, self.maximum_capacity)
        idle_minutes = idle_timeout.to_minutes(integral=False) if auto_stop else None
        check_range("idle_timeout (minutes)", idle_minutes, *IDLE_TIMEOUT_MINUTES)
        if idle_minutes is not None and not is_token(idle_minutes) and idle_minutes != int(idle_minutes):
            raise fail("idle_timeout", idle_timeout.to_human_string(), "must be a whole number of minutes")
        images = self._validate_images(release_label, application_type, image_uri, worker_image_uris or {})
        spark_only = {
            "iceberg_enabled": iceberg_enabled,
            "interactive.livy_endpoint_enabled": bool(interactive and interactive.livy_endpoint_enabled),
        }
        for prop, used in spark_only.items():
            if used and application_type is ApplicationType.HIVE:
                raise fail(prop, True, "is a Spark option; application_type is HIVE")
        configurations = list(runtime_configuration)
        if glue_data_catalog:
            configurations += glue_catalog(application_type)
        if iceberg_enabled:
            configurations += iceberg()
        if application_type is ApplicationType.HIVE:
            for conf in configurations:
                if conf.classification.startswith("spark"):
                    raise fail("runtime_configuration", conf.classification, "Spark classifications need SPARK")

        check_pattern("name", name, r"[A-Za-z0-9._/#-]{1,64}", "1-64 letters, digits or . _ / # -")
        self.application_name = name or f"{Stack.of(self).stack_name}-{construct_id}"[:64]
        self.security_groups: list[ec2.ISecurityGroup] = []
        network = None
        if vpc is not None:
            selection = vpc_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
            self.security_groups = list(
                security_groups
                or [ec2.SecurityGroup(self, "SecurityGroup", vpc=vpc, description="EMR Serverless workers")]
            )
            network = emrs.CfnApplication.NetworkConfigurationProperty(
                subnet_ids=vpc.select_subnets(**selection._values).subnet_ids,
                security_group_ids=[sg.security_group_id for sg in self.security_groups],
            )
        elif security_groups:
            raise fail("security_groups", len(security_groups), "security groups need a vpc")
        self.connections = ec2.Connections(security_groups=self.security_groups)

        self.log_bucket: s3.IBucket = log_bucket or SecureBucket(self, "Logs", removal_policy=removal_policy).bucket
        self.log_uri = f"s3://{self.log_bucket.bucket_name}/{log_prefix}"
        self.log_group: logs.ILogGroup | None = None
        log_key = log_encryption_key
        cloudwatch = None
        if cloudwatch_logs:
            secure_group = SecureLogGroup(
                self,
                "LogGroup",
                encryption_key=log_encryption_key,
                retention=log_retention,
                removal_policy=removal_policy,
            )
            self.log_group = secure_group.log_group
            log_key = secure_group.encryption_key
            cloudwatch = emrs.CfnApplication.CloudWatchLoggingConfigurationProperty(
                enabled=True,
                log_group_name=secure_group.log_group_name,
                encryption_key_arn=secure_group.encryption_key.key_arn,
            )
        bucket_key = self.log_bucket.encryption_key
        self._resource = emrs.CfnApplication(
            self,
            "Resource",
            name=self.application_name,
            release_label=release_label.label,
            type=application_type.value,
            architecture=architecture.value,
            initial_capacity=[c._render() for c in initial_capacity] or None,
            maximum_capacity=self.maximum_capacity._render(),
            auto_start_configuration=emrs.CfnApplication.AutoStartConfigurationProperty(enabled=auto_start),
            auto_stop_configuration=emrs.CfnApplication.AutoStopConfigurationProperty(
                enabled=auto_stop, idle_timeout_minutes=int(idle_minutes) if idle_minutes is not None else None
            ),
            network_configuration=network,
            image_configuration=images.get(None),
            worker_type_specifications={
                w.value: emrs.CfnApplication.WorkerTypeSpecificationInputProperty(image_configuration=i)
                for w, i in images.items()
                if w is not None
            }
            or None,
            runtime_configuration=render_configurations(configurations) or None,
            interactive_configuration=emrs.CfnApplication.InteractiveConfigurationProperty(
                studio_enabled=interactive.studio_enabled, livy_endpoint_enabled=interactive.livy_endpoint_enabled
            )
            if interactive
            else None,
            scheduler_configuration=scheduler._render() if scheduler else None,
            monitoring_configuration=emrs.CfnApplication.MonitoringConfigurationProperty(
                s3_monitoring_configuration=emrs.CfnApplication.S3MonitoringConfigurationProperty(
                    log_uri=self.log_uri, encryption_key_arn=bucket_key.key_arn if bucket_key else None
                ),
                cloud_watch_logging_configuration=cloudwatch,
                managed_persistence_monitoring_configuration=emrs.CfnApplication.ManagedPersistenceMonitoringConfigurationProperty(
                    enabled=managed_persistence
                ),
            ),
        )
        self.application_id = self._resource.attr_application_id
        self.lifecycle_guards: ApplicationLifecycleGuards | None = None
        if lifecycle_guards:
            self.lifecycle_guards = ApplicationLifecycleGuards(
                self,
                "LifecycleGuards",
                application=self._resource,
                application_name=self.application_name,
                running_jobs_on_change=running_jobs_on_change,
                encryption_key=log_key,
                log_retention=log_retention,
                removal_policy=removal_policy,
            )
        Tags.of(self).add(APPLICATION_TAG, application_tag or construct_id)
        if cost_center:
            Tags.of(self).add(COST_CENTER_TAG, cost_center)

    @property
    def application_arn(self) -> str:
        return self._resource.attr_arn

    @classmethod
    def from_application_id(
        cls,
        scope: Construct,
        construct_id: str,
        application_id: str,
        *,
        application_name: str | None = None,
        release_label: ReleaseLabel = DEFAULT_RELEASE_LABEL,
    ) -> ApplicationBase:
        """Reference an existing application; grants and metrics work on it (metrics need its name and release
        from emr-7.10.0 on, when EMR Serverless publishes with the ApplicationName dimension)."""
        if not is_token(application_id) and not application_id.isalnum():
            raise fail(
                "application_id", application_id, "must be an EMR Serverless application id such as '00f6b0eou5biqd0l'"
            )
        return _ImportedApplication(scope, construct_id, application_id, application_name, release_label)

    @staticmethod
    def _validate_capacity(
        release: ReleaseLabel,
        application_type: ApplicationType,
        initial_capacity: Sequence[InitialCapacity],
        maximum: MaximumCapacity,
    ) -> None:
        totals = [0, 0, 0]
        seen: set[WorkerType] = set()
        for i, capacity in enumerate(initial_capacity):
            prop = f"initial_capacity[{i}]"
            if capacity.worker_type.application_type is not application_type:
                allowed = ", ".join(w.value for w in WorkerType if w.application_type is application_type)
                raise fail(
                    f"{prop}.worker_type",
                    capacity.worker_type.value,
                    f"{application_type.value} applications take {allowed}",
                )
            if capacity.worker_type in seen:
                raise fail(f"{prop}.worker_type", capacity.worker_type.value, "each worker type may appear once")
            seen.add(capacity.worker_type)
            capacity.validate(prop, release)
            worker_totals = capacity.totals()
            if worker_totals is None:
                return
            totals = [a + b for a, b in zip(totals, worker_totals, strict=True)]
        limits = (maximum.cpu_vcpu, maximum.memory_gb, maximum.disk_gb)
        for name, total, limit in zip(("cpu_vcpu", "memory_gb", "disk_gb"), totals, limits, strict=True):
            if not is_token(limit) and total > limit:
                raise fail(
                    f"maximum_capacity.{name}", limit, f"is below the pre-initialized capacity ({total}); raise it"
                )

    @staticmethod
    def _validate_images(
        release: ReleaseLabel,
        application_type: ApplicationType,
        image_uri: str | None,
        per_worker: Mapping[WorkerType, str],
    ) -> dict[WorkerType | None, emrs.CfnApplication.ImageConfigurationInputProperty]:
        images: dict[WorkerType | None, emrs.CfnApplication.ImageConfigurationInputProperty] = {}
        for worker, uri in [(None, image_uri), *per_worker.items()]:
            if uri is None:
                continue
            prop = "image_uri" if worker is None else f"worker_image_uris[{worker.value}]"
            release.require(SERVERLESS_CUSTOM_IMAGES, prop, uri)
            if worker is not None and worker.application_type is not application_type:
                raise fail(prop, worker.value, f"is not a worker type of {application_type.value} applications")
            if not is_token(uri):
                check_ecr_image(prop, uri)
            images[worker] = emrs.CfnApplication.ImageConfigurationInputProperty(image_uri=uri)
        return images


def _check_props(props: Mapping[str, Any]) -> None:
    """Types at the boundary of ``EmrServerlessApplication``: wrong types raise ``PropTypeError`` naming the prop."""
    check_type("release_label", props["release_label"], ReleaseLabel)
    check_enum("application_type", props["application_type"], ApplicationType, optional=False)
    check_enum("architecture", props["architecture"], Architecture, optional=False)
    check_text("name", props["name"])
    check_sequence_of("initial_capacity", props["initial_capacity"], InitialCapacity, optional=False)
    check_type("maximum_capacity", props["maximum_capacity"], MaximumCapacity, optional=True)
    check_type("scheduler", props["scheduler"], SchedulerConfiguration, optional=True)
    for flag in ("auto_start", "auto_stop", "glue_data_catalog", "iceberg_enabled", "cloudwatch_logs"):
        check_type(flag, props[flag], bool)
    check_type("managed_persistence", props["managed_persistence"], bool)
    check_type("log_encryption_key", props["log_encryption_key"], kms.IKey, optional=True)
    check_type("lifecycle_guards", props["lifecycle_guards"], bool)
    check_enum("running_jobs_on_change", props["running_jobs_on_change"], RunningJobsOnChange, optional=False)
    check_type("idle_timeout", props["idle_timeout"], Duration)
    check_type("vpc", props["vpc"], ec2.IVpc, optional=True)
    check_type("vpc_subnets", props["vpc_subnets"], ec2.SubnetSelection, optional=True)
    check_sequence_of("security_groups", props["security_groups"], ec2.ISecurityGroup)
    check_type("image_uri", props["image_uri"], str, optional=True)
    uris = props["worker_image_uris"]
    if uris is not None:
        check_mapping_of("worker_image_uris", uris, WorkerType, str)
    check_sequence_of("runtime_configuration", props["runtime_configuration"], Configuration, optional=False)
    check_type("log_bucket", props["log_bucket"], s3.IBucket, optional=True)
    check_s3_prefix("log_prefix", props["log_prefix"])
    check_enum("log_retention", props["log_retention"], logs.RetentionDays, optional=False)
    for prop in ("application_tag", "cost_center"):
        check_text(prop, props[prop])
    check_type("removal_policy", props["removal_policy"], RemovalPolicy)
