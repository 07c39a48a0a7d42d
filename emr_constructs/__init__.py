"""AWS CDK constructs for Amazon EMR: EMR on EC2 clusters, runtime roles, monitoring and compliance.

Everything public is re-exported here, so ``from emr_constructs import EmrCluster`` reaches any construct.
"""

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
from emr_constructs.iam import EmrInstanceRole, EmrServiceRole, JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.monitoring import EmrClusterAlarmThresholds, EmrClusterMetricFactory, EmrClusterMonitoring
from emr_constructs.releases import ReleaseFloor, ReleaseLabel
from emr_constructs.storage import EncryptionKey, SecureBucket, SecureLogGroup

__all__ = [
    "NAG_PACKS",
    "ActionOnFailure",
    "Application",
    "AtRestEncryption",
    "BootstrapAction",
    "Classification",
    "ClusterBase",
    "ClusterCapacity",
    "Configuration",
    "DeployMode",
    "EbsVolume",
    "EmrCluster",
    "EmrClusterAlarmThresholds",
    "EmrClusterMetricFactory",
    "EmrClusterMonitoring",
    "EmrInstanceRole",
    "EmrSecurityConfiguration",
    "EmrSecurityGroups",
    "EmrServiceRole",
    "EncryptionKey",
    "InTransitEncryption",
    "InstanceFleet",
    "InstanceGroup",
    "JobRuntimeRole",
    "KerberosConfiguration",
    "ManagedScaling",
    "Market",
    "Reason",
    "ReleaseFloor",
    "ReleaseLabel",
    "RuntimeRoleAuthorization",
    "RuntimeRoleTrust",
    "ScalingUnit",
    "SecureBucket",
    "SecureLogGroup",
    "SpotAllocationStrategy",
    "SpotTimeoutAction",
    "Step",
    "acknowledge",
    "apply_compliance_checks",
]
