"""The outputs of the reference stacks, named once: the stacks write them and ``emrctl <runtime> --stack`` reads them.

Each runtime has an enum whose members are its outputs. A member's value is the output key, which is also the
``CfnOutput``'s construct id (so its logical id) and the CloudFormation ``OutputKey``; ``meaning`` says what it holds.
``EMRCTL_READS`` says which of them ``emrctl --stack`` uses for each runtime. tests/unit/stacks/test_output_schema.py
checks that the synthesized stacks declare exactly these outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class StackOutput(Enum):
    """Base of the per-runtime output enums: members are ``NAME = (key, meaning)`` and their value is the key."""

    meaning: str

    def __new__(cls, key: str, meaning: str) -> StackOutput:
        member = object.__new__(cls)
        member._value_ = key
        member.meaning = meaning
        return member

    @property
    def key(self) -> str:
        """The output key: ``CfnOutput`` construct id, template logical id and CloudFormation ``OutputKey``."""
        return str(self._value_)


class NetworkOutput(StackOutput):
    """Outputs of the network stack."""

    VPC_ID = ("VpcId", "The id of the platform VPC that the runtime stacks run in.")


class Ec2Output(StackOutput):
    """Outputs of the EMR on EC2 stack."""

    CLUSTER_ID = ("ClusterId", "The EMR cluster id (j-...): the target of `emrctl ec2 --stack`.")
    LOG_BUCKET = ("LogBucket", "The name of the bucket that holds the cluster and step logs.")
    LOG_URI = ("LogUri", "The s3:// prefix of the cluster logs; steps log under <LogUri><cluster id>/steps/.")
    DATA_BUCKET = ("DataBucket", "The name of the data bucket (raw/, curated/, artifacts/ prefixes).")
    TLS_CERTIFICATE_URI = ("TlsCertificateUri", "The s3:// URI of the zip of PEM files for in-transit encryption.")
    RUNTIME_ROLE_ARN = ("RuntimeRoleArn", "The ARN of the step runtime role that jobs run as.")
    DASHBOARD_NAME = ("DashboardName", "The name of the cluster's CloudWatch dashboard.")
    ALARM_TOPIC_ARN = ("AlarmTopicArn", "The ARN of the SNS topic that the cluster's alarms notify.")


class ServerlessOutput(StackOutput):
    """Outputs of the EMR Serverless stack."""

    PIPELINE_STATE_MACHINE_ARN = ("PipelineStateMachineArn", "The ARN of the Spark pipeline's state machine.")
    APPLICATION_ID = ("ApplicationId", "The EMR Serverless application id: the target of `emrctl serverless --stack`.")
    APPLICATION_NAME = ("ApplicationName", "The name of the EMR Serverless application.")
    RUNTIME_ROLE_ARN = ("RuntimeRoleArn", "The ARN of the job runtime role that jobs run as.")
    LOG_URI = ("LogUri", "The s3:// prefix that job runs log to.")
    LOG_GROUP_NAME = ("LogGroupName", "The CloudWatch Logs group of the application's job runs.")
    DATA_BUCKET = ("DataBucket", "The name of the data bucket (raw/, curated/, scripts/ prefixes).")
    GLUE_DATABASE = ("GlueDatabase", "The Glue database that the jobs may read and write.")
    DASHBOARD_NAME = ("DashboardName", "The name of the application's CloudWatch dashboard.")


class EksOutput(StackOutput):
    """Outputs of the EMR on EKS stack."""

    VIRTUAL_CLUSTER_ID = ("VirtualClusterId", "The EMR on EKS virtual cluster id: the target of `emrctl eks --stack`.")
    DATA_BUCKET = ("DataBucket", "The name of the data bucket (raw/, curated/, scripts/, pod templates).")
    EXECUTION_ROLE_ARN = ("ExecutionRoleArn", "The ARN of the job execution role that jobs run as.")
    LOG_GROUP_NAME = ("LogGroupName", "The CloudWatch Logs group for driver and executor logs.")
    LOG_URI = ("LogUri", "The s3:// prefix that job runs log to.")
    DRIVER_POD_TEMPLATE = ("DriverPodTemplate", "The s3:// URI of the driver pod template (On-Demand nodes).")
    EXECUTOR_POD_TEMPLATE = ("ExecutorPodTemplate", "The s3:// URI of the executor pod template (Spot nodes).")
    DASHBOARD_NAME = ("DashboardName", "The name of the virtual cluster's CloudWatch dashboard.")
    RELEASE_LABEL = ("ReleaseLabel", "The release label of the job runs, e.g. emr-7.10.0-latest.")


@dataclass(frozen=True, kw_only=True)
class EmrctlOutputs:
    """The outputs that ``emrctl <runtime> ... --stack`` reads. An option given on the command line wins over the
    stack's value; ``None`` means the runtime's stack has no such output."""

    target: StackOutput
    """The application / cluster / virtual cluster that commands act on."""
    role: StackOutput
    """The role ``submit`` runs jobs as."""
    log_uri: StackOutput
    """The s3:// prefix ``submit`` logs to and ``logs`` reads."""
    release_label: StackOutput | None = None
    """The release label of ``submit``'s job runs (EMR on EKS)."""
    log_group_name: StackOutput | None = None
    """The CloudWatch Logs group of ``submit``'s job runs (EMR on EKS)."""
    driver_pod_template: StackOutput | None = None
    """The driver pod template of ``submit``'s job runs (EMR on EKS)."""
    executor_pod_template: StackOutput | None = None
    """The executor pod template of ``submit``'s job runs (EMR on EKS)."""
    data_bucket: StackOutput | None = None
    """The bucket ``package`` uploads the entry point and the dependency archive to."""
    job_files_prefix: str = ""
    """The prefix of ``data_bucket`` that the stack's runtime role may read: where ``package`` uploads."""

    def read(self) -> tuple[StackOutput, ...]:
        """Every output read, in declaration order."""
        candidates = (
            self.target,
            self.role,
            self.log_uri,
            self.release_label,
            self.log_group_name,
            self.driver_pod_template,
            self.executor_pod_template,
            self.data_bucket,
        )
        return tuple(output for output in candidates if output is not None)


