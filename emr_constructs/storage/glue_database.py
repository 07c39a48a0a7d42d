"""A Glue Data Catalog database whose tables live under one prefix of a data bucket.

Grants go to a ``JobRuntimeRole``, the role class of all three runtimes (``EmrCluster.add_runtime_role`` on EC2,
``RuntimeRoleTrust.serverless`` for EMR Serverless, ``RuntimeRoleTrust.eks_irsa``/``eks_pod_identity`` for EMR on
EKS): catalog entries of this database only (ARNs built with ``Stack.format_arn``) and objects under its location.
"""

from __future__ import annotations

import re

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_glue as glue
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import check_s3_prefix, check_text, check_type
from emr_constructs._internal.validation import fail, is_token
from emr_constructs.iam.runtime_role import JobRuntimeRole

GLUE_DATABASE_NAME_PATTERN = r"[a-z0-9_]{1,255}"
"""Lowercase: Glue stores names in lowercase, and the ARNs that scope grants must match the stored name."""
DEFAULT_DATABASE_PREFIX = "warehouse/"


def _check_database_name(prop: str, name: object) -> None:
    """1-255 lowercase letters, digits or ``_``; tokens pass."""
    check_type(prop, name, str)
    if not is_token(name) and not re.fullmatch(GLUE_DATABASE_NAME_PATTERN, str(name)):
        raise fail(prop, name, "must be 1-255 lowercase letters, digits or '_' (a Glue database name)")


class GlueDatabase(Construct):
    """An ``AWS::Glue::Database`` in this account's catalog, located at ``s3://<bucket>/<prefix>``.

    :param database_name: 1-255 lowercase letters, digits or ``_``.
    :param bucket: the data bucket that holds the tables.
    :param prefix: key prefix of the database's location. Default: ``warehouse/<database_name>/``.
    :param description: Default: none.
    :param removal_policy: Default: RETAIN (deleting the stack leaves the database and its table definitions).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        database_name: str,
        bucket: s3.IBucket,
        prefix: str | None = None,
        description: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        _check_database_name("database_name", database_name)
        check_type("bucket", bucket, s3.IBucket)
        if prefix is not None:
            check_s3_prefix("prefix", prefix)
        check_text("description", description)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        self.bucket = bucket
        self.prefix = prefix if prefix is not None else f"{DEFAULT_DATABASE_PREFIX}{database_name}/"
        if not self.prefix.endswith("/"):
            self.prefix += "/"
        self.location_uri = f"s3://{bucket.bucket_name}/{self.prefix}"
        stack = Stack.of(self)
        self._resource = glue.CfnDatabase(
            self,
            "Resource",
            catalog_id=stack.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=database_name, location_uri=self.location_uri, description=description
            ),
        )
        self._resource.apply_removal_policy(removal_policy)
        self.database_name = database_name
        self.database_arn = stack.format_arn(service="glue", resource="database", resource_name=database_name)
        self.tables_arn = stack.format_arn(service="glue", resource="table", resource_name=f"{database_name}/*")

    def grant_read(self, role: JobRuntimeRole, *, data: bool = True) -> None:
        """Read this database's catalog entries and (with ``data``) the objects under its location.

        :param data: Default: on. Off when Lake Formation vends the data access (a registered location).
        """
        check_type("role", role, JobRuntimeRole)
        role.grant_glue_catalog([self.database_name])
        if data:
            role.grant_read(self.bucket, self.prefix)

    def grant_read_write(self, role: JobRuntimeRole, *, data: bool = True) -> None:
        """Create, update and delete tables and partitions of this database (Iceberg commits with
        ``glue:UpdateTable``) and (with ``data``) read and write objects under its location."""
        check_type("role", role, JobRuntimeRole)
        role.grant_glue_catalog([self.database_name], write=True)
        if data:
            role.grant_read_write(self.bucket, self.prefix)
