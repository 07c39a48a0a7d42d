"""Where a ``SparkPipeline`` runs its jobs, and local job files packaged as CDK assets.

One target class per runtime: each renders a job as the runtime's optimized Step Functions ``.sync`` task, with a
task timeout, and grants the state machine what the integration's published ``.sync`` policy lists (cancel
included) through the runtime's own grants (``grant_submit_job_run``, ``grant_describe_job_runs``,
``grant_cancel_job_runs``), plus the EventBridge rules Step Functions manages for it. The transient EC2 cluster does
not exist at synthesis: its target creates it (``createCluster.sync``) and scopes its grants to the pipeline's tag
instead.

See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html,
https://docs.aws.amazon.com/step-functions/latest/dg/emr-eks-iam.html,
https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html
"""

from __future__ import annotations

import dataclasses
import shlex
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Aws, Duration, Names, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from emr_constructs._internal.types import check_ec2_instance_type, check_int, check_text, check_type
from emr_constructs._internal.validation import check_range, check_s3_uri
from emr_constructs.cluster.base import ClusterBase
from emr_constructs.compliance.acknowledgments import Reason
from emr_constructs.core.iam_actions import (
    EVENTS_MANAGED_RULE_ACTIONS,
    SFN_EMR_ADD_STEP_SYNC_ACTIONS,
    SFN_EMR_CONTAINERS_START_JOB_RUN_SYNC_ACTIONS,
    SFN_EMR_CREATE_CLUSTER_SYNC_ACTIONS,
    SFN_EMR_SERVERLESS_START_JOB_RUN_SYNC_ACTIONS,
    SFN_EMR_TERMINATE_CLUSTER_SYNC_ACTIONS,
    Emr,
    Iam,
)
from emr_constructs.core.releases import DEFAULT_EC2_RELEASE_LABEL, ReleaseLabel, check_eks_release_label
from emr_constructs.core.spark import COMMAND_RUNNER_JAR
from emr_constructs.core.tags import PIPELINE_TAG_KEY
from emr_constructs.eks.virtual_cluster import VirtualClusterBase
from emr_constructs.iam.runtime_role import JobRuntimeRole
from emr_constructs.iam.service_roles import EMR_MANAGED_POLICY_TAG, EmrInstanceRole, EmrServiceRole
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.runtime import EmrRuntime
from emr_constructs.serverless.application import ApplicationBase

PIPELINE_TAG = PIPELINE_TAG_KEY
"""Tag on transient clusters; the state machine may only describe, step and terminate clusters carrying its value."""

# The EventBridge rules Step Functions manages for the .sync integrations, named as the developer guide names them.
# EMR Serverless: emr-serverless-iam.html (StartJobRun). EMR on EC2: emr-iam.html named "StepFunctionsGetEventFor..."
# (singular) rules for addStep, createCluster and terminateCluster (its current revision lists none; aws-cdk-lib's
# EMR tasks still grant them, so the rule-scoped grant stays). EMR on EKS: emr-eks-iam.html lists no rule.
_SERVERLESS_JOB_RULE = "StepFunctionsGetEventsForEMRServerlessJobRule"
_ADD_STEP_RULE = "StepFunctionsGetEventForEMRAddJobFlowStepsRule"
_RUN_JOB_FLOW_RULE = "StepFunctionsGetEventForEMRRunJobFlowRule"
_TERMINATE_JOB_FLOWS_RULE = "StepFunctionsGetEventForEMRTerminateJobFlowsRule"

SERVERLESS_MAX_TIMEOUT_MINUTES = 10080
"""The longest ``executionTimeoutMinutes`` EMR Serverless accepts for a batch job run (7 days; from release 7.11,
applied here to every release). See: botocore's emr-serverless model, StartJobRun ``executionTimeoutMinutes``."""


def _timeout(job: SparkJob) -> sfn.Timeout:
    """The task timeout of ``job``: ``SparkPipeline`` has set its ``timeout_minutes``."""
    assert job.timeout_minutes is not None
    return sfn.Timeout.duration(Duration.minutes(job.timeout_minutes))


