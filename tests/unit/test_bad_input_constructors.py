"""Wrong types at the remaining construct boundaries: each raises a ``TypeError``/``ValueError`` naming the prop.

Complements tests/unit/test_bad_input_table.py (EmrCluster, EmrServerlessApplication, dataclasses, grants, SparkJob)
for the storage, TLS, EKS, monitoring and pipeline constructors.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

from emr_constructs import (
    EmrCluster,
    EmrClusterMonitoring,
    EmrEksVirtualCluster,
    EmrServerlessApplication,
    EmrServerlessMonitoring,
    EmrTlsCertificate,
    EncryptionKey,
    JobRuntimeRole,
    PipelineTarget,
    PodTemplates,
    RuntimeRoleTrust,
    SecureBucket,
    SecureLogGroup,
    SparkJob,
    SparkPipeline,
)
from tests.conftest import new_app

_ids = count()
JOB = SparkJob(name="etl", entry_point="s3://my-artifacts/jobs/etl.py")


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack(new_app(), "BadInput")


def _bucket(stack: Stack) -> s3.IBucket:
    return s3.Bucket.from_bucket_name(stack, f"B{next(_ids)}", "my-artifacts")


def _eks(stack: Stack, **props: Any) -> EmrEksVirtualCluster:
    from aws_cdk import aws_eks_v2 as eks

    cluster = eks.Cluster.from_cluster_attributes(stack, f"Eks{next(_ids)}", cluster_name="analytics")
    return EmrEksVirtualCluster(stack, f"Vc{next(_ids)}", cluster=cluster, **{"namespace": "jobs", **props})


def _pipeline(stack: Stack, **props: Any) -> SparkPipeline:
    application = EmrServerlessApplication.from_application_id(stack, f"App{next(_ids)}", "00f6b0eou5biqd0l")
    role = JobRuntimeRole(stack, f"Role{next(_ids)}", trust=RuntimeRoleTrust.serverless(stack)).role
    target = PipelineTarget.serverless(application, role)
    return SparkPipeline(stack, f"P{next(_ids)}", **{"jobs": [JOB], "target": target, **props})


CASES: list[tuple[str, str, Callable[[Stack], object]]] = [
    ("key-description-none", "description", lambda s: EncryptionKey(s, f"K{next(_ids)}", description=None)),  # type: ignore[arg-type]
    ("key-description-padded", "description", lambda s: EncryptionKey(s, f"K{next(_ids)}", description=" data ")),
    (
        "key-removal-str",
        "removal_policy",
        lambda s: EncryptionKey(s, f"K{next(_ids)}", description="d", removal_policy="destroy"),
    ),  # type: ignore[arg-type]
    ("bucket-removal-str", "removal_policy", lambda s: SecureBucket(s, f"S{next(_ids)}", removal_policy="retain")),  # type: ignore[arg-type]
    (
        "bucket-auto-delete-str",
        "auto_delete_objects",
        lambda s: SecureBucket(s, f"S{next(_ids)}", removal_policy=RemovalPolicy.DESTROY, auto_delete_objects="yes"),
    ),  # type: ignore[arg-type]
    ("log-retention-int", "retention", lambda s: SecureLogGroup(s, f"L{next(_ids)}", retention=365)),  # type: ignore[arg-type]
    ("log-removal-none", "removal_policy", lambda s: SecureLogGroup(s, f"L{next(_ids)}", removal_policy=None)),  # type: ignore[arg-type]
    (
        "tls-dns-names-str",
        "dns_names",
        lambda s: EmrTlsCertificate(s, f"T{next(_ids)}", bucket=_bucket(s), dns_names="*.ec2.internal"),
    ),  # type: ignore[arg-type]
    ("tls-validity-int", "validity", lambda s: EmrTlsCertificate(s, f"T{next(_ids)}", bucket=_bucket(s), validity=730)),  # type: ignore[arg-type]
    (
        "tls-key-size-str",
        "rsa_key_size",
        lambda s: EmrTlsCertificate(s, f"T{next(_ids)}", bucket=_bucket(s), rsa_key_size="2048"),
    ),  # type: ignore[arg-type]
    (
        "tls-key-size-bool",
        "rsa_key_size",
        lambda s: EmrTlsCertificate(s, f"T{next(_ids)}", bucket=_bucket(s), rsa_key_size=True),
    ),
    (
        "tls-log-retention-int",
        "log_retention",
        lambda s: EmrTlsCertificate(s, f"T{next(_ids)}", bucket=_bucket(s), log_retention=30),
    ),  # type: ignore[arg-type]
    (
        "pod-templates-prefix-uri",
        "prefix",
        lambda s: PodTemplates(s, f"Pt{next(_ids)}", bucket=_bucket(s), prefix="s3://my-artifacts/pod-templates/"),
    ),
    (
        "pod-templates-capacity-str",
        "capacity_provider",
        lambda s: PodTemplates(s, f"Pt{next(_ids)}", bucket=_bucket(s), capacity_provider="karpenter"),
    ),  # type: ignore[arg-type]
    ("vc-namespace-none", "namespace", lambda s: _eks(s, namespace=None)),
    ("vc-create-namespace-str", "create_namespace", lambda s: _eks(s, create_namespace="no")),
    ("vc-quota-dict", "resource_quota", lambda s: _eks(s, resource_quota={"requests_cpu": "4"})),
    ("vc-log-retention-int", "log_retention", lambda s: _eks(s, log_retention=90)),
    ("vc-cost-center-padded", "cost_center", lambda s: _eks(s, cost_center="analytics ")),
    (
        "ec2-monitoring-groups-str",
        "instance_groups",
        lambda s: EmrClusterMonitoring(
            s,
            f"M{next(_ids)}",
            cluster=EmrCluster.from_cluster_id(s, f"C{next(_ids)}", "j-2AXXXXXXGAPLF"),
            instance_groups="true",
        ),
    ),  # type: ignore[arg-type]
    (
        "ec2-monitoring-thresholds-dict",
        "thresholds",
        lambda s: EmrClusterMonitoring(
            s,
            f"M{next(_ids)}",
            cluster=EmrCluster.from_cluster_id(s, f"C{next(_ids)}", "j-2AXXXXXXGAPLF"),
            thresholds={"hdfs_utilization_percent": 80},
        ),
    ),  # type: ignore[arg-type]
    (
        "serverless-monitoring-worker-types-str",
        "worker_types",
        lambda s: EmrServerlessMonitoring(
            s,
            f"M{next(_ids)}",
            application=EmrServerlessApplication.from_application_id(s, f"A{next(_ids)}", "00f6b0eou5biqd0l"),
            worker_types="Spark_Driver",
        ),
    ),
    ("pipeline-jobs-single", "jobs", lambda s: _pipeline(s, jobs=JOB)),
    ("pipeline-jobs-dicts", "jobs", lambda s: _pipeline(s, jobs=[{"name": "etl"}])),
    ("pipeline-schedule-enabled-str", "schedule_enabled", lambda s: _pipeline(s, schedule_enabled="false")),
    ("pipeline-timeout-int", "timeout", lambda s: _pipeline(s, timeout=3600)),
]


@pytest.mark.parametrize(("case", "prop", "build"), CASES, ids=[c[0] for c in CASES])
def test_wrong_type_names_the_prop(stack: Stack, case: str, prop: str, build: Callable[[Stack], object]) -> None:
    with pytest.raises((TypeError, ValueError), match=rf"^{prop}\b"):
        build(stack)


def test_valid_values_still_build(stack: Stack) -> None:
    SecureLogGroup(stack, "Good", retention=logs.RetentionDays.ONE_MONTH)
    data = SecureBucket(stack, "GoodData").bucket
    EmrTlsCertificate(stack, "GoodTls", bucket=data, validity=Duration.days(365), dns_names=["*.corp.internal"])
    _pipeline(stack, schedule_enabled=False, timeout=Duration.hours(2))
