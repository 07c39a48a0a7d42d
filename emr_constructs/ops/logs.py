"""``emrctl <runtime> logs RUN``: what a run did and why, in one command.

It prints the run's state, the service's failure reason, the last lines of the Spark driver's stderr (stdout with
``--stdout``) and a Spark UI link where the service offers one. The logs are read wherever the run wrote them: the
locations come from the run's own monitoring configuration first (and, on EMR Serverless, the application's defaults;
on EMR on EC2, the step's and then the cluster's LogUri), then from ``--log-uri`` and the stack's outputs.

Where each runtime writes the driver's logs (checked against AWS's pages, cited where each layout is built):

- EMR Serverless, S3: ``<logUri>/applications/<app>/jobs/<run>/SPARK_DRIVER/stderr.gz`` (with retries enabled,
  ``.../jobs/<run>/attempts/<n>/SPARK_DRIVER/...``); CloudWatch Logs: group ``/aws/emr-serverless`` unless named,
  stream ``<prefix>/applications/<app>/jobs/<run>/SPARK_DRIVER/...``.
- EMR on EKS, S3: ``<logUri>/<vc>/jobs/<run>/containers/spark-<run>/spark-<run>-driver/stderr.gz``; CloudWatch Logs:
  stream ``<prefix>/<vc>/jobs/<run>/containers/<spark app>/<driver pod>/stderr``.
- EMR on EC2 (steps), S3: ``<LogUri><cluster>/steps/<step>/stderr.gz``, pushed about every five minutes.

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import click
from botocore.exceptions import BotoCoreError, ClientError

from emr_constructs.core.outputs import EMRCTL_READS, EksOutput, ServerlessOutput, StackOutput
from emr_constructs.ops.common import EXIT_JOB_FAILED, EXIT_TIMEOUT, Context, Failure, aws_errors, resolve_target
from emr_constructs.ops.runtimes import Ec2Runtime, EksRuntime, RunState, Runtime, ServerlessRuntime

DEFAULT_LINES = 50
SERVERLESS_DEFAULT_LOG_GROUP = "/aws/emr-serverless"
"""The log group EMR Serverless writes to when CloudWatch logging is enabled without a name.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html#jobs-log-storage-cw"""

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


# ---- where the logs are ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class S3Object:
    """One log object; ``.gz`` or plain, decided by its content."""

    uri: str

    def describe(self) -> str:
        return self.uri


@dataclass(frozen=True)
class S3Search:
    """The first object under ``prefix`` whose key ends with ``suffix`` (a driver pod name we cannot predict)."""

    prefix: str
    suffix: str

    def describe(self) -> str:
        return f"{self.prefix}*{self.suffix}"


@dataclass(frozen=True)
class LogStream:
    """The CloudWatch Logs stream in ``group`` that starts with ``prefix``, contains ``contains`` and whose last
    path segment is the log kind (``stderr``/``stdout``)."""

    group: str
    prefix: str
    kind: str
    contains: str = ""

    def describe(self) -> str:
        return f"CloudWatch Logs {self.group} {self.prefix}*{self.kind}"


Location = S3Object | S3Search | LogStream


@dataclass
class Plan:
    """What ``logs`` knows about a run before reading: its state and where its driver may have logged."""

    state: RunState
    details: str
    locations: list[Location]
    unconfigured: str | None = None
    """Set when the run's own configuration names no log destination: where its logs are instead."""


def _split_s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.replace("s3n://", "s3://").replace("s3a://", "s3://").removeprefix("s3://").partition("/")
    return bucket, key


def _join(base: str, *parts: str) -> str:
    base = base.replace("s3n://", "s3://").replace("s3a://", "s3://")
    return "/".join([base.rstrip("/"), *parts])


def _unique(locations: list[Location]) -> list[Location]:
    seen: list[Location] = []
    for location in locations:
        if location not in seen:
            seen.append(location)
    return seen


class Explainer(Protocol):
    """Per runtime: the run's state and log locations, and its Spark UI link."""

    @property
    def runtime(self) -> Runtime: ...

    def plan(self, target_id: str, run_id: str, kind: str, log_uri: str | None, log_group: str | None) -> Plan: ...
    def ui_url(self, target_id: str, run_id: str) -> str | None: ...


