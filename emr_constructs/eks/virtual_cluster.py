"""``EmrEksVirtualCluster``: an EMR on EKS virtual cluster registered on a namespace of an EKS cluster.

Cluster access: with the EKS authentication mode API or API_AND_CONFIG_MAP, ``CreateVirtualCluster`` itself creates
the namespace-scoped access entry for the EMR on EKS service-linked role (AWSServiceRoleForAmazonEMRContainers), so
this construct creates none (a second one would conflict) and no aws-auth ConfigMap entry. The namespace must exist
first (the virtual cluster depends on its manifest), and the principal that deploys the stack needs
eks:CreateAccessEntry, eks:DescribeAccessEntry, eks:DeleteAccessEntry, eks:ListAssociatedAccessPolicies,
eks:AssociateAccessPolicy and eks:DisassociateAccessPolicy on the cluster.
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-cluster-access-cam-integration.html
"""

from __future__ import annotations

from typing import Any

from aws_cdk import ArnFormat, RemovalPolicy, Stack, Tags
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_eks as eks_l1
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_emrcontainers as emrc
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from emr_constructs._internal.types import check_enum, check_text, check_type
from emr_constructs._internal.validation import check_pattern, fail, is_token
from emr_constructs.core.iam_actions import EMR_CONTAINERS_JOB_RUN_ACTIONS, EmrContainers
from emr_constructs.core.naming import EMR_EKS_START_JOB_RUN_COMPONENTS
from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG
from emr_constructs.eks.namespace import LimitRange, ResourceQuota, check_quota_admits_spark, namespace_manifest
from emr_constructs.iam.runtime_role import (
    JobRuntimeRole,
    emr_eks_pod_identity_service_accounts,
    validate_namespace,
)
from emr_constructs.monitoring.eks_monitoring import EmrEksMetricFactory
from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION, SecureLogGroup

JOB_RUN_ACTIONS = EMR_CONTAINERS_JOB_RUN_ACTIONS


