"""SparkJob renders to each runtime's API request; botocore's service models validate the shapes."""

from __future__ import annotations

import shlex

import botocore.session
import pytest
from botocore.validate import ParamValidator

from emr_constructs.jobs import SparkJob

ROLE = "arn:aws:iam::123456789012:role/JobRole"
WORDCOUNT = SparkJob(
    name="wordcount",
    entry_point="s3://my-data/scripts/wordcount.py",
    arguments=["s3://my-data/output/wordcount/"],
    driver_cores=1,
    driver_memory="4g",
    executor_cores=1,
    executor_memory="4g",
    executor_instances=1,
    conf={"spark.dynamicAllocation.enabled": "false"},
    py_files=["s3://my-data/scripts/lib.zip"],
    archives=["s3://my-data/envs/pyenv.tar.gz#environment"],
    runtime_role_arn=ROLE,
    log_uri="s3://my-logs/jobs/",
    tags={"team": "analytics"},
    timeout_minutes=60,
)


def validate(service: str, operation: str, params: dict) -> None:
    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    assert not report.has_errors(), report.generate_report()


def test_emr_step_is_command_runner_spark_submit() -> None:
    step = WORDCOUNT.to_emr_step()
    assert step["Name"] == "wordcount" and step["ActionOnFailure"] == "CONTINUE"
    assert step["HadoopJarStep"]["Jar"] == "command-runner.jar"
    assert step["HadoopJarStep"]["Args"] == [
        "spark-submit",
        "--deploy-mode",
        "cluster",
        "--py-files",
        "s3://my-data/scripts/lib.zip",
        "--archives",
        "s3://my-data/envs/pyenv.tar.gz#environment",
        "--conf",
        "spark.driver.cores=1",
        "--conf",
        "spark.driver.memory=4g",
        "--conf",
        "spark.executor.cores=1",
        "--conf",
        "spark.executor.memory=4g",
        "--conf",
        "spark.executor.instances=1",
        "--conf",
        "spark.dynamicAllocation.enabled=false",
        "s3://my-data/scripts/wordcount.py",
        "s3://my-data/output/wordcount/",
    ]
    request = WORDCOUNT.to_emr_add_steps("j-2AXXXXXXGAPLF")
    assert request["ExecutionRoleArn"] == ROLE
    validate("emr", "AddJobFlowSteps", request)


def test_serverless_start_job_run() -> None:
    request = WORDCOUNT.to_serverless_start_job_run("00f6b0eou5biqd0l")
    assert request["applicationId"] == "00f6b0eou5biqd0l" and request["executionRoleArn"] == ROLE
    driver = request["jobDriver"]["sparkSubmit"]
    assert driver["entryPoint"] == "s3://my-data/scripts/wordcount.py"
    assert driver["entryPointArguments"] == ["s3://my-data/output/wordcount/"]
    params = shlex.split(driver["sparkSubmitParameters"])
    assert "spark.executor.memory=4g" in params and "spark.executor.instances=1" in params
    assert request["configurationOverrides"] == {
        "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": "s3://my-logs/jobs/"}}
    }
    assert request["tags"] == {"team": "analytics"} and request["executionTimeoutMinutes"] == 60
    validate("emr-serverless", "StartJobRun", {**request, "clientToken": "t"})  # boto3 fills idempotency tokens


def test_eks_start_job_run_with_pod_templates_and_monitoring() -> None:
    request = WORDCOUNT.to_eks_start_job_run(
        "abcdefghijklmno1234567890",
        "emr-7.10.0-latest",
        driver_pod_template="s3://my-data/artifacts/pod-templates/driver.yaml",
        executor_pod_template="s3://my-data/artifacts/pod-templates/executor.yaml",
        log_group_name="/emr/jobs",
    )
    assert request["releaseLabel"] == "emr-7.10.0-latest"
    params = shlex.split(request["jobDriver"]["sparkSubmitJobDriver"]["sparkSubmitParameters"])
    assert "spark.kubernetes.driver.podTemplateFile=s3://my-data/artifacts/pod-templates/driver.yaml" in params
    monitoring = request["configurationOverrides"]["monitoringConfiguration"]
    assert monitoring == {
        "s3MonitoringConfiguration": {"logUri": "s3://my-logs/jobs/"},
        "cloudWatchMonitoringConfiguration": {"logGroupName": "/emr/jobs"},
    }
    validate("emr-containers", "StartJobRun", {**request, "clientToken": "t"})


def test_minimal_job_renders_without_optional_fields() -> None:
    job = SparkJob(name="min", entry_point="s3://bkt/app.jar", main_class="com.example.Main", runtime_role_arn=ROLE)
    request = job.to_serverless_start_job_run("app1")
    assert request["jobDriver"]["sparkSubmit"] == {
        "entryPoint": "s3://bkt/app.jar",
        "sparkSubmitParameters": "--class com.example.Main",
    }
    assert "configurationOverrides" not in request
    validate("emr-serverless", "StartJobRun", {**request, "clientToken": "t"})


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"entry_point": "/home/me/job.py"}, r"entry_point: got '/home/me/job.py'; must be an s3:// URI"),
        ({"executor_memory": "4 GB"}, r"executor_memory: got '4 GB'; must be a Spark memory size"),
        ({"executor_instances": 0}, r"executor_instances: got 0; must be a positive integer"),
        ({"py_files": ["lib.zip"]}, r"py_files\[0\]: got 'lib.zip'; must be an s3:// URI"),
        ({"action_on_failure": "IGNORE"}, r"action_on_failure: got 'IGNORE'; allowed values: CONTINUE"),
        ({"name": ""}, r"name: got ''; must be 1-256 characters"),
    ],
)
def test_bad_specs(props: dict, message: str) -> None:
    base = {"name": "job", "entry_point": "s3://bkt/job.py"}
    with pytest.raises(ValueError, match=message):
        SparkJob(**{**base, **props})


def test_serverless_and_eks_need_a_role() -> None:
    job = SparkJob(name="job", entry_point="s3://bkt/job.py")
    with pytest.raises(ValueError, match=r"runtime_role_arn: got None; EMR Serverless jobs need a runtime role"):
        job.to_serverless_start_job_run("app")
    with pytest.raises(ValueError, match=r"runtime_role_arn: got None; EMR on EKS jobs need an execution role"):
        job.to_eks_start_job_run("vc", "emr-7.10.0-latest")


def test_spec_module_does_not_import_aws_cdk() -> None:
    import subprocess
    import sys

    code = "import sys, emr_constructs.jobs.spec; print('aws_cdk' in sys.modules, 'jsii' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
