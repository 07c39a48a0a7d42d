"""Invalid EMR Serverless props raise ValueError naming the prop, checked against the documented worker sizes.

Worker sizes (EMR Serverless User Guide): 1/2/4/8/16 vCPU; memory 2-8 GB (1 vCPU), 4-16 (2), 8-30 (4) in 1 GB steps,
16-60 GB in 4 GB steps (8 vCPU), 32-120 GB in 8 GB steps (16 vCPU); disk 20-200 GB standard, up to 2,000 GB on
shuffle-optimized disks (emr-7.1.0+).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Duration, Stack, Token
from aws_cdk import aws_ec2 as ec2

from emr_constructs import (
    ApplicationType,
    Architecture,
    Classification,
    Configuration,
    DiskType,
    EmrServerlessApplication,
    InitialCapacity,
    InteractiveConfiguration,
    JobRuntimeRole,
    MaximumCapacity,
    ReleaseLabel,
    WorkerConfiguration,
    WorkerType,
)
from tests.conftest import new_stack

_ids = itertools.count()


@pytest.fixture(scope="module")
def env() -> tuple[Stack, ec2.Vpc]:
    return new_stack()


def app(env: tuple[Stack, ec2.Vpc], **props: Any) -> EmrServerlessApplication:
    return EmrServerlessApplication(env[0], f"A{next(_ids)}", **props)


def executors(count: int = 1, **config: Any) -> list[InitialCapacity]:
    return [
        InitialCapacity(
            worker_type=WorkerType.SPARK_EXECUTOR,
            worker_count=count,
            worker_configuration=WorkerConfiguration(**config),
        )
    ]


CASES: list[tuple[str, Callable[[tuple[Stack, ec2.Vpc]], object], str]] = [
    (
        "release older than Serverless",
        lambda e: app(e, release_label=ReleaseLabel.of("emr-6.5.0")),
        r"release_label: got 'emr-6.5.0'; EMR Serverless needs emr-6.6.0",
    ),
    (
        "ARM64 below its first release",
        lambda e: app(e, release_label=ReleaseLabel.of("emr-6.7.0")),
        r"architecture: got 'ARM64'; EMR Serverless on ARM64 \(Graviton\) needs emr-6.8.0",
    ),
    (
        "EKS release suffix",
        lambda e: app(e, release_label=ReleaseLabel.of("emr-7.1.0-latest")),
        r"release_label: got 'emr-7.1.0-latest'; EMR Serverless takes",
    ),
    (
        "3 vCPU workers",
        lambda e: app(e, initial_capacity=executors(cpu="3 vCPU", memory="8 GB")),
        r"initial_capacity\[0\].worker_configuration.cpu: got '3 vCPU'; workers have 1, 2, 4, 8 or 16 vCPU",
    ),
    (
        "8 vCPU with 18 GB",
        lambda e: app(e, initial_capacity=executors(cpu="8 vCPU", memory="18 GB")),
        r"worker_configuration.memory: got '18 GB'; a 8 vCPU worker takes 16-60 GB in 4 GB steps",
    ),
    (
        "16 vCPU with 124 GB",
        lambda e: app(e, initial_capacity=executors(cpu="16 vCPU", memory="124 GB")),
        r"worker_configuration.memory: got '124 GB'; a 16 vCPU worker takes 32-120 GB in 8 GB steps",
    ),
    (
        "1 vCPU with 9 GB",
        lambda e: app(e, initial_capacity=executors(cpu=1, memory=9)),
        r"worker_configuration.memory: got 9; a 1 vCPU worker takes 2-8 GB in 1 GB steps",
    ),
    (
        "memory in MB",
        lambda e: app(e, initial_capacity=executors(cpu="2 vCPU", memory="4096 MB")),
        r"worker_configuration.memory: got '4096 MB'; must be a number with unit GB",
    ),
    (
        "disk without unit",
        lambda e: app(e, initial_capacity=executors(cpu="2 vCPU", memory="8 GB", disk="30")),
        r"worker_configuration.disk: got '30'; needs a unit: write '30 GB'",
    ),
    (
        "standard disk above 200 GB",
        lambda e: app(e, initial_capacity=executors(cpu="2 vCPU", memory="8 GB", disk="500 GB")),
        r"worker_configuration.disk \(GB, STANDARD\): got 500; must be between 20 and 200",
    ),
    (
        "shuffle-optimized disk before emr-7.1.0",
        lambda e: app(
            e,
            release_label=ReleaseLabel.of("emr-7.0.0"),
            initial_capacity=executors(
                cpu="2 vCPU", memory="8 GB", disk="500 GB", disk_type=DiskType.SHUFFLE_OPTIMIZED
            ),
        ),
        r"worker_configuration.disk_type: got 'SHUFFLE_OPTIMIZED'; EMR Serverless shuffle-optimized disks needs emr-7.1.0",
    ),
    (
        "shuffle-optimized disk above 2000 GB",
        lambda e: app(
            e,
            initial_capacity=executors(
                cpu="2 vCPU", memory="8 GB", disk="2500 GB", disk_type=DiskType.SHUFFLE_OPTIMIZED
            ),
        ),
        r"worker_configuration.disk \(GB, SHUFFLE_OPTIMIZED\): got 2500; must be between 20 and 2000",
    ),
    (
        "negative worker count",
        lambda e: app(e, initial_capacity=executors(count=-2, cpu="2 vCPU", memory="8 GB")),
        r"initial_capacity\[0\].worker_count: got -2; must be between 1 and 1000000",
    ),
    (
        "initial capacity above maximum capacity",
        lambda e: app(
            e,
            initial_capacity=executors(count=10, cpu="4 vCPU", memory="16 GB"),
            maximum_capacity=MaximumCapacity(cpu_vcpu=16, memory_gb=256, disk_gb=1000),
        ),
        r"maximum_capacity.cpu_vcpu: got 16; is below the pre-initialized capacity \(40\)",
    ),
    (
        "auto-stop idle of 0 minutes",
        lambda e: app(e, idle_timeout=Duration.seconds(0)),
        r"idle_timeout \(minutes\): got 0; must be between 1 and 10080",
    ),
    (
        "auto-stop idle above 7 days",
        lambda e: app(e, idle_timeout=Duration.days(8)),
        r"idle_timeout \(minutes\): got 11520; must be between 1 and 10080",
    ),
    (
        "Spark worker type on Hive",
        lambda e: app(
            e, application_type=ApplicationType.HIVE, initial_capacity=executors(cpu="2 vCPU", memory="8 GB")
        ),
        r"initial_capacity\[0\].worker_type: got 'Executor'; HIVE applications take HiveDriver, TezTask",
    ),
    (
        "Iceberg on Hive",
        lambda e: app(e, application_type=ApplicationType.HIVE, iceberg_enabled=True),
        r"iceberg_enabled: got True; is a Spark option; application_type is HIVE",
    ),
    (
        "Livy endpoint on Hive",
        lambda e: app(
            e, application_type=ApplicationType.HIVE, interactive=InteractiveConfiguration(livy_endpoint_enabled=True)
        ),
        r"interactive.livy_endpoint_enabled: got True; is a Spark option",
    ),
    (
        "spark-defaults on Hive",
        lambda e: app(
            e,
            application_type=ApplicationType.HIVE,
            runtime_configuration=[Configuration(Classification.SPARK_DEFAULTS, {"spark.x": "1"})],
        ),
        r"runtime_configuration: got 'spark-defaults'; Spark classifications need SPARK",
    ),
    (
        "custom image before emr-6.9.0",
        lambda e: app(
            e, release_label=ReleaseLabel.of("emr-6.8.0"), image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"
        ),
        r"image_uri: got .*; EMR Serverless custom images needs emr-6.9.0",
    ),
    (
        "image URI that is an S3 path",
        lambda e: app(e, image_uri="s3://bucket/image.tar"),
        r"image_uri: got 's3://bucket/image.tar'; must be an ECR image URI",
    ),
    (
        "log retention not allowed by CloudWatch",
        lambda e: app(
            e, log_retention=__import__("emr_constructs.storage", fromlist=["retention_days"]).retention_days(42)
        ),
        r"retention_days: got 42; CloudWatch Logs allows",
    ),
    (
        "security groups without a VPC",
        lambda e: app(
            e, security_groups=[ec2.SecurityGroup.from_security_group_id(e[0], f"G{next(_ids)}", "sg-12345678")]
        ),
        r"security_groups: got 1; security groups need a vpc",
    ),
    (
        "application name with spaces",
        lambda e: app(e, name="my etl app"),
        r"name: got 'my etl app'; must be 1-64 letters, digits or",
    ),
    (
        "runtime role without a trust",
        lambda e: JobRuntimeRole(e[0], f"R{next(_ids)}"),
        r"trust: got None; a new runtime role needs a trust",
    ),
    (
        "malformed application id",
        lambda e: EmrServerlessApplication.from_application_id(e[0], f"I{next(_ids)}", "app/1"),
        r"application_id: got 'app/1'; must be an EMR Serverless application id",
    ),
]


@pytest.mark.parametrize(("case", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_value_error(
    env: tuple[Stack, ec2.Vpc], case: str, build: Callable, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build(env)


def test_at_least_twelve_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) >= 12


@pytest.mark.parametrize(
    ("cpu", "memory", "disk"),
    [
        ("1 vCPU", "2 GB", None),
        ("2 vCPU", "16", "200 GB"),
        ("4 vCPU", 30, "20 GB"),
        ("8 vCPU", "16 GB", None),
        ("8 vCPU", "60 GB", None),
        ("16 vCPU", "120 GB", None),
        (16, 32, None),
    ],
)
def test_documented_sizes_are_accepted(env: tuple[Stack, ec2.Vpc], cpu: Any, memory: Any, disk: str | None) -> None:
    app(
        env,
        initial_capacity=executors(cpu=cpu, memory=memory, disk=disk),
        maximum_capacity=MaximumCapacity(cpu_vcpu=16, memory_gb=120, disk_gb=200),
    )


def test_tokens_pass_validation(env: tuple[Stack, ec2.Vpc]) -> None:
    number = Token.as_number({"Ref": "Workers"})
    text = Token.as_string({"Ref": "Size"})
    app(
        env,
        release_label=ReleaseLabel.of(Token.as_string({"Ref": "Release"})),
        architecture=Architecture.ARM64,
        initial_capacity=executors(count=number, cpu=text, memory=text, disk=text),
        maximum_capacity=MaximumCapacity(cpu_vcpu=number, memory_gb=number, disk_gb=number),
        idle_timeout=Duration.minutes(number),
        image_uri=Token.as_string({"Ref": "Image"}),
    )
