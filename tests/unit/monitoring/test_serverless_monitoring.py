"""Dashboard and alarms for an EMR Serverless application."""

from __future__ import annotations

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from emr_constructs import EmrServerlessApplication, EmrServerlessMonitoring, ReleaseLabel, ServerlessAlarmThresholds
from tests.conftest import new_app


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
        assert dims["CapacityAllocationType"] == "PreInitCapacity" and dims["WorkerType"] in ("Driver", "Executor")
        assert props["EvaluationPeriods"] == 6 and props["MetricName"] == "IdleWorkerCount"


def test_dashboard_shows_pools_utilization_maximum_and_job_states(template: Template) -> None:
    body = str(
        next(v for k, v in template.find_resources("AWS::CloudWatch::Dashboard").items() if k.startswith("Monitoring"))[
            "Properties"
        ]["DashboardBody"]
    )
    for needle in ("PreInitCapacity", "OnDemandCapacity", "pre-initialized utilization", "MaxCPUAllowed",
                   "SuccessJobs", "CancelledJobs", "RunningWorkerCount", "IdleWorkerCount"):  # fmt: skip
        assert needle in body, needle


def test_releases_before_7_10_use_application_id_only(template: Template) -> None:
    (props,) = _alarms(template, "OldMonitoringFailedJobs").values()
    assert props["Dimensions"] == [{"Name": "ApplicationId", "Value": "00f6b0eou5bzzz0l"}]
