"""Lake Formation grants to a job runtime role: database, table and column permissions, and data location access.

Each grant is one ``AWS::LakeFormation::PrincipalPermissions`` (GrantPermissions on create, RevokePermissions on
delete, per principal-resource pair), the resource type whose ``Resource`` takes a ``TableWithColumns`` for column-level
grants. The role also needs ``lakeformation:GetDataAccess`` in IAM: Lake Formation vends the S3 credentials of a
registered location only to principals allowed that action.
See: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lakeformation-principalpermissions.html,
https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_text, check_type
from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge_finding
from emr_constructs.core.iam_actions import LakeFormation
from emr_constructs.iam.runtime_role import JobRuntimeRole
from emr_constructs.lakeformation.location import LakeFormationDataLocation
from emr_constructs.storage.glue_database import GlueDatabase, _check_database_name

DATABASE_PERMISSIONS = ("ALL", "ALTER", "CREATE_TABLE", "DESCRIBE", "DROP")
TABLE_PERMISSIONS = ("ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT")
COLUMN_PERMISSIONS = ("SELECT",)
"""A ``TableWithColumns`` resource "is only used when granting a SELECT permission" (CloudFormation schema)."""
DEFAULT_DATABASE_PERMISSIONS = ("DESCRIBE",)
DEFAULT_TABLE_PERMISSIONS = ("SELECT", "DESCRIBE")
PERMISSIONS_REFERENCE = "https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html"


def _check_permissions(prop: str, permissions: Any, allowed: Sequence[str]) -> list[str]:
    check_sequence_of(prop, permissions, str, optional=False)
    if not permissions:
        raise fail(prop, list(permissions), f"name at least one of {', '.join(allowed)}")
    for permission in permissions:
        if permission not in allowed:
            raise fail(prop, permission, f"allowed at this level: {', '.join(allowed)} (see {PERMISSIONS_REFERENCE})")
    return list(dict.fromkeys(permissions))


class LakeFormationPermissions(Construct):
    """The Lake Formation permissions of one ``JobRuntimeRole`` (EC2 step runtime role, EMR Serverless job role or
    EMR on EKS execution role), with the ``lakeformation:GetDataAccess`` it needs in IAM.

    Each ``grant_*`` takes a construct id (never derived from the names it grants) and returns the L1 grant.
    Grants of a ``GlueDatabase`` wait for the database to exist.

    :param role: the runtime role to grant to.
    """

    def __init__(self, scope: Construct, construct_id: str, *, role: JobRuntimeRole) -> None:
        super().__init__(scope, construct_id)
        check_type("role", role, JobRuntimeRole)
        self.role = role
        self._catalog_id = Stack.of(self).account
        role.policy.add_statements(iam.PolicyStatement(actions=[LakeFormation.GET_DATA_ACCESS], resources=["*"]))
        assert role.policy.policy is not None
        acknowledge_finding(role.policy.policy, Reason.LAKE_FORMATION_DATA_ACCESS, "AwsSolutions-IAM5", "Resource::*")

    def _grant(
        self, construct_id: str, resource: lf.CfnPrincipalPermissions.ResourceProperty, permissions: list[str], on: Any
    ) -> lf.CfnPrincipalPermissions:
        check_type("construct_id", construct_id, str)
        grant = lf.CfnPrincipalPermissions(
            self,
            construct_id,
            permissions=permissions,
            permissions_with_grant_option=[],
            principal=lf.CfnPrincipalPermissions.DataLakePrincipalProperty(
                data_lake_principal_identifier=self.role.role_arn
            ),
            resource=resource,
        )
        if isinstance(on, Construct):
            grant.node.add_dependency(on)
        return grant

    def _database_name(self, database: str | GlueDatabase) -> str:
        if isinstance(database, GlueDatabase):
            return database.database_name
        _check_database_name("database", database)
        return database

    def grant_database(
        self,
        construct_id: str,
        *,
        database: str | GlueDatabase,
        permissions: Sequence[str] = DEFAULT_DATABASE_PERMISSIONS,
    ) -> lf.CfnPrincipalPermissions:
        """Database-level permissions (``DESCRIBE``, ``CREATE_TABLE``, ``ALTER``, ``DROP``, ``ALL``).

        :param permissions: Default: ``DESCRIBE`` (see the database; tables still need their own grants).
        """
        name = self._database_name(database)
        perms = _check_permissions("permissions", permissions, DATABASE_PERMISSIONS)
        resource = lf.CfnPrincipalPermissions.ResourceProperty(
            database=lf.CfnPrincipalPermissions.DatabaseResourceProperty(catalog_id=self._catalog_id, name=name)
        )
        return self._grant(construct_id, resource, perms, database)

    def grant_table(
        self,
        construct_id: str,
        *,
        database: str | GlueDatabase,
        table: str | None = None,
        permissions: Sequence[str] = DEFAULT_TABLE_PERMISSIONS,
    ) -> lf.CfnPrincipalPermissions:
        """Table-level permissions on ``table``, or on every table of the database (``TableWildcard``).

        :param table: Default: all tables of ``database``, present and future.
        :param permissions: Default: ``SELECT`` and ``DESCRIBE`` (read).
        """
        name = self._database_name(database)
        check_text("table", table)
        if table == "":
            raise fail("table", table, "name a table, or leave it out for every table of the database")
        perms = _check_permissions("permissions", permissions, TABLE_PERMISSIONS)
        table_resource = lf.CfnPrincipalPermissions.TableResourceProperty(
            catalog_id=self._catalog_id,
            database_name=name,
            name=table,
            table_wildcard={} if table is None else None,
        )
        resource = lf.CfnPrincipalPermissions.ResourceProperty(table=table_resource)
        return self._grant(construct_id, resource, perms, database)

    def grant_columns(
        self,
        construct_id: str,
        *,
        database: str | GlueDatabase,
        table: str,
        columns: Sequence[str] | None = None,
        excluded_columns: Sequence[str] | None = None,
    ) -> lf.CfnPrincipalPermissions:
        """``SELECT`` on some columns of ``table`` (``TableWithColumns``): either the ``columns`` listed, or every
        column except ``excluded_columns``. Give exactly one of the two."""
        name = self._database_name(database)
        check_text("table", table, optional=False)
        if (columns is None) == (excluded_columns is None):
            raise fail("columns", columns, "give exactly one of columns (included) or excluded_columns")
        prop, names = ("columns", columns) if columns is not None else ("excluded_columns", excluded_columns)
        check_sequence_of(prop, names, str, optional=False)
        assert names is not None
        if not names:
            raise fail(prop, list(names), "name at least one column")
        for i, column in enumerate(names):
            check_text(f"{prop}[{i}]", column, optional=False)
        with_columns = lf.CfnPrincipalPermissions.TableWithColumnsResourceProperty(
            catalog_id=self._catalog_id,
            database_name=name,
            name=table,
            column_names=list(columns) if columns is not None else None,
            column_wildcard=(
                lf.CfnPrincipalPermissions.ColumnWildcardProperty(excluded_column_names=list(excluded_columns))
                if excluded_columns is not None
                else None
            ),
        )
        resource = lf.CfnPrincipalPermissions.ResourceProperty(table_with_columns=with_columns)
        return self._grant(construct_id, resource, list(COLUMN_PERMISSIONS), database)

    def grant_data_location(self, construct_id: str, location: LakeFormationDataLocation) -> lf.CfnPrincipalPermissions:
        """``DATA_LOCATION_ACCESS`` on a registered location: needed to create tables (or databases) that point
        into it. Reading and writing existing tables needs table permissions, not this."""
        check_type("location", location, LakeFormationDataLocation)
        resource = lf.CfnPrincipalPermissions.ResourceProperty(
            data_location=lf.CfnPrincipalPermissions.DataLocationResourceProperty(
                catalog_id=self._catalog_id, resource_arn=location.location_arn
            )
        )
        return self._grant(construct_id, resource, ["DATA_LOCATION_ACCESS"], location)
