"""``make integ ENV=<environment>``: deploy each integration app to the account of the current AWS credentials, run
the word count with ``emrctl`` as a user would, and destroy everything, also when a step fails.

For each runtime (``RUNTIMES=serverless,ec2,eks`` by default), in order:

1. ``cdk deploy`` the test stacks (network, runtime), then the assertion stack, whose deploy-time assertions run the
   word count and fail the deployment when it does not succeed in time;
2. ``emrctl <runtime> submit --stack <runtime stack> ... --wait``, then ``emrctl <runtime> logs``, and check that
   this run wrote its output too;
3. always (``try``/``finally``): empty the stacks' buckets (every object version and delete marker), ``cdk destroy``
   the app, then delete what CloudFormation retained (buckets, log groups; KMS keys are scheduled for deletion).

The apps run under the repository's pinned CDK CLI (``node_modules/.bin/cdk``): the newest @aws-cdk/integ-runner
(2.197.x) reads cloud assemblies up to schema 53, and aws-cdk-lib 2.275 writes schema 55.

Only boto3, the standard library and ``emrctl`` (as a subprocess) here: no aws_cdk at teardown time.
Exit codes: 0 every runtime passed; 1 a deploy, job or check failed; 2 usage or no AWS credentials; 3 teardown left
resources behind.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from tests.integ.names import RUNTIMES, app_file, integ_stack_names

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LEFTOVERS = 0, 1, 2, 3
CLEANED_TYPES = ("AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::KMS::Key")
"""What teardown deletes itself when CloudFormation retained it."""

Command = Callable[[Sequence[str]], int]
"""Runs a command (argv) and returns its exit code; injectable so tests can observe the order of steps."""


class Refusal(Exception):
    """``make integ`` cannot start (no credentials, no region, bad arguments)."""


def run_command(argv: Sequence[str]) -> int:
    print(f"+ {' '.join(argv)}", flush=True)
    return subprocess.run(list(argv), cwd=ROOT, check=False).returncode


def caller_identity(session: boto3.session.Session) -> dict[str, Any]:
    """``sts get-caller-identity`` of the current credentials, or a ``Refusal`` saying what to set."""
    if session.region_name is None:
        raise Refusal("no AWS region: set AWS_REGION (or a profile with a region) before make integ")
    try:
        identity: dict[str, Any] = session.client("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as err:
        raise Refusal(
            "make integ deploys to a real AWS account and needs credentials: set AWS_PROFILE or "
            f"AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (sts get-caller-identity failed: {err})"
        ) from err
    return identity


# ---- teardown (unit-tested against moto) ----------------------------------------------------------------------


@dataclass
class Leftovers:
    """Physical ids of what CloudFormation may retain, by resource type, collected before ``cdk destroy``."""

    resources: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in CLEANED_TYPES})

    def add(self, resource_type: str, physical_id: str) -> None:
        if resource_type in self.resources and physical_id not in self.resources[resource_type]:
            self.resources[resource_type].append(physical_id)

    @property
    def buckets(self) -> list[str]:
        return self.resources["AWS::S3::Bucket"]


def stack_resources(session: boto3.session.Session, stacks: Iterable[str]) -> Leftovers:
    """Buckets, log groups and keys of ``stacks`` (stacks that do not exist are skipped)."""
    cloudformation = session.client("cloudformation")
    found = Leftovers()
    for stack in stacks:
        try:
            for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
                for resource in page["StackResourceSummaries"]:
                    if resource.get("PhysicalResourceId"):
                        found.add(resource["ResourceType"], resource["PhysicalResourceId"])
        except ClientError as err:
            if "does not exist" not in str(err):
                raise
    return found


def empty_bucket(session: boto3.session.Session, bucket: str) -> int:
    """Delete every object version and delete marker of ``bucket``; return how many were deleted (0 if the bucket
    does not exist)."""
    s3 = session.client("s3")
    deleted = 0
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            keys = [
                {"Key": item["Key"], "VersionId": item["VersionId"]}
                for kind in ("Versions", "DeleteMarkers")
                for item in page.get(kind, [])
            ]
            for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
                response = s3.delete_objects(
                    Bucket=bucket, Delete={"Objects": keys[start : start + 1000], "Quiet": True}
                )
                if response.get("Errors"):
                    raise RuntimeError(f"s3://{bucket}: could not delete {response['Errors'][:3]}")
                deleted += len(keys[start : start + 1000])
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "NoSuchBucket":
            return 0
        raise
    return deleted


def delete_leftovers(session: boto3.session.Session, leftovers: Leftovers) -> list[str]:
    """Delete what is still there after ``cdk destroy``; return what could not be deleted."""
    failed: list[str] = []
    s3, logs, kms = session.client("s3"), session.client("logs"), session.client("kms")
    for bucket in leftovers.buckets:
        try:
            empty_bucket(session, bucket)
            s3.delete_bucket(Bucket=bucket)
            print(f"deleted retained bucket {bucket}")
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") != "NoSuchBucket":
                failed.append(f"s3://{bucket}: {err}")
    for group in leftovers.resources["AWS::Logs::LogGroup"]:
        try:
            logs.delete_log_group(logGroupName=group)
            print(f"deleted retained log group {group}")
        except logs.exceptions.ResourceNotFoundException:
            pass
        except ClientError as err:
            failed.append(f"log group {group}: {err}")
    for key in leftovers.resources["AWS::KMS::Key"]:
        try:
            state = kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"]
            if state not in ("PendingDeletion", "PendingReplicaDeletion"):
                kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
                print(f"scheduled retained KMS key {key} for deletion in 7 days")
        except kms.exceptions.NotFoundException:
            pass
        except ClientError as err:
            failed.append(f"KMS key {key}: {err}")
    return failed


def teardown(session: boto3.session.Session, stacks: Sequence[str], destroy: Callable[[], int]) -> list[str]:
    """Empty the buckets of ``stacks``, run ``destroy`` (``cdk destroy``), then delete what was retained.

    Buckets are emptied first so that deleting them cannot fail on objects written after deployment (job outputs,
    logs, access logs), whatever their removal policy. Returns the problems; empty means nothing was left behind.
    """
    leftovers = stack_resources(session, stacks)
    for bucket in leftovers.buckets:
        print(f"emptied s3://{bucket} ({empty_bucket(session, bucket)} object versions and delete markers)")
    problems = [] if destroy() == 0 else ["cdk destroy failed (see its output)"]
    problems += delete_leftovers(session, leftovers)
    cloudformation = session.client("cloudformation")
    for stack in stacks:
        try:
            status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        except ClientError:
            continue  # gone
        if status != "DELETE_COMPLETE":
            problems.append(f"stack {stack} is {status}")
    return problems


# ---- one runtime ----------------------------------------------------------------------------------------------------


@dataclass
class Integ:
    """Deploys, exercises and destroys one runtime's integration app."""

    runtime: str
    env: str
    session: boto3.session.Session
    command: Command = run_command
    python: str = sys.executable

    @property
    def stacks(self) -> dict[str, str]:
        return integ_stack_names(self.runtime)

    def cdk(self, *args: str) -> list[str]:
        app = f"{self.python} {app_file(self.runtime)}"
        outdir = f"cdk.out/integ-{self.runtime}"
        return [str(CDK), *args, "--app", app, "--output", outdir, "-c", f"env={self.env}"]

    def emrctl(self, *args: str) -> list[str]:
        return [self.python, "-m", "emr_constructs.ops", "--json", self.runtime, *args]

    def outputs(self, stack: str) -> dict[str, str]:
        described = self.session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}

    def deploy(self) -> None:
        """Test stacks first, then the assertion stack (whose deploy-time assertions run the job)."""
        tests = [self.stacks["network"], self.stacks["runtime"]]
        for stacks in (tests, [self.stacks["assertions"]]):
            argv = self.cdk("deploy", *stacks, "--exclusively", "--require-approval", "never", "--progress", "events")
            if self.command(argv) != 0:
                raise StepFailed(f"cdk deploy {' '.join(stacks)} failed")

    def exercise(self) -> None:
        """Submit the word count with ``emrctl`` and wait, print where its logs are, check its output."""
        outputs = self.outputs(self.stacks["assertions"])
        output_uri = f"{outputs['OutputPrefix']}emrctl-{int(time.time())}/"
        submit = self.emrctl(
            "submit",
            "--stack",
            self.stacks["runtime"],
            "--name",
            "integ-wordcount-emrctl",
            "--entry-point",
            outputs["EntryPoint"],
            "--arg",
            outputs["InputUri"],
            "--arg",
            output_uri,
            "--wait",
            "--timeout",
            "3000",
            "--interval",
            "20",
        )
        if self.runtime == "eks":
            submit += ["--release-label", outputs["ReleaseLabel"]]
        result = subprocess.run(submit, cwd=ROOT, capture_output=True, text=True, check=False)
        print(result.stdout, result.stderr, sep="\n", flush=True)
        if result.returncode != 0:
            raise StepFailed(f"emrctl {self.runtime} submit --wait exited {result.returncode}")
        run_id = json.loads(result.stdout.strip().splitlines()[0])["id"]
        if self.command(self.emrctl("logs", "--stack", self.stacks["runtime"], run_id)) != 0:
            raise StepFailed(f"emrctl {self.runtime} logs {run_id} failed")
        bucket, _, prefix = output_uri.removeprefix("s3://").partition("/")
        listed = self.session.client("s3").list_objects_v2(Bucket=bucket, Prefix=f"{prefix}part-")
        if not listed.get("KeyCount"):
            raise StepFailed(f"the emrctl run {run_id} wrote nothing under {output_uri}")
        print(f"{self.runtime}: emrctl run {run_id} wrote {output_uri}")

    def destroy(self) -> int:
        return self.command(self.cdk("destroy", "--all", "--force"))

    def run(self) -> list[str]:
        """Deploy and exercise; always tear down. Returns the failures (empty: passed)."""
        failures: list[str] = []
        try:
            self.deploy()
            self.exercise()
        except StepFailed as err:
            failures.append(f"{self.runtime}: {err}")
        finally:
            # Assertions first: it reads the test stacks' outputs.
            order = [self.stacks["assertions"], self.stacks["runtime"], self.stacks["network"]]
            failures += [f"{self.runtime} teardown: {p}" for p in teardown(self.session, order, self.destroy)]
        return failures


