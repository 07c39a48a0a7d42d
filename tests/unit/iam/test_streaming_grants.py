"""JobRuntimeRole streaming grants: Kinesis data streams (polling consumer) and MSK topics with IAM access control.

AWS rules encoded here:
- a Kinesis consumer needs DescribeStream(Summary), ListShards, GetShardIterator and GetRecords on the stream, and
  kms:Decrypt on a stream encrypted with a customer managed key
  (https://docs.aws.amazon.com/streams/latest/dev/tutorial-stock-data-kplkcl2-iam.html,
  https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html);
- an MSK client with IAM access control needs kafka-cluster:Connect on the cluster, DescribeTopic and ReadData on
  ``topic/<cluster name>/<cluster uuid>/<topic>``, DescribeGroup and AlterGroup on
  ``group/<cluster name>/<cluster uuid>/<group>`` (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html,
  https://docs.aws.amazon.com/msk/latest/developerguide/create-iam-access-control-policies.html).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from emr_constructs import JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.compliance import apply_compliance_checks
from tests.conftest import new_app

CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0a1b2c3d-4e5f-6789-abcd-ef0123456789-2"
TOPIC = "arn:aws:kafka:eu-west-1:123456789012:topic/events/0a1b2c3d-4e5f-6789-abcd-ef0123456789-2/orders"
GROUP = "arn:aws:kafka:eu-west-1:123456789012:group/events/0a1b2c3d-4e5f-6789-abcd-ef0123456789-2/spark-kafka-source*"
_ids = itertools.count()


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Streaming")
    key = kms.Key(stack, "StreamKey", enable_key_rotation=True)
    encrypted = kinesis.Stream(stack, "Clicks", encryption=kinesis.StreamEncryption.KMS, encryption_key=key)
    managed = kinesis.Stream(stack, "Views", encryption=kinesis.StreamEncryption.MANAGED)
    role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack))
    role.grant_read_kinesis_stream(encrypted)
    role.grant_msk_topic_read(CLUSTER, "orders", "spark-kafka-source*")
    other = JobRuntimeRole(stack, "Other", trust=RuntimeRoleTrust.serverless(stack))
    other.grant_read_kinesis_stream(managed)
    return Template.from_stack(stack)


def _statements(template: Template, role_prefix: str) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    return [
        s
        for p in policies.values()
        if p["Properties"]["Roles"][0]["Ref"].startswith(role_prefix)
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_kinesis_read_actions_on_the_stream_only(template: Template) -> None:
    (clicks,) = [k for k in template.find_resources("AWS::Kinesis::Stream") if k.startswith("Clicks")]
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Effect": "Allow",
                            "Action": [
                                "kinesis:DescribeStream",
                                "kinesis:DescribeStreamSummary",
                                "kinesis:GetRecords",
                                "kinesis:GetShardIterator",
                                "kinesis:ListShards",
                            ],
                            "Resource": {"Fn::GetAtt": [clicks, "Arn"]},
                        }
                    ]
                )
            }
        },
    )


def test_kinesis_customer_managed_key_is_decryptable(template: Template) -> None:
    (key,) = template.find_resources("AWS::KMS::Key")
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt", "kms:DescribeKey"],
                            "Resource": {"Fn::GetAtt": [key, "Arn"]},
                        }
                    ]
                )
            }
        },
    )


def test_aws_managed_stream_key_needs_no_kms_statement(template: Template) -> None:
    statements = _statements(template, "Other")
    assert [s["Action"][0] for s in statements] == ["kinesis:DescribeStream"]


def test_msk_statements_are_scoped_to_cluster_topic_and_group_arns(template: Template) -> None:
    statements = _statements(template, "Job")
    msk = [s for s in statements if str(s["Action"]).startswith("kafka-cluster") or "kafka-cluster" in str(s["Action"])]
    assert [(s["Action"], s["Resource"]) for s in msk] == [
        ("kafka-cluster:Connect", CLUSTER),
        (["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], TOPIC),
        (["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], GROUP),
    ]


def test_msk_token_cluster_arn_builds_the_arns_from_its_parts() -> None:
    # Given a cluster ARN known only at deploy time; Then the topic ARN takes its partition, region, account, name
    # and uuid from it
    stack = Stack(new_app(), "TokenCluster")
    arn = CfnParameter(stack, "ClusterArn").value_as_string
    JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack)).grant_msk_topic_read(arn, "orders", "etl")
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]

    def part(sep: str, i: int) -> dict[str, Any]:
        return {"Fn::Select": [i, {"Fn::Split": [sep, {"Ref": "ClusterArn"}]}]}

    cluster = {"Fn::Join": ["/", [part("/", 1), part("/", 2)]]}
    prefix = ["arn:", part(":", 1), ":kafka:", part(":", 3), ":", part(":", 4)]
    assert statements[0]["Resource"] == {"Ref": "ClusterArn"}
    assert statements[1]["Resource"] == {"Fn::Join": ["", [*prefix, ":topic/", cluster, "/orders"]]}
    assert statements[2]["Resource"] == {"Fn::Join": ["", [*prefix, ":group/", cluster, "/etl"]]}


def _synth_with_packs(tmp_path: Path, *, extra_wildcard: bool) -> None:
    app = new_app(tmp_path)
    apply_compliance_checks(app)
    stack = Stack(app, "Nag")
    role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack))
    role.grant_msk_topic_read(CLUSTER, "orders-*", "spark-kafka-source*")
    if extra_wildcard:
        role.policy.add_statements(iam.PolicyStatement(actions=["kafka-cluster:ReadData"], resources=[f"{TOPIC}*"]))
    app.synth()


def test_msk_name_prefixes_pass_the_four_packs(tmp_path: Path) -> None:
    _synth_with_packs(tmp_path, extra_wildcard=False)


def test_msk_acknowledgment_covers_only_the_granted_prefixes(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        _synth_with_packs(tmp_path, extra_wildcard=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("arn:aws:kafka:eu-west-1:123456789012:topic/events/uuid/orders", "t", "g"),
            r"^cluster_arn: got .*MSK cluster ARN",
        ),
        (("arn:aws:kafka:eu-west-1:123456789012:cluster/events", "t", "g"), r"^cluster_arn: "),
        ((CLUSTER, "*", "g"), r"^topic: got '\*'"),
        ((CLUSTER, "orders topic", "g"), r"^topic: got 'orders topic'"),
        ((CLUSTER, "orders", "*"), r"^group: got '\*'"),
        ((CLUSTER, "orders", "a" * 250), r"^group: "),
    ],
)
def test_msk_bad_input_names_the_prop(args: tuple[str, str, str], message: str) -> None:
    stack = Stack(new_app(), f"Bad{next(_ids)}")
    role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack))
    with pytest.raises(ValueError, match=message):
        role.grant_msk_topic_read(*args)


@pytest.mark.parametrize(
    ("call", "prop"),
    [
        (lambda r: r.grant_read_kinesis_stream("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"), "stream"),
        (lambda r: r.grant_msk_topic_read(CLUSTER, ["orders"], "g"), "topic"),
        (lambda r: r.grant_msk_topic_read(None, "orders", "g"), "cluster_arn"),
    ],
)
def test_wrong_types_name_the_prop(call: Any, prop: str) -> None:
    stack = Stack(new_app(), f"Type{next(_ids)}")
    role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack))
    with pytest.raises(TypeError, match=rf"^{prop}: "):
        call(role)
