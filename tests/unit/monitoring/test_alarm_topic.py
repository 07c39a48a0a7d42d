"""AlarmTopic and allow_publishing: what CloudWatch alarms and EventBridge rules need to deliver to an SNS topic.

AWS rules: a service publishes to a topic encrypted with a customer managed key only if the key policy lets it call
kms:Decrypt/kms:GenerateDataKey* and the topic policy lets it sns:Publish; aws:Source* keys are not supported in the
key policy for EventBridge-to-encrypted topics.
See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
See: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs import AlarmTopic, EmrCluster, EmrClusterMonitoring, EmrEksVirtualCluster
from emr_constructs.monitoring import AlarmSource, EmrEksMonitoring, allow_publishing
from tests.conftest import new_app, new_stack

SOURCE_CONDITIONS = {
    "StringEquals": {"aws:SourceAccount": Match.any_value()},
    "ArnLike": {"aws:SourceArn": Match.any_value()},
}


def _allow(service: str, actions: Any, conditions: Any) -> Any:
    return Match.object_like(
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": actions, "Condition": conditions}
    )


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Topics")
    own = AlarmTopic(stack, "Own")
    imported_key = AlarmTopic(
        stack,
        "ImportedKey",
        encryption_key=kms.Key.from_key_arn(
            stack, "ImportedKeyRef", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ),
    )
    return {"stack": stack, "own": own, "imported_key": imported_key, "template": Template.from_stack(stack)}


def test_topic_is_ssl_only_and_encrypted_with_its_own_rotating_key(built: dict) -> None:
    template: Template = built["template"]
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [Match.string_like_regexp("^OwnKey"), "Arn"]}}
    )
    template.has_resource("AWS::KMS::Key", {"Properties": {"EnableKeyRotation": True}, "DeletionPolicy": "Retain"})
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )


def test_key_policy_lets_cloudwatch_alarms_and_eventbridge_rules_use_the_key(built: dict) -> None:
    """CloudWatch with aws:SourceAccount/aws:SourceArn; EventBridge without aws:Source* (unsupported there) but
    within the SNS encryption context of this account's topics."""
    built["template"].has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        _allow("cloudwatch.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"], SOURCE_CONDITIONS),
                        _allow(
                            "events.amazonaws.com",
                            ["kms:Decrypt", "kms:GenerateDataKey*"],
                            {"ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": Match.any_value()}},
                        ),
                    ]
                )
            }
        },
    )


def test_topic_policy_lets_both_services_publish_from_this_accounts_sources(built: dict) -> None:
    built["template"].has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        _allow("cloudwatch.amazonaws.com", "sns:Publish", SOURCE_CONDITIONS),
                        _allow("events.amazonaws.com", "sns:Publish", SOURCE_CONDITIONS),
                    ]
                )
            }
        },
    )


def test_an_imported_key_is_flagged_because_its_policy_cannot_be_changed(built: dict) -> None:
    Annotations.from_stack(built["stack"]).has_warning(
        "/Topics/ImportedKey", Match.string_like_regexp("CDK cannot edit its policy")
    )
    annotations = Annotations.from_stack(built["stack"]).find_warning("/Topics/Own", Match.any_value())
    assert not annotations


def test_monitoring_grants_a_plain_topic_of_the_app_once_per_service() -> None:
    """A plain sns.Topic given to two monitoring constructs gets one conditioned statement per service."""
    stack, vpc = new_stack()
    key = kms.Key(stack, "Key")
    topic = sns.Topic(stack, "Plain", master_key=key)
    cluster = EmrCluster(stack, "Cluster", vpc=vpc)
    EmrClusterMonitoring(stack, "One", cluster=cluster, alarm_topic=topic)
    virtual_cluster = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", "abcdefghijklmno1234567890")
    EmrEksMonitoring(stack, "Eks", virtual_cluster=virtual_cluster, alarm_topic=topic)
    template = Template.from_stack(stack)
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    services = sorted(s["Principal"]["Service"] for s in statements)
    assert services == ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    assert all("aws:SourceArn" in s["Condition"]["ArnLike"] for s in statements)
    key_resource = template.to_json()["Resources"][stack.get_logical_id(key.node.default_child)]
    key_services = [s["Principal"].get("Service") for s in key_resource["Properties"]["KeyPolicy"]["Statement"]]
    assert sorted(filter(None, key_services)) == ["cloudwatch.amazonaws.com", "events.amazonaws.com"]


def test_an_imported_topic_is_reported_as_not_granted() -> None:
    stack, _ = new_stack()
    imported = sns.Topic.from_topic_arn(stack, "Topic", "arn:aws:sns:us-east-1:111111111111:alarms")
    assert allow_publishing(imported, AlarmSource.CLOUDWATCH_ALARMS) is False