class VirtualClusterBase(Construct):
    """What an EMR on EKS virtual cluster offers whether defined here or imported: its ARN, grants and metrics (the
    EKS side of ``emr_constructs.runtime.EmrRuntime``).

    EMR on EKS publishes no CloudWatch metrics: the ``metric_*`` methods read the ``EMRonEKS/JobRuns`` metrics that
    ``EmrEksMonitoring``'s metric filters produce from job-run state-change events, so they have data only where an
    ``EmrEksMonitoring`` watches this virtual cluster.
    """

    virtual_cluster_id: str

    @property
    def virtual_cluster_arn(self) -> str:
        return self._arn(self.virtual_cluster_id)

    def _arn(self, resource_name: str) -> str:
        return Stack.of(self).format_arn(
            service="emr-containers",
            resource="/virtualclusters",
            resource_name=resource_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    @property
    def _job_runs_arn(self) -> str:
        return f"{self.virtual_cluster_arn}/jobruns/*"

    # ---- grants ----------------------------------------------------------------------------------------------------

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """``actions`` on this virtual cluster and its job runs."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=list(actions), resource_arns=[self.virtual_cluster_arn, self._job_runs_arn]
        )

    def grant_start_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """StartJobRun on this virtual cluster, only with ``runtime_role`` as the execution role
        (``emr-containers:ExecutionRoleArn`` condition), plus describe/list/cancel of its job runs."""
        grant = self.grant_submit_job_run(grantee, runtime_role)
        self.grant(grantee, *JOB_RUN_ACTIONS)
        iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrContainers.DESCRIBE_VIRTUAL_CLUSTER], resource_arns=[self.virtual_cluster_arn]
        )
        return grant

    def grant_submit_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """StartJobRun only, with ``runtime_role`` as the execution role and no other (EMR on EKS passes the role
        itself: no ``iam:PassRole``)."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=[EmrContainers.START_JOB_RUN],
            resource_arns=[self.virtual_cluster_arn],
            conditions={"ArnEquals": {EmrContainers.EXECUTION_ROLE_ARN: runtime_role.role_arn}},
        )

    def grant_describe_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """DescribeJobRun on this virtual cluster's job runs."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrContainers.DESCRIBE_JOB_RUN], resource_arns=[self._job_runs_arn]
        )

    def grant_read_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Describe and list job runs, and describe the virtual cluster."""
        grant = self.grant(grantee, EmrContainers.DESCRIBE_JOB_RUN, EmrContainers.LIST_JOB_RUNS)
        iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrContainers.DESCRIBE_VIRTUAL_CLUSTER], resource_arns=[self.virtual_cluster_arn]
        )
        return grant

    def grant_cancel_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """CancelJobRun on this virtual cluster's job runs."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrContainers.CANCEL_JOB_RUN], resource_arns=[self._job_runs_arn]
        )

    # ---- metrics ---------------------------------------------------------------------------------------------------

    @property
    def _metrics(self) -> EmrEksMetricFactory:
        return EmrEksMetricFactory(self.virtual_cluster_id)

    def metric(self, metric_name: str, **props: Any) -> cw.Metric:
        """Any ``EMRonEKS/JobRuns`` metric of this virtual cluster (``props``: statistic, period, label).
        Default: Sum over 5 minutes."""
        return self._metrics.metric(metric_name, **props)

    def metric_job_runs(self, state: str, **props: Any) -> cw.Metric:
        """Job runs that entered ``state`` (``JOB_RUN_STATES``: PENDING, SUBMITTED, RUNNING, COMPLETED, FAILED,
        CANCEL_PENDING, CANCELLED)."""
        return self._metrics.job_runs(state, **props)

    def metric_failed_jobs(self, **props: Any) -> cw.Metric:
        """Job runs that failed (JobRunsFailed, Sum)."""
        return self.metric_job_runs("FAILED", **props)

    def metric_succeeded_jobs(self, **props: Any) -> cw.Metric:
        """Job runs that completed (JobRunsCompleted, Sum)."""
        return self.metric_job_runs("COMPLETED", **props)

    def metric_running_jobs(self, **props: Any) -> cw.Metric:
        """Job runs that started running (JobRunsRunning, Sum: state changes, not a gauge)."""
        return self.metric_job_runs("RUNNING", **props)


class _ImportedVirtualCluster(VirtualClusterBase):
    def __init__(self, scope: Construct, construct_id: str, virtual_cluster_id: str) -> None:
        super().__init__(scope, construct_id)
        check_pattern("virtual_cluster_id", virtual_cluster_id, r"[0-9a-z]{1,64}", "a virtual cluster id")
        self.virtual_cluster_id = virtual_cluster_id


class EmrEksVirtualCluster(VirtualClusterBase):
    """A virtual cluster on ``namespace`` of ``cluster`` (created here with ``EmrEksCluster`` or imported with
    ``eks.Cluster.from_cluster_attributes`` and a kubectl provider).

    :param namespace: the Kubernetes namespace (created here as a manifest unless ``create_namespace=False``).
    :param name: Default: ``<stack name>-<construct id>``.
    :param resource_quota: Default: none. A quota on requests comes with ``LimitRange.for_quota`` (default requests
        for containers that declare none) unless ``limit_range`` is given; a quota on limits needs ``limit_range``
        defaults for them (Spark sets no CPU limit by default).
    :param limit_range: Default: none, or ``LimitRange.for_quota(resource_quota)`` with a quota.
    :param log_retention: of the driver/executor log group created here (KMS, RETAIN). Default: one year.
    :param log_encryption_key: the KMS key of that log group. Default: a new key for it. Pass the stack's key to
        share one (it gets the CloudWatch Logs statement once, see ``allow_cloudwatch_logs``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: eks.ICluster,
        namespace: str,
        name: str | None = None,
        create_namespace: bool = True,
        resource_quota: ResourceQuota | None = None,
        limit_range: LimitRange | None = None,
        log_retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        log_encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        application_tag: str | None = None,
        cost_center: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_text("namespace", namespace, optional=False)
        check_text("name", name)
        check_type("create_namespace", create_namespace, bool)
        check_type("resource_quota", resource_quota, ResourceQuota, optional=True)
        check_type("limit_range", limit_range, LimitRange, optional=True)
        check_enum("log_retention", log_retention, logs.RetentionDays, optional=False)
        check_type("log_encryption_key", log_encryption_key, kms.IKey, optional=True)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        check_text("application_tag", application_tag)
        check_text("cost_center", cost_center)
        validate_namespace("namespace", namespace)
        check_pattern("name", name, r"[.\-_/#A-Za-z0-9]{1,64}", "1-64 letters, digits or . - _ / #")
        for spec in (resource_quota, limit_range):
            if spec is not None:
                spec.validate()
        if not create_namespace and (resource_quota or limit_range):
            raise fail("create_namespace", False, "resource_quota and limit_range need create_namespace=True")
        if resource_quota is not None:
            check_quota_admits_spark(resource_quota, limit_range)
            if limit_range is None:
                default_limits = LimitRange.for_quota(resource_quota)
                limit_range = None if default_limits.is_empty() else default_limits
        self.namespace = namespace
        self.cluster = cluster
        self.namespace_manifest: eks.KubernetesManifest | None = None
        if create_namespace:
            manifests = [namespace_manifest(namespace)]
            manifests += [s.manifest(namespace) for s in (resource_quota, limit_range) if s is not None]
            self.namespace_manifest = eks.KubernetesManifest(self, "Namespace", cluster=cluster, manifest=manifests)
        self._resource = emrc.CfnVirtualCluster(
            self,
            "Resource",
            name=name or f"{Stack.of(self).stack_name}-{construct_id}"[:64],
            container_provider=emrc.CfnVirtualCluster.ContainerProviderProperty(
                id=cluster.cluster_name,
                type="EKS",
                info=emrc.CfnVirtualCluster.ContainerInfoProperty(
                    eks_info=emrc.CfnVirtualCluster.EksInfoProperty(namespace=namespace)
                ),
            ),
        )
        if self.namespace_manifest is not None:
            self._resource.node.add_dependency(self.namespace_manifest)
        self.virtual_cluster_id = self._resource.attr_id
        self.log_group = SecureLogGroup(
            self,
            "JobLogs",
            encryption_key=log_encryption_key,
            retention=log_retention,
            removal_policy=removal_policy,
        )
        Tags.of(self).add(APPLICATION_TAG, application_tag or construct_id)
        if cost_center:
            Tags.of(self).add(COST_CENTER_TAG, cost_center)

    @property
    def virtual_cluster_arn(self) -> str:
        return self._resource.attr_arn

    def add_execution_role(self, role: JobRuntimeRole) -> list[eks_l1.CfnPodIdentityAssociation]:
        """Make ``role`` usable as a job execution role on this virtual cluster.

        With ``RuntimeRoleTrust.eks_pod_identity``, creates the EKS Pod Identity associations of the role with the
        service accounts EMR creates for a job in this namespace (Spark client, driver, executor:
        ``emr-containers-sa-spark-<component>-<account>-<base36(role name)>``), as
        ``aws emr-containers create-role-associations`` does; without them the role is never assumed. The cluster
        needs the eks-pod-identity-agent add-on (``EmrEksCluster`` installs it). With ``eks_irsa``, checks that the
        role trusts this namespace and creates nothing.
        See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html
        """
        trust = role.trust
        if trust is None or trust.runtime != "eks":
            shown = "unknown (imported without trust=)" if trust is None else trust.runtime
            raise fail(
                "role",
                shown,
                "needs an EKS trust: RuntimeRoleTrust.eks_pod_identity or RuntimeRoleTrust.eks_irsa "
                "(for an imported role, JobRuntimeRole.from_role_arn(..., trust=...))",
            )
        if not trust.pod_identity:
            if role.namespace is not None and not is_token(role.namespace) and not is_token(self.namespace):
                if role.namespace != self.namespace:
                    raise fail(
                        "role",
                        role.namespace,
                        f"trusts service accounts of namespace {role.namespace!r} (IRSA); this virtual cluster runs "
                        f"jobs in {self.namespace!r}",
                    )
            return []
        role_name = role.role_name if role.role_name is not None else role.role.role_name
        service_accounts = emr_eks_pod_identity_service_accounts(Stack.of(self).account, role_name)
        scope = Construct(self, f"{role.node.id}PodIdentity")
        return [
            eks_l1.CfnPodIdentityAssociation(
                scope,
                component.capitalize(),
                cluster_name=self.cluster.cluster_name,
                namespace=self.namespace,
                service_account=service_account,
                role_arn=role.role_arn,
            )
            for component, service_account in zip(EMR_EKS_START_JOB_RUN_COMPONENTS, service_accounts, strict=True)
        ]

    @classmethod
    def from_virtual_cluster_id(
        cls, scope: Construct, construct_id: str, virtual_cluster_id: str
    ) -> VirtualClusterBase:
        """Reference an existing virtual cluster; grants and metrics work on it."""
        return _ImportedVirtualCluster(scope, construct_id, virtual_cluster_id)
