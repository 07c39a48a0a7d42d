"""Alarm delivery: every SNS topic that a CloudWatch alarm or an EventBridge rule publishes to, in every reference
stack, lets that service use the topic's KMS key and publish to the topic, scoped to this account's sources.

AWS rules encoded here:
- A CloudWatch alarm publishes to a topic encrypted with a customer managed key only if the KEY policy lets
  ``cloudwatch.amazonaws.com`` call kms:Decrypt and kms:GenerateDataKey*, and the TOPIC policy lets it sns:Publish.
  See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html (encrypted topics)
- An EventBridge rule needs the same from ``events.amazonaws.com``: sns:Publish in the topic policy and
  kms:Decrypt/kms:GenerateDataKey* in the key policy.
  See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
- Both grants carry aws:SourceAccount / aws:SourceArn against the confused deputy, EXCEPT the EventBridge statement of
  the KEY policy: "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not
  supported for EventBridge-to-encrypted topics" (delivery fails with them); that one is scoped by the SNS encryption
  context (kms:EncryptionContext:aws:sns:topicArn) to this account's topics instead.
  See: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
- For a rule target, the aws:SourceArn EventBridge presents is the rule ARN.
  See: https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.reference_app import synth_reference_app

CLOUDWATCH = "cloudwatch.amazonaws.com"
EVENTBRIDGE = "events.amazonaws.com"
SOURCE_KEYS = ("aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID")
ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn"
# The source ARN each service presents: an alarm of this account and region, or a rule of this account and region.
SOURCE_ARN_SHAPE = {CLOUDWATCH: (":cloudwatch:", ":alarm:"), EVENTBRIDGE: (":events:", ":rule/")}


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    """The reference app for env default, env prod and a created EKS cluster with Karpenter."""
    created = {
        "env": "eks",
        "environments": {"eks": {"eks": {"create_cluster": True, "capacity_provider": "karpenter"}}},
    }
    return {
        "default": synth_reference_app(tmp_path_factory.mktemp("default")).templates(),
        "prod": synth_reference_app(tmp_path_factory.mktemp("prod"), env="prod").templates(),
        "eks-created": synth_reference_app(tmp_path_factory.mktemp("eks"), **created).templates(),
    }


def _text(value: Any) -> str:
    """A CloudFormation value as one string, Fn::Join flattened and references kept (``{"Ref": "AWS::Region"}``)."""
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(_text(p) for p in parts)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _topic_id(value: Any) -> str | None:
    return value["Ref"] if isinstance(value, dict) and set(value) == {"Ref"} else None


def _published_topics(template: dict[str, Any]) -> dict[str, set[str]]:
    """Topic logical id -> the services (CloudWatch, EventBridge) that publish to it in this template."""
    found: dict[str, set[str]] = {}
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::CloudWatch::Alarm":
            for key in ("AlarmActions", "OKActions", "InsufficientDataActions"):
                for action in props.get(key, []):
                    if (topic := _topic_id(action)) is not None:
                        found.setdefault(topic, set()).add(CLOUDWATCH)
        if resource["Type"] == "AWS::Events::Rule":
            for target in props.get("Targets", []):
                topic = _topic_id(target["Arn"])
                if topic is not None and template["Resources"][topic]["Type"] == "AWS::SNS::Topic":
                    found.setdefault(topic, set()).add(EVENTBRIDGE)
    return found


def _services(statement: dict[str, Any]) -> list[str]:
    service = statement.get("Principal", {}).get("Service", [])
    return service if isinstance(service, list) else [service]


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement.get("Action", [])
    return {a.lower() for a in ([action] if isinstance(action, str) else action)}


def _condition_keys(statement: dict[str, Any]) -> dict[str, str]:
    return {k: _text(v) for block in statement.get("Condition", {}).values() for k, v in block.items()}


def _allows(statement: dict[str, Any], service: str) -> bool:
    return statement["Effect"] == "Allow" and service in _services(statement)


def _key_statements(template: dict[str, Any], topic_id: str) -> list[dict[str, Any]]:
    key_ref = template["Resources"][topic_id]["Properties"].get("KmsMasterKeyId")
    assert isinstance(key_ref, dict) and "Fn::GetAtt" in key_ref, f"{topic_id}: not encrypted with a key of this stack"
    key = template["Resources"][key_ref["Fn::GetAtt"][0]]
    assert key["Type"] == "AWS::KMS::Key"
    return list(key["Properties"]["KeyPolicy"]["Statement"])


def _topic_statements(template: dict[str, Any], topic_id: str) -> list[dict[str, Any]]:
    return [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::SNS::TopicPolicy" and {"Ref": topic_id} in r["Properties"]["Topics"]
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]


def _cases(apps: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any], str, set[str]]]:
    return [
        (env, stack, template, topic, services)
        for env, templates in apps.items()
        for stack, template in templates.items()
        for topic, services in _published_topics(template).items()
    ]


def test_every_runtime_stack_has_an_alarm_topic_to_check(apps: dict) -> None:
    """Guard: the rule below is not vacuously true (each runtime stack's alarms and the EKS rule publish to SNS)."""
    for env, templates in apps.items():
        checked = {stack for e, stack, *_ in _cases(apps) if e == env}
        runtime_stacks = {s for s in templates if s.rsplit("-", 1)[-1] in ("Ec2", "Serverless", "Eks")}
        assert runtime_stacks and runtime_stacks <= checked, (env, runtime_stacks - checked)
        assert any(EVENTBRIDGE in services for e, _, _, _, services in _cases(apps) if e == env), env


def test_key_policy_lets_each_publishing_service_use_the_topic_key_scoped_to_this_account(apps: dict) -> None:
    """KEY policy: CloudWatch gets kms:Decrypt + kms:GenerateDataKey* with aws:SourceAccount and aws:SourceArn (an
    alarm of this account/region); EventBridge gets them WITHOUT aws:Source* keys (not supported by SNS for
    EventBridge-to-encrypted topics) but within the SNS encryption context of this account's topics."""
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    # https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    for env, stack, template, topic, services in _cases(apps):
        statements = _key_statements(template, topic)
        for service in services:
            granted = [s for s in statements if _allows(s, service)]
            where = f"{env}/{stack}/{topic}/{service}"
            assert granted, f"{where}: the key policy does not let {service} use the topic's key"
            for statement in granted:
                assert {"kms:decrypt", "kms:generatedatakey*"} <= _actions(statement), where
                conditions = _condition_keys(statement)
                if service == CLOUDWATCH:
                    assert "aws:SourceAccount" in conditions, where
                    arn = conditions.get("aws:SourceArn", "")
                    assert all(part in arn for part in SOURCE_ARN_SHAPE[service]), (where, arn)
                else:
                    assert not set(SOURCE_KEYS) & set(conditions), f"{where}: aws:Source* breaks EventBridge delivery"
                    assert ":sns:" in conditions.get(ENCRYPTION_CONTEXT, ""), where


def test_topic_policy_lets_each_publishing_service_publish_scoped_by_source(apps: dict) -> None:
    """TOPIC policy (with enforce_ssl, CDK's AWS::SNS::TopicPolicy replaces SNS's default policy): each publishing
    service may sns:Publish only with aws:SourceAccount and aws:SourceArn of an alarm / a rule of this account and
    region; no statement lets it publish unconditionally."""
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
    # https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    for env, stack, template, topic, services in _cases(apps):
        statements = _topic_statements(template, topic)
        for service in services:
            where = f"{env}/{stack}/{topic}/{service}"
            granted = [s for s in statements if _allows(s, service) and "sns:publish" in _actions(s)]
            assert granted, f"{where}: the topic policy does not let {service} publish"
            for statement in granted:
                assert statement["Resource"] == {"Ref": topic}, where
                conditions = _condition_keys(statement)
                assert "aws:SourceAccount" in conditions, where
                arn = conditions.get("aws:SourceArn", "")
                assert all(part in arn for part in SOURCE_ARN_SHAPE[service]), (where, arn)


def test_no_service_may_use_an_alarm_key_or_topic_without_conditions(apps: dict) -> None:
    """No Allow statement for a service principal, on an alarm topic's key or policy, lacks a condition (the
    unscoped grants aws-cdk-lib's events target adds are replaced)."""
    for env, stack, template, topic, _ in _cases(apps):
        for statement in _key_statements(template, topic) + _topic_statements(template, topic):
            if statement["Effect"] == "Allow" and _services(statement):
                assert statement.get("Condition"), f"{env}/{stack}/{topic}: unconditioned {statement}"
