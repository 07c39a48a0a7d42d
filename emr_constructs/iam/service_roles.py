"""The EMR service role (AmazonEMRServicePolicy_v2) and the EC2 instance role + instance profile."""

from __future__ import annotations

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct, IConstruct

from emr_constructs.compliance.acknowledgments import Reason, acknowledge_finding
from emr_constructs.core.iam_actions import Iam, Kms
from emr_constructs.core.tags import EMR_MANAGED_POLICY_TAG as EMR_MANAGED_POLICY_TAG
from emr_constructs.iam.policies import KMS_ENCRYPT_ACTIONS, RolePolicy


def tag_for_emr_managed_policy(resource: IConstruct) -> None:
    """Tag ``resource`` so that AmazonEMRServicePolicy_v2 may use it."""
    Tags.of(resource).add(*EMR_MANAGED_POLICY_TAG)


class EmrServiceRole(Construct):
    """The role EMR assumes to provision a cluster.

    Uses the AWS-managed ``AmazonEMRServicePolicy_v2`` (not the deprecated V1 policy). The trust allows only this
    account's EMR clusters (``aws:SourceAccount`` and ``aws:SourceArn``), against the confused-deputy problem.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.role = iam.Role(
            self,
            "Role",
            description="Amazon EMR service role (AmazonEMRServicePolicy_v2)",
            assumed_by=iam.ServicePrincipal(
                "elasticmapreduce.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": stack.format_arn(
                            service="elasticmapreduce", resource="cluster", resource_name="*"
                        )
                    },
                },
            ),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonEMRServicePolicy_v2")],
        )
        acknowledge_finding(
            self.role,
            Reason.EMR_SERVICE_POLICY_V2,
            "AwsSolutions-IAM4",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2",
        )

        self.policy = RolePolicy(self, "Policy", role=self.role, description="EMR service role additions")

    def allow_pass_instance_role(self, instance_role: iam.IRole) -> None:
        """EMR passes the instance role to EC2; v2 only allows the default role name, so grant ours explicitly."""
        self.policy.add_statements(
            iam.PolicyStatement(
                actions=[Iam.PASS_ROLE],
                resources=[instance_role.role_arn],
                conditions={"StringEquals": {Iam.PASSED_TO_SERVICE: "ec2.amazonaws.com"}},
            )
        )

    def allow_ebs_encryption_key(self, key: kms.IKey) -> None:
        """EBS encryption with a customer key needs the service role to use the key and create grants for EC2."""
        self.policy.add_statements(
            iam.PolicyStatement(
                actions=[Kms.CREATE_GRANT, Kms.LIST_GRANTS, Kms.REVOKE_GRANT],
                resources=[key.key_arn],
                conditions={"Bool": {Kms.GRANT_IS_FOR_AWS_RESOURCE: "true"}},
            ),
            iam.PolicyStatement(
                actions=[*KMS_ENCRYPT_ACTIONS, Kms.RE_ENCRYPT_FROM, Kms.RE_ENCRYPT_TO], resources=[key.key_arn]
            ),
        )


class EmrInstanceRole(Construct):
    """The EC2 instance role and instance profile of cluster nodes.

    Least privilege instead of the V1 ``AmazonElasticMapReduceforEC2Role``: its managed policy ``policy`` starts
    empty and ``EmrCluster`` adds S3 access to the log prefix and the declared data buckets/prefixes only.

    :param role: Default: a new role trusted by EC2. Pass an existing role to only add the profile and the policy.
    """

    def __init__(self, scope: Construct, construct_id: str, *, role: iam.IRole | None = None) -> None:
        super().__init__(scope, construct_id)
        self.role: iam.IRole = role or iam.Role(
            self,
            "Role",
            description="Amazon EMR EC2 instance role",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
        )
        self.instance_profile = iam.InstanceProfile(self, "InstanceProfile", role=self.role)
        self.policy = RolePolicy(self, "Policy", role=self.role, description="EMR cluster node permissions")
