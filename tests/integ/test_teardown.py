"""The ``make integ`` driver without an AWS account: its teardown against a moto server on 127.0.0.1 (versioned
buckets with several versions and delete markers, retained resources), the order of its steps with an injected
command runner (teardown also after a failed step), and its refusal without credentials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import boto3
import pytest

from tests.conftest import ROOT
from tests.integ import run
from tests.integ.names import integ_stack_names
from tests.ops.conftest import REGION, moto_endpoint  # noqa: F401  (the session's moto server fixture)

STACKS = integ_stack_names("serverless")


@pytest.fixture
def session(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> boto3.session.Session:  # noqa: F811
    """A boto3 session whose clients all reach the moto server (AWS_ENDPOINT_URL, read by botocore)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def _versions(session: boto3.session.Session, bucket: str) -> int:
    listed = session.client("s3").list_object_versions(Bucket=bucket)
    return len(listed.get("Versions", [])) + len(listed.get("DeleteMarkers", []))


def _buckets(session: boto3.session.Session) -> set[str]:
    return {b["Name"] for b in session.client("s3").list_buckets()["Buckets"]}


@pytest.fixture
def deployed(session: boto3.session.Session) -> Iterator[dict[str, Any]]:
    """The runtime stack in moto: a versioned data bucket holding 3 versions of one key and 2 of another, each key
    deleted (a delete marker over its versions), a retained bucket holding the same, and a retained log group."""
    template = {
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"},
            "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Retain",
                "Properties": {"LogGroupName": "/integ/kept"},
            },
        }
    }
    cloudformation, s3 = session.client("cloudformation"), session.client("s3")
    cloudformation.create_stack(StackName=STACKS["runtime"], TemplateBody=json.dumps(template))
    resources = cloudformation.describe_stack_resources(StackName=STACKS["runtime"])["StackResources"]
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    for bucket in (ids["Data"], ids["Kept"]):
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        for body in (b"one", b"two", b"three"):
            s3.put_object(Bucket=bucket, Key="curated/integ/wordcount/deploy/part-00000.csv", Body=body)
        for body in (b"a", b"b"):
            s3.put_object(Bucket=bucket, Key="raw/integ/wordcount/words.txt", Body=body)
        for key in ("raw/integ/wordcount/words.txt", "curated/integ/wordcount/deploy/part-00000.csv"):
            s3.delete_object(Bucket=bucket, Key=key)  # a delete marker over the key's versions
    yield ids
    # Leave the shared moto server as found: moto cannot delete a stack whose bucket is already gone.
    leftovers = run.stack_resources(session, [STACKS["runtime"]])
    if leftovers.buckets:
        for bucket in set(leftovers.buckets) - _buckets(session):
            s3.create_bucket(Bucket=bucket)
        cloudformation.delete_stack(StackName=STACKS["runtime"])
    run.delete_leftovers(session, leftovers)


def test_the_fixture_holds_versions_and_delete_markers(
    session: boto3.session.Session, deployed: dict[str, Any]
) -> None:
    listed = session.client("s3").list_object_versions(Bucket=deployed["Data"])
    assert len(listed["Versions"]) == 5 and len(listed["DeleteMarkers"]) == 2
    assert session.client("s3").list_objects_v2(Bucket=deployed["Data"])["KeyCount"] == 0  # yet not empty


def test_empty_bucket_deletes_every_version_and_delete_marker(
    session: boto3.session.Session, deployed: dict[str, Any]
) -> None:
    assert run.empty_bucket(session, deployed["Data"]) == 7
    assert _versions(session, deployed["Data"]) == 0
    session.client("s3").delete_bucket(Bucket=deployed["Data"])  # succeeds only on an empty bucket
    assert run.empty_bucket(session, deployed["Data"]) == 0  # a bucket that is gone is empty


