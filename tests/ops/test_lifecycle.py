"""``wait --timeout`` / ``submit --wait`` stop the run they wait for: on timeout and on SIGINT/SIGTERM the run is
cancelled on the service (exit 5), ``--no-cancel`` leaves it running and says how to follow it again.

Against moto (server mode) where moto keeps a run active: its EMR on EKS job runs stay RUNNING and its
``CancelJobRun`` marks them CANCELLED (moto creates Serverless runs as SUCCESS and has no ``CancelSteps``). The cancel
calls of Serverless and EC2 are asserted with botocore's Stubber (expected parameters = the run's ids).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from emr_constructs.ops.common import EXIT_AWS, EXIT_TIMEOUT, RETRIES, Context, Failure, follow
from emr_constructs.ops.lifecycle import Interrupted, interrupt_signals
from emr_constructs.ops.runtimes import Ec2Runtime, ServerlessRuntime
from tests.ops.conftest import Result
from tests.ops.test_wait_states import APP, RUN, _run

JOB = ("--name", "pi", "--entry-point", "s3://my-data/scripts/pi.py")


def _eks_run(emrctl: Callable[..., Result], world: dict[str, str], *extra: str) -> str:
    submitted = emrctl("--json", "eks", "submit", "--target", world["vc_id"], "--role", world["role_arn"], *JOB, *extra)
    assert submitted.code == 0, submitted.stderr
    return str(json.loads(submitted.stdout.splitlines()[0])["id"])


def _eks_state(client: Callable[[str], Any], world: dict[str, str], run_id: str) -> str:
    return str(client("emr-containers").describe_job_run(virtualClusterId=world["vc_id"], id=run_id)["jobRun"]["state"])


# ---- timeout -------------------------------------------------------------------------------------------------------


def test_wait_timeout_cancels_the_run_on_the_service(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    run_id = _eks_run(emrctl, world)
    assert _eks_state(client, world, run_id) == "RUNNING"
    result = emrctl("eks", "wait", "--target", world["vc_id"], run_id, "--timeout", "0.5", "--interval", "0.1")
    assert result.code == EXIT_TIMEOUT, result.stderr
    assert f"cancelled {run_id} (state at cancel: RUNNING): timed out after" in result.stdout
    assert "timed out after" in result.stderr and f"cancelled {run_id}" in result.stderr
    assert _eks_state(client, world, run_id) == "CANCELLED"


def test_submit_wait_timeout_cancels_the_run_it_started(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    args = ("--run-key", "submit-wait-timeout", "--wait", "--timeout", "0.5", "--interval", "0.1")
    result = emrctl("--json", "eks", "submit", "--target", world["vc_id"], "--role", world["role_arn"], *JOB, *args)
    assert result.code == EXIT_TIMEOUT, result.stderr
    submitted, stopped = json.loads(result.stdout.splitlines()[0]), result.json()
    assert stopped == {"id": submitted["id"], "state": "RUNNING", "cancelled": True, "reason": stopped["reason"]}
    assert stopped["reason"].startswith("timed out after")
    assert _eks_state(client, world, submitted["id"]) == "CANCELLED"


def test_no_cancel_leaves_the_run_running_and_prints_how_to_follow_it(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    run_id = _eks_run(emrctl, world, "--run-key", "no-cancel")
    result = emrctl(
        "eks", "wait", "--target", world["vc_id"], run_id, "--timeout", "0.3", "--interval", "0.1", "--no-cancel"
    )
    assert result.code == EXIT_TIMEOUT, result.stderr
    assert f"{run_id} is still RUNNING and keeps running (--no-cancel)" in result.stdout
    assert f"follow it with: emrctl eks wait --target {world['vc_id']} {run_id}" in result.stdout
    assert _eks_state(client, world, run_id) == "RUNNING"


def _client(service: str) -> Any:
    return boto3.client(
        service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x", config=RETRIES
    )


@pytest.fixture
def ctx() -> Context:
    return Context("us-east-1", None, None, as_json=True)


def test_serverless_timeout_calls_cancel_job_run_with_the_run_ids(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client("emr-serverless")
    with Stubber(client) as stub:
        stub.add_response("get_job_run", _run("RUNNING"), {"applicationId": APP, "jobRunId": RUN})
        stub.add_response(
            "cancel_job_run", {"applicationId": APP, "jobRunId": RUN}, {"applicationId": APP, "jobRunId": RUN}
        )
        with pytest.raises(Failure) as err:
            follow(ctx, ServerlessRuntime(client), APP, RUN, timeout=0, interval=1, cancel=True)
        stub.assert_no_pending_responses()
    assert err.value.code == EXIT_TIMEOUT
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["cancelled"] is True


def test_ec2_timeout_calls_cancel_steps_with_the_step_id(ctx: Context) -> None:
    client = _client("emr")
    with Stubber(client) as stub:
        step = {"Step": {"Id": "s-1", "Name": "x", "Status": {"State": "PENDING"}}}
        stub.add_response("describe_step", step, {"ClusterId": "j-1", "StepId": "s-1"})
        stub.add_response("cancel_steps", {"CancelStepsInfoList": []}, {"ClusterId": "j-1", "StepIds": ["s-1"]})
        with pytest.raises(Failure) as err:
            follow(ctx, Ec2Runtime(client), "j-1", "s-1", timeout=0, interval=1, cancel=True)
        stub.assert_no_pending_responses()
    assert err.value.code == EXIT_TIMEOUT and "cancelled s-1 (state at cancel: PENDING)" in str(err.value)


def test_a_failed_cancel_is_exit_4_naming_the_cancel_command(ctx: Context) -> None:
    client = _client("emr-serverless")
    with Stubber(client) as stub:
        stub.add_response("get_job_run", _run("RUNNING"))
        stub.add_client_error("cancel_job_run", "AccessDeniedException", "not authorized to cancel")
        with pytest.raises(Failure) as err:
            follow(ctx, ServerlessRuntime(client), APP, RUN, timeout=0, interval=1, cancel=True)
    assert err.value.code == EXIT_AWS
    assert f"emrctl serverless cancel --target {APP} {RUN}" in str(err.value)


def test_without_a_cancel_choice_a_timeout_only_raises(ctx: Context) -> None:
    """``follow(..., cancel=None)`` (other commands' plain follow) never cancels: the stub has no cancel response."""
    client = _client("emr-serverless")
    with Stubber(client) as stub:
        stub.add_response("get_job_run", _run("RUNNING"))
        with pytest.raises(Failure) as err:
            follow(ctx, ServerlessRuntime(client), APP, RUN, timeout=0, interval=1)
    assert err.value.code == EXIT_TIMEOUT and "still RUNNING" in str(err.value)


# ---- signals -------------------------------------------------------------------------------------------------------


@pytest.fixture
def waiting(aws_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """``emrctl ... wait`` as a background process; returns once it has printed the run's first state (so the
    wait, and its signal handlers, are active)."""
    procs: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "emr_constructs.ops", *args],
            env=aws_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "RUNNING" in first, (first, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_waiting_cancels_the_run(
    signum: signal.Signals,
    waiting: Callable[..., subprocess.Popen[str]],
    emrctl: Callable[..., Result],
    client: Callable[[str], Any],
    world: dict[str, str],
) -> None:
    run_id = _eks_run(emrctl, world, "--run-key", f"signal-{signum.name}")
    proc = waiting("eks", "wait", "--target", world["vc_id"], run_id, "--timeout", "60", "--interval", "0.2")
    started = time.monotonic()
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 20
    assert proc.returncode == EXIT_TIMEOUT, err
    assert f"cancelled {run_id} (state at cancel: RUNNING): interrupted by {signum.name}" in out
    assert "Traceback" not in err
    assert _eks_state(client, world, run_id) == "CANCELLED"


def test_a_signal_with_no_cancel_leaves_the_run_running(
    waiting: Callable[..., subprocess.Popen[str]],
    emrctl: Callable[..., Result],
    client: Callable[[str], Any],
    world: dict[str, str],
) -> None:
    run_id = _eks_run(emrctl, world, "--run-key", "signal-no-cancel")
    proc = waiting(
        "eks", "wait", "--target", world["vc_id"], run_id, "--timeout", "60", "--interval", "0.2", "--no-cancel"
    )
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT_TIMEOUT, err
    assert "interrupted by SIGTERM" in err and "keeps running" in out
    assert _eks_state(client, world, run_id) == "RUNNING"


def test_handlers_are_installed_only_while_waiting() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as err, interrupt_signals() as guard:
        assert signal.getsignal(signal.SIGTERM) not in before
        signal.raise_signal(signal.SIGTERM)
    assert err.value.name == "SIGTERM" and not guard.armed
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_a_second_signal_during_the_cancel_is_ignored() -> None:
    with interrupt_signals() as guard:
        guard.disarm()
        signal.raise_signal(signal.SIGINT)  # would be KeyboardInterrupt / Interrupted if armed
    assert guard.received == ["SIGINT"]
