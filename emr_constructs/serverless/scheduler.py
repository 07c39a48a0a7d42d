"""Job concurrency and queuing of an EMR Serverless application (emr-7.0.0 and later).

With a scheduler configuration, EMR Serverless queues every submitted job run and starts at most
``max_concurrent_runs`` of them at a time; a run still queued after ``queue_timeout`` fails with a timeout.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications-concurrency-queuing.html
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_emrserverless as emrs

from emr_constructs._internal.validation import check_range, fail, is_token
from emr_constructs.core.validation import check_type

MAX_CONCURRENT_RUNS = (1, 1000)
"""The service's range of ``maxConcurrentRuns`` (default 15 once the scheduler is on).
See: https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_SchedulerConfiguration.html"""
QUEUE_TIMEOUT_MINUTES = (15, 720)
"""The service's range of ``queueTimeoutMinutes`` (default 360, six hours, once the scheduler is on)."""


@dataclass(frozen=True, kw_only=True)
class SchedulerConfiguration:
    """Bound how many job runs an application runs at once and how long the others may wait in its queue.

    :param max_concurrent_runs: job runs that run at the same time (1 to 1,000). Default: the service's, 15.
    :param queue_timeout: how long a job run may stay QUEUED before it fails (15 minutes to 12 hours, whole
        minutes). Default: the service's, 6 hours.
    """

    max_concurrent_runs: int | None = None
    queue_timeout: Duration | None = None

    def validate(self, prop: str = "scheduler") -> None:
        runs = self.max_concurrent_runs
        check_range(f"{prop}.max_concurrent_runs", runs, *MAX_CONCURRENT_RUNS)
        if runs is not None and not is_token(runs) and runs != int(runs):
            raise fail(f"{prop}.max_concurrent_runs", runs, "must be a whole number")
        check_type(f"{prop}.queue_timeout", self.queue_timeout, Duration, optional=True)
        minutes = self._queue_timeout_minutes()
        check_range(f"{prop}.queue_timeout (minutes)", minutes, *QUEUE_TIMEOUT_MINUTES)
        if minutes is not None and not is_token(minutes) and minutes != int(minutes):
            assert self.queue_timeout is not None
            raise fail(f"{prop}.queue_timeout", self.queue_timeout.to_human_string(), "must be whole minutes")

    def _queue_timeout_minutes(self) -> float | None:
        return self.queue_timeout.to_minutes(integral=False) if self.queue_timeout is not None else None

    def _render(self) -> emrs.CfnApplication.SchedulerConfigurationProperty:
        minutes = self._queue_timeout_minutes()
        runs = self.max_concurrent_runs
        return emrs.CfnApplication.SchedulerConfigurationProperty(
            max_concurrent_runs=runs if runs is None or is_token(runs) else int(runs),
            queue_timeout_minutes=minutes if minutes is None or is_token(minutes) else int(minutes),
        )
