"""``EmrCluster``: an EMR on EC2 cluster with secure, frugal defaults.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-overview.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from emr_constructs._internal.types import (
    check_glue_databases,
    check_int,
    check_s3_prefix,
    check_s3_prefixes,
    check_sequence_of,
    check_text,
    check_type,
)
from emr_constructs._internal.validation import check_range, fail
from emr_constructs.cluster.applications import (
    Application,
    Configuration,
    glue_catalog_configurations,
    iceberg_configurations,
    merge_configurations,
)
from emr_constructs.cluster.base import ClusterBase, _ImportedCluster
from emr_constructs.cluster.capacity import ClusterCapacity
from emr_constructs.cluster.catalog import DEFAULT_GLUE_DATABASES, grant_glue_catalog, validate_glue_databases
from emr_constructs.cluster.networking import EmrSecurityGroups
from emr_constructs.cluster.rules import check_multi_primary, idle_timeout_seconds, validate_applications
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_configuration import EmrSecurityConfiguration
from emr_constructs.cluster.steps import BootstrapAction, Step
from emr_constructs.cluster.submitter import StepSubmitter
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.releases import DEFAULT_EC2_RELEASE_LABEL
from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG
from emr_constructs.iam.policies import KMS_ENCRYPT_ACTIONS
from emr_constructs.iam.runtime_role import JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.iam.service_roles import EmrInstanceRole, EmrServiceRole, tag_for_emr_managed_policy
from emr_constructs.releases import (
    MANAGED_SCALING,
    RUNTIME_ROLES,
    ReleaseLabel,
)
from emr_constructs.storage.secure import SecureBucket

DEFAULT_RELEASE_LABEL = DEFAULT_EC2_RELEASE_LABEL
DEFAULT_APPLICATIONS = (Application.SPARK, Application.HADOOP, Application.LIVY)
DEFAULT_LOG_PREFIX = "emr-logs/"
DEFAULT_STEP_CONCURRENCY = 1
DEFAULT_MANAGED_SCALING = ManagedScaling(
    minimum_units=2, maximum_units=10, maximum_on_demand_units=2, maximum_core_units=2
)
"""Core stays at two On-Demand units (HDFS); everything above scales as Spot task capacity."""


class EmrCluster(ClusterBase):
    """An EMR on EC2 cluster.

    :param vpc: the VPC of the cluster.
    :param release_label: Default: ``ReleaseLabel.EMR_7_10_0``.
    :param applications: Default: Spark, Hadoop and Livy.
    :param configurations: Default: none besides what ``glue_data_catalog`` / ``iceberg`` add.
    :param glue_data_catalog: use the Glue Data Catalog as the Hive/Spark metastore. Default: off.
    :param iceberg: enable Apache Iceberg. Default: off.
    :param glue_databases: the Glue databases that jobs use when ``glue_data_catalog`` or ``iceberg`` is on: the
        nodes may read them, and runtime roles from ``add_runtime_role`` may create and read their tables.
        Default: ``["default"]``.
    :param capacity: Default: ``ClusterCapacity.instance_fleets()`` (Graviton, On-Demand primary/core, Spot task).
    :param managed_scaling: Default: 2..10 units, at most 2 On-Demand and 2 core units (growth is Spot task).
    :param managed_scaling_enabled: Default: on.
    :param idle_timeout: terminate after this long idle, 60 s to 7 days. Default: one hour. Ignored by EMR
        (and rejected here) when the cluster has three primary nodes.
    :param auto_terminate_after_steps: terminate after the last step (a transient cluster). Default: off.
    :param termination_protection: Default: off; forced on by EMR for three primary nodes.
    :param step_concurrency_level: steps that may run at once, 1..256. Default: 1.
    :param vpc_subnets: Default: the VPC's private subnets with egress (the first one for instance groups).
    :param subnet: a single subnet (for example an Outposts subnet); overrides ``vpc_subnets``.
    :param security_groups: Default: EMR-managed groups created here (see ``EmrSecurityGroups``).
    :param service_role: Default: a role with AmazonEMRServicePolicy_v2. The cluster always carries the tag
        ``for-use-with-amazon-emr-managed-policies=true``, which that policy requires (harmless for other roles).
    :param instance_role: Default: a least-privilege EC2 role; an instance profile is made for it.
    :param log_bucket: Default: a new ``SecureBucket`` (KMS, versioned, SSL-only, access-logged, RETAIN).
    :param log_prefix: Default: ``emr-logs/``.
    :param security_configuration: Default: none. Required for runtime roles.
    :param application_tag: cost-allocation tag ``application``. Default: the construct id.
    :param cost_center: cost-allocation tag ``cost-center``. Default: not tagged.
    :param removal_policy: for the created log bucket and key. Default: RETAIN.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        name: str | None = None,
        release_label: ReleaseLabel = DEFAULT_RELEASE_LABEL,
        applications: Sequence[Application] = DEFAULT_APPLICATIONS,
        configurations: Sequence[Configuration] = (),
        glue_data_catalog: bool = False,
        iceberg: bool = False,
        glue_databases: Sequence[str] = DEFAULT_GLUE_DATABASES,
        capacity: ClusterCapacity | None = None,
        managed_scaling: ManagedScaling = DEFAULT_MANAGED_SCALING,
        managed_scaling_enabled: bool = True,
        idle_timeout: Duration | None = None,
        auto_terminate_after_steps: bool = False,
        termination_protection: bool | None = None,
        step_concurrency_level: int = DEFAULT_STEP_CONCURRENCY,
        vpc_subnets: ec2.SubnetSelection | None = None,
        subnet: ec2.ISubnet | None = None,
        security_groups: EmrSecurityGroups | None = None,
        service_role: iam.IRole | None = None,
        instance_role: iam.IRole | None = None,
        log_bucket: s3.IBucket | None = None,
        log_prefix: str = DEFAULT_LOG_PREFIX,
        security_configuration: EmrSecurityConfiguration | None = None,
        application_tag: str | None = None,
        cost_center: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        _check_props(locals())
        release_label.require_ec2()
        self.release_label = release_label
        self.capacity = capacity or ClusterCapacity.instance_fleets()
        self.capacity.validate(release_label)
        validate_applications(release_label, applications)
        check_range("step_concurrency_level", step_concurrency_level, 1, 256)
        multi_primary = self.capacity.primary_count == 3
        check_multi_primary(multi_primary, idle_timeout, termination_protection, security_configuration)
        if managed_scaling_enabled:
            managed_scaling.validate_against(self.capacity.kind, self.capacity.core_units)
            release_label.require(MANAGED_SCALING, "managed_scaling", managed_scaling)
        if glue_data_catalog or iceberg:
            validate_glue_databases("glue_databases", glue_databases)
        self.glue_databases: list[str] = list(glue_databases) if glue_data_catalog or iceberg else []
        self.security_configuration = security_configuration
        self._runtime_roles = []
        self._steps: list[Step] = []
        self._bootstrap_actions: list[BootstrapAction] = []
        self._last_runtime_step: cr.AwsCustomResource | None = None
        self.auto_terminate_after_steps = auto_terminate_after_steps

        # IAM
        self._instance = EmrInstanceRole(self, "InstanceRole", role=instance_role)
        self.instance_role: iam.IRole = self._instance.role
        self.instance_profile = self._instance.instance_profile
        self._service_role_construct = None if service_role else EmrServiceRole(self, "ServiceRole")
        self.service_role: iam.IRole = service_role or self._service_role_construct.role  # type: ignore[union-attr]
        if self._service_role_construct:
            self._service_role_construct.allow_pass_instance_role(self.instance_role)
            if security_configuration and security_configuration.at_rest and security_configuration.at_rest.ebs:
                self._service_role_construct.allow_ebs_encryption_key(security_configuration.at_rest.key)
        if security_configuration and security_configuration.at_rest:
            self._instance.policy.add_statements(
                iam.PolicyStatement(actions=KMS_ENCRYPT_ACTIONS, resources=[security_configuration.at_rest.key.key_arn])
            )

        # Logs
        self.log_bucket: s3.IBucket = log_bucket or SecureBucket(self, "Logs", removal_policy=removal_policy).bucket
        self.log_uri = f"s3://{self.log_bucket.bucket_name}/{log_prefix}"
        self._grant_log_write(log_prefix)

        # Network
        self._subnet_ids, private = self._select_subnets(vpc, vpc_subnets, subnet)
        self.security_groups = security_groups or EmrSecurityGroups.create(
            self, "SecurityGroups", vpc=vpc, release_label=release_label, private_subnet=private
        )
        self.connections = ec2.Connections(security_groups=[self.security_groups.primary, self.security_groups.core])

        configs = list(configurations)
        if glue_data_catalog:
            configs += glue_catalog_configurations()
            self._instance.policy.allow_glue_catalog_read(self.glue_databases)
        if iceberg:
            configs += iceberg_configurations()
        self.configurations = merge_configurations(configs)

        idle = idle_timeout_seconds(release_label, idle_timeout, multi_primary, auto_terminate_after_steps)
        self._resource = emr.CfnCluster(
            self,
            "Resource",
            name=name or Stack.of(self).stack_name + "-" + construct_id,
            release_label=release_label.label,
            applications=[a._render() for a in applications],
            configurations=[c._render() for c in self.configurations] or None,
            service_role=self.service_role.role_arn,
            job_flow_role=self.instance_profile.instance_profile_name,
            log_uri=self.log_uri,
            log_encryption_kms_key_id=self.log_bucket.encryption_key.key_arn
            if self.log_bucket.encryption_key
            else None,
            security_configuration=security_configuration.security_configuration_name
            if security_configuration
            else None,
            visible_to_all_users=True,
            step_concurrency_level=step_concurrency_level,
            auto_termination_policy=emr.CfnCluster.AutoTerminationPolicyProperty(idle_timeout=idle)
            if idle is not None
            else None,
            managed_scaling_policy=managed_scaling._render(self.capacity.kind) if managed_scaling_enabled else None,
            kerberos_attributes=self._kerberos_attributes(),
            instances=emr.CfnCluster.JobFlowInstancesConfigProperty(
                **self.capacity.render_instances(),
                **self._subnet_props(),
                emr_managed_master_security_group=self.security_groups.primary.security_group_id,
                emr_managed_slave_security_group=self.security_groups.core.security_group_id,
                service_access_security_group=self.security_groups.service_access.security_group_id
                if self.security_groups.service_access
                else None,
                termination_protected=True if multi_primary else bool(termination_protection),
                unhealthy_node_replacement=True,
                keep_job_flow_alive_when_no_steps=not auto_terminate_after_steps,
            ),
        )
        # EMR validates the instance profile and both roles' permissions when the cluster is created: depend on the
        # profile (also referenced) and on the managed policies (not referenced) so CloudFormation creates them first.
        self._resource.node.add_dependency(self.instance_profile, self._instance.policy)
        if self._service_role_construct:
            self._resource.node.add_dependency(self._service_role_construct.policy)
        self.cluster_id = self._resource.ref
        if security_configuration and security_configuration.at_rest and security_configuration.at_rest.local_disk:
            acknowledge(self._resource, Reason.NAG_EMR4_NESTED_AT_REST)
        if security_configuration and security_configuration.in_transit:
            acknowledge(self._resource, Reason.NAG_EMR5_NESTED_IN_TRANSIT)
        # AmazonEMRServicePolicy_v2 lets EMR launch instances, volumes and ENIs only for a cluster created with this
        # request tag (EMR propagates it). Tagged whatever the service role: a role without the v2 policy ignores it.
        # See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html
        tag_for_emr_managed_policy(self._resource)
        Tags.of(self).add(APPLICATION_TAG, application_tag or construct_id)
        if cost_center:
            Tags.of(self).add(COST_CENTER_TAG, cost_center)

    # ---- imports -------------------------------------------------------------------------------------------------

    @classmethod
    def from_cluster_id(
        cls, scope: Construct, construct_id: str, cluster_id: str, *, runtime_roles: Sequence[iam.IRole] = ()
    ) -> ClusterBase:
        """Reference an existing cluster; grants and metrics work on it. ``runtime_roles`` may be passed by steps."""
        return _ImportedCluster(scope, construct_id, cluster_id, runtime_roles)

    # ---- secondary resources -------------------------------------------------------------------------------------

    def add_bootstrap_action(self, action: BootstrapAction) -> None:
        """Run ``action`` on every node at launch; its script bucket must be readable by the instance role."""
        self._bootstrap_actions.append(action)
        self._resource.bootstrap_actions = [b._render() for b in self._bootstrap_actions]

    def add_step(self, step: Step) -> None:
        """Append ``step``; steps run in the order added.

        Steps without a runtime role are part of the cluster definition. A step with a runtime role is submitted
        with AddJobFlowSteps once the cluster exists (CloudFormation has no runtime-role field for steps).
        """
        if step.runtime_role is not None:
            self._require_runtime_roles("step.runtime_role", step.runtime_role)
            if self.auto_terminate_after_steps:
                raise fail(
                    "step.runtime_role",
                    step.name,
                    "runtime-role steps are submitted after the cluster starts, so they cannot run on a cluster with "
                    "auto_terminate_after_steps; use a long-running cluster",
                )
            if step.runtime_role not in self._runtime_roles:
                self._runtime_roles.append(step.runtime_role)
            self._submit_runtime_role_step(step, index=len(self._steps))
        self._steps.append(step)
        self._resource.steps = [s._render() for s in self._steps if s.runtime_role is None] or None

    def add_runtime_role(self, construct_id: str, *, description: str = "EMR step runtime role") -> JobRuntimeRole:
        """Create a job runtime role that steps on this cluster can run as.

        The role trusts the instance role (with ``sts:SetSourceIdentity`` / ``sts:TagSession`` as the security
        configuration needs), and the instance role may assume it. With ``glue_data_catalog`` or ``iceberg`` on, the
        role may create and read tables of ``glue_databases``: steps reach the catalog with its credentials.
        See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
        """
        self._require_runtime_roles("add_runtime_role", construct_id)
        authz = self.security_configuration.runtime_roles  # type: ignore[union-attr]
        assert authz is not None
        trust = RuntimeRoleTrust.ec2_step(
            self.instance_role,
            source_identity=authz.propagate_source_identity,
            lake_formation=authz.lake_formation,
        )
        role = JobRuntimeRole(self, construct_id, trust=trust, description=description)
        self._instance.policy.add_statements(
            iam.PolicyStatement(actions=list(trust.actions), resources=[role.role_arn])
        )
        if self.glue_databases:
            grant_glue_catalog(role.policy, self.glue_databases)
        self._runtime_roles.append(role.role)
        return role

    @property
    def runtime_roles(self) -> list[iam.IRole]:
        return list(self._runtime_roles)

    @property
    def steps(self) -> list[Step]:
        return list(self._steps)

    def grant_data_read(self, bucket: s3.IBucket, prefixes: Sequence[str] = ("*",)) -> None:
        """Let the nodes (instance role) read ``prefixes`` of ``bucket`` (default: all of it). A single ``str`` is
        rejected, never read character by character; an explicit prefix is not ``''``, ``'*'`` or an ``s3://`` URI."""
        _check_grant(bucket, prefixes)
        for prefix in prefixes:
            self._instance.policy.allow_s3(bucket, prefix, read=True)

    def grant_data_read_write(self, bucket: s3.IBucket, prefixes: Sequence[str] = ("*",)) -> None:
        """Let the nodes (instance role) read and write ``prefixes`` of ``bucket`` (default: all of it); prefixes as
        for ``grant_data_read``."""
        _check_grant(bucket, prefixes)
        for prefix in prefixes:
            self._instance.policy.allow_s3(bucket, prefix, read=True, write=True)

    # ---- helpers -------------------------------------------------------------------------------------------------

    def _require_runtime_roles(self, prop: str, value: Any) -> None:
        sc = self.security_configuration
        if sc is None or sc.runtime_roles is None:
            raise fail(
                prop,
                (getattr(value, "node", None) and value.node.path) or value,
                "runtime roles need security_configuration=EmrSecurityConfiguration(runtime_roles="
                "RuntimeRoleAuthorization())",
            )
        self.release_label.require(RUNTIME_ROLES, prop, self.release_label.label)

    def _select_subnets(
        self, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None, subnet: ec2.ISubnet | None
    ) -> tuple[list[str], bool]:
        if subnet is not None:
            return [subnet.subnet_id], True
        selection = selection or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
        try:
            selected = vpc.select_subnets(**selection._values)
        except RuntimeError as error:  # jsii: "There are no 'Private' subnet groups in this VPC..."
            raise fail("vpc_subnets", selection._values, f"the vpc cannot provide it: {error}") from None
        if not selected.subnet_ids:
            raise fail("vpc_subnets", selection, "selects no subnet of the VPC")
        return list(selected.subnet_ids), selection.subnet_type is not ec2.SubnetType.PUBLIC

    def _subnet_props(self) -> Mapping[str, Any]:
        if self.capacity.kind == "fleets":
            return {"ec2_subnet_ids": self._subnet_ids}
        return {"ec2_subnet_id": self._subnet_ids[0]}

    def _grant_log_write(self, prefix: str) -> None:
        """Nodes push logs (PutObject) under the log prefix; nothing else of the bucket."""
        self._instance.policy.allow_s3(self.log_bucket, prefix, read=False, write=True)

    def _kerberos_attributes(self) -> emr.CfnCluster.KerberosAttributesProperty | None:
        sc = self.security_configuration
        if sc is None or sc.kerberos is None:
            return None
        return emr.CfnCluster.KerberosAttributesProperty(
            realm=sc.kerberos.realm,
            kdc_admin_password=sc.kerberos.kdc_admin_password.secret_value.unsafe_unwrap(),  # a dynamic reference
        )

    def _submit_runtime_role_step(self, step: Step, index: int) -> None:
        assert step.runtime_role is not None
        self._last_runtime_step = StepSubmitter.of(self).submit(
            self,
            f"RuntimeRoleStep{index}",
            cluster_id=self.cluster_id,
            cluster_arn=self.cluster_arn,
            step_request=step._sdk_request(),
            runtime_role=step.runtime_role,
            after=self._last_runtime_step,
        )