class ServerlessExplainer:
    def __init__(self, runtime: ServerlessRuntime) -> None:
        self.runtime = runtime
        self.client = runtime.client

    def plan(self, target_id: str, run_id: str, kind: str, log_uri: str | None, log_group: str | None) -> Plan:
        state = self.runtime.describe(target_id, run_id)
        run = self.client.get_job_run(applicationId=target_id, jobRunId=run_id)["jobRun"]
        app = self.client.get_application(applicationId=target_id)["application"]
        configs = [
            (run.get("configurationOverrides") or {}).get("monitoringConfiguration") or {},
            app.get("monitoringConfiguration") or {},
        ]
        # S3: <logUri>/applications/<app>/jobs/<run>/SPARK_DRIVER/stderr.gz; a job with retries enabled logs under
        # .../jobs/<run>/attempts/<n>/. See https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html
        # and https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/rotating-logs.html
        run_paths = [f"applications/{target_id}/jobs/{run_id}"]
        if run.get("retryPolicy") or int(run.get("attempt") or 1) > 1:
            run_paths.insert(0, f"{run_paths[0]}/attempts/{int(run.get('attempt') or 1)}")
        own: list[Location] = []
        for config in configs:
            uri = (config.get("s3MonitoringConfiguration") or {}).get("logUri")
            if uri:
                own += [S3Object(_join(uri, path, "SPARK_DRIVER", f"{kind}.gz")) for path in run_paths]
            cloudwatch = config.get("cloudWatchLoggingConfiguration") or {}
            if cloudwatch.get("enabled"):
                # Stream: <logStreamNamePrefix>/applications/<app>/jobs/<run>/<worker type>/...; group
                # /aws/emr-serverless unless named (same logging.html page, "Logging ... with Amazon CloudWatch").
                prefix = cloudwatch.get("logStreamNamePrefix") or ""
                group = cloudwatch.get("logGroupName") or SERVERLESS_DEFAULT_LOG_GROUP
                own += [LogStream(group, f"{prefix}/{path}/SPARK_DRIVER", kind) for path in run_paths]
        fallback: list[Location] = []
        if log_uri:
            fallback += [S3Object(_join(log_uri, path, "SPARK_DRIVER", f"{kind}.gz")) for path in run_paths]
        if log_group:
            fallback += [LogStream(log_group, f"/{path}/SPARK_DRIVER", kind) for path in run_paths]
        unconfigured = None
        if not own:
            unconfigured = (
                "neither the run nor its application names an S3 or CloudWatch Logs destination, so the run logged "
                "only to EMR-managed storage: open the Spark UI (pass --log-uri if it did log to S3)"
            )
        return Plan(state, state.details, _unique(own + fallback), unconfigured)

    def ui_url(self, target_id: str, run_id: str) -> str | None:
        return str(self.client.get_dashboard_for_job_run(applicationId=target_id, jobRunId=run_id)["url"])


def _persistent_app_ui(emr: Any, target_arn: str, containers_run: str | None, sleep: Callable[[float], None]) -> str:
    """A presigned Spark History Server URL through EMR's persistent application UI (CreatePersistentAppUI, then
    GetPersistentAppUIPresignedURL until it is ready)."""
    request: dict[str, Any] = {"TargetResourceArn": target_arn}
    if containers_run:
        request["EMRContainersConfig"] = {"JobRunId": containers_run}
    ui_id = emr.create_persistent_app_ui(**request)["PersistentAppUIId"]
    for attempt in range(3):
        presigned = emr.get_persistent_app_ui_presigned_url(PersistentAppUIId=ui_id, PersistentAppUIType="SHS")
        if presigned.get("PresignedURLReady") and presigned.get("PresignedURL"):
            return str(presigned["PresignedURL"])
        if attempt < 2:
            sleep(2.0)
    raise RuntimeError(f"the persistent app UI {ui_id} is not ready yet")


