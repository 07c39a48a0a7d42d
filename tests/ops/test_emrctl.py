"""emrctl as a subprocess against a moto server: the two flows that started the project, lookups, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.ops.conftest import Result

WORDCOUNT_CONF = [
    "spark.executor.cores=1",
    "spark.executor.memory=4g",
    "spark.driver.cores=1",
    "spark.driver.memory=4g",
    "spark.executor.instances=1",
]


def test_serverless_wordcount_by_application_and_role_name(emrctl: Callable[..., Result], world: dict) -> None:
    args = [
        "--json",
        "serverless",
        "submit",
        "--target",
        "My_First_Application",
        "--role",
        "EMRServerlessS3RuntimeRole",
        "--name",
        "wordcount",
        "--entry-point",
        "s3://my-data/scripts/wordcount.py",
        "--arg",
        "s3://my-data/output/",
        "--log-uri",
        "s3://my-logs/jobs/",
        "--wait",
        "--interval",
        "0.2",
    ]
    for conf in WORDCOUNT_CONF:
        args += ["--conf", conf]
    result = emrctl(*args)
    assert result.code == 0, result.stderr
    assert result.json()["state"] == "SUCCESS"
    submitted = json.loads(result.stdout.splitlines()[0])
    assert submitted["target"] == world["app_id"]


def test_serverless_from_stack_outputs_and_logs(emrctl: Callable[..., Result], world: dict) -> None:
    spec = {"name": "from-stack", "entry_point": "s3://my-data/scripts/wordcount.py", "executor_memory": "4g"}
    path = Path(__file__).with_name("_spec.json")
    path.write_text(json.dumps(spec))
    try:
        submitted = emrctl("--json", "serverless", "submit", "--stack", "Emr-default-Serverless", "--spec", str(path))
    finally:
        path.unlink()
    assert submitted.code == 0, submitted.stderr
    run_id = submitted.json()["id"]
    status = emrctl("--json", "serverless", "status", "--stack", "Emr-default-Serverless", run_id)
    assert status.code == 0 and status.json()["state"] in ("SUBMITTED", "SCHEDULED", "RUNNING", "SUCCESS")
    logs = emrctl("--json", "serverless", "logs", "--stack", "Emr-default-Serverless", run_id, "--no-ui")
    assert logs.code == 0, logs.stderr
    assert (  # nothing written there: the note names the stack's LogUri layout (tests/ops/test_logs.py reads logs)
        f"s3://my-logs/emr-serverless-logs/applications/{world['app_id']}/jobs/{run_id}/SPARK_DRIVER/stderr.gz"
        in logs.json()["notes"][0]
    )
    listed = emrctl("--json", "serverless", "list", "--target", world["app_id"])
    assert run_id in [r["id"] for r in listed.json()]


def test_ec2_step_on_a_waiting_cluster_found_by_name(emrctl: Callable[..., Result], world: dict) -> None:
    result = emrctl(
        "--json",
        "ec2",
        "submit",
        "--target",
        "restaurants",
        "--name",
        "health-violations",
        "--entry-point",
        "s3://my-data/scripts/health_violations.py",
        "--arg",
        "--data_source",
        "--arg",
        "s3://my-data/restaurants/food_establishment_data.csv",
        "--arg",
        "--output_uri",
        "--arg",
        "s3://my-data/results/",
        "--action-on-failure",
        "CONTINUE",
    )
    assert result.code == 0, result.stderr
    step_id = result.json()["id"]
    status = emrctl("--json", "ec2", "status", "--target", world["cluster_id"], step_id)
    assert status.json()["state"] in ("PENDING", "RUNNING")
    logs = emrctl("ec2", "logs", "--target", world["cluster_id"], step_id, "--stdout", "--no-ui")
    assert logs.code == 0, logs.stderr
    assert f"s3://my-logs/emr/{world['cluster_id']}/steps/{step_id}/stdout.gz" in logs.stdout
    listed = emrctl("--json", "ec2", "list", "--target", world["cluster_id"])
    assert step_id in [s["id"] for s in listed.json()]


def test_eks_submit_and_cancel(emrctl: Callable[..., Result], world: dict) -> None:
    submitted = emrctl(
        "--json",
        "eks",
        "submit",
        "--target",
        "analytics",
        "--name",
        "pi",
        "--role",
        world["role_arn"],
        "--entry-point",
        "s3://my-data/scripts/pi.py",
    )
    assert submitted.code == 0, submitted.stderr
    run_id = submitted.json()["id"]
    cancelled = emrctl("--json", "eks", "cancel", "--target", world["vc_id"], run_id)
    assert cancelled.code == 0, cancelled.stderr
    state = emrctl("--json", "eks", "status", "--target", world["vc_id"], run_id).json()["state"]
    assert state in ("CANCEL_PENDING", "CANCELLED")


def test_unknown_application_is_exit_3_with_one_line(emrctl: Callable[..., Result], world: dict) -> None:
    result = emrctl("serverless", "status", "--target", "no-such-app", "00f6b0eou5biqd0l")
    assert result.code == 3
    assert result.stderr.strip() == "error: EMR Serverless application 'no-such-app' not found"
    assert "Traceback" not in result.stderr


def test_unknown_role_is_exit_3(emrctl: Callable[..., Result], world: dict) -> None:
    result = emrctl(
        "serverless",
        "submit",
        "--target",
        world["app_id"],
        "--role",
        "NoSuchRole",
        "--name",
        "x",
        "--entry-point",
        "s3://bkt/x.py",
    )
    assert result.code == 3 and "IAM role 'NoSuchRole' not found" in result.stderr


def test_invalid_job_is_a_usage_error(emrctl: Callable[..., Result], world: dict) -> None:
    result = emrctl(
        "serverless",
        "submit",
        "--target",
        world["app_id"],
        "--role",
        world["role_arn"],
        "--name",
        "x",
        "--entry-point",
        "/local/x.py",
    )
    assert result.code == 2 and "entry_point: got '/local/x.py'; must be an s3:// URI" in result.stderr


def test_missing_credentials_is_exit_6(emrctl: Callable[..., Result], aws_env: dict[str, str], tmp_path: Path) -> None:
    env = {k: v for k, v in aws_env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    env.update(
        {
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    result = emrctl("serverless", "list", "--target", "00f6b0eou5biqd0l", env=env)
    assert result.code == 6 and result.stderr.strip().startswith("error: no AWS credentials found")


def test_cli_never_imports_aws_cdk_or_jsii() -> None:
    import subprocess
    import sys

    code = "import sys, emr_constructs.ops.cli; print(sorted(m for m in ('aws_cdk', 'jsii') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_lists_the_three_runtimes(emrctl: Callable[..., Result]) -> None:
    result = emrctl("--help")
    assert result.code == 0
    for group in ("serverless", "ec2", "eks"):
        assert group in result.stdout
    assert "Exit codes: 0 success 1 the job failed or was cancelled; doctor: a check failed 2 usage error" in " ".join(
        result.stdout.split()
    )
