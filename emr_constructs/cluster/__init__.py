"""EMR on EC2: ``EmrCluster`` and its capacity, steps, security configuration, TLS certificate and networking.

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
    from emr_constructs.cluster.applications import Application as Application
    from emr_constructs.cluster.applications import Classification as Classification
    from emr_constructs.cluster.applications import Configuration as Configuration
    from emr_constructs.cluster.applications import glue_catalog_configurations as glue_catalog_configurations
    from emr_constructs.cluster.applications import iceberg_configurations as iceberg_configurations
    from emr_constructs.cluster.applications import merge_configurations as merge_configurations
    from emr_constructs.cluster.base import ClusterBase as ClusterBase
    from emr_constructs.cluster.capacity import ClusterCapacity as ClusterCapacity
    from emr_constructs.cluster.capacity import EbsVolume as EbsVolume
    from emr_constructs.cluster.capacity import InstanceFleet as InstanceFleet
    from emr_constructs.cluster.capacity import InstanceGroup as InstanceGroup
    from emr_constructs.cluster.capacity import Market as Market
    from emr_constructs.cluster.capacity import SpotAllocationStrategy as SpotAllocationStrategy
    from emr_constructs.cluster.capacity import SpotTimeoutAction as SpotTimeoutAction
    from emr_constructs.cluster.catalog import grant_glue_catalog as grant_glue_catalog
    from emr_constructs.cluster.catalog import validate_glue_databases as validate_glue_databases
    from emr_constructs.cluster.cluster import EmrCluster as EmrCluster
    from emr_constructs.cluster.networking import EmrSecurityGroups as EmrSecurityGroups
    from emr_constructs.cluster.rules import check_multi_primary as check_multi_primary
    from emr_constructs.cluster.rules import idle_timeout_seconds as idle_timeout_seconds
    from emr_constructs.cluster.rules import validate_applications as validate_applications
    from emr_constructs.cluster.scaling import ManagedScaling as ManagedScaling
    from emr_constructs.cluster.scaling import ScalingUnit as ScalingUnit
    from emr_constructs.cluster.security_configuration import AtRestEncryption as AtRestEncryption
    from emr_constructs.cluster.security_configuration import EmrSecurityConfiguration as EmrSecurityConfiguration
    from emr_constructs.cluster.security_configuration import InTransitEncryption as InTransitEncryption
    from emr_constructs.cluster.security_configuration import KerberosConfiguration as KerberosConfiguration
    from emr_constructs.cluster.security_configuration import RuntimeRoleAuthorization as RuntimeRoleAuthorization
    from emr_constructs.cluster.steps import ActionOnFailure as ActionOnFailure
    from emr_constructs.cluster.steps import BootstrapAction as BootstrapAction
    from emr_constructs.cluster.steps import DeployMode as DeployMode
    from emr_constructs.cluster.steps import Step as Step
    from emr_constructs.cluster.submitter import StepSubmitter as StepSubmitter
    from emr_constructs.cluster.tls import EmrTlsCertificate as EmrTlsCertificate
