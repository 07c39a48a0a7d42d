"""Job-run observability for EMR on EKS, which has no CloudWatch namespace of its own.

EMR on EKS sends "EMR Job Run State Change" events (source ``aws.emr-containers``) to EventBridge. A rule delivers
the virtual cluster's events to a CloudWatch Logs log group, and metric filters turn them into CloudWatch metrics
(one per state, dimension VirtualClusterId): a native path, no custom Lambda. Failed runs also go to an SNS topic.
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/monitoring-with-eventbridge.html
"""

from __future__ import annotations

import warnings
from typing import Any, Protocol

from aws_cdk import Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from emr_constructs._internal.types import check_type
from emr_constructs._internal.validation import fail
from emr_constructs.core.iam_actions import LOG_STREAM_WRITE_ACTIONS
from emr_constructs.monitoring.alarm_topic import AlarmSource, allow_publishing
from emr_constructs.monitoring.alarms import notify
from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION, SecureLogGroup

EMR_EKS_METRIC_NAMESPACE = "EMRonEKS/JobRuns"
JOB_RUN_STATES = ("PENDING", "SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "CANCEL_PENDING", "CANCELLED")
EVENT_SOURCE = "aws.emr-containers"
EVENT_DETAIL_TYPE = "EMR Job Run State Change"
DEFAULT_PERIOD = Duration.minutes(5)


class EmrEksMetricFactory:
    """Job-run metrics of one virtual cluster, as produced by ``EmrEksMonitoring``'s metric filters."""

    def __init__(self, virtual_cluster_id: str) -> None:
        self.virtual_cluster_id = virtual_cluster_id

    def metric(
        self,
        metric_name: str,
        *,
        statistic: str = "Sum",
        period: Duration = DEFAULT_PERIOD,
        label: str | None = None,
    ) -> cw.Metric:
        return cw.Metric(
            namespace=EMR_EKS_METRIC_NAMESPACE,
            metric_name=metric_name,
            dimensions_map={"VirtualClusterId": self.virtual_cluster_id},
            statistic=statistic,
            period=period,
            label=label,
        )

    def job_runs(self, state: str, **props: Any) -> cw.Metric:
        """Job runs that entered ``state`` (one of ``JOB_RUN_STATES``), Sum over 5 minutes by default."""
        if state not in JOB_RUN_STATES:
            raise ValueError(f"state: got {state!r}; allowed values: {', '.join(JOB_RUN_STATES)}")
        return self.metric(_metric_name(state), **props)


def _metric_name(state: str) -> str:
    """``FAILED`` -> ``JobRunsFailed``."""
    return f"JobRuns{state.title().replace('_', '')}"


class _VirtualCluster(Protocol):
    @property
    def virtual_cluster_id(self) -> str: ...


class EmrEksMonitoring(Construct):
    """EventBridge rules, metric filters, a failure alarm and a dashboard of job runs for one virtual cluster.

    :param virtual_cluster: the virtual cluster (owned or imported with ``from_virtual_cluster_id``).
    :param virtual_cluster_id: deprecated, use ``virtual_cluster``: the id of the virtual cluster.
    :param alarm_topic: receives failed job-run events and the failure alarm. A topic created in this app gets the
        statements that let EventBridge rules and CloudWatch alarms publish; an imported one must already allow them
        (see ``AlarmTopic``). Default: none.
    :param log_encryption_key: the KMS key of the job-run events log group. Default: a new key for it. Pass the
        stack's key to share one (it gets the CloudWatch Logs statement once, see ``allow_cloudwatch_logs``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        virtual_cluster: _VirtualCluster | None = None,
        alarm_topic: sns.ITopic | None = None,
        retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        log_encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        virtual_cluster_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("log_encryption_key", log_encryption_key, kms.IKey, optional=True)
        if virtual_cluster is None and virtual_cluster_id is None:
            raise fail("virtual_cluster", None, "is required: the EmrEksVirtualCluster (or an imported one) to monitor")
        if virtual_cluster is not None and virtual_cluster_id is not None:
            raise fail(
                "virtual_cluster_id", virtual_cluster_id, "give virtual_cluster only (virtual_cluster_id is deprecated)"
            )
        if virtual_cluster_id is not None:
            warnings.warn(
                "EmrEksMonitoring(virtual_cluster_id=...) is deprecated: pass virtual_cluster= (the construct, "
                "e.g. EmrEksVirtualCluster.from_virtual_cluster_id(...)) like the other monitoring constructs",
                DeprecationWarning,
                stacklevel=2,
            )
        else:
            assert virtual_cluster is not None
            virtual_cluster_id = virtual_cluster.virtual_cluster_id
        self.events_log_group = SecureLogGroup(
            self, "Events", encryption_key=log_encryption_key, retention=retention, removal_policy=removal_policy
        )
        # An L1 target and resource policy: aws-cdk-lib's CloudWatchLogGroup target installs the log group policy
        # through a custom-resource Lambda function; CloudFormation's AWS::Logs::ResourcePolicy does it natively.
        group_arn = self.events_log_group.log_group_arn
        stack = Stack.of(self)
        rule = events.CfnRule(
            self,
            "JobRunStateChanges",
            description="EMR on EKS job-run state changes of one virtual cluster, to CloudWatch Logs",
            event_pattern={
                "source": [EVENT_SOURCE],
                "detail-type": [EVENT_DETAIL_TYPE],
                "detail": {"virtualClusterId": [virtual_cluster_id]},
            },
            targets=[events.CfnRule.TargetProperty(id="JobRunEventsLog", arn=group_arn)],
        )
        # Only this rule of this account may write (for rule targets, aws:SourceArn is the rule ARN).
        # See: https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
        logs.CfnResourcePolicy(
            self,
            "EventsDelivery",
            policy_name=f"emr-eks-events-{Names.unique_id(self)[-40:]}",
            policy_document=stack.to_json_string(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": LOG_STREAM_WRITE_ACTIONS,
                            "Resource": group_arn,
                            "Condition": {
                                "StringEquals": {"aws:SourceAccount": stack.account},
                                "ArnEquals": {"aws:SourceArn": rule.attr_arn},
                            },
                        }
                    ],
                }
            ),
        )
        if alarm_topic is not None:
            failed = {
                "source": [EVENT_SOURCE],
                "detail-type": [EVENT_DETAIL_TYPE],
                "detail": {"virtualClusterId": [virtual_cluster_id], "state": ["FAILED"]},
            }
            # An L1 target: aws-cdk-lib's SnsTopic target grants EventBridge the topic and its key without conditions.
            events.CfnRule(
                self,
                "FailedJobRuns",
                description="Failed EMR on EKS job runs of one virtual cluster, to the alarm topic",
                event_pattern=failed,
                targets=[events.CfnRule.TargetProperty(id="FailedJobRunsTopic", arn=alarm_topic.topic_arn)],
            )
            allow_publishing(alarm_topic, AlarmSource.EVENTBRIDGE_RULES)
        metrics = EmrEksMetricFactory(virtual_cluster_id)
        for state in JOB_RUN_STATES:
            logs.MetricFilter(
                self,
                f"Filter{state.title().replace('_', '')}",
                log_group=self.events_log_group.log_group,
                filter_pattern=logs.FilterPattern.string_value("$.detail.state", "=", state),
                metric_namespace=EMR_EKS_METRIC_NAMESPACE,
                metric_name=metrics.job_runs(state).metric_name,
                metric_value="1",
                dimensions={"VirtualClusterId": "$.detail.virtualClusterId"},
            )
        self.failed_alarm = metrics.job_runs("FAILED").create_alarm(
            self,
            "JobRunsFailed",
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description="EMR on EKS job runs failed. Missing data (no failed run) is not breaching.",
        )
        notify(self.failed_alarm, alarm_topic)
        self.dashboard = cw.Dashboard(self, "Dashboard", default_interval=Duration.hours(12))
        self.dashboard.add_widgets(
            cw.AlarmStatusWidget(title="Alarms", alarms=[self.failed_alarm], width=24, height=3),
            cw.GraphWidget(
                title="Job runs by state", left=[metrics.job_runs(s) for s in JOB_RUN_STATES], width=24, stacked=False
            ),
        )

    @property
    def dashboard_name(self) -> str:
        return self.dashboard.dashboard_name