def test_teardown_empties_buckets_before_destroy_and_deletes_what_was_retained(
    session: boto3.session.Session, deployed: dict[str, Any]
) -> None:
    seen_at_destroy: dict[str, int] = {}

    def destroy() -> int:  # stands for `cdk destroy --all --force`
        for name in ("Data", "Kept"):
            seen_at_destroy[name] = _versions(session, deployed[name])
        session.client("cloudformation").delete_stack(StackName=STACKS["runtime"])
        return 0

    problems = run.teardown(session, [STACKS["assertions"], STACKS["runtime"], STACKS["network"]], destroy)

    assert problems == []
    assert seen_at_destroy == {"Data": 0, "Kept": 0}  # emptied before CloudFormation deletes them
    assert not {deployed["Data"], deployed["Kept"]} & _buckets(session)
    groups = session.client("logs").describe_log_groups(logGroupNamePrefix="/integ/kept")["logGroups"]
    assert groups == []


def test_teardown_reports_a_failed_destroy(session: boto3.session.Session, deployed: dict[str, Any]) -> None:
    problems = run.teardown(session, [STACKS["runtime"]], lambda: 1)
    assert "cdk destroy failed (see its output)" in problems
    assert any(STACKS["runtime"] in p and "CREATE_COMPLETE" in p for p in problems)


class Recorder:
    """A command runner that records argv and fails the commands whose argv contains ``fail_on``."""

    def __init__(self, fail_on: str | None = None, on_destroy: Callable[[], None] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_on = fail_on
        self.on_destroy = on_destroy

    def __call__(self, argv: Sequence[str]) -> int:
        self.calls.append(list(argv))
        if "destroy" in argv and self.on_destroy:
            self.on_destroy()
        return 1 if self.fail_on and self.fail_on in argv else 0


def test_test_stacks_deploy_first_then_the_assertion_stack_and_a_failure_still_destroys(
    session: boto3.session.Session, deployed: dict[str, Any]
) -> None:
    """The assertion stack's deployment fails (as an unmet deploy-time assertion does): the driver reports it,
    still empties the buckets, destroys the app and deletes what was retained."""
    recorder = Recorder(
        fail_on=STACKS["assertions"],
        on_destroy=lambda: session.client("cloudformation").delete_stack(StackName=STACKS["runtime"]),
    )
    failures = run.Integ("serverless", "default", session, recorder).run()

    assert failures == [f"serverless: cdk deploy {STACKS['assertions']} failed"]
    first, second, last = recorder.calls
    assert first[:4] == [str(run.CDK), "deploy", STACKS["network"], STACKS["runtime"]]
    assert second[:3] == [str(run.CDK), "deploy", STACKS["assertions"]]
    assert "--exclusively" in first and "--exclusively" in second
    assert last[:4] == [str(run.CDK), "destroy", "--all", "--force"]
    for argv in recorder.calls:  # the pinned CLI drives the app of this runtime in the chosen environment
        assert argv[argv.index("--app") + 1].endswith("tests/integ/integ_serverless.py")
        assert argv[argv.index("-c") + 1] == "env=default"
    assert not {deployed["Data"], deployed["Kept"]} & _buckets(session)


def _driver(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.integ.run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def no_credentials(tmp_path: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_REGION": REGION,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def test_make_integ_refuses_clearly_without_credentials(no_credentials: dict[str, str]) -> None:
    result = _driver(no_credentials)
    assert result.returncode == run.EXIT_USAGE
    assert "needs credentials" in result.stderr and "AWS_PROFILE" in result.stderr
    assert "Traceback" not in result.stderr


def test_make_integ_refuses_without_a_region(no_credentials: dict[str, str]) -> None:
    del no_credentials["AWS_REGION"]
    result = _driver(no_credentials)
    assert result.returncode == run.EXIT_USAGE and "no AWS region" in result.stderr


def test_make_integ_refuses_an_unknown_runtime(no_credentials: dict[str, str]) -> None:
    result = _driver(no_credentials, "--runtimes", "serverless,lambda")
    assert result.returncode == run.EXIT_USAGE and "RUNTIMES: got 'serverless,lambda'" in result.stderr


def test_the_driver_does_not_load_aws_cdk(no_credentials: dict[str, str]) -> None:
    """Teardown must work without jsii/node: the driver imports boto3 and the standard library only."""
    code = "import sys, tests.integ.run; print(sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'jsii'))))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=no_credentials,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "[]", result.stderr
