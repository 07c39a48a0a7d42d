"""Dashboard and alarms for an EMR on EC2 cluster."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from emr_constructs import EmrCluster, EmrClusterAlarmThresholds, EmrClusterMonitoring
from tests.conftest import new_stack


@pytest.fixture(scope="module")
def template() -> Template:
    stack, vpc = new_stack()
    topic = sns.Topic(stack, "Topic")
    cluster = EmrCluster(stack, "Cluster", vpc=vpc)
    EmrClusterMonitoring(stack, "Fleets", cluster=cluster, alarm_topic=topic)
    imported = EmrCluster.from_cluster_id(stack, "Imported", "j-1ABCDEFGHIJKL")
    EmrClusterMonitoring(
        stack,
        "Groups",
        cluster=imported,
        instance_groups=True,
        thresholds=EmrClusterAlarmThresholds(hdfs_utilization_percent=90, idle_for=Duration.hours(1)),
    )
    return Template.from_stack(stack)


def _alarm(template: Template, prefix: str) -> dict:
    return next(v for k, v in template.find_resources("AWS::CloudWatch::Alarm").items() if k.startswith(prefix))[
        "Properties"
    ]


@pytest.mark.parametrize(
    ("alarm", "metric", "threshold", "periods", "operator"),
    [
        ("FleetsAppsFailed", "AppsFailed", 1, 1, "GreaterThanOrEqualToThreshold"),
        ("FleetsUnhealthyNodes", "MRUnhealthyNodes", 1, 2, "GreaterThanOrEqualToThreshold"),
        ("FleetsHdfsNearlyFull", "HDFSUtilization", 80, 2, "GreaterThanOrEqualToThreshold"),
        ("FleetsYarnMemoryStarved", "YARNMemoryAvailablePercentage", 15, 3, "LessThanOrEqualToThreshold"),
        ("FleetsIdleTooLong", "IsIdle", 1, 36, "GreaterThanOrEqualToThreshold"),
        ("GroupsHdfsNearlyFull", "HDFSUtilization", 90, 2, "GreaterThanOrEqualToThreshold"),
        ("GroupsIdleTooLong", "IsIdle", 1, 12, "GreaterThanOrEqualToThreshold"),
    ],
)
def test_alarms(template: Template, alarm: str, metric: str, threshold: float, periods: int, operator: str) -> None:
    props = _alarm(template, alarm)
    assert (props["MetricName"], props["Namespace"]) == (metric, "AWS/ElasticMapReduce")
    assert (props["Threshold"], props["EvaluationPeriods"], props["ComparisonOperator"]) == (
        threshold,
        periods,
        operator,
    )
    assert props["TreatMissingData"] == "notBreaching"
    assert props["Period"] == 300


def test_alarm_actions_go_to_the_topic(template: Template) -> None:
    props = _alarm(template, "FleetsAppsFailed")
    topic = next(iter(template.find_resources("AWS::SNS::Topic")))
    assert props["AlarmActions"] == [{"Ref": topic}] and props["OKActions"] == [{"Ref": topic}]
    assert "AlarmActions" not in _alarm(template, "GroupsAppsFailed")


def test_core_node_alarm_only_for_instance_groups_and_missing_data_breaches(template: Template) -> None:
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    assert not any(k.startswith("FleetsNoCoreNodes") for k in alarms)
    props = _alarm(template, "GroupsNoCoreNodes")
    assert props["MetricName"] == "CoreNodesRunning"
    assert props["TreatMissingData"] == "breaching"
    assert props["Dimensions"] == [{"Name": "JobFlowId", "Value": "j-1ABCDEFGHIJKL"}]


def test_one_dashboard_per_cluster_with_the_key_widgets(template: Template) -> None:
    dashboards = template.find_resources("AWS::CloudWatch::Dashboard")
    assert len(dashboards) == 2
    body = str(next(iter(dashboards.values()))["Properties"]["DashboardBody"])
    for needle in ("AppsRunning", "YARNMemoryAvailablePercentage", "HDFSUtilization", "MRUnhealthyNodes", "IsIdle"):
        assert needle in body
    template.has_resource_properties("AWS::CloudWatch::Dashboard", {"DashboardBody": Match.any_value()})


def test_bad_thresholds_raise() -> None:
    with pytest.raises(ValueError, match=r"thresholds.hdfs_utilization_percent: got 120; must be between 1 and 100"):
        EmrClusterAlarmThresholds(hdfs_utilization_percent=120).validate()
