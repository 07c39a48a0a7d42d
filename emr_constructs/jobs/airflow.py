"""Apache Airflow DAGs generated from a ``SparkJob``: one DAG source file per runtime (pure Python, no aws_cdk).

The DAG uses the operators of ``apache-airflow-providers-amazon`` (``airflow.providers.amazon.aws.operators.emr``):

- EMR Serverless: ``EmrServerlessStartJobOperator`` (waits for the run; cancels it when the task is killed).
- EMR on EC2: ``EmrAddStepsOperator`` adds the step, ``EmrStepSensor`` waits for it (the step's
  ``ActionOnFailure`` applies; the provider has no cancel-on-kill for steps).
- EMR on EKS: ``EmrContainerOperator`` (waits for the run; cancels it when the task is killed).

The request bodies come from ``SparkJob``'s own renderers (``to_serverless_start_job_run``, ``to_emr_step``,
``to_eks_start_job_run``), so a DAG submits exactly what ``emrctl`` and ``SparkPipeline`` submit. The generated text
is a plain Python module to commit next to the other DAGs; regenerate it rather than editing it.
See: https://airflow.apache.org/docs/apache-airflow-providers-amazon/stable/operators/emr/index.html
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emr_constructs.core.validation import check_text, fail
from emr_constructs.jobs.spec import SparkJob

OPERATORS_MODULE = "airflow.providers.amazon.aws.operators.emr"
SENSORS_MODULE = "airflow.providers.amazon.aws.sensors.emr"
DEFAULT_TIMEOUT_MINUTES = 120
DEFAULT_POLL_SECONDS = 30
DEFAULT_START_DATE = "2025-01-01"
EC2_STEP_TASK = "add_step"


@dataclass(frozen=True, kw_only=True)
class AirflowDagOptions:
    """How the generated DAG is scheduled and how long its task may run.

    :param dag_id: the DAG id. Default: the job's name with characters Airflow rejects replaced by ``_``.
    :param schedule: a cron expression or preset such as ``"@daily"``. Default: none (triggered manually).
    :param start_date: ``YYYY-MM-DD``. Default: ``2025-01-01`` (with ``catchup=False``, no backfill).
    :param aws_conn_id: the Airflow connection for AWS credentials. Default: ``aws_default``.
    :param poll_seconds: seconds between status checks. Default: 30.
    :param timeout_minutes: how long the task may run before Airflow fails it (``execution_timeout``) and the
        operator stops waiting. Default: the job's ``timeout_minutes``, else 120.
    :param retries: task retries. Default: 0 (a retry submits a new run).
    :param tags: DAG tags. Default: ``emr`` and the runtime.
    """

    dag_id: str | None = None
    schedule: str | None = None
    start_date: str = DEFAULT_START_DATE
    aws_conn_id: str = "aws_default"
    poll_seconds: int = DEFAULT_POLL_SECONDS
    timeout_minutes: int | None = None
    retries: int = 0
    tags: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.dag_id is not None:
            check_text("dag_id", self.dag_id)
            if not all(c.isalnum() or c in "._-" for c in self.dag_id) or len(self.dag_id) > 250:
                # https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/dags.html (KEY_REGEX)
                raise fail("dag_id", self.dag_id, "must be 1-250 letters, digits, '.', '_' or '-'")
        parts = self.start_date.split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise fail("start_date", self.start_date, "must be YYYY-MM-DD")
        for prop in ("poll_seconds", "timeout_minutes"):
            value = getattr(self, prop)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise fail(prop, value, "must be a positive integer")
        if not isinstance(self.retries, int) or self.retries < 0:
            raise fail("retries", self.retries, "must be a non-negative integer")


def serverless_airflow_dag(job: SparkJob, application_id: str, options: AirflowDagOptions | None = None) -> str:
    """A DAG that runs ``job`` on the EMR Serverless application ``application_id`` (an id or a Jinja template
    such as ``"{{ var.value.emr_application_id }}"``)."""
    options = options or AirflowDagOptions()
    request = job.to_serverless_start_job_run(application_id)
    timeout = _timeout(job, options)
    config = {k: request[k] for k in ("tags", "executionTimeoutMinutes") if k in request}
    kwargs: dict[str, Any] = {
        "task_id": _task_id(job),
        "application_id": request["applicationId"],
        "execution_role_arn": request["executionRoleArn"],
        "name": request["name"],
        "job_driver": request["jobDriver"],
    }
    if "configurationOverrides" in request:
        kwargs["configuration_overrides"] = request["configurationOverrides"]
    if config:
        kwargs["config"] = config
    kwargs.update(
        wait_for_completion=True,
        waiter_delay=options.poll_seconds,
        waiter_max_attempts=_attempts(timeout, options),
        cancel_on_kill=True,
    )
    task = _call("EmrServerlessStartJobOperator", kwargs, options, timeout)
    return _module(job, options, "serverless", [f"from {OPERATORS_MODULE} import EmrServerlessStartJobOperator"], task)


def ec2_airflow_dag(
    job: SparkJob, cluster_id: str, options: AirflowDagOptions | None = None, *, deploy_mode: str = "cluster"
) -> str:
    """A DAG that adds ``job`` as a step to the EMR on EC2 cluster ``cluster_id`` and waits for the step."""
    options = options or AirflowDagOptions()
    timeout = _timeout(job, options)
    add: dict[str, Any] = {
        "task_id": EC2_STEP_TASK,
        "job_flow_id": cluster_id,
        "steps": [job.to_emr_step(deploy_mode)],
        "wait_for_completion": False,
    }
    if job.runtime_role_arn:
        add["execution_role_arn"] = job.runtime_role_arn
    wait: dict[str, Any] = {
        "task_id": "wait_for_step",
        "job_flow_id": cluster_id,
        "step_id": f"{{{{ task_instance.xcom_pull(task_ids={EC2_STEP_TASK!r})[0] }}}}",
        "poke_interval": options.poll_seconds,
        "timeout": timeout * 60,
    }
    tasks = (
        _call("EmrAddStepsOperator", add, options, None, "add_step")
        + "\n"
        + _call("EmrStepSensor", wait, options, timeout, "wait_for_step")
        + "\nadd_step >> wait_for_step\n"
    )
    imports = [f"from {OPERATORS_MODULE} import EmrAddStepsOperator", f"from {SENSORS_MODULE} import EmrStepSensor"]
    return _module(job, options, "ec2", imports, tasks)


def eks_airflow_dag(
    job: SparkJob,
    virtual_cluster_id: str,
    release_label: str,
    options: AirflowDagOptions | None = None,
    *,
    driver_pod_template: str | None = None,
    executor_pod_template: str | None = None,
    log_group_name: str | None = None,
) -> str:
    """A DAG that runs ``job`` on the EMR on EKS virtual cluster ``virtual_cluster_id``."""
    options = options or AirflowDagOptions()
    request = job.to_eks_start_job_run(
        virtual_cluster_id,
        release_label,
        driver_pod_template=driver_pod_template,
        executor_pod_template=executor_pod_template,
        log_group_name=log_group_name,
    )
    timeout = _timeout(job, options)
    kwargs: dict[str, Any] = {
        "task_id": _task_id(job),
        "name": request["name"],
        "virtual_cluster_id": request["virtualClusterId"],
        "execution_role_arn": request["executionRoleArn"],
        "release_label": request["releaseLabel"],
        "job_driver": request["jobDriver"],
    }
    if "configurationOverrides" in request:
        kwargs["configuration_overrides"] = request["configurationOverrides"]
    if "tags" in request:
        kwargs["tags"] = request["tags"]
    kwargs.update(
        wait_for_completion=True,
        poll_interval=options.poll_seconds,
        max_polling_attempts=_attempts(timeout, options),
        cancel_on_kill=True,
    )
    task = _call("EmrContainerOperator", kwargs, options, timeout)
    return _module(job, options, "eks", [f"from {OPERATORS_MODULE} import EmrContainerOperator"], task)


# ---- rendering ----------------------------------------------------------------------------------------------------


def _timeout(job: SparkJob, options: AirflowDagOptions) -> int:
    return options.timeout_minutes or job.timeout_minutes or DEFAULT_TIMEOUT_MINUTES


def _attempts(timeout_minutes: int, options: AirflowDagOptions) -> int:
    return math.ceil(timeout_minutes * 60 / options.poll_seconds)


def _identifier(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return cleaned[:250]


def _task_id(job: SparkJob) -> str:
    return "run_" + "".join(c if c.isalnum() else "_" for c in job.name.lower())[:200]


def _literal(value: Any, indent: str = "") -> str:
    """A Python literal of ``value``, one item per line (readable diffs; ``ast.literal_eval`` reads it back)."""
    inner = indent + "    "
    if isinstance(value, Mapping) and value:
        items = "".join(f"{inner}{k!r}: {_literal(v, inner)},\n" for k, v in value.items())
        return "{\n" + items + indent + "}"
    if isinstance(value, (list, tuple)) and value:
        items = "".join(f"{inner}{_literal(v, inner)},\n" for v in value)
        return "[\n" + items + indent + "]"
    return repr(value)


def _call(
    operator: str,
    kwargs: Mapping[str, Any],
    options: AirflowDagOptions,
    timeout_minutes: int | None,
    variable: str = "run",
) -> str:
    """``variable = Operator(k=v, ...)`` with the connection and, when given, ``execution_timeout``."""
    lines = [f"{variable} = {operator}("]
    args = {**kwargs, "aws_conn_id": options.aws_conn_id}
    for key, value in args.items():
        lines.append(f"    {key}={_literal(value, '    ')},")
    if timeout_minutes is not None:
        lines.append(f"    execution_timeout=timedelta(minutes={timeout_minutes}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def _module(job: SparkJob, options: AirflowDagOptions, runtime: str, imports: list[str], tasks: str) -> str:
    year, month, day = (int(p) for p in options.start_date.split("-"))
    dag_id = options.dag_id or _identifier(job.name)
    tags = list(options.tags) or ["emr", runtime]
    header = f'"""Airflow DAG for the Spark job {job.name!r} on EMR ({runtime}).\n\n' + (
        'Generated by emr_constructs.jobs.airflow from a SparkJob: regenerate it rather than editing it."""\n'
    )
    body = "\n".join(
        [
            "with DAG(",
            f"    dag_id={dag_id!r},",
            f"    schedule={options.schedule!r},",
            f"    start_date=datetime({year}, {month}, {day}, tzinfo=timezone.utc),",
            "    catchup=False,",
            "    max_active_runs=1,",
            f"    default_args={{'retries': {options.retries}}},",
            f"    tags={tags!r},",
            "):",
            textwrap.indent(tasks, "    ").rstrip(),
        ]
    )
    return "\n".join(
        [
            header,
            "from datetime import datetime, timedelta, timezone",
            "",
            "from airflow import DAG",
            *sorted(imports),
            "",
            body,
            "",
        ]
    )
