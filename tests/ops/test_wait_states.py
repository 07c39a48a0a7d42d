"""The state logic of ``wait`` for what moto cannot produce (FAILED, CANCELLED, timeouts, throttling): botocore's
Stubber on real clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from emr_constructs.ops.common import (
    EXIT_AWS,
    EXIT_JOB_FAILED,
    EXIT_TIMEOUT,
    RETRIES,
    Failure,
    aws_errors,
    wait_for,
)
from emr_constructs.ops.runtimes import Ec2Runtime, EksRuntime, RunState, ServerlessRuntime

APP, RUN = "00f6b0eou5biqd0l", "00f6b25bek7v3f0l"


def _client(service: str) -> Any:
    return boto3.client(
        service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x", config=RETRIES
    )


@pytest.fixture
def serverless() -> Iterator[tuple[ServerlessRuntime, Stubber]]:
    client = _client("emr-serverless")
    with Stubber(client) as stub:
        yield ServerlessRuntime(client), stub


def _run(state: str, details: str = "") -> dict[str, Any]:
    now = "2026-11-23T00:00:00Z"
    run = {
        "applicationId": APP,
        "jobRunId": RUN,
        "arn": f"arn:aws:emr-serverless:us-east-1:1:/applications/{APP}/jobruns/{RUN}",
        "createdBy": "arn:aws:iam::123456789012:user/me",
        "createdAt": now,
        "updatedAt": now,
        "executionRole": "arn:aws:iam::1:role/r",
        "state": state,
        "stateDetails": details or state,
        "releaseLabel": "emr-7.10.0",
        "jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/x.py"}},
    }
    return {"jobRun": run}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _wait(runtime: Any, target: str, run: str, timeout: float = 100) -> tuple[RunState, list[str]]:
    seen: list[str] = []
    clock = FakeClock()
    state = wait_for(
        runtime,
        target,
        run,
        timeout=timeout,
        interval=10,
        clock=clock,
        sleep=clock.sleep,
        rand=lambda: 1.0,  # the top of each jitter window: a fixed poll count
        on_change=lambda s, _: seen.append(s.state),
    )
    return state, seen


def test_failed_run_reports_transitions_and_details(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    runtime, stub = serverless
    for state in ("SUBMITTED", "RUNNING", "RUNNING", "FAILED"):
        stub.add_response("get_job_run", _run(state, "Job failed, ExitCode: 1" if state == "FAILED" else ""))
    final, seen = _wait(runtime, APP, RUN)
    assert seen == ["SUBMITTED", "RUNNING", "FAILED"]
    assert final.terminal and not final.succeeded and final.details == "Job failed, ExitCode: 1"


def test_cancelled_run_is_not_a_success(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    runtime, stub = serverless
    stub.add_response("get_job_run", _run("CANCELLING"))
    stub.add_response("get_job_run", _run("CANCELLED"))
    final, seen = _wait(runtime, APP, RUN)
    assert seen == ["CANCELLING", "CANCELLED"] and not final.succeeded


def test_timeout_raises_exit_5(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    runtime, stub = serverless
    for _ in range(4):
        stub.add_response("get_job_run", _run("RUNNING"))
    with pytest.raises(Failure) as err:
        _wait(runtime, APP, RUN, timeout=30)
    assert err.value.code == EXIT_TIMEOUT and "still RUNNING" in str(err.value)


def test_throttling_after_retries_is_exit_4_with_one_line(serverless: tuple[ServerlessRuntime, Stubber]) -> None:
    runtime, stub = serverless
    stub.add_client_error(
        "get_job_run", service_error_code="ThrottlingException", service_message="Rate exceeded", http_status_code=400
    )
    with pytest.raises(Failure) as err, aws_errors():
        runtime.describe(APP, RUN)
    assert err.value.code == EXIT_AWS
    assert str(err.value) == "AWS is throttling requests after retries: Rate exceeded"


def test_ec2_failed_step_and_cancel() -> None:
    client = _client("emr")
    runtime = Ec2Runtime(client)
    with Stubber(client) as stub:
        for state in ("PENDING", "RUNNING", "FAILED"):
            status: dict[str, Any] = {"State": state}
            if state == "FAILED":
                status["FailureDetails"] = {"Reason": "Spark application failed"}
            stub.add_response(
                "describe_step",
                {"Step": {"Id": "s-1", "Name": "x", "Status": status}},
                {"ClusterId": "j-1", "StepId": "s-1"},
            )
        stub.add_response("cancel_steps", {"CancelStepsInfoList": []}, {"ClusterId": "j-1", "StepIds": ["s-1"]})
        final, seen = _wait(runtime, "j-1", "s-1")
        runtime.cancel("j-1", "s-1")
    assert seen == ["PENDING", "RUNNING", "FAILED"] and final.details == "Spark application failed"
    assert final.terminal and not final.succeeded


def test_eks_completed_run_succeeds() -> None:
    client = _client("emr-containers")
    runtime = EksRuntime(client)
    with Stubber(client) as stub:
        for state in ("PENDING", "RUNNING", "COMPLETED"):
            stub.add_response("describe_job_run", {"jobRun": {"id": "r", "state": state}})
        final, _ = _wait(runtime, "vc", "r")
    assert final.succeeded


def test_failed_wait_maps_to_exit_1() -> None:
    assert EXIT_JOB_FAILED == 1