EMRCTL_READS: dict[str, EmrctlOutputs] = {
    "serverless": EmrctlOutputs(
        target=ServerlessOutput.APPLICATION_ID,
        role=ServerlessOutput.RUNTIME_ROLE_ARN,
        log_uri=ServerlessOutput.LOG_URI,
        data_bucket=ServerlessOutput.DATA_BUCKET,
        job_files_prefix="scripts/",
    ),
    "ec2": EmrctlOutputs(
        target=Ec2Output.CLUSTER_ID,
        role=Ec2Output.RUNTIME_ROLE_ARN,
        log_uri=Ec2Output.LOG_URI,
        data_bucket=Ec2Output.DATA_BUCKET,
        job_files_prefix="artifacts/",
    ),
    "eks": EmrctlOutputs(
        target=EksOutput.VIRTUAL_CLUSTER_ID,
        role=EksOutput.EXECUTION_ROLE_ARN,
        log_uri=EksOutput.LOG_URI,
        release_label=EksOutput.RELEASE_LABEL,
        log_group_name=EksOutput.LOG_GROUP_NAME,
        driver_pod_template=EksOutput.DRIVER_POD_TEMPLATE,
        executor_pod_template=EksOutput.EXECUTOR_POD_TEMPLATE,
        data_bucket=EksOutput.DATA_BUCKET,
        job_files_prefix="scripts/",
    ),
}
"""Per ``emrctl`` command group (``serverless``, ``ec2``, ``eks``): the stack outputs it reads."""

RUNTIME_OUTPUTS: dict[str, type[StackOutput]] = {
    "serverless": ServerlessOutput,
    "ec2": Ec2Output,
    "eks": EksOutput,
}
"""Per ``emrctl`` command group: the outputs of its runtime's stack."""
