"""Where a run's Spark driver wrote its logs, and reading them: per runtime, an *explainer* turns the run's own
description (state, failure reason, monitoring configuration) into a list of locations to try, and a ``Reader`` reads
the first one that exists (S3 object, gzip or plain; CloudWatch Logs stream). ``ops/logs.py`` is the command.

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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import ClientError

from emr_constructs.ops.runtimes import Ec2Runtime, EksRuntime, RunState, Runtime, ServerlessRuntime

SERVERLESS_DEFAULT_LOG_GROUP = "/aws/emr-serverless"
"""The log group EMR Serverless writes to when CloudWatch logging is enabled without a name.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html#jobs-log-storage-cw"""


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


def _denied(err: ClientError) -> bool:
    code = str(err.response.get("Error", {}).get("Code", ""))
    return code in ("AccessDenied", "AccessDeniedException", "403", "Forbidden")


def _missing(err: ClientError) -> bool:
    code = str(err.response.get("Error", {}).get("Code", ""))
    return code in ("NoSuchKey", "404", "NoSuchBucket", "ResourceNotFoundException", "NotFound")


@dataclass
class Reader:
    """Reads a location's whole log (S3 object, gzip or plain; CloudWatch Logs stream); ``None`` when absent.

    Access denied is remembered in ``denied`` and treated as absent, so the next location is tried: without
    ``s3:ListBucket`` S3 answers 403, not 404, for a key that does not exist
    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions")."""

    s3: Any
    logs: Any
    denied: list[str] = field(default_factory=list)

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
            if _denied(err):
                self.denied.append(f"{location.describe()}: {err.response.get('Error', {}).get('Code')}")
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


def explainer_for(runtime: Runtime, emr: Any, sleep: Callable[[float], None] = time.sleep) -> Explainer:
    if isinstance(runtime, ServerlessRuntime):
        return ServerlessExplainer(runtime)
    if isinstance(runtime, Ec2Runtime):
        return Ec2Explainer(runtime, emr, sleep)
    if isinstance(runtime, EksRuntime):
        return EksExplainer(runtime, emr, sleep)
    raise TypeError(f"no logs support for {type(runtime).__name__}")
