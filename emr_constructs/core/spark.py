"""spark-submit arguments, built once for every runtime: EMR on EC2 steps (``command-runner.jar spark-submit ...``),
EMR Serverless and EMR on EKS ``sparkSubmitParameters``, and the Step Functions pipeline.

See: https://spark.apache.org/docs/latest/submitting-applications.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

COMMAND_RUNNER_JAR = "command-runner.jar"
"""The JAR on every EMR on EC2 node that runs a command such as ``spark-submit`` as a step."""
DRIVER_POD_TEMPLATE_CONF = "spark.kubernetes.driver.podTemplateFile"
EXECUTOR_POD_TEMPLATE_CONF = "spark.kubernetes.executor.podTemplateFile"
"""The Spark properties naming the driver / executor pod template file (EMR on EKS).
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html"""


class ActionOnFailure(Enum):
    """What EMR does when a step fails. Default for steps: ``CONTINUE``."""

    CONTINUE = "CONTINUE"
    CANCEL_AND_WAIT = "CANCEL_AND_WAIT"
    TERMINATE_CLUSTER = "TERMINATE_CLUSTER"


class DeployMode(Enum):
    """Where spark-submit runs the driver: on the cluster (default) or in the client that submits."""

    CLUSTER = "cluster"
    CLIENT = "client"


def spark_submit_parameters(
    *,
    main_class: str | None = None,
    py_files: Sequence[str] = (),
    archives: Sequence[str] = (),
    conf: Mapping[str, str] | None = None,
) -> list[str]:
    """``--class``, ``--py-files``, ``--archives`` and ``--conf k=v`` arguments, in that order; empty ones are left
    out."""
    params: list[str] = []
    if main_class:
        params += ["--class", main_class]
    if py_files:
        params += ["--py-files", ",".join(py_files)]
    if archives:
        params += ["--archives", ",".join(archives)]
    for key, value in (conf or {}).items():
        params += ["--conf", f"{key}={value}"]
    return params


def spark_submit_command(
    entry_point: str,
    arguments: Sequence[str] = (),
    *,
    deploy_mode: DeployMode = DeployMode.CLUSTER,
    parameters: Sequence[str] = (),
) -> list[str]:
    """``spark-submit --deploy-mode <mode> <parameters> <entry point> <arguments>``: the arguments of a
    ``command-runner.jar`` step; build ``parameters`` with ``spark_submit_parameters``."""
    return ["spark-submit", "--deploy-mode", deploy_mode.value, *parameters, entry_point, *arguments]


PYTHON_DEPENDENCIES_ALIAS = "deps"
"""The directory a Python dependency archive (``SparkJob.python_dependencies``) is unpacked into, in the working
directory of the driver and of every executor (``<uri>#deps``)."""
ARCHIVES_CONF = "spark.archives"
"""Archives unpacked into each executor's (and, on Kubernetes and YARN cluster mode, the driver's) working directory
(Spark 3.1+). ``--archives`` on the command line wins over it.
See: https://spark.apache.org/docs/latest/configuration.html#runtime-environment"""
EXECUTOR_ENV_PREFIX = "spark.executorEnv."
"""``spark.executorEnv.[EnvironmentVariableName]``: an environment variable of the executor processes.
See: https://spark.apache.org/docs/latest/configuration.html#runtime-environment"""
DRIVER_ENV_PREFIX = {
    "serverless": "spark.emr-serverless.driverEnv.",
    "eks": "spark.kubernetes.driverEnv.",
    "ec2": "spark.yarn.appMasterEnv.",
}
"""Per runtime, the prefix of the Spark property that sets an environment variable of the driver:

- EMR Serverless ``spark.emr-serverless.driverEnv.[Name]`` (with ``spark.executorEnv.[Name]`` for executors).
  See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-java-runtime.html
- EMR on EKS (Spark on Kubernetes) ``spark.kubernetes.driverEnv.[EnvironmentVariableName]``.
  See: https://spark.apache.org/docs/latest/running-on-kubernetes.html#spark-properties
- EMR on EC2 steps (YARN cluster mode: the driver runs in the application master)
  ``spark.yarn.appMasterEnv.[EnvironmentVariableName]``.
  See: https://spark.apache.org/docs/latest/running-on-yarn.html#spark-properties
"""
