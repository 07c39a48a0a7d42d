"""Airflow DAGs generated from a SparkJob: parsed with ``ast`` (no Airflow install), so the imports, the operator
classes and their keyword arguments are checked against the provider's operators, and the request bodies against
SparkJob's own renderers.

Operator names and arguments as apache-airflow-providers-amazon defines them
(providers/amazon/src/airflow/providers/amazon/aws/operators/emr.py and sensors/emr.py in apache/airflow):
``EmrServerlessStartJobOperator(application_id, execution_role_arn, job_driver, configuration_overrides, config,
wait_for_completion, name, waiter_max_attempts, waiter_delay, cancel_on_kill)``, ``EmrAddStepsOperator(job_flow_id,
steps, wait_for_completion, execution_role_arn)`` (returns the step ids), ``EmrStepSensor(job_flow_id, step_id)``,
``EmrContainerOperator(name, virtual_cluster_id, execution_role_arn, release_label, job_driver,
configuration_overrides, wait_for_completion, poll_interval, tags, max_polling_attempts, cancel_on_kill)``.
See: https://airflow.apache.org/docs/apache-airflow-providers-amazon/stable/operators/emr/index.html
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import pytest

from emr_constructs.jobs.airflow import AirflowDagOptions, ec2_airflow_dag, eks_airflow_dag, serverless_airflow_dag
from emr_constructs.jobs.spec import SparkJob

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "airflow_serverless_dag.py.txt"
ROLE = "arn:aws:iam::111122223333:role/etl"
OPERATORS = "airflow.providers.amazon.aws.operators.emr"
SENSORS = "airflow.providers.amazon.aws.sensors.emr"
# The keyword arguments each operator's __init__ accepts (its own, plus BaseOperator/BaseSensorOperator's task_id,
# execution_timeout, timeout, poke_interval and AwsBaseOperator's aws_conn_id), from the provider source above.
ACCEPTED = {
    "EmrServerlessStartJobOperator": {
        "application_id",
        "execution_role_arn",
        "job_driver",
        "configuration_overrides",
        "client_request_token",
        "config",
        "wait_for_completion",
        "name",
        "waiter_max_attempts",
        "waiter_delay",
        "deferrable",
        "enable_application_ui_links",
        "cancel_on_kill",
    },
    "EmrAddStepsOperator": {
        "job_flow_id",
        "job_flow_name",
        "cluster_states",
        "steps",
        "wait_for_completion",
        "waiter_delay",
        "waiter_max_attempts",
        "execution_role_arn",
        "deferrable",
    },
    "EmrStepSensor": {"job_flow_id", "step_id", "target_states", "failed_states", "max_attempts", "deferrable"},
    "EmrContainerOperator": {
        "name",
        "virtual_cluster_id",
        "execution_role_arn",
        "release_label",
        "job_driver",
        "configuration_overrides",
        "client_request_token",
        "wait_for_completion",
        "poll_interval",
        "tags",
        "max_polling_attempts",
        "job_retry_max_attempts",
        "deferrable",
        "cancel_on_kill",
    },
}
BASE = {"task_id", "aws_conn_id", "execution_timeout", "timeout", "poke_interval"}


@pytest.fixture(scope="module")
def job() -> SparkJob:
    return SparkJob(
        name="daily-etl",
        entry_point="s3://my-bucket/jobs/etl.py",
        arguments=["--day", "{{ ds }}"],
        executor_memory="4g",
        runtime_role_arn=ROLE,
        log_uri="s3://my-bucket/logs/",
        tags={"team": "analytics"},
        timeout_minutes=90,
    )


def _calls(source: str) -> dict[str, dict[str, ast.expr]]:
    """Operator class name -> its keyword arguments (as expressions), for every call in the DAG."""
    calls = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ACCEPTED:
            calls[node.func.id] = {k.arg: k.value for k in node.keywords if k.arg}
    return calls


def _values(call: dict[str, ast.expr]) -> dict[str, Any]:
    """The literal keyword arguments (``execution_timeout=timedelta(...)`` is checked separately)."""
    return {k: ast.literal_eval(v) for k, v in call.items() if k != "execution_timeout"}


def _imports(source: str) -> set[tuple[str, str]]:
    return {
        (node.module or "", alias.name)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def _timeout_minutes(call: dict[str, ast.expr]) -> int:
    expr = call["execution_timeout"]
    assert isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "timedelta"
    (minutes,) = expr.keywords
    assert minutes.arg == "minutes"
    value = ast.literal_eval(minutes.value)
    assert isinstance(value, int)
    return value


@pytest.mark.parametrize("render", ["serverless", "ec2", "eks"])
def test_every_dag_compiles_and_uses_only_arguments_the_operators_accept(job: SparkJob, render: str) -> None:
    source = {
        "serverless": lambda: serverless_airflow_dag(job, "00fabcdexample"),
        "ec2": lambda: ec2_airflow_dag(job, "j-EXAMPLE"),
        "eks": lambda: eks_airflow_dag(job, "vc0example", "emr-7.5.0-latest"),
    }[render]()
    compile(source, f"{render}_dag.py", "exec")
    assert ("airflow", "DAG") in _imports(source)
    for operator, kwargs in _calls(source).items():
        assert set(kwargs) <= ACCEPTED[operator] | BASE, operator


def test_serverless_dag_submits_the_renderers_request(job: SparkJob) -> None:
    source = serverless_airflow_dag(job, "00fabcdexample")
    assert (OPERATORS, "EmrServerlessStartJobOperator") in _imports(source)
    call = _calls(source)["EmrServerlessStartJobOperator"]
    args = _values(call)
    request = job.to_serverless_start_job_run("00fabcdexample")
    assert args["job_driver"] == request["jobDriver"]
    assert args["configuration_overrides"] == request["configurationOverrides"]
    assert (args["application_id"], args["execution_role_arn"], args["name"]) == ("00fabcdexample", ROLE, "daily-etl")
    # tags and the service-side timeout reach StartJobRun through ``config`` (extra start_job_run parameters)
    assert args["config"] == {"tags": {"team": "analytics"}, "executionTimeoutMinutes": 90}
    assert args["wait_for_completion"] is True and args["cancel_on_kill"] is True
    assert args["waiter_delay"] * args["waiter_max_attempts"] == 90 * 60
    assert _timeout_minutes(call) == 90


def test_ec2_dag_adds_the_renderers_step_and_waits_for_it(job: SparkJob) -> None:
    source = ec2_airflow_dag(job, "j-EXAMPLE", AirflowDagOptions(timeout_minutes=30, poll_seconds=15))
    assert {(OPERATORS, "EmrAddStepsOperator"), (SENSORS, "EmrStepSensor")} <= _imports(source)
    calls = _calls(source)
    add, wait = _values(calls["EmrAddStepsOperator"]), _values(calls["EmrStepSensor"])
    assert add["steps"] == [job.to_emr_step()]
    assert add["job_flow_id"] == wait["job_flow_id"] == "j-EXAMPLE"
    assert add["execution_role_arn"] == ROLE  # the runtime role (AddJobFlowSteps ExecutionRoleArn)
    # EmrAddStepsOperator returns the new step ids (XCom return_value); the sensor waits for the first
    assert wait["step_id"] == "{{ task_instance.xcom_pull(task_ids='add_step')[0] }}"
    assert (wait["poke_interval"], wait["timeout"]) == (15, 30 * 60)
    assert _timeout_minutes(calls["EmrStepSensor"]) == 30
    tree = ast.parse(source)
    edges = [n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.RShift)]
    assert [(ast.unparse(e.left), ast.unparse(e.right)) for e in edges] == [("add_step", "wait_for_step")]


def test_eks_dag_submits_the_renderers_request(job: SparkJob) -> None:
    source = eks_airflow_dag(
        job, "vc0example", "emr-7.5.0-latest", log_group_name="/emr/eks", driver_pod_template="s3://my-bucket/d.yaml"
    )
    assert (OPERATORS, "EmrContainerOperator") in _imports(source)
    call = _calls(source)["EmrContainerOperator"]
    args = _values(call)
    request = job.to_eks_start_job_run(
        "vc0example", "emr-7.5.0-latest", log_group_name="/emr/eks", driver_pod_template="s3://my-bucket/d.yaml"
    )
    assert args["job_driver"] == request["jobDriver"]
    assert args["configuration_overrides"] == request["configurationOverrides"]
    assert (args["virtual_cluster_id"], args["release_label"]) == ("vc0example", "emr-7.5.0-latest")
    assert args["tags"] == {"team": "analytics"} and args["cancel_on_kill"] is True
    assert args["poll_interval"] * args["max_polling_attempts"] == 90 * 60
    assert _timeout_minutes(call) == 90


def test_dag_options_reach_the_dag(job: SparkJob) -> None:
    options = AirflowDagOptions(dag_id="etl.daily", schedule="@daily", start_date="2025-06-01", retries=2)
    source = serverless_airflow_dag(job, "00fabcdexample", options)
    (dag,) = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and ast.unparse(n.func) == "DAG"]
    kwargs = {k.arg: k.value for k in dag.keywords}
    assert ast.literal_eval(kwargs["dag_id"]) == "etl.daily"
    assert ast.literal_eval(kwargs["schedule"]) == "@daily"
    assert ast.unparse(kwargs["start_date"]) == "datetime(2025, 6, 1, tzinfo=timezone.utc)"
    assert ast.literal_eval(kwargs["catchup"]) is False
    assert ast.literal_eval(kwargs["default_args"]) == {"retries": 2}


def test_the_default_timeout_is_two_hours() -> None:
    job = SparkJob(name="no timeout", entry_point="s3://my-bucket/a.py", runtime_role_arn=ROLE)
    source = eks_airflow_dag(job, "vc0example", "emr-7.5.0-latest")
    call = _calls(source)["EmrContainerOperator"]
    assert _timeout_minutes(call) == 120
    dag = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and ast.unparse(n.func) == "DAG")
    assert ast.literal_eval(next(k.value for k in dag.keywords if k.arg == "dag_id")) == "no_timeout"


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        ("dag_id", "daily etl", "dag_id: .*letters, digits"),
        ("start_date", "2025/01/01", "start_date: .*YYYY-MM-DD"),
        ("poll_seconds", 0, "poll_seconds: .*positive"),
        ("timeout_minutes", -5, "timeout_minutes: .*positive"),
        ("retries", -1, "retries: .*non-negative"),
    ],
)
def test_bad_options_are_rejected(prop: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AirflowDagOptions(**{prop: value})


def test_serverless_needs_a_runtime_role() -> None:
    job = SparkJob(name="x", entry_point="s3://my-bucket/a.py")
    with pytest.raises(ValueError, match="runtime_role_arn"):
        serverless_airflow_dag(job, "00fabcdexample")


def test_the_serverless_dag_matches_its_snapshot(job: SparkJob) -> None:
    """The whole generated file. Update after an intended change with UPDATE_SNAPSHOTS=1."""
    actual = serverless_airflow_dag(job, "00fabcdexample", AirflowDagOptions(schedule="@daily"))
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (not SNAPSHOT.exists() and os.environ.get("CI") != "true"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(actual)
    assert actual == SNAPSHOT.read_text(), f"{SNAPSHOT} differs; review, then UPDATE_SNAPSHOTS=1"
