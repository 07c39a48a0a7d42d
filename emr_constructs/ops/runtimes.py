"""The three runtimes behind one interface: find, submit, describe, cancel and list job runs (their logs: ops/logs.py).

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from botocore.client import BaseClient

from emr_constructs.core.releases import DEFAULT_EKS_RELEASE_LABEL, ReleaseLabel
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.ops.lifecycle import step_marker, step_name


class NotFound(Exception):
    """An application, cluster, virtual cluster, job run, role or stack output that does not exist."""


@dataclass(frozen=True)
class RunState:
    state: str
    terminal: bool
    succeeded: bool
    details: str = ""


@dataclass(frozen=True)
class Submission:
    """What ``submit`` did: ``run_id`` is the run that carries the token; ``reused`` is True when emrctl followed an
    existing run instead of starting one (EMR on EC2; Serverless and EKS return the original run for a reused token
    without saying so, so it is False there)."""

    run_id: str
    reused: bool = False


class Runtime(Protocol):
    name: str

    def resolve(self, target: str) -> str: ...
    def render(self, target_id: str, job: SparkJob) -> dict[str, Any]: ...
    def submit(self, target_id: str, job: SparkJob, *, client_token: str | None = None) -> Submission: ...
    def describe(self, target_id: str, run_id: str) -> RunState: ...
    def cancel(self, target_id: str, run_id: str) -> None: ...
    def list_runs(self, target_id: str) -> list[dict[str, Any]]: ...


class ServerlessRuntime:
    """EMR Serverless applications and job runs."""

    name = "serverless"
    TERMINAL = {"SUCCESS": True, "FAILED": False, "CANCELLED": False}

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def resolve(self, target: str) -> str:
        """An application id, or the name of an application."""
        found = []
        for page in self.client.get_paginator("list_applications").paginate():
            for app in page["applications"]:
                if target in (app["id"], app["name"]):
                    found.append(app["id"])
        if not found:
            raise NotFound(f"EMR Serverless application {target!r} not found")
        return str(found[0])

    def render(self, target_id: str, job: SparkJob) -> dict[str, Any]:
        """The ``StartJobRun`` request without a token."""
        return job.to_serverless_start_job_run(target_id)

    def submit(self, target_id: str, job: SparkJob, *, client_token: str | None = None) -> Submission:
        """``StartJobRun`` with ``client_token``: a reused token returns the run it first started."""
        response = self.client.start_job_run(**job.to_serverless_start_job_run(target_id, client_token=client_token))
        return Submission(str(response["jobRunId"]))

    def describe(self, target_id: str, run_id: str) -> RunState:
        try:
            run = self.client.get_job_run(applicationId=target_id, jobRunId=run_id)["jobRun"]
        except self.client.exceptions.ResourceNotFoundException as err:
            raise NotFound(f"job run {run_id!r} of application {target_id!r} not found") from err
        state = run["state"]
        return RunState(state, state in self.TERMINAL, self.TERMINAL.get(state, False), run.get("stateDetails", ""))

    def cancel(self, target_id: str, run_id: str) -> None:
        self.client.cancel_job_run(applicationId=target_id, jobRunId=run_id)

    def list_runs(self, target_id: str) -> list[dict[str, Any]]:
        runs = []
        for page in self.client.get_paginator("list_job_runs").paginate(applicationId=target_id):
            runs += [{"id": r["id"], "name": r.get("name", ""), "state": r["state"]} for r in page["jobRuns"]]
        return runs


class Ec2Runtime:
    """Steps on an EMR on EC2 cluster."""

    name = "ec2"
    TERMINAL = {"COMPLETED": True, "FAILED": False, "CANCELLED": False, "INTERRUPTED": False}
    CLUSTER_GONE = ("TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS")
    """Cluster states from which EMR never returns: a terminated cluster cannot run steps again."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client

    def resolve(self, target: str) -> str:
        """A cluster id, or the name of a WAITING/RUNNING cluster."""
        if target.startswith("j-"):
            return target
        for page in self.client.get_paginator("list_clusters").paginate(ClusterStates=["WAITING", "RUNNING"]):
            for cluster in page["Clusters"]:
                if cluster["Name"] == target:
                    return str(cluster["Id"])
        raise NotFound(f"no WAITING or RUNNING EMR cluster named {target!r}")

    def cluster_status(self, target_id: str) -> tuple[str, str]:
        """The cluster's state and EMR's reason for it (code and message, when EMR gives them)."""
        status = self.client.describe_cluster(ClusterId=target_id)["Cluster"]["Status"]
        reason = status.get("StateChangeReason") or {}
        return str(status["State"]), ": ".join(str(v) for v in (reason.get("Code"), reason.get("Message")) if v)

    ACTIVE = ("PENDING", "RUNNING")

    def render(self, target_id: str, job: SparkJob) -> dict[str, Any]:
        """The ``AddJobFlowSteps`` request, the step named as the job (no token marker)."""
        return job.to_emr_add_steps(target_id)

    def submit(self, target_id: str, job: SparkJob, *, client_token: str | None = None) -> Submission:
        """Add the job as a step; with ``client_token``, the step's name ends with the token's marker and a PENDING
        or RUNNING step of the cluster that already carries it is followed instead of adding a second.

        ``AddJobFlowSteps`` takes no idempotency token, so this is list-then-add, not atomic: two submissions with
        the same token that both list before either adds (two retries started within the same second or two) each
        add a step. Only PENDING/RUNNING steps are matched: once the step has ended, the same token adds a new one
        (unlike Serverless and EKS, whose token returns the original run whatever its state).
        """
        request = self.render(target_id, job)
        if client_token:
            existing = self.find_active_step(target_id, client_token)
            if existing:
                return Submission(existing, reused=True)
            request["Steps"][0]["Name"] = step_name(job.name, client_token)
        return Submission(str(self.client.add_job_flow_steps(**request)["StepIds"][0]))

    def find_active_step(self, target_id: str, client_token: str) -> str | None:
        """The id of the cluster's PENDING or RUNNING step whose name carries ``client_token``'s marker."""
        marker = step_marker(client_token)
        pages = self.client.get_paginator("list_steps").paginate(ClusterId=target_id, StepStates=list(self.ACTIVE))
        for page in pages:
            for step in page["Steps"]:
                if str(step.get("Name", "")).endswith(marker):
                    return str(step["Id"])
        return None

    def describe(self, target_id: str, run_id: str) -> RunState:
        try:
            step = self.client.describe_step(ClusterId=target_id, StepId=run_id)["Step"]
        except self.client.exceptions.InvalidRequestException as err:
            raise NotFound(f"step {run_id!r} of cluster {target_id!r} not found") from err
        state = step["Status"]["State"]
        reason = step["Status"].get("FailureDetails", {}).get("Reason", "")
        return RunState(state, state in self.TERMINAL, self.TERMINAL.get(state, False), reason)

    def cancel(self, target_id: str, run_id: str) -> None:
        self.client.cancel_steps(ClusterId=target_id, StepIds=[run_id])

    def list_runs(self, target_id: str) -> list[dict[str, Any]]:
        runs = []
        for page in self.client.get_paginator("list_steps").paginate(ClusterId=target_id):
            runs += [{"id": s["Id"], "name": s["Name"], "state": s["Status"]["State"]} for s in page["Steps"]]
        return runs


