"""Metrics of an EMR Serverless application (namespace ``AWS/EMRServerless``).

Capacity and worker metrics have the dimension ApplicationId, optionally with WorkerType and CapacityAllocationType;
job metrics have ApplicationId only. From emr-7.10.0 EMR Serverless adds the ApplicationName dimension and stops
updating the older series, so the factory picks the dimensions by release.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
"""

from __future__ import annotations

from enum import Enum

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw

from emr_constructs.releases import SERVERLESS_APPLICATION_NAME_METRICS, ReleaseLabel

EMR_SERVERLESS_NAMESPACE = "AWS/EMRServerless"
DEFAULT_PERIOD = Duration.minutes(1)


class CapacityAllocationType(Enum):
    PRE_INITIALIZED = "PreInitCapacity"
    ON_DEMAND = "OnDemandCapacity"


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
        dims = {"ApplicationId": self.application_id}
        if self.uses_application_name:
            assert self.application_name is not None
            dims["ApplicationName"] = self.application_name
        if worker_type is not None:
            dims["WorkerType"] = worker_type
        if capacity_allocation_type is not None:
            if worker_type is None:
                raise ValueError(
                    f"capacity_allocation_type: got {capacity_allocation_type.value!r}; it is published only "
                    "together with worker_type"
                )
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

    def job_metric(self, metric_name: str, *, statistic: str = "Sum", period: Duration = DEFAULT_PERIOD) -> cw.Metric:
        """Job-run counts (SubmittedJobs, FailedJobs, ...): application-level dimensions only."""
        return self.metric(metric_name, statistic=statistic, period=period)
