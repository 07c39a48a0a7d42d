"""``emrctl <runtime> release``: the EMR release each runtime runs, to check an upgrade.

- EMR Serverless: the application's ``releaseLabel`` (GetApplication); an upgrade updates it in place.
- EMR on EC2: the cluster's ``ReleaseLabel`` (DescribeCluster); an upgrade is a new cluster, whose id the stack's
  ``ClusterId`` output then names.
- EMR on EKS: a virtual cluster has no release; each job run has its own. With ``--stack``, the stack's
  ``ReleaseLabel`` output (what ``emrctl eks submit --stack`` uses), and the ``releaseLabel`` of the latest runs
  (ListJobRuns returns each run's JobRun, releaseLabel included).

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click

from emr_constructs.core.outputs import EMRCTL_READS
from emr_constructs.ops.common import Context, aws_errors, resolve_target, stack_value

DEFAULT_RUNS = 5
"""How many of the latest EMR on EKS job runs ``release`` shows."""


def serverless_release(ctx: Context, application_id: str) -> dict[str, Any]:
    application = ctx.client("emr-serverless").get_application(applicationId=application_id)["application"]
    return {"target": application_id, "release_label": application["releaseLabel"], "state": application["state"]}


def ec2_release(ctx: Context, cluster_id: str) -> dict[str, Any]:
    cluster = ctx.client("emr").describe_cluster(ClusterId=cluster_id)["Cluster"]
    return {"target": cluster_id, "release_label": cluster.get("ReleaseLabel"), "state": cluster["Status"]["State"]}


def eks_release(ctx: Context, virtual_cluster_id: str, outputs: Mapping[str, str], runs: int) -> dict[str, Any]:
    """The stack's release label (``None`` without ``--stack``) and the latest ``runs`` job runs, newest first."""
    found: list[dict[str, Any]] = []
    paginator = ctx.client("emr-containers").get_paginator("list_job_runs")
    for page in paginator.paginate(virtualClusterId=virtual_cluster_id):
        found += page["jobRuns"]
    found.sort(key=lambda run: run.get("createdAt") or 0, reverse=True)
    return {
        "target": virtual_cluster_id,
        "stack_release_label": stack_value(outputs, EMRCTL_READS["eks"].release_label),
        "runs": [
            {
                "id": run["id"],
                "name": run.get("name", ""),
                "state": run.get("state", ""),
                "release_label": run.get("releaseLabel"),
                "created_at": str(run.get("createdAt", "")),
            }
            for run in found[:runs]
        ],
    }


def _text(runtime_name: str, data: Mapping[str, Any]) -> str:
    if runtime_name != "eks":
        return f"{data['target']}  {data['release_label']}  ({data['state']})"
    stack = data["stack_release_label"]
    lines = [f"{data['target']}  stack release label: {stack}" if stack else f"{data['target']}  (no --stack)"]
    lines += [f"{r['id']}  {r['release_label']}  {r['state']:<10} {r['name']}" for r in data["runs"]]
    if not data["runs"]:
        lines.append("no job runs yet")
    return "\n".join(lines)


def release_command(
    runtime_name: str, target_option: Callable[[Any], Any], stack_option: Callable[[Any], Any]
) -> click.Command:
    """The ``release`` command of the ``runtime_name`` group, with that group's ``--target`` and ``--stack``."""

    @click.command(
        name="release",
        help="Show the EMR release the target runs (EMR on EKS: the stack's release label and the latest runs').",
    )
    @target_option
    @stack_option
    @click.option(
        "--runs",
        default=DEFAULT_RUNS,
        show_default=True,
        type=click.IntRange(min=1),
        help="EMR on EKS: how many of the latest runs.",
    )
    @click.pass_obj
    def release(ctx: Context, target: str | None, stack: str | None, runs: int) -> None:
        with aws_errors():
            _, target_id, outputs = resolve_target(ctx, runtime_name, target, stack)
            if runtime_name == "serverless":
                data = serverless_release(ctx, target_id)
            elif runtime_name == "ec2":
                data = ec2_release(ctx, target_id)
            else:
                data = eks_release(ctx, target_id, outputs, runs)
            ctx.emit(data, _text(runtime_name, data))

    return release
