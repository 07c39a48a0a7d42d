"""EmrCluster over generated capacity, managed scaling, idle timeout and step concurrency.

Wrong-typed numbers (``"2"``, ``2.5``, ``True``, non-ASCII digits) are generated for step_concurrency_level only: for
the capacity and scaling counts they are findings, pinned in test_findings.py until the library rejects them.
"""

from __future__ import annotations

from collections.abc import Callable

from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs import ClusterCapacity, EmrCluster, InstanceFleet, InstanceGroup, ManagedScaling
from tests.property.harness import Harness, V, bad, bounded, good, maybe, mix, wrong_types

STEP_CONCURRENCY = mix(
    good(st.sampled_from([1, 2, 255, 256]) | st.integers(1, 256)),
    bad(0, -1, 257, 10_000),
    wrong_types(True),
    maybe(st.none()),
)
# Seconds: 60 s .. 7 days.
IDLE_SECONDS = mix(
    good(st.sampled_from([60, 3600, 604_800]) | st.integers(60, 604_800)), bad(0, 1, 59, 604_801), maybe(st.none())
)
PRIMARY_COUNT = mix(good(st.sampled_from([1, 3])), bad(0, 2, 4, -1))
CORE_UNITS = mix(good(st.integers(1, 6)), maybe(st.just(0)), bad(-1))
SCALING_UNITS = mix(maybe(st.sampled_from([1, 2, 3, 20, 2000]) | st.integers(1, 2000)), bad(0, -5))
SCALING_CORE_LIMIT = mix(maybe(st.none() | st.integers(1, 30)), bad(0))


def vpc(stack: Stack) -> ec2.IVpc:
    """An imported VPC: no VPC resources to synthesize or lint, only the cluster's."""
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        private_subnet_route_table_ids=["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"],
    )


def capacity(kind: str, primary: int, core: int) -> ClusterCapacity:
    if kind == "groups":
        return ClusterCapacity.instance_groups(primary=InstanceGroup(count=primary), core=InstanceGroup(count=core))
    return ClusterCapacity.instance_fleets(
        primary=InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=primary),
        core=InstanceFleet(instance_types=["m7g.xlarge"], on_demand_units=core),
    )


def test_emr_cluster_synthesizes_or_rejects_the_prop(record_property: Callable[[str, object], None]) -> None:
    harness = Harness("EmrCluster")

    @bounded(25)
    @given(
        kind=st.sampled_from(["groups", "fleets"]),
        step_concurrency_level=STEP_CONCURRENCY,
        idle_seconds=IDLE_SECONDS,
        primary=PRIMARY_COUNT,
        core=CORE_UNITS,
        minimum=SCALING_UNITS,
        maximum=SCALING_UNITS,
        core_limit=SCALING_CORE_LIMIT,
    )
    def cluster(
        kind: str,
        step_concurrency_level: V,
        idle_seconds: V,
        primary: V,
        core: V,
        minimum: V,
        maximum: V,
        core_limit: V,
    ) -> None:
        idle = None if idle_seconds.value is None else Duration.seconds(idle_seconds.value)
        # Three primary nodes take no idle timeout: a timeout otherwise good depends on the primary count.
        idle_verdict = None if idle_seconds.bad is False and primary.value == 3 else idle_seconds.bad
        props = {
            "step_concurrency_level": step_concurrency_level,
            "idle_timeout": V(idle, idle_verdict),
            "capacity.primary": primary,
            "capacity.core": core,
            "managed_scaling.minimum_units": minimum,
            "managed_scaling.maximum_units": maximum,
            "managed_scaling.maximum_core_units": core_limit,
        }

        def build(stack: Stack) -> None:
            EmrCluster(
                stack,
                "Cluster",
                vpc=vpc(stack),
                capacity=capacity(kind, primary.value, core.value),
                managed_scaling=ManagedScaling(
                    minimum_units=minimum.value, maximum_units=maximum.value, maximum_core_units=core_limit.value
                ),
                idle_timeout=idle,
                step_concurrency_level=step_concurrency_level.value,
            )

        harness.check(props, build)

    cluster()
    harness.record(record_property)
