"""``ApplicationBudget``: a monthly AWS Budgets cost budget for everything tagged with one application.

The budget counts the cost of resources whose cost-allocation tag ``application`` (or ``tag_key``) has this
application's value: the filter ``TagKeyValue`` takes ``user:<key>$<value>`` (the AWS CLI's ``create-budget``
example). A tag counts only once it is activated as a cost-allocation tag in the payer (management) account's
Billing console; CloudFormation has no resource for that, and costs before activation are not tagged.
See: https://docs.aws.amazon.com/cli/latest/reference/budgets/create-budget.html and
https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/activating-tags.html

Alerts go to an SNS topic whose policy lets ``budgets.amazonaws.com`` publish for this account's budgets only
(``aws:SourceAccount``, ``aws:SourceArn``), and whose key policy, when the topic is encrypted, lets it use the key.
See: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html and
https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Annotations, ArnFormat, RemovalPolicy, Stack, Tags
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_text, check_type
from emr_constructs._internal.validation import check_pattern, check_range, fail, is_token
from emr_constructs.core.iam_actions import KMS_ENCRYPTED_TOPIC_PUBLISH_ACTIONS, Sns
from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG
from emr_constructs.storage.secure import EncryptionKey

BUDGETS_PRINCIPAL = "budgets.amazonaws.com"
DEFAULT_ACTUAL_THRESHOLDS = (80.0, 100.0)
"""Percentages of the limit at which actual spend alerts."""
DEFAULT_FORECASTED_THRESHOLD = 100.0
"""Percentage of the limit at which forecasted spend alerts."""
MAX_NOTIFICATIONS = 10
"""Notifications of one budget (botocore budgets model, ``NotificationWithSubscribersList`` max 10)."""
THRESHOLD_PERCENT = (0.1, 1_000_000_000)
"""A notification's threshold (CloudFormation schema of ``AWS::Budgets::Budget`` ``Notification.Threshold``)."""
TAG_VALUE = r"[\w .:/=+\-@]{1,256}"
"""A tag value that AWS accepts (letters, digits, spaces and ``_ . : / = + - @``), which never holds the ``$`` of
the ``TagKeyValue`` filter. See: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html"""


def allow_budgets_publishing(topic: sns.ITopic) -> bool:
    """Let AWS Budgets publish to ``topic`` (and use its KMS key) for budgets of the topic's account only.

    Returns False when CDK cannot edit the topic's or the key's policy (imported); their owner must add the same
    statements. Cross-account topics are not supported by AWS Budgets.
    """
    stack = Stack.of(topic)
    principal = iam.ServicePrincipal(BUDGETS_PRINCIPAL)
    conditions = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {
            "aws:SourceArn": stack.format_arn(
                service="budgets", region="", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
            )
        },
    }
    added = topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AWSBudgetsPublish",
            principals=[principal],
            actions=[Sns.PUBLISH],
            resources=[topic.topic_arn],
            conditions=conditions,
        )
    ).statement_added
    key = topic.master_key
    if key is None:
        return added
    key_added = key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AWSBudgetsUseForSnsTopics",
            principals=[principal],
            actions=KMS_ENCRYPTED_TOPIC_PUBLISH_ACTIONS,
            resources=["*"],
            conditions=conditions,
        )
    ).statement_added
    return added and key_added


