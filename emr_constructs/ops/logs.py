"""``emrctl <runtime> logs RUN``: what a run did and why, in one command.

It prints the run's state, the service's failure reason, the last lines of the Spark driver's stderr (stdout with
``--stdout``) and a Spark UI link where the service offers one. The logs are read wherever the run wrote them: the
locations come from the run's own monitoring configuration first (and, on EMR Serverless, the application's defaults;
on EMR on EC2, the step's and then the cluster's LogUri), then from ``--log-uri``/``--log-group`` and the stack's
outputs. ``ops/log_locations.py`` knows each runtime's layout; this module is the command, ``--follow`` and output.

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import click
from botocore.exceptions import BotoCoreError, ClientError

from emr_constructs.core.outputs import EMRCTL_READS, EksOutput, ServerlessOutput, StackOutput
from emr_constructs.ops.common import EXIT_JOB_FAILED, EXIT_TIMEOUT, Context, Failure, aws_errors, resolve_target
from emr_constructs.ops.log_locations import Explainer, Location, Plan, Reader, explainer_for
from emr_constructs.ops.runtimes import RunState, Runtime

DEFAULT_LINES = 50

LOG_GROUP_OUTPUTS: dict[str, StackOutput | None] = {
    "serverless": ServerlessOutput.LOG_GROUP_NAME,
    "ec2": None,
    "eks": EksOutput.LOG_GROUP_NAME,
}
"""The stack output naming the CloudWatch Logs group the runtime's runs log to (EMR on EC2 steps log to S3 only)."""

NOT_YET = {
    "serverless": "EMR Serverless refreshes the S3 copy of the driver's logs about every 15 seconds "
    "(https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/rotating-logs.html); retry shortly.",
    "ec2": "EMR on EC2 pushes step logs to S3 about every five minutes, so a step that just started or just ended "
    "may have none yet (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-manage-view-web-log-files.html); "
    "retry in a few minutes.",
    "eks": "EMR on EKS uploads the driver's logs while the pod runs and when it ends; retry shortly.",
}


@dataclass
class LogsResult:
    run_id: str
    state: str
    details: str
    source: str | None
    lines: list[str]
    ui_url: str | None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.run_id,
            "state": self.state,
            "details": self.details,
            "source": self.source,
            "lines": self.lines,
            "ui_url": self.ui_url,
            "notes": self.notes,
        }


@dataclass
class LogsOptions:
    lines: int = DEFAULT_LINES
    kind: str = "stderr"
    log_uri: str | None = None
    log_group: str | None = None
    ui: bool = True


def explain(
    runtime_name: str,
    explainer: Explainer,
    reader: Reader,
    target_id: str,
    run_id: str,
    options: LogsOptions,
    warn: Callable[[str], None],
) -> tuple[LogsResult, Plan, Location | None, int]:
    """State, details, the last ``options.lines`` lines of the driver's log and the UI link. Also returns the plan,
    the location read and how many lines it had (``--follow`` continues from there)."""
    plan = explainer.plan(target_id, run_id, options.kind, options.log_uri, options.log_group)
    found = reader.first(plan.locations)
    notes: list[str] = []
    location: Location | None = None
    source: str | None = None
    lines: list[str] = []
    total = 0
    if found is not None:
        location, source, everything = found
        total = len(everything)
        lines = everything[-options.lines :] if options.lines > 0 else []
    else:
        where = "; ".join(loc.describe() for loc in plan.locations)
        if plan.unconfigured:
            notes.append(plan.unconfigured + (f"; also looked at {where}" if where else ""))
        else:
            notes.append(f"no driver {options.kind} yet at {where}. {NOT_YET[runtime_name]}")
        if reader.denied:
            notes.append(
                "access denied reading " + "; ".join(reader.denied) + " (the caller needs s3:GetObject and "
                "s3:ListBucket on the log bucket, or logs:DescribeLogStreams and logs:GetLogEvents on the group; "
                "without s3:ListBucket a missing key is also denied)"
            )
    ui_url = None
    if options.ui:
        try:
            ui_url = explainer.ui_url(target_id, run_id)
        except (ClientError, BotoCoreError, RuntimeError, KeyError) as err:
            warn(f"no Spark UI link: {' '.join(str(err).split())}")
    result = LogsResult(run_id, plan.state.state, plan.details, source, lines, ui_url, notes)
    return result, plan, location, total


def render(result: LogsResult, kind: str) -> str:
    out = [f"{result.run_id} {result.state}"]
    if result.details:
        out.append(f"details: {result.details}")
    if result.source:
        out.append(f"--- driver {kind}, last {len(result.lines)} lines ({result.source}) ---")
        out.extend(result.lines)
        out.append("---")
    out.extend(f"note: {note}" for note in result.notes)
    if result.ui_url:
        out.append(f"Spark UI: {result.ui_url}")
    return "\n".join(out)


