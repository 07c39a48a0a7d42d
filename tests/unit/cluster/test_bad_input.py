"""Every invalid prop raises ValueError at construct time naming the prop, the value and what is allowed.

Tokens are never rejected: their values are only known at deploy time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Duration, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager

from emr_constructs import (
    Application,
    BootstrapAction,
    ClusterCapacity,
    EbsVolume,
    EmrCluster,
    EmrSecurityConfiguration,
    InstanceFleet,
    InstanceGroup,
    InTransitEncryption,
    KerberosConfiguration,
    ManagedScaling,
    Market,
    ReleaseLabel,
    RuntimeRoleAuthorization,
    ScalingUnit,
    Step,
)
from tests.conftest import new_stack

_ids = itertools.count()


@pytest.fixture(scope="module")
def env() -> tuple[Stack, ec2.Vpc]:
    return new_stack()


def cluster(env: tuple[Stack, ec2.Vpc], **props: Any) -> EmrCluster:
    stack, vpc = env
    return EmrCluster(stack, f"C{next(_ids)}", vpc=vpc, **props)


def runtime_security(env: tuple[Stack, ec2.Vpc]) -> EmrSecurityConfiguration:
    return EmrSecurityConfiguration(env[0], f"S{next(_ids)}", runtime_roles=RuntimeRoleAuthorization())


def fleets(**kwargs: Any) -> ClusterCapacity:
    return ClusterCapacity.instance_fleets(**kwargs)


def groups(**kwargs: Any) -> ClusterCapacity:
    return ClusterCapacity.instance_groups(**kwargs)


THIRTY_ONE_TYPES = [
    f"{family}.{size}"
    for family in ("m5", "r5", "m6i", "r6i")
    for size in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
][:31]

CASES: list[tuple[str, Callable[[tuple[Stack, ec2.Vpc]], object], str]] = [
    (
        "malformed release label",
        lambda e: cluster(e, release_label=ReleaseLabel.of("emr-7.1")),
        r"release_label: got 'emr-7.1'; must look like 'emr-X.Y.Z'",
    ),
    (
        "EKS release suffix on EC2",
        lambda e: cluster(e, release_label=ReleaseLabel.of("emr-7.1.0-latest")),
        r"release_label: got 'emr-7.1.0-latest'; EMR on EC2 takes",
    ),
    (
        "primary count 2",
        lambda e: cluster(e, capacity=groups(primary=InstanceGroup(count=2))),
        r"capacity.primary: got 2; a cluster has 1 primary node, or 3",
    ),
    (
        "three primaries on fleets, release without support",
        lambda e: cluster(
            e,
            release_label=ReleaseLabel.of("emr-6.9.0"),
            capacity=fleets(
                primary=InstanceFleet(instance_types=["m6g.xlarge"], on_demand_units=3),
                core=InstanceFleet(instance_types=["m6g.xlarge"], on_demand_units=2),
                tasks=[],
            ),
        ),
        r"capacity.primary.on_demand_units: got 3; Three primary nodes on instance fleets needs .*emr-6.8.1",
    ),
    (
        "three Spot primaries",
        lambda e: cluster(e, capacity=groups(primary=InstanceGroup(count=3, market=Market.SPOT))),
        r"capacity.primary.market: got 'SPOT'; three primary nodes must be On-Demand",
    ),
    (
        "three primaries with termination protection off",
        lambda e: cluster(e, capacity=groups(primary=InstanceGroup(count=3)), termination_protection=False),
        r"termination_protection: got False; EMR forces termination protection on",
    ),
    (
        "three primaries with an idle timeout",
        lambda e: cluster(e, capacity=groups(primary=InstanceGroup(count=3)), idle_timeout=Duration.hours(2)),
        r"idle_timeout: got '2 hours'; EMR ignores auto-termination for three primary nodes",
    ),
    (
        "three primaries with a cluster-dedicated KDC",
        lambda e: cluster(
            e,
            capacity=groups(primary=InstanceGroup(count=3)),
            security_configuration=EmrSecurityConfiguration(
                e[0],
                f"K{next(_ids)}",
                kerberos=KerberosConfiguration(kdc_admin_password=secretsmanager.Secret(e[0], f"P{next(_ids)}")),
            ),
        ),
        r"security_configuration.kerberos: got 'cluster-dedicated KDC'; three primary nodes need an external KDC",
    ),
    (
        "idle timeout below 60 s",
        lambda e: cluster(e, idle_timeout=Duration.seconds(30)),
        r"idle_timeout \(seconds\): got 30; must be between 60 and 604800",
    ),
    (
        "idle timeout above 7 days",
        lambda e: cluster(e, idle_timeout=Duration.days(8)),
        r"idle_timeout \(seconds\): got 691200; must be between 60 and 604800",
    ),
    (
        "managed scaling min > max",
        lambda e: cluster(e, managed_scaling=ManagedScaling(minimum_units=8, maximum_units=4)),
        r"managed_scaling.minimum_units: got 8; must not exceed maximum_units \(4\)",
    ),
    (
        "max core > max",
        lambda e: cluster(e, managed_scaling=ManagedScaling(minimum_units=2, maximum_units=4, maximum_core_units=6)),
        r"managed_scaling.maximum_core_units: got 6; must not exceed maximum_units \(4\)",
    ),
    (
        "max On-Demand > max",
        lambda e: cluster(
            e, managed_scaling=ManagedScaling(minimum_units=2, maximum_units=4, maximum_on_demand_units=5)
        ),
        r"managed_scaling.maximum_on_demand_units: got 5; must not exceed maximum_units \(4\)",
    ),
    (
        "max core below the initial core capacity",
        lambda e: cluster(e, capacity=groups(core=InstanceGroup(count=4))),
        r"managed_scaling.maximum_core_units: got 2; is below the initial core capacity \(4\)",
    ),
    (
        "fleet units on instance groups",
        lambda e: cluster(
            e,
            capacity=groups(),
            managed_scaling=ManagedScaling(
                minimum_units=1, maximum_units=4, unit_type=ScalingUnit.INSTANCE_FLEET_UNITS
            ),
        ),
        r"managed_scaling.unit_type: got 'InstanceFleetUnits'; instance groups take Instances or VCPU",
    ),
    (
        "task fleet without instance types",
        lambda e: cluster(e, capacity=fleets(tasks=[InstanceFleet(instance_types=[], spot_units=2)])),
        r"capacity.tasks\[0\].instance_types: got \[\]; a fleet needs at least one instance type",
    ),
    (
        "too many instance types for a fleet",
        lambda e: cluster(
            e,
            capacity=fleets(tasks=[InstanceFleet(instance_types=THIRTY_ONE_TYPES, spot_units=1)]),
        ),
        r"capacity.tasks\[0\].instance_types: got '31 types'; a fleet takes at most 30 instance types",
    ),
    (
        "duplicate fleet instance types",
        lambda e: cluster(
            e, capacity=fleets(core=InstanceFleet(instance_types=["m6g.xlarge", "m6g.xlarge"], on_demand_units=1))
        ),
        r"capacity.core.instance_types: got .*; instance types must be unique",
    ),
    (
        "two task fleets",
        lambda e: cluster(e, capacity=fleets(tasks=[InstanceFleet(instance_types=["m6g.xlarge"], spot_units=1)] * 2)),
        r"capacity.tasks: got 2; instance fleets allow at most one task fleet",
    ),
    (
        "spot timeout below 5 minutes",
        lambda e: cluster(
            e,
            capacity=fleets(
                tasks=[InstanceFleet(instance_types=["m6g.xlarge"], spot_units=1, spot_timeout=Duration.minutes(2))]
            ),
        ),
        r"capacity.tasks\[0\].spot_timeout \(minutes\): got 2; must be between 5 and 1440",
    ),
    (
        "instance group in fleet capacity",
        lambda e: cluster(e, capacity=ClusterCapacity(kind="fleets", primary=InstanceGroup(), core=None)),
        r"capacity.primary: got 'InstanceGroup'; instance fleets capacity takes InstanceFleet only",
    ),
    (
        "Graviton type older than its release floor",
        lambda e: cluster(
            e,
            release_label=ReleaseLabel.of("emr-6.9.0"),
            capacity=groups(primary=InstanceGroup(instance_type="m7g.xlarge")),
        ),
        r"capacity.primary.instance_type: got 'm7g.xlarge'; Graviton3 instance types needs emr-5.36.1 / emr-6.10.0",
    ),
    (
        "negative EBS size",
        lambda e: cluster(e, capacity=groups(core=InstanceGroup(count=2, ebs_volumes=[EbsVolume(size_gib=-10)]))),
        r"capacity.core.ebs_volumes\[0\].size_gib: got -10; must be between 1 and 16384",
    ),
    (
        "unknown EBS volume type",
        lambda e: cluster(
            e, capacity=groups(core=InstanceGroup(count=2, ebs_volumes=[EbsVolume(size_gib=10, volume_type="gp9")]))
        ),
        r"capacity.core.ebs_volumes\[0\].volume_type: got 'gp9'; allowed values: gp3",
    ),
    (
        "unknown application name",
        lambda e: cluster(e, applications=[Application.of("Sparkle")]),
        r"applications: got 'Sparkle'; allowed applications: AmazonCloudWatchAgent",
    ),
    (
        "Hive on the Spark-only 8.x line",
        lambda e: cluster(e, release_label=ReleaseLabel.of("emr-spark-8.0.0"), applications=[Application.HIVE]),
        r"applications: got 'Hive'; the Spark-only emr-spark-8.0.0 ships only",
    ),
    (
        "bootstrap path not an s3:// URI",
        lambda e: BootstrapAction(name="deps", script_s3_uri="https://example.com/deps.sh"),
        r"bootstrap_action.script_s3_uri: got 'https://example.com/deps.sh'; must be an s3:// URI",
    ),
    (
        "Spark entry point not an s3:// URI",
        lambda e: Step.spark_submit(name="job", entry_point="/home/me/job.py"),
        r"entry_point: got '/home/me/job.py'; must be an s3:// URI",
    ),
    (
        "runtime-role step without runtime-role security configuration",
        lambda e: cluster(e).add_step(
            Step.spark_submit(
                name="job",
                entry_point="s3://bkt/job.py",
                runtime_role=iam.Role.from_role_name(e[0], f"R{next(_ids)}", "JobRole"),
            )
        ),
        r"step.runtime_role: got .*; runtime roles need security_configuration=EmrSecurityConfiguration\(runtime_roles=",
    ),
    (
        "runtime roles on a release without them",
        lambda e: cluster(
            e,
            release_label=ReleaseLabel.of("emr-6.6.0"),
            capacity=groups(
                primary=InstanceGroup(instance_type="m6g.xlarge"),
                core=InstanceGroup(instance_type="m6g.xlarge"),
                tasks=[],
            ),
            security_configuration=runtime_security(e),
        ).add_runtime_role("Role"),
        r"add_runtime_role: got 'emr-6.6.0'; Runtime roles for steps needs emr-6.7.0",
    ),
    (
        "runtime-role step on a transient cluster",
        lambda e: (
            c := cluster(e, security_configuration=runtime_security(e), auto_terminate_after_steps=True)
        ).add_step(
            Step.spark_submit(name="job", entry_point="s3://bkt/job.py", runtime_role=c.add_runtime_role("R").role)
        ),
        r"step.runtime_role: got 'job'; runtime-role steps are submitted after the cluster starts",
    ),
    (
        "step concurrency 0",
        lambda e: cluster(e, step_concurrency_level=0),
        r"step_concurrency_level: got 0; must be between 1 and 256",
    ),
    (
        "malformed imported cluster id",
        lambda e: EmrCluster.from_cluster_id(e[0], f"I{next(_ids)}", "cluster-1"),
        r"cluster_id: got 'cluster-1'; must be an EMR cluster id",
    ),
    (
        "TLS certificates not in S3",
        lambda e: EmrSecurityConfiguration(
            e[0], f"T{next(_ids)}", in_transit=InTransitEncryption(certificate_s3_uri="certs.zip")
        ),
        r"in_transit.certificate_s3_uri: got 'certs.zip'; must be an s3:// URI",
    ),
    (
        "Kerberos ticket lifetime 0",
        lambda e: EmrSecurityConfiguration(
            e[0],
            f"T{next(_ids)}",
            kerberos=KerberosConfiguration(
                kdc_admin_password=secretsmanager.Secret(e[0], f"P{next(_ids)}"), ticket_lifetime_hours=0
            ),
        ),
        r"kerberos.ticket_lifetime_hours: got 0; must be between 1 and 168",
    ),
]


@pytest.mark.parametrize(("case", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_value_error(
    env: tuple[Stack, ec2.Vpc], case: str, build: Callable, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build(env)


def test_at_least_fifteen_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) >= 15


def test_tokens_pass_validation(env: tuple[Stack, ec2.Vpc]) -> None:
    stack, _ = env
    number = Token.as_number({"Ref": "Count"})
    key = kms.Key(stack, "TokenKey")
    c = cluster(
        env,
        release_label=ReleaseLabel.of(Token.as_string({"Ref": "Release"})),
        capacity=groups(
            primary=InstanceGroup(instance_type=Token.as_string({"Ref": "Type"})),
            core=InstanceGroup(count=number, ebs_volumes=[EbsVolume(size_gib=number)]),
        ),
        managed_scaling=ManagedScaling(minimum_units=number, maximum_units=number, maximum_core_units=number),
        step_concurrency_level=number,
        idle_timeout=Duration.seconds(number),
        security_configuration=EmrSecurityConfiguration(
            stack,
            "TokenSecurity",
            in_transit=InTransitEncryption(certificate_s3_uri=Token.as_string({"Ref": "CertUri"})),
            runtime_roles=RuntimeRoleAuthorization(),
        ),
    )
    c.add_bootstrap_action(BootstrapAction(name="deps", script_s3_uri=Token.as_string({"Ref": "Script"})))
    c.add_step(
        Step.spark_submit(
            name="job", entry_point=Token.as_string({"Ref": "Entry"}), runtime_role=c.add_runtime_role("TokenRole").role
        )
    )
    assert key is not None and c.cluster_id
