"""The EMR on EC2 reference stack: an encrypted, runtime-role cluster with its buckets, dashboard and alarms."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnDeletionPolicy, CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs import (
    Application,
    AtRestEncryption,
    EmrCluster,
    EmrClusterMonitoring,
    EmrSecurityConfiguration,
    EmrTlsCertificate,
    InTransitEncryption,
    ManagedScaling,
    RuntimeRoleAuthorization,
)
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.outputs import Ec2Output
from stacks.config import Ec2Config
from stacks.replacement import warn_replacement
from stacks.shared import alarm_topic, application_budget, platform_storage

DATA_PREFIXES = {"raw": "raw/", "curated": "curated/", "artifacts": "artifacts/"}


class EmrEc2Stack(Stack):
    """A long-running EMR on EC2 cluster in the network stack's private subnets.

    At-rest (S3, local disk, EBS) and in-transit encryption, IMDSv2, job-centric runtime roles, Glue Data Catalog and
    Iceberg, Graviton fleets with Spot task capacity, managed scaling and idle auto-termination. The TLS certificate
    zip is read from ``tls_certificate_s3_uri`` (an existing object, e.g. issued by your CA) or, by default, generated
    self-signed during the deployment at ``s3://<DataBucket>/<tls_certificate_key>`` before the cluster is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: Ec2Config,
        vpc: ec2.IVpc,
        subnet_type: ec2.SubnetType,
        application_tag: str,
        cost_center: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        storage = platform_storage(
            self, description="EMR platform data, logs and alarms", removal_policy=removal_policy
        )
        key, logs, data = storage.key, storage.logs, storage.data
        certificate: EmrTlsCertificate | None = None
        if config.tls_certificate_s3_uri:
            bucket_name, certificate_key = config.tls_certificate_s3_uri.removeprefix("s3://").split("/", 1)
            certificate_bucket = s3.Bucket.from_bucket_name(self, "CertificateBucket", bucket_name)
            in_transit = InTransitEncryption(certificate_s3_uri=config.tls_certificate_s3_uri)
        else:
            # A clean account has no certificate yet: generate a self-signed one before the cluster is created.
            certificate = EmrTlsCertificate(
                self,
                "TlsCertificate",
                bucket=data.bucket,
                object_key=config.tls_certificate_key,
                validity=Duration.days(config.tls_certificate_validity_days),
                log_encryption_key=key,  # one key per stack
                removal_policy=removal_policy,
            )
            certificate_bucket, certificate_key = data.bucket, config.tls_certificate_key
            in_transit = certificate.in_transit_encryption()
        security = EmrSecurityConfiguration(
            self,
            "SecurityConfiguration",
            at_rest=AtRestEncryption(key=key),
            in_transit=in_transit,
            runtime_roles=RuntimeRoleAuthorization(propagate_source_identity=True),
            imdsv2=True,
        )
        scaling = config.managed_scaling
        generation = config.cluster_generation
        self.cluster = EmrCluster(
            self,
            "Cluster",
            vpc=vpc,
            # Name is create-only: a new generation makes `cdk deploy` replace a cluster EMR has terminated.
            name=f"{self.stack_name}-Cluster-gen{generation}" if generation else None,
            vpc_subnets=ec2.SubnetSelection(subnet_type=subnet_type),
            release_label=config.release_label,
            applications=[Application.of(name) for name in config.applications],
            glue_data_catalog=config.glue_data_catalog,
            iceberg=config.iceberg,
            capacity=config.capacity,
            managed_scaling=ManagedScaling(
                minimum_units=scaling.minimum_units,
                maximum_units=scaling.maximum_units,
                maximum_on_demand_units=scaling.maximum_on_demand_units,
                maximum_core_units=scaling.maximum_core_units,
            ),
            idle_timeout=Duration.minutes(config.idle_timeout_minutes),
            log_bucket=logs.bucket,
            security_configuration=security,
            application_tag=application_tag,
            cost_center=cost_center,
            removal_policy=removal_policy,
        )
        acknowledge(self.cluster.node.default_child, Reason.EMR_KERBEROS_OPTIONAL)  # type: ignore[arg-type]
        warn_replacement(self.cluster.node.default_child)  # type: ignore[arg-type]
        if config.keep_replaced_cluster:
            # Replacement creates the new cluster first; Retain leaves the old one running, out of the stack. Both
            # policies are explicit: stack deletion still terminates the cluster (and cfn-lint W3011 wants both).
            resource = self.cluster.node.default_child
            resource.cfn_options.update_replace_policy = CfnDeletionPolicy.RETAIN  # type: ignore[union-attr]
            resource.cfn_options.deletion_policy = CfnDeletionPolicy.DELETE  # type: ignore[union-attr]
        if certificate is not None:  # EMR copies the zip to the nodes at launch: it must exist before the cluster
            self.cluster.node.default_child.node.add_dependency(certificate.custom_resource)  # type: ignore[union-attr]
        # Nodes read bootstrap scripts and the TLS certificates; job data is only for the runtime role, which never
        # reads the certificate prefix (the zip holds the cluster's TLS private key).
        self.cluster.grant_data_read(data.bucket, [DATA_PREFIXES["artifacts"]])
        self.cluster.grant_data_read(certificate_bucket, [certificate_key])

        self.runtime_role = self.cluster.add_runtime_role("SparkJobRole", description="Spark jobs on the EMR cluster")
        self.runtime_role.grant_read(data.bucket, DATA_PREFIXES["raw"])
        self.runtime_role.grant_read(data.bucket, DATA_PREFIXES["artifacts"])
        self.runtime_role.grant_read_write(data.bucket, DATA_PREFIXES["curated"])

        topic = alarm_topic(self, key=key, email=config.alarm_email)
        application_budget(
            self,
            monthly_limit=config.monthly_budget_usd,
            application=application_tag,
            cost_center=cost_center,
            topic=topic,
        )
        monitoring = EmrClusterMonitoring(
            self,
            "Monitoring",
            cluster=self.cluster,
            instance_groups=config.capacity.kind == "groups",
            alarm_topic=topic,
        )

        outputs = {
            Ec2Output.CLUSTER_ID: self.cluster.cluster_id,
            Ec2Output.LOG_BUCKET: logs.bucket_name,
            Ec2Output.LOG_URI: self.cluster.log_uri,
            Ec2Output.DATA_BUCKET: data.bucket_name,
            Ec2Output.TLS_CERTIFICATE_URI: in_transit.certificate_s3_uri,
            Ec2Output.RUNTIME_ROLE_ARN: self.runtime_role.role_arn,
            Ec2Output.DASHBOARD_NAME: monitoring.dashboard_name,
            Ec2Output.ALARM_TOPIC_ARN: topic.topic_arn,
        }
        for output, value in outputs.items():
            CfnOutput(self, output.key, value=value)
