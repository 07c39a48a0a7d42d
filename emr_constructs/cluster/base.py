"""What an owned and an imported EMR on EC2 cluster share: identity, ``grant_add_steps`` and ``metric_*``."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs._internal.validation import check_pattern
from emr_constructs.core.iam_actions import EMR_STEP_ACTIONS, Iam
from emr_constructs.monitoring.ec2_metrics import EmrClusterMetricFactory

STEP_ACTIONS = EMR_STEP_ACTIONS


class ClusterBase(Construct):
    """What an owned and an imported cluster share: identity, grants and metrics."""

    cluster_id: str
    _runtime_roles: list[iam.IRole]

    @property
    def cluster_arn(self) -> str:
        return Stack.of(self).format_arn(service="elasticmapreduce", resource="cluster", resource_name=self.cluster_id)

    def grant_add_steps(self, grantee: iam.IGrantable) -> iam.Grant:
        """Submit, follow and cancel steps on this cluster; pass only this cluster's runtime roles."""
        grant = iam.Grant.add_to_principal(grantee=grantee, actions=STEP_ACTIONS, resource_arns=[self.cluster_arn])
        if self._runtime_roles:
            iam.Grant.add_to_principal(
                grantee=grantee, actions=[Iam.PASS_ROLE], resource_arns=[r.role_arn for r in self._runtime_roles]
            )
        return grant

    @property
    def _metrics(self) -> EmrClusterMetricFactory:
        return EmrClusterMetricFactory(self.cluster_id)

    def metric(self, metric_name: str, *, statistic: str = "Average", period: Duration | None = None) -> cw.Metric:
        """Any ``AWS/ElasticMapReduce`` metric of this cluster."""
        return self._metrics.metric(metric_name, statistic=statistic, period=period or Duration.minutes(5))

    def metric_is_idle(self) -> cw.Metric:
        return self._metrics.is_idle()

    def metric_apps_failed(self) -> cw.Metric:
        return self._metrics.apps_failed()

    def metric_apps_pending(self) -> cw.Metric:
        return self._metrics.apps_pending()

    def metric_apps_running(self) -> cw.Metric:
        return self._metrics.apps_running()

    def metric_yarn_memory_available_percentage(self) -> cw.Metric:
        return self._metrics.yarn_memory_available_percentage()

    def metric_container_pending_ratio(self) -> cw.Metric:
        return self._metrics.container_pending_ratio()

    def metric_hdfs_utilization(self) -> cw.Metric:
        return self._metrics.hdfs_utilization()

    def metric_capacity_remaining_gb(self) -> cw.Metric:
        return self._metrics.capacity_remaining_gb()

    def metric_core_nodes_running(self) -> cw.Metric:
        """Reported for instance-group clusters only."""
        return self._metrics.core_nodes_running()

    def metric_task_nodes_running(self) -> cw.Metric:
        """Reported for instance-group clusters only."""
        return self._metrics.task_nodes_running()

    def metric_mr_unhealthy_nodes(self) -> cw.Metric:
        return self._metrics.mr_unhealthy_nodes()


class _ImportedCluster(ClusterBase):
    def __init__(self, scope: Construct, construct_id: str, cluster_id: str, runtime_roles: Sequence[iam.IRole]):
        super().__init__(scope, construct_id)
        check_pattern("cluster_id", cluster_id, r"j-[0-9A-Z]{1,256}", "an EMR cluster id such as 'j-2AXXXXXXGAPLF'")
        self.cluster_id = cluster_id
        self._runtime_roles = list(runtime_roles)
