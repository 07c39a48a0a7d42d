"""The README example for Airflow DAGs (``<!-- example: airflow -->``), run until the README carries it.

The lead adds ``EXAMPLE`` below to README.md as the ``airflow`` example and ``"airflow": check_airflow`` to
``tests/examples/test_readme_examples.py`` ``CHECKS``; this test keeps the text and the check honest meanwhile.
"""

from __future__ import annotations

from tests.examples.test_readme_examples import _run, check_airflow

EXAMPLE = """\
from emr_constructs import (
    AirflowDagOptions, SparkJob, ec2_airflow_dag, eks_airflow_dag, serverless_airflow_dag,
)

job = SparkJob(
    name="daily-etl",
    entry_point="s3://my-bucket/jobs/etl.py",
    arguments=["--day", "{{ ds }}"],           # Airflow renders Jinja in job_driver / steps
    runtime_role_arn="arn:aws:iam::111122223333:role/etl",
    log_uri="s3://my-bucket/logs/",
    timeout_minutes=60,                        # task execution_timeout, waiter budget, Serverless executionTimeoutMinutes
)
options = AirflowDagOptions(schedule="@daily")

serverless_dag = serverless_airflow_dag(job, "{{ var.value.emr_application_id }}", options)
ec2_dag = ec2_airflow_dag(job, "{{ var.value.emr_cluster_id }}", options)
eks_dag = eks_airflow_dag(job, "{{ var.value.emr_virtual_cluster_id }}", "emr-7.5.0-latest", options)

# Commit one of them next to your other DAGs, e.g.
# pathlib.Path("dags/daily_etl.py").write_text(serverless_dag)
"""


def test_the_airflow_example_runs_and_does_what_the_readme_says() -> None:
    check_airflow(_run(EXAMPLE))
