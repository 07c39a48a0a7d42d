"""What every runtime stack creates the same way: one KMS key, a log bucket, a data bucket and an alarm topic.

The construct ids are created directly under the stack, so moving code here changed no logical id.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy, Stack, Tags
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions

from emr_constructs import AlarmTopic, ApplicationBudget, EncryptionKey, SecureBucket
from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG


@dataclass(frozen=True)
class PlatformStorage:
    key: kms.IKey
    logs: SecureBucket
    data: SecureBucket


def cost_allocation_tags(stack: Stack, *, application: str, cost_center: str) -> None:
    """Tag every taggable resource of ``stack`` with the cost-allocation tags, so Cost Explorer and AWS Budgets see
    the whole cost of the application (runtimes, storage, keys, alarms, pipelines, networking), not only the cluster
    or application. A runtime construct's own ``application_tag``/``cost_center`` is closer to its resources and wins
    there. See: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html"""
    Tags.of(stack).add(APPLICATION_TAG, application)
    Tags.of(stack).add(COST_CENTER_TAG, cost_center)


def platform_storage(stack: Stack, *, description: str, removal_policy: RemovalPolicy) -> PlatformStorage:
    """A rotating KMS key, and log and data buckets encrypted with it that share one access-log bucket."""
    key = EncryptionKey(stack, "DataKey", description=description, removal_policy=removal_policy).key
    logs = SecureBucket(stack, "Logs", encryption_key=key, removal_policy=removal_policy)
    data = SecureBucket(
        stack, "Data", encryption_key=key, removal_policy=removal_policy, access_logs_bucket=logs.access_logs_bucket
    )
    return PlatformStorage(key=key, logs=logs, data=data)


def application_budget(
    stack: Stack, *, monthly_limit: float | None, application: str, cost_center: str, topic: sns.ITopic
) -> ApplicationBudget | None:
    """A monthly cost budget of ``application`` (its cost-allocation tag) alerting ``topic``, when a limit is set."""
    if monthly_limit is None:
        return None
    return ApplicationBudget(
        stack, "Budget", application=application, cost_center=cost_center, monthly_limit=monthly_limit, topic=topic
    )


def alarm_topic(stack: Stack, *, key: kms.IKey, email: str | None) -> sns.Topic:
    """An SSL-only SNS topic encrypted with ``key``, to which the stack's alarms and rules can deliver (``AlarmTopic``
    grants CloudWatch and EventBridge the topic and the key), with an optional email subscription."""
    topic = AlarmTopic(stack, "Alarms", encryption_key=key).topic
    if email:
        topic.add_subscription(subscriptions.EmailSubscription(email))
    return topic
