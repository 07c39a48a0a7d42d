"""``emrctl <runtime> logs``: state, failure reason, the driver's log tail and the Spark UI link.

The logs themselves are read from a moto server (S3 objects, gzip and plain; CloudWatch Logs events) put at the
locations AWS documents for each runtime:

- EMR Serverless: <logUri>/applications/<app>/jobs/<run>/SPARK_DRIVER/stderr.gz; CloudWatch stream
  <prefix>/applications/<app>/jobs/<run>/SPARK_DRIVER/... in /aws/emr-serverless unless named
  (https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html,
  https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/rotating-logs.html).
- EMR on EKS: <logUri>/<vc>/jobs/<run>/containers/spark-<run>/spark-<run>-driver/stderr.gz; CloudWatch stream
  <prefix>/<vc>/jobs/<run>/containers/<spark app>/<driver pod>/stderr
  (https://aws.github.io/aws-emr-containers-best-practices/troubleshooting/docs/where-to-look-for-spark-logs/).
- EMR on EC2: <LogUri><cluster>/steps/<step>/stderr.gz
  (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-manage-view-web-log-files.html).

moto cannot make a FAILED run (Serverless runs are created SUCCESS, steps stay PENDING/RUNNING) nor implements
GetDashboardForJobRun or the persistent app UI calls: for those the runtime's client is botocore's Stubber, while the
log reading still goes to the moto server.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from emr_constructs.ops.common import EXIT_JOB_FAILED, EXIT_TIMEOUT, RETRIES, Context, Failure
from emr_constructs.ops.log_locations import Ec2Explainer, EksExplainer, Reader, ServerlessExplainer
from emr_constructs.ops.logs import LogsOptions, explain, show_logs
from emr_constructs.ops.runtimes import Ec2Runtime, EksRuntime, ServerlessRuntime
from tests.ops.conftest import REGION, Result

BUCKET = "emrctl-logs-test"
APP, RUN = "00f6b0eou5biqd0l", "00f6b25bek7v3f0l"
VC, EKS_RUN = "vc0123456789abcdefghijklm", "00000003a1b2c3d4e5f"
CLUSTER, STEP = "j-2AXXXXXXGAPLF", "s-1234567890ABC"
NOW = datetime(2026, 12, 4, tzinfo=UTC)
TRACE = [f"line {i}" for i in range(1, 80)] + ["Traceback (most recent call last):", "ModuleNotFoundError: No module"]


def _stubbed(service: str) -> Any:
    return boto3.client(service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x", config=RETRIES)


@pytest.fixture(scope="module")
def s3(client: Callable[[str], Any]) -> Any:
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


@pytest.fixture(scope="module")
def reader(client: Callable[[str], Any], s3: Any) -> Reader:
    return Reader(s3, client("logs"))


def put(s3: Any, uri: str, lines: list[str], *, gz: bool = True) -> None:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    body = "\n".join(lines).encode() + b"\n"
    s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(body) if gz else body)


def put_events(logs: Any, group: str, stream: str, lines: list[str]) -> None:
    try:
        logs.create_log_group(logGroupName=group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    start = int(NOW.timestamp() * 1000)
    events = [{"timestamp": start + i, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)


def serverless_run(
    state: str, monitoring: dict[str, Any] | None = None, details: str = "Job is running."
) -> dict[str, Any]:
    run: dict[str, Any] = {
        "applicationId": APP,
        "jobRunId": RUN,
        "arn": f"arn:aws:emr-serverless:{REGION}:123456789012:/applications/{APP}/jobruns/{RUN}",
        "createdBy": "arn:aws:iam::123456789012:user/me",
        "createdAt": NOW,
        "updatedAt": NOW,
        "executionRole": "arn:aws:iam::123456789012:role/JobRole",
        "state": state,
        "releaseLabel": "emr-7.10.0",
        "jobDriver": {"sparkSubmit": {"entryPoint": "s3://my-data/scripts/job.py"}},
    }
    run["stateDetails"] = details  # required, at least one character
    if monitoring is not None:
        run["configurationOverrides"] = {"monitoringConfiguration": monitoring}
    return {"jobRun": run}


def serverless_app(monitoring: dict[str, Any] | None = None) -> dict[str, Any]:
    app: dict[str, Any] = {
        "applicationId": APP,
        "arn": f"arn:aws:emr-serverless:{REGION}:123456789012:/applications/{APP}",
        "releaseLabel": "emr-7.10.0",
        "type": "SPARK",
        "state": "STARTED",
        "createdAt": NOW,
        "updatedAt": NOW,
    }
    if monitoring:
        app["monitoringConfiguration"] = monitoring
    return {"application": app}


def expect_serverless_plan(stub: Stubber, state: str, run_monitoring: Any, app_monitoring: Any = None) -> None:
    ids = {"applicationId": APP, "jobRunId": RUN}
    details = "Job failed, please check complete logs in configured logging destination."
    details = details if state == "FAILED" else "Job is running."
    for _ in range(2):  # describe (state) and plan (configuration)
        stub.add_response("get_job_run", serverless_run(state, run_monitoring, details), ids)
    stub.add_response("get_application", serverless_app(app_monitoring), {"applicationId": APP})


@pytest.fixture
def serverless() -> Iterator[tuple[ServerlessExplainer, Stubber]]:
    client = _stubbed("emr-serverless")
    with Stubber(client) as stub:
        yield ServerlessExplainer(ServerlessRuntime(client)), stub
        stub.assert_no_pending_responses()


def _no_warning(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


# ---- EMR Serverless ---------------------------------------------------------------------------------------------------


def test_serverless_failed_run_prints_the_stderr_tail_from_s3_gzip_and_the_dashboard(
    serverless: tuple[ServerlessExplainer, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/serverless/"
    put(s3, f"{log_uri}applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr.gz", TRACE)
    expect_serverless_plan(stub, "FAILED", {"s3MonitoringConfiguration": {"logUri": log_uri}})
    stub.add_response(
        "get_dashboard_for_job_run",
        {"url": "https://p-abc.emrappui-prod.us-east-1.amazonaws.com/shs"},
        {"applicationId": APP, "jobRunId": RUN},
    )
    result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(lines=2), _no_warning)
    assert result.state == "FAILED"
    assert result.details.startswith("Job failed")
    assert result.lines == TRACE[-2:]
    assert result.source == f"{log_uri}applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr.gz"
    assert result.ui_url == "https://p-abc.emrappui-prod.us-east-1.amazonaws.com/shs"


def test_serverless_stdout_and_the_applications_default_s3_location(
    serverless: tuple[ServerlessExplainer, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/app-default"
    put(s3, f"{log_uri}/applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stdout.gz", ["rows: 42"])
    expect_serverless_plan(stub, "FAILED", {}, {"s3MonitoringConfiguration": {"logUri": log_uri}})
    options = LogsOptions(kind="stdout", ui=False)
    result, *_ = explain("serverless", explainer, reader, APP, RUN, options, _no_warning)
    assert result.lines == ["rows: 42"]


def test_serverless_cloudwatch_stream_with_prefix(
    serverless: tuple[ServerlessExplainer, Stubber], client: Callable[[str], Any], reader: Reader
) -> None:
    explainer, stub = serverless
    group, prefix = "/emr/serverless-jobs", "nightly"
    put_events(client("logs"), group, f"{prefix}/applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stdout", ["out"])
    put_events(client("logs"), group, f"{prefix}/applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr", TRACE)
    cloudwatch = {"enabled": True, "logGroupName": group, "logStreamNamePrefix": prefix}
    expect_serverless_plan(stub, "FAILED", {"cloudWatchLoggingConfiguration": cloudwatch})
    result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(lines=3, ui=False), _no_warning)
    assert result.lines == TRACE[-3:]
    assert result.source == f"CloudWatch Logs {group} {prefix}/applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr"


def test_serverless_managed_storage_only_says_so(
    serverless: tuple[ServerlessExplainer, Stubber], reader: Reader
) -> None:
    explainer, stub = serverless
    expect_serverless_plan(stub, "FAILED", {"managedPersistenceMonitoringConfiguration": {"enabled": True}})
    result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(ui=False), _no_warning)
    assert result.lines == [] and result.source is None
    assert "EMR-managed storage" in result.notes[0]


def test_serverless_run_without_a_destination_is_managed_storage_even_with_a_stack_fallback(
    serverless: tuple[ServerlessExplainer, Stubber], reader: Reader
) -> None:
    explainer, stub = serverless
    expect_serverless_plan(stub, "FAILED", {})
    options = LogsOptions(ui=False, log_uri=f"s3://{BUCKET}/stack-fallback/")
    result, *_ = explain("serverless", explainer, reader, APP, RUN, options, _no_warning)
    assert "EMR-managed storage" in result.notes[0]
    assert f"also looked at s3://{BUCKET}/stack-fallback/applications/{APP}" in result.notes[0]


def test_serverless_job_with_retries_logs_under_its_attempt(
    serverless: tuple[ServerlessExplainer, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/retries"
    put(s3, f"{log_uri}/applications/{APP}/jobs/{RUN}/attempts/2/SPARK_DRIVER/stderr.gz", ["second attempt"])
    run = serverless_run("FAILED", {"s3MonitoringConfiguration": {"logUri": log_uri}}, "failed")
    run["jobRun"].update(attempt=2, retryPolicy={"maxAttempts": 2})
    ids = {"applicationId": APP, "jobRunId": RUN}
    stub.add_response("get_job_run", run, ids)
    stub.add_response("get_job_run", run, ids)
    stub.add_response("get_application", serverless_app(), {"applicationId": APP})
    result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(ui=False), _no_warning)
    assert result.lines == ["second attempt"]


def test_serverless_no_logs_yet_names_where_it_looked(
    serverless: tuple[ServerlessExplainer, Stubber], reader: Reader
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/not-yet/"
    expect_serverless_plan(stub, "RUNNING", {"s3MonitoringConfiguration": {"logUri": log_uri}})
    result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(ui=False), _no_warning)
    assert result.source is None
    assert f"{log_uri}applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr.gz" in result.notes[0]
    assert "every 15 seconds" in result.notes[0]


def test_serverless_follow_prints_lines_appended_while_running_then_stops_at_failed(
    serverless: tuple[ServerlessExplainer, Stubber],
    s3: Any,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/follow/"
    key = f"{log_uri}applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr.gz"
    written = ["starting"]
    put(s3, key, written)
    expect_serverless_plan(stub, "RUNNING", {"s3MonitoringConfiguration": {"logUri": log_uri}})
    ids = {"applicationId": APP, "jobRunId": RUN}
    for state in ("RUNNING", "RUNNING", "FAILED"):
        stub.add_response(
            "get_job_run", serverless_run(state, details="boom" if state == "FAILED" else "Job is running."), ids
        )
    batches = iter([["stage 1"], [], ["stage 2", "Error: boom"]])

    def sleep(_seconds: float) -> None:  # the run writes more while we wait
        written.extend(next(batches))
        put(s3, key, written)

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    ctx = Context(REGION, moto_endpoint, None, as_json=False)
    with pytest.raises(Failure) as failed:
        show_logs(
            ctx,
            "serverless",
            explainer.runtime,
            APP,
            RUN,
            {},
            LogsOptions(ui=False),
            follow=True,
            interval=0,
            sleep=sleep,
        )
    assert failed.value.code == EXIT_JOB_FAILED
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{RUN} RUNNING"
    assert out[out.index("starting") :] == [
        "starting",
        "---",
        "stage 1",
        "stage 2",
        "Error: boom",
        f"{RUN} FAILED: boom",
    ]


# ---- EMR on EKS -------------------------------------------------------------------------------------------------------


def eks_run(state: str, monitoring: dict[str, Any]) -> dict[str, Any]:
    return {
        "jobRun": {
            "id": EKS_RUN,
            "name": "pi",
            "virtualClusterId": VC,
            "arn": f"arn:aws:emr-containers:{REGION}:123456789012:/virtualclusters/{VC}/jobruns/{EKS_RUN}",
            "state": state,
            "stateDetails": "Jobrun failed. Main Spark container terminated with errors.",
            "failureReason": "USER_ERROR",
            "releaseLabel": "emr-7.10.0-latest",
            "configurationOverrides": {"monitoringConfiguration": monitoring},
        }
    }


@pytest.fixture
def eks() -> Iterator[tuple[EksExplainer, Stubber, Stubber]]:
    containers, emr = _stubbed("emr-containers"), _stubbed("emr")
    with Stubber(containers) as stub, Stubber(emr) as emr_stub:
        yield EksExplainer(EksRuntime(containers), emr, sleep=lambda _s: None), stub, emr_stub
        stub.assert_no_pending_responses()
        emr_stub.assert_no_pending_responses()


def expect_eks_plan(stub: Stubber, monitoring: dict[str, Any]) -> None:
    for _ in range(2):
        stub.add_response("describe_job_run", eks_run("FAILED", monitoring), {"virtualClusterId": VC, "id": EKS_RUN})


def test_eks_failed_run_prints_the_stderr_tail_and_a_persistent_app_ui_link(
    eks: tuple[EksExplainer, Stubber, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub, emr_stub = eks
    log_uri = f"s3://{BUCKET}/eks"
    key = f"{log_uri}/{VC}/jobs/{EKS_RUN}/containers/spark-{EKS_RUN}/spark-{EKS_RUN}-driver/stderr.gz"
    put(s3, key, TRACE)
    expect_eks_plan(stub, {"s3MonitoringConfiguration": {"logUri": log_uri}, "persistentAppUI": "ENABLED"})
    vc_arn = f"arn:aws:emr-containers:{REGION}:123456789012:/virtualclusters/{VC}"
    stub.add_response(
        "describe_virtual_cluster",
        {"virtualCluster": {"id": VC, "name": "analytics", "arn": vc_arn, "state": "RUNNING"}},
        {"id": VC},
    )
    emr_stub.add_response(
        "create_persistent_app_ui",
        {"PersistentAppUIId": "px-1"},
        {"TargetResourceArn": vc_arn, "EMRContainersConfig": {"JobRunId": EKS_RUN}},
    )
    emr_stub.add_response(
        "get_persistent_app_ui_presigned_url",
        {"PresignedURLReady": False},
        {"PersistentAppUIId": "px-1", "PersistentAppUIType": "SHS"},
    )
    emr_stub.add_response(
        "get_persistent_app_ui_presigned_url",
        {"PresignedURLReady": True, "PresignedURL": "https://px-1.emrappui-prod.us-east-1.amazonaws.com/shs"},
        {"PersistentAppUIId": "px-1", "PersistentAppUIType": "SHS"},
    )
    result, *_ = explain("eks", explainer, reader, VC, EKS_RUN, LogsOptions(lines=2), _no_warning)
    assert result.state == "FAILED"
    assert result.details == "USER_ERROR: Jobrun failed. Main Spark container terminated with errors."
    assert result.lines == TRACE[-2:] and result.source == key
    assert result.ui_url == "https://px-1.emrappui-prod.us-east-1.amazonaws.com/shs"


def test_eks_driver_pod_with_another_name_is_found_under_the_runs_containers(
    eks: tuple[EksExplainer, Stubber, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub, _ = eks
    log_uri = f"s3://{BUCKET}/eks-named"
    containers = f"{log_uri}/{VC}/jobs/{EKS_RUN}/containers/spark-0a1b2c"
    put(s3, f"{containers}/pi-0a1b2c-exec-1/stderr.gz", ["executor"])
    put(s3, f"{containers}/pi-0a1b2c-driver/stderr.gz", ["driver said this"])
    expect_eks_plan(stub, {"s3MonitoringConfiguration": {"logUri": log_uri}})
    result, *_ = explain("eks", explainer, reader, VC, EKS_RUN, LogsOptions(ui=False), _no_warning)
    assert result.lines == ["driver said this"]


def test_eks_cloudwatch_stream(
    eks: tuple[EksExplainer, Stubber, Stubber], client: Callable[[str], Any], reader: Reader
) -> None:
    explainer, stub, _ = eks
    group, prefix = "/emr-containers/jobs", "demo"
    base = f"{prefix}/{VC}/jobs/{EKS_RUN}/containers/spark-{EKS_RUN}"
    put_events(client("logs"), group, f"{base}/spark-{EKS_RUN}-exec-1/stderr", ["executor"])
    put_events(client("logs"), group, f"{base}/spark-{EKS_RUN}-driver/stderr", TRACE)
    expect_eks_plan(stub, {"cloudWatchMonitoringConfiguration": {"logGroupName": group, "logStreamNamePrefix": prefix}})
    result, *_ = explain("eks", explainer, reader, VC, EKS_RUN, LogsOptions(lines=1, ui=False), _no_warning)
    assert result.lines == TRACE[-1:]
    assert result.source == f"CloudWatch Logs {group} {base}/spark-{EKS_RUN}-driver/stderr"


# ---- EMR on EC2 -------------------------------------------------------------------------------------------------------


def failed_step() -> dict[str, Any]:
    return {
        "Step": {
            "Id": STEP,
            "Name": "health-violations",
            "Status": {
                "State": "FAILED",
                "FailureDetails": {
                    "Reason": "Unknown Error.",
                    "Message": "ModuleNotFoundError: No module named 'requests'",
                    "LogFile": f"s3://{BUCKET}/emr/{CLUSTER}/steps/{STEP}/stderr.gz",
                },
            },
        }
    }


@pytest.fixture
def ec2() -> Iterator[tuple[Ec2Explainer, Stubber]]:
    emr = _stubbed("emr")
    with Stubber(emr) as stub:
        yield Ec2Explainer(Ec2Runtime(emr), emr, sleep=lambda _s: None), stub
        stub.assert_no_pending_responses()


def expect_ec2_plan(stub: Stubber) -> None:
    ids = {"ClusterId": CLUSTER, "StepId": STEP}
    for _ in range(2):
        stub.add_response("describe_step", failed_step(), ids)
    cluster = {
        "Cluster": {
            "Id": CLUSTER,
            "LogUri": f"s3n://{BUCKET}/emr/",
            "ClusterArn": f"arn:aws:elasticmapreduce:{REGION}:123456789012:cluster/{CLUSTER}",
        }
    }
    stub.add_response("describe_cluster", cluster, {"ClusterId": CLUSTER})
    return None


def test_ec2_failed_step_prints_failure_details_the_stderr_tail_and_the_ui_link(
    ec2: tuple[Ec2Explainer, Stubber], s3: Any, reader: Reader
) -> None:
    explainer, stub = ec2
    put(s3, f"s3://{BUCKET}/emr/{CLUSTER}/steps/{STEP}/stderr.gz", TRACE)
    expect_ec2_plan(stub)
    arn = f"arn:aws:elasticmapreduce:{REGION}:123456789012:cluster/{CLUSTER}"
    stub.add_response("describe_cluster", {"Cluster": {"Id": CLUSTER, "ClusterArn": arn}}, {"ClusterId": CLUSTER})
    stub.add_response("create_persistent_app_ui", {"PersistentAppUIId": "px-2"}, {"TargetResourceArn": arn})
    stub.add_response(
        "get_persistent_app_ui_presigned_url",
        {"PresignedURLReady": True, "PresignedURL": "https://px-2.emrappui-prod.us-east-1.amazonaws.com/shs"},
        {"PersistentAppUIId": "px-2", "PersistentAppUIType": "SHS"},
    )
    result, *_ = explain("ec2", explainer, reader, CLUSTER, STEP, LogsOptions(lines=2), _no_warning)
    assert result.state == "FAILED"
    assert result.details == (
        "Unknown Error.: ModuleNotFoundError: No module named 'requests' "
        f"(log file: s3://{BUCKET}/emr/{CLUSTER}/steps/{STEP}/stderr.gz)"
    )
    assert result.lines == TRACE[-2:]
    assert result.ui_url == "https://px-2.emrappui-prod.us-east-1.amazonaws.com/shs"


def test_ec2_a_failing_ui_call_is_a_warning(ec2: tuple[Ec2Explainer, Stubber], reader: Reader) -> None:
    explainer, stub = ec2
    expect_ec2_plan(stub)
    stub.add_client_error("describe_cluster", "AccessDeniedException", "not authorized to DescribeCluster")
    warnings: list[str] = []
    result, *_ = explain("ec2", explainer, reader, CLUSTER, STEP, LogsOptions(), warnings.append)
    assert result.ui_url is None
    assert warnings and "no Spark UI link" in warnings[0] and "not authorized" in warnings[0]


def test_ec2_cluster_without_log_uri_says_the_logs_stay_on_the_primary_node(
    ec2: tuple[Ec2Explainer, Stubber], reader: Reader
) -> None:
    explainer, stub = ec2
    ids = {"ClusterId": CLUSTER, "StepId": STEP}
    for _ in range(2):
        stub.add_response("describe_step", failed_step(), ids)
    stub.add_response("describe_cluster", {"Cluster": {"Id": CLUSTER}}, {"ClusterId": CLUSTER})
    result, *_ = explain("ec2", explainer, reader, CLUSTER, STEP, LogsOptions(ui=False), _no_warning)
    assert result.source is None
    assert f"primary node (/mnt/var/log/hadoop/steps/{STEP}/)" in result.notes[0]


# ---- the CLI against moto (states moto can produce) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def step(client: Callable[[str], Any], world: dict[str, str]) -> str:
    emr = client("emr")
    step = {
        "Name": "logs",
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["ls"]},
    }
    return str(emr.add_job_flow_steps(JobFlowId=world["cluster_id"], Steps=[step])["StepIds"][0])


@pytest.fixture
def my_logs(client: Callable[[str], Any]) -> str:
    """The bucket the world's cluster and runs log to; each test that reads it asks for it (test order is free)."""
    s3 = client("s3")
    if "my-logs" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket="my-logs")
    return "my-logs"


