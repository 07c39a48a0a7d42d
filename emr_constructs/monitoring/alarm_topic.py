"""An SNS topic that CloudWatch alarms and EventBridge rules can really deliver to.

A topic encrypted with a customer managed key receives nothing from CloudWatch or EventBridge unless the KEY policy
lets the service use the key (kms:Decrypt, kms:GenerateDataKey*) and the TOPIC policy lets it publish. With
``enforce_ssl`` aws-cdk-lib writes an ``AWS::SNS::TopicPolicy``, which replaces SNS's default policy, so the publish
statement must be in it. Every grant is scoped to this account's alarms or rules (aws:SourceAccount, aws:SourceArn),
except the EventBridge statement of the key policy: SNS does not support aws:Source* keys there, so it is scoped by
the SNS encryption context to this account's topics instead.
See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
See: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
See: https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
"""

from __future__ import annotations

from enum import Enum

from aws_cdk import Annotations, ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from emr_constructs.core.iam_actions import KMS_ENCRYPTED_TOPIC_PUBLISH_ACTIONS, Sns
from emr_constructs.storage.secure import EncryptionKey

KEY_ACTIONS = KMS_ENCRYPTED_TOPIC_PUBLISH_ACTIONS
"""What a publishing service needs on the key of an encrypted topic."""


class AlarmSource(Enum):
    """An AWS service that publishes to SNS on this library's behalf, by its service principal."""

    CLOUDWATCH_ALARMS = "cloudwatch.amazonaws.com"
    EVENTBRIDGE_RULES = "events.amazonaws.com"


def _source_arn(stack: Stack, source: AlarmSource) -> str:
    """The ARN pattern of every alarm, or every rule (any event bus), of ``stack``'s account and region."""
    if source is AlarmSource.CLOUDWATCH_ALARMS:
        return stack.format_arn(
            service="cloudwatch", resource="alarm", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
        )
    return stack.format_arn(
        service="events", resource="rule", resource_name="*", arn_format=ArnFormat.SLASH_RESOURCE_NAME
    )


def allow_publishing(topic: sns.ITopic, source: AlarmSource) -> bool:
    """Let ``source`` publish to ``topic`` and, when the topic has a KMS key, use that key; scoped to the sources of
    the topic's account and region. Idempotent (aws-cdk-lib drops identical statements).

    Returns whether both policies could be changed: False for an imported topic or key, whose policies CDK cannot
    edit; the owner of that topic must add the same statements (see ``AlarmTopic``).
    """
    stack = Stack.of(topic)
    principal = iam.ServicePrincipal(source.value)
    name = "CloudWatchAlarms" if source is AlarmSource.CLOUDWATCH_ALARMS else "EventBridgeRules"
    source_conditions = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": _source_arn(stack, source)},
    }
    added = topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid=f"{name}Publish",
            principals=[principal],
            actions=[Sns.PUBLISH],
            resources=[topic.topic_arn],
            conditions=source_conditions,
        )
    ).statement_added
    key = topic.master_key
    if key is None:
        return added
    key_conditions = (
        source_conditions
        if source is AlarmSource.CLOUDWATCH_ALARMS
        else {
            "ArnLike": {
                "kms:EncryptionContext:aws:sns:topicArn": stack.format_arn(
                    service="sns", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
                )
            }
        }
    )
    key_added = key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=f"{name}UseForSnsTopics",
            principals=[principal],
            actions=KEY_ACTIONS,
            resources=["*"],
            conditions=key_conditions,
        )
    ).statement_added
    return added and key_added


class AlarmTopic(Construct):
    """An SSL-only SNS topic encrypted with a customer managed KMS key, to which this account's CloudWatch alarms
    and EventBridge rules (of the topic's region) can deliver.

    The monitoring constructs add the same grants to any topic created in the app that they are given. A topic
    imported from elsewhere needs, in its policy, ``sns:Publish`` for ``cloudwatch.amazonaws.com`` and
    ``events.amazonaws.com`` and, when it is encrypted, ``kms:Decrypt`` and ``kms:GenerateDataKey*`` for both in its
    key's policy (the AWS managed key ``alias/aws/sns`` cannot grant them).

    :param encryption_key: the topic's key; its policy gets the statements. Default: a new customer managed key with
        rotation, for this topic only.
    :param removal_policy: of the key created here. Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        self.encryption_key: kms.IKey = (
            encryption_key
            or EncryptionKey(
                self, "Key", description=f"Encrypts SNS topic {self.node.path}", removal_policy=removal_policy
            ).key
        )
        # "Default" keeps the topic's logical id that of a topic created directly under ``scope`` with this id.
        self.topic = sns.Topic(self, "Default", master_key=self.encryption_key, enforce_ssl=True)
        for source in AlarmSource:
            if not allow_publishing(self.topic, source):
                Annotations.of(self).add_warning_v2(
                    "emr-constructs:alarm-topic-key-policy",
                    f"encryption_key {self.encryption_key.key_arn} is imported: CDK cannot edit its policy; allow "
                    f"{', '.join(s.value for s in AlarmSource)} kms:Decrypt and kms:GenerateDataKey* on it, or "
                    "alarms and rules cannot publish to this topic",
                )
                break

    @property
    def topic_arn(self) -> str:
        return self.topic.topic_arn
