"""What every alarm of this library does with its optional SNS topic."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns

from emr_constructs.monitoring.alarm_topic import AlarmSource, allow_publishing


def notify(alarm: cw.Alarm, topic: sns.ITopic | None) -> None:
    """Send ``alarm``'s ALARM and OK transitions to ``topic`` (nothing when there is no topic).

    A topic created in this app (and its key) get the statements that let CloudWatch alarms publish; an imported
    topic must already allow them (see ``AlarmTopic``).
    """
    if topic is not None:
        allow_publishing(topic, AlarmSource.CLOUDWATCH_ALARMS)
        alarm.add_alarm_action(cw_actions.SnsAction(topic))
        alarm.add_ok_action(cw_actions.SnsAction(topic))
