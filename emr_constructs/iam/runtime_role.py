"""Job runtime roles: the IAM role a single job runs as, with a trust chosen per runtime.

Replaces the hand-made ``EMRServerlessS3RuntimeRole`` + ``EMRServerlessS3AndGlueAccessPolicy`` pair of the getting
started guide with grants scoped to buckets, prefixes, Glue databases and log destinations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.validation import fail
from emr_constructs.iam.policies import KMS_ENCRYPT_ACTIONS, RolePolicy

EMR_SERVERLESS_PRINCIPAL = "emr-serverless.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class RuntimeRoleTrust:
    """Who may assume a runtime role. Build it with a factory method."""

    principal: iam.IPrincipal
    actions: tuple[str, ...]
    runtime: str

    @classmethod
    def ec2_step(
        cls, instance_role: iam.IRole, *, source_identity: bool = True, lake_formation: bool = False
    ) -> RuntimeRoleTrust:
        """EMR on EC2 step runtime role: trusted by the cluster's instance role.

        ``source_identity`` adds ``sts:SetSourceIdentity`` (the security configuration propagates the caller's
        identity to CloudTrail); ``lake_formation`` adds ``sts:TagSession``, which Lake Formation needs.
        See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
        """
        actions = ["sts:AssumeRole"]
        if source_identity:
            actions.append("sts:SetSourceIdentity")
        if lake_formation:
            actions.append("sts:TagSession")
        return cls(principal=iam.ArnPrincipal(instance_role.role_arn), actions=tuple(actions), runtime="ec2")

    @classmethod
    def serverless(cls, scope: Construct, *, application_arn: str | None = None) -> RuntimeRoleTrust:
        """EMR Serverless job runtime role: trusted by the EMR Serverless service for this account's applications
        (``aws:SourceAccount``), or for one application (``aws:SourceArn``), against the confused deputy.

        See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
        """
        stack = Stack.of(scope)
        source_arn = application_arn or stack.format_arn(
            service="emr-serverless",
            resource="/applications",
            resource_name="*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        principal = iam.ServicePrincipal(
            EMR_SERVERLESS_PRINCIPAL,
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": source_arn},
            },
        )
        return cls(principal=principal, actions=("sts:AssumeRole",), runtime="serverless")


class JobRuntimeRole(Construct):
    """An IAM role that one job runs as, with least-privilege grants in a customer-managed policy.

    :param trust: who may assume the role, e.g. ``RuntimeRoleTrust.serverless(self)``.
    :param description: Default: "EMR job runtime role".
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        trust: RuntimeRoleTrust | None = None,
        description: str = "EMR job runtime role",
        role: iam.IRole | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.trust = trust
        if role is None:
            if trust is None:
                raise fail("trust", None, "a new runtime role needs a trust, e.g. RuntimeRoleTrust.serverless(scope)")
            new_role = iam.Role(self, "Role", assumed_by=trust.principal, description=description)
            assert new_role.assume_role_policy is not None
            if trust.actions != ("sts:AssumeRole",):
                # The principal above already allows sts:AssumeRole; add the extra session actions to the trust.
                new_role.assume_role_policy.add_statements(
                    iam.PolicyStatement(principals=[trust.principal], actions=list(trust.actions[1:]))
                )
            role = new_role
        self.role: iam.IRole = role
        self.policy = RolePolicy(self, "Policy", role=self.role, description="EMR job runtime permissions")

    @classmethod
    def from_role_arn(cls, scope: Construct, construct_id: str, role_arn: str) -> JobRuntimeRole:
        """Wrap an existing role: the ``grant_*`` methods attach a managed policy to it. Its trust is unchanged."""
        role = iam.Role.from_role_arn(scope, f"{construct_id}Imported", role_arn, mutable=True)
        return cls(scope, construct_id, role=role)

    @property
    def role_arn(self) -> str:
        return self.role.role_arn

    def grant_read(self, bucket: s3.IBucket, prefix: str = "*") -> None:
        """Read objects under ``prefix`` (and decrypt them with the bucket's KMS key)."""
        self.policy.allow_s3(bucket, prefix, read=True)

    def grant_read_write(self, bucket: s3.IBucket, prefix: str = "*") -> None:
        """Read and write objects under ``prefix`` (with KMS encrypt/decrypt on the bucket's key)."""
        self.policy.allow_s3(bucket, prefix, read=True, write=True)

    def grant_log_write(self, bucket: s3.IBucket, prefix: str) -> None:
        """Put job logs under ``prefix`` (no read, no delete), encrypting with the bucket's key."""
        self.policy.allow_s3(bucket, prefix, read=False, write=True)

    def grant_log_group_write(self, log_group: logs.ILogGroup, encryption_key: kms.IKey | None = None) -> None:
        """Create streams and put events in ``log_group``; ``encryption_key`` is the key the job encrypts with."""
        self.policy.add_statements(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                resources=[log_group.log_group_arn],
            ),
            iam.PolicyStatement(actions=["logs:DescribeLogGroups"], resources=[log_group.log_group_arn]),
        )
        if encryption_key is not None:
            self.policy.add_statements(
                iam.PolicyStatement(actions=KMS_ENCRYPT_ACTIONS, resources=[encryption_key.key_arn])
            )

    def grant_glue_catalog(self, databases: Sequence[str], *, write: bool = False) -> None:
        """Read (or, with ``write``, also create/update/delete tables and partitions in) the Glue Data Catalog
        databases ``databases``: scoped to the catalog, those databases and their tables, never ``*``."""
        if not databases:
            raise fail("databases", list(databases), "name at least one Glue database")
        self.policy.allow_glue_catalog_read(databases, write=write)
