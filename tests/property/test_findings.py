"""Findings of the property layer: inputs that neither synthesize cleanly (or render valid requests) nor raise the
library's error naming the prop. Each is pinned as ``xfail(strict=True)`` with its minimal example: when the library
is fixed the case passes, strict xfail fails the run, and the case moves out of this table (and its values into the
strategies of the property tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from aws_cdk import Duration, Stack
from botocore.validate import ParamValidator

from emr_constructs import (
    ClusterCapacity,
    EmrCluster,
    EmrClusterAlarmThresholds,
    EmrClusterMonitoring,
    EmrServerlessApplication,
    InitialCapacity,
    InstanceGroup,
    ManagedScaling,
    MaximumCapacity,
    WorkerConfiguration,
    WorkerType,
)
from emr_constructs.eks import ResourceQuota
from emr_constructs.jobs import SparkJob
from tests.property.harness import ARABIC_INDIC_FOUR, FULLWIDTH_EIGHT, Harness, V
from tests.property.test_cluster_properties import vpc
from tests.property.test_serverless_properties import rendered_sizes

ROLE = "arn:aws:iam::123456789012:role/JobRole"
WRONG_TYPE = "a wrong-typed number fails a comparison: TypeError without the prop's name"


def cluster(**props: Callable[[], Any] | Any) -> Callable[[Stack], object]:
    """Props given as callables are built inside the example: a value object may itself reject the input."""
    return lambda stack: EmrCluster(stack, "Cluster", vpc=vpc(stack), **_built(props))


def serverless(**props: Callable[[], Any] | Any) -> Callable[[Stack], object]:
    return lambda stack: EmrServerlessApplication(stack, "App", **_built(props))


def _built(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v() if callable(v) and not isinstance(v, Duration) else v for k, v in props.items()}


def driver(worker_count: Any = 1, **config: Any) -> list[InitialCapacity]:
    return [
        InitialCapacity(
            worker_type=WorkerType.SPARK_DRIVER,
            worker_count=worker_count,
            worker_configuration=WorkerConfiguration(**{"cpu": 2, "memory": 8, **config}),
        )
    ]


def eks_request(**props: Any) -> Callable[[Stack], object]:
    """Build the job and validate its EMR on EKS StartJobRun request against botocore's model."""

    def build(_: Stack) -> None:
        job = SparkJob(name="etl", entry_point="s3://my-data/etl.py", runtime_role_arn=ROLE, **props)
        request = {**job.to_eks_start_job_run("abc123vc", "emr-7.10.0-latest"), "clientToken": "t"}
        model = botocore.session.get_session().get_service_model("emr-containers").operation_model("StartJobRun")
        report = ParamValidator().validate(request, model.input_shape)
        assert not report.has_errors(), report.generate_report()

    return build


def quota(**props: Any) -> Callable[[Stack], object]:
    return lambda _: ResourceQuota(**props).validate()


def ascii_sizes(build: Callable[[Stack], object]) -> Callable[[Stack], object]:
    """Also fails if the synthesized worker sizes carry non-ASCII digits (CloudFormation reads ASCII only)."""

    def check(stack: Stack) -> None:
        build(stack)
        from aws_cdk.assertions import Template

        sizes = rendered_sizes(Template.from_stack(stack).to_json())
        assert all(s.isascii() for s in sizes), sizes

    return check


