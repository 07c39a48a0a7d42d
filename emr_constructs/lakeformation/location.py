"""Registering an S3 location with Lake Formation, so that Lake Formation vends the data access to it.

EMR reads a registered location with credentials Lake Formation obtains by assuming the registration role. AWS
documents that EMR cannot use a location registered with the Lake Formation service-linked role
(AWSServiceRoleForLakeFormationDataAccess): "If you plan to access the location using Amazon EMR, you must use a
user-defined role". So the default here is a user-defined role made for the location; the service-linked role is an
explicit opt-in for locations that EMR never reads.
See: https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html,
https://docs.aws.amazon.com/lake-formation/latest/dg/service-linked-role-limitations.html
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lakeformation as lf
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import check_s3_prefix, check_type
from emr_constructs._internal.validation import fail
from emr_constructs.iam.policies import RolePolicy

LAKE_FORMATION_PRINCIPAL = "lakeformation.amazonaws.com"


class LakeFormationDataLocation(Construct):
    """An ``AWS::LakeFormation::Resource``: ``s3://<bucket>/<prefix>`` registered with Lake Formation.

    :param bucket: the data bucket.
    :param prefix: key prefix to register. Default: the whole bucket.
    :param role: the role Lake Formation assumes to read and write the location; it must trust
        ``lakeformation.amazonaws.com`` and be allowed on the location (and its KMS key). Default: a role made here
        with exactly that (S3 read/write under the prefix, the bucket key's encrypt/decrypt).
    :param use_service_linked_role: register with the Lake Formation service-linked role instead of a role.
        Default: off, because EMR on EC2 cannot read locations registered that way.
    :param hybrid_access: keep IAM/S3 policy access working next to Lake Formation's (hybrid access mode).
        Default: off.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        prefix: str | None = None,
        role: iam.IRole | None = None,
        use_service_linked_role: bool = False,
        hybrid_access: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("bucket", bucket, s3.IBucket)
        if prefix is not None:
            check_s3_prefix("prefix", prefix)
        check_type("role", role, iam.IRole, optional=True)
        check_type("use_service_linked_role", use_service_linked_role, bool)
        check_type("hybrid_access", hybrid_access, bool)
        if role is not None and use_service_linked_role:
            raise fail(
                "use_service_linked_role",
                True,
                "give either a role or use_service_linked_role=True, not both (Lake Formation assumes one of them)",
            )
        self.bucket = bucket
        self.prefix = prefix.strip("/") if prefix else None
        self.location_arn = bucket.bucket_arn + (f"/{self.prefix}" if self.prefix else "")
        """The ARN Lake Formation registers (``arn:<partition>:s3:::bucket[/prefix]``, no trailing ``/*``)."""
        self.role: iam.IRole | None = role
        if role is None and not use_service_linked_role:
            created = iam.Role(
                self,
                "Role",
                assumed_by=iam.ServicePrincipal(LAKE_FORMATION_PRINCIPAL),
                description="Lake Formation access to a registered data location",
            )
            policy = RolePolicy(self, "Policy", role=created, description="Lake Formation data location access")
            policy.allow_s3(bucket, f"{self.prefix}/" if self.prefix else "*", read=True, write=True)
            self.role = created
        self._resource = lf.CfnResource(
            self,
            "Resource",
            resource_arn=self.location_arn,
            use_service_linked_role=use_service_linked_role,
            role_arn=self.role.role_arn if self.role is not None else None,
            hybrid_access_enabled=hybrid_access or None,
        )
        if role is None and not use_service_linked_role:  # register once the role may reach the location
            self._resource.node.add_dependency(self.node.find_child("Role"), self.node.find_child("Policy"))
