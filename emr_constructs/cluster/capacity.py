"""Cluster capacity: uniform instance groups or instance fleets, with EBS volumes for HDFS.

Defaults are frugal and resilient: Graviton instance types, On-Demand primary and core, and a task fleet on Spot
(capacity-optimized allocation across several Graviton types, switching to On-Demand when Spot is not found in time).
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-group-configuration.html
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_emr as emr

from emr_constructs._internal.types import (
    check_ec2_instance_type,
    check_enum,
    check_int,
    check_sequence_of,
    check_text,
    check_type,
)
from emr_constructs._internal.validation import check_one_of, check_range, fail, is_token
from emr_constructs.releases import (
    MULTI_PRIMARY_INSTANCE_FLEETS,
    MULTI_PRIMARY_INSTANCE_GROUPS,
    ReleaseLabel,
    check_instance_types_for_release,
)

DEFAULT_PRIMARY_INSTANCE_TYPES = ("m7g.xlarge", "m6g.xlarge")
DEFAULT_CORE_INSTANCE_TYPES = ("m7g.xlarge", "m6g.xlarge", "r7g.xlarge", "r6g.xlarge")
DEFAULT_TASK_INSTANCE_TYPES = ("m7g.2xlarge", "m6g.2xlarge", "r7g.2xlarge", "r6g.2xlarge", "c7g.2xlarge", "c6g.2xlarge")
DEFAULT_SPOT_TIMEOUT = Duration.minutes(10)
DEFAULT_HDFS_VOLUME_GIB = 64
MAX_INSTANCE_TYPES_PER_FLEET = 30
EBS_VOLUME_TYPES = ("gp3", "gp2", "io1", "io2", "st1", "sc1", "standard")


class Market(Enum):
    """How an instance group or fleet buys its instances: On-Demand or Spot."""

    ON_DEMAND = "ON_DEMAND"
    SPOT = "SPOT"


class SpotAllocationStrategy(Enum):
    """How EMR picks Spot pools for a fleet. Default: ``CAPACITY_OPTIMIZED`` (fewest interruptions)."""

    CAPACITY_OPTIMIZED = "capacity-optimized"
    PRICE_CAPACITY_OPTIMIZED = "price-capacity-optimized"
    CAPACITY_OPTIMIZED_PRIORITIZED = "capacity-optimized-prioritized"
    LOWEST_PRICE = "lowest-price"
    DIVERSIFIED = "diversified"


class SpotTimeoutAction(Enum):
    """What a fleet does when Spot capacity is not provisioned within the timeout."""

    SWITCH_TO_ON_DEMAND = "SWITCH_TO_ON_DEMAND"
    TERMINATE_CLUSTER = "TERMINATE_CLUSTER"


@dataclass(frozen=True, kw_only=True)
class EbsVolume:
    """EBS volumes attached to each instance (HDFS storage on core nodes).

    :param size_gib: size of each volume in GiB.
    :param volume_type: Default: ``gp3``.
    :param volumes_per_instance: Default: 1.
    """

    size_gib: int
    volume_type: str = "gp3"
    volumes_per_instance: int = 1
    iops: int | None = None
    throughput: int | None = None

    def __post_init__(self) -> None:
        check_int("size_gib", self.size_gib, optional=False)
        check_type("volume_type", self.volume_type, str)
        for prop in ("volumes_per_instance", "iops", "throughput"):
            check_int(prop, getattr(self, prop), optional=prop != "volumes_per_instance")

    def _validate(self, prop: str) -> None:
        check_range(f"{prop}.size_gib", self.size_gib, 1, 16384)
        check_one_of(f"{prop}.volume_type", self.volume_type, EBS_VOLUME_TYPES)
        check_range(f"{prop}.volumes_per_instance", self.volumes_per_instance, 1, 25)

    def _render(self) -> emr.CfnCluster.EbsBlockDeviceConfigProperty:
        return emr.CfnCluster.EbsBlockDeviceConfigProperty(
            volume_specification=emr.CfnCluster.VolumeSpecificationProperty(
                size_in_gb=self.size_gib, volume_type=self.volume_type, iops=self.iops, throughput=self.throughput
            ),
            volumes_per_instance=self.volumes_per_instance,
        )


def _render_ebs(volumes: Sequence[EbsVolume]) -> emr.CfnCluster.EbsConfigurationProperty | None:
    if not volumes:
        return None
    return emr.CfnCluster.EbsConfigurationProperty(
        ebs_block_device_configs=[v._render() for v in volumes], ebs_optimized=True
    )


@dataclass(frozen=True, kw_only=True)
class InstanceGroup:
    """A uniform instance group: one instance type, a count and a market.

    :param instance_type: Default: Graviton ``m7g.xlarge``.
    :param count: Default: 1.
    :param market: Default: On-Demand.
    :param ebs_volumes: Default: none beyond what EMR attaches by default.
    """

    instance_type: str = DEFAULT_PRIMARY_INSTANCE_TYPES[0]
    count: int = 1
    market: Market = Market.ON_DEMAND
    ebs_volumes: Sequence[EbsVolume] = ()
    name: str | None = None

    def __post_init__(self) -> None:
        check_ec2_instance_type("instance_type", self.instance_type)
        check_int("count", self.count, optional=False)
        check_enum("market", self.market, Market, optional=False)
        check_sequence_of("ebs_volumes", self.ebs_volumes, EbsVolume, optional=False)
        check_text("name", self.name)

    def _render(self) -> emr.CfnCluster.InstanceGroupConfigProperty:
        return emr.CfnCluster.InstanceGroupConfigProperty(
            instance_count=self.count,
            instance_type=self.instance_type,
            market=self.market.value,
            name=self.name,
            ebs_configuration=_render_ebs(self.ebs_volumes),
        )


@dataclass(frozen=True, kw_only=True)
class InstanceFleet:
    """An instance fleet: several instance types, On-Demand and Spot target units.

    :param instance_types: one to thirty EC2 instance types, each worth one unit.
    :param on_demand_units: Default: 0.
    :param spot_units: Default: 0.
    :param spot_allocation_strategy: Default: capacity-optimized.
    :param spot_timeout: how long to wait for Spot before ``spot_timeout_action``. Default: 10 minutes.
    :param spot_timeout_action: Default: switch to On-Demand.
    :param ebs_volumes: Default: none beyond what EMR attaches by default.
    """

    instance_types: Sequence[str]
    on_demand_units: int = 0
    spot_units: int = 0
    spot_allocation_strategy: SpotAllocationStrategy = SpotAllocationStrategy.CAPACITY_OPTIMIZED
    spot_timeout: Duration = DEFAULT_SPOT_TIMEOUT
    spot_timeout_action: SpotTimeoutAction = SpotTimeoutAction.SWITCH_TO_ON_DEMAND
    ebs_volumes: Sequence[EbsVolume] = ()
    name: str | None = None

    def __post_init__(self) -> None:
        check_sequence_of("instance_types", self.instance_types, str, optional=False)
        for i, instance_type in enumerate(self.instance_types):
            check_ec2_instance_type(f"instance_types[{i}]", instance_type)
        check_int("on_demand_units", self.on_demand_units, optional=False)
        check_int("spot_units", self.spot_units, optional=False)
        check_enum("spot_allocation_strategy", self.spot_allocation_strategy, SpotAllocationStrategy, optional=False)
        check_type("spot_timeout", self.spot_timeout, Duration)
        check_enum("spot_timeout_action", self.spot_timeout_action, SpotTimeoutAction, optional=False)
        check_sequence_of("ebs_volumes", self.ebs_volumes, EbsVolume, optional=False)
        check_text("name", self.name)

    def _render(self) -> emr.CfnCluster.InstanceFleetConfigProperty:
        ebs = _render_ebs(self.ebs_volumes)
        launch = None
        if self.spot_units:
            launch = emr.CfnCluster.InstanceFleetProvisioningSpecificationsProperty(
                spot_specification=emr.CfnCluster.SpotProvisioningSpecificationProperty(
                    allocation_strategy=self.spot_allocation_strategy.value,
                    timeout_action=self.spot_timeout_action.value,
                    timeout_duration_minutes=self.spot_timeout.to_minutes(),
                ),
                on_demand_specification=emr.CfnCluster.OnDemandProvisioningSpecificationProperty(
                    allocation_strategy="lowest-price"
                ),
            )
        return emr.CfnCluster.InstanceFleetConfigProperty(
            name=self.name,
            target_on_demand_capacity=self.on_demand_units,
            target_spot_capacity=self.spot_units,
            launch_specifications=launch,
            instance_type_configs=[
                emr.CfnCluster.InstanceTypeConfigProperty(
                    instance_type=t,
                    weighted_capacity=1,
                    ebs_configuration=ebs,
                    bid_price_as_percentage_of_on_demand_price=100 if self.spot_units else None,
                )
                for t in self.instance_types
            ],
        )


@dataclass(frozen=True, kw_only=True)
class ClusterCapacity:
    """The nodes of a cluster, as instance groups or as instance fleets (EMR does not mix them).

    Build it with ``ClusterCapacity.instance_fleets(...)`` or ``ClusterCapacity.instance_groups(...)``.
    """

    kind: str
    primary: InstanceGroup | InstanceFleet
    core: InstanceGroup | InstanceFleet | None
    tasks: Sequence[InstanceGroup | InstanceFleet] = field(default_factory=tuple)

    @classmethod
    def instance_fleets(
        cls,
        *,
        primary: InstanceFleet | None = None,
        core: InstanceFleet | None = None,
        tasks: Sequence[InstanceFleet] | None = None,
    ) -> ClusterCapacity:
        """Instance fleets. Defaults: one On-Demand primary, two On-Demand core units with a 64 GiB gp3 HDFS
        volume each, and a task fleet of two Spot units over six Graviton types."""
        return cls(
            kind="fleets",
            primary=primary
            or InstanceFleet(name="Primary", instance_types=DEFAULT_PRIMARY_INSTANCE_TYPES, on_demand_units=1),
            core=core
            or InstanceFleet(
                name="Core",
                instance_types=DEFAULT_CORE_INSTANCE_TYPES,
                on_demand_units=2,
                ebs_volumes=[EbsVolume(size_gib=DEFAULT_HDFS_VOLUME_GIB)],
            ),
            tasks=tuple(tasks)
            if tasks is not None
            else (InstanceFleet(name="Task", instance_types=DEFAULT_TASK_INSTANCE_TYPES, spot_units=2),),
        )

    @classmethod
    def instance_groups(
        cls,
        *,
        primary: InstanceGroup | None = None,
        core: InstanceGroup | None = None,
        tasks: Sequence[InstanceGroup] | None = None,
    ) -> ClusterCapacity:
        """Uniform instance groups. Defaults: one On-Demand m7g.xlarge primary, two On-Demand core nodes with a
        64 GiB gp3 HDFS volume, and one Spot task group of two m7g.2xlarge."""
        return cls(
            kind="groups",
            primary=primary or InstanceGroup(name="Primary"),
            core=core or InstanceGroup(name="Core", count=2, ebs_volumes=[EbsVolume(size_gib=DEFAULT_HDFS_VOLUME_GIB)]),
            tasks=tuple(tasks)
            if tasks is not None
            else (
                InstanceGroup(name="Task", instance_type=DEFAULT_TASK_INSTANCE_TYPES[0], count=2, market=Market.SPOT),
            ),
        )

    @property
    def core_units(self) -> int:
        """Initial core capacity: instances for groups, units for fleets."""
        c = self.core
        if c is None:
            return 0
        return c.count if isinstance(c, InstanceGroup) else c.on_demand_units + c.spot_units

    @property
    def primary_count(self) -> int:
        p = self.primary
        return p.count if isinstance(p, InstanceGroup) else p.on_demand_units + p.spot_units

    def validate(self, release: ReleaseLabel) -> None:
        """Raise ``ValueError`` for capacity EMR would reject, naming the prop path under ``capacity``."""
        nodes: list[tuple[str, InstanceGroup | InstanceFleet]] = [("capacity.primary", self.primary)]
        if self.core is not None:
            nodes.append(("capacity.core", self.core))
        nodes += [(f"capacity.tasks[{i}]", t) for i, t in enumerate(self.tasks)]
        expected = InstanceGroup if self.kind == "groups" else InstanceFleet
        for prop, node in nodes:
            if not isinstance(node, expected):
                raise fail(prop, type(node).__name__, f"instance {self.kind} capacity takes {expected.__name__} only")
            for i, volume in enumerate(node.ebs_volumes):
                volume._validate(f"{prop}.ebs_volumes[{i}]")
            if isinstance(node, InstanceGroup):
                self._validate_group(prop, node, release)
            else:
                self._validate_fleet(prop, node, release)
        if self.kind == "fleets" and len(self.tasks) > 1:
            raise fail("capacity.tasks", len(self.tasks), "instance fleets allow at most one task fleet")
        self._validate_primary(release)

    @staticmethod
    def _validate_group(prop: str, group: InstanceGroup, release: ReleaseLabel) -> None:
        check_range(f"{prop}.count", group.count, 0 if "tasks" in prop else 1, 500)
        check_instance_types_for_release(release, f"{prop}.instance_type", [group.instance_type])

    @staticmethod
    def _validate_fleet(prop: str, fleet: InstanceFleet, release: ReleaseLabel) -> None:
        types = list(fleet.instance_types)
        if not types:
            raise fail(f"{prop}.instance_types", types, "a fleet needs at least one instance type")
        if len(types) > MAX_INSTANCE_TYPES_PER_FLEET:
            raise fail(
                f"{prop}.instance_types",
                f"{len(types)} types",
                f"a fleet takes at most {MAX_INSTANCE_TYPES_PER_FLEET} instance types",
            )
        if len(set(types)) != len(types):
            raise fail(f"{prop}.instance_types", types, "instance types must be unique within a fleet")
        check_range(f"{prop}.on_demand_units", fleet.on_demand_units, 0, 10000)
        check_range(f"{prop}.spot_units", fleet.spot_units, 0, 10000)
        if not is_token(fleet.spot_timeout.to_minutes()):
            check_range(f"{prop}.spot_timeout (minutes)", fleet.spot_timeout.to_minutes(), 5, 1440)
        check_instance_types_for_release(release, f"{prop}.instance_types", types)

    def _validate_primary(self, release: ReleaseLabel) -> None:
        primary = self.primary
        count = self.primary_count
        if is_token(count):
            return
        if count not in (1, 3):
            raise fail("capacity.primary", count, "a cluster has 1 primary node, or 3 for high availability")
        if count == 3:
            if isinstance(primary, InstanceGroup):
                release.require(MULTI_PRIMARY_INSTANCE_GROUPS, "capacity.primary.count", count)
                if primary.market is not Market.ON_DEMAND:
                    raise fail("capacity.primary.market", primary.market.value, "three primary nodes must be On-Demand")
            else:
                release.require(MULTI_PRIMARY_INSTANCE_FLEETS, "capacity.primary.on_demand_units", count)
                if primary.spot_units:
                    raise fail(
                        "capacity.primary.spot_units",
                        primary.spot_units,
                        "three primary nodes must be On-Demand (spot_units=0, on_demand_units=3)",
                    )

    def render_instances(self) -> dict[str, Any]:
        """The capacity part of ``CfnCluster.JobFlowInstancesConfigProperty``."""
        if self.kind == "groups":
            return {
                "master_instance_group": self.primary._render(),
                "core_instance_group": self.core._render() if self.core else None,
                "task_instance_groups": [t._render() for t in self.tasks] or None,
            }
        return {
            "master_instance_fleet": self.primary._render(),
            "core_instance_fleet": self.core._render() if self.core else None,
            "task_instance_fleets": [t._render() for t in self.tasks] or None,
        }