class ApplicationBudget(Construct):
    """A monthly COST budget of one application (its cost-allocation tag), alerting an SNS topic.

    :param application: the value of the application's tag, e.g. the ``application_tag`` of its runtime.
    :param monthly_limit: the budget per calendar month, in ``currency``.
    :param currency: Default: ``"USD"``.
    :param tag_key: the cost-allocation tag to filter on. Default: ``application``.
    :param actual_thresholds: percentages of the limit at which actual spend alerts. Default: 80 and 100.
    :param forecasted_threshold: percentage of the limit at which the month's forecast alerts. Default: 100;
        None: no forecast alert.
    :param topic: where alerts go; its policies get the Budgets statements. Default: a new SSL-only topic encrypted
        with a new customer managed key (rotation, ``removal_policy``).
    :param cost_center: also tag the budget (and the topic and key created here) with ``cost-center``.
    :param removal_policy: of the key created here. Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        application: str,
        monthly_limit: float,
        currency: str = "USD",
        tag_key: str = APPLICATION_TAG,
        actual_thresholds: Sequence[float] = DEFAULT_ACTUAL_THRESHOLDS,
        forecasted_threshold: float | None = DEFAULT_FORECASTED_THRESHOLD,
        topic: sns.ITopic | None = None,
        cost_center: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_text("application", application, optional=False)
        check_pattern("application", application, TAG_VALUE, "a tag value: 1-256 letters, digits, spaces, _.:/=+-@")
        check_pattern("tag_key", tag_key, r"[\w .:/=+\-@]{1,128}", "a tag key: 1-128 letters, digits, _.:/=+-@")
        check_range("monthly_limit", monthly_limit, 0.01, None)
        check_pattern("currency", currency, r"[A-Z]{3}", "an ISO 4217 code such as 'USD'")
        check_sequence_of("actual_thresholds", actual_thresholds, (int, float), optional=False)
        for i, threshold in enumerate(actual_thresholds):
            check_range(f"actual_thresholds[{i}]", threshold, *THRESHOLD_PERCENT)
        check_range("forecasted_threshold", forecasted_threshold, *THRESHOLD_PERCENT)
        count = len(actual_thresholds) + (forecasted_threshold is not None)
        if count == 0:
            raise fail("actual_thresholds", list(actual_thresholds), "give at least one threshold, or a forecast one")
        if count > MAX_NOTIFICATIONS:
            raise fail("actual_thresholds", list(actual_thresholds), f"a budget has at most {MAX_NOTIFICATIONS} alerts")
        check_type("topic", topic, sns.ITopic, optional=True)
        check_text("cost_center", cost_center)
        check_type("removal_policy", removal_policy, RemovalPolicy)

        if topic is None:
            key = EncryptionKey(
                self, "Key", description=f"Encrypts the budget alerts of {application}", removal_policy=removal_policy
            ).key
            topic = sns.Topic(self, "Topic", master_key=key, enforce_ssl=True)
        self.topic: sns.ITopic = topic
        if not allow_budgets_publishing(topic):
            Annotations.of(self).add_warning_v2(
                "emr-constructs:budget-topic-policy",
                f"topic {topic.topic_arn} or its key is imported: CDK cannot edit their policies; allow "
                f"{BUDGETS_PRINCIPAL} sns:Publish (and kms:Decrypt, kms:GenerateDataKey* on its key), or budget "
                "alerts are not delivered",
            )

        subscribers = [budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=topic.topic_arn)]
        alerts = [("ACTUAL", t) for t in actual_thresholds]
        if forecasted_threshold is not None:
            alerts.append(("FORECASTED", forecasted_threshold))
        limit = monthly_limit if is_token(monthly_limit) else float(monthly_limit)
        self.filter = f"user:{tag_key}${application}"
        """The ``TagKeyValue`` cost filter of the budget."""
        self._resource = budgets.CfnBudget(
            self,
            "Resource",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=limit, unit=currency),
                cost_filters={"TagKeyValue": [self.filter]},
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        notification_type=kind,
                        comparison_operator="GREATER_THAN",
                        threshold=threshold,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=subscribers,
                )
                for kind, threshold in alerts
            ],
        )
        Tags.of(self).add(APPLICATION_TAG, application)
        if cost_center:
            Tags.of(self).add(COST_CENTER_TAG, cost_center)

    @property
    def budget_name(self) -> str:
        """The budget's name (generated by CloudFormation)."""
        return self._resource.ref
