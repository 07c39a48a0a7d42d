"""EMR on EC2: ``EmrCluster`` and its capacity, steps, security configuration, TLS certificate and networking."""

from emr_constructs.cluster.applications import Application, Classification, Configuration
from emr_constructs.cluster.base import ClusterBase
from emr_constructs.cluster.capacity import (
    ClusterCapacity,
    EbsVolume,
    InstanceFleet,
    InstanceGroup,
    Market,
    SpotAllocationStrategy,
    SpotTimeoutAction,
)
from emr_constructs.cluster.cluster import EmrCluster
from emr_constructs.cluster.networking import EmrSecurityGroups
from emr_constructs.cluster.scaling import ManagedScaling, ScalingUnit
from emr_constructs.cluster.security_configuration import (
    AtRestEncryption,
    EmrSecurityConfiguration,
    InTransitEncryption,
    KerberosConfiguration,
    RuntimeRoleAuthorization,
)
from emr_constructs.cluster.steps import ActionOnFailure, BootstrapAction, DeployMode, Step
from emr_constructs.cluster.tls import EmrTlsCertificate

__all__ = [
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
    "EmrSecurityConfiguration",
    "EmrSecurityGroups",
    "EmrTlsCertificate",
    "InTransitEncryption",
    "InstanceFleet",
    "InstanceGroup",
    "KerberosConfiguration",
    "ManagedScaling",
    "Market",
    "RuntimeRoleAuthorization",
    "ScalingUnit",
    "SpotAllocationStrategy",
    "SpotTimeoutAction",
    "Step",
]
