"""EMR on EKS: ``EmrEksVirtualCluster``, the ``EmrEksCluster`` helper, namespaces and pod templates."""

from emr_constructs.eks.cluster import EksCapacity, EmrEksCluster, NodeGroupSpec
from emr_constructs.eks.karpenter import Karpenter, KarpenterOptions
from emr_constructs.eks.namespace import LimitRange, ResourceQuota
from emr_constructs.eks.virtual_cluster import EmrEksVirtualCluster, VirtualClusterBase

__all__ = [
    "EksCapacity",
    "EmrEksCluster",
    "EmrEksVirtualCluster",
    "Karpenter",
    "KarpenterOptions",
    "LimitRange",
    "NodeGroupSpec",
    "ResourceQuota",
    "VirtualClusterBase",
]