class EksRuntime:
    """Job runs on an EMR on EKS virtual cluster.

    ``submit`` starts runs with ``release_label``, the ``pod_templates`` (driver, executor ``s3://`` URIs) and the
    CloudWatch Logs group ``log_group``, when set (``emrctl eks submit --stack`` takes them from the stack).
    """

    name = "eks"
    TERMINAL = {"COMPLETED": True, "FAILED": False, "CANCELLED": False}

    def __init__(self, client: BaseClient, release_label: ReleaseLabel = DEFAULT_EKS_RELEASE_LABEL) -> None:
        self.client = client
        self.release_label = release_label
        self.pod_templates: tuple[str | None, str | None] = (None, None)
        self.log_group: str | None = None

    def resolve(self, target: str) -> str:
        """A virtual cluster id, or the name of a RUNNING virtual cluster."""
        for page in self.client.get_paginator("list_virtual_clusters").paginate(states=["RUNNING"]):
            for vc in page["virtualClusters"]:
                if target in (vc["id"], vc["name"]):
                    return str(vc["id"])
        raise NotFound(f"no RUNNING EMR on EKS virtual cluster {target!r}")

    def render(self, target_id: str, job: SparkJob, *, client_token: str | None = None) -> dict[str, Any]:
        """The ``StartJobRun`` request with the release label, pod templates and log group (token if given)."""
        driver, executor = self.pod_templates
        return job.to_eks_start_job_run(
            target_id,
            self.release_label.label,
            driver_pod_template=driver,
            executor_pod_template=executor,
            log_group_name=self.log_group,
            client_token=client_token,
        )

    def submit(self, target_id: str, job: SparkJob, *, client_token: str | None = None) -> Submission:
        """``StartJobRun`` with ``client_token``: a reused token returns the run it first started."""
        request = self.render(target_id, job, client_token=client_token)
        return Submission(str(self.client.start_job_run(**request)["id"]))

    def describe(self, target_id: str, run_id: str) -> RunState:
        try:
            run = self.client.describe_job_run(virtualClusterId=target_id, id=run_id)["jobRun"]
        except self.client.exceptions.ResourceNotFoundException as err:
            raise NotFound(f"job run {run_id!r} of virtual cluster {target_id!r} not found") from err
        state = run["state"]
        return RunState(state, state in self.TERMINAL, self.TERMINAL.get(state, False), run.get("stateDetails", ""))

    def cancel(self, target_id: str, run_id: str) -> None:
        self.client.cancel_job_run(virtualClusterId=target_id, id=run_id)

    def list_runs(self, target_id: str) -> list[dict[str, Any]]:
        runs = []
        for page in self.client.get_paginator("list_job_runs").paginate(virtualClusterId=target_id):
            runs += [{"id": r["id"], "name": r.get("name", ""), "state": r["state"]} for r in page["jobRuns"]]
        return runs
