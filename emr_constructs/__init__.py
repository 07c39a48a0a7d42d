"""AWS CDK constructs for Amazon EMR: EMR on EC2, EMR Serverless, EMR on EKS, runtime roles, jobs, monitoring and
compliance.

Everything public is re-exported here, so ``from emr_constructs import EmrCluster`` reaches any construct in one hop.

``_EXPORTS`` (public name -> module that provides it) is the one list of the public surface: ``__all__`` and every
subpackage's exports derive from it. Names load lazily (PEP 562), so ``emr_constructs.jobs.spec`` and
``emr_constructs.ops`` import without aws_cdk and jsii. The ``TYPE_CHECKING`` block below only lets type checkers
see the names; tests/unit/test_public_surface.py asserts it matches ``_EXPORTS`` exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emr_constructs._internal.exports import lazy_attributes

_EXPORTS: dict[str, str] = {
    "LaunchRole": "emr_constructs.catalog.launch_role",
    "EmrServiceCatalog": "emr_constructs.catalog.portfolio",
    "Application": "emr_constructs.cluster.applications",
    "Classification": "emr_constructs.cluster.applications",
    "Configuration": "emr_constructs.cluster.applications",
    "glue_catalog_configurations": "emr_constructs.cluster.applications",
    "iceberg_configurations": "emr_constructs.cluster.applications",
    "merge_configurations": "emr_constructs.cluster.applications",
    "ClusterBase": "emr_constructs.cluster.base",
    "ClusterCapacity": "emr_constructs.cluster.capacity",
    "EbsVolume": "emr_constructs.cluster.capacity",
    "InstanceFleet": "emr_constructs.cluster.capacity",
    "InstanceGroup": "emr_constructs.cluster.capacity",
    "Market": "emr_constructs.cluster.capacity",
    "SpotAllocationStrategy": "emr_constructs.cluster.capacity",
    "SpotTimeoutAction": "emr_constructs.cluster.capacity",
    "grant_glue_catalog": "emr_constructs.cluster.catalog",
    "validate_glue_databases": "emr_constructs.cluster.catalog",
    "EmrCluster": "emr_constructs.cluster.cluster",
    "EmrSecurityGroups": "emr_constructs.cluster.networking",
    "check_multi_primary": "emr_constructs.cluster.rules",
    "idle_timeout_seconds": "emr_constructs.cluster.rules",
    "validate_applications": "emr_constructs.cluster.rules",
    "ManagedScaling": "emr_constructs.cluster.scaling",
    "ScalingUnit": "emr_constructs.cluster.scaling",
    "AtRestEncryption": "emr_constructs.cluster.security_configuration",
    "EmrSecurityConfiguration": "emr_constructs.cluster.security_configuration",
    "InTransitEncryption": "emr_constructs.cluster.security_configuration",
    "KerberosConfiguration": "emr_constructs.cluster.security_configuration",
    "RuntimeRoleAuthorization": "emr_constructs.cluster.security_configuration",
    "ActionOnFailure": "emr_constructs.cluster.steps",
    "BootstrapAction": "emr_constructs.cluster.steps",
    "DeployMode": "emr_constructs.cluster.steps",
    "Step": "emr_constructs.cluster.steps",
    "StepSubmitter": "emr_constructs.cluster.submitter",
    "EmrTlsCertificate": "emr_constructs.cluster.tls",
    "Reason": "emr_constructs.compliance.acknowledgments",
    "acknowledge": "emr_constructs.compliance.acknowledgments",
    "acknowledge_finding": "emr_constructs.compliance.acknowledgments",
    "nag_resource_text": "emr_constructs.compliance.acknowledgments",
    "NAG_PACKS": "emr_constructs.compliance.nag",
    "apply_compliance_checks": "emr_constructs.compliance.nag",
    "EksCapacity": "emr_constructs.eks.cluster",
    "EmrEksCluster": "emr_constructs.eks.cluster",
    "NodeGroupSpec": "emr_constructs.eks.cluster",
    "Karpenter": "emr_constructs.eks.karpenter",
    "KarpenterOptions": "emr_constructs.eks.karpenter",
    "LimitRange": "emr_constructs.eks.namespace",
    "ResourceQuota": "emr_constructs.eks.namespace",
    "check_quantity": "emr_constructs.eks.namespace",
    "check_quota_admits_spark": "emr_constructs.eks.namespace",
    "namespace_manifest": "emr_constructs.eks.namespace",
    "iceberg_configuration_overrides": "emr_constructs.eks.iceberg",
    "iceberg_spark_properties": "emr_constructs.eks.iceberg",
    "PodTemplates": "emr_constructs.eks.pod_templates",
    "driver_template": "emr_constructs.eks.pod_templates",
    "executor_template": "emr_constructs.eks.pod_templates",
    "CapacityProvider": "emr_constructs.eks.scheduling",
    "spot_toleration": "emr_constructs.eks.scheduling",
    "EmrEksManagedEndpoint": "emr_constructs.eks.managed_endpoint",
    "EmrEksVirtualCluster": "emr_constructs.eks.virtual_cluster",
    "VirtualClusterBase": "emr_constructs.eks.virtual_cluster",
    "RolePolicy": "emr_constructs.iam.policies",
    "s3_statements": "emr_constructs.iam.policies",
    "JobRuntimeRole": "emr_constructs.iam.runtime_role",
    "RuntimeRoleTrust": "emr_constructs.iam.runtime_role",
    "emr_eks_pod_identity_service_accounts": "emr_constructs.iam.runtime_role",
    "emr_eks_service_account_pattern": "emr_constructs.iam.runtime_role",
    "validate_namespace": "emr_constructs.iam.runtime_role",
    "EMR_MANAGED_POLICY_TAG": "emr_constructs.iam.service_roles",
    "EmrInstanceRole": "emr_constructs.iam.service_roles",
    "EmrServiceRole": "emr_constructs.iam.service_roles",
    "tag_for_emr_managed_policy": "emr_constructs.iam.service_roles",
    "EmrEksLakeFormationSecurityConfiguration": "emr_constructs.lakeformation.eks",
    "LakeFormationDataLocation": "emr_constructs.lakeformation.location",
    "LakeFormationPermissions": "emr_constructs.lakeformation.permissions",
    "LakeFormationDataLakeSettings": "emr_constructs.lakeformation.settings",
    "AirflowDagOptions": "emr_constructs.jobs.airflow",
    "ec2_airflow_dag": "emr_constructs.jobs.airflow",
    "eks_airflow_dag": "emr_constructs.jobs.airflow",
    "serverless_airflow_dag": "emr_constructs.jobs.airflow",
    "SparkPipeline": "emr_constructs.jobs.pipeline",
    "SparkJob": "emr_constructs.jobs.spec",
    "PipelineTarget": "emr_constructs.jobs.targets",
    "TransientCluster": "emr_constructs.jobs.targets",
    "local_entry_point": "emr_constructs.jobs.targets",
    "AlarmSource": "emr_constructs.monitoring.alarm_topic",
    "AlarmTopic": "emr_constructs.monitoring.alarm_topic",
    "allow_publishing": "emr_constructs.monitoring.alarm_topic",
    "notify": "emr_constructs.monitoring.alarms",
    "ApplicationBudget": "emr_constructs.monitoring.budget",
    "allow_budgets_publishing": "emr_constructs.monitoring.budget",
    "EMR_EC2_NAMESPACE": "emr_constructs.monitoring.ec2_metrics",
    "EmrClusterMetricFactory": "emr_constructs.monitoring.ec2_metrics",
    "EmrClusterAlarmThresholds": "emr_constructs.monitoring.ec2_monitoring",
    "EmrClusterMonitoring": "emr_constructs.monitoring.ec2_monitoring",
    "EmrEksMetricFactory": "emr_constructs.monitoring.eks_monitoring",
    "EmrEksMonitoring": "emr_constructs.monitoring.eks_monitoring",
    "CapacityAllocationType": "emr_constructs.monitoring.serverless_metrics",
    "EMR_SERVERLESS_NAMESPACE": "emr_constructs.monitoring.serverless_metrics",
    "MetricWorkerType": "emr_constructs.monitoring.serverless_metrics",
    "SPARK_WORKER_TYPES": "emr_constructs.monitoring.serverless_metrics",
    "ServerlessMetricFactory": "emr_constructs.monitoring.serverless_metrics",
    "EmrServerlessMonitoring": "emr_constructs.monitoring.serverless_monitoring",
    "ServerlessAlarmThresholds": "emr_constructs.monitoring.serverless_monitoring",
    "ReleaseFloor": "emr_constructs.releases",
    "ReleaseLabel": "emr_constructs.releases",
    "EmrRuntime": "emr_constructs.runtime",
    "EmrServerlessApplication": "emr_constructs.serverless.application",
    "InteractiveConfiguration": "emr_constructs.serverless.application",
    "ApplicationBase": "emr_constructs.serverless.base",
    "ApplicationLifecycleGuards": "emr_constructs.serverless.guards",
    "RunningJobsOnChange": "emr_constructs.serverless.guards",
    "glue_catalog": "emr_constructs.serverless.runtime_configuration",
    "iceberg": "emr_constructs.serverless.runtime_configuration",
    "lake_formation_fine_grained_access": "emr_constructs.serverless.runtime_configuration",
    "render_configurations": "emr_constructs.serverless.runtime_configuration",
    "SchedulerConfiguration": "emr_constructs.serverless.scheduler",
    "ApplicationType": "emr_constructs.serverless.workers",
    "Architecture": "emr_constructs.serverless.workers",
    "DiskType": "emr_constructs.serverless.workers",
    "InitialCapacity": "emr_constructs.serverless.workers",
    "MaximumCapacity": "emr_constructs.serverless.workers",
    "WorkerConfiguration": "emr_constructs.serverless.workers",
    "WorkerType": "emr_constructs.serverless.workers",
    "GlueDatabase": "emr_constructs.storage.glue_database",
    "DEFAULT_LOG_RETENTION": "emr_constructs.storage.secure",
    "EncryptionKey": "emr_constructs.storage.secure",
    "SecureBucket": "emr_constructs.storage.secure",
    "SecureLogGroup": "emr_constructs.storage.secure",
    "allow_cloudwatch_logs": "emr_constructs.storage.secure",
    "retention_days": "emr_constructs.storage.secure",
    "EmrStudio": "emr_constructs.studio.studio",
    "IdentityType": "emr_constructs.studio.studio",
    "StudioAuthMode": "emr_constructs.studio.studio",
    "StudioSessionMapping": "emr_constructs.studio.studio",
}

__all__ = list(_EXPORTS)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_attributes(__name__, _EXPORTS)

if TYPE_CHECKING:
    from emr_constructs.catalog.launch_role import LaunchRole as LaunchRole
    from emr_constructs.catalog.portfolio import EmrServiceCatalog as EmrServiceCatalog
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
    from emr_constructs.compliance.acknowledgments import Reason as Reason
    from emr_constructs.compliance.acknowledgments import acknowledge as acknowledge
    from emr_constructs.compliance.acknowledgments import acknowledge_finding as acknowledge_finding
    from emr_constructs.compliance.acknowledgments import nag_resource_text as nag_resource_text
    from emr_constructs.compliance.nag import NAG_PACKS as NAG_PACKS
    from emr_constructs.compliance.nag import apply_compliance_checks as apply_compliance_checks
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
    from emr_constructs.iam.policies import RolePolicy as RolePolicy
    from emr_constructs.iam.policies import s3_statements as s3_statements
    from emr_constructs.iam.runtime_role import JobRuntimeRole as JobRuntimeRole
    from emr_constructs.iam.runtime_role import RuntimeRoleTrust as RuntimeRoleTrust
    from emr_constructs.iam.runtime_role import (
        emr_eks_pod_identity_service_accounts as emr_eks_pod_identity_service_accounts,
    )
    from emr_constructs.iam.runtime_role import emr_eks_service_account_pattern as emr_eks_service_account_pattern
    from emr_constructs.iam.runtime_role import validate_namespace as validate_namespace
    from emr_constructs.iam.service_roles import EMR_MANAGED_POLICY_TAG as EMR_MANAGED_POLICY_TAG
    from emr_constructs.iam.service_roles import EmrInstanceRole as EmrInstanceRole
    from emr_constructs.iam.service_roles import EmrServiceRole as EmrServiceRole
    from emr_constructs.iam.service_roles import tag_for_emr_managed_policy as tag_for_emr_managed_policy
    from emr_constructs.jobs.airflow import AirflowDagOptions as AirflowDagOptions
    from emr_constructs.jobs.airflow import ec2_airflow_dag as ec2_airflow_dag
    from emr_constructs.jobs.airflow import eks_airflow_dag as eks_airflow_dag
    from emr_constructs.jobs.airflow import serverless_airflow_dag as serverless_airflow_dag
    from emr_constructs.jobs.pipeline import SparkPipeline as SparkPipeline
    from emr_constructs.jobs.spec import SparkJob as SparkJob
    from emr_constructs.jobs.targets import PipelineTarget as PipelineTarget
    from emr_constructs.jobs.targets import TransientCluster as TransientCluster
    from emr_constructs.jobs.targets import local_entry_point as local_entry_point
    from emr_constructs.lakeformation.eks import (
        EmrEksLakeFormationSecurityConfiguration as EmrEksLakeFormationSecurityConfiguration,
    )
    from emr_constructs.lakeformation.location import LakeFormationDataLocation as LakeFormationDataLocation
    from emr_constructs.lakeformation.permissions import LakeFormationPermissions as LakeFormationPermissions
    from emr_constructs.lakeformation.settings import LakeFormationDataLakeSettings as LakeFormationDataLakeSettings
    from emr_constructs.monitoring.alarm_topic import AlarmSource as AlarmSource
    from emr_constructs.monitoring.alarm_topic import AlarmTopic as AlarmTopic
    from emr_constructs.monitoring.alarm_topic import allow_publishing as allow_publishing
    from emr_constructs.monitoring.alarms import notify as notify
    from emr_constructs.monitoring.budget import ApplicationBudget as ApplicationBudget
    from emr_constructs.monitoring.budget import allow_budgets_publishing as allow_budgets_publishing
    from emr_constructs.monitoring.ec2_metrics import EMR_EC2_NAMESPACE as EMR_EC2_NAMESPACE
    from emr_constructs.monitoring.ec2_metrics import EmrClusterMetricFactory as EmrClusterMetricFactory
    from emr_constructs.monitoring.ec2_monitoring import EmrClusterAlarmThresholds as EmrClusterAlarmThresholds
    from emr_constructs.monitoring.ec2_monitoring import EmrClusterMonitoring as EmrClusterMonitoring
    from emr_constructs.monitoring.eks_monitoring import EmrEksMetricFactory as EmrEksMetricFactory
    from emr_constructs.monitoring.eks_monitoring import EmrEksMonitoring as EmrEksMonitoring
    from emr_constructs.monitoring.serverless_metrics import EMR_SERVERLESS_NAMESPACE as EMR_SERVERLESS_NAMESPACE
    from emr_constructs.monitoring.serverless_metrics import SPARK_WORKER_TYPES as SPARK_WORKER_TYPES
    from emr_constructs.monitoring.serverless_metrics import CapacityAllocationType as CapacityAllocationType
    from emr_constructs.monitoring.serverless_metrics import MetricWorkerType as MetricWorkerType
    from emr_constructs.monitoring.serverless_metrics import ServerlessMetricFactory as ServerlessMetricFactory
    from emr_constructs.monitoring.serverless_monitoring import EmrServerlessMonitoring as EmrServerlessMonitoring
    from emr_constructs.monitoring.serverless_monitoring import ServerlessAlarmThresholds as ServerlessAlarmThresholds
    from emr_constructs.releases import ReleaseFloor as ReleaseFloor
    from emr_constructs.releases import ReleaseLabel as ReleaseLabel
    from emr_constructs.runtime import EmrRuntime as EmrRuntime
    from emr_constructs.serverless.application import EmrServerlessApplication as EmrServerlessApplication
    from emr_constructs.serverless.application import InteractiveConfiguration as InteractiveConfiguration
    from emr_constructs.serverless.base import ApplicationBase as ApplicationBase
    from emr_constructs.serverless.guards import ApplicationLifecycleGuards as ApplicationLifecycleGuards
    from emr_constructs.serverless.guards import RunningJobsOnChange as RunningJobsOnChange
    from emr_constructs.serverless.runtime_configuration import glue_catalog as glue_catalog
    from emr_constructs.serverless.runtime_configuration import iceberg as iceberg
    from emr_constructs.serverless.runtime_configuration import (
        lake_formation_fine_grained_access as lake_formation_fine_grained_access,
    )
    from emr_constructs.serverless.runtime_configuration import render_configurations as render_configurations
    from emr_constructs.serverless.scheduler import SchedulerConfiguration as SchedulerConfiguration
    from emr_constructs.serverless.workers import ApplicationType as ApplicationType
    from emr_constructs.serverless.workers import Architecture as Architecture
    from emr_constructs.serverless.workers import DiskType as DiskType
    from emr_constructs.serverless.workers import InitialCapacity as InitialCapacity
    from emr_constructs.serverless.workers import MaximumCapacity as MaximumCapacity
    from emr_constructs.serverless.workers import WorkerConfiguration as WorkerConfiguration
    from emr_constructs.serverless.workers import WorkerType as WorkerType
    from emr_constructs.storage.glue_database import GlueDatabase as GlueDatabase
    from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION as DEFAULT_LOG_RETENTION
    from emr_constructs.storage.secure import EncryptionKey as EncryptionKey
    from emr_constructs.storage.secure import SecureBucket as SecureBucket
    from emr_constructs.storage.secure import SecureLogGroup as SecureLogGroup
    from emr_constructs.storage.secure import allow_cloudwatch_logs as allow_cloudwatch_logs
    from emr_constructs.storage.secure import retention_days as retention_days
    from emr_constructs.studio.studio import EmrStudio as EmrStudio
    from emr_constructs.studio.studio import IdentityType as IdentityType
    from emr_constructs.studio.studio import StudioAuthMode as StudioAuthMode
    from emr_constructs.studio.studio import StudioSessionMapping as StudioSessionMapping
