"""Managed scaling of an EMR on EC2 cluster.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aws_cdk import aws_emr as emr

from emr_constructs._internal.validation import check_range, fail, is_token

MAX_CAPACITY_UNITS = 2000


class ScalingUnit(Enum):
    """What managed-scaling limits count. Default: instances for groups, fleet units for fleets."""

    INSTANCES = "Instances"
    INSTANCE_FLEET_UNITS = "InstanceFleetUnits"
    VCPU = "VCPU"


@dataclass(frozen=True, kw_only=True)
class ManagedScaling:
    """Compute limits for EMR managed scaling (core and task nodes; the primary never scales).

    :param minimum_units: the floor EMR never scales below.
    :param maximum_units: the ceiling EMR never scales above.
    :param maximum_on_demand_units: Default: no separate limit; set it below ``maximum_units`` so that growth
        beyond it is Spot.
    :param maximum_core_units: Default: no separate limit; set it to keep HDFS nodes fixed and scale task nodes.
    :param unit_type: Default: chosen from the capacity kind.
    """

    minimum_units: int
    maximum_units: int
    maximum_on_demand_units: int | None = None
    maximum_core_units: int | None = None
    unit_type: ScalingUnit | None = None

    def validate_against(self, capacity_kind: str, core_units: int) -> None:
        """``validate`` plus: the core limit must not be below the initial core capacity (EMR would shrink HDFS)."""
        self.validate(capacity_kind)
        limit = self.maximum_core_units
        if limit is not None and not is_token([limit, core_units]) and limit < core_units:
            raise fail(
                "managed_scaling.maximum_core_units",
                limit,
                f"is below the initial core capacity ({core_units}); raise it or shrink capacity.core",
            )

    def validate(self, capacity_kind: str) -> None:
        check_range("managed_scaling.minimum_units", self.minimum_units, 1, MAX_CAPACITY_UNITS)
        check_range("managed_scaling.maximum_units", self.maximum_units, 1, MAX_CAPACITY_UNITS)
        if not is_token([self.minimum_units, self.maximum_units]) and self.minimum_units > self.maximum_units:
            raise fail(
                "managed_scaling.minimum_units",
                self.minimum_units,
                f"must not exceed maximum_units ({self.maximum_units})",
            )
        for prop in ("maximum_on_demand_units", "maximum_core_units"):
            value = getattr(self, prop)
            check_range(f"managed_scaling.{prop}", value, 1, MAX_CAPACITY_UNITS)
            if value is not None and not is_token([value, self.maximum_units]) and value > self.maximum_units:
                raise fail(f"managed_scaling.{prop}", value, f"must not exceed maximum_units ({self.maximum_units})")
        wrong = ScalingUnit.INSTANCE_FLEET_UNITS if capacity_kind == "groups" else ScalingUnit.INSTANCES
        if self.unit_type is wrong:
            raise fail(
                "managed_scaling.unit_type",
                self.unit_type.value,
                f"instance {capacity_kind} take {self._default_unit(capacity_kind).value} or VCPU",
            )

    @staticmethod
    def _default_unit(capacity_kind: str) -> ScalingUnit:
        return ScalingUnit.INSTANCES if capacity_kind == "groups" else ScalingUnit.INSTANCE_FLEET_UNITS

    def _render(self, capacity_kind: str) -> emr.CfnCluster.ManagedScalingPolicyProperty:
        unit = self.unit_type or self._default_unit(capacity_kind)
        return emr.CfnCluster.ManagedScalingPolicyProperty(
            compute_limits=emr.CfnCluster.ComputeLimitsProperty(
                unit_type=unit.value,
                minimum_capacity_units=self.minimum_units,
                maximum_capacity_units=self.maximum_units,
                maximum_on_demand_capacity_units=self.maximum_on_demand_units,
                maximum_core_capacity_units=self.maximum_core_units,
            )
        )
