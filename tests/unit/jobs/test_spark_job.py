"""SparkJob renders to each runtime's API request; botocore's service models validate the shapes."""

from __future__ import annotations

import dataclasses
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


# ---- python_dependencies (emrctl package) -------------------------------------------------------------------------
# The archive is unpacked as ./deps beside the driver and each executor and put on PYTHONPATH; the runtime's python3
# stays. Property names:
# - EMR Serverless driver env spark.emr-serverless.driverEnv.<NAME>, executors spark.executorEnv.<NAME>:
#   https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-java-runtime.html
# - Kubernetes driver env spark.kubernetes.driverEnv.<NAME>:
#   https://spark.apache.org/docs/latest/running-on-kubernetes.html#spark-properties
# - YARN cluster-mode driver (application master) env spark.yarn.appMasterEnv.<NAME>:
#   https://spark.apache.org/docs/latest/running-on-yarn.html#spark-properties
# - spark.archives / spark.executorEnv.<NAME>: https://spark.apache.org/docs/latest/configuration.html

DEPS = "s3://my-data/scripts/etl/python-deps.tar.gz"
DEPS_JOB = SparkJob(name="etl", entry_point="s3://my-data/scripts/etl/etl.py", runtime_role_arn=ROLE)


def _confs(params: list[str]) -> dict[str, str]:
    pairs = [params[i + 1] for i, p in enumerate(params) if p == "--conf"]
    return dict(pair.split("=", 1) for pair in pairs)  # type: ignore[misc]


def _flag(params: list[str], flag: str) -> str | None:
    return params[params.index(flag) + 1] if flag in params else None


def test_serverless_unpacks_the_dependencies_with_spark_archives_and_sets_pythonpath() -> None:
    request = dataclasses.replace(DEPS_JOB, python_dependencies=DEPS).to_serverless_start_job_run("app")
    params = shlex.split(request["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"])
    confs = _confs(params)
    assert confs["spark.archives"] == f"{DEPS}#deps"
    assert confs["spark.emr-serverless.driverEnv.PYTHONPATH"] == "./deps"
    assert confs["spark.executorEnv.PYTHONPATH"] == "./deps"
    assert not any(key.endswith(("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")) for key in confs)  # python3 stays
    validate("emr-serverless", "StartJobRun", {**request, "clientToken": "t"})


def test_eks_uses_the_kubernetes_driver_env() -> None:
    job = dataclasses.replace(DEPS_JOB, python_dependencies=DEPS)
    request = job.to_eks_start_job_run("vc", "emr-7.5.0-latest")
    confs = _confs(shlex.split(request["jobDriver"]["sparkSubmitJobDriver"]["sparkSubmitParameters"]))
    assert confs["spark.archives"] == f"{DEPS}#deps"
    assert confs["spark.kubernetes.driverEnv.PYTHONPATH"] == "./deps"
    assert confs["spark.executorEnv.PYTHONPATH"] == "./deps"
    assert "spark.emr-serverless.driverEnv.PYTHONPATH" not in confs
    validate("emr-containers", "StartJobRun", {**request, "clientToken": "t"})


def test_ec2_cluster_mode_uses_archives_and_the_application_master_env() -> None:
    args = dataclasses.replace(DEPS_JOB, python_dependencies=DEPS).to_emr_step()["HadoopJarStep"]["Args"]
    assert args[:3] == ["spark-submit", "--deploy-mode", "cluster"]
    assert _flag(args, "--archives") == f"{DEPS}#deps"
    confs = _confs(args)
    assert confs["spark.yarn.appMasterEnv.PYTHONPATH"] == "./deps"
    assert confs["spark.executorEnv.PYTHONPATH"] == "./deps"
    assert "spark.archives" not in confs


def test_ec2_client_mode_is_refused() -> None:
    with pytest.raises(ValueError, match=r"python_dependencies: .* needs deploy_mode 'cluster'"):
        dataclasses.replace(DEPS_JOB, python_dependencies=DEPS).to_emr_step("client")


@pytest.mark.parametrize("render", ["serverless", "eks", "ec2"])
def test_the_users_archives_and_pythonpath_are_kept(render: str) -> None:
    # Given a job with its own archives list and PYTHONPATH entries, Then ours join them, never replace them.
    driver_env = {
        "serverless": "spark.emr-serverless.driverEnv",
        "eks": "spark.kubernetes.driverEnv",
        "ec2": "spark.yarn.appMasterEnv",
    }[render]
    job = dataclasses.replace(
        DEPS_JOB,
        python_dependencies=DEPS,
        archives=["s3://my-data/models/model.tar.gz#model"],
        conf={f"{driver_env}.PYTHONPATH": "/opt/lib", "spark.executorEnv.PYTHONPATH": "/opt/lib"},
    )
    params = job.spark_submit_parameters(runtime=render)
    # spark-submit's --archives wins over spark.archives, so ours joins the list the job already has.
    assert _flag(params, "--archives") == f"s3://my-data/models/model.tar.gz#model,{DEPS}#deps"
    confs = _confs(params)
    assert "spark.archives" not in confs
    assert confs[f"{driver_env}.PYTHONPATH"] == "/opt/lib:./deps"
    assert confs["spark.executorEnv.PYTHONPATH"] == "/opt/lib:./deps"


def test_a_spark_archives_conf_is_extended() -> None:
    job = dataclasses.replace(DEPS_JOB, python_dependencies=DEPS, conf={"spark.archives": "s3://b/x.zip#x"})
    for render in ("serverless", "ec2"):
        params = job.spark_submit_parameters(runtime=render)
        assert _confs(params)["spark.archives"] == f"s3://b/x.zip#x,{DEPS}#deps"
        assert "--archives" not in params


def test_the_archive_is_added_once() -> None:
    job = dataclasses.replace(DEPS_JOB, python_dependencies=DEPS, archives=[f"{DEPS}#deps"])
    assert _flag(job.spark_submit_parameters(runtime="eks"), "--archives") == f"{DEPS}#deps"


def test_rendering_without_a_runtime_is_refused_only_with_dependencies() -> None:
    assert DEPS_JOB.spark_submit_parameters() == []
    with pytest.raises(ValueError, match=r"python_dependencies: .* rendering needs the runtime"):
        dataclasses.replace(DEPS_JOB, python_dependencies=DEPS).spark_submit_parameters()


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"python_dependencies": "deps.tar.gz"}, r"python_dependencies: got 'deps.tar.gz'; must be an s3:// URI"),
        ({"python_dependencies": f"{DEPS}#env"}, r"python_dependencies: .* without '#alias'"),
        ({"python_dependencies": "s3://bkt/deps.whl"}, r"python_dependencies: .* must be an archive: .tar.gz"),
        ({"python_dependencies": ["s3://b/d.zip"]}, r"python_dependencies"),
        (
            {"python_dependencies": DEPS, "archives": ["s3://bkt/other.zip#deps"]},
            r"archives\[0\]: got 's3://bkt/other.zip#deps'; unpacks as 'deps'",
        ),
        (
            {"python_dependencies": DEPS, "conf": {"spark.archives": "s3://bkt/other.zip#deps"}},
            r"conf\['spark.archives'\]: .* unpacks as 'deps'",
        ),
    ],
)
def test_bad_python_dependencies(props: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        SparkJob(name="job", entry_point="s3://bkt/job.py", **props)


def test_a_token_python_dependencies_passes() -> None:
    token = "s3://${Token[TOKEN.123]}/deps"
    job = dataclasses.replace(DEPS_JOB, python_dependencies=token)
    assert _confs(job.spark_submit_parameters(runtime="serverless"))["spark.archives"] == f"{token}#deps"