def follow_logs(
    explainer: Explainer,
    reader: Reader,
    target_id: str,
    run_id: str,
    options: LogsOptions,
    start: tuple[Plan, Location | None, int],
    echo: Callable[[str], None],
    *,
    interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[RunState, list[str], str | None]:
    """Print the lines appended to the driver's log while the run is active; stop when it reaches a terminal state
    (after one last read). Returns the final state, the new lines and the source read."""
    plan, location, printed = start
    state = plan.state
    new_lines: list[str] = []
    source: str | None = None
    began = clock()
    while not state.terminal:
        if clock() - began >= timeout:
            raise Failure(EXIT_TIMEOUT, f"timed out after {clock() - began:.0f} s; {run_id} is still {state.state}")
        sleep(interval)
        state = explainer.runtime.describe(target_id, run_id)
        found = reader.read(location) if location is not None else None
        if found is None:
            located = reader.first(plan.locations)
            if located is not None:
                location, source, lines = located
                found = (source, lines)
        if found is None:
            continue
        source, lines = found
        fresh = lines[printed:] if len(lines) >= printed else lines
        printed = len(lines)
        for line in fresh:
            echo(line)
        new_lines.extend(fresh)
    return state, new_lines, source


def show_logs(
    ctx: Context,
    runtime_name: str,
    runtime: Runtime,
    target_id: str,
    run_id: str,
    outputs: Mapping[str, str],
    options: LogsOptions,
    *,
    follow: bool = False,
    interval: float = 10.0,
    timeout: float = 3600.0,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """``emrctl <runtime> logs``: print (or emit as one JSON object) the run's state, reason, driver log tail and UI
    link; with ``follow``, keep printing new lines until the run ends (exit 1 if it failed or was cancelled)."""
    options.log_uri = options.log_uri or outputs.get(EMRCTL_READS[runtime_name].log_uri.key)
    group_output = LOG_GROUP_OUTPUTS[runtime_name]
    options.log_group = options.log_group or (outputs.get(group_output.key) if group_output else None)
    explainer = explainer_for(runtime, ctx.client("emr"), sleep)
    reader = Reader(ctx.client("s3"), ctx.client("logs"))

    def warn(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    result, plan, location, total = explain(runtime_name, explainer, reader, target_id, run_id, options, warn)
    if not ctx.as_json:
        click.echo(render(result, options.kind))
    if not follow:
        if ctx.as_json:
            click.echo(json.dumps(result.as_dict(), default=str))
        return
    echo: Callable[[str], None] = (lambda _line: None) if ctx.as_json else click.echo
    final, new_lines, source = follow_logs(
        explainer,
        reader,
        target_id,
        run_id,
        options,
        (plan, location, total),
        echo,
        interval=interval,
        timeout=timeout,
        sleep=sleep,
    )
    result.state, result.lines = final.state, result.lines + new_lines
    result.source = result.source or source
    result.details = final.details or result.details
    if ctx.as_json:
        click.echo(json.dumps(result.as_dict(), default=str))
    else:
        click.echo(f"{run_id} {final.state}" + (f": {final.details}" if final.details else ""))
    if not final.succeeded:
        raise Failure(EXIT_JOB_FAILED, f"{run_id} ended {final.state}: {final.details}".rstrip(": "))


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def add_logs_command(group: click.Group, runtime_name: str, target_option: Decorator, stack_option: Decorator) -> None:
    """Add ``logs`` to a runtime's command group (``ops/cli.py`` calls this)."""

    @group.command(
        help="Show a run's state, failure reason, the last lines of the Spark driver's stderr (S3 or CloudWatch "
        "Logs, wherever the run wrote them) and a Spark UI link. --follow prints new lines until the run ends "
        "(then exit 1 if it failed or was cancelled)."
    )
    @target_option
    @stack_option
    @click.argument("run_id")
    @click.option("--lines", "-n", default=DEFAULT_LINES, show_default=True, type=click.IntRange(min=0))
    @click.option("--stdout", "stdout", is_flag=True, help="The driver's stdout instead of its stderr.")
    @click.option("--log-uri", help="s3:// prefix to read when the run's configuration names none (default: stack).")
    @click.option("--log-group", help="CloudWatch Logs group to read when the run's names none (default: stack).")
    @click.option("--follow", "-f", is_flag=True, help="Print new lines while the run is active.")
    @click.option("--interval", default=10.0, show_default=True, help="Seconds between polls with --follow.")
    @click.option("--timeout", default=3600.0, show_default=True, help="Seconds to follow before exit 5.")
    @click.option("--no-ui", is_flag=True, help="Skip the Spark UI link.")
    @click.pass_obj
    def logs(
        ctx: Context,
        target: str | None,
        stack: str | None,
        run_id: str,
        lines: int,
        stdout: bool,
        log_uri: str | None,
        log_group: str | None,
        follow: bool,
        interval: float,
        timeout: float,
        no_ui: bool,
    ) -> None:
        with aws_errors():
            runtime, target_id, outputs = resolve_target(ctx, runtime_name, target, stack)
            options = LogsOptions(
                lines=lines, kind="stdout" if stdout else "stderr", log_uri=log_uri, log_group=log_group, ui=not no_ui
            )
            show_logs(
                ctx,
                runtime_name,
                runtime,
                target_id,
                run_id,
                outputs,
                options,
                follow=follow,
                interval=interval,
                timeout=timeout,
            )
