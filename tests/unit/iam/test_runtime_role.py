"""JobRuntimeRole: trust per runtime and least-privilege grants, also on wrapped existing roles."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Match, Template

from emr_constructs import JobRuntimeRole, RuntimeRoleTrust, SecureBucket, SecureLogGroup
from tests.conftest import new_app


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Roles")
    data = SecureBucket(stack, "Data")
    logs = SecureLogGroup(stack, "JobLogs")
    role = JobRuntimeRole(stack, "Serverless", trust=RuntimeRoleTrust.serverless(stack))
    role.grant_read(data.bucket, "raw/")
    role.grant_read_write(data.bucket, "curated/")
    role.grant_glue_catalog(["sales", "finance"], write=True)
    role.grant_log_write(data.bucket, "logs/")
    role.grant_log_group_write(logs.log_group, logs.encryption_key)
    wrapped = JobRuntimeRole.from_role_arn(
        stack, "Existing", "arn:aws:iam::123456789012:role/EMRServerlessS3RuntimeRole"
    )
    wrapped.grant_glue_catalog(["sales"])
    return Template.from_stack(stack)


def _statements(template: Template, role_ref: Any) -> list[dict[str, Any]]:
    policies = [
        p for p in template.find_resources("AWS::IAM::ManagedPolicy").values() if p["Properties"]["Roles"] == [role_ref]
    ]
    return [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]


def _serverless_role(template: Template) -> str:
    return next(k for k in template.find_resources("AWS::IAM::Role") if k.startswith("Serverless"))


def test_serverless_trust_has_source_account_and_arn(template: Template) -> None:
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "emr-serverless.amazonaws.com"},
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                            "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", Match.array_with([":/applications/*"])]}},
                        },
                    }
                ]
            }
        },
    )


def test_glue_grants_name_catalog_databases_and_tables_never_star(template: Template) -> None:
    statements = _statements(template, {"Ref": _serverless_role(template)})
    glue = next(s for s in statements if "glue:GetTable" in s["Action"])
    assert "glue:CreateTable" in glue["Action"] and "glue:BatchCreatePartition" in glue["Action"]
    text = str(glue["Resource"])
    for part in (":catalog", ":database/sales", ":database/finance", ":table/sales/*", ":table/finance/*"):
        assert part in text
    assert "*" not in [r for r in glue["Resource"] if isinstance(r, str)]


def test_s3_grants_are_prefix_scoped_and_log_writes_are_put_only(template: Template) -> None:
    statements = _statements(template, {"Ref": _serverless_role(template)})
    by_prefix = {
        str(s["Resource"]).split("/")[-2]: s["Action"]
        for s in statements
        if "s3:GetObject" in str(s["Action"]) or s["Action"] == "s3:PutObject"
    }
    assert by_prefix["raw"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert "s3:PutObject" in by_prefix["curated"]
    assert by_prefix["logs"] == "s3:PutObject"


def test_log_group_grants(template: Template) -> None:
    statements = _statements(template, {"Ref": _serverless_role(template)})
    logs = next(s for s in statements if "logs:PutLogEvents" in s["Action"])
    assert "Fn::GetAtt" in logs["Resource"]
    kms = [
        s
        for s in statements
        if set(s["Action"]) == {"kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"}
    ]
    assert "JobLogsKey" in str(kms)


def test_wrapped_existing_role_gets_a_managed_policy(template: Template) -> None:
    statements = _statements(template, "EMRServerlessS3RuntimeRole")
    glue = next(s for s in statements if "glue:GetTable" in s["Action"])
    assert "glue:CreateTable" not in glue["Action"]


# AWS fact, from the Service Authorization Reference for CloudWatch Logs: logs:DescribeLogGroups lists NO resource
# type ("Resource types" column empty), so a statement must name Resource "*"; a statement on a log group ARN never
# matches the request and the call is denied.
# See: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
ACTIONS_WITHOUT_RESOURCE_TYPES = {"logs:DescribeLogGroups"}


def test_actions_without_resource_level_permissions_are_granted_on_star(template: Template) -> None:
    """Every statement with logs:DescribeLogGroups names Resource "*" (and only those actions), so the grant works."""
    statements = _statements(template, {"Ref": _serverless_role(template)})
    granted = [s for s in statements if ACTIONS_WITHOUT_RESOURCE_TYPES & set(_as_list(s["Action"]))]
    assert granted, "grant_log_group_write no longer grants logs:DescribeLogGroups"
    for statement in granted:
        assert statement["Resource"] == "*", statement
        assert set(_as_list(statement["Action"])) <= ACTIONS_WITHOUT_RESOURCE_TYPES, statement


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