@dataclass(frozen=True, kw_only=True)
class TransientCluster:
    """A cluster the pipeline creates before its steps and terminates after them (also when a step fails).

    :param subnet_id: a private subnet. :param release_label: Default: emr-7.10.0.
    :param instance_type: Default: Graviton m7g.xlarge. :param core_count: Default: 2.
    :param log_uri: Default: no log upload.
    :param idle_timeout_seconds: EMR terminates the cluster after this long without running steps (the request's
        ``AutoTerminationPolicy``), so a cluster whose execution was stopped (Step Functions does not terminate it)
        stops billing. 60 to 604800 seconds. Default: 3600.
    """

    subnet_id: str
    release_label: str = DEFAULT_EC2_RELEASE_LABEL.label
    instance_type: str = "m7g.xlarge"
    core_count: int = 2
    log_uri: str | None = None
    security_configuration: str | None = None
    idle_timeout_seconds: int = 3600

    def __post_init__(self) -> None:
        check_type("subnet_id", self.subnet_id, str)
        check_text("subnet_id", self.subnet_id)
        check_type("release_label", self.release_label, str)
        ReleaseLabel.of(self.release_label).require_ec2()
        check_ec2_instance_type("instance_type", self.instance_type)
        check_int("core_count", self.core_count, optional=False)
        check_range("core_count", self.core_count, 1, 256)
        check_type("log_uri", self.log_uri, str, optional=True)
        check_s3_uri("log_uri", self.log_uri)
        check_type("security_configuration", self.security_configuration, str, optional=True)
        check_int("idle_timeout_seconds", self.idle_timeout_seconds, optional=False)
        # RunJobFlow AutoTerminationPolicy.IdleTimeout: 60 to 604800 seconds (EMR API reference, AutoTerminationPolicy:
        # https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html).
        check_range("idle_timeout_seconds", self.idle_timeout_seconds, 60, 604800)


class PipelineTarget(ABC):
    """Where the pipeline's jobs run. Build it with ``serverless``, ``ec2_cluster``, ``transient_ec2`` or ``eks``."""

    _events_rules: tuple[str, ...]
    """The EventBridge rules Step Functions manages for this target's ``.sync`` integrations."""
    _sync_actions: tuple[str, ...]
    """The actions of the published ``.sync`` policies of this target's integrations, cancel included;
    ``SparkPipeline`` checks at synthesis that its role holds each of them."""
    _max_timeout_minutes: int | None = None
    """The longest job timeout the runtime itself accepts. Default: no limit beyond the pipeline's timeout."""
    _acknowledgments: tuple[Reason, ...] = ()
    """Why the state machine's policy may hold what cdk-nag flags, beyond the Step Functions service wildcards."""

    def __init__(self, runtime_role: iam.IRole | None) -> None:
        self.runtime_role = runtime_role

    @classmethod
    def serverless(cls, application: ApplicationBase, runtime_role: iam.IRole) -> PipelineTarget:
        return _ServerlessTarget(application, runtime_role)

    @classmethod
    def ec2_cluster(cls, cluster: ClusterBase, runtime_role: iam.IRole | None = None) -> PipelineTarget:
        return _ClusterTarget(cluster, runtime_role)

    @classmethod
    def transient_ec2(cls, cluster: TransientCluster, runtime_role: iam.IRole | None = None) -> PipelineTarget:
        """Create a cluster, run the steps on it, terminate it."""
        return _TransientClusterTarget(cluster, runtime_role)

    @classmethod
    def eks(cls, virtual_cluster: VirtualClusterBase, execution_role: iam.IRole, release_label: str) -> PipelineTarget:
        return _VirtualClusterTarget(virtual_cluster, execution_role, release_label)

    # ---- called by SparkPipeline ---------------------------------------------------------------------------------

    @abstractmethod
    def _task(self, scope: Construct, state_id: str, job: SparkJob) -> sfn.IChainable:
        """The state(s) that run ``job``; its task times out after ``job.timeout_minutes`` (always set here)."""

    def _wrap(self, scope: Construct, steps: sfn.Chain, timeout: Duration) -> sfn.Chain:
        """The whole definition around the job states; any task it adds times out after ``timeout``."""
        return steps

    @abstractmethod
    def _grant(self, scope: Construct, grantee: iam.IGrantable) -> None:
        """Everything the state machine role needs for this target's tasks."""

    def _grant_events_rules(self, scope: Construct, grantee: iam.IGrantable) -> None:
        if not self._events_rules:
            return
        stack = Stack.of(scope)
        rules = [stack.format_arn(service="events", resource="rule", resource_name=r) for r in self._events_rules]
        iam.Grant.add_to_principal(grantee=grantee, actions=EVENTS_MANAGED_RULE_ACTIONS, resource_arns=rules)


