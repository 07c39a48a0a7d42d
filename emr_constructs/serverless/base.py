"""What an owned and an imported EMR Serverless application share: identity, grants and ``metric_*``.

The Serverless side of ``emr_constructs.runtime.EmrRuntime``: a job run is a StartJobRun on the application; the
metrics are the ``AWS/EMRServerless`` ones, with the dimensions the application's release publishes.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs.core.iam_actions import EMR_SERVERLESS_JOB_RUN_ACTIONS, EmrServerless, Iam
from emr_constructs.monitoring.serverless_metrics import ServerlessMetricFactory
from emr_constructs.releases import ReleaseLabel

JOB_RUN_ACTIONS = EMR_SERVERLESS_JOB_RUN_ACTIONS


class ApplicationBase(Construct):
    """What an owned and an imported application share: identity, grants and metrics (the Serverless side of
    ``emr_constructs.runtime.EmrRuntime``)."""

    application_id: str
    application_name: str | None
    release_label: ReleaseLabel

    @property
    def application_arn(self) -> str:
        return self._arn(self.application_id)

    def _arn(self, resource_name: str) -> str:
        return Stack.of(self).format_arn(
            service="emr-serverless",
            resource="/applications",
            resource_name=resource_name,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    # ---- grants ----------------------------------------------------------------------------------------------------

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """``actions`` on this application and its job runs."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=list(actions),
            resource_arns=[self.application_arn, f"{self.application_arn}/jobruns/*"],
        )

    def grant_start_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """Start, follow, cancel and list job runs (and their dashboards) on this application, passing only
        ``runtime_role`` and only to EMR Serverless."""
        grant = self.grant(grantee, *JOB_RUN_ACTIONS)
        iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrServerless.GET_APPLICATION], resource_arns=[self.application_arn]
        )
        self._grant_pass(grantee, runtime_role)
        return grant

    def grant_submit_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """StartJobRun only, passing only ``runtime_role`` and only to EMR Serverless."""
        grant = self.grant(grantee, EmrServerless.START_JOB_RUN)
        self._grant_pass(grantee, runtime_role)
        return grant

    def grant_describe_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """GetJobRun on this application's job runs."""
        return self.grant(grantee, EmrServerless.GET_JOB_RUN)

    def grant_read_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Get and list job runs and their dashboards, and get the application."""
        grant = self.grant(
            grantee, EmrServerless.GET_JOB_RUN, EmrServerless.LIST_JOB_RUNS, EmrServerless.GET_DASHBOARD_FOR_JOB_RUN
        )
        iam.Grant.add_to_principal(
            grantee=grantee, actions=[EmrServerless.GET_APPLICATION], resource_arns=[self.application_arn]
        )
        return grant

    def grant_cancel_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """CancelJobRun on this application's job runs."""
        return self.grant(grantee, EmrServerless.CANCEL_JOB_RUN)

    @staticmethod
    def _grant_pass(grantee: iam.IGrantable, runtime_role: iam.IRole) -> None:
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[Iam.PASS_ROLE],
                resources=[runtime_role.role_arn],
                conditions={"StringLike": {Iam.PASSED_TO_SERVICE: "emr-serverless.amazonaws.com"}},
            )
        )

    # ---- metrics ---------------------------------------------------------------------------------------------------

    @property
    def _metrics(self) -> ServerlessMetricFactory:
        return ServerlessMetricFactory(self.application_id, self.application_name, self.release_label)

    def metric(self, metric_name: str, **props: Any) -> cw.Metric:
        """Any ``AWS/EMRServerless`` metric, with the dimensions this application's release publishes (``props``:
        worker_type with capacity_allocation_type, statistic, period, label). Default: Average over 1 minute."""
        return self._metrics.metric(metric_name, **props)

    def _job_metric(self, metric_name: str, props: dict[str, Any]) -> cw.Metric:
        return self._metrics.job_metric(metric_name, **props)

    def metric_failed_jobs(self, **props: Any) -> cw.Metric:
        """FailedJobs (Sum over 1 minute)."""
        return self._job_metric("FailedJobs", props)

    def metric_succeeded_jobs(self, **props: Any) -> cw.Metric:
        """SuccessJobs (Sum over 1 minute)."""
        return self._job_metric("SuccessJobs", props)

    def metric_running_jobs(self, **props: Any) -> cw.Metric:
        """RunningJobs (Sum over 1 minute)."""
        return self._job_metric("RunningJobs", props)

    def metric_cpu_allocated(self, **props: Any) -> cw.Metric:
        return self.metric("CPUAllocated", **props)

    def metric_memory_allocated(self, **props: Any) -> cw.Metric:
        return self.metric("MemoryAllocated", **props)

    def metric_storage_allocated(self, **props: Any) -> cw.Metric:
        return self.metric("StorageAllocated", **props)

    def metric_running_worker_count(self, **props: Any) -> cw.Metric:
        return self.metric("RunningWorkerCount", **props)

    def metric_idle_worker_count(self, **props: Any) -> cw.Metric:
        return self.metric("IdleWorkerCount", **props)

    def metric_max_cpu_allowed(self, **props: Any) -> cw.Metric:
        return self.metric("MaxCPUAllowed", **{"statistic": "Maximum", **props})

    def metric_max_memory_allowed(self, **props: Any) -> cw.Metric:
        return self.metric("MaxMemoryAllowed", **{"statistic": "Maximum", **props})

    def metric_max_storage_allowed(self, **props: Any) -> cw.Metric:
        return self.metric("MaxStorageAllowed", **{"statistic": "Maximum", **props})

    def metric_submitted_jobs(self, **props: Any) -> cw.Metric:
        return self._job_metric("SubmittedJobs", props)

    def metric_pending_jobs(self, **props: Any) -> cw.Metric:
        return self._job_metric("PendingJobs", props)

    def metric_scheduled_jobs(self, **props: Any) -> cw.Metric:
        return self._job_metric("ScheduledJobs", props)

    def metric_success_jobs(self, **props: Any) -> cw.Metric:
        """SuccessJobs under its CloudWatch name; the same metric as ``metric_succeeded_jobs``."""
        return self.metric_succeeded_jobs(**props)

    def metric_cancelling_jobs(self, **props: Any) -> cw.Metric:
        return self._job_metric("CancellingJobs", props)

    def metric_cancelled_jobs(self, **props: Any) -> cw.Metric:
        return self._job_metric("CancelledJobs", props)


class _ImportedApplication(ApplicationBase):
    def __init__(
        self, scope: Construct, construct_id: str, application_id: str, name: str | None, release: ReleaseLabel
    ) -> None:
        super().__init__(scope, construct_id)
        self.application_id = application_id
        self.application_name = name
        self.release_label = release
