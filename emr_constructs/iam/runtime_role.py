"""Job runtime roles: the IAM role a single job runs as, with a trust chosen per runtime.

Replaces the hand-made ``EMRServerlessS3RuntimeRole`` + ``EMRServerlessS3AndGlueAccessPolicy`` pair of the getting
started guide with grants scoped to buckets, prefixes, Glue databases and log destinations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import ArnFormat, CfnJson, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.naming import physical_name
from emr_constructs._internal.types import check_glue_databases, check_s3_prefix, check_text, check_type
from emr_constructs._internal.validation import fail, is_token
from emr_constructs.compliance.acknowledgments import Reason, acknowledge_finding, nag_resource_text
from emr_constructs.core.iam_actions import LOG_STREAM_WRITE_ACTIONS, Logs, Sts
from emr_constructs.core.naming import (
    EMR_EKS_START_JOB_RUN_COMPONENTS,
    emr_eks_service_account_name,
    emr_eks_service_account_subject,
)
from emr_constructs.iam._streaming import kinesis_read_statements, msk_topic_read
from emr_constructs.iam.policies import KMS_ENCRYPT_ACTIONS, RolePolicy
from emr_constructs.releases import EKS_POD_IDENTITY, ReleaseLabel

EMR_SERVERLESS_PRINCIPAL = "emr-serverless.amazonaws.com"
EKS_POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com"
EKS_ROLE_NAME_PREFIX = "emr-eks-job-"


def emr_eks_service_account_pattern(namespace: str, account: str, role_name: str) -> str:
    """The service accounts EMR on EKS creates for a job that runs as ``role_name``:
    ``system:serviceaccount:<namespace>:emr-containers-sa-*-*-<account>-<base36(role name)>``.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-trust-policy.html
    """
    if is_token(role_name):
        raise fail(
            "execution_role",
            "a role whose name is a token",
            "IRSA needs the role name at synth time (base36 of it is part of the service-account pattern); "
            "use JobRuntimeRole.eks_irsa or a role imported by name",
        )
    return emr_eks_service_account_subject(namespace, account, role_name)


def emr_eks_pod_identity_service_accounts(account: str, role_name: str) -> list[str]:
    """The service accounts of a StartJobRun job that runs as ``role_name``, which the EKS Pod Identity associations
    must name: ``emr-containers-sa-spark-<client|driver|executor>-<account>-<base36(role name)>``.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html
    """
    if is_token(role_name):
        raise fail(
            "role",
            "a role whose name is a token",
            "EKS Pod Identity associations name EMR's service accounts, which contain base36 of the role name: "
            "use JobRuntimeRole with RuntimeRoleTrust.eks_pod_identity (generated literal name) or import the "
            "role by a literal ARN",
        )
    return [emr_eks_service_account_name(c, account, role_name) for c in EMR_EKS_START_JOB_RUN_COMPONENTS]


@dataclass(frozen=True, kw_only=True)
class RuntimeRoleTrust:
    """Who may assume a runtime role. Build it with a factory method."""

    principal: iam.IPrincipal | None
    actions: tuple[str, ...]
    runtime: str
    oidc_provider: iam.IOpenIdConnectProvider | None = None
    namespace: str | None = None
    pod_identity: bool = False

    @classmethod
    def ec2_step(
        cls, instance_role: iam.IRole, *, source_identity: bool = True, lake_formation: bool = False
    ) -> RuntimeRoleTrust:
        """EMR on EC2 step runtime role: trusted by the cluster's instance role.

        ``source_identity`` adds ``sts:SetSourceIdentity`` (the security configuration propagates the caller's
        identity to CloudTrail); ``lake_formation`` adds ``sts:TagSession``, which Lake Formation needs.
        See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
        """
        actions = [Sts.ASSUME_ROLE]
        if source_identity:
            actions.append(Sts.SET_SOURCE_IDENTITY)
        if lake_formation:
            actions.append(Sts.TAG_SESSION)
        return cls(principal=iam.ArnPrincipal(instance_role.role_arn), actions=tuple(actions), runtime="ec2")

    @classmethod
    def serverless(cls, scope: Construct, *, application_arn: str | None = None) -> RuntimeRoleTrust:
        """EMR Serverless job runtime role: trusted by the EMR Serverless service for this account's applications
        (``aws:SourceAccount``), or for one application (``aws:SourceArn``), against the confused deputy.

        See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
        """
        stack = Stack.of(scope)
        source_arn = application_arn or stack.format_arn(
            service="emr-serverless",
            resource="/applications",
            resource_name="*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        principal = iam.ServicePrincipal(
            EMR_SERVERLESS_PRINCIPAL,
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": source_arn},
            },
        )
        return cls(principal=principal, actions=(Sts.ASSUME_ROLE,), runtime="serverless")

    @classmethod
    def eks_irsa(cls, *, open_id_connect_provider: iam.IOpenIdConnectProvider, namespace: str) -> RuntimeRoleTrust:
        """EMR on EKS job execution role trusted through IRSA by the service accounts EMR creates in ``namespace``.

        The role that uses this trust gets a generated name (``emr-eks-job-...``), so that its base36 form, part
        of the service-account pattern, is known at synth time.
        See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-trust-policy.html
        """
        validate_namespace("namespace", namespace)
        if open_id_connect_provider is None:
            raise fail(
                "open_id_connect_provider",
                None,
                "IRSA needs the cluster's IAM OIDC provider (eks.Cluster.open_id_connect_provider or "
                "iam.OpenIdConnectProvider.from_open_id_connect_provider_arn); "
                "or use RuntimeRoleTrust.eks_pod_identity",
            )
        return cls(
            principal=None,
            actions=(Sts.ASSUME_ROLE_WITH_WEB_IDENTITY,),
            runtime="eks",
            oidc_provider=open_id_connect_provider,
            namespace=namespace,
        )

    @classmethod
    def eks_pod_identity(cls, *, release_label: ReleaseLabel) -> RuntimeRoleTrust:
        """EMR on EKS job execution role trusted by EKS Pod Identity (emr-7.3.0 and later).

        The trust alone is not enough: the role is only assumed through pod identity associations of EMR's service
        accounts, which ``EmrEksVirtualCluster.add_execution_role`` creates on the virtual cluster's cluster and
        namespace. The role gets a generated name (``emr-eks-job-...``): its base36 form is part of those names.
        See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html
        """
        release_label.require(EKS_POD_IDENTITY, "release_label", release_label.label)
        return cls(
            principal=iam.ServicePrincipal(EKS_POD_IDENTITY_PRINCIPAL),
            actions=(Sts.ASSUME_ROLE, Sts.TAG_SESSION),
            runtime="eks",
            pod_identity=True,
        )


def _check_grant(method: str, bucket: Any, prefix: Any, *, allow_whole_bucket: bool = True) -> None:
    """``bucket`` is an ``s3.IBucket``; ``prefix`` a key prefix (``'*'``, the whole bucket, only as the default)."""
    check_type("bucket", bucket, s3.IBucket)
    if allow_whole_bucket and prefix is None:
        return
    check_s3_prefix("prefix", prefix)


def validate_namespace(prop: str, namespace: str) -> None:
    """A Kubernetes namespace name (RFC 1123 label) that is not one of the system namespaces."""
    if is_token(namespace):
        return
    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", namespace):
        raise fail(prop, namespace, "must be 1-63 lowercase letters, digits or '-', starting and ending alphanumeric")
    if namespace in ("kube-system", "kube-public", "kube-node-lease", "default"):
        raise fail(prop, namespace, "must not be a Kubernetes system namespace or 'default'")


class JobRuntimeRole(Construct):
    """An IAM role that one job runs as, with least-privilege grants in a customer-managed policy.

    :param trust: who may assume the role, e.g. ``RuntimeRoleTrust.serverless(self)``.
    :param description: Default: "EMR job runtime role".
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        trust: RuntimeRoleTrust | None = None,
        description: str = "EMR job runtime role",
        role: iam.IRole | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("trust", trust, RuntimeRoleTrust, optional=True)
        check_type("description", description, str)
        check_type("role", role, iam.IRole, optional=True)
        if role is not None and trust is not None and trust.oidc_provider is not None and is_token(role.role_name):
            raise fail(
                "trust",
                "RuntimeRoleTrust.eks_irsa(...)",
                "an imported role whose name is unknown at synth time cannot be given an IRSA trust (it would be "
                "silently dropped): import the role by a literal ARN or name, or create it with JobRuntimeRole",
            )
        self.trust = trust
        self.role_name: str | None = None
        self.namespace: str | None = trust.namespace if trust is not None else None
        if role is None:
            if trust is None:
                raise fail("trust", None, "a new runtime role needs a trust, e.g. RuntimeRoleTrust.serverless(scope)")
            if trust.pod_identity:  # a literal name: its base36 form is part of EMR's service-account names
                self.role_name = physical_name(self, EKS_ROLE_NAME_PREFIX)
            principal = trust.principal or self._irsa_principal(trust)
            new_role = iam.Role(self, "Role", assumed_by=principal, description=description, role_name=self.role_name)
            assert new_role.assume_role_policy is not None
            extra = [a for a in trust.actions if a not in (Sts.ASSUME_ROLE, Sts.ASSUME_ROLE_WITH_WEB_IDENTITY)]
            if extra:  # the principal already allows the assume action; add the session actions to the trust
                new_role.assume_role_policy.add_statements(iam.PolicyStatement(principals=[principal], actions=extra))
            role = new_role
        self.role: iam.IRole = role
        self.policy = RolePolicy(self, "Policy", role=self.role, description="EMR job runtime permissions")

    @classmethod
    def from_role_arn(
        cls, scope: Construct, construct_id: str, role_arn: str, *, trust: RuntimeRoleTrust | None = None
    ) -> JobRuntimeRole:
        """Wrap an existing role: the ``grant_*`` methods attach a managed policy to it. Its trust is unchanged.

        :param trust: the trust the role already has, if it matters to the caller (e.g.
            ``RuntimeRoleTrust.eks_pod_identity(...)`` lets ``EmrEksVirtualCluster.add_execution_role`` associate it).
            Default: unknown.
        """
        check_type("role_arn", role_arn, str)
        check_text("role_arn", role_arn)
        role = iam.Role.from_role_arn(scope, f"{construct_id}Imported", role_arn, mutable=True)
        imported = cls(scope, construct_id, role=role, trust=trust)
        if trust is not None and (trust.pod_identity or trust.oidc_provider is not None):
            imported.role_name = role.role_name
        return imported

    def _irsa_principal(self, trust: RuntimeRoleTrust) -> iam.IPrincipal:
        assert trust.oidc_provider is not None and trust.namespace is not None
        self.role_name = physical_name(self, EKS_ROLE_NAME_PREFIX)
        self.namespace = trust.namespace
        pattern = emr_eks_service_account_pattern(trust.namespace, Stack.of(self).account, self.role_name)
        provider_arn = trust.oidc_provider.open_id_connect_provider_arn
        conditions: dict[str, Any]
        if not is_token(provider_arn):
            issuer = provider_arn.split(":oidc-provider/", 1)[1]
            conditions = {"StringLike": {f"{issuer}:sub": pattern}}
        else:  # a provider made in this app: its issuer is a token, and JSON keys must be literal
            issuer = trust.oidc_provider.open_id_connect_provider_issuer
            conditions = {"StringLike": CfnJson(self, "IrsaCondition", value={f"{issuer}:sub": pattern})}
        return iam.OpenIdConnectPrincipal(trust.oidc_provider, conditions)

    @property
    def role_arn(self) -> str:
        return self.role.role_arn

    def grant_read(self, bucket: s3.IBucket, prefix: str | None = None) -> None:
        """Read objects under ``prefix`` (and decrypt them with the bucket's KMS key).

        Default: the whole bucket. An explicit prefix must be a key prefix (not ``''``, ``'*'`` or an ``s3://`` URI).
        """
        _check_grant("grant_read", bucket, prefix)
        self.policy.allow_s3(bucket, prefix or "*", read=True)

    def grant_read_write(self, bucket: s3.IBucket, prefix: str | None = None) -> None:
        """Read and write objects under ``prefix`` (with KMS encrypt/decrypt on the bucket's key).

        Default: the whole bucket. An explicit prefix must be a key prefix (not ``''``, ``'*'`` or an ``s3://`` URI).
        """
        _check_grant("grant_read_write", bucket, prefix)
        self.policy.allow_s3(bucket, prefix or "*", read=True, write=True)

    def grant_log_write(self, bucket: s3.IBucket, prefix: str) -> None:
        """Put job logs under ``prefix`` (no read, no delete), encrypting with the bucket's key."""
        _check_grant("grant_log_write", bucket, prefix, allow_whole_bucket=False)
        self.policy.allow_s3(bucket, prefix, read=False, write=True)

    def grant_log_group_write(self, log_group: logs.ILogGroup, encryption_key: kms.IKey | None = None) -> None:
        """Create streams and put events in ``log_group``; ``encryption_key`` is the key the job encrypts with.

        logs:DescribeLogGroups has no resource type in the Service Authorization Reference, so it is granted on
        ``*`` (a log group ARN would never match it).
        See: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
        """
        self.policy.add_statements(
            iam.PolicyStatement(
                actions=[*LOG_STREAM_WRITE_ACTIONS, Logs.DESCRIBE_LOG_STREAMS],
                resources=[log_group.log_group_arn],
            ),
            iam.PolicyStatement(actions=[Logs.DESCRIBE_LOG_GROUPS], resources=["*"]),
        )
        assert self.policy.policy is not None
        acknowledge_finding(self.policy.policy, Reason.LOG_GROUP_LISTING, "AwsSolutions-IAM5", "Resource::*")
        if encryption_key is not None:
            self.policy.add_statements(
                iam.PolicyStatement(actions=KMS_ENCRYPT_ACTIONS, resources=[encryption_key.key_arn])
            )

    def grant_glue_catalog(self, databases: Sequence[str], *, write: bool = False) -> None:
        """Read (or, with ``write``, also create/update/delete tables and partitions in) the Glue Data Catalog
        databases ``databases``: scoped to the catalog, those databases and their tables, never ``*``."""
        check_glue_databases("databases", databases)
        check_type("write", write, bool)
        self.policy.allow_glue_catalog_read(databases, write=write)

    def grant_read_kinesis_stream(self, stream: kinesis.IStream) -> None:
        """Read ``stream`` as a polling consumer (DescribeStream, DescribeStreamSummary, ListShards,
        GetShardIterator, GetRecords) and decrypt its records with its customer managed key, if it has one.
        Enhanced fan-out (SubscribeToShard on a registered consumer) is not granted.
        See: https://docs.aws.amazon.com/streams/latest/dev/tutorial-stock-data-kplkcl2-iam.html"""
        check_type("stream", stream, kinesis.IStream)
        self.policy.add_statements(*kinesis_read_statements(stream))

    def grant_msk_topic_read(self, cluster_arn: str, topic: str, group: str) -> None:
        """Consume ``topic`` as consumer group ``group`` on the MSK cluster ``cluster_arn`` with IAM access control:
        kafka-cluster:Connect on the cluster, DescribeTopic and ReadData on the topic, DescribeGroup and AlterGroup
        on the group. ``topic`` and ``group`` may end in ``*`` to match a name prefix, e.g. ``"spark-kafka-source*"``
        for the groups Spark's Kafka source names itself.
        See: https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html"""
        read = msk_topic_read(self, cluster_arn, topic, group)
        self.policy.add_statements(*read.statements())
        assert self.policy.policy is not None
        for name, arn in ((topic, read.topic_arn), (group, read.group_arn)):
            if name.endswith("*") and not is_token(cluster_arn):
                finding = "Resource::" + nag_resource_text(self, arn)
                acknowledge_finding(self.policy.policy, Reason.MSK_NAME_PREFIX, "AwsSolutions-IAM5", finding)
