"""The one interface the three EMR runtimes share: EMR on EC2 (``ClusterBase``), EMR Serverless
(``ApplicationBase``) and EMR on EKS (``VirtualClusterBase``).

Pure typing (aws_cdk is imported for type checkers only), so ``SparkPipeline`` targets and user code can take "any
runtime". Each runtime also has its own identity (``cluster_id``/``cluster_arn``, ``application_id``/
``application_arn``, ``virtual_cluster_id``/``virtual_cluster_arn``) and ``from_*`` import (``from_cluster_id``,
``from_application_id``, ``from_virtual_cluster_id``), named after its resource as in aws-cdk. A "job run" is a step
on EC2 (a YARN application in its metrics) and a job run on Serverless and EKS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from aws_cdk import aws_cloudwatch as cw
    from aws_cdk import aws_iam as iam


class EmrRuntime(Protocol):
    """Grants and metrics every runtime offers, on owned and imported resources alike."""

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """``actions`` on this runtime and its job runs."""
        ...

    def grant_start_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """Submit job runs that run as ``runtime_role`` (and as no other role), follow, list and cancel them."""
        ...

    def grant_submit_job_run(self, grantee: iam.IGrantable, runtime_role: iam.IRole) -> iam.Grant:
        """Only the submit call, passing only ``runtime_role``."""
        ...

    def grant_describe_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Read the state of a job run."""
        ...

    def grant_read_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Read and list job runs and describe the runtime."""
        ...

    def grant_cancel_job_runs(self, grantee: iam.IGrantable) -> iam.Grant:
        """Cancel job runs."""
        ...

    def metric(self, metric_name: str, **props: Any) -> cw.Metric:
        """Any metric of this runtime, with its dimensions."""
        ...

    def metric_failed_jobs(self, **props: Any) -> cw.Metric:
        """Job runs that failed."""
        ...

    def metric_succeeded_jobs(self, **props: Any) -> cw.Metric:
        """Job runs that succeeded."""
        ...

    def metric_running_jobs(self, **props: Any) -> cw.Metric:
        """Job runs running."""
        ...
