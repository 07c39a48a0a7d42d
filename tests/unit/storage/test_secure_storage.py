"""Secure buckets, keys and log groups: encryption, SSL-only, RETAIN unless opted in."""

from __future__ import annotations

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk.assertions import Match, Template

from emr_constructs import SecureBucket, SecureLogGroup
from emr_constructs.storage import retention_days
from tests.conftest import new_app


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Storage")
    SecureBucket(stack, "Data")
    SecureBucket(stack, "Scratch", removal_policy=RemovalPolicy.DESTROY)
    SecureLogGroup(stack, "Logs", retention=retention_days(90))
    return Template.from_stack(stack)


def test_buckets_are_retained_by_default_and_destroyed_only_on_opt_in(template: Template) -> None:
    buckets = template.find_resources("AWS::S3::Bucket")
    policies = {k: v.get("DeletionPolicy") for k, v in buckets.items()}
    assert all(p == "Retain" for k, p in policies.items() if k.startswith("Data"))
    assert all(p == "Delete" for k, p in policies.items() if k.startswith("Scratch"))


def test_access_log_bucket_uses_sse_s3_and_blocks_public_access(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
            "PublicAccessBlockConfiguration": Match.object_like({"BlockPublicAcls": True}),
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
    )


def test_log_group_is_kms_encrypted_with_retention_and_retained(template: Template) -> None:
    template.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "KmsKeyId": {"Fn::GetAtt": [Match.string_like_regexp("LogsKey"), "Arn"]},
                "RetentionInDays": 90,
            },
            "DeletionPolicy": "Retain",
        },
    )


def test_log_key_policy_admits_only_this_accounts_log_groups(template: Template) -> None:
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {
                                    "Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
                                },
                                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": Match.any_value()}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_retention_days_rejects_periods_cloudwatch_does_not_allow() -> None:
    with pytest.raises(ValueError, match=r"retention_days: got 42; CloudWatch Logs allows 1, 3, 5"):
        retention_days(42)


def test_server_access_logs_are_delivered_by_bucket_policy_not_acls(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LoggingConfiguration": {
                "DestinationBucketName": {"Ref": Match.string_like_regexp("DataAccessLogs")},
                "LogFilePrefix": "Data/",
            }
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": Match.string_like_regexp("DataAccessLogs")},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "s3:PutObject",
                                "Principal": {"Service": "logging.s3.amazonaws.com"},
                                "Condition": {
                                    "ArnLike": {
                                        "aws:SourceArn": {"Fn::GetAtt": [Match.string_like_regexp("DataBucket"), "Arn"]}
                                    },
                                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                                },
                            }
                        )
                    ]
                )
            },
        },
    )
    for bucket in template.find_resources("AWS::S3::Bucket").values():
        assert "AccessControl" not in bucket["Properties"]
