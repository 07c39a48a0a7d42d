"""``emrctl``: submit Spark jobs to EMR on EC2, EMR Serverless or EMR on EKS, and follow them.

\b
Exit codes:
  0  success
  1  the job failed or was cancelled; doctor: a check failed
  2  usage error (bad option or flag value, no target, invalid job from flags)
  3  not found (application, cluster, virtual cluster, job run, role, stack output)
  4  AWS error (throttling after retries included; while waiting, throttled
     polls are retried until --timeout); a cancel that failed after a timeout
  5  timed out while waiting, or SIGINT/SIGTERM while waiting (wait, submit
     --wait): the run was cancelled, or left running with --no-cancel
  6  no AWS credentials
  7  the stack's cluster is terminated (ec2 submit --stack; recreate it: increase
     ec2.cluster_generation in cdk.json and run cdk deploy)
  8  bad spec file (--spec): invalid JSON, not an object, unknown key, wrong value
     type or invalid job; the message names FILE:LINE:COLUMN
  9  unexpected error (one line; --debug shows the traceback)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

import click
from click.core import ParameterSource

from emr_constructs.core.outputs import EMRCTL_READS
from emr_constructs.core.releases import DEFAULT_EKS_RELEASE_LABEL, EKS, ReleaseLabel
from emr_constructs.core.spark import DRIVER_POD_TEMPLATE_CONF, EXECUTOR_POD_TEMPLATE_CONF
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.ops.common import (
    EXIT_AWS,
    EXIT_BAD_SPEC,
    EXIT_CLUSTER_TERMINATED,
    EXIT_CREDENTIALS,
    EXIT_JOB_FAILED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    Context,
    Failure,
    aws_errors,
    follow,
    resolve_target,
    stack_value,
    terminated_cluster_message,
    wait_for,
)
from emr_constructs.ops.doctor import doctor
from emr_constructs.ops.lifecycle import DEFAULT_INTERVAL, DEFAULT_MAX_INTERVAL, check_token, derive_token
from emr_constructs.ops.logs import add_logs_command
from emr_constructs.ops.package import package
from emr_constructs.ops.release import release_command
from emr_constructs.ops.runtimes import EksRuntime
from emr_constructs.ops.specfile import Spec, SpecError, load_spec


def configure_eks(
    runtime: EksRuntime, release_label: str | None, outputs: Mapping[str, str], conf: Mapping[str, str]
) -> None:
    """Set what an EMR on EKS run takes besides the job: the release label (``release_label`` if given, else the
    stack's, else core's default) and, from the stack, the pod templates (unless ``conf`` names a template file
    itself) and the CloudWatch Logs group. ``outputs`` is empty without ``--stack``."""
    reads = EMRCTL_READS["eks"]
    stack_label = stack_value(outputs, reads.release_label)
    if release_label:
        label, source = release_label, "--release-label"
    elif stack_label:
        label, source = stack_label, "the stack's release label"
    else:
        label, source = DEFAULT_EKS_RELEASE_LABEL.label, "--release-label"
    try:
        release = ReleaseLabel.of(label, source)
        release.require(EKS, source, label)
    except ValueError as err:
        raise Failure(EXIT_USAGE, str(err)) from err
    runtime.release_label = release
    driver, executor = (
        None if conf_key in conf else stack_value(outputs, output)
        for output, conf_key in (
            (reads.driver_pod_template, DRIVER_POD_TEMPLATE_CONF),
            (reads.executor_pod_template, EXECUTOR_POD_TEMPLATE_CONF),
        )
    )
    runtime.pod_templates = (driver, executor)
    runtime.log_group = stack_value(outputs, reads.log_group_name)


def _load_spec(path: str | None) -> Spec | None:
    try:
        return load_spec(path) if path else None
    except SpecError as err:
        raise Failure(EXIT_BAD_SPEC, str(err)) from err


def _make_job(spec: Spec | None, fields: dict[str, Any], conf: dict[str, str], role_arn: str | None) -> SparkJob:
    """``SparkJob(...)``; an error is a bad spec (exit 8, at the key it names) with ``--spec``, else a usage error."""
    try:
        return SparkJob(**fields, conf=conf, runtime_role_arn=role_arn)
    except (TypeError, ValueError) as err:
        if spec is not None:
            raise Failure(EXIT_BAD_SPEC, str(spec.locate(err))) from err
        raise Failure(EXIT_USAGE, f"invalid job: {err}") from err


def wait_options(command: Any) -> Any:
    """``--timeout``, ``--interval``, ``--max-interval`` and ``--cancel/--no-cancel`` of ``submit --wait`` and
    ``wait``."""
    options = [
        click.option(
            "--timeout",
            type=click.FloatRange(min=0),
            default=3600.0,
            show_default=True,
            help="Seconds to wait; then the run is cancelled (unless --no-cancel) and emrctl exits 5.",
        ),
        click.option(
            "--interval",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_INTERVAL,
            show_default=True,
            help="Base of the poll backoff in seconds: the n-th pause is random in [0, min(max, interval * 2^n)].",
        ),
        click.option(
            "--max-interval",
            type=click.FloatRange(min=0, min_open=True),
            help=f"Cap of the poll backoff in seconds. Default: {DEFAULT_MAX_INTERVAL:.0f}, or --interval if larger.",
        ),
        click.option(
            "--cancel/--no-cancel",
            default=True,
            show_default=True,
            help="On timeout, SIGINT or SIGTERM: cancel the run (exit 5), or leave it running (exit 5, and print "
            "the command that follows it again).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def runtime_group(runtime_name: str, target_help: str) -> click.Group:
    @click.group(name=runtime_name, help=f"Jobs on {target_help}.")
    def group() -> None:
        pass

    target_option = click.option("--target", "-t", help=f"{target_help}: id or name.")
    stack_option = click.option(
        "--stack",
        help="Read the target, role and log location (EMR on EKS: also the release label, pod templates and log "
        "group) from this stack's outputs; options given explicitly win.",
    )

    @group.command(help="Submit a Spark job, from --spec FILE (JSON) or flags.")
    @target_option
    @stack_option
    @click.option(
        "--spec",
        type=click.Path(dir_okay=False),
        help="A SparkJob as a JSON object (keys as in emr_constructs.jobs.SparkJob); flags given win. A bad spec "
        "exits 8 naming FILE:LINE:COLUMN.",
    )
    @click.option("--name", help="Job name.")
    @click.option("--entry-point", help="s3:// URI of the script or JAR.")
    @click.option("--arg", "args", multiple=True, help="An argument of the entry point (repeatable).")
    @click.option("--conf", "confs", multiple=True, help="A Spark property key=value (repeatable).")
    @click.option("--role", help="Runtime / execution role: ARN or name.")
    @click.option("--log-uri", help="s3:// prefix for logs.")
    @click.option(
        "--python-dependencies",
        help="s3:// URI of a dependency archive (emrctl package): unpacked as ./deps and put on PYTHONPATH.",
    )
    @click.option("--action-on-failure", default="CONTINUE", show_default=True, help="EMR on EC2 steps only.")
    @click.option(
        "--release-label",
        default=DEFAULT_EKS_RELEASE_LABEL.label,
        show_default=True,
        help="EMR on EKS only. With --stack, default: the stack's release label.",
    )
    @click.option("--wait/--no-wait", default=False, help="Follow the run until it ends.")
    @wait_options
    @click.option(
        "--token",
        help="Idempotency token (1-64 of A-Z a-z 0-9 . _ -): submitting again with it follows the run it started "
        "instead of starting another. Default: derived from the target, the job and --run-key, and printed.",
    )
    @click.option(
        "--run-key",
        default="",
        help="Part of the derived token: the same job with the same key is one run; give a new key (e.g. the date) "
        "to run the job again.",
    )
    @click.pass_obj
    def submit(
        ctx: Context,
        target: str | None,
        stack: str | None,
        spec: str | None,
        name: str | None,
        entry_point: str | None,
        args: tuple[str, ...],
        confs: tuple[str, ...],
        role: str | None,
        log_uri: str | None,
        python_dependencies: str | None,
        action_on_failure: str,
        release_label: str,
        wait: bool,
        timeout: float,
        interval: float,
        max_interval: float | None,
        cancel: bool,
        token: str | None,
        run_key: str,
    ) -> None:
        if token is not None:
            try:
                check_token(token)
            except ValueError as err:
                raise Failure(EXIT_USAGE, str(err)) from err
        source = click.get_current_context().get_parameter_source("release_label")
        explicit_release = source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
        spec_file = _load_spec(spec)
        fields: dict[str, Any] = dict(spec_file.fields) if spec_file else {}
        conf = dict(fields.pop("conf", None) or {})
        for item in confs:
            key, sep, value = item.partition("=")
            if not sep:
                raise Failure(EXIT_USAGE, f"--conf: got {item!r}; expected key=value")
            conf[key] = value
        spec_role = fields.pop("runtime_role_arn", None)
        fields.update({k: v for k, v in {"name": name, "entry_point": entry_point}.items() if v})
        if args:
            fields["arguments"] = list(args)
        if log_uri:
            fields.setdefault("log_uri", log_uri)
        if python_dependencies:
            fields["python_dependencies"] = python_dependencies
        fields.setdefault("action_on_failure", action_on_failure)
        if spec_file and "name" in fields and "entry_point" in fields:
            _make_job(spec_file, fields, conf, None)  # the spec's values are checked before any AWS call
        with aws_errors():
            runtime, target_id, outputs = resolve_target(ctx, runtime_name, target, stack, live=True)
            reads = EMRCTL_READS[runtime_name]
            role_value = role or spec_role or stack_value(outputs, reads.role)
            fields.setdefault("log_uri", stack_value(outputs, reads.log_uri))
            job = _make_job(spec_file, fields, conf, ctx.role_arn(role_value) if role_value else None)
            if isinstance(runtime, EksRuntime):
                configure_eks(runtime, release_label if explicit_release else None, outputs, conf)
            client_token = token or derive_token(
                runtime.name, target_id, job.name, runtime.render(target_id, job), run_key
            )
            submission = runtime.submit(target_id, job, client_token=client_token)
            run_id = submission.run_id
            text = (
                f"{run_id} on {target_id} already carries token {client_token}: following it, not adding another"
                if submission.reused
                else f"submitted {run_id} to {target_id} (token {client_token}; resubmitting this job reuses it, "
                "a new --run-key runs it again)"
            )
            ctx.emit(
                {"target": target_id, "id": run_id, "client_token": client_token, "reused": submission.reused}, text
            )
            if wait:
                follow(ctx, runtime, target_id, run_id, timeout, interval, max_interval=max_interval, cancel=cancel)

    @group.command(help="Show the state of a run.")
    @target_option
    @stack_option
    @click.argument("run_id")
    @click.pass_obj
    def status(ctx: Context, target: str | None, stack: str | None, run_id: str) -> None:
        with aws_errors():
            runtime, target_id, _ = resolve_target(ctx, runtime_name, target, stack)
            state = runtime.describe(target_id, run_id)
            ctx.emit({"id": run_id, "state": state.state, "details": state.details}, f"{run_id} {state.state}")

    @group.command(
        help="Follow a run until it ends (exit 1 if it failed or was cancelled; on timeout, SIGINT or SIGTERM the "
        "run is cancelled unless --no-cancel, exit 5)."
    )
    @target_option
    @stack_option
    @click.argument("run_id")
    @wait_options
    @click.pass_obj
    def wait(
        ctx: Context,
        target: str | None,
        stack: str | None,
        run_id: str,
        timeout: float,
        interval: float,
        max_interval: float | None,
        cancel: bool,
    ) -> None:
        with aws_errors():
            runtime, target_id, _ = resolve_target(ctx, runtime_name, target, stack)
            follow(ctx, runtime, target_id, run_id, timeout, interval, max_interval=max_interval, cancel=cancel)

    @group.command(help="Cancel a run.")
    @target_option
    @stack_option
    @click.argument("run_id")
    @click.pass_obj
    def cancel(ctx: Context, target: str | None, stack: str | None, run_id: str) -> None:
        with aws_errors():
            runtime, target_id, _ = resolve_target(ctx, runtime_name, target, stack)
            runtime.cancel(target_id, run_id)
            ctx.emit({"id": run_id, "cancelled": True}, f"cancel requested for {run_id}")

    @group.command(name="list", help="List runs.")
    @target_option
    @stack_option
    @click.pass_obj
    def list_runs(ctx: Context, target: str | None, stack: str | None) -> None:
        with aws_errors():
            runtime, target_id, _ = resolve_target(ctx, runtime_name, target, stack)
            runs = runtime.list_runs(target_id)
            if ctx.as_json:
                click.echo(json.dumps(runs))
            else:
                for run in runs:
                    click.echo(f"{run['id']}  {run['state']:<12} {run['name']}")

    add_logs_command(group, runtime_name, target_option, stack_option)
    group.add_command(release_command(runtime_name, target_option, stack_option))

    return group


@click.group(help=__doc__)
@click.option("--region", envvar="AWS_REGION", help="AWS Region.")
@click.option("--profile", envvar="AWS_PROFILE", help="AWS profile.")
@click.option("--endpoint-url", envvar="EMRCTL_ENDPOINT_URL", help="Override the AWS endpoint (tests, VPC endpoints).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error (exit 9).")
@click.pass_context
def cli(
    click_ctx: click.Context,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    as_json: bool,
    debug: bool,
) -> None:
    click_ctx.obj = Context(region, endpoint_url, profile, as_json)
    _DEBUG.append(debug)


cli.add_command(runtime_group("serverless", "an EMR Serverless application"))
cli.add_command(runtime_group("ec2", "an EMR on EC2 cluster (steps)"))
cli.add_command(runtime_group("eks", "an EMR on EKS virtual cluster"))
cli.add_command(package)
cli.add_command(doctor)


_DEBUG: list[bool] = []
"""``--debug`` once the command line is parsed (``main`` reads it after an unexpected error)."""


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: list[str] | None = None) -> None:
    """Run emrctl; every error is one line on stderr with the exit code of its kind (see ``emrctl --help``)."""
    _DEBUG.clear()
    try:
        cli.main(args=sys.argv[1:] if argv is None else argv, standalone_mode=False)
    except Failure as err:
        click.echo(f"error: {_one_line(err)}", err=True)
        sys.exit(err.code)
    except click.exceptions.Abort:
        sys.exit(EXIT_USAGE)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_USAGE)
    except Exception as err:  # botocore profile errors and the like: still one line, never a traceback
        if type(err).__module__.startswith(("botocore", "boto3")):
            click.echo(f"error: {_one_line(err)}", err=True)
            sys.exit(EXIT_AWS)
        if any(_DEBUG):
            raise
        click.echo(f"error: unexpected {type(err).__name__}: {_one_line(err)} (rerun with --debug)", err=True)
        sys.exit(EXIT_UNEXPECTED)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()

__all__ = [
    "EXIT_AWS",
    "EXIT_BAD_SPEC",
    "EXIT_CLUSTER_TERMINATED",
    "EXIT_CREDENTIALS",
    "EXIT_JOB_FAILED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_UNEXPECTED",
    "EXIT_USAGE",
    "Context",
    "Failure",
    "cli",
    "main",
    "terminated_cluster_message",
    "wait_for",
]
