"""``EmrStudio``: an EMR Studio (``AWS::EMR::Studio``) with its service role, Workspace bucket and security groups.

Workspaces attach to EMR on EC2 clusters, EMR Serverless interactive applications and EMR on EKS managed endpoints at
run time, not in CloudFormation. For a cluster, the Studio service role creates a network interface in one of the
Studio's subnets, attaches the engine security group to the cluster's primary instance and connects the Workspace to
it on port 18888: the service role's policy below (AWS's documented policy) allows exactly that. The cluster must be
in the Studio's VPC and run Spark, Livy and JupyterEnterpriseGateway.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-security-groups.html
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import check_enum, check_s3_prefix, check_sequence_of, check_text, check_type
from emr_constructs._internal.validation import check_pattern, fail, is_token
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import (
    EMR_STUDIO_WORKSPACE_USER_ACTIONS,
    S3,
    Ec2,
    Emr,
    EmrServerless,
    Iam,
    SecretsManager,
)
from emr_constructs.core.tags import EMR_MANAGED_POLICY_TAG
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.iam.service_roles import tag_for_emr_managed_policy
from emr_constructs.serverless.base import ApplicationBase
from emr_constructs.storage.secure import SecureBucket

STUDIO_ENGINE_PORT = 18888
"""Workspaces reach an attached cluster (through the engine security group) on this port."""
GIT_HTTPS_PORT = 443
DEFAULT_WORKSPACE_PREFIX = "workspaces/"
MAX_SUBNETS = 5
"""CreateStudio: "A Studio can have a maximum of 5 subnets" (botocore's EMR model)."""
EMR_SERVICE_PRINCIPAL = "elasticmapreduce.amazonaws.com"
EMR_SERVERLESS_SERVICE_PRINCIPAL = "emr-serverless.amazonaws.com"
_NAME = r"[a-zA-Z0-9_-]{1,256}"
_IDP_URL = r"https://[0-9a-zA-Z]([-.\w]*[0-9a-zA-Z])(:[0-9]*)*([?/#].*)?"


class StudioAuthMode(Enum):
    """How users sign in to the Studio."""

    IAM = "IAM"
    """IAM users and roles (or federation through ``idp_auth_url``); their own IAM policies say what they may do."""
    IAM_IDENTITY_CENTER = "SSO"
    """IAM Identity Center users and groups, mapped to the Studio with session policies over one user role."""


class IdentityType(Enum):
    """What a session mapping maps: an IAM Identity Center user or group."""

    USER = "USER"
    GROUP = "GROUP"


@dataclass(frozen=True, kw_only=True)
class StudioSessionMapping:
    """An IAM Identity Center user or group allowed into the Studio, with the session policy that narrows the user
    role for it (``AWS::EMR::StudioSessionMapping``).

    :param identity_name: the user's ``UserName`` or the group's ``DisplayName`` in the Identity Store.
    :param identity_type: ``IdentityType.USER`` or ``IdentityType.GROUP``.
    :param session_policy: a customer-managed policy (its ARN is the mapping's ``SessionPolicyArn``).
    """

    identity_name: str
    identity_type: IdentityType
    session_policy: iam.IManagedPolicy

    def __post_init__(self) -> None:
        check_text("identity_name", self.identity_name, optional=False)
        if not is_token(self.identity_name) and len(self.identity_name) > 256:
            raise fail("identity_name", self.identity_name, "must be at most 256 characters")
        check_enum("identity_type", self.identity_type, IdentityType, optional=False)
        check_type("session_policy", self.session_policy, iam.IManagedPolicy)


def _trust(stack: Stack) -> iam.ServicePrincipal:
    """EMR Studio in this account and Region only (``aws:SourceAccount`` / ``aws:SourceArn``: confused deputy)."""
    return iam.ServicePrincipal(
        EMR_SERVICE_PRINCIPAL,
        conditions={
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": stack.format_arn(service="elasticmapreduce", resource="*")},
        },
    )


class EmrStudio(Construct):
    """An EMR Studio in ``vpc`` with secure defaults.

    Creates the Studio's service role (trusting only this account's EMR Studio), a Workspace bucket
    (``SecureBucket``: KMS, TLS only, RETAIN), an engine and a Workspace security group with the rules AWS documents
    (tagged ``for-use-with-amazon-emr-managed-policies``), and in IAM Identity Center mode a user role and the session
    mappings.

    :param vpc: the VPC of the Studio, its Workspaces and the clusters they attach to.
    :param auth_mode: Default: ``StudioAuthMode.IAM``.
    :param name: Default: ``<stack name>-<construct id>`` (characters other than letters, digits, ``_`` and ``-``
        replaced by ``-``).
    :param description: Default: none.
    :param vpc_subnets: where Workspaces run (at most 5 subnets). Default: the private subnets with egress.
    :param workspace_bucket: where Workspaces and notebooks are backed up. Default: a new ``SecureBucket``.
    :param workspace_prefix: key prefix of the default S3 location. Default: ``workspaces/``.
    :param idp_auth_url: IAM mode with federation: your identity provider's sign-in URL (``https://...``).
        Default: none.
    :param idp_relay_state_parameter_name: IAM mode with federation: the IdP's RelayState parameter name.
        Default: none.
    :param user_role: IAM Identity Center mode: the role users assume. Default: a role with the Workspace actions
        of AWS's basic user policy.
    :param session_mappings: IAM Identity Center mode: the users and groups allowed in. Construct ids follow list
        order: append new mappings, as a reordered list replaces mappings. Default: none.
    :param removal_policy: of the Workspace bucket created here. Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        auth_mode: StudioAuthMode = StudioAuthMode.IAM,
        name: str | None = None,
        description: str | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        workspace_bucket: s3.IBucket | None = None,
        workspace_prefix: str = DEFAULT_WORKSPACE_PREFIX,
        idp_auth_url: str | None = None,
        idp_relay_state_parameter_name: str | None = None,
        user_role: iam.IRole | None = None,
        session_mappings: Sequence[StudioSessionMapping] = (),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        _check_props(
            vpc=vpc,
            auth_mode=auth_mode,
            name=name,
            description=description,
            vpc_subnets=vpc_subnets,
            workspace_bucket=workspace_bucket,
            workspace_prefix=workspace_prefix,
            idp_auth_url=idp_auth_url,
            idp_relay_state_parameter_name=idp_relay_state_parameter_name,
            user_role=user_role,
            session_mappings=session_mappings,
            removal_policy=removal_policy,
        )
        self.auth_mode = auth_mode
        self.studio_name = name or re.sub(r"[^a-zA-Z0-9_-]", "-", f"{stack.stack_name}-{construct_id}")[:256]
        subnets = vpc.select_subnets(
            **(vpc_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS))._values
        )
        subnet_ids = subnets.subnet_ids
        # The length of a list of subnet-id tokens is known; a list token (Token.as_list) counts as one and passes.
        if not 1 <= len(subnet_ids) <= MAX_SUBNETS:
            raise fail("vpc_subnets", subnet_ids, f"must select 1 to {MAX_SUBNETS} subnets (CreateStudio's limit)")

        self.engine_security_group, self.workspace_security_group = self._security_groups(vpc)
        self.workspace_bucket: s3.IBucket = (
            workspace_bucket or SecureBucket(self, "Workspaces", removal_policy=removal_policy).bucket
        )
        self.default_s3_location = f"s3://{self.workspace_bucket.bucket_name}/{workspace_prefix}"

        self.service_role = iam.Role(
            self, "ServiceRole", description="EMR Studio service role", assumed_by=_trust(stack)
        )
        self.service_policy = RolePolicy(self, "ServicePolicy", role=self.service_role, description="EMR Studio")
        self.service_policy.add_statements(*_service_statements(stack, vpc.vpc_id, subnet_ids))
        acknowledge(self.service_policy, Reason.EMR_STUDIO_SERVICE_ROLE)
        self.service_policy.allow_s3(self.workspace_bucket, workspace_prefix, read=True, write=True)
        self.service_policy.add_statements(
            iam.PolicyStatement(actions=[S3.GET_ENCRYPTION_CONFIGURATION], resources=[self.workspace_bucket.bucket_arn])
        )

        self.user_role: iam.IRole | None = None
        if auth_mode is StudioAuthMode.IAM_IDENTITY_CENTER:
            self.user_role = user_role or self._default_user_role(stack)

        self._resource = emr.CfnStudio(
            self,
            "Resource",
            name=self.studio_name,
            description=description,
            auth_mode=auth_mode.value,
            vpc_id=vpc.vpc_id,
            subnet_ids=subnet_ids,
            service_role=self.service_role.role_arn,
            user_role=self.user_role.role_arn if self.user_role else None,
            engine_security_group_id=self.engine_security_group.security_group_id,
            workspace_security_group_id=self.workspace_security_group.security_group_id,
            default_s3_location=self.default_s3_location,
            idp_auth_url=idp_auth_url,
            idp_relay_state_parameter_name=idp_relay_state_parameter_name,
        )
        # CloudFormation must not create the Studio before its role may act (policy attached) or after it is gone.
        self._resource.node.add_dependency(self.service_policy)
        self.studio_id = self._resource.attr_studio_id
        self.studio_arn = self._resource.attr_arn
        self.studio_url = self._resource.attr_url

        self.session_mappings: list[emr.CfnStudioSessionMapping] = [
            emr.CfnStudioSessionMapping(
                self,
                f"SessionMapping{i}",
                studio_id=self.studio_id,
                identity_name=mapping.identity_name,
                identity_type=mapping.identity_type.value,
                session_policy_arn=mapping.session_policy.managed_policy_arn,
            )
            for i, mapping in enumerate(session_mappings)
        ]

    def _security_groups(self, vpc: ec2.IVpc) -> tuple[ec2.SecurityGroup, ec2.SecurityGroup]:
        """The engine group (inbound 18888 from Workspaces, nothing else) and the Workspace group (no inbound;
        outbound 18888 to the engine group and 443 for Git), as the EMR Studio security groups page lists."""
        engine = ec2.SecurityGroup(
            self, "EngineSecurityGroup", vpc=vpc, description="EMR Studio engine", allow_all_outbound=False
        )
        workspace = ec2.SecurityGroup(
            self, "WorkspaceSecurityGroup", vpc=vpc, description="EMR Studio Workspaces", allow_all_outbound=False
        )
        engine.add_ingress_rule(
            workspace, ec2.Port.tcp(STUDIO_ENGINE_PORT), "EMR Studio Workspaces to attached clusters"
        )
        workspace.add_egress_rule(engine, ec2.Port.tcp(STUDIO_ENGINE_PORT), "To attached clusters (engine group)")
        workspace.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(GIT_HTTPS_PORT), "HTTPS: Git repositories")
        # The service role's policy acts on tagged groups only (tag-based access control, as AWS's policy does).
        tag_for_emr_managed_policy(engine)
        tag_for_emr_managed_policy(workspace)
        return engine, workspace

    def _default_user_role(self, stack: Stack) -> iam.Role:
        role = iam.Role(self, "UserRole", description="EMR Studio user role", assumed_by=_trust(stack))
        policy = RolePolicy(self, "UserPolicy", role=role, description="EMR Studio users")
        policy.add_statements(
            iam.PolicyStatement(sid="AllowEMRBasicActions", actions=EMR_STUDIO_WORKSPACE_USER_ACTIONS, resources=["*"]),
            iam.PolicyStatement(
                sid="AllowPassingServiceRoleForWorkspaceCreation",
                actions=[Iam.PASS_ROLE],
                resources=[self.service_role.role_arn],
                conditions={"StringEquals": {Iam.PASSED_TO_SERVICE: EMR_SERVICE_PRINCIPAL}},
            ),
        )
        acknowledge(policy, Reason.EMR_STUDIO_USER_ROLE)
        return role

    def grant_serverless_notebooks(
        self, grantee: iam.IGrantable, application: ApplicationBase, runtime_role: iam.IRole
    ) -> iam.Grant:
        """Let ``grantee`` (Studio users, e.g. ``studio.user_role``) attach Workspaces to the interactive EMR
        Serverless ``application`` and run them as ``runtime_role``: ``emr-serverless:AccessInteractiveEndpoints``
        on that application and ``iam:PassRole`` of that role to EMR Serverless only.
        See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/interactive-workloads.html"""
        check_type("application", application, ApplicationBase)
        check_type("runtime_role", runtime_role, iam.IRole)
        grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=[EmrServerless.ACCESS_INTERACTIVE_ENDPOINTS],
            resource_arns=[application.application_arn],
        )
        grantee.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[Iam.PASS_ROLE],
                resources=[runtime_role.role_arn],
                conditions={"StringEquals": {Iam.PASSED_TO_SERVICE: EMR_SERVERLESS_SERVICE_PRINCIPAL}},
            )
        )
        return grant

    def grant_create_presigned_url(self, grantee: iam.IGrantable) -> iam.Grant:
        """IAM mode: let ``grantee`` open this Studio (``elasticmapreduce:CreateStudioPresignedUrl`` on it)."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=[Emr.CREATE_STUDIO_PRESIGNED_URL], resource_arns=[self.studio_arn]
        )


