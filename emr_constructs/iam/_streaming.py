"""Policy statements of a streaming job's sources: Kinesis data streams and Amazon MSK topics (IAM access control).

Kept apart from ``JobRuntimeRole`` so the ARN rules of each service live in one place.
See: https://docs.aws.amazon.com/streams/latest/dev/tutorial-stock-data-kplkcl2-iam.html (a consumer's actions) and
https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html (MSK actions and resource ARNs)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aws_cdk import Arn, ArnFormat, Fn, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from constructs import IConstruct

from emr_constructs._internal.validation import check_pattern, fail, is_token
from emr_constructs.core.iam_actions import KINESIS_READ_ACTIONS, KMS_DECRYPT_ACTIONS, KafkaCluster
from emr_constructs.core.validation import check_type

MSK_CLUSTER_ARN = re.compile(r"arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+")
"""``arn:<partition>:kafka:<region>:<account>:cluster/<cluster name>/<cluster uuid>``."""
KAFKA_NAME = r"[A-Za-z0-9._-]{1,249}\*?"
"""A Kafka topic or consumer group name (letters, digits, ``.``, ``_``, ``-``; at most 249), optionally ending in
``*`` to match every name with that prefix (Spark's Kafka source names its groups ``<groupIdPrefix>-<uuid>-...``)."""


def kinesis_read_statements(stream: kinesis.IStream) -> list[iam.PolicyStatement]:
    """Poll the shards of ``stream`` (and decrypt its records with its customer managed key, if it has one)."""
    statements = [iam.PolicyStatement(actions=list(KINESIS_READ_ACTIONS), resources=[stream.stream_arn])]
    if stream.encryption_key is not None:
        statements.append(
            iam.PolicyStatement(actions=list(KMS_DECRYPT_ACTIONS), resources=[stream.encryption_key.key_arn])
        )
    return statements


@dataclass(frozen=True)
class MskTopicRead:
    """The ARNs of one topic read by one consumer group on an MSK cluster, and the statements that allow it."""

    cluster_arn: str
    topic_arn: str
    group_arn: str

    def statements(self) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(actions=[KafkaCluster.CONNECT], resources=[self.cluster_arn]),
            iam.PolicyStatement(
                actions=[KafkaCluster.DESCRIBE_TOPIC, KafkaCluster.READ_DATA], resources=[self.topic_arn]
            ),
            iam.PolicyStatement(
                actions=[KafkaCluster.DESCRIBE_GROUP, KafkaCluster.ALTER_GROUP], resources=[self.group_arn]
            ),
        ]


def msk_topic_read(scope: IConstruct, cluster_arn: str, topic: str, group: str) -> MskTopicRead:
    """Topic and group ARNs on the cluster of ``cluster_arn``: ``topic/<cluster name>/<cluster uuid>/<topic>`` and
    ``group/<cluster name>/<cluster uuid>/<group>``, in the cluster's partition, region and account."""
    check_type("cluster_arn", cluster_arn, str)
    check_type("topic", topic, str)
    check_type("group", group, str)
    if not is_token(cluster_arn) and not MSK_CLUSTER_ARN.fullmatch(cluster_arn):
        raise fail(
            "cluster_arn",
            cluster_arn,
            "must be an MSK cluster ARN, arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>",
        )
    check_pattern("topic", topic, KAFKA_NAME, "a topic name (letters, digits, . _ -), optionally ending in *")
    check_pattern("group", group, KAFKA_NAME, "a consumer group name (letters, digits, . _ -), optionally ending in *")
    parts = Arn.split(cluster_arn, ArnFormat.SLASH_RESOURCE_NAME)
    if is_token(cluster_arn):
        segments = Fn.split("/", cluster_arn)
        cluster = Fn.join("/", [Fn.select(1, segments), Fn.select(2, segments)])
    else:
        cluster = cluster_arn.split("/", 1)[1]
    stack = Stack.of(scope)

    def arn(resource: str, name: str) -> str:
        return stack.format_arn(
            service="kafka",
            resource=resource,
            resource_name=f"{cluster}/{name}",
            partition=parts.partition,
            region=parts.region,
            account=parts.account,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )

    return MskTopicRead(cluster_arn=cluster_arn, topic_arn=arn("topic", topic), group_arn=arn("group", group))
