"""Dashboard and alarms for an EMR on EC2 cluster, built from ``EmrClusterMetricFactory``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_sns as sns
from constructs import Construct

from emr_constructs._internal.types import check_type
from emr_constructs._internal.validation import check_range
from emr_constructs.monitoring.alarms import notify
from emr_constructs.monitoring.ec2_metrics import DEFAULT_PERIOD, EmrClusterMetricFactory


class _HasClusterId(Protocol):
    @property
    def cluster_id(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class EmrClusterAlarmThresholds:
    """Alarm thresholds. Every alarm evaluates 5-minute periods.

    :param failed_apps: alarm when at least this many YARN applications fail in a period. Default: 1.
    :param unhealthy_nodes: alarm when this many nodes are unhealthy for two periods. Default: 1.
    :param hdfs_utilization_percent: alarm when HDFS is this full for two periods. Default: 80.
    :param yarn_memory_available_percent: alarm when free YARN memory stays at or below this for three periods.
        Default: 15.
    :param idle_for: alarm when the cluster has been idle this long (useful without auto-termination).
        Default: 3 hours.
    """

    failed_apps: int = 1
    unhealthy_nodes: int = 1
    hdfs_utilization_percent: float = 80
    yarn_memory_available_percent: float = 15
    idle_for: Duration = field(default_factory=lambda: Duration.hours(3))

    def validate(self) -> None:
        check_range("thresholds.failed_apps", self.failed_apps, 1)
        check_range("thresholds.unhealthy_nodes", self.unhealthy_nodes, 1)
        check_range("thresholds.hdfs_utilization_percent", self.hdfs_utilization_percent, 1, 100)
        check_range("thresholds.yarn_memory_available_percent", self.yarn_memory_available_percent, 0, 99)
        check_range("thresholds.idle_for (minutes)", self.idle_for.to_minutes(), 5, 24 * 60)


class EmrClusterMonitoring(Construct):
    """A CloudWatch dashboard and alarms for one cluster.

    :param cluster: the cluster (owned or imported).
    :param instance_groups: whether the cluster uses instance groups; CoreNodesRunning is only reported for them,
        so the core-nodes alarm exists only then. Default: False (instance fleets).
    :param alarm_topic: Default: no alarm action.
    :param thresholds: Default: ``EmrClusterAlarmThresholds()``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: _HasClusterId,
        instance_groups: bool = False,
        alarm_topic: sns.ITopic | None = None,
        thresholds: EmrClusterAlarmThresholds | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("instance_groups", instance_groups, bool)
        check_type("thresholds", thresholds, EmrClusterAlarmThresholds, optional=True)
        thresholds = thresholds or EmrClusterAlarmThresholds()
        thresholds.validate()
        m = EmrClusterMetricFactory(cluster.cluster_id)
        idle_periods = max(1, int(thresholds.idle_for.to_minutes() // DEFAULT_PERIOD.to_minutes()))
        gte = cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        not_breaching = cw.TreatMissingData.NOT_BREACHING
        self.alarms: dict[str, cw.Alarm] = {}
        specs: list[tuple[str, cw.Metric, float, int, cw.ComparisonOperator, cw.TreatMissingData, str]] = [
            (
                "AppsFailed",
                m.apps_failed(),
                thresholds.failed_apps,
                1,
                gte,
                not_breaching,
                "YARN applications failed. Missing data (no apps ran) is not breaching.",
            ),
            (
                "UnhealthyNodes",
                m.mr_unhealthy_nodes(),
                thresholds.unhealthy_nodes,
                2,
                gte,
                not_breaching,
                "Nodes are unhealthy. Missing data is not breaching.",
            ),
            (
                "HdfsNearlyFull",
                m.hdfs_utilization(),
                thresholds.hdfs_utilization_percent,
                2,
                gte,
                not_breaching,
                "HDFS is nearly full. Missing data is not breaching.",
            ),
            (
                "YarnMemoryStarved",
                m.yarn_memory_available_percentage(),
                thresholds.yarn_memory_available_percent,
                3,
                cw.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
                not_breaching,
                "YARN has little free memory. Missing data is not breaching.",
            ),
            (
                "IdleTooLong",
                m.is_idle(),
                1,
                idle_periods,
                gte,
                not_breaching,
                "The cluster has been idle too long. Missing data (terminated cluster) is not breaching.",
            ),
        ]
        if instance_groups:
            specs.append(
                (
                    "NoCoreNodes",
                    m.core_nodes_running(),
                    1,
                    2,
                    cw.ComparisonOperator.LESS_THAN_THRESHOLD,
                    cw.TreatMissingData.BREACHING,
                    "No core node is running. Reported for instance groups only; missing data is breaching.",
                )
            )
        for alarm_id, metric, threshold, periods, operator, missing, description in specs:
            alarm = metric.create_alarm(
                self,
                alarm_id,
                threshold=threshold,
                evaluation_periods=periods,
                comparison_operator=operator,
                treat_missing_data=missing,
                alarm_description=description,
            )
            notify(alarm, alarm_topic)
            self.alarms[alarm_id] = alarm

        self.dashboard = cw.Dashboard(self, "Dashboard", default_interval=Duration.hours(12))
        self.dashboard.add_widgets(
            cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24, height=3),
            cw.GraphWidget(
                title="YARN applications", left=[m.apps_running(), m.apps_pending(), m.apps_failed()], width=12
            ),
            cw.GraphWidget(title="Idle", left=[m.is_idle()], width=12),
            cw.GraphWidget(
                title="YARN memory available %",
                left=[m.yarn_memory_available_percentage()],
                right=[m.container_pending_ratio()],
                width=12,
            ),
            cw.GraphWidget(title="HDFS", left=[m.hdfs_utilization()], right=[m.capacity_remaining_gb()], width=12),
            cw.GraphWidget(
                title="Nodes",
                left=[m.mr_active_nodes(), m.mr_unhealthy_nodes(), m.core_nodes_running(), m.task_nodes_running()],
                width=24,
            ),
        )

    @property
    def dashboard_name(self) -> str:
        return self.dashboard.dashboard_name
