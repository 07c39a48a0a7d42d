"""Job concurrency and queuing (``SchedulerConfiguration``) of an EMR Serverless application.

"Starting with Amazon EMR version 7.0.0 and later, specify job run queue timeout and concurrency configuration";
maxConcurrentRuns "valid range is 1 to 1000", queueTimeoutMinutes "valid range is from 15 to 720".
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications-concurrency-queuing.html and
https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_SchedulerConfiguration.html
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk.assertions import Template

from emr_constructs import EmrServerlessApplication, ReleaseLabel, SchedulerConfiguration
from tests.conftest import new_app

_ids = itertools.count()


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack(new_app(), "Scheduler")


def _app(stack: Stack, scheduler: Any, release: str = "emr-7.0.0") -> EmrServerlessApplication:
    return EmrServerlessApplication(
        stack,
        f"App{next(_ids)}",
        release_label=ReleaseLabel.of(release),
        scheduler=scheduler,
        cloudwatch_logs=False,
        lifecycle_guards=False,
    )


@pytest.fixture(scope="module")
def template(stack: Stack) -> Template:
    EmrServerlessApplication(
        stack,
        "Queued",
        scheduler=SchedulerConfiguration(max_concurrent_runs=10, queue_timeout=Duration.hours(2)),
        cloudwatch_logs=False,
        lifecycle_guards=False,
    )
    EmrServerlessApplication(stack, "Defaults", scheduler=SchedulerConfiguration(), lifecycle_guards=False)
    EmrServerlessApplication(stack, "Unbounded", lifecycle_guards=False)
    return Template.from_stack(stack)


def _props(template: Template, prefix: str) -> dict[str, Any]:
    apps = template.find_resources("AWS::EMRServerless::Application")
    (props,) = [r["Properties"] for k, r in apps.items() if k.startswith(prefix)]
    return dict(props)


def test_scheduler_renders_both_limits(template: Template) -> None:
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {"SchedulerConfiguration": {"MaxConcurrentRuns": 10, "QueueTimeoutMinutes": 120}},
    )


def test_empty_scheduler_turns_queuing_on_with_the_service_defaults(template: Template) -> None:
    assert _props(template, "Defaults")["SchedulerConfiguration"] == {}


def test_no_scheduler_renders_no_property(template: Template) -> None:
    assert "SchedulerConfiguration" not in _props(template, "Unbounded")


@pytest.mark.parametrize("release", ["emr-6.15.0", "emr-6.9.0"])
def test_before_7_0_0_names_the_prop_and_the_floor(stack: Stack, release: str) -> None:
    with pytest.raises(ValueError, match=rf"scheduler: .*emr-7\.0\.0 or later.*{release}"):
        _app(stack, SchedulerConfiguration(max_concurrent_runs=5), release)


@pytest.mark.parametrize("release", ["emr-7.0.0", "emr-7.10.0"])
def test_from_7_0_0_is_accepted(stack: Stack, release: str) -> None:
    _app(stack, SchedulerConfiguration(max_concurrent_runs=5), release)


@pytest.mark.parametrize(
    ("scheduler", "message"),
    [
        (SchedulerConfiguration(max_concurrent_runs=0), r"scheduler\.max_concurrent_runs: got 0; .*between 1 and 1000"),
        (SchedulerConfiguration(max_concurrent_runs=1001), r"scheduler\.max_concurrent_runs: got 1001; .*1000"),
        (SchedulerConfiguration(max_concurrent_runs=2.5), r"scheduler\.max_concurrent_runs: got 2.5; .*whole number"),
        (
            SchedulerConfiguration(queue_timeout=Duration.minutes(14)),
            r"scheduler\.queue_timeout \(minutes\): got 14; .*between 15 and 720",
        ),
        (SchedulerConfiguration(queue_timeout=Duration.hours(13)), r"scheduler\.queue_timeout \(minutes\): got 780"),
        (SchedulerConfiguration(queue_timeout=Duration.seconds(1830)), r"scheduler\.queue_timeout: .*whole minutes"),
    ],
)
def test_out_of_range_names_the_prop(stack: Stack, scheduler: SchedulerConfiguration, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _app(stack, scheduler)


@pytest.mark.parametrize(
    ("scheduler", "prop"),
    [
        (SchedulerConfiguration(max_concurrent_runs="10"), "scheduler.max_concurrent_runs"),  # type: ignore[arg-type]
        (SchedulerConfiguration(max_concurrent_runs=True), "scheduler.max_concurrent_runs"),
        (SchedulerConfiguration(queue_timeout=120), "scheduler.queue_timeout"),  # type: ignore[arg-type]
        ({"max_concurrent_runs": 10}, "scheduler"),
    ],
)
def test_wrong_types_name_the_prop(stack: Stack, scheduler: Any, prop: str) -> None:
    with pytest.raises(TypeError, match=rf"^{prop}: "):
        _app(stack, scheduler)


def test_tokens_are_not_validated_and_render_as_given() -> None:
    stack = Stack(new_app(), "Tokens")
    runs = CfnParameter(stack, "Runs", type="Number").value_as_number
    minutes = CfnParameter(stack, "Minutes", type="Number").value_as_number
    _app(stack, SchedulerConfiguration(max_concurrent_runs=runs, queue_timeout=Duration.minutes(minutes)))
    Template.from_stack(stack).has_resource_properties(
        "AWS::EMRServerless::Application",
        {"SchedulerConfiguration": {"MaxConcurrentRuns": {"Ref": "Runs"}, "QueueTimeoutMinutes": {"Ref": "Minutes"}}},
    )
