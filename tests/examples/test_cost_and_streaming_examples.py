"""The README examples of issue 11's cost and streaming features (``<!-- example: budget -->`` and
``<!-- example: streaming -->``), run here until the README carries them; then ``check_budget`` and
``check_streaming`` join ``CHECKS`` in test_readme_examples.py and these copies go.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Match, Template

BUDGET_EXAMPLE = """\
from aws_cdk import App, Stack

from emr_constructs import AlarmTopic, ApplicationBudget, EmrServerlessApplication

app = App()
stack = Stack(app, "Costs")
# Every resource of the application carries application=sales-etl and cost-center=analytics
spark = EmrServerlessApplication(stack, "Spark", application_tag="sales-etl", cost_center="analytics")
alerts = AlarmTopic(stack, "Alerts")  # encrypted; the budget adds Budgets' topic and key statements
budget = ApplicationBudget(
    stack,
    "Budget",
    application="sales-etl",  # filters the budget by TagKeyValue user:application$sales-etl
    cost_center="analytics",
    monthly_limit=500,  # USD per calendar month
    topic=alerts.topic,  # alerts at 80 % and 100 % actual, 100 % forecasted
)
"""

STREAMING_EXAMPLE = """\
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_kinesis as kinesis

from emr_constructs import (
    EmrServerlessApplication,
    JobRuntimeRole,
    RuntimeRoleTrust,
    SchedulerConfiguration,
    SecureBucket,
)
from emr_constructs.jobs import SparkJob

app = App()
stack = Stack(app, "Streaming")
data = SecureBucket(stack, "Data")
clicks = kinesis.Stream(stack, "Clicks", encryption=kinesis.StreamEncryption.KMS)
# emr-7.0.0+: at most 4 job runs at once, the others wait up to 30 minutes in the queue
spark = EmrServerlessApplication(
    stack, "Streams", scheduler=SchedulerConfiguration(max_concurrent_runs=4, queue_timeout=Duration.minutes(30))
)
role = JobRuntimeRole(stack, "StreamJob", trust=RuntimeRoleTrust.serverless(stack))
role.grant_read_kinesis_stream(clicks)  # consumer actions on the stream, kms:Decrypt on its key
role.grant_msk_topic_read(  # an MSK cluster with IAM access control
    "arn:aws:kafka:eu-west-1:123456789012:cluster/events/0a1b2c3d-4e5f-6789-abcd-ef0123456789-2",
    topic="orders",
    group="spark-kafka-source*",  # the consumer groups Spark's Kafka source names itself
)
role.grant_read(data.bucket, "scripts/")
role.grant_read_write(data.bucket, "checkpoints/orders/")  # offsets and state survive a restart
role.grant_read_write(data.bucket, "curated/orders/")

job = SparkJob(
    name="orders-stream",
    entry_point=f"s3://{data.bucket_name}/scripts/orders_stream.py",
    arguments=["--topic", "orders", "--output", f"s3://{data.bucket_name}/curated/orders/"],
    conf={"spark.sql.streaming.checkpointLocation": f"s3://{data.bucket_name}/checkpoints/orders/"},
    runtime_role_arn=role.role_arn,
)
request = job.to_serverless_start_job_run(spark.application_id)  # boto3 emr-serverless start_job_run(**request)
"""


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def check_budget(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (budget,) = template.find_resources("AWS::Budgets::Budget").values()
    props = budget["Properties"]
    assert props["Budget"]["CostFilters"] == {"TagKeyValue": ["user:application$sales-etl"]}
    assert props["Budget"]["BudgetLimit"] == {"Amount": 500, "Unit": "USD"}
    assert [n["Notification"]["Threshold"] for n in props["NotificationsWithSubscribers"]] == [80, 100, 100]
    budgets = Match.object_like({"Principal": {"Service": "budgets.amazonaws.com"}})
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([budgets])}}
    )
    template.has_resource_properties("AWS::KMS::Key", {"KeyPolicy": {"Statement": Match.array_with([budgets])}})
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {"Tags": Match.array_with([{"Key": "application", "Value": "sales-etl"}])},
    )


def check_streaming(ns: dict[str, Any]) -> None:
    stack: Stack = ns["stack"]
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {"SchedulerConfiguration": {"MaxConcurrentRuns": 4, "QueueTimeoutMinutes": 30}},
    )
    actions = str(template.find_resources("AWS::IAM::ManagedPolicy"))
    for action in ("kinesis:GetRecords", "kms:Decrypt", "kafka-cluster:ReadData", "kafka-cluster:AlterGroup"):
        assert action in actions
    params = ns["request"]["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"]
    assert "spark.sql.streaming.checkpointLocation=s3://" in params and "/checkpoints/orders/" in params
    assert ns["request"]["executionRoleArn"] == ns["role"].role_arn


@pytest.mark.parametrize(("code", "check"), [(BUDGET_EXAMPLE, check_budget), (STREAMING_EXAMPLE, check_streaming)])
def test_example(code: str, check: Any) -> None:
    check(_run(code))
