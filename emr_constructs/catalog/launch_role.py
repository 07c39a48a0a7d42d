"""The launch role of the EMR Service Catalog products: what Service Catalog assumes to provision them.

Service Catalog assumes the role (trust: ``servicecatalog.amazonaws.com``) and calls CloudFormation with it; every
resource of a product's template is then created, updated and deleted with the role's permissions, so end users
need none of them. The role gets exactly the actions for the resource types of the two product templates
(``RESOURCE_TYPE_ACTIONS``, which a test compares with the synthesized product templates), and

- CloudFormation only on the stacks Service Catalog names ``SC-<account>-pp-...``;
- every other action only when called through CloudFormation (``aws:CalledVia``), so the role cannot be used to
  create an EMR cluster or an IAM role directly;
- IAM roles, policies and instance profiles only with the names CloudFormation generates in those stacks
  (``SC-*``), and ``iam:PassRole`` only of those roles and only to the services the products use;
- read access to the product templates (the service-owned bucket Service Catalog tags
  ``servicecatalog:provisioning=true``) and to the product assets in the portfolio's asset bucket.

What it cannot avoid: creating IAM roles and attaching policies is what the products do (the cluster's service and
instance roles, the Serverless job role), so whoever can launch a product can create roles with the policies the
product templates define; the templates are fixed by the platform team, end users choose only the parameters.
See: https://docs.aws.amazon.com/servicecatalog/latest/adminguide/constraints-launch.html
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs.core.iam_actions import (
    S3,
    CloudFormation,
    Ec2,
    Emr,
    EmrServerless,
    Iam,
    Kms,
    Lambda,
    Logs,
)

SERVICE_CATALOG_PRINCIPAL = "servicecatalog.amazonaws.com"
CLOUDFORMATION_SERVICE = "cloudformation.amazonaws.com"
PROVISIONED_STACK_PREFIX = "SC-"
"""Service Catalog names a provisioned product's stack ``SC-<account>-pp-<id>``; CloudFormation derives the names of
the stack's unnamed IAM roles, policies and instance profiles from the stack name."""
PASSED_TO_SERVICES = ("elasticmapreduce.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com")
"""The services the products pass roles to: EMR (service role), EC2 (the instance profile's role), Lambda (the
Serverless lifecycle guard)."""
SERVICE_LINKED_ROLES = ("elasticmapreduce.amazonaws.com", "ops.emr-serverless.amazonaws.com")

