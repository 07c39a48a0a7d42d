"""Glue Data Catalog access of the roles a cluster's jobs run as, scoped to named databases.

With runtime roles a step reaches the Glue Data Catalog (the Hive/Spark metastore, Iceberg's ``GlueCatalog``) with
the runtime role's credentials, not the instance profile's: the runtime role needs the catalog permissions itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from emr_constructs._internal.validation import fail, is_token
from emr_constructs.compliance.acknowledgments import Reason, acknowledge_finding, nag_resource_text
from emr_constructs.core.iam_actions import GLUE_RUNTIME_ROLE_ACTIONS
from emr_constructs.iam.policies import RolePolicy

DEFAULT_GLUE_DATABASES = ("default",)
"""Spark's and Hive's current database unless a job says otherwise."""
RUNTIME_GLUE_ACTIONS = GLUE_RUNTIME_ROLE_ACTIONS
"""What a job needs to create and read tables in the catalog (the runtime-role list AWS documents, see
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html), plus the partition
reads/updates/deletes of ``INSERT OVERWRITE`` and ``ALTER TABLE ... DROP PARTITION``. Iceberg's ``GlueCatalog``
commits with ``glue:UpdateTable``. See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-iceberg-use-cluster.html
"""
GLUE_DATABASE_PATTERN = r"[a-z0-9_]{1,255}"


def validate_glue_databases(prop: str, databases: Sequence[str]) -> None:
    """At least one database; each a lowercase Glue name (Glue folds names to lowercase, and the ARNs that scope
    the grants must match the stored name); tokens pass."""
    if not databases:
        raise fail(prop, list(databases), "name at least one Glue database, e.g. ['default']")
    for database in databases:
        if not is_token(database) and not re.fullmatch(GLUE_DATABASE_PATTERN, database):
            raise fail(prop, database, "each must be 1-255 lowercase letters, digits or '_' (a Glue database name)")


def grant_glue_catalog(policy: RolePolicy, databases: Sequence[str]) -> None:
    """Create and read tables, partitions and functions of ``databases`` (catalog, database, table and
    user-defined-function ARNs of those databases only); each per-database wildcard is acknowledged on its own."""
    stack = Stack.of(policy)
    wildcards = [
        stack.format_arn(service="glue", resource=kind, resource_name=f"{db}/*")
        for db in databases
        for kind in ("table", "userDefinedFunction")
    ]
    resources = [stack.format_arn(service="glue", resource="catalog")]
    resources += [stack.format_arn(service="glue", resource="database", resource_name=db) for db in databases]
    policy.add_statements(iam.PolicyStatement(actions=RUNTIME_GLUE_ACTIONS, resources=[*resources, *wildcards]))
    assert policy.policy is not None
    for arn in wildcards:
        finding = "Resource::" + nag_resource_text(policy, arn)
        acknowledge_finding(policy.policy, Reason.GLUE_TABLES_OF_DATABASE, "AwsSolutions-IAM5", finding)
