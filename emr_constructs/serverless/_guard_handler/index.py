"""Custom resources ``Custom::EmrServerlessUpdateGuard`` and ``Custom::EmrServerlessDeleteGuard``.

EMR Serverless updates and deletes an application only while it is CREATED or STOPPED, and StopApplication fails while
jobs are scheduled or running:
- https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html
- https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_DeleteApplication.html
- https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StopApplication.html
- https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/application-states.html

The update guard runs before CloudFormation updates the application (the application depends on it, and its
properties carry a hash of the application's); it finds the application by name, a create-only property, on Create
(the guards added to a live stack) and Update, and does nothing on Delete. The delete
guard depends on the application, so CloudFormation deletes it first; it finds the application by id. Both stop a
STARTING or STARTED application and wait until it is STOPPED, handling unfinished job runs as ``RunningJobs`` says:
``cancel`` (CancelJobRun each), ``wait`` (until the Lambda time budget runs out) or ``fail`` (at once). Auto-start
brings the application back on the next job.

boto3 only (the Lambda runtime ships it). Protocol:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

UPDATE_GUARD = "Custom::EmrServerlessUpdateGuard"
DELETE_GUARD = "Custom::EmrServerlessDeleteGuard"
CHOICES = ("cancel", "wait", "fail")
RUNNING_APPLICATION = ("STARTING", "STARTED")
QUIET_APPLICATION = ("CREATED", "STOPPED", "TERMINATED")
FINISHED_JOB_RUN = ("SUCCESS", "FAILED", "CANCELLED")
UNFINISHED_JOB_RUN = ("SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED", "CANCELLING")
JOB_RUN_MODES = ("BATCH", "STREAMING")
POLL_SECONDS = 10
SAFETY_MARGIN_MS = 60_000
"""Time kept back from the Lambda timeout to answer CloudFormation: a function that times out never answers."""


class GuardError(Exception):
    """A reason to fail the CloudFormation request, shown in the stack events."""


def handler(event: dict[str, Any], context: Any) -> None:
    handle(event, context)


def handle(
    event: dict[str, Any],
    context: Any,
    *,
    emr: Any = None,
    cloudformation: Any = None,
    respond: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Handle one request and answer CloudFormation; clients, ``respond``, ``sleep`` and ``clock`` are injectable."""
    reply = respond or send_response
    props = event.get("ResourceProperties") or {}
    request = event.get("RequestType")
    physical_id = event.get("PhysicalResourceId") or f"{event.get('LogicalResourceId')}-{event.get('RequestId')}"
    LOG.info(json.dumps({"requestType": request, "resourceType": event.get("ResourceType")}))
    status, reason = "SUCCESS", "See CloudWatch Logs: " + str(getattr(context, "log_stream_name", ""))
    try:
        deadline = clock() + max(0, context.get_remaining_time_in_millis() - SAFETY_MARGIN_MS) / 1000
        choice = props.get("RunningJobs", "wait")
        if choice not in CHOICES:
            raise GuardError(f"RunningJobs: got {choice!r}; allowed: {', '.join(CHOICES)}")
        emr = emr or boto3.client("emr-serverless")
        guard = Guard(emr, choice=choice, deadline=deadline, sleep=sleep, clock=clock)
        resource_type = event.get("ResourceType")
        # Create too: a stack that adds the guards to a live application may change the application in the same
        # deployment; in a new stack nothing has the name yet (one ListApplications call).
        if resource_type == UPDATE_GUARD and request in ("Create", "Update"):
            if _rolling_back(cloudformation or boto3.client("cloudformation"), event["StackId"]):
                guard.rollback = True
            old_name = (event.get("OldResourceProperties") or {}).get("ApplicationName")
            for name in dict.fromkeys(n for n in (props["ApplicationName"], old_name) if n):
                for application_id in find_applications(emr, name):
                    guard.quiesce(application_id)
        elif resource_type == DELETE_GUARD and request == "Delete":
            guard.quiesce(props["ApplicationId"])
    except (GuardError, ClientError) as err:
        LOG.error("Failed: %s", err)
        status, reason = "FAILED", str(err)[:1000]
    response: dict[str, Any] = {
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": physical_id,
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "Data": {},
    }
    reply(event, response)
    return response


def send_response(event: dict[str, Any], response: dict[str, Any]) -> None:
    body = json.dumps(response).encode()
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"content-type": "", "content-length": str(len(body))}
    )
    # The pre-signed S3 URL that CloudFormation sent with the request.
    with urllib.request.urlopen(request, timeout=30) as answer:
        LOG.info("CloudFormation response: HTTP %s", answer.status)