def test_cli_ec2_step_stderr_tail_from_the_clusters_log_uri(
    emrctl: Callable[..., Result], world: dict[str, str], client: Callable[[str], Any], step: str, my_logs: str
) -> None:
    s3 = client("s3")
    put(s3, f"s3://my-logs/emr/{world['cluster_id']}/steps/{step}/stderr.gz", TRACE)
    result = emrctl("ec2", "logs", "--target", world["cluster_id"], step, "--lines", "2")
    assert result.code == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0].startswith(step) and out[-3:-1] == TRACE[-2:]
    assert f"s3://my-logs/emr/{world['cluster_id']}/steps/{step}/stderr.gz" in result.stdout
    assert "warning: no Spark UI link" in result.stderr  # moto has no persistent app UI: a warning, exit 0


def test_cli_ec2_stdout_plain_object_as_json(
    emrctl: Callable[..., Result], world: dict[str, str], client: Callable[[str], Any], step: str, my_logs: str
) -> None:
    put(client("s3"), f"s3://my-logs/emr/{world['cluster_id']}/steps/{step}/stdout", ["plain", "text"], gz=False)
    result = emrctl("--json", "ec2", "logs", "--target", world["cluster_id"], step, "--stdout", "--no-ui")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["lines"] == ["plain", "text"]
    assert data["source"] == f"s3://my-logs/emr/{world['cluster_id']}/steps/{step}/stdout"
    assert set(data) >= {"state", "details", "source", "lines", "ui_url"} and data["ui_url"] is None


