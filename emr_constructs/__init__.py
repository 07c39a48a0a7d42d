"""AWS CDK constructs for Amazon EMR: EMR on EC2 clusters, runtime roles, monitoring and compliance.

Everything public is re-exported here, so ``from emr_constructs import EmrCluster`` reaches any construct.

Names load lazily (PEP 562), so ``emr_constructs.jobs.spec`` and ``emr_constructs.ops`` can be imported without
loading aws_cdk and jsii.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "NAG_PACKS": "emr_constructs.compliance",
    "ActionOnFailure": "emr_constructs.cluster",
    "Application": "emr_constructs.cluster",
    "ApplicationType": "emr_constructs.serverless",
    "Architecture": "emr_constructs.serverless",
    "AtRestEncryption": "emr_constructs.cluster",
    "BootstrapAction": "emr_constructs.cluster",
    "CapacityAllocationType": "emr_constructs.monitoring",
    "CapacityProvider": "emr_constructs.eks.scheduling",
    "Classification": "emr_constructs.cluster",
    "ClusterBase": "emr_constructs.cluster",
    "ClusterCapacity": "emr_constructs.cluster",
    "Configuration": "emr_constructs.cluster",
    "DeployMode": "emr_constructs.cluster",
    "DiskType": "emr_constructs.serverless",
    "EbsVolume": "emr_constructs.cluster",
    "EksCapacity": "emr_constructs.eks",
    "EmrCluster": "emr_constructs.cluster",
    "EmrClusterAlarmThresholds": "emr_constructs.monitoring",
    "EmrClusterMetricFactory": "emr_constructs.monitoring",
    "EmrClusterMonitoring": "emr_constructs.monitoring",
    "EmrEksCluster": "emr_constructs.eks",
    "EmrEksMonitoring": "emr_constructs.monitoring",
    "EmrEksVirtualCluster": "emr_constructs.eks",
    "EmrInstanceRole": "emr_constructs.iam",
    "EmrSecurityConfiguration": "emr_constructs.cluster",
    "EmrSecurityGroups": "emr_constructs.cluster",
    "EmrTlsCertificate": "emr_constructs.cluster",
    "EmrServerlessApplication": "emr_constructs.serverless",
    "EmrServerlessMonitoring": "emr_constructs.monitoring",
    "EmrServiceRole": "emr_constructs.iam",
    "EncryptionKey": "emr_constructs.storage",
    "InTransitEncryption": "emr_constructs.cluster",
    "InitialCapacity": "emr_constructs.serverless",
    "InstanceFleet": "emr_constructs.cluster",
    "InstanceGroup": "emr_constructs.cluster",
    "InteractiveConfiguration": "emr_constructs.serverless",
    "JobRuntimeRole": "emr_constructs.iam",
    "KerberosConfiguration": "emr_constructs.cluster",
    "LimitRange": "emr_constructs.eks",
    "ManagedScaling": "emr_constructs.cluster",
    "Market": "emr_constructs.cluster",
    "MaximumCapacity": "emr_constructs.serverless",
    "NodeGroupSpec": "emr_constructs.eks",
    "PodTemplates": "emr_constructs.eks.pod_templates",
    "Reason": "emr_constructs.compliance",
    "ReleaseFloor": "emr_constructs.releases",
    "ReleaseLabel": "emr_constructs.releases",
    "ResourceQuota": "emr_constructs.eks",
    "RuntimeRoleAuthorization": "emr_constructs.cluster",
    "RuntimeRoleTrust": "emr_constructs.iam",
    "ScalingUnit": "emr_constructs.cluster",
    "SecureBucket": "emr_constructs.storage",
    "SecureLogGroup": "emr_constructs.storage",
    "ServerlessAlarmThresholds": "emr_constructs.monitoring",
    "ServerlessMetricFactory": "emr_constructs.monitoring",
    "SpotAllocationStrategy": "emr_constructs.cluster",
    "SpotTimeoutAction": "emr_constructs.cluster",
    "Step": "emr_constructs.cluster",
    "WorkerConfiguration": "emr_constructs.serverless",
    "WorkerType": "emr_constructs.serverless",
    "acknowledge": "emr_constructs.compliance",
    "apply_compliance_checks": "emr_constructs.compliance",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'emr_constructs' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from emr_constructs.cluster import (
        ActionOnFailure,
        Application,
        AtRestEncryption,
        BootstrapAction,
        Classification,
        ClusterBase,
        ClusterCapacity,
        Configuration,
        DeployMode,
        EbsVolume,
        EmrCluster,
        EmrSecurityConfiguration,
        EmrSecurityGroups,
        EmrTlsCertificate,
        InstanceFleet,
        InstanceGroup,
        InTransitEncryption,
        KerberosConfiguration,
        ManagedScaling,
        Market,
        RuntimeRoleAuthorization,
        ScalingUnit,
        SpotAllocationStrategy,
        SpotTimeoutAction,
        Step,
    )
    from emr_constructs.compliance import NAG_PACKS, Reason, acknowledge, apply_compliance_checks
    from emr_constructs.eks import (
        EksCapacity,
        EmrEksCluster,
        EmrEksVirtualCluster,
        LimitRange,
        NodeGroupSpec,
        ResourceQuota,
    )
    from emr_constructs.eks.pod_templates import PodTemplates
    from emr_constructs.eks.scheduling import CapacityProvider
    from emr_constructs.iam import EmrInstanceRole, EmrServiceRole, JobRuntimeRole, RuntimeRoleTrust
    from emr_constructs.monitoring import (
        CapacityAllocationType,
        EmrClusterAlarmThresholds,
        EmrClusterMetricFactory,
        EmrClusterMonitoring,
        EmrEksMonitoring,
        EmrServerlessMonitoring,
        ServerlessAlarmThresholds,
        ServerlessMetricFactory,
    )
    from emr_constructs.releases import ReleaseFloor, ReleaseLabel
    from emr_constructs.serverless import (
        ApplicationType,
        Architecture,
        DiskType,
        EmrServerlessApplication,
        InitialCapacity,
        InteractiveConfiguration,
        MaximumCapacity,
        WorkerConfiguration,
        WorkerType,
    )
    from emr_constructs.storage import EncryptionKey, SecureBucket, SecureLogGroup

__all__ = [
    "NAG_PACKS",
    "ActionOnFailure",
    "Application",
    "ApplicationType",
    "Architecture",
    "AtRestEncryption",
    "BootstrapAction",
    "CapacityAllocationType",
    "CapacityProvider",
    "Classification",
    "ClusterBase",
    "ClusterCapacity",
    "Configuration",
    "DeployMode",
    "DiskType",
    "EbsVolume",
    "EksCapacity",
    "EmrCluster",
    "EmrClusterAlarmThresholds",
    "EmrClusterMetricFactory",
    "EmrClusterMonitoring",
    "EmrEksCluster",
    "EmrEksMonitoring",
    "EmrEksVirtualCluster",
    "EmrInstanceRole",
    "EmrSecurityConfiguration",
    "EmrSecurityGroups",
    "EmrServerlessApplication",
    "EmrServerlessMonitoring",
    "EmrServiceRole",
    "EmrTlsCertificate",
    "EncryptionKey",
    "InTransitEncryption",
    "InitialCapacity",
    "InstanceFleet",
    "InstanceGroup",
    "InteractiveConfiguration",
    "JobRuntimeRole",
    "KerberosConfiguration",
    "LimitRange",
    "ManagedScaling",
    "Market",
    "MaximumCapacity",
    "NodeGroupSpec",
    "PodTemplates",
    "Reason",
    "ReleaseFloor",
    "ReleaseLabel",
    "ResourceQuota",
    "RuntimeRoleAuthorization",
    "RuntimeRoleTrust",
    "ScalingUnit",
    "SecureBucket",
    "SecureLogGroup",
    "ServerlessAlarmThresholds",
    "ServerlessMetricFactory",
    "SpotAllocationStrategy",
    "SpotTimeoutAction",
    "Step",
    "WorkerConfiguration",
    "WorkerType",
    "acknowledge",
    "apply_compliance_checks",
]
