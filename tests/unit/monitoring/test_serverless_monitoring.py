"""Dashboard and alarms for an EMR Serverless application.

AWS facts (namespace AWS/EMRServerless): worker and capacity metrics (CPUAllocated, MemoryAllocated, StorageAllocated,
IdleWorkerCount, PendingCreationWorkerCount, RunningWorkerCount, TotalWorkerCount) are published per application and
per application + WorkerType + CapacityAllocationType (PreInitCapacity, OnDemandCapacity); WorkerType never comes
alone. The WorkerType values are Spark_Driver and Spark_Executor (Spark_Kernel for interactive workloads), as in the
CloudWatch dashboard template the page links to (aws-samples/emr-serverless-samples,
cloudformation/emr-serverless-cloudwatch-dashboard), not the initial-capacity keys Driver and Executor.
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-job-metrics.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from emr_constructs import EmrServerlessApplication, EmrServerlessMonitoring, ReleaseLabel, ServerlessAlarmThresholds
from emr_constructs.monitoring import CapacityAllocationType, ServerlessMetricFactory
from tests.conftest import new_app

# Taken from the AWS page and the AWS dashboard template cited above, not from the code under test.
PUBLISHED_WORKER_TYPES = {"Spark_Driver", "Spark_Executor", "Spark_Kernel"}
PUBLISHED_CAPACITY_TYPES = {"PreInitCapacity", "OnDemandCapacity"}
WORKER_METRICS = {
    "CPUAllocated",
    "MemoryAllocated",
    "StorageAllocated",
    "IdleWorkerCount",
    "PendingCreationWorkerCount",
    "RunningWorkerCount",
    "TotalWorkerCount",
}


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Mon")
    topic = sns.Topic(stack, "Topic")
    application = EmrServerlessApplication(stack, "Etl", name="etl")
    EmrServerlessMonitoring(
        stack,
        "Monitoring",
        application=application,
        alarm_topic=topic,
        thresholds=ServerlessAlarmThresholds(capacity_percent=90, idle_pre_initialized_for=Duration.minutes(30)),
    )
    old = EmrServerlessApplication.from_application_id(
        stack, "Old", "00f6b0eou5bzzz0l", application_name="old", release_label=ReleaseLabel.of("emr-6.15.0")
    )
    EmrServerlessMonitoring(stack, "OldMonitoring", application=old)
    return Template.from_stack(stack)


def _alarms(template: Template, prefix: str) -> dict[str, dict]:
    return {
        k: v["Properties"] for k, v in template.find_resources("AWS::CloudWatch::Alarm").items() if k.startswith(prefix)
    }


def test_failed_jobs_alarm_notifies_the_topic(template: Template) -> None:
    (props,) = [v for k, v in _alarms(template, "MonitoringFailedJobs").items()]
    assert (props["MetricName"], props["Namespace"], props["Statistic"]) == ("FailedJobs", "AWS/EMRServerless", "Sum")
    assert props["Threshold"] == 1 and props["TreatMissingData"] == "notBreaching"
    assert props["AlarmActions"] and props["OKActions"]
    assert {d["Name"] for d in props["Dimensions"]} == {"ApplicationId", "ApplicationName"}


def test_capacity_alarm_compares_allocated_with_maximum(template: Template) -> None:
    (props,) = _alarms(template, "MonitoringCapacityNearMaximum").values()
    assert props["Threshold"] == 90
    expressions = {q["Id"]: q for q in props["Metrics"]}
    text = str(props["Metrics"])
    for name in ("CPUAllocated", "MaxCPUAllowed", "MemoryAllocated", "MaxMemoryAllowed"):
        assert name in text
    assert any(q.get("Expression") == "MAX([cpu, memory])" for q in expressions.values())


def test_idle_pre_initialized_alarms_per_worker_type(template: Template) -> None:
    alarms = _alarms(template, "MonitoringIdlePreInitialized")
    assert len(alarms) == 2
    for props in alarms.values():
        dims = {d["Name"]: d["Value"] for d in props["Dimensions"]}
        assert dims["CapacityAllocationType"] == "PreInitCapacity"
        assert dims["WorkerType"] in {"Spark_Driver", "Spark_Executor"}
        assert props["EvaluationPeriods"] == 6 and props["MetricName"] == "IdleWorkerCount"


def test_dashboard_shows_pools_utilization_maximum_and_job_states(template: Template) -> None:
    body = str(
        next(v for k, v in template.find_resources("AWS::CloudWatch::Dashboard").items() if k.startswith("Monitoring"))[
            "Properties"
        ]["DashboardBody"]
    )
    for needle in (
        "PreInitCapacity",
        "OnDemandCapacity",
        "pre-initialized utilization",
        "MaxCPUAllowed",
        "SuccessJobs",
        "CancelledJobs",
        "RunningWorkerCount",
        "IdleWorkerCount",
        "PendingCreationWorkerCount",
        "TotalWorkerCount",
    ):
        assert needle in body, needle


def _dashboard_metrics(template: Template, prefix: str) -> list[list[Any]]:
    """Every metric array ([namespace, name, dim, value, ...]) of the dashboard, with tokens rendered."""
    body = next(v for k, v in template.find_resources("AWS::CloudWatch::Dashboard").items() if k.startswith(prefix))
    joined = body["Properties"]["DashboardBody"]
    text = (
        "".join(p if isinstance(p, str) else "TOKEN" for p in joined["Fn::Join"][1])
        if isinstance(joined, dict)
        else joined
    )
    widgets = json.loads(text)["widgets"]
    return [m for w in widgets for m in w.get("properties", {}).get("metrics", []) if isinstance(m[0], str)]


def test_every_worker_dimension_is_one_emr_serverless_publishes(template: Template) -> None:
    """Rule: WorkerType is published only together with CapacityAllocationType, with the values Spark_Driver,
    Spark_Executor (Spark_Kernel); alarms and dashboard series use nothing else, so none of them stays empty."""
    alarm_dims = [
        {d["Name"]: d["Value"] for d in props.get("Dimensions", [])}
        for props in _alarms(template, "Monitoring").values()
    ]
    series = []
    for metric in _dashboard_metrics(template, "Monitoring"):
        _namespace, _name, *rest = metric
        pairs = [x for x in rest if isinstance(x, str)]
        series.append(dict(zip(pairs[0::2], pairs[1::2], strict=False)))
    checked = 0
    for dims in alarm_dims + series:
        if "WorkerType" in dims or "CapacityAllocationType" in dims:
            checked += 1
            assert dims.get("WorkerType") in PUBLISHED_WORKER_TYPES, dims
            assert dims.get("CapacityAllocationType") in PUBLISHED_CAPACITY_TYPES, dims
    assert checked >= 4


def test_pending_and_total_worker_counts_are_charted_per_pool(template: Template) -> None:
    names = {(m[1], "WorkerType" in m) for m in _dashboard_metrics(template, "Monitoring")}
    for name in ("PendingCreationWorkerCount", "TotalWorkerCount"):
        assert (name, True) in names, name
    assert {n for n, _ in names} & WORKER_METRICS == WORKER_METRICS


def test_factory_rejects_dimensions_emr_serverless_does_not_publish() -> None:
    factory = ServerlessMetricFactory("00f6b0eou5bzzz0l", "etl", ReleaseLabel.of("emr-7.10.0"))
    with pytest.raises(ValueError, match=r"worker_type: got 'Driver'.*Spark_Driver"):
        factory.metric("CPUAllocated", worker_type="Driver", capacity_allocation_type=CapacityAllocationType.ON_DEMAND)
    with pytest.raises(ValueError, match=r"capacity_allocation_type: got None.*together"):
        factory.metric("CPUAllocated", worker_type="Spark_Driver")
    metric = factory.pending_creation_worker_count("Spark_Executor", CapacityAllocationType.ON_DEMAND)
    assert metric.metric_name == "PendingCreationWorkerCount"
    assert metric.dimensions["WorkerType"] == "Spark_Executor"
    assert factory.total_worker_count().dimensions == {"ApplicationId": "00f6b0eou5bzzz0l", "ApplicationName": "etl"}


def test_releases_before_7_10_use_application_id_only(template: Template) -> None:
    (props,) = _alarms(template, "OldMonitoringFailedJobs").values()
    assert props["Dimensions"] == [{"Name": "ApplicationId", "Value": "00f6b0eou5bzzz0l"}]
