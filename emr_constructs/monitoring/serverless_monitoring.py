"""Dashboard and alarms for an EMR Serverless application, built from ``ServerlessMetricFactory``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_sns as sns
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_type
from emr_constructs._internal.validation import check_range
from emr_constructs.monitoring.alarms import notify
from emr_constructs.monitoring.serverless_metrics import (
    SPARK_WORKER_TYPES,
    CapacityAllocationType,
    ServerlessMetricFactory,
)
from emr_constructs.releases import ReleaseLabel

PERIOD = Duration.minutes(5)
JOB_STATES = (
    "SubmittedJobs",
    "PendingJobs",
    "ScheduledJobs",
    "RunningJobs",
    "SuccessJobs",
    "FailedJobs",
    "CancellingJobs",
    "CancelledJobs",
)


class _ServerlessApplication(Protocol):
    @property
    def application_id(self) -> str: ...
    @property
    def application_name(self) -> str | None: ...
    @property
    def release_label(self) -> ReleaseLabel: ...


@dataclass(frozen=True, kw_only=True)
class ServerlessAlarmThresholds:
    """Alarm thresholds of ``EmrServerlessMonitoring``.

    :param failed_jobs: alarm when this many job runs fail in 5 minutes. Default: 1.
    :param capacity_percent: alarm when allocated vCPU or memory reaches this % of the maximum. Default: 80.
    :param idle_pre_initialized_for: alarm when pre-initialized workers stay idle this long. Default: 1 hour.
    """

    failed_jobs: int = 1
    capacity_percent: float = 80
    idle_pre_initialized_for: Duration = field(default_factory=lambda: Duration.hours(1))

    def validate(self) -> None:
        check_range("thresholds.failed_jobs", self.failed_jobs, 1)
        check_range("thresholds.capacity_percent", self.capacity_percent, 1, 100)
        check_range(
            "thresholds.idle_pre_initialized_for (minutes)", self.idle_pre_initialized_for.to_minutes(), 5, 1440
        )


class EmrServerlessMonitoring(Construct):
    """A dashboard per application and alarms on failed jobs, capacity near the maximum and idle warm workers.

    :param worker_types: the WorkerType dimension values to chart and alarm on (``MetricWorkerType``). Default:
        ``Spark_Driver`` and ``Spark_Executor``.
        See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
    :param alarm_topic: a topic created in this app gets the statements that let CloudWatch alarms publish; an
        imported one must already allow them (see ``AlarmTopic``). Default: no alarm action.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        application: _ServerlessApplication,
        worker_types: Sequence[str] = SPARK_WORKER_TYPES,
        alarm_topic: sns.ITopic | None = None,
        thresholds: ServerlessAlarmThresholds | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_sequence_of("worker_types", worker_types, str, optional=False)
        check_type("thresholds", thresholds, ServerlessAlarmThresholds, optional=True)
        thresholds = thresholds or ServerlessAlarmThresholds()
        thresholds.validate()
        m = ServerlessMetricFactory(application.application_id, application.application_name, application.release_label)

        def at(metric: cw.Metric, statistic: str = "Maximum") -> cw.Metric:
            return metric.with_(period=PERIOD, statistic=statistic)

        pct = {
            resource: cw.MathExpression(
                expression=f"100 * used_{resource.lower()} / max_{resource.lower()}",
                using_metrics={
                    f"used_{resource.lower()}": at(m.metric(f"{resource}Allocated")),
                    f"max_{resource.lower()}": at(m.metric(f"Max{resource}Allowed")),
                },
                label=f"{resource} allocated, % of maximum",
                period=PERIOD,
            )
            for resource in ("CPU", "Memory", "Storage")
        }
        pre = CapacityAllocationType.PRE_INITIALIZED
        idle_pre = {w: at(m.idle_worker_count(w, pre), "Minimum") for w in worker_types}
        running_pre = {w: at(m.running_worker_count(w, pre)) for w in worker_types}
        idle_periods = max(1, int(thresholds.idle_pre_initialized_for.to_minutes() // PERIOD.to_minutes()))
        gte = cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        self.alarms: dict[str, cw.Alarm] = {
            "FailedJobs": at(m.job_metric("FailedJobs"), "Sum").create_alarm(
                self,
                "FailedJobs",
                threshold=thresholds.failed_jobs,
                evaluation_periods=1,
                comparison_operator=gte,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                alarm_description="Job runs failed. Missing data (no job ran) is not breaching.",
            ),
            "CapacityNearMaximum": cw.MathExpression(
                expression="MAX([cpu, memory])",
                using_metrics={"cpu": pct["CPU"], "memory": pct["Memory"]},
                label="Allocated capacity, % of maximum",
                period=PERIOD,
            ).create_alarm(
                self,
                "CapacityNearMaximum",
                threshold=thresholds.capacity_percent,
                evaluation_periods=2,
                comparison_operator=gte,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                alarm_description="Allocated vCPU or memory is close to the application's maximum capacity. "
                "Missing data (stopped application) is not breaching.",
            ),
        }
        for worker, metric in idle_pre.items():
            name = worker.split("_", 1)[-1]  # Spark_Driver -> IdlePreInitializedDriver
            self.alarms[f"IdlePreInitialized{name}"] = metric.create_alarm(
                self,
                f"IdlePreInitialized{name}",
                threshold=1,
                evaluation_periods=idle_periods,
                comparison_operator=gte,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                alarm_description=f"Pre-initialized {worker} workers have been idle too long (they cost money). "
                "Missing data (no pre-initialized capacity) is not breaching.",
            )
        for alarm in self.alarms.values():
            notify(alarm, alarm_topic)

        def per_pool(metric_name: str, statistic: str = "Average") -> list[cw.IMetric]:
            return [
                at(m.metric(metric_name, worker_type=w, capacity_allocation_type=c), statistic).with_(
                    label=f"{metric_name} {w} {c.value}"
                )
                for w in worker_types
                for c in CapacityAllocationType
            ]

        def capacity(resource: str) -> list[cw.IMetric]:
            return [
                at(m.metric(f"{resource}Allocated", worker_type=w, capacity_allocation_type=c), "Average").with_(
                    label=f"{w} {c.value}"
                )
                for w in worker_types
                for c in CapacityAllocationType
            ]

        utilization = [
            cw.MathExpression(
                expression=f"IF(run_{i} + idle_{i} > 0, 100 * run_{i} / (run_{i} + idle_{i}), 0)",
                using_metrics={f"run_{i}": running_pre[w], f"idle_{i}": idle_pre[w]},
                label=f"{w} pre-initialized utilization %",
                period=PERIOD,
            )
            for i, w in enumerate(worker_types)
        ]
        self.dashboard = cw.Dashboard(self, "Dashboard", default_interval=Duration.hours(12))
        self.dashboard.add_widgets(
            cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24, height=3),
            cw.GraphWidget(title="vCPU by worker type and pool", left=capacity("CPU"), width=12, stacked=True),
            cw.GraphWidget(title="Memory by worker type and pool", left=capacity("Memory"), width=12, stacked=True),
            cw.GraphWidget(
                title="Workers",
                left=[
                    at(m.running_worker_count(), "Average"),
                    at(m.idle_worker_count(), "Average"),
                    at(m.pending_creation_worker_count(), "Maximum"),
                    at(m.total_worker_count(), "Average"),
                ],
                width=12,
            ),
            cw.GraphWidget(
                title="Workers pending creation by worker type and pool (lasting: capacity not obtained)",
                left=per_pool("PendingCreationWorkerCount", "Maximum"),
                width=12,
            ),
            cw.GraphWidget(
                title="Total workers by worker type and pool", left=per_pool("TotalWorkerCount"), width=12, stacked=True
            ),
            cw.GraphWidget(
                title="Pre-initialized capacity utilization %",
                left=utilization,
                width=12,
                left_y_axis=cw.YAxisProps(min=0, max=100),
            ),
            cw.GraphWidget(
                title="Capacity against the maximum allowed (%)",
                left=list(pct.values()),
                width=12,
                left_y_axis=cw.YAxisProps(min=0, max=100),
            ),
            cw.GraphWidget(title="Job runs by state", left=[at(m.job_metric(s), "Sum") for s in JOB_STATES], width=12),
        )

    @property
    def dashboard_name(self) -> str:
        return self.dashboard.dashboard_name
