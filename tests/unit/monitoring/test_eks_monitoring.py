"""EMR on EKS monitoring: EventBridge delivers job-run events to CloudWatch Logs and failed runs to SNS, each right
scoped to this account's rule (confused deputy).

AWS rule: "For EventBridge event bus rule targets, the value of aws:SourceArn must be the rule ARN"; CloudWatch Logs
resource policies support aws:SourceArn and aws:SourceAccount.
See: https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
See: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from emr_constructs import AlarmTopic, EmrEksVirtualCluster
from emr_constructs.monitoring import EmrEksMonitoring
from tests.conftest import new_stack

VIRTUAL_CLUSTER_ID = "abcdefghijklmno1234567890"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    stack, _ = new_stack()
    EmrEksMonitoring(
        stack,
        "Monitoring",
        virtual_cluster=EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", VIRTUAL_CLUSTER_ID),
        alarm_topic=AlarmTopic(stack, "Alarms").topic,
    )
    return Template.from_stack(stack).to_json()


def _of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def test_logs_delivery_policy_admits_only_this_stacks_rule_of_this_account(template: dict) -> None:
    (policy,) = _of_type(template, "AWS::Logs::ResourcePolicy").values()
    document = json.loads(json.dumps(policy["Properties"]["PolicyDocument"]))  # Fn::Join of a JSON string
    text = json.dumps(document)
    (rule_id,) = [k for k, v in _of_type(template, "AWS::Events::Rule").items() if "Logs" in json.dumps(v)]
    assert "aws:SourceAccount" in text, "no aws:SourceAccount on the log group policy"
    assert "aws:SourceArn" in text and rule_id in text, "aws:SourceArn is not the delivering rule's ARN"


def test_no_eventbridge_or_cloudwatch_right_lacks_a_source_condition(template: dict) -> None:
    """Every Allow to events.amazonaws.com / cloudwatch.amazonaws.com in the template carries a condition."""
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        document = props.get("PolicyDocument") or props.get("KeyPolicy")
        if not isinstance(document, dict) or "Statement" not in document:
            continue
        for statement in document["Statement"]:
            services = json.dumps(statement.get("Principal", {}))
            if statement["Effect"] == "Allow" and ("events.amazonaws.com" in services or "cloudwatch." in services):
                assert statement.get("Condition"), f"{logical_id}: {statement}"


def test_the_deprecated_virtual_cluster_id_keyword_warns_and_builds_the_same_template(template: dict) -> None:
    # Given the id instead of the construct (the keyword of earlier releases), Then a DeprecationWarning, and the
    # same resources as with the construct.
    stack, _ = new_stack()
    with pytest.warns(DeprecationWarning, match="virtual_cluster="):
        EmrEksMonitoring(
            stack, "Monitoring", virtual_cluster_id=VIRTUAL_CLUSTER_ID, alarm_topic=AlarmTopic(stack, "Alarms").topic
        )
    assert Template.from_stack(stack).to_json() == template


def test_monitoring_needs_one_virtual_cluster() -> None:
    stack, _ = new_stack()
    imported = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", VIRTUAL_CLUSTER_ID)
    with pytest.raises(ValueError, match=r"virtual_cluster: got None; is required"):
        EmrEksMonitoring(stack, "None")
    with pytest.raises(ValueError, match=r"virtual_cluster_id: got '\w+'; give virtual_cluster only"):
        EmrEksMonitoring(stack, "Both", virtual_cluster=imported, virtual_cluster_id=VIRTUAL_CLUSTER_ID)