class Ec2Explainer:
    def __init__(self, runtime: Ec2Runtime, emr: Any, sleep: Callable[[float], None] = time.sleep) -> None:
        self.runtime = runtime
        self.client = runtime.client
        self.emr = emr
        self.sleep = sleep

    def plan(self, target_id: str, run_id: str, kind: str, log_uri: str | None, log_group: str | None) -> Plan:
        state = self.runtime.describe(target_id, run_id)
        step = self.client.describe_step(ClusterId=target_id, StepId=run_id)["Step"]
        failure = step["Status"].get("FailureDetails") or {}
        details = ": ".join(v for v in (failure.get("Reason"), failure.get("Message")) if v)
        if failure.get("LogFile"):
            details += f" (log file: {failure['LogFile']})"
        cluster_uri = self.client.describe_cluster(ClusterId=target_id)["Cluster"].get("LogUri")
        # <LogUri><cluster id>/steps/<step id>/stderr.gz. A step's own LogUri (StepMonitoringConfiguration) takes
        # precedence over the cluster's (https://docs.aws.amazon.com/emr/latest/APIReference/API_StepMonitoringConfiguration.html);
        # we assume it keeps the same layout. See https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-manage-view-web-log-files.html
        bases = [uri for uri in (step.get("LogUri"), cluster_uri, log_uri) if uri]
        locations: list[Location] = [S3Object(_join(b, target_id, "steps", run_id, f"{kind}.gz")) for b in bases]
        unconfigured = None
        if not step.get("LogUri") and not cluster_uri:
            unconfigured = (
                "neither the step nor its cluster has a LogUri, so the step's logs stay on the cluster's primary node "
                f"(/mnt/var/log/hadoop/steps/{run_id}/): open the Spark UI (pass --log-uri if they are in S3)"
            )
        return Plan(state, details or state.details, _unique(locations), unconfigured)

    def ui_url(self, target_id: str, run_id: str) -> str | None:
        arn = self.client.describe_cluster(ClusterId=target_id)["Cluster"]["ClusterArn"]
        return _persistent_app_ui(self.emr, arn, None, self.sleep)


class EksExplainer:
    def __init__(self, runtime: EksRuntime, emr: Any, sleep: Callable[[float], None] = time.sleep) -> None:
        self.runtime = runtime
        self.client = runtime.client
        self.emr = emr
        self.sleep = sleep

    def plan(self, target_id: str, run_id: str, kind: str, log_uri: str | None, log_group: str | None) -> Plan:
        state = self.runtime.describe(target_id, run_id)
        run = self.client.describe_job_run(virtualClusterId=target_id, id=run_id)["jobRun"]
        details = ": ".join(v for v in (run.get("failureReason"), run.get("stateDetails")) if v)
        monitoring = (run.get("configurationOverrides") or {}).get("monitoringConfiguration") or {}
        own_uri = (monitoring.get("s3MonitoringConfiguration") or {}).get("logUri")
        cloudwatch = monitoring.get("cloudWatchMonitoringConfiguration") or {}
        uris = [own_uri, log_uri]
        # <logUri>/<vc>/jobs/<run>/containers/spark-<run>/spark-<run>-driver/stderr.gz; the driver pod's name can
        # differ, so any .../containers/<app>/<...>-driver/stderr.gz of the run is searched next. See
        # https://aws.github.io/aws-emr-containers-best-practices/troubleshooting/docs/where-to-look-for-spark-logs/
        locations: list[Location] = []
        for uri in (u for u in uris if u):
            containers = _join(uri, target_id, "jobs", run_id, "containers")
            locations.append(S3Object(f"{containers}/spark-{run_id}/spark-{run_id}-driver/{kind}.gz"))
            locations.append(S3Search(f"{containers}/", f"-driver/{kind}.gz"))
        # CloudWatch: stream <logStreamNamePrefix>/<vc>/jobs/<run>/containers/<spark app>/<driver pod>/stderr (same
        # page).
        stream_path = f"{target_id}/jobs/{run_id}/containers/"
        if cloudwatch.get("logGroupName"):
            prefix = cloudwatch.get("logStreamNamePrefix")
            stream_prefix = f"{prefix}/{stream_path}" if prefix else stream_path
            locations.append(LogStream(cloudwatch["logGroupName"], stream_prefix, kind, "-driver"))
        if log_group:
            locations.append(LogStream(log_group, stream_path, kind, "-driver"))
        unconfigured = None
        if not own_uri and not cloudwatch.get("logGroupName"):
            unconfigured = (
                "the run names no S3 or CloudWatch Logs destination, so its logs are only in EMR-managed storage: "
                "open the Spark UI (pass --log-uri or --log-group if it did log there)"
            )
        return Plan(state, details or state.details, _unique(locations), unconfigured)

    def ui_url(self, target_id: str, run_id: str) -> str | None:
        arn = self.client.describe_virtual_cluster(id=target_id)["virtualCluster"]["arn"]
        return _persistent_app_ui(self.emr, arn, run_id, self.sleep)


