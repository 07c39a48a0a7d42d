"""Steps and bootstrap actions of an EMR on EC2 cluster.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-work-with-steps.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import aws_emr as emr
from aws_cdk import aws_iam as iam

from emr_constructs._internal.validation import check_s3_uri, fail, is_token
from emr_constructs.core.spark import (
    COMMAND_RUNNER_JAR,
    ActionOnFailure,
    DeployMode,
    spark_submit_command,
    spark_submit_parameters,
)

__all__ = ["COMMAND_RUNNER_JAR", "ActionOnFailure", "BootstrapAction", "DeployMode", "Step"]


@dataclass(frozen=True, kw_only=True)
class BootstrapAction:
    """A script that runs on every node before applications start.

    :param script_s3_uri: an ``s3://`` URI of the script.
    """

    name: str
    script_s3_uri: str
    args: Sequence[str] = ()

    def __post_init__(self) -> None:
        check_s3_uri("bootstrap_action.script_s3_uri", self.script_s3_uri)
        if not is_token(self.name) and not self.name:
            raise fail("bootstrap_action.name", self.name, "must be a non-empty string")

    def _render(self) -> emr.CfnCluster.BootstrapActionConfigProperty:
        return emr.CfnCluster.BootstrapActionConfigProperty(
            name=self.name,
            script_bootstrap_action=emr.CfnCluster.ScriptBootstrapActionConfigProperty(
                path=self.script_s3_uri, args=list(self.args) or None
            ),
        )


@dataclass(frozen=True, kw_only=True)
class Step:
    """A unit of work: a JAR (``command-runner.jar`` by default) with arguments.

    :param action_on_failure: Default: ``CONTINUE``.
    :param runtime_role: Default: none (the step runs as the instance role). A runtime role needs a cluster whose
        security configuration enables runtime roles.
    """

    name: str
    args: Sequence[str] = ()
    jar: str = COMMAND_RUNNER_JAR
    main_class: str | None = None
    properties: Mapping[str, str] = field(default_factory=dict)
    action_on_failure: ActionOnFailure = ActionOnFailure.CONTINUE
    runtime_role: iam.IRole | None = None

    @classmethod
    def spark_submit(
        cls,
        *,
        name: str,
        entry_point: str,
        args: Sequence[str] = (),
        spark_conf: Mapping[str, str] | None = None,
        deploy_mode: DeployMode = DeployMode.CLUSTER,
        main_class: str | None = None,
        py_files: Sequence[str] = (),
        action_on_failure: ActionOnFailure = ActionOnFailure.CONTINUE,
        runtime_role: iam.IRole | None = None,
    ) -> Step:
        """A Spark application run through ``command-runner.jar spark-submit``.

        :param entry_point: an ``s3://`` URI of the script or JAR.
        :param deploy_mode: Default: cluster mode (the driver runs on a core/task node).
        """
        check_s3_uri("entry_point", entry_point)
        for i, py_file in enumerate(py_files):
            check_s3_uri(f"py_files[{i}]", py_file)
        parameters = spark_submit_parameters(main_class=main_class, py_files=py_files, conf=spark_conf)
        submit = spark_submit_command(entry_point, args, deploy_mode=deploy_mode, parameters=parameters)
        return cls(name=name, args=submit, action_on_failure=action_on_failure, runtime_role=runtime_role)

    def _hadoop_jar_step(self) -> emr.CfnCluster.HadoopJarStepConfigProperty:
        return emr.CfnCluster.HadoopJarStepConfigProperty(
            jar=self.jar,
            args=list(self.args) or None,
            main_class=self.main_class,
            step_properties=[emr.CfnCluster.KeyValueProperty(key=k, value=v) for k, v in self.properties.items()]
            or None,
        )

    def _render(self) -> emr.CfnCluster.StepConfigProperty:
        return emr.CfnCluster.StepConfigProperty(
            name=self.name, action_on_failure=self.action_on_failure.value, hadoop_jar_step=self._hadoop_jar_step()
        )

    def _sdk_request(self) -> dict[str, Any]:
        """The step in the shape of EMR's AddJobFlowSteps API (used for runtime-role steps)."""
        jar_step: dict[str, Any] = {"Jar": self.jar, "Args": list(self.args)}
        if self.main_class:
            jar_step["MainClass"] = self.main_class
        if self.properties:
            jar_step["Properties"] = [{"Key": k, "Value": v} for k, v in self.properties.items()]
        return {"Name": self.name, "ActionOnFailure": self.action_on_failure.value, "HadoopJarStep": jar_step}
