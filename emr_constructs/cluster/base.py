"""What an owned and an imported EMR on EC2 cluster share: identity, grants and ``metric_*``.

The cluster side of ``emr_constructs.runtime.EmrRuntime``: a job run is a step (submitted with
AddJobFlowSteps, optionally with a runtime role); the job metrics count YARN applications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs._internal.validation import check_pattern
from emr_constructs.core.iam_actions import EMR_STEP_ACTIONS, Emr, Iam
from emr_constructs.monitoring.ec2_metrics import EmrClusterMetricFactory

STEP_ACTIONS = EMR_STEP_ACTIONS


class ClusterBase(Construct):
    """What an owned and an imported cluster share: identity, grants and metrics."""

    cluster_id: str
    _runtime_roles: list[iam.IRole]

    @property
    def cluster_arn(self) -> str:
        return Stack.of(self).format_arn(service="elasticmapreduce", resource="cluster", resource_name=self.cluster_id)

    # ---- grants ----------------------------------------------------------------------------------------------------

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """``actions`` on this cluster (steps have no ARN of their own)."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(actions), resource_arns=[self.cluster_arn])

    def grant_start_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole | None) -> iam.Grant:
        """Submit, follow, list and cancel steps on this cluster, passing only ``runtime_role`` (``None``: steps
        without a runtime role, which run as the instance role)."""
        return self._grant_steps(grantee, [runtime_role] if runtime_role is not None else [])

    def grant_add_steps(self, grantee: iam.IGrantable) -> iam.Grant:
        """``grant_start_job_run`` with any of this cluster's runtime roles (those passed to ``from_cluster_id`` for
        an imported cluster)."""
        return self._grant_steps(grantee, self._runtime_roles)

    def grant_submit_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole | None) -> iam.Grant:
        """AddJobFlowSteps only, passing only ``runtime_role`` (``None``: steps without a runtime role)."""
        grant = self.grant(grantee, Emr.ADD_JOB_FLOW_STEPS)
        if runtime_role is not None:
            self._grant_pass(grantee, [runtime_role])
        return grant

    def grant_describe_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """DescribeStep on this cluster."""
        return self.grant(grantee, Emr.DESCRIBE_STEP)

    def grant_read_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Describe and list steps and describe the cluster."""
        return self.grant(grantee, Emr.DESCRIBE_STEP, Emr.LIST_STEPS, Emr.DESCRIBE_CLUSTER)

    def grant_cancel_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """CancelSteps on this cluster."""
        return self.grant(grantee, Emr.CANCEL_STEPS)

    def _grant_steps(self, grantee: iam.IGrantable, runtime_roles: Sequence[iam.IRole]) -> iam.Grant:
        grant = self.grant(grantee, *STEP_ACTIONS)
        if runtime_roles:
            self._grant_pass(grantee, runtime_roles)
        return grant

    @staticmethod
    def _grant_pass(grantee: iam.IGrantable, runtime_roles: Sequence[iam.IRole]) -> iam.Grant:
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=[Iam.PASS_ROLE], resource_arns=[r.role_arn for r in runtime_roles]
        )

    # ---- metrics ---------------------------------------------------------------------------------------------------

    @property
    def _metrics(self) -> EmrClusterMetricFactory:
        return EmrClusterMetricFactory(self.cluster_id)

    @staticmethod
    def _with(metric: cw.Metric, props: dict[str, Any]) -> cw.Metric:
        return metric.with_(**props) if props else metric

    def metric(self, metric_name: str, **props: Any) -> cw.Metric:
        """Any ``AWS/ElasticMapReduce`` metric of this cluster (``props``: statistic, period, label).
        Default: Average over 5 minutes."""
        return self._metrics.metric(metric_name, **props)

    def metric_failed_jobs(self, **props: Any) -> cw.Metric:
        """YARN applications that failed (AppsFailed, Sum)."""
        return self.metric_apps_failed(**props)

    def metric_succeeded_jobs(self, **props: Any) -> cw.Metric:
        """YARN applications that completed (AppsCompleted, Sum)."""
        return self._with(self._metrics.apps_completed(), props)

    def metric_running_jobs(self, **props: Any) -> cw.Metric:
        """YARN applications running (AppsRunning, Average)."""
        return self.metric_apps_running(**props)

    def metric_is_idle(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.is_idle(), props)

    def metric_apps_failed(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.apps_failed(), props)

    def metric_apps_pending(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.apps_pending(), props)

    def metric_apps_running(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.apps_running(), props)

    def metric_yarn_memory_available_percentage(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.yarn_memory_available_percentage(), props)

    def metric_container_pending_ratio(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.container_pending_ratio(), props)

    def metric_hdfs_utilization(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.hdfs_utilization(), props)

    def metric_capacity_remaining_gb(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.capacity_remaining_gb(), props)

    def metric_core_nodes_running(self, **props: Any) -> cw.Metric:
        """Reported for instance-group clusters only."""
        return self._with(self._metrics.core_nodes_running(), props)

    def metric_task_nodes_running(self, **props: Any) -> cw.Metric:
        """Reported for instance-group clusters only."""
        return self._with(self._metrics.task_nodes_running(), props)

    def metric_mr_unhealthy_nodes(self, **props: Any) -> cw.Metric:
        return self._with(self._metrics.mr_unhealthy_nodes(), props)


class _ImportedCluster(ClusterBase):
    def __init__(self, scope: Construct, construct_id: str, cluster_id: str, runtime_roles: Sequence[iam.IRole]):
        super().__init__(scope, construct_id)
        check_pattern("cluster_id", cluster_id, r"j-[0-9A-Z]{1,256}", "an EMR cluster id such as 'j-2AXXXXXXGAPLF'")
        self.cluster_id = cluster_id
        self._runtime_roles = list(runtime_roles)
