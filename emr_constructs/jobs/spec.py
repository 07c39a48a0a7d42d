"""``SparkJob``: one portable description of a Spark job, rendered for each EMR runtime's API.

Pure Python (no aws_cdk, no boto3): the ops CLI imports it and must start fast.

- EMR on EC2: an AddJobFlowSteps step (``command-runner.jar spark-submit ...``).
- EMR Serverless: a StartJobRun request (``jobDriver.sparkSubmit``, ``configurationOverrides`` with monitoring).
- EMR on EKS: a StartJobRun request (release label, ``jobDriver.sparkSubmitJobDriver``, pod templates, monitoring).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emr_constructs.core.releases import check_eks_release_label
from emr_constructs.core.spark import (
    ARCHIVES_CONF,
    COMMAND_RUNNER_JAR,
    DRIVER_ENV_PREFIX,
    DRIVER_POD_TEMPLATE_CONF,
    EXECUTOR_ENV_PREFIX,
    EXECUTOR_POD_TEMPLATE_CONF,
    PYTHON_DEPENDENCIES_ALIAS,
    ActionOnFailure,
    DeployMode,
    spark_submit_command,
    spark_submit_parameters,
)
from emr_constructs.core.tokens import contains_unresolved
from emr_constructs.core.validation import (
    check_int,
    check_mapping_of,
    check_sequence_of,
    check_spark_conf,
    check_spark_memory,
    check_text,
    check_type,
    fail,
    is_s3_uri,
)

ACTIONS_ON_FAILURE = tuple(action.value for action in ActionOnFailure)
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip", ".tar", ".jar")
"""The archives Spark unpacks (``spark.archives``).
See: https://spark.apache.org/docs/latest/configuration.html#runtime-environment"""


def _s3(value: str) -> bool:
    """An ``s3://`` URI, or a CDK token (a URI known at deploy time)."""
    return contains_unresolved(value) or is_s3_uri(value)


