"""Metrics of an EMR on EC2 cluster (namespace ``AWS/ElasticMapReduce``, dimension ``JobFlowId``).

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/UsingEMR_ViewingMetrics.html
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

EMR_EC2_NAMESPACE = "AWS/ElasticMapReduce"
DEFAULT_PERIOD = Duration.minutes(5)

INSTANCE_GROUP_ONLY_METRICS = frozenset(
    {"CoreNodesRunning", "CoreNodesPending", "TaskNodesRunning", "TaskNodesPending"}
)
"""Metrics EMR reports only for instance-group clusters: alarms on them must treat missing data explicitly."""


class EmrClusterMetricFactory:
    """Builds ``cloudwatch.Metric`` objects for one cluster; the cluster's ``metric_*`` methods delegate here."""

    def __init__(self, cluster_id: str) -> None:
        self.cluster_id = cluster_id

    def metric(
        self,
        metric_name: str,
        *,
        statistic: str = "Average",
        period: Duration = DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cw.Metric:
        return cw.Metric(
            namespace=EMR_EC2_NAMESPACE,
            metric_name=metric_name,
            dimensions_map={"JobFlowId": self.cluster_id},
            statistic=statistic,
            period=period,
            label=label,
        )

    def is_idle(self) -> cw.Metric:
        """1 while the cluster runs no job, else 0."""
        return self.metric("IsIdle", statistic="Minimum")

    def apps_failed(self) -> cw.Metric:
        return self.metric("AppsFailed", statistic="Sum")

    def apps_completed(self) -> cw.Metric:
        """YARN applications that completed (failed ones count in AppsFailed)."""
        return self.metric("AppsCompleted", statistic="Sum")

    def apps_pending(self) -> cw.Metric:
        return self.metric("AppsPending", statistic="Average")

    def apps_running(self) -> cw.Metric:
        return self.metric("AppsRunning", statistic="Average")

    def yarn_memory_available_percentage(self) -> cw.Metric:
        return self.metric("YARNMemoryAvailablePercentage", statistic="Average")

    def container_pending_ratio(self) -> cw.Metric:
        return self.metric("ContainerPendingRatio", statistic="Average")

    def hdfs_utilization(self) -> cw.Metric:
        return self.metric("HDFSUtilization", statistic="Maximum")

    def capacity_remaining_gb(self) -> cw.Metric:
        return self.metric("CapacityRemainingGB", statistic="Minimum")

    def core_nodes_running(self) -> cw.Metric:
        """Reported for instance groups only."""
        return self.metric("CoreNodesRunning", statistic="Average")

    def task_nodes_running(self) -> cw.Metric:
        """Reported for instance groups only."""
        return self.metric("TaskNodesRunning", statistic="Average")

    def mr_unhealthy_nodes(self) -> cw.Metric:
        return self.metric("MRUnhealthyNodes", statistic="Maximum")

    def mr_active_nodes(self) -> cw.Metric:
        return self.metric("MRActiveNodes", statistic="Average")
