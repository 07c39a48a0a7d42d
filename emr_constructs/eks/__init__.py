"""EMR on EKS: ``EmrEksVirtualCluster``, the ``EmrEksCluster`` helper, namespaces and pod templates.

The names come from ``emr_constructs._EXPORTS`` (the one list of the public surface) and load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emr_constructs import _EXPORTS as _LIBRARY_EXPORTS
from emr_constructs._internal.exports import exports_under, lazy_attributes

_EXPORTS = exports_under(_LIBRARY_EXPORTS, __name__)
__all__ = list(_EXPORTS)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_attributes(__name__, _EXPORTS)

if TYPE_CHECKING:
    from emr_constructs.eks.cluster import EksCapacity as EksCapacity
    from emr_constructs.eks.cluster import EmrEksCluster as EmrEksCluster
    from emr_constructs.eks.cluster import NodeGroupSpec as NodeGroupSpec
    from emr_constructs.eks.iceberg import iceberg_configuration_overrides as iceberg_configuration_overrides
    from emr_constructs.eks.iceberg import iceberg_spark_properties as iceberg_spark_properties
    from emr_constructs.eks.karpenter import Karpenter as Karpenter
    from emr_constructs.eks.karpenter import KarpenterOptions as KarpenterOptions
    from emr_constructs.eks.managed_endpoint import EmrEksManagedEndpoint as EmrEksManagedEndpoint
    from emr_constructs.eks.namespace import LimitRange as LimitRange
    from emr_constructs.eks.namespace import ResourceQuota as ResourceQuota
    from emr_constructs.eks.namespace import check_quantity as check_quantity
    from emr_constructs.eks.namespace import check_quota_admits_spark as check_quota_admits_spark
    from emr_constructs.eks.namespace import namespace_manifest as namespace_manifest
    from emr_constructs.eks.pod_templates import PodTemplates as PodTemplates
    from emr_constructs.eks.pod_templates import driver_template as driver_template
    from emr_constructs.eks.pod_templates import executor_template as executor_template
    from emr_constructs.eks.scheduling import CapacityProvider as CapacityProvider
    from emr_constructs.eks.scheduling import spot_toleration as spot_toleration
    from emr_constructs.eks.virtual_cluster import EmrEksVirtualCluster as EmrEksVirtualCluster
    from emr_constructs.eks.virtual_cluster import VirtualClusterBase as VirtualClusterBase