class _JobRunTarget(PipelineTarget):
    """Job runs on an existing runtime: a ``.sync`` task submits with the runtime role, follows its run and cancels it
    when the execution is aborted, each through the runtime's own grant."""

    def __init__(self, runtime: EmrRuntime, runtime_role: iam.IRole | None) -> None:
        super().__init__(runtime_role)
        self._runtime = runtime

    def _grant_submit(self, grantee: iam.IGrantable) -> None:
        assert self.runtime_role is not None
        self._runtime.grant_submit_job_run(grantee, self.runtime_role)

    def _grant(self, scope: Construct, grantee: iam.IGrantable) -> None:
        # follow, the rules, then submit: the statement order of earlier releases (snapshots unchanged)
        self._runtime.grant_describe_job_runs(grantee)
        self._runtime.grant_cancel_job_runs(grantee)
        self._grant_events_rules(scope, grantee)
        self._grant_submit(grantee)


def _add_step(scope: Construct, state_id: str, job: SparkJob, cluster_id: str, role: iam.IRole | None) -> sfn.State:
    return tasks.EmrAddStep(
        scope,
        state_id,
        state_name=job.name,
        cluster_id=cluster_id,
        result_path=sfn.JsonPath.DISCARD,
        name=job.name,
        jar=COMMAND_RUNNER_JAR,
        args=job.to_emr_step()["HadoopJarStep"]["Args"],
        action_on_failure=tasks.ActionOnFailure(job.action_on_failure),
        execution_role_arn=role.role_arn if role else None,
        integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        task_timeout=_timeout(job),
    )


class _ServerlessTarget(_JobRunTarget):
    """EMR Serverless ``startJobRun.sync``: a custom state on the service integration ARN. The run also carries the
    task's timeout as ``executionTimeoutMinutes``, so EMR Serverless stops it even if Step Functions' cancel does not
    happen."""

    _events_rules = (_SERVERLESS_JOB_RULE,)
    _sync_actions = tuple(SFN_EMR_SERVERLESS_START_JOB_RUN_SYNC_ACTIONS)
    _max_timeout_minutes = SERVERLESS_MAX_TIMEOUT_MINUTES

    def __init__(self, application: ApplicationBase, runtime_role: iam.IRole) -> None:
        super().__init__(application, runtime_role)
        self.application = application
        self._role = runtime_role

    def _task(self, scope: Construct, state_id: str, job: SparkJob) -> sfn.IChainable:
        if not job.runtime_role_arn:
            job = dataclasses.replace(job, runtime_role_arn=self._role.role_arn)
        request = job.to_serverless_start_job_run(self.application.application_id)  # with executionTimeoutMinutes
        assert job.timeout_minutes is not None
        state = {
            "Type": "Task",
            "Resource": f"arn:{Aws.PARTITION}:states:::emr-serverless:startJobRun.sync",
            "Parameters": _pascal(request),
            "TimeoutSeconds": job.timeout_minutes * 60,
            "Comment": job.name,
        }
        return sfn.CustomState(scope, state_id, state_json=state)


class _ClusterTarget(_JobRunTarget):
    """EMR ``addStep.sync`` on an existing cluster, with the step's runtime role."""

    _events_rules = (_ADD_STEP_RULE,)
    _sync_actions = tuple(SFN_EMR_ADD_STEP_SYNC_ACTIONS)

    def __init__(self, cluster: ClusterBase, runtime_role: iam.IRole | None) -> None:
        super().__init__(cluster, runtime_role)
        self.cluster = cluster

    def _task(self, scope: Construct, state_id: str, job: SparkJob) -> sfn.IChainable:
        return _add_step(scope, state_id, job, self.cluster.cluster_id, self.runtime_role)

    def _grant_submit(self, grantee: iam.IGrantable) -> None:
        self.cluster.grant_submit_job_run(grantee, self.runtime_role)  # None: steps run as the instance role