class StepFailed(Exception):
    """A deploy, job or check of ``make integ`` failed (teardown still runs)."""


def main(argv: Sequence[str] | None = None, command: Command = run_command) -> int:
    parser = argparse.ArgumentParser(prog="make integ", description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="default", help="cdk.json environment the apps start from")
    parser.add_argument(
        "--runtimes", default=",".join(RUNTIMES), help="comma-separated subset of " + ",".join(RUNTIMES)
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(ROOT))  # the apps import stacks/ and tests/integ/
    runtimes = [r for r in args.runtimes.split(",") if r]
    unknown = sorted(set(runtimes) - set(RUNTIMES))
    # AWS_REGION as the CDK CLI and emrctl read it (boto3 itself reads AWS_DEFAULT_REGION or the profile).
    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
    try:
        if unknown or not runtimes:
            raise Refusal(f"RUNTIMES: got {args.runtimes!r}; allowed: {', '.join(RUNTIMES)} (comma-separated)")
        identity = caller_identity(session)
        if not CDK.exists():
            raise Refusal(f"{CDK} is missing: run make install (npm ci) first")
    except Refusal as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"make integ: account {identity['Account']} as {identity['Arn']}, region {session.region_name}, "
        f"env {args.env}, runtimes {', '.join(runtimes)}",
        flush=True,
    )
    failures: list[str] = []
    for runtime in runtimes:
        failures += Integ(runtime, args.env, session, command).run()
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if any(" teardown: " in f for f in failures):
        return EXIT_LEFTOVERS
    return EXIT_FAILED if failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
