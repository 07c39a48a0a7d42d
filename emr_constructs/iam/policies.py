"""Least-privilege policy statements, written out instead of the broad CDK grant helpers.

aws-cdk's ``bucket.grant_read`` adds ``s3:GetObject*``/``s3:List*`` and ``kms:GenerateDataKey*``-style wildcards
to an inline policy; these helpers name each action and land in a customer-managed policy, which the HIPAA, NIST and
PCI packs require (no inline policies).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs.compliance.acknowledgments import Reason, acknowledge_finding, nag_resource_text
from emr_constructs.core.iam_actions import (
    GLUE_READ_ACTIONS,
    GLUE_WRITE_ACTIONS,
    KMS_DECRYPT_ACTIONS,
    KMS_ENCRYPT_ACTIONS,
    S3,
    S3_READ_ACTIONS,
    S3_WRITE_ACTIONS,
)

__all__ = [
    "GLUE_READ_ACTIONS",
    "GLUE_WRITE_ACTIONS",
    "KMS_DECRYPT_ACTIONS",
    "KMS_ENCRYPT_ACTIONS",
    "S3_READ_ACTIONS",
    "S3_WRITE_ACTIONS",
    "RolePolicy",
    "s3_statements",
]


def _object_arn(bucket: s3.IBucket, prefix: str) -> str:
    prefix = prefix.lstrip("/")
    return bucket.arn_for_objects(prefix if prefix.endswith("*") else f"{prefix}*")


def s3_statements(bucket: s3.IBucket, prefix: str, *, read: bool, write: bool) -> list[iam.PolicyStatement]:
    """Object access under ``prefix`` of ``bucket``, listing limited to that prefix, and the bucket key's use.

    ``read=False, write=True`` is put-only.
    """
    if not (read or write):
        raise ValueError("s3_statements: got read=False, write=False; at least one of read/write must be True")
    if read:
        actions = S3_READ_ACTIONS + (S3_WRITE_ACTIONS if write else [])
    else:
        actions = [S3.PUT_OBJECT]  # write-only (e.g. log delivery): no read, overwrite-by-delete or abort
    list_prefix = prefix.lstrip("/")
    statements = [
        iam.PolicyStatement(actions=actions, resources=[_object_arn(bucket, prefix)]),
        iam.PolicyStatement(
            actions=[S3.LIST_BUCKET],
            resources=[bucket.bucket_arn],
            conditions={"StringLike": {S3.PREFIX: [list_prefix if list_prefix.endswith("*") else f"{list_prefix}*"]}},
        ),
    ]
    if bucket.encryption_key is not None:
        statements.append(
            iam.PolicyStatement(
                actions=KMS_ENCRYPT_ACTIONS if write else KMS_DECRYPT_ACTIONS,
                resources=[bucket.encryption_key.key_arn],
            )
        )
    return statements


class RolePolicy(Construct):
    """A customer-managed policy attached to one role, where this library puts that role's permissions.

    Object ARNs under a prefix necessarily end in ``*``; each such ARN is acknowledged on its own, so any other
    wildcard added later still fails the AwsSolutions pack.
    """

    def __init__(self, scope: Construct, construct_id: str, *, role: iam.IRole, description: str) -> None:
        super().__init__(scope, construct_id)
        self._role = role
        self._description = description
        self.policy: iam.ManagedPolicy | None = None
        """Created with the first statement: CloudFormation rejects an empty policy."""

    def add_statements(self, *statements: iam.PolicyStatement) -> None:
        if self.policy is None:
            self.policy = iam.ManagedPolicy(self, "Resource", roles=[self._role], description=self._description)
        self.policy.add_statements(*statements)

    def allow_glue_catalog_read(self, databases: Sequence[str], *, write: bool = False) -> None:
        """Read (and with ``write`` change tables and partitions of) the Glue Data Catalog entries of
        ``databases``; the table wildcard of each database is acknowledged on its own."""
        stack = Stack.of(self)
        tables = [stack.format_arn(service="glue", resource="table", resource_name=f"{db}/*") for db in databases]
        resources = [stack.format_arn(service="glue", resource="catalog")]
        resources += [stack.format_arn(service="glue", resource="database", resource_name=db) for db in databases]
        actions = GLUE_READ_ACTIONS + (GLUE_WRITE_ACTIONS if write else [])
        self.add_statements(iam.PolicyStatement(actions=actions, resources=[*resources, *tables]))
        assert self.policy is not None
        for table in tables:
            finding = "Resource::" + nag_resource_text(self, table)
            acknowledge_finding(self.policy, Reason.GLUE_TABLES_OF_DATABASE, "AwsSolutions-IAM5", finding)

    def allow_s3(self, bucket: s3.IBucket, prefix: str = "*", *, read: bool = True, write: bool = False) -> None:
        """Object access under ``prefix``; the prefix wildcard is acknowledged for exactly that object ARN."""
        self.add_statements(*s3_statements(bucket, prefix, read=read, write=write))
        assert self.policy is not None
        finding = "Resource::" + nag_resource_text(self, _object_arn(bucket, prefix))
        acknowledge_finding(self.policy, Reason.PREFIX_SCOPED_OBJECTS, "AwsSolutions-IAM5", finding)
