"""One KMS key for several log groups: ``SecureLogGroup`` and ``allow_cloudwatch_logs`` add the CloudWatch Logs
key-policy statement once per key (a repeated Sid fails at deploy), scoped to the key's stack's log groups.

AWS rule encoded here: CloudWatch Logs uses a customer managed key for a log group only if the key policy lets the
Region's ``logs.<region>.amazonaws.com`` principal use it; the request carries the log group's ARN as the encryption
context ``kms:EncryptionContext:aws:logs:arn``, which a condition can scope.
See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from emr_constructs import SecureLogGroup
from emr_constructs.core.validation import PropTypeError
from emr_constructs.storage.secure import LOGS_KEY_POLICY_SID, EncryptionKey, allow_cloudwatch_logs
from tests.conftest import new_app

LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"
IMPORTED_KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _logs_statements(key: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if "logs." in str(s.get("Principal", {}).get("Service", ""))
    ]


@pytest.fixture(scope="module")
def shared() -> tuple[Template, Template]:
    """Stack A: one key shared by two log groups (one passed in, one reusing it) and the helper called again;
    stack B: a log group with stack A's key (cross-stack) and one with an imported key."""
    app = new_app()
    a = Stack(app, "StackA")
    key = EncryptionKey(a, "Key", description="shared").key
    SecureLogGroup(a, "First", encryption_key=key)
    SecureLogGroup(a, "Second", encryption_key=key)
    allow_cloudwatch_logs(key)
    b = Stack(app, "StackB")
    SecureLogGroup(b, "CrossStack", encryption_key=key)
    imported = kms.Key.from_key_arn(b, "Imported", IMPORTED_KEY_ARN)
    SecureLogGroup(b, "WithImported", encryption_key=imported)
    return Template.from_stack(a), Template.from_stack(b)


def test_a_shared_key_has_the_logs_statement_once_scoped_to_its_stacks_log_groups(
    shared: tuple[Template, Template],
) -> None:
    template, _ = shared
    keys = template.find_resources("AWS::KMS::Key")
    assert len(keys) == 1, "the log groups were given a key: none of their own"
    [key] = keys.values()
    [statement] = _logs_statements(key)
    assert statement["Sid"] == LOGS_KEY_POLICY_SID
    # CloudFormation names a log group without LogGroupName <stack name>-<logical id>-<suffix>.
    arn = statement["Condition"]["ArnLike"][LOGS_CONTEXT]["Fn::Join"][1]
    assert arn[-1].endswith(":log-group:StackA-*"), arn


def test_every_log_group_references_the_shared_key(shared: tuple[Template, Template]) -> None:
    template, _ = shared
    [key_id] = template.find_resources("AWS::KMS::Key")
    groups = template.find_resources("AWS::Logs::LogGroup")
    assert len(groups) == 2
    assert all(g["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]} for g in groups.values())


def test_keys_of_other_stacks_and_imported_keys_are_left_to_their_owner(shared: tuple[Template, Template]) -> None:
    _, other = shared
    assert other.find_resources("AWS::KMS::Key") == {}
    assert len(other.find_resources("AWS::Logs::LogGroup")) == 2


def test_a_key_of_its_own_still_gets_the_statement() -> None:
    stack = Stack(new_app(), "Own")
    SecureLogGroup(stack, "Logs")
    [key] = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    assert len(_logs_statements(key)) == 1


def test_encryption_key_must_be_a_key() -> None:
    stack = Stack(new_app(), "Bad")
    with pytest.raises(PropTypeError, match="encryption_key"):
        SecureLogGroup(stack, "Logs", encryption_key=IMPORTED_KEY_ARN)  # type: ignore[arg-type]