def find_applications(emr: Any, name: str) -> list[str]:
    """Ids of the applications named ``name`` (names are create-only; a retained copy may share it)."""
    found = []
    for page in emr.get_paginator("list_applications").paginate():
        for application in page.get("applications", []):
            if application["name"] == name and application["state"] != "TERMINATED":
                found.append(application["id"])
    LOG.info(json.dumps({"applicationName": name, "found": found}))
    return found


def _rolling_back(cloudformation: Any, stack_id: str) -> bool:
    status: str = cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    return "ROLLBACK" in status


class Guard:
    """Bring one application to CREATED or STOPPED before CloudFormation updates or deletes it."""

    def __init__(
        self,
        emr: Any,
        *,
        choice: str,
        deadline: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.emr = emr
        self.choice = choice
        self.deadline = deadline
        self.sleep = sleep
        self.clock = clock
        self.rollback = False
        """During a rollback, running jobs are left alone unless the choice is ``cancel``, and nothing fails."""

    def quiesce(self, application_id: str) -> None:
        cancelled: set[str] = set()
        while True:
            try:
                state = self.emr.get_application(applicationId=application_id)["application"]["state"]
            except ClientError as err:
                if err.response["Error"]["Code"] == "ResourceNotFoundException":
                    LOG.info("Application %s does not exist: nothing to do", application_id)
                    return
                raise
            LOG.info(json.dumps({"applicationId": application_id, "state": state}))
            if state in QUIET_APPLICATION:
                return
            runs: list[str] = []
            if state in RUNNING_APPLICATION:
                runs = self._unfinished_runs(application_id)
                if runs and not self._handle_runs(application_id, runs, cancelled):
                    return
                if not runs:
                    self._stop(application_id)
            if self.clock() + POLL_SECONDS > self.deadline:
                detail = f"; unfinished job runs: {', '.join(runs)}" if runs else ""
                if self.rollback:
                    LOG.warning("Rollback: leaving %s %s%s", application_id, state, detail)
                    return
                raise GuardError(
                    f"EMR Serverless application {application_id} is still {state} at the end of the time budget"
                    f"{detail}. It must be CREATED or STOPPED before CloudFormation updates or deletes it: let the "
                    f"jobs finish or cancel them (emrctl cancel), then retry the deployment"
                )
            self.sleep(POLL_SECONDS)

    def _handle_runs(self, application_id: str, runs: list[str], cancelled: set[str]) -> bool:
        """Act on unfinished runs per the choice; ``False`` means leave the application as it is (rollback)."""
        if self.choice == "cancel":
            for run in runs:
                if run not in cancelled:
                    LOG.info("Cancelling job run %s of %s", run, application_id)
                    self.emr.cancel_job_run(applicationId=application_id, jobRunId=run)
                    cancelled.add(run)
            return True
        if self.rollback:
            LOG.warning("Rollback: leaving %s running; unfinished job runs: %s", application_id, ", ".join(runs))
            return False
        if self.choice == "fail":
            raise GuardError(
                f"EMR Serverless application {application_id} has unfinished job runs: {', '.join(runs)}. It must be "
                f"stopped before CloudFormation updates or deletes it, and StopApplication fails while jobs run "
                f"(running_jobs_on_change='fail'): let them finish or cancel them, then retry the deployment"
            )
        LOG.info("Waiting for job runs of %s: %s", application_id, ", ".join(runs))
        return True

    def _unfinished_runs(self, application_id: str) -> list[str]:
        runs: dict[str, None] = {}
        paginator = self.emr.get_paginator("list_job_runs")
        for mode in JOB_RUN_MODES:
            for page in paginator.paginate(applicationId=application_id, states=list(UNFINISHED_JOB_RUN), mode=mode):
                runs.update(
                    (run["id"], None) for run in page.get("jobRuns", []) if run["state"] not in FINISHED_JOB_RUN
                )
        return list(runs)

    def _stop(self, application_id: str) -> None:
        try:
            self.emr.stop_application(applicationId=application_id)
            LOG.info("Stopping %s", application_id)
        except ClientError as err:
            # A job submitted since the listing, or STARTING not yet STARTED: the next round looks again.
            if err.response["Error"]["Code"] != "ValidationException":
                raise
            LOG.info("StopApplication refused for %s: %s", application_id, err)
