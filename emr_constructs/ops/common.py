"""What every ``emrctl`` command shares: exit codes, one-line AWS errors, the session context, waiting and the
target a command acts on (from ``--target`` or a stack's outputs).

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import boto3
import click
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError

from emr_constructs.core.outputs import EMRCTL_READS, StackOutput
from emr_constructs.ops.lifecycle import (
    DEFAULT_MAX_INTERVAL,
    Backoff,
    Interrupted,
    InterruptGuard,
    interrupt_signals,
    is_throttling,
)
from emr_constructs.ops.runtimes import Ec2Runtime, EksRuntime, NotFound, RunState, Runtime, ServerlessRuntime

EXIT_OK, EXIT_JOB_FAILED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_AWS, EXIT_TIMEOUT, EXIT_CREDENTIALS = 0, 1, 2, 3, 4, 5, 6
EXIT_CLUSTER_TERMINATED, EXIT_BAD_SPEC, EXIT_UNEXPECTED = 7, 8, 9
RETRIES = Config(retries={"mode": "adaptive", "max_attempts": 8})
SERVICES = {"serverless": "emr-serverless", "ec2": "emr", "eks": "emr-containers"}


class Failure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def aws_errors() -> Iterator[None]:
    """Turn expected failures into one-line errors with distinct exit codes (never a traceback)."""
    try:
        yield
    except NotFound as err:
        raise Failure(EXIT_NOT_FOUND, str(err)) from err
    except NoCredentialsError as err:
        raise Failure(EXIT_CREDENTIALS, "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID)") from err
    except NoRegionError as err:
        raise Failure(EXIT_USAGE, "no AWS region (pass --region or set AWS_REGION)") from err
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        message = err.response.get("Error", {}).get("Message", str(err))
        if code in ("ResourceNotFoundException", "NoSuchEntity", "ValidationError") and "not exist" in message.lower():
            raise Failure(EXIT_NOT_FOUND, message) from err
        if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
            raise Failure(EXIT_AWS, f"AWS is throttling requests after retries: {message}") from err
        raise Failure(EXIT_AWS, f"{code}: {message}") from err


class Context:
    def __init__(self, region: str | None, endpoint_url: str | None, profile: str | None, as_json: bool) -> None:
        self.session = boto3.session.Session(profile_name=profile, region_name=region)
        self.endpoint_url = endpoint_url
        self.as_json = as_json

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url, config=RETRIES)

    def runtime(self, name: str) -> Runtime:
        client = self.client(SERVICES[name])
        if name == "serverless":
            return ServerlessRuntime(client)
        if name == "ec2":
            return Ec2Runtime(client)
        return EksRuntime(client)

    def emit(self, data: dict[str, Any], text: str) -> None:
        click.echo(json.dumps(data, default=str) if self.as_json else text)

    def stack_outputs(self, stack: str) -> dict[str, str]:
        stacks = self.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
        return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}

    def role_arn(self, role: str) -> str:
        if role.startswith("arn:"):
            return role
        try:
            return str(self.client("iam").get_role(RoleName=role)["Role"]["Arn"])
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") == "NoSuchEntity":
                raise NotFound(f"IAM role {role!r} not found") from err
            raise


class TimedOut(Failure):
    """The wait ended (exit 5) before the run did: ``state`` is the last state seen (None if every describe call
    was throttled)."""

    def __init__(self, run_id: str, state: RunState | None, elapsed: float, throttled: int) -> None:
        shown = state.state if state else "in an unknown state (every describe call was throttled)"
        note = f" ({throttled} throttled describe calls)" if throttled else ""
        super().__init__(EXIT_TIMEOUT, f"timed out after {elapsed:.0f} s; {run_id} is still {shown}{note}")
        self.run_id, self.state, self.elapsed, self.throttled = run_id, state, elapsed, throttled


def wait_for(
    runtime: Runtime,
    target_id: str,
    run_id: str,
    *,
    timeout: float,
    interval: float,
    on_change: Callable[[RunState, float], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    max_interval: float | None = None,
    rand: Callable[[], float] = random.random,
    on_throttle: Callable[[str, float], None] | None = None,
) -> RunState:
    """Poll until the run reaches a terminal state; report each state transition; raise ``TimedOut`` (exit 5) once
    ``timeout`` seconds have passed.

    Polls are spaced by exponential backoff with full jitter (``Backoff``): ``interval`` is the base and
    ``max_interval`` the cap (default: the larger of 60 s and ``interval``); no sleep runs past the timeout. A
    throttled describe call (botocore has already retried it) is not fatal: it is reported to ``on_throttle``
    (message, next delay) and retried with the same backoff until the timeout.
    """
    backoff = Backoff(interval, max(max_interval or DEFAULT_MAX_INTERVAL, interval), rand)
    start = clock()
    last: RunState | None = None
    throttled = 0
    while True:
        try:
            state: RunState | None = runtime.describe(target_id, run_id)
        except ClientError as err:
            if not is_throttling(err):
                raise
            throttled += 1
            state = None
            message = err.response.get("Error", {}).get("Message", "")
        elapsed = clock() - start
        if state is not None:
            if last is None or state.state != last.state:
                on_change(state, elapsed)
            last = state
            if state.terminal:
                return state
        if elapsed >= timeout:
            raise TimedOut(run_id, last, elapsed, throttled)
        delay = backoff.next_delay()
        if state is None and on_throttle is not None:
            on_throttle(message, delay)
        sleep(min(delay, timeout - elapsed))


def _stop_run(
    ctx: Context, runtime: Runtime, target_id: str, run_id: str, state: RunState | None, reason: str, cancel: bool
) -> None:
    """After a timeout or an interrupt: cancel the run (or, with ``--no-cancel``, leave it and say how to follow it
    again), tell the user, and end with exit 5; exit 4 when the cancel itself fails (the run may still be going)."""
    shown = state.state if state else "unknown"
    again = f"emrctl {runtime.name} wait --target {target_id} {run_id}"
    if cancel:
        try:
            runtime.cancel(target_id, run_id)
        except (ClientError, NotFound) as err:
            raise Failure(
                EXIT_AWS,
                f"{reason}; cancelling {run_id} (state {shown}) failed: {err}; it may still be running: "
                f"emrctl {runtime.name} cancel --target {target_id} {run_id}",
            ) from err
        ctx.emit(
            {"id": run_id, "state": shown, "cancelled": True, "reason": reason},
            f"cancelled {run_id} (state at cancel: {shown}): {reason}",
        )
        raise Failure(EXIT_TIMEOUT, f"{reason}; cancelled {run_id} (state at cancel: {shown})")
    ctx.emit(
        {"id": run_id, "state": shown, "cancelled": False, "reason": reason, "follow": again},
        f"{run_id} is still {shown} and keeps running (--no-cancel); follow it with: {again}",
    )
    raise Failure(EXIT_TIMEOUT, f"{reason}; {run_id} keeps running ({shown}, --no-cancel)")


def follow(
    ctx: Context,
    runtime: Runtime,
    target_id: str,
    run_id: str,
    timeout: float,
    interval: float,
    *,
    max_interval: float | None = None,
    cancel: bool | None = None,
) -> None:
    """Follow the run to its end (exit 1 unless it succeeded). With ``cancel`` True or False, a timeout or a
    SIGINT/SIGTERM during the wait stops the wait: the run is cancelled (True) or left running (False), and the
    command exits 5 (see ``_stop_run``); the signal handlers are installed only for the wait and restored after.
    ``cancel=None`` keeps the plain behaviour: a timeout raises ``TimedOut``, signals are left alone."""
    live = sys.stdout.isatty() and not ctx.as_json
    seen: list[RunState] = []
    if live:
        from rich.console import Console

        console = Console()
        status = console.status(f"{run_id}: waiting")
        status.start()

        def on_change(state: RunState, elapsed: float) -> None:
            seen[:] = [state]
            status.update(f"{run_id}: {state.state} ({elapsed:.0f} s)")
            console.log(f"{run_id} is {state.state} after {elapsed:.0f} s")
    else:

        def on_change(state: RunState, elapsed: float) -> None:
            seen[:] = [state]
            if not ctx.as_json:
                click.echo(f"{elapsed:7.0f}s  {run_id}  {state.state}")

    def on_throttle(message: str, delay: float) -> None:
        click.echo(f"throttled while describing {run_id} ({message}); next try in {delay:.1f} s", err=True)

    guarded: AbstractContextManager[InterruptGuard | None] = (
        interrupt_signals() if cancel is not None else nullcontext()
    )
    with guarded as guard:
        reason = ""
        try:
            final = wait_for(
                runtime,
                target_id,
                run_id,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                on_change=on_change,
                on_throttle=on_throttle,
            )
        except TimedOut as err:
            if cancel is None:
                raise
            reason = f"timed out after {err.elapsed:.0f} s"
        except Interrupted as err:
            reason = f"interrupted by {err.name}"
        finally:
            if guard is not None:
                guard.disarm()  # from here on a signal is ignored until the handlers are restored
            if live:
                status.stop()
        if reason:
            _stop_run(ctx, runtime, target_id, run_id, seen[0] if seen else None, reason, bool(cancel))
    ctx.emit(
        {"id": run_id, "state": final.state, "details": final.details},
        f"{run_id} {final.state} {final.details}".strip(),
    )
    if not final.succeeded:
        raise Failure(EXIT_JOB_FAILED, f"{run_id} ended {final.state}: {final.details}".rstrip(": "))


def terminated_cluster_message(stack: str, cluster_id: str, state: str, reason: str) -> str:
    """What happened to the stack's cluster and the supported way to get a new one."""
    return (
        f"stack {stack!r}: its cluster {cluster_id} is {state}" + (f" ({reason})" if reason else "") + ". "
        "EMR never restarts a terminated cluster, and CloudFormation still holds it (a long-running cluster ends this "
        "way after idle auto-termination), so a plain `cdk deploy` changes nothing. To recreate it, increase "
        "ec2.cluster_generation in cdk.json (environments.<env>.ec2.cluster_generation) and run "
        f"`cdk deploy {stack}`: CloudFormation replaces the cluster, whose new id is the stack's ClusterId output."
    )