@dataclass(frozen=True, kw_only=True)
class SparkJob:
    """A Spark job, independent of where it runs.

    :param entry_point: an ``s3://`` URI of the script or JAR (the Step Functions construct also takes a local file
        and uploads it as a CDK asset).
    :param driver_cores: / ``driver_memory`` / ``executor_cores`` / ``executor_memory`` / ``executor_instances``:
        typed Spark properties (memory like ``"4g"``). Default: the runtime's defaults.
    :param conf: any other Spark properties.
    :param py_files: / ``archives``: ``s3://`` URIs (e.g. a packed virtualenv ``pyenv.tar.gz#environment``).
    :param python_dependencies: the ``s3://`` URI of an archive of Python packages built for the runtime's Python
        and CPU (``emrctl package``). Each renderer unpacks it as ``deps`` next to the driver and the executors and
        puts it on their ``PYTHONPATH``, keeping the runtime's ``python3``; it joins the job's ``archives`` and
        ``spark.archives`` and ``PYTHONPATH`` values given in ``conf`` (never replacing them). Default: none.
    :param runtime_role_arn: the role the job runs as (runtime role, Serverless job role, EKS execution role).
    :param log_uri: ``s3://`` prefix for the job's logs. Default: the runtime's default logging.
    :param timeout_minutes: how long the job may run: EMR Serverless ``executionTimeoutMinutes``; in a
        ``SparkPipeline``, also the job task's timeout. Default: the runtime's default (in a ``SparkPipeline``: the
        pipeline's timeout).
    """

    name: str
    entry_point: str
    arguments: Sequence[str] = ()
    main_class: str | None = None
    driver_cores: int | None = None
    driver_memory: str | None = None
    executor_cores: int | None = None
    executor_memory: str | None = None
    executor_instances: int | None = None
    conf: Mapping[str, str] = field(default_factory=dict)
    py_files: Sequence[str] = ()
    archives: Sequence[str] = ()
    python_dependencies: str | None = None
    runtime_role_arn: str | None = None
    log_uri: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    timeout_minutes: int | None = None
    action_on_failure: str = "CONTINUE"

    def __post_init__(self) -> None:
        self._check_types()
        if not self.name or len(self.name) > 256:
            raise fail("name", self.name, "must be 1-256 characters")
        if not _s3(self.entry_point):
            raise fail("entry_point", self.entry_point, "must be an s3:// URI such as 's3://bucket/jobs/etl.py'")
        for prop in ("py_files", "archives"):
            for i, uri in enumerate(getattr(self, prop)):
                if not _s3(uri.split("#", 1)[0]):
                    raise fail(f"{prop}[{i}]", uri, "must be an s3:// URI")
        self._check_python_dependencies()
        if self.log_uri is not None and not _s3(self.log_uri):
            raise fail("log_uri", self.log_uri, "must be an s3:// URI")
        for prop in ("driver_cores", "executor_cores", "executor_instances", "timeout_minutes"):
            value = getattr(self, prop)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise fail(prop, value, "must be a positive integer")
        for prop in ("driver_memory", "executor_memory"):
            check_spark_memory(prop, getattr(self, prop))
        check_spark_conf("conf", self.conf)
        if self.action_on_failure not in ACTIONS_ON_FAILURE:
            raise fail("action_on_failure", self.action_on_failure, f"allowed values: {', '.join(ACTIONS_ON_FAILURE)}")

    def _check_types(self) -> None:
        """Types at the boundary: a ``str`` where a list is expected is rejected, never iterated."""
        check_type("name", self.name, str)
        if self.name and not contains_unresolved(self.name):
            check_text("name", self.name)
        check_type("entry_point", self.entry_point, str)
        for prop in ("arguments", "py_files", "archives"):
            check_sequence_of(prop, getattr(self, prop), str, optional=False)
        for i, argument in enumerate(self.arguments):
            if argument == "":  # EMR Serverless and EMR on EKS reject an empty entryPointArguments item
                raise fail(f"arguments[{i}]", argument, "must not be empty")
        for prop in ("main_class", "runtime_role_arn", "log_uri", "driver_memory", "executor_memory"):
            value = getattr(self, prop)
            check_type(prop, value, str, optional=True)
            if value is not None and not contains_unresolved(value):
                check_text(prop, value)
        for prop in ("driver_cores", "executor_cores", "executor_instances", "timeout_minutes"):
            check_int(prop, getattr(self, prop))
        check_type("python_dependencies", self.python_dependencies, str, optional=True)
        check_mapping_of("tags", self.tags, str, str)
        check_type("action_on_failure", self.action_on_failure, str)

    def _check_python_dependencies(self) -> None:
        uri = self.python_dependencies
        if uri is None or contains_unresolved(uri):
            return
        if not is_s3_uri(uri) or "#" in uri:
            raise fail(
                "python_dependencies",
                uri,
                f"must be an s3:// URI without '#alias' (it is unpacked as '{PYTHON_DEPENDENCIES_ALIAS}'), such as "
                "'s3://bucket/scripts/deps.tar.gz'",
            )
        if not uri.lower().endswith(ARCHIVE_SUFFIXES):
            raise fail("python_dependencies", uri, f"must be an archive: {', '.join(ARCHIVE_SUFFIXES)}")
        alias = f"#{PYTHON_DEPENDENCIES_ALIAS}"
        given = [(f"archives[{i}]", a) for i, a in enumerate(self.archives)]
        given += [(f"conf[{ARCHIVES_CONF!r}]", a) for a in self.conf.get(ARCHIVES_CONF, "").split(",")]
        for prop, archive in given:
            if archive.strip().endswith(alias) and archive.strip() != f"{uri}{alias}":
                raise fail(prop, archive, f"unpacks as '{PYTHON_DEPENDENCIES_ALIAS}', which python_dependencies uses")

    # ---- Spark properties ---------------------------------------------------------------------------------------

    def spark_properties(self) -> dict[str, str]:
        """Typed settings first, then ``conf`` (which wins on conflicts)."""
        typed = {
            "spark.driver.cores": self.driver_cores,
            "spark.driver.memory": self.driver_memory,
            "spark.executor.cores": self.executor_cores,
            "spark.executor.memory": self.executor_memory,
            "spark.executor.instances": self.executor_instances,
        }
        props = {k: str(v) for k, v in typed.items() if v is not None}
        props.update(self.conf)
        return props

    def spark_submit_parameters(
        self, extra: Mapping[str, str] | None = None, *, runtime: str | None = None
    ) -> list[str]:
        """``--class``, ``--py-files``, ``--archives`` and ``--conf k=v`` arguments for spark-submit on ``runtime``
        (``serverless``, ``ec2`` or ``eks``; needed only with ``python_dependencies``)."""
        archives, conf = self._with_python_dependencies(runtime)
        return spark_submit_parameters(
            main_class=self.main_class,
            py_files=self.py_files,
            archives=archives,
            conf={**conf, **(extra or {})},
        )

    def _with_python_dependencies(self, runtime: str | None) -> tuple[list[str], dict[str, str]]:
        """The archives and Spark properties with ``python_dependencies`` merged in: the archive joins the
        ``archives`` list when the job has one (spark-submit's ``--archives`` wins over ``spark.archives``), else
        ``spark.archives`` (Serverless, EKS, or when ``conf`` sets it), else ``--archives`` (EC2); ``./deps`` is
        appended to the driver's and the executors' ``PYTHONPATH``, after any entries ``conf`` gives."""
        archives, props = list(self.archives), self.spark_properties()
        uri = self.python_dependencies
        if uri is None:
            return archives, props
        if runtime not in DRIVER_ENV_PREFIX:
            allowed = ", ".join(DRIVER_ENV_PREFIX)
            raise fail("python_dependencies", uri, f"rendering needs the runtime: one of {allowed}")
        entry = f"{uri}#{PYTHON_DEPENDENCIES_ALIAS}"
        listed = [a.strip() for a in props.get(ARCHIVES_CONF, "").split(",") if a.strip()]
        if entry not in archives and entry not in listed:
            if archives or (runtime == "ec2" and not listed):
                archives.append(entry)
            else:
                props[ARCHIVES_CONF] = ",".join([*listed, entry])
        path = f"./{PYTHON_DEPENDENCIES_ALIAS}"
        for key in (f"{DRIVER_ENV_PREFIX[runtime]}PYTHONPATH", f"{EXECUTOR_ENV_PREFIX}PYTHONPATH"):
            entries = [e for e in props.get(key, "").split(":") if e]
            props[key] = ":".join(entries if path in entries else [*entries, path])
        return archives, props

    # ---- renderers ----------------------------------------------------------------------------------------------

    def to_emr_step(self, deploy_mode: str = "cluster") -> dict[str, Any]:
        """A step for EMR on EC2 ``AddJobFlowSteps`` (``Steps[]`` item)."""
        if self.python_dependencies is not None and DeployMode(deploy_mode) is not DeployMode.CLUSTER:
            # In client mode the driver runs on the primary node, where YARN unpacks no archive.
            raise fail("python_dependencies", self.python_dependencies, "needs deploy_mode 'cluster' on EMR on EC2")
        args = spark_submit_command(
            self.entry_point,
            self.arguments,
            deploy_mode=DeployMode(deploy_mode),
            parameters=self.spark_submit_parameters(runtime="ec2"),
        )
        return {
            "Name": self.name,
            "ActionOnFailure": self.action_on_failure,
            "HadoopJarStep": {"Jar": COMMAND_RUNNER_JAR, "Args": args},
        }

    def to_emr_add_steps(self, cluster_id: str) -> dict[str, Any]:
        """The whole ``AddJobFlowSteps`` request, with the runtime role if the job has one."""
        request: dict[str, Any] = {"JobFlowId": cluster_id, "Steps": [self.to_emr_step()]}
        if self.runtime_role_arn:
            request["ExecutionRoleArn"] = self.runtime_role_arn
        return request

    def to_serverless_start_job_run(self, application_id: str, *, client_token: str | None = None) -> dict[str, Any]:
        """An EMR Serverless ``StartJobRun`` request; ``client_token`` is its idempotency token (default: none, and
        boto3 fills a random one, so a retried request starts a second run)."""
        if not self.runtime_role_arn:
            raise fail("runtime_role_arn", None, "EMR Serverless jobs need a runtime role")
        request: dict[str, Any] = {
            "applicationId": application_id,
            "executionRoleArn": self.runtime_role_arn,
            "name": self.name,
            "jobDriver": {"sparkSubmit": self._spark_submit(runtime="serverless")},
        }
        if self.log_uri:
            request["configurationOverrides"] = {
                "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": self.log_uri}}
            }
        if self.tags:
            request["tags"] = dict(self.tags)
        if self.timeout_minutes:
            request["executionTimeoutMinutes"] = self.timeout_minutes
        if client_token:
            request["clientToken"] = client_token
        return request

    def to_eks_start_job_run(
        self,
        virtual_cluster_id: str,
        release_label: str,
        *,
        driver_pod_template: str | None = None,
        executor_pod_template: str | None = None,
        log_group_name: str | None = None,
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """An EMR on EKS ``StartJobRun`` request, with pod templates and S3 / CloudWatch monitoring; ``client_token``
        is its idempotency token (default: none, and boto3 fills a random one)."""
        if not self.runtime_role_arn:
            raise fail("runtime_role_arn", None, "EMR on EKS jobs need an execution role")
        check_eks_release_label("release_label", release_label)
        candidates = {
            DRIVER_POD_TEMPLATE_CONF: driver_pod_template,
            EXECUTOR_POD_TEMPLATE_CONF: executor_pod_template,
        }
        templates = {k: v for k, v in candidates.items() if v}
        request: dict[str, Any] = {
            "virtualClusterId": virtual_cluster_id,
            "name": self.name,
            "executionRoleArn": self.runtime_role_arn,
            "releaseLabel": release_label,
            "jobDriver": {"sparkSubmitJobDriver": self._spark_submit(templates, runtime="eks")},
        }
        monitoring: dict[str, Any] = {}
        if self.log_uri:
            monitoring["s3MonitoringConfiguration"] = {"logUri": self.log_uri}
        if log_group_name:
            monitoring["cloudWatchMonitoringConfiguration"] = {"logGroupName": log_group_name}
        overrides: dict[str, Any] = {}
        if monitoring:
            overrides["monitoringConfiguration"] = monitoring
        if overrides:
            request["configurationOverrides"] = overrides
        if self.tags:
            request["tags"] = dict(self.tags)
        if client_token:
            request["clientToken"] = client_token
        return request

    def _spark_submit(self, extra: Mapping[str, str] | None = None, *, runtime: str) -> dict[str, Any]:
        driver: dict[str, Any] = {"entryPoint": self.entry_point}
        if self.arguments:
            driver["entryPointArguments"] = list(self.arguments)
        params = self.spark_submit_parameters(extra, runtime=runtime)
        if params:
            driver["sparkSubmitParameters"] = shlex.join(params)
        return driver