def _service_statements(stack: Stack, vpc_id: str, subnet_ids: list[str]) -> list[iam.PolicyStatement]:
    """AWS's EMR Studio service role policy, scoped to this account and Region; the Studio's subnets and VPC are
    named by ARN where AWS's policy expects them tagged (the library does not tag a VPC it did not create)."""
    tag_key, tag_value = EMR_MANAGED_POLICY_TAG
    resource_tagged = {"StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value}}
    request_tagged = {"StringEquals": {f"aws:RequestTag/{tag_key}": tag_value}}

    def ec2_arn(resource: str, name: str = "*") -> str:
        return stack.format_arn(service="ec2", resource=resource, resource_name=name)

    network_interfaces = ec2_arn("network-interface")
    security_groups = ec2_arn("security-group")
    return [
        iam.PolicyStatement(
            sid="AllowEMRReadOnlyActions",
            actions=[Emr.LIST_INSTANCES, Emr.DESCRIBE_CLUSTER, Emr.LIST_STEPS],
            resources=[stack.format_arn(service="elasticmapreduce", resource="cluster", resource_name="*")],
        ),
        iam.PolicyStatement(
            sid="AllowEC2ENIActionsWithEMRTags",
            actions=[Ec2.CREATE_NETWORK_INTERFACE_PERMISSION, Ec2.DELETE_NETWORK_INTERFACE],
            resources=[network_interfaces],
            conditions=resource_tagged,
        ),
        iam.PolicyStatement(
            sid="AllowEC2ENIAttributeAction",
            actions=[Ec2.MODIFY_NETWORK_INTERFACE_ATTRIBUTE],
            resources=[ec2_arn("instance"), network_interfaces, security_groups],
        ),
        iam.PolicyStatement(
            sid="AllowEC2SecurityGroupActionsWithEMRTags",
            actions=[
                Ec2.AUTHORIZE_SECURITY_GROUP_EGRESS,
                Ec2.AUTHORIZE_SECURITY_GROUP_INGRESS,
                Ec2.REVOKE_SECURITY_GROUP_EGRESS,
                Ec2.REVOKE_SECURITY_GROUP_INGRESS,
                Ec2.DELETE_NETWORK_INTERFACE_PERMISSION,
            ],
            resources=["*"],
            conditions=resource_tagged,
        ),
        iam.PolicyStatement(
            sid="AllowDefaultEC2SecurityGroupsCreationWithEMRTags",
            actions=[Ec2.CREATE_SECURITY_GROUP],
            resources=[security_groups],
            conditions=request_tagged,
        ),
        iam.PolicyStatement(
            sid="AllowDefaultEC2SecurityGroupsCreationInStudioVPC",
            actions=[Ec2.CREATE_SECURITY_GROUP],
            resources=[ec2_arn("vpc", vpc_id)],
        ),
        iam.PolicyStatement(
            sid="AllowAddingEMRTagsDuringDefaultSecurityGroupCreation",
            actions=[Ec2.CREATE_TAGS],
            resources=[security_groups],
            conditions={
                "StringEquals": {f"aws:RequestTag/{tag_key}": tag_value, Ec2.CREATE_ACTION: "CreateSecurityGroup"}
            },
        ),
        iam.PolicyStatement(
            sid="AllowEC2ENICreationWithEMRTags",
            actions=[Ec2.CREATE_NETWORK_INTERFACE],
            resources=[network_interfaces],
            conditions=request_tagged,
        ),
        iam.PolicyStatement(
            sid="AllowEC2ENICreationInStudioSubnets",
            actions=[Ec2.CREATE_NETWORK_INTERFACE],
            resources=[ec2_arn("subnet", subnet_id) for subnet_id in subnet_ids],
        ),
        iam.PolicyStatement(
            sid="AllowEC2ENICreationInSecurityGroupWithEMRTags",
            actions=[Ec2.CREATE_NETWORK_INTERFACE],
            resources=[security_groups],
            conditions=resource_tagged,
        ),
        iam.PolicyStatement(
            sid="AllowAddingTagsDuringEC2ENICreation",
            actions=[Ec2.CREATE_TAGS],
            resources=[network_interfaces],
            conditions={"StringEquals": {Ec2.CREATE_ACTION: "CreateNetworkInterface"}},
        ),
        iam.PolicyStatement(
            sid="AllowEC2ReadOnlyActions",
            actions=[
                Ec2.DESCRIBE_SECURITY_GROUPS,
                Ec2.DESCRIBE_NETWORK_INTERFACES,
                Ec2.DESCRIBE_TAGS,
                Ec2.DESCRIBE_INSTANCES,
                Ec2.DESCRIBE_SUBNETS,
                Ec2.DESCRIBE_VPCS,
            ],
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="AllowSecretsManagerReadOnlyActionsWithEMRTags",
            actions=[SecretsManager.GET_SECRET_VALUE],
            resources=[
                stack.format_arn(
                    service="secretsmanager",
                    resource="secret",
                    resource_name="*",
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            ],
            conditions=resource_tagged,
        ),
    ]


def _check_props(
    *,
    vpc: ec2.IVpc,
    auth_mode: StudioAuthMode,
    name: str | None,
    description: str | None,
    vpc_subnets: ec2.SubnetSelection | None,
    workspace_bucket: s3.IBucket | None,
    workspace_prefix: str,
    idp_auth_url: str | None,
    idp_relay_state_parameter_name: str | None,
    user_role: iam.IRole | None,
    session_mappings: Sequence[StudioSessionMapping],
    removal_policy: RemovalPolicy,
) -> None:
    """Types, formats and the auth-mode rules of CreateStudio, before any resource is made."""
    check_type("vpc", vpc, ec2.IVpc)
    check_enum("auth_mode", auth_mode, StudioAuthMode, optional=False)
    check_pattern("name", name, _NAME, "1-256 letters, digits, '_' or '-'")
    check_text("description", description)
    if description is not None and not is_token(description) and len(description) > 256:
        raise fail("description", description, "must be at most 256 characters")
    check_type("vpc_subnets", vpc_subnets, ec2.SubnetSelection, optional=True)
    check_type("workspace_bucket", workspace_bucket, s3.IBucket, optional=True)
    check_s3_prefix("workspace_prefix", workspace_prefix)
    check_type("user_role", user_role, iam.IRole, optional=True)
    check_sequence_of("session_mappings", session_mappings, StudioSessionMapping, optional=False)
    check_type("removal_policy", removal_policy, RemovalPolicy)
    check_type("idp_auth_url", idp_auth_url, str, optional=True)
    check_pattern("idp_auth_url", idp_auth_url, _IDP_URL, "an https:// URL of your identity provider")
    check_text("idp_relay_state_parameter_name", idp_relay_state_parameter_name)
    identity_center = auth_mode is StudioAuthMode.IAM_IDENTITY_CENTER
    if not identity_center:
        for prop, value in (("user_role", user_role), ("session_mappings", list(session_mappings) or None)):
            if value is not None:
                raise fail(prop, value, "applies only with auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER (got IAM)")
    else:
        for idp_prop, idp_value in (
            ("idp_auth_url", idp_auth_url),
            ("idp_relay_state_parameter_name", idp_relay_state_parameter_name),
        ):
            if idp_value is not None:
                raise fail(idp_prop, idp_value, "applies only with auth_mode=StudioAuthMode.IAM (IdP federation)")
    if idp_relay_state_parameter_name is not None and idp_auth_url is None:
        raise fail("idp_relay_state_parameter_name", idp_relay_state_parameter_name, "needs idp_auth_url")
    seen: set[tuple[IdentityType, str]] = set()
    for i, mapping in enumerate(session_mappings):
        key = (mapping.identity_type, mapping.identity_name)
        if not is_token(mapping.identity_name) and key in seen:
            raise fail(f"session_mappings[{i}]", mapping.identity_name, f"maps the same {key[0].value} twice")
        seen.add(key)
