"""ApplicationBudget: a monthly cost budget filtered by the application's cost-allocation tag, alerting SNS.

AWS rules encoded here:
- the ``TagKeyValue`` cost filter takes ``user:<tag key>$<tag value>``
  (https://docs.aws.amazon.com/cli/latest/reference/budgets/create-budget.html, "Example Tag Budget");
- AWS Budgets publishes to a topic only if its policy allows ``budgets.amazonaws.com`` ``SNS:Publish``, scoped with
  ``aws:SourceAccount`` and ``aws:SourceArn`` ``arn:<partition>:budgets::<account>:*``
  (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html);
- to an encrypted topic only if the key policy lets the service use the key (kms:Decrypt, kms:GenerateDataKey*)
  (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
- at most 10 notifications per budget (botocore budgets model), thresholds 0.1 to 1e9 (cfn-lint schema).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match, Template

from emr_constructs import AlarmTopic, ApplicationBudget
from tests.conftest import new_app

_ids = itertools.count()
BUDGETS_SOURCE = {
    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
    "ArnLike": {
        "aws:SourceArn": {
            "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":budgets::", {"Ref": "AWS::AccountId"}, ":*"]]
        }
    },
}


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Budget")
    ApplicationBudget(stack, "Budget", application="sales-etl", monthly_limit=500, cost_center="analytics")
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack(new_app(), "BadBudgets")


def test_budget_is_a_monthly_cost_budget_filtered_by_the_application_tag(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Budgets::Budget",
        {
            "Budget": {
                "BudgetType": "COST",
                "TimeUnit": "MONTHLY",
                "BudgetLimit": {"Amount": 500, "Unit": "USD"},
                "CostFilters": {"TagKeyValue": ["user:application$sales-etl"]},
            }
        },
    )


def test_alerts_at_80_and_100_percent_actual_and_100_forecasted_to_the_topic(template: Template) -> None:
    (budget,) = template.find_resources("AWS::Budgets::Budget").values()
    notifications = budget["Properties"]["NotificationsWithSubscribers"]
    assert [(n["Notification"]["NotificationType"], n["Notification"]["Threshold"]) for n in notifications] == [
        ("ACTUAL", 80),
        ("ACTUAL", 100),
        ("FORECASTED", 100),
    ]
    (topic_id,) = template.find_resources("AWS::SNS::Topic")
    for n in notifications:
        assert n["Notification"]["ThresholdType"] == "PERCENTAGE"
        assert n["Notification"]["ComparisonOperator"] == "GREATER_THAN"
        assert n["Subscribers"] == [{"SubscriptionType": "SNS", "Address": {"Ref": topic_id}}]


def test_topic_policy_lets_budgets_publish_for_this_account_only(template: Template) -> None:
    (topic_id,) = template.find_resources("AWS::SNS::Topic")
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "budgets.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Resource": {"Ref": topic_id},
                                "Condition": BUDGETS_SOURCE,
                            }
                        )
                    ]
                )
            }
        },
    )


def test_key_policy_lets_budgets_use_the_topic_key(template: Template) -> None:
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "budgets.amazonaws.com"},
                                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                                "Condition": BUDGETS_SOURCE,
                            }
                        )
                    ]
                )
            },
        },
    )
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})


def test_budget_topic_and_key_carry_the_cost_tags(template: Template) -> None:
    tags = [{"Key": "application", "Value": "sales-etl"}, {"Key": "cost-center", "Value": "analytics"}]
    template.has_resource_properties("AWS::Budgets::Budget", {"ResourceTags": tags})
    template.has_resource_properties("AWS::SNS::Topic", {"Tags": tags})
    template.has_resource_properties("AWS::KMS::Key", {"Tags": tags})


def test_given_topic_gets_the_statements_and_no_new_topic() -> None:
    stack = Stack(new_app(), "Given")
    alarms = AlarmTopic(stack, "Alarms")
    ApplicationBudget(
        stack,
        "Budget",
        application="etl",
        monthly_limit=100,
        tag_key="team",
        actual_thresholds=[50],
        forecasted_threshold=None,
        topic=alarms.topic,
    )
    template = Template.from_stack(stack)
    assert len(template.find_resources("AWS::SNS::Topic")) == 1
    template.has_resource_properties(
        "AWS::Budgets::Budget",
        {
            "Budget": Match.object_like({"CostFilters": {"TagKeyValue": ["user:team$etl"]}}),
            "NotificationsWithSubscribers": [Match.object_like({"Notification": Match.object_like({"Threshold": 50})})],
        },
    )
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Principal": {"Service": "budgets.amazonaws.com"}, "Condition": BUDGETS_SOURCE}
                        )
                    ]
                )
            }
        },
    )


def test_imported_topic_warns_that_its_owner_must_allow_budgets() -> None:
    stack = Stack(new_app(), "Imported")
    topic = sns.Topic.from_topic_arn(stack, "T", "arn:aws:sns:us-east-1:111111111111:alerts")
    ApplicationBudget(stack, "Budget", application="etl", monthly_limit=100, topic=topic)
    Annotations.from_stack(stack).has_warning("/Imported/Budget", Match.string_like_regexp("budgets.amazonaws.com"))


def test_token_limit_is_not_validated() -> None:
    stack = Stack(new_app(), "TokenLimit")
    ApplicationBudget(stack, "Budget", application="etl", monthly_limit=Token.as_number({"Ref": "AWS::NoValue"}))


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"monthly_limit": 0}, r"^monthly_limit: got 0; must be at least 0.01"),
        ({"monthly_limit": -5}, r"^monthly_limit: got -5"),
        ({"application": "a$b"}, r"^application: got 'a\$b'"),
        ({"application": ""}, r"^application: "),
        ({"tag_key": "cost center!"}, r"^tag_key: got 'cost center!'"),
        ({"currency": "usd"}, r"^currency: got 'usd'"),
        ({"actual_thresholds": [0]}, r"^actual_thresholds\[0\]: got 0; must be between 0.1 and"),
        ({"forecasted_threshold": 2e9}, r"^forecasted_threshold: got 2000000000.0"),
        ({"actual_thresholds": [], "forecasted_threshold": None}, r"^actual_thresholds: got \[\]; give at least one"),
        ({"actual_thresholds": list(range(1, 11))}, r"^actual_thresholds: .*at most 10 alerts"),
    ],
)
def test_bad_input_names_the_prop(stack: Stack, props: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"application": "etl", "monthly_limit": 100, **props}
    with pytest.raises(ValueError, match=message):
        ApplicationBudget(stack, f"B{next(_ids)}", **values)


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"monthly_limit": "100"}, "monthly_limit"),
        ({"actual_thresholds": 80}, "actual_thresholds"),
        ({"topic": "arn:aws:sns:us-east-1:111111111111:alerts"}, "topic"),
    ],
)
def test_wrong_types_name_the_prop(stack: Stack, props: dict[str, Any], prop: str) -> None:
    values: dict[str, Any] = {"application": "etl", "monthly_limit": 100, **props}
    with pytest.raises(TypeError, match=rf"^{prop}: "):
        ApplicationBudget(stack, f"B{next(_ids)}", **values)