_DEFAULT_PREFIXES = ("*",)


def _check_grant(bucket: Any, prefixes: Any) -> None:
    check_type("bucket", bucket, s3.IBucket)
    if prefixes is _DEFAULT_PREFIXES or (isinstance(prefixes, tuple) and prefixes == _DEFAULT_PREFIXES):
        return
    check_s3_prefixes("prefixes", prefixes)


def _check_props(props: Mapping[str, Any]) -> None:
    """Types at the boundary of ``EmrCluster``: wrong types raise ``PropTypeError`` naming the prop."""
    check_type("vpc", props["vpc"], ec2.IVpc)
    check_type("release_label", props["release_label"], ReleaseLabel)
    check_sequence_of("applications", props["applications"], Application, optional=False)
    check_sequence_of("configurations", props["configurations"], Configuration, optional=False)
    for flag in ("glue_data_catalog", "iceberg", "managed_scaling_enabled", "auto_terminate_after_steps"):
        check_type(flag, props[flag], bool)
    check_type("termination_protection", props["termination_protection"], bool, optional=True)
    if props["glue_data_catalog"] or props["iceberg"]:
        check_glue_databases("glue_databases", props["glue_databases"])
    check_type("capacity", props["capacity"], ClusterCapacity, optional=True)
    check_type("managed_scaling", props["managed_scaling"], ManagedScaling)
    check_type("idle_timeout", props["idle_timeout"], Duration, optional=True)
    check_int("step_concurrency_level", props["step_concurrency_level"], optional=False)
    check_type("vpc_subnets", props["vpc_subnets"], ec2.SubnetSelection, optional=True)
    check_type("log_bucket", props["log_bucket"], s3.IBucket, optional=True)
    check_s3_prefix("log_prefix", props["log_prefix"])
    check_type("security_configuration", props["security_configuration"], EmrSecurityConfiguration, optional=True)
    for prop in ("name", "application_tag", "cost_center"):
        check_text(prop, props[prop])
    check_type("removal_policy", props["removal_policy"], RemovalPolicy)