# (case id, the prop and its value, build, reason)
FINDINGS: list[tuple[str, str, Any, Callable[[Stack], object], str]] = [
    (
        "step-concurrency-as-text",
        "step_concurrency_level",
        "2",
        cluster(step_concurrency_level="2"),
        WRONG_TYPE,
    ),
    (
        "step-concurrency-bool",
        "step_concurrency_level",
        True,
        cluster(step_concurrency_level=True),
        "bool passes the range check (True == 1) and jsii fails: RuntimeError 'Unable to deserialize value'",
    ),
    (
        "step-concurrency-float",
        "step_concurrency_level",
        2.5,
        cluster(step_concurrency_level=2.5),
        "a fractional step concurrency level is accepted and synthesized",
    ),
    (
        "primary-count-as-text",
        "capacity.primary.count",
        "1",
        cluster(capacity=lambda: ClusterCapacity.instance_groups(primary=InstanceGroup(count="1"))),
        WRONG_TYPE,
    ),
    (
        "scaling-minimum-as-text",
        "managed_scaling.minimum_units",
        "1",
        cluster(managed_scaling=lambda: ManagedScaling(minimum_units="1", maximum_units=5)),
        WRONG_TYPE,
    ),
    (
        "cluster-idle-timeout-fractional-seconds",
        "idle_timeout",
        "90.5 s",
        cluster(idle_timeout=Duration.seconds(90.5)),
        "aws-cdk-lib raises RuntimeError MustBeWholeNumber instead of the library's ValueError",
    ),
    (
        "serverless-idle-timeout-in-seconds",
        "idle_timeout",
        "90 s",
        serverless(idle_timeout=Duration.seconds(90)),
        "aws-cdk-lib raises RuntimeError CannotConvertedIntoWhole (minutes) instead of the library's ValueError",
    ),
    (
        "worker-count-as-text",
        "initial_capacity[0].worker_count",
        "1",
        serverless(initial_capacity=lambda: driver(worker_count="1")),
        WRONG_TYPE,
    ),
    (
        "maximum-cpu-as-text",
        "maximum_capacity.cpu_vcpu",
        "32",
        serverless(maximum_capacity=lambda: MaximumCapacity(cpu_vcpu="32")),
        WRONG_TYPE,
    ),
    (
        "maximum-memory-none",
        "maximum_capacity.memory_gb",
        None,
        serverless(maximum_capacity=lambda: MaximumCapacity(memory_gb=None), initial_capacity=driver),
        "None fails a comparison: TypeError without the prop's name",
    ),
    (
        "worker-memory-fullwidth-digit",
        "initial_capacity[0].worker_configuration.memory",
        f"{FULLWIDTH_EIGHT} GB",
        ascii_sizes(serverless(initial_capacity=lambda: driver(memory=f"{FULLWIDTH_EIGHT} GB"))),
        "a non-ASCII digit passes the size check and reaches the template verbatim",
    ),
    (
        "quota-non-ascii-digit",
        "resource_quota.requests_cpu",
        ARABIC_INDIC_FOUR,
        quota(requests_cpu=ARABIC_INDIC_FOUR),
        "a non-ASCII digit passes the Kubernetes quantity check (the API server rejects it at deploy time)",
    ),
    (
        "quota-pods-as-text",
        "resource_quota.pods",
        "3",
        quota(pods="3"),
        WRONG_TYPE,
    ),
    (
        "alarm-threshold-as-text",
        "thresholds.hdfs_utilization_percent",
        "80",
        lambda stack: EmrClusterMonitoring(
            stack,
            "Monitoring",
            cluster=EmrCluster.from_cluster_id(stack, "Cluster", "j-2AXXXXXXGAPLF"),
            thresholds=EmrClusterAlarmThresholds(hdfs_utilization_percent="80"),
        ),
        WRONG_TYPE,
    ),
    (
        "spark-job-entry-point-none",
        "entry_point",
        None,
        lambda _: SparkJob(name="etl", entry_point=None),
        "TypeError 'expected string or bytes-like object' without the prop's name",
    ),
    (
        "spark-job-empty-argument",
        "arguments",
        [""],
        eks_request(arguments=[""]),
        "an empty argument renders an EMR on EKS StartJobRun request botocore rejects (entryPointArguments[0] min 1)",
    ),
]


# Findings the library fixed while this layer was written (issue 9): kept as regression cases that must pass.
FIXED = {
    "step-concurrency-as-text",
    "primary-count-as-text",
    "step-concurrency-bool",
    "step-concurrency-float",
    "worker-memory-fullwidth-digit",
    "spark-job-entry-point-none",
    "scaling-minimum-as-text",
    "worker-count-as-text",
    "maximum-cpu-as-text",
    "maximum-memory-none",
    "alarm-threshold-as-text",
    "spark-job-empty-argument",
    "cluster-idle-timeout-fractional-seconds",
    "serverless-idle-timeout-in-seconds",
    "quota-non-ascii-digit",
    "quota-pods-as-text",
}


@pytest.mark.parametrize(
    ("prop", "value", "build"),
    [
        pytest.param(
            prop,
            value,
            build,
            id=case,
            marks=() if case in FIXED else pytest.mark.xfail(strict=True, reason=reason),
        )
        for case, prop, value, build, reason in FINDINGS
    ],
)
def test_finding(prop: str, value: Any, build: Callable[[Stack], object]) -> None:
    """The oracle of the property tests on one invalid value: it must be rejected with an error naming ``prop``."""
    Harness("finding").check({prop: V(value, True)}, build)
