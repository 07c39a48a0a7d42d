"""Job runtime roles: the IAM role a single job runs as, with a trust chosen per runtime."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs.iam.policies import RolePolicy


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


class JobRuntimeRole(Construct):
    """An IAM role that one job runs as.

    :param trust: who may assume the role, e.g. ``RuntimeRoleTrust.ec2_step(cluster.instance_role)``.
    :param description: Default: "EMR job runtime role".
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        trust: RuntimeRoleTrust,
        description: str = "EMR job runtime role",
    ) -> None:
        super().__init__(scope, construct_id)
        self.trust = trust
        self.role = iam.Role(self, "Role", assumed_by=trust.principal, description=description)
        assert self.role.assume_role_policy is not None
        if trust.actions != ("sts:AssumeRole",):
            # The principal above already allows sts:AssumeRole; add the extra session actions to the same trust.
            self.role.assume_role_policy.add_statements(
                iam.PolicyStatement(principals=[trust.principal], actions=list(trust.actions[1:]))
            )

        self.policy = RolePolicy(self, "Policy", role=self.role, description="EMR job runtime permissions")

    @property
    def role_arn(self) -> str:
        return self.role.role_arn

    def grant_read(self, bucket: s3.IBucket, prefix: str = "*") -> None:
        """Read objects under ``prefix`` (and decrypt them with the bucket's KMS key)."""
        self.policy.allow_s3(bucket, prefix, read=True)

    def grant_read_write(self, bucket: s3.IBucket, prefix: str = "*") -> None:
        """Read and write objects under ``prefix`` (with KMS encrypt/decrypt on the bucket's key)."""
        self.policy.allow_s3(bucket, prefix, read=True, write=True)