class _VirtualClusterTarget(_JobRunTarget):
    """EMR on EKS ``startJobRun.sync`` (``EmrContainersStartJobRun``)."""

    _events_rules = ()
    _sync_actions = tuple(SFN_EMR_CONTAINERS_START_JOB_RUN_SYNC_ACTIONS)

    def __init__(self, virtual_cluster: VirtualClusterBase, execution_role: iam.IRole, release_label: str) -> None:
        super().__init__(virtual_cluster, execution_role)
        self.virtual_cluster = virtual_cluster
        check_eks_release_label("release_label", release_label)
        self.release_label = release_label
        self._role = execution_role

    def _task(self, scope: Construct, state_id: str, job: SparkJob) -> sfn.IChainable:
        params = job.spark_submit_parameters(runtime="eks")
        arguments = None
        setup: sfn.Pass | None = None
        if job.arguments:
            # The task takes the argument list from the state (a JSONPath); a Pass state puts it there.
            setup = sfn.Pass(
                scope,
                f"{state_id}Arguments",
                state_name=f"{job.name} arguments",
                result=sfn.Result.from_array(list(job.arguments)),
                result_path=f"$.{state_id}Arguments",
            )
            arguments = sfn.TaskInput.from_json_path_at(f"$.{state_id}Arguments")
        driver = tasks.SparkSubmitJobDriver(
            entry_point=sfn.TaskInput.from_text(job.entry_point),
            entry_point_arguments=arguments,
            spark_submit_parameters=shlex.join(params) if params else None,
        )
        task = tasks.EmrContainersStartJobRun(
            scope,
            state_id,
            state_name=job.name,
            job_name=job.name,
            virtual_cluster=tasks.VirtualClusterInput.from_virtual_cluster_id(self.virtual_cluster.virtual_cluster_id),
            release_label=tasks.ReleaseLabel(self.release_label),
            # an immutable reference: aws-cdk-lib would otherwise add a logs:* grant to the execution role
            execution_role=iam.Role.from_role_arn(scope, f"{state_id}Role", self._role.role_arn, mutable=False),
            job_driver=tasks.JobDriver(spark_submit_job_driver=driver),
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            result_path=sfn.JsonPath.DISCARD,
            task_timeout=_timeout(job),
        )
        return sfn.Chain.start(setup).next(task) if setup is not None else task