# ---- reading --------------------------------------------------------------------------------------------------------


def _text(data: bytes) -> list[str]:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").splitlines()


def _missing(err: ClientError) -> bool:
    code = str(err.response.get("Error", {}).get("Code", ""))
    return code in ("NoSuchKey", "404", "NoSuchBucket", "ResourceNotFoundException", "NotFound")


@dataclass
class Reader:
    """Reads a location's whole log (S3 object, gzip or plain; CloudWatch Logs stream); ``None`` when absent."""

    s3: Any
    logs: Any

    def read(self, location: Location) -> tuple[str, list[str]] | None:
        try:
            if isinstance(location, S3Object):
                return self._object_or_plain(location.uri)
            if isinstance(location, S3Search):
                return self._search(location)
            return self._stream(location)
        except ClientError as err:
            if _missing(err):
                return None
            raise

    def _object_or_plain(self, uri: str) -> tuple[str, list[str]]:
        """``uri``, or the same key without ``.gz`` (a log copied uncompressed)."""
        try:
            return uri, self._object(uri)
        except ClientError as err:
            if not _missing(err) or not uri.endswith(".gz"):
                raise
            plain = uri.removesuffix(".gz")
            return plain, self._object(plain)

    def _object(self, uri: str) -> list[str]:
        bucket, key = _split_s3(uri)
        return _text(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())

    def _search(self, location: S3Search) -> tuple[str, list[str]] | None:
        bucket, prefix = _split_s3(location.prefix)
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                if item["Key"].endswith(location.suffix):
                    uri = f"s3://{bucket}/{item['Key']}"
                    return uri, self._object(uri)
        return None

    def _stream(self, location: LogStream) -> tuple[str, list[str]] | None:
        name = whole = None
        paginator = self.logs.get_paginator("describe_log_streams")
        for page in paginator.paginate(logGroupName=location.group, logStreamNamePrefix=location.prefix):
            for stream in page.get("logStreams", []):
                candidate = str(stream["logStreamName"])
                last = candidate.rstrip("/").rsplit("/", 1)[-1].lower().removesuffix(".gz")
                if last == location.kind and location.contains in candidate:
                    name = candidate
                    break
                if candidate.rstrip("/") == location.prefix.rstrip("/"):
                    whole = candidate  # one stream per worker type (stdout and stderr together)
            if name:
                break
        name = name or whole
        if name is None:
            return None
        lines: list[str] = []
        token: str | None = None
        while True:
            request: dict[str, Any] = {"logGroupName": location.group, "logStreamName": name, "startFromHead": True}
            if token:
                request["nextToken"] = token
            page = self.logs.get_log_events(**request)
            for event in page.get("events", []):
                lines.extend(str(event.get("message", "")).splitlines() or [""])
            if not page.get("events") or page.get("nextForwardToken") in (None, token):
                break
            token = page["nextForwardToken"]
        return f"CloudWatch Logs {location.group} {name}", lines

    def first(self, locations: list[Location]) -> tuple[Location, str, list[str]] | None:
        for location in locations:
            found = self.read(location)
            if found is not None:
                return location, found[0], found[1]
        return None


# ---- the command ----------------------------------------------------------------------------------------------------


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


def explainer_for(runtime: Runtime, emr: Any, sleep: Callable[[float], None] = time.sleep) -> Explainer:
    if isinstance(runtime, ServerlessRuntime):
        return ServerlessExplainer(runtime)
    if isinstance(runtime, Ec2Runtime):
        return Ec2Explainer(runtime, emr, sleep)
    if isinstance(runtime, EksRuntime):
        return EksExplainer(runtime, emr, sleep)
    raise TypeError(f"no logs support for {type(runtime).__name__}")


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