def test_cli_ec2_no_logs_yet_says_steps_push_every_five_minutes(
    emrctl: Callable[..., Result], world: dict[str, str], client: Callable[[str], Any]
) -> None:
    emr = client("emr")
    spec = {
        "Name": "new",
        "ActionOnFailure": "CONTINUE",
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["ls"]},
    }
    new = emr.add_job_flow_steps(JobFlowId=world["cluster_id"], Steps=[spec])["StepIds"][0]
    result = emrctl("ec2", "logs", "--target", world["cluster_id"], new, "--no-ui")
    assert result.code == 0, result.stderr
    assert "no driver stderr yet" in result.stdout and "about every five minutes" in result.stdout


def test_cli_serverless_run_logs_from_its_own_log_uri(
    emrctl: Callable[..., Result], world: dict[str, str], client: Callable[[str], Any], my_logs: str
) -> None:
    run_id = client("emr-serverless").start_job_run(
        applicationId=world["app_id"],
        executionRoleArn=world["role_arn"],
        jobDriver={"sparkSubmit": {"entryPoint": "s3://my-data/scripts/wordcount.py"}},
        configurationOverrides={
            "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": "s3://my-logs/own/"}}
        },
    )["jobRunId"]
    put(client("s3"), f"s3://my-logs/own/applications/{world['app_id']}/jobs/{run_id}/SPARK_DRIVER/stderr.gz", TRACE)
    result = emrctl("--json", "serverless", "logs", "--stack", "Emr-default-Serverless", run_id, "-n", "1")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["state"] == "SUCCESS" and data["lines"] == TRACE[-1:]
    assert data["source"].startswith("s3://my-logs/own/")  # the run's own location wins over the stack's LogUri
    assert "warning: no Spark UI link" in result.stderr