def resolve_target(
    ctx: Context, runtime_name: str, target: str | None, stack: str | None, *, live: bool = False
) -> tuple[Runtime, str, dict[str, str]]:
    """Resolve the target, from ``--stack`` outputs if given. With ``--stack`` on EMR on EC2, a terminated cluster
    fails a command that needs a ``live`` cluster (exit 7) and is a warning for the others (history stays readable).
    """
    runtime = ctx.runtime(runtime_name)
    outputs: dict[str, str] = {}
    if stack:
        outputs = ctx.stack_outputs(stack)
        key = EMRCTL_READS[runtime_name].target.key
        if key not in outputs:
            raise NotFound(f"stack {stack!r} has no output {key!r}")
        target = target or outputs[key]
    if not target:
        raise Failure(EXIT_USAGE, "name the target (application / cluster / virtual cluster) or pass --stack")
    target_id = runtime.resolve(target)
    if stack and isinstance(runtime, Ec2Runtime):
        state, reason = runtime.cluster_status(target_id)
        if state in Ec2Runtime.CLUSTER_GONE:
            message = terminated_cluster_message(stack, target_id, state, reason)
            if live:
                raise Failure(EXIT_CLUSTER_TERMINATED, message)
            click.echo(f"warning: {message}", err=True)
    return runtime, target_id, outputs


def stack_value(outputs: Mapping[str, str], output: StackOutput | None) -> str | None:
    """The value of ``output`` among a stack's ``outputs``; ``None`` when the stack (or the runtime) has none."""
    return None if output is None else outputs.get(output.key)
