"""Where Spark pods may run: the node labels and taints shared by ``EmrEksCluster``, ``Karpenter`` and ``PodTemplates``.

One vocabulary for the three, so a template never selects a label its nodes lack. Each capacity provider labels
nodes differently:
EKS labels managed node group nodes ``eks.amazonaws.com/capacityType: ON_DEMAND | SPOT``; Karpenter labels its nodes
``karpenter.sh/capacity-type: on-demand | spot`` and never sets the EKS label.
See: https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html,
https://karpenter.sh/docs/concepts/scheduling/
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from emr_constructs._internal.validation import fail

ARCH_LABEL = "kubernetes.io/arch"
ROLE_LABEL = "emr-constructs.io/role"
"""Set by ``EmrEksCluster`` on its node groups and NodePools: ``system``, ``driver`` or ``executor``."""
SPOT_TAINT_KEY = "emr-constructs.io/spot"
SPOT_TAINT_VALUE = "true"
SPOT_TAINT_EFFECT = "NoSchedule"
"""Spot executor nodes carry this taint, so only pods that tolerate interruptions (executors) land there."""


@dataclass(frozen=True)
class CapacityProvider:
    """What starts the nodes of the cluster, and so which label tells On-Demand from Spot nodes.

    ``CapacityProvider.MANAGED_NODE_GROUPS`` (EKS managed node groups, the default of an imported cluster) or
    ``CapacityProvider.KARPENTER``; ``CapacityProvider.of(label, on_demand=..., spot=...)`` for another provisioner.
    """

    capacity_type_label: str
    on_demand: str
    spot: str

    MANAGED_NODE_GROUPS: ClassVar[CapacityProvider]
    KARPENTER: ClassVar[CapacityProvider]

    @classmethod
    def of(cls, capacity_type_label: str, *, on_demand: str, spot: str) -> CapacityProvider:
        for prop, value in (("capacity_type_label", capacity_type_label), ("on_demand", on_demand), ("spot", spot)):
            if not value:
                raise fail(prop, value, "must not be empty")
        return cls(capacity_type_label, on_demand, spot)

    def node_selector(self, *, spot: bool, architecture: str) -> dict[str, str]:
        return {self.capacity_type_label: self.spot if spot else self.on_demand, ARCH_LABEL: architecture}


CapacityProvider.MANAGED_NODE_GROUPS = CapacityProvider("eks.amazonaws.com/capacityType", "ON_DEMAND", "SPOT")
CapacityProvider.KARPENTER = CapacityProvider("karpenter.sh/capacity-type", "on-demand", "spot")


def spot_toleration() -> dict[str, Any]:
    """The toleration of the Spot taint (Kubernetes pod spec form)."""
    return {"key": SPOT_TAINT_KEY, "operator": "Equal", "value": SPOT_TAINT_VALUE, "effect": SPOT_TAINT_EFFECT}
