"""Metrics of an EMR Serverless application (namespace ``AWS/EMRServerless``).

Capacity and worker metrics are published per application, and per application, WorkerType and
CapacityAllocationType together (never WorkerType alone); job metrics per application only. The WorkerType values are
``Spark_Driver``, ``Spark_Executor`` and ``Spark_Kernel`` (interactive workloads), not the initial-capacity keys
``Driver``/``Executor``. From emr-7.10.0 EMR Serverless adds the ApplicationName dimension and stops updating the
older series, so the factory picks the dimensions by release.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
"""

from __future__ import annotations

from enum import Enum

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from emr_constructs._internal.validation import fail
from emr_constructs.releases import SERVERLESS_APPLICATION_NAME_METRICS, ReleaseLabel

EMR_SERVERLESS_NAMESPACE = "AWS/EMRServerless"
DEFAULT_PERIOD = Duration.minutes(1)


class CapacityAllocationType(Enum):
    """The values of the CapacityAllocationType metric dimension: pre-initialized or on-demand capacity."""

    PRE_INITIALIZED = "PreInitCapacity"
    ON_DEMAND = "OnDemandCapacity"


class MetricWorkerType:
    """The values of the WorkerType metric dimension (a plain string also works, e.g. for a new worker type)."""

    SPARK_DRIVER = "Spark_Driver"
    SPARK_EXECUTOR = "Spark_Executor"
    SPARK_KERNEL = "Spark_Kernel"
    """Interactive workloads (EMR Studio)."""


SPARK_WORKER_TYPES = (MetricWorkerType.SPARK_DRIVER, MetricWorkerType.SPARK_EXECUTOR)
"""The worker types a Spark batch application publishes."""

_INITIAL_CAPACITY_KEYS = {"Driver": MetricWorkerType.SPARK_DRIVER, "Executor": MetricWorkerType.SPARK_EXECUTOR}


class ServerlessMetricFactory:
    """Builds ``cloudwatch.Metric`` objects for one application; its ``metric_*`` methods delegate here."""

    def __init__(self, application_id: str, application_name: str | None, release: ReleaseLabel) -> None:
        self.application_id = application_id
        self.application_name = application_name
        self.uses_application_name = (
            release.version is not None
            and release.supports(SERVERLESS_APPLICATION_NAME_METRICS)
            and application_name is not None
        )

    def dimensions(
        self, worker_type: str | None = None, capacity_allocation_type: CapacityAllocationType | None = None
    ) -> dict[str, str]:
        """Application dimensions, plus WorkerType and CapacityAllocationType when both are given (EMR Serverless
        publishes neither without the other)."""
        dims = {"ApplicationId": self.application_id}
        if self.uses_application_name:
            assert self.application_name is not None
            dims["ApplicationName"] = self.application_name
        if worker_type is None and capacity_allocation_type is None:
            return dims
        if worker_type is None:
            assert capacity_allocation_type is not None
            raise fail(
                "worker_type",
                None,
                f"capacity_allocation_type {capacity_allocation_type.value!r} is published only together with a "
                f"worker type ({', '.join(SPARK_WORKER_TYPES)})",
            )
        if capacity_allocation_type is None:
            raise fail(
                "capacity_allocation_type",
                None,
                f"worker_type {worker_type!r} is published only together with a capacity allocation type "
                f"({', '.join(c.name for c in CapacityAllocationType)})",
            )
        if worker_type in _INITIAL_CAPACITY_KEYS:
            raise fail(
                "worker_type",
                worker_type,
                f"the WorkerType dimension is {_INITIAL_CAPACITY_KEYS[worker_type]!r} (MetricWorkerType), not the "
                "initial-capacity key",
            )
        dims["WorkerType"] = worker_type
        dims["CapacityAllocationType"] = capacity_allocation_type.value
        return dims

    def metric(
        self,
        metric_name: str,
        *,
        worker_type: str | None = None,
        capacity_allocation_type: CapacityAllocationType | None = None,
        statistic: str = "Average",
        period: Duration = DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cw.Metric:
        return cw.Metric(
            namespace=EMR_SERVERLESS_NAMESPACE,
            metric_name=metric_name,
            dimensions_map=self.dimensions(worker_type, capacity_allocation_type),
            statistic=statistic,
            period=period,
            label=label,
        )

    def _workers(
        self, metric_name: str, worker_type: str | None, capacity_allocation_type: CapacityAllocationType | None
    ) -> cw.Metric:
        return self.metric(metric_name, worker_type=worker_type, capacity_allocation_type=capacity_allocation_type)

    def running_worker_count(
        self, worker_type: str | None = None, capacity_allocation_type: CapacityAllocationType | None = None
    ) -> cw.Metric:
        """Workers in use by the application."""
        return self._workers("RunningWorkerCount", worker_type, capacity_allocation_type)

    def idle_worker_count(
        self, worker_type: str | None = None, capacity_allocation_type: CapacityAllocationType | None = None
    ) -> cw.Metric:
        """Workers allocated and idle (pre-initialized capacity waiting for jobs)."""
        return self._workers("IdleWorkerCount", worker_type, capacity_allocation_type)

    def pending_creation_worker_count(
        self, worker_type: str | None = None, capacity_allocation_type: CapacityAllocationType | None = None
    ) -> cw.Metric:
        """Workers requested and not yet created: a lasting value means capacity cannot be obtained."""
        return self._workers("PendingCreationWorkerCount", worker_type, capacity_allocation_type)

    def total_worker_count(
        self, worker_type: str | None = None, capacity_allocation_type: CapacityAllocationType | None = None
    ) -> cw.Metric:
        """Workers available to the application."""
        return self._workers("TotalWorkerCount", worker_type, capacity_allocation_type)

    def job_metric(
        self, metric_name: str, *, statistic: str = "Sum", period: Duration = DEFAULT_PERIOD, label: str | None = None
    ) -> cw.Metric:
        """Job-run counts (SubmittedJobs, FailedJobs, ...): application-level dimensions only."""
        return self.metric(metric_name, statistic=statistic, period=period, label=label)
