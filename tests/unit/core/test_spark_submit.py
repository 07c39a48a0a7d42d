"""One spark-submit builder: an EMR on EC2 ``Step.spark_submit`` and a portable ``SparkJob`` rendered for EMR on EC2
produce the same command for the same job."""

from __future__ import annotations

from emr_constructs.cluster.steps import ActionOnFailure, DeployMode, Step
from emr_constructs.core import spark
from emr_constructs.jobs.spec import ACTIONS_ON_FAILURE, SparkJob


def test_step_and_spark_job_build_the_same_command() -> None:
    # Given the same job described both ways
    conf = {"spark.executor.memory": "4g", "spark.sql.shuffle.partitions": "64"}
    step = Step.spark_submit(
        name="etl",
        entry_point="s3://bucket/jobs/etl.py",
        args=["--day", "2024-01-01"],
        spark_conf=conf,
        main_class="org.example.Main",
        py_files=["s3://bucket/lib.zip"],
    )
    job = SparkJob(
        name="etl",
        entry_point="s3://bucket/jobs/etl.py",
        arguments=["--day", "2024-01-01"],
        conf=conf,
        main_class="org.example.Main",
        py_files=["s3://bucket/lib.zip"],
    )
    # Then both are command-runner.jar steps with the same arguments
    rendered = job.to_emr_step()
    assert rendered["HadoopJarStep"] == {"Jar": step.jar, "Args": list(step.args)}
    assert step.jar == spark.COMMAND_RUNNER_JAR


def test_the_command_has_spark_submits_order() -> None:
    # spark-submit reads options before the application; everything after the entry point is the job's.
    params = spark.spark_submit_parameters(main_class="M", py_files=["a", "b"], archives=["c#env"], conf={"k": "v"})
    assert params == ["--class", "M", "--py-files", "a,b", "--archives", "c#env", "--conf", "k=v"]
    command = spark.spark_submit_command("s3://b/x.py", ["--flag"], deploy_mode=DeployMode.CLIENT, parameters=params)
    assert command == ["spark-submit", "--deploy-mode", "client", *params, "s3://b/x.py", "--flag"]


def test_actions_on_failure_are_one_list() -> None:
    assert ACTIONS_ON_FAILURE == tuple(action.value for action in ActionOnFailure)
    assert ActionOnFailure is spark.ActionOnFailure