RESOURCE_TYPE_ACTIONS: dict[str, list[str]] = {
    "AWS::EMR::Cluster": [
        Emr.RUN_JOB_FLOW,
        Emr.DESCRIBE_CLUSTER,
        Emr.TERMINATE_JOB_FLOWS,
        Emr.ADD_TAGS,
        Emr.REMOVE_TAGS,
        Emr.SET_TERMINATION_PROTECTION,
        Emr.PUT_MANAGED_SCALING_POLICY,
        Emr.GET_MANAGED_SCALING_POLICY,
        Emr.REMOVE_MANAGED_SCALING_POLICY,
        Emr.PUT_AUTO_TERMINATION_POLICY,
        Emr.GET_AUTO_TERMINATION_POLICY,
        Emr.REMOVE_AUTO_TERMINATION_POLICY,
        Emr.MODIFY_CLUSTER,
        Emr.LIST_INSTANCE_FLEETS,
        Emr.MODIFY_INSTANCE_FLEET,
    ],
    "AWS::EMR::SecurityConfiguration": [
        Emr.CREATE_SECURITY_CONFIGURATION,
        Emr.DELETE_SECURITY_CONFIGURATION,
        Emr.DESCRIBE_SECURITY_CONFIGURATION,
    ],
    "AWS::EMRServerless::Application": [
        EmrServerless.CREATE_APPLICATION,
        EmrServerless.GET_APPLICATION,
        EmrServerless.UPDATE_APPLICATION,
        EmrServerless.DELETE_APPLICATION,
        EmrServerless.STOP_APPLICATION,
        EmrServerless.TAG_RESOURCE,
        EmrServerless.UNTAG_RESOURCE,
        EmrServerless.LIST_TAGS_FOR_RESOURCE,
    ],
    "AWS::EC2::SecurityGroup": [
        Ec2.CREATE_SECURITY_GROUP,
        Ec2.DELETE_SECURITY_GROUP,
        Ec2.DESCRIBE_SECURITY_GROUPS,
        Ec2.DESCRIBE_VPCS,
        Ec2.CREATE_TAGS,
        Ec2.DELETE_TAGS,
        Ec2.REVOKE_SECURITY_GROUP_EGRESS,
    ],
    "AWS::EC2::SecurityGroupIngress": [Ec2.AUTHORIZE_SECURITY_GROUP_INGRESS, Ec2.REVOKE_SECURITY_GROUP_INGRESS],
    "AWS::EC2::SecurityGroupEgress": [Ec2.AUTHORIZE_SECURITY_GROUP_EGRESS, Ec2.REVOKE_SECURITY_GROUP_EGRESS],
    "AWS::IAM::Role": [
        Iam.CREATE_ROLE,
        Iam.DELETE_ROLE,
        Iam.GET_ROLE,
        Iam.TAG_ROLE,
        Iam.UNTAG_ROLE,
        Iam.UPDATE_ASSUME_ROLE_POLICY,
        Iam.ATTACH_ROLE_POLICY,
        Iam.DETACH_ROLE_POLICY,
        Iam.PUT_ROLE_POLICY,
        Iam.DELETE_ROLE_POLICY,
        Iam.GET_ROLE_POLICY,
    ],
    "AWS::IAM::ManagedPolicy": [
        Iam.CREATE_POLICY,
        Iam.DELETE_POLICY,
        Iam.GET_POLICY,
        Iam.CREATE_POLICY_VERSION,
        Iam.DELETE_POLICY_VERSION,
        Iam.LIST_POLICY_VERSIONS,
    ],
    "AWS::IAM::InstanceProfile": [
        Iam.CREATE_INSTANCE_PROFILE,
        Iam.DELETE_INSTANCE_PROFILE,
        Iam.GET_INSTANCE_PROFILE,
        Iam.ADD_ROLE_TO_INSTANCE_PROFILE,
        Iam.REMOVE_ROLE_FROM_INSTANCE_PROFILE,
    ],
    "AWS::KMS::Key": [
        Kms.CREATE_KEY,
        Kms.DESCRIBE_KEY,
        Kms.ENABLE_KEY_ROTATION,
        Kms.PUT_KEY_POLICY,
        Kms.GET_KEY_POLICY,
        Kms.GET_KEY_ROTATION_STATUS,
        Kms.LIST_RESOURCE_TAGS,
        Kms.TAG_RESOURCE,
        Kms.UNTAG_RESOURCE,
        Kms.SCHEDULE_KEY_DELETION,
    ],
    "AWS::S3::Bucket": [
        S3.CREATE_BUCKET,
        S3.DELETE_BUCKET,
        S3.PUT_ENCRYPTION_CONFIGURATION,
        S3.PUT_BUCKET_VERSIONING,
        S3.PUT_BUCKET_PUBLIC_ACCESS_BLOCK,
        S3.PUT_BUCKET_OWNERSHIP_CONTROLS,
        S3.PUT_LIFECYCLE_CONFIGURATION,
        S3.PUT_BUCKET_LOGGING,
        S3.PUT_BUCKET_TAGGING,
    ],
    "AWS::S3::BucketPolicy": [S3.PUT_BUCKET_POLICY, S3.DELETE_BUCKET_POLICY, S3.GET_BUCKET_POLICY],
    "AWS::Logs::LogGroup": [
        Logs.CREATE_LOG_GROUP,
        Logs.DELETE_LOG_GROUP,
        Logs.PUT_RETENTION_POLICY,
        Logs.DELETE_RETENTION_POLICY,
        Logs.ASSOCIATE_KMS_KEY,
        Logs.DISASSOCIATE_KMS_KEY,
        Logs.TAG_RESOURCE,
        Logs.UNTAG_RESOURCE,
        Logs.DESCRIBE_LOG_GROUPS,
        Logs.LIST_TAGS_FOR_RESOURCE,
    ],
    "AWS::Lambda::Function": [
        Lambda.CREATE_FUNCTION,
        Lambda.DELETE_FUNCTION,
        Lambda.GET_FUNCTION,
        Lambda.UPDATE_FUNCTION_CODE,
        Lambda.UPDATE_FUNCTION_CONFIGURATION,
        Lambda.TAG_RESOURCE,
        Lambda.UNTAG_RESOURCE,
    ],
    # The custom resources (the cluster's TLS certificate, the Serverless lifecycle guards): CloudFormation invokes
    # their functions with the launch role.
    "Custom::EmrTlsCertificate": [Lambda.INVOKE_FUNCTION],
    "Custom::EmrServerlessUpdateGuard": [Lambda.INVOKE_FUNCTION],
    "Custom::EmrServerlessDeleteGuard": [Lambda.INVOKE_FUNCTION],
}
"""The actions CloudFormation calls to create, update and delete each resource type of the product templates."""