def test_access_denied_is_a_note_and_the_next_location_is_tried(
    serverless: tuple[ServerlessExplainer, Stubber], client: Callable[[str], Any]
) -> None:
    explainer, stub = serverless
    s3 = _stubbed("s3")
    reader = Reader(s3, client("logs"))
    own = f"s3://{BUCKET}/denied/"
    expect_serverless_plan(stub, "FAILED", {"s3MonitoringConfiguration": {"logUri": own}})
    with Stubber(s3) as s3_stub:
        key = f"denied/applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stderr.gz"
        s3_stub.add_client_error("get_object", "AccessDenied", "Access Denied", 403, {"Bucket": BUCKET, "Key": key})
        result, *_ = explain("serverless", explainer, reader, APP, RUN, LogsOptions(ui=False), _no_warning)
        s3_stub.assert_no_pending_responses()
    assert result.source is None
    assert f"access denied reading s3://{BUCKET}/{key}: AccessDenied" in result.notes[-1]
    assert "s3:ListBucket" in result.notes[-1]


def test_follow_as_json_emits_one_object_with_the_appended_lines(
    serverless: tuple[ServerlessExplainer, Stubber],
    s3: Any,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    explainer, stub = serverless
    log_uri = f"s3://{BUCKET}/follow-json/"
    key = f"{log_uri}applications/{APP}/jobs/{RUN}/SPARK_DRIVER/stdout.gz"
    put(s3, key, ["one"])
    expect_serverless_plan(stub, "RUNNING", {"s3MonitoringConfiguration": {"logUri": log_uri}})
    stub.add_response("get_job_run", serverless_run("SUCCESS"), {"applicationId": APP, "jobRunId": RUN})

    def sleep(_seconds: float) -> None:
        put(s3, key, ["one", "two"])

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    ctx = Context(REGION, moto_endpoint, None, as_json=True)
    options = LogsOptions(kind="stdout", ui=False)
    show_logs(ctx, "serverless", explainer.runtime, APP, RUN, {}, options, follow=True, interval=0, sleep=sleep)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    data = json.loads(out[0])
    assert data["state"] == "SUCCESS" and data["lines"] == ["one", "two"] and data["source"] == key


def test_follow_times_out_with_exit_5(
    serverless: tuple[ServerlessExplainer, Stubber], moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    explainer, stub = serverless
    expect_serverless_plan(stub, "RUNNING", {"s3MonitoringConfiguration": {"logUri": f"s3://{BUCKET}/slow/"}})
    stub.add_response("get_job_run", serverless_run("RUNNING"), {"applicationId": APP, "jobRunId": RUN})
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    ctx = Context(REGION, moto_endpoint, None, as_json=True)
    with pytest.raises(Failure) as timed_out:
        show_logs(
            ctx,
            "serverless",
            explainer.runtime,
            APP,
            RUN,
            {},
            LogsOptions(ui=False),
            follow=True,
            interval=0,
            timeout=0.5,
            sleep=lambda _s: time.sleep(0.6),
        )
    assert timed_out.value.code == EXIT_TIMEOUT and "still RUNNING" in str(timed_out.value)