class _TransientClusterTarget(PipelineTarget):
    """A cluster created by ``createCluster.sync``, stepped with ``addStep.sync`` and terminated (also after a failed
    step). The cluster has no id at synthesis: every grant is conditioned on the pipeline's tag."""

    _events_rules = (_RUN_JOB_FLOW_RULE, _TERMINATE_JOB_FLOWS_RULE, _ADD_STEP_RULE)
    _sync_actions = tuple(
        dict.fromkeys(
            SFN_EMR_CREATE_CLUSTER_SYNC_ACTIONS + SFN_EMR_ADD_STEP_SYNC_ACTIONS + SFN_EMR_TERMINATE_CLUSTER_SYNC_ACTIONS
        )
    )
    _acknowledgments = (Reason.TRANSIENT_CLUSTER,)
    _CLUSTER_ID = "$.Cluster.ClusterId"

    def __init__(self, cluster: TransientCluster, runtime_role: iam.IRole | None) -> None:
        super().__init__(runtime_role)
        self.cluster = cluster

    @staticmethod
    def _tag(scope: Construct) -> str:
        return Names.unique_id(scope)[-100:]

    @staticmethod
    def _roles(scope: Construct) -> tuple[EmrServiceRole, EmrInstanceRole]:
        service, nodes = scope.node.find_child("ClusterService"), scope.node.find_child("ClusterNodes")
        assert isinstance(service, EmrServiceRole) and isinstance(nodes, EmrInstanceRole)
        return service, nodes

    def _task(self, scope: Construct, state_id: str, job: SparkJob) -> sfn.IChainable:
        cluster_id = sfn.JsonPath.string_at(self._CLUSTER_ID)
        return _add_step(scope, state_id, job, cluster_id, self.runtime_role)

    def _wrap(self, scope: Construct, steps: sfn.Chain, timeout: Duration) -> sfn.Chain:
        spec = self.cluster
        nodes = EmrInstanceRole(scope, "ClusterNodes")
        service = EmrServiceRole(scope, "ClusterService")
        service.allow_pass_instance_role(nodes.role)
        if spec.log_uri:
            bucket_name, _, prefix = spec.log_uri.removeprefix("s3://").partition("/")
            log_bucket = s3.Bucket.from_bucket_name(scope, "ClusterLogBucket", bucket_name)
            nodes.policy.allow_s3(log_bucket, prefix or "*", read=False, write=True)
        # The createCluster.sync request is written out (not tasks.EmrCreateCluster): JobFlowRole must name the
        # instance profile, which EmrCreateCluster renders as the role name; the AmazonEMRServicePolicy_v2 request
        # tag must not depend on an aws-cdk-lib feature flag; and no legacy auto-scaling role is needed.
        groups = [
            {"InstanceRole": "MASTER", "InstanceType": spec.instance_type, "InstanceCount": 1},
            {"InstanceRole": "CORE", "InstanceType": spec.instance_type, "InstanceCount": spec.core_count},
        ]
        request = {
            "Name": Names.unique_id(scope)[-60:],
            "ReleaseLabel": spec.release_label,
            "Applications": [{"Name": "Spark"}],
            "ServiceRole": service.role.role_name,
            "JobFlowRole": nodes.instance_profile.instance_profile_name,
            "VisibleToAllUsers": True,
            "Tags": [
                {"Key": PIPELINE_TAG, "Value": self._tag(scope)},
                {"Key": EMR_MANAGED_POLICY_TAG[0], "Value": EMR_MANAGED_POLICY_TAG[1]},
            ],
            "Instances": {"Ec2SubnetId": spec.subnet_id, "KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": groups},
            "AutoTerminationPolicy": {"IdleTimeout": spec.idle_timeout_seconds},
            **({"LogUri": spec.log_uri} if spec.log_uri else {}),
            **({"SecurityConfiguration": spec.security_configuration} if spec.security_configuration else {}),
        }
        create_state = {
            "Type": "Task",
            "Resource": f"arn:{Aws.PARTITION}:states:::elasticmapreduce:createCluster.sync",
            "Parameters": request,
            "ResultPath": "$.Cluster",
            "TimeoutSeconds": int(timeout.to_seconds()),
            "Comment": "create cluster",
        }
        create = sfn.CustomState(scope, "CreateCluster", state_json=create_state)
        cluster_id = sfn.JsonPath.string_at(self._CLUSTER_ID)
        run_job = sfn.IntegrationPattern.RUN_JOB
        task_timeout = sfn.Timeout.duration(timeout)
        terminate = tasks.EmrTerminateCluster(
            scope,
            "Terminate",
            state_name="terminate cluster",
            cluster_id=cluster_id,
            integration_pattern=run_job,
            task_timeout=task_timeout,
        )
        cleanup = tasks.EmrTerminateCluster(
            scope,
            "TerminateAfterFailure",
            state_name="terminate after failure",
            cluster_id=cluster_id,
            integration_pattern=run_job,
            result_path=sfn.JsonPath.DISCARD,
            task_timeout=task_timeout,
        )
        failed = sfn.Fail(
            scope, "StepsFailed", error="SparkStepFailed", cause="A step failed; the cluster was terminated"
        )
        body = sfn.Parallel(scope, "Steps", state_name="steps", result_path=sfn.JsonPath.DISCARD).branch(steps)
        body.add_catch(cleanup.next(failed), result_path="$.Error")
        return sfn.Chain.start(create).next(body).next(terminate)

    def _grant(self, scope: Construct, grantee: iam.IGrantable) -> None:
        stack, tag = Stack.of(scope), self._tag(scope)
        clusters = [stack.format_arn(service="elasticmapreduce", resource="cluster", resource_name="*")]
        requested = {"StringEquals": {f"aws:RequestTag/{PIPELINE_TAG}": tag}}
        tagged = {"StringEquals": {f"aws:ResourceTag/{PIPELINE_TAG}": tag}}
        service, nodes = self._roles(scope)

        def allow(actions: list[str], resources: list[str], conditions: dict[str, Any] | None = None) -> None:
            iam.Grant.add_to_principal(grantee=grantee, actions=actions, resource_arns=resources, conditions=conditions)

        allow([Emr.RUN_JOB_FLOW], ["*"], requested)
        # RunJobFlow with Tags also authorizes elasticmapreduce:AddTags on the new cluster
        allow([Emr.ADD_TAGS], clusters, requested)
        allow([Emr.DESCRIBE_CLUSTER, Emr.TERMINATE_JOB_FLOWS, *SFN_EMR_ADD_STEP_SYNC_ACTIONS], clusters, tagged)
        allow([Iam.PASS_ROLE], [service.role.role_arn, nodes.role.role_arn])
        self._grant_events_rules(scope, grantee)
        if self.runtime_role is not None:
            allow([Iam.PASS_ROLE], [self.runtime_role.role_arn])


def _pascal(value: Any) -> Any:
    """camelCase API request -> the PascalCase parameters of the Step Functions optimized integration."""
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: (v if k == "tags" else _pascal(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    return value


def local_entry_point(scope: Construct, construct_id: str, path: str, *, readers: Sequence[JobRuntimeRole] = ()) -> str:
    """Package a local script or JAR as a CDK asset and return its ``s3://`` URI for ``SparkJob.entry_point``;
    ``readers`` (the job's runtime roles) may read exactly that object."""
    asset = s3_assets.Asset(scope, construct_id, path=path)
    for reader in readers:
        reader.policy.allow_s3(asset.bucket, asset.s3_object_key, read=True)
    return asset.s3_object_url