STACK_ACTIONS = [
    CloudFormation.CREATE_STACK,
    CloudFormation.UPDATE_STACK,
    CloudFormation.DELETE_STACK,
    CloudFormation.DESCRIBE_STACKS,
    CloudFormation.DESCRIBE_STACK_EVENTS,
    CloudFormation.SET_STACK_POLICY,
]
TEMPLATE_ACTIONS = [CloudFormation.GET_TEMPLATE_SUMMARY, CloudFormation.VALIDATE_TEMPLATE]
IAM_NAMED_RESOURCE_ACTIONS = {
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::InstanceProfile",
}


def _launch_role_statements(
    stack: Stack, *, asset_bucket: s3.IBucket, asset_key: kms.IKey | None
) -> list[iam.PolicyStatement]:
    """The statements of the launch role's policy (see the module docstring)."""
    via_cloudformation = {"ForAnyValue:StringEquals": {"aws:CalledVia": [CLOUDFORMATION_SERVICE]}}
    named = PROVISIONED_STACK_PREFIX + "*"
    iam_resources = [
        stack.format_arn(service="iam", region="", resource=kind, resource_name=named)
        for kind in ("role", "policy", "instance-profile")
    ]
    other_actions = sorted(
        {a for t, actions in RESOURCE_TYPE_ACTIONS.items() if t not in IAM_NAMED_RESOURCE_ACTIONS for a in actions}
    )
    iam_actions = sorted({a for t in IAM_NAMED_RESOURCE_ACTIONS for a in RESOURCE_TYPE_ACTIONS[t]})
    statements = [
        iam.PolicyStatement(
            sid="ProvisionedProductStacks",
            actions=STACK_ACTIONS,
            resources=[stack.format_arn(service="cloudformation", resource="stack", resource_name=f"{named}/*")],
        ),
        iam.PolicyStatement(sid="ProductTemplates", actions=TEMPLATE_ACTIONS, resources=["*"]),
        iam.PolicyStatement(
            sid="ReadProductTemplatesFromServiceCatalog",
            actions=[S3.GET_OBJECT],
            resources=["*"],
            conditions={"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}},
        ),
        iam.PolicyStatement(
            sid="ReadProductAssets", actions=[S3.GET_OBJECT], resources=[asset_bucket.arn_for_objects("*")]
        ),
        iam.PolicyStatement(
            sid="ProductResources", actions=other_actions, resources=["*"], conditions=via_cloudformation
        ),
        iam.PolicyStatement(
            sid="ProductIamResources", actions=iam_actions, resources=iam_resources, conditions=via_cloudformation
        ),
        iam.PolicyStatement(
            sid="PassProductRoles",
            actions=[Iam.PASS_ROLE],
            resources=[iam_resources[0]],
            conditions={"StringEquals": {Iam.PASSED_TO_SERVICE: list(PASSED_TO_SERVICES)}},
        ),
        iam.PolicyStatement(
            sid="EmrServiceLinkedRoles",
            actions=[Iam.CREATE_SERVICE_LINKED_ROLE],
            resources=["*"],
            conditions={"StringEquals": {Iam.AWS_SERVICE_NAME: list(SERVICE_LINKED_ROLES)}},
        ),
    ]
    if asset_key is not None:
        statements.append(
            iam.PolicyStatement(sid="DecryptProductAssets", actions=[Kms.DECRYPT], resources=[asset_key.key_arn])
        )
    return statements


class LaunchRole(Construct):
    """An IAM role Service Catalog assumes to provision the EMR products, with the policy of
    ``_launch_role_statements`` as a customer-managed policy."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        asset_bucket: s3.IBucket,
        asset_key: kms.IKey | None,
        extra_statements: Sequence[iam.PolicyStatement] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Provision the EMR Service Catalog products through CloudFormation",
            statements=[
                *_launch_role_statements(stack, asset_bucket=asset_bucket, asset_key=asset_key),
                *extra_statements,
            ],
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(SERVICE_CATALOG_PRINCIPAL),
            description="Service Catalog launch role of the EMR products",
            managed_policies=[self.policy],
        )
