"""The lifecycle guards' Lambda handler, against botocore's Stubber (moto's StopApplication ignores running jobs).

AWS rules encoded here:
- UpdateApplication and DeleteApplication need CREATED or STOPPED:
  https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html,
  https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_DeleteApplication.html
- StopApplication fails while jobs are scheduled or running:
  https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StopApplication.html
- Custom resource responses: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

HANDLER = Path(__file__).resolve().parents[3] / "emr_constructs" / "serverless" / "_guard_handler" / "index.py"
_spec = importlib.util.spec_from_file_location("guard_handler", HANDLER)
assert _spec and _spec.loader
index = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(index)

APP = "00fabcdefghij123"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/Test/1"
NAME = "Test-Batch"
UNFINISHED = list(index.UNFINISHED_JOB_RUN)


class Context:
    log_stream_name = "2026/12/04/[$LATEST]abc"

    def __init__(self, remaining_ms: int = 900_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class Clock:
    """Fake time: ``sleep`` advances it, so a bounded wait ends without sleeping."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


def client(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")


def event(request: str, resource_type: str, **props: Any) -> dict[str, Any]:
    base = {"ServiceToken": "arn", "ApplicationName": NAME, "RunningJobs": "wait"}
    result: dict[str, Any] = {
        "RequestType": request,
        "ResourceType": resource_type,
        "ResponseURL": "http://127.0.0.1/unused",
        "StackId": STACK_ID,
        "RequestId": "req-1",
        "LogicalResourceId": "Guard",
        "ResourceProperties": {**base, **props},
    }
    if request != "Create":
        result["PhysicalResourceId"] = "Guard-physical"
        result["OldResourceProperties"] = {**base, "ApplicationPropertiesHash": "old"}
    return result


def update(**props: Any) -> dict[str, Any]:
    return event("Update", index.UPDATE_GUARD, ApplicationPropertiesHash="new", **props)


def delete(**props: Any) -> dict[str, Any]:
    return event("Delete", index.DELETE_GUARD, ApplicationId=APP, **props)


class Run:
    """Stubbed clients, the responses sent and the fake clock of one handler invocation."""

    def __init__(self) -> None:
        self.emr = client("emr-serverless")
        self.cfn = client("cloudformation")
        self.emr_stub = Stubber(self.emr)
        self.cfn_stub = Stubber(self.cfn)
        self.clock = Clock()
        self.responses: list[dict[str, Any]] = []

    # ---- expected calls, in order ----
    def stack_status(self, status: str = "UPDATE_IN_PROGRESS") -> None:
        stack = {
            "StackName": "Test",
            "StackId": STACK_ID,
            "CreationTime": "2026-01-01T00:00:00Z",
            "StackStatus": status,
        }
        self.cfn_stub.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": STACK_ID})

    def list_applications(self, *apps: tuple[str, str, str]) -> None:
        items = [
            {
                "id": i,
                "name": n,
                "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{i}",
                "releaseLabel": "emr-7.10.0",
                "type": "Spark",
                "state": s,
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-01T00:00:00Z",
            }
            for i, n, s in apps
        ]
        self.emr_stub.add_response("list_applications", {"applications": items}, {})

    def state(self, state: str, application_id: str = APP) -> None:
        application = {
            "applicationId": application_id,
            "name": NAME,
            "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{application_id}",
            "releaseLabel": "emr-7.10.0",
            "type": "Spark",
            "state": state,
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
        }
        self.emr_stub.add_response("get_application", {"application": application}, {"applicationId": application_id})

    def not_found(self, application_id: str = APP) -> None:
        self.emr_stub.add_client_error(
            "get_application",
            "ResourceNotFoundException",
            http_status_code=404,
            expected_params={"applicationId": application_id},
        )

    def job_runs(self, *runs: tuple[str, str], streaming: tuple[tuple[str, str], ...] = ()) -> None:
        for mode, items in (("BATCH", runs), ("STREAMING", streaming)):
            listed = [
                {
                    "applicationId": APP,
                    "id": run_id,
                    "name": run_id,
                    "mode": mode,
                    "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/jobruns/{run_id}",
                    "createdBy": "arn:aws:iam::123456789012:role/x",
                    "createdAt": "2026-01-01T00:00:00Z",
                    "updatedAt": "2026-01-01T00:00:00Z",
                    "executionRole": "arn:aws:iam::123456789012:role/x",
                    "state": state,
                    "stateDetails": state,
                    "releaseLabel": "emr-7.10.0",
                }
                for run_id, state in items
            ]
            self.emr_stub.add_response(
                "list_job_runs", {"jobRuns": listed}, {"applicationId": APP, "states": UNFINISHED, "mode": mode}
            )

    def stop(self, error: str | None = None) -> None:
        if error:
            self.emr_stub.add_client_error("stop_application", error, expected_params={"applicationId": APP})
        else:
            self.emr_stub.add_response("stop_application", {}, {"applicationId": APP})

    def cancel(self, run_id: str) -> None:
        self.emr_stub.add_response(
            "cancel_job_run", {"applicationId": APP, "jobRunId": run_id}, {"applicationId": APP, "jobRunId": run_id}
        )

    def __call__(self, request: dict[str, Any], remaining_ms: int = 900_000) -> dict[str, Any]:
        with self.emr_stub, self.cfn_stub:
            response: dict[str, Any] = index.handle(
                request,
                Context(remaining_ms),
                emr=self.emr,
                cloudformation=self.cfn,
                respond=lambda _event, body: self.responses.append(body),
                sleep=self.clock.sleep,
                clock=self.clock,
            )
            self.emr_stub.assert_no_pending_responses()
            self.cfn_stub.assert_no_pending_responses()
        assert self.responses == [response], "exactly one response per request"
        return response


@pytest.fixture
def run() -> Run:
    return Run()


# ---- update guard ------------------------------------------------------------------------------------------------


def test_update_of_a_stopped_application_calls_no_stop(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STOPPED"), ("other", "Other-App", "STARTED"))
    run.state("STOPPED")
    assert run(update())["Status"] == "SUCCESS"
    assert run.clock.sleeps == 0


def test_update_of_a_created_application_calls_no_stop(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "CREATED"))
    run.state("CREATED")
    assert run(update())["Status"] == "SUCCESS"


def test_update_stops_a_started_application_without_jobs_and_waits_until_stopped(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPING")
    run.state("STOPPED")
    response = run(update())
    assert response["Status"] == "SUCCESS"
    assert response["PhysicalResourceId"] == "Guard-physical", "a changed id would make CloudFormation delete the old"
    assert run.clock.sleeps == 2


def test_update_cancels_running_jobs_when_told_to_then_stops(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs(("run1", "RUNNING"), ("run2", "SCHEDULED"), streaming=(("stream1", "RUNNING"),))
    run.cancel("run1")
    run.cancel("run2")
    run.cancel("stream1")
    run.state("STARTED")
    run.job_runs(("run1", "CANCELLING"))  # not cancelled twice
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    assert run(update(RunningJobs="cancel"))["Status"] == "SUCCESS"


def test_update_fails_at_once_naming_the_runs_when_told_to(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs(("run1", "RUNNING"), ("run2", "PENDING"))
    response = run(update(RunningJobs="fail"))
    assert response["Status"] == "FAILED"
    assert "run1, run2" in response["Reason"] and APP in response["Reason"]
    assert run.clock.sleeps == 0


def test_update_waits_for_running_jobs_then_stops(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs(("run1", "RUNNING"))
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    assert run(update(RunningJobs="wait"))["Status"] == "SUCCESS"


def test_wait_is_bounded_by_the_lambda_time_budget_and_names_the_runs(run: Run) -> None:
    # 60 s of budget after the safety margin: polls at 0, 10, ..., 60 s, then fails before the function times out.
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    for _ in range(7):
        run.state("STARTED")
        run.job_runs(("run1", "RUNNING"))
    response = run(update(RunningJobs="wait"), remaining_ms=index.SAFETY_MARGIN_MS + 60_000)
    assert response["Status"] == "FAILED"
    assert "run1" in response["Reason"] and "time budget" in response["Reason"]


def test_a_stop_refused_because_a_job_arrived_is_retried(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs()
    run.stop(error="ValidationException")
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    assert run(update())["Status"] == "SUCCESS"


def test_update_of_a_renamed_application_also_stops_the_old_one_before_its_replacement_deletes_it(run: Run) -> None:
    request = update(ApplicationName="New-Name")
    run.stack_status()
    run.list_applications((APP, NAME, "STOPPED"))  # the new name: not created yet
    run.list_applications((APP, NAME, "STOPPED"))  # the old name
    run.state("STOPPED")
    assert run(request)["Status"] == "SUCCESS"


def test_rollback_never_fails_on_running_jobs(run: Run) -> None:
    run.stack_status("UPDATE_ROLLBACK_IN_PROGRESS")
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs(("run1", "RUNNING"))
    assert run(update(RunningJobs="fail"))["Status"] == "SUCCESS"


def test_update_guard_create_in_a_new_stack_finds_nothing_to_stop(run: Run) -> None:
    run.stack_status("CREATE_IN_PROGRESS")
    run.list_applications(("other", "Other-App", "STARTED"))
    created = run(event("Create", index.UPDATE_GUARD, ApplicationPropertiesHash="h"))
    assert created["Status"] == "SUCCESS" and created["PhysicalResourceId"] == "Guard-req-1"


def test_update_guard_added_to_a_live_stack_stops_the_application_it_may_change(run: Run) -> None:
    run.stack_status()
    run.list_applications((APP, NAME, "STARTED"))
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    assert run(event("Create", index.UPDATE_GUARD, ApplicationPropertiesHash="h"))["Status"] == "SUCCESS"


def test_update_guard_delete_does_nothing(run: Run) -> None:
    assert run(event("Delete", index.UPDATE_GUARD, ApplicationPropertiesHash="h"))["Status"] == "SUCCESS"


# ---- delete guard ------------------------------------------------------------------------------------------------


def test_delete_stops_the_application_first(run: Run) -> None:
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    response = run(delete())
    assert response["Status"] == "SUCCESS"
    assert response["PhysicalResourceId"] == "Guard-physical"


def test_delete_of_an_application_that_is_gone_is_a_no_op(run: Run) -> None:
    run.not_found()
    assert run(delete())["Status"] == "SUCCESS"


def test_delete_cancels_running_jobs_when_told_to(run: Run) -> None:
    run.state("STARTED")
    run.job_runs(("run1", "RUNNING"))
    run.cancel("run1")
    run.state("STARTED")
    run.job_runs()
    run.stop()
    run.state("STOPPED")
    assert run(delete(RunningJobs="cancel"))["Status"] == "SUCCESS"


def test_delete_guard_create_and_update_do_nothing(run: Run) -> None:
    assert run(event("Create", index.DELETE_GUARD, ApplicationId=APP))["Status"] == "SUCCESS"
    run.responses.clear()
    assert run(event("Update", index.DELETE_GUARD, ApplicationId=APP))["Status"] == "SUCCESS"


def test_an_unknown_choice_fails_with_the_allowed_values(run: Run) -> None:
    response = run(delete(RunningJobs="ignore"))
    assert response["Status"] == "FAILED" and "cancel, wait, fail" in response["Reason"]


def test_an_access_error_fails_the_request_instead_of_hanging_the_stack(run: Run) -> None:
    run.emr_stub.add_client_error("get_application", "AccessDeniedException", http_status_code=403)
    response = run(delete())
    assert response["Status"] == "FAILED" and "AccessDenied" in response["Reason"]


# ---- the CloudFormation response ---------------------------------------------------------------------------------


@pytest.fixture
def response_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.append({"body": json.loads(body), "content-type": self.headers.get("content-type")})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/presigned?sig=1", received
    server.shutdown()
    server.server_close()


def test_the_response_is_put_to_the_presigned_url(response_server: tuple[str, list[dict[str, Any]]]) -> None:
    url, received = response_server
    request = event("Create", index.DELETE_GUARD, ApplicationId=APP)
    request["ResponseURL"] = url
    index.handle(request, Context(), emr=object(), cloudformation=object())
    assert len(received) == 1
    body = received[0]["body"]
    assert received[0]["content-type"] == "", "the pre-signed URL is signed without a content type"
    assert body["Status"] == "SUCCESS"
    assert {k: body[k] for k in ("StackId", "RequestId", "LogicalResourceId")} == {
        "StackId": STACK_ID,
        "RequestId": "req-1",
        "LogicalResourceId": "Guard",
    }
    assert body["PhysicalResourceId"] == "Guard-req-1"
