"""``SparkPipeline``: a Step Functions state machine that runs ``SparkJob`` s in order on one EMR runtime.

Optimized integrations only, no SDK polling: ``EmrAddStep`` (.sync, with the step's runtime role), EMR Serverless
``startJobRun.sync`` (a custom state on the service integration ARN) and ``EmrContainersStartJobRun`` (.sync).
The state machine role is least privilege: aws-cdk-lib's task policies (EmrAddStep grants on ``cluster/*`` and
adds no ``iam:PassRole`` for the runtime role) are replaced by statements scoped to the target and its role.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from aws_cdk import Aws, Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import (
    EVENTS_MANAGED_RULE_ACTIONS,
    SFN_LOG_DELIVERY_ACTIONS,
    XRAY_ACTIONS,
    Emr,
    EmrContainers,
    EmrServerless,
    Iam,
    States,
)
from emr_constructs.core.spark import COMMAND_RUNNER_JAR
from emr_constructs.core.tags import PIPELINE_TAG_KEY
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.iam.service_roles import EMR_MANAGED_POLICY_TAG, EmrInstanceRole, EmrServiceRole
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.jobs.targets import PipelineTarget, TransientCluster, local_entry_point
from emr_constructs.monitoring.alarms import notify
from emr_constructs.storage.secure import SecureLogGroup

RULES = {
    "ec2": "StepFunctionsGetEventsForEMRAddJobFlowStepsRule",
    "serverless": "StepFunctionsGetEventsForEMRServerlessJobRule",
    "eks": "StepFunctionsGetEventsForEMRContainersJobRule",
}
"""The EventBridge rules Step Functions manages for each .sync integration."""
PIPELINE_TAG = PIPELINE_TAG_KEY
"""Tag on transient clusters; the state machine may only describe, step and terminate clusters carrying its value."""


class SparkPipeline(Construct):
    """Runs ``jobs`` in order on ``target``.

    :param schedule: an EventBridge Scheduler expression such as ``"cron(0 3 * * ? *)"``. Default: no schedule.
    :param schedule_enabled: Default: on (when a schedule is given).
    :param alarm_topic: notified when an execution fails. Default: no action.
    :param timeout: of one execution. Default: 6 hours.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jobs: Sequence[SparkJob],
        target: PipelineTarget,
        schedule: str | None = None,
        schedule_enabled: bool = True,
        alarm_topic: sns.ITopic | None = None,
        timeout: Duration | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        if not jobs:
            raise fail("jobs", list(jobs), "a pipeline needs at least one SparkJob")
        if len({j.name for j in jobs}) != len(jobs):
            raise fail("jobs", [j.name for j in jobs], "job names must be unique (they name the states)")
        if schedule is not None and not schedule.startswith(("cron(", "rate(", "at(")):
            raise fail("schedule", schedule, "must be a Scheduler expression: cron(...), rate(...) or at(...)")
        self.target = target
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
        self.policy = RolePolicy(self, "Policy", role=self.role, description="Spark pipeline state machine")
        states = [self._state(i, job) for i, job in enumerate(jobs)]
        chain = sfn.Chain.start(states[0])
        for state in states[1:]:
            chain = chain.next(state)
        if target.kind == "transient":
            chain = self._transient(chain)
        self.log_group = SecureLogGroup(self, "Logs", removal_policy=removal_policy).log_group
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(chain),
            role=self.role.without_policy_updates(),  # aws-cdk-lib's task policies are replaced below
            timeout=timeout or Duration.hours(6),
            tracing_enabled=True,
            logs=sfn.LogOptions(destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        )
        self.state_machine.node.add_dependency(self.policy)
        self._grant_target()
        self.policy.add_statements(
            iam.PolicyStatement(actions=SFN_LOG_DELIVERY_ACTIONS, resources=["*"]),
            iam.PolicyStatement(actions=XRAY_ACTIONS, resources=["*"]),
        )
        assert self.policy.policy is not None
        acknowledge(self.policy.policy, Reason.SFN_SERVICE_WILDCARDS)
        if target.kind == "transient":
            acknowledge(self.policy.policy, Reason.TRANSIENT_CLUSTER)
        self.failed_alarm = self.state_machine.metric_failed(period=Duration.minutes(5)).create_alarm(
            self,
            "ExecutionsFailed",
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description="Spark pipeline executions failed. Missing data (no execution) is not breaching.",
        )
        notify(self.failed_alarm, alarm_topic)
        if schedule is not None:
            self._schedule(schedule, schedule_enabled)

    @property
    def state_machine_arn(self) -> str:
        return self.state_machine.state_machine_arn

    # ---- states -------------------------------------------------------------------------------------------------

    def _state(self, index: int, job: SparkJob) -> sfn.IChainable:
        state_id = f"Job{index}"
        kind, target, role = self.target.kind, self.target.target, self.target.role
        if kind in ("ec2", "transient"):
            step = job.to_emr_step()
            cluster_id = target.cluster_id if kind == "ec2" else sfn.JsonPath.string_at("$.Cluster.ClusterId")
            return tasks.EmrAddStep(
                self,
                state_id,
                state_name=job.name,
                cluster_id=cluster_id,
                result_path=sfn.JsonPath.DISCARD,
                name=job.name,
                jar=COMMAND_RUNNER_JAR,
                args=step["HadoopJarStep"]["Args"],
                action_on_failure=tasks.ActionOnFailure(job.action_on_failure),
                execution_role_arn=role.role_arn if role else None,
                integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            )
        if kind == "serverless":
            assert role is not None
            request = job.to_serverless_start_job_run(target.application_id) if job.runtime_role_arn else (
                SparkJob(**{**job.__dict__, "runtime_role_arn": role.role_arn}).to_serverless_start_job_run(
                    target.application_id))  # fmt: skip
            return sfn.CustomState(self, state_id, state_json={
                "Type": "Task",
                "Resource": f"arn:{Aws.PARTITION}:states:::emr-serverless:startJobRun.sync",
                "Parameters": _pascal(request),
                "Comment": job.name,
            })  # fmt: skip
        assert role is not None and self.target.release_label is not None
        params = job.spark_submit_parameters()
        arguments = None
        setup: sfn.Pass | None = None
        if job.arguments:
            # The task takes the argument list from the state (a JSONPath); a Pass state puts it there.
            setup = sfn.Pass(
                self,
                f"{state_id}Arguments",
                state_name=f"{job.name} arguments",
                result=sfn.Result.from_array(list(job.arguments)),
                result_path=f"$.{state_id}Arguments",
            )
            arguments = sfn.TaskInput.from_json_path_at(f"$.{state_id}Arguments")
        task = tasks.EmrContainersStartJobRun(
            self, state_id, state_name=job.name, job_name=job.name,
            virtual_cluster=tasks.VirtualClusterInput.from_virtual_cluster_id(target.virtual_cluster_id),
            release_label=tasks.ReleaseLabel(self.target.release_label),
            # an immutable reference: aws-cdk-lib would otherwise add a logs:* grant to the execution role
            execution_role=iam.Role.from_role_arn(self, f"{state_id}Role", role.role_arn, mutable=False),
            job_driver=tasks.JobDriver(spark_submit_job_driver=tasks.SparkSubmitJobDriver(
                entry_point=sfn.TaskInput.from_text(job.entry_point), entry_point_arguments=arguments,
                spark_submit_parameters=shlex.join(params) if params else None)),
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            result_path=sfn.JsonPath.DISCARD,
        )  # fmt: skip
        return sfn.Chain.start(setup).next(task) if setup is not None else task

    def _transient(self, steps: sfn.Chain) -> sfn.Chain:
        spec: TransientCluster = self.target.target
        nodes = EmrInstanceRole(self, "ClusterNodes")
        service = EmrServiceRole(self, "ClusterService")
        service.allow_pass_instance_role(nodes.role)
        if spec.log_uri:
            bucket_name, _, prefix = spec.log_uri.removeprefix("s3://").partition("/")
            log_bucket = s3.Bucket.from_bucket_name(self, "ClusterLogBucket", bucket_name)
            nodes.policy.allow_s3(log_bucket, prefix or "*", read=False, write=True)
        # The createCluster.sync request is written out (not tasks.EmrCreateCluster): JobFlowRole must name the
        # instance profile, which EmrCreateCluster renders as the role name; the AmazonEMRServicePolicy_v2 request
        # tag must not depend on an aws-cdk-lib feature flag; and no legacy auto-scaling role is needed.
        request = {
            "Name": Names.unique_id(self)[-60:],
            "ReleaseLabel": spec.release_label,
            "Applications": [{"Name": "Spark"}],
            "ServiceRole": service.role.role_name,
            "JobFlowRole": nodes.instance_profile.instance_profile_name,
            "VisibleToAllUsers": True,
            "Tags": [{"Key": PIPELINE_TAG, "Value": self._tag},
                     {"Key": EMR_MANAGED_POLICY_TAG[0], "Value": EMR_MANAGED_POLICY_TAG[1]}],
            "Instances": {"Ec2SubnetId": spec.subnet_id, "KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": [
                {"InstanceRole": "MASTER", "InstanceType": spec.instance_type, "InstanceCount": 1},
                {"InstanceRole": "CORE", "InstanceType": spec.instance_type, "InstanceCount": spec.core_count}]},
            **({"LogUri": spec.log_uri} if spec.log_uri else {}),
            **({"SecurityConfiguration": spec.security_configuration} if spec.security_configuration else {}),
        }  # fmt: skip
        create = sfn.CustomState(self, "CreateCluster", state_json={
            "Type": "Task",
            "Resource": f"arn:{Aws.PARTITION}:states:::elasticmapreduce:createCluster.sync",
            "Parameters": request,
            "ResultPath": "$.Cluster",
            "Comment": "create cluster",
        })  # fmt: skip
        self._transient_roles = [service.role, nodes.role]
        cluster_id = sfn.JsonPath.string_at("$.Cluster.ClusterId")
        terminate = tasks.EmrTerminateCluster(self, "Terminate", state_name="terminate cluster", cluster_id=cluster_id,
                                              integration_pattern=sfn.IntegrationPattern.RUN_JOB)  # fmt: skip
        cleanup = tasks.EmrTerminateCluster(self, "TerminateAfterFailure", state_name="terminate after failure",
                                            cluster_id=cluster_id, integration_pattern=sfn.IntegrationPattern.RUN_JOB,
                                            result_path=sfn.JsonPath.DISCARD)  # fmt: skip
        failed = sfn.Fail(
            self, "StepsFailed", error="SparkStepFailed", cause="A step failed; the cluster was terminated"
        )
        body = sfn.Parallel(self, "Steps", state_name="steps", result_path=sfn.JsonPath.DISCARD).branch(steps)
        body.add_catch(cleanup.next(failed), result_path="$.Error")
        return sfn.Chain.start(create).next(body).next(terminate)

    @property
    def _tag(self) -> str:
        return Names.unique_id(self)[-100:]

    def _cluster_arn(self, cluster_id: str) -> str:
        return Stack.of(self).format_arn(service="elasticmapreduce", resource="cluster", resource_name=cluster_id)

    # ---- permissions --------------------------------------------------------------------------------------------

    def _events_rule(self, name: str) -> str:
        return Stack.of(self).format_arn(service="events", resource="rule", resource_name=name)

    def _grant_target(self) -> None:
        kind, target, role = self.target.kind, self.target.target, self.target.role
        events = EVENTS_MANAGED_RULE_ACTIONS
        statements: list[iam.PolicyStatement] = []
        if kind == "transient":
            tagged = {"StringEquals": {f"aws:ResourceTag/{PIPELINE_TAG}": self._tag}}
            statements += [
                iam.PolicyStatement(actions=[Emr.RUN_JOB_FLOW], resources=["*"],
                                    conditions={"StringEquals": {f"aws:RequestTag/{PIPELINE_TAG}": self._tag}}),
                # RunJobFlow with Tags also authorizes elasticmapreduce:AddTags on the new cluster
                iam.PolicyStatement(actions=[Emr.ADD_TAGS], resources=[self._cluster_arn("*")],
                                    conditions={"StringEquals": {f"aws:RequestTag/{PIPELINE_TAG}": self._tag}}),
                iam.PolicyStatement(actions=[Emr.DESCRIBE_CLUSTER, Emr.TERMINATE_JOB_FLOWS, Emr.ADD_JOB_FLOW_STEPS,
                                             Emr.DESCRIBE_STEP, Emr.CANCEL_STEPS],
                                    resources=[self._cluster_arn("*")], conditions=tagged),
                iam.PolicyStatement(actions=[Iam.PASS_ROLE], resources=[r.role_arn for r in self._transient_roles]),
                iam.PolicyStatement(actions=events, resources=[
                    self._events_rule("StepFunctionsGetEventsForEMRRunJobFlowRule"),
                    self._events_rule("StepFunctionsGetEventsForEMRTerminateJobFlowsRule"),
                    self._events_rule(RULES["ec2"])]),
            ]  # fmt: skip
            if role is not None:
                statements.append(iam.PolicyStatement(actions=[Iam.PASS_ROLE], resources=[role.role_arn]))
        elif kind == "ec2":
            statements += [
                iam.PolicyStatement(actions=[Emr.ADD_JOB_FLOW_STEPS, Emr.DESCRIBE_STEP, Emr.CANCEL_STEPS],
                                    resources=[target.cluster_arn]),
                iam.PolicyStatement(actions=events, resources=[self._events_rule(RULES["ec2"])]),
            ]  # fmt: skip
            if role is not None:
                statements.append(iam.PolicyStatement(actions=[Iam.PASS_ROLE], resources=[role.role_arn]))
        elif kind == "serverless":
            assert role is not None
            statements += [
                iam.PolicyStatement(actions=[EmrServerless.START_JOB_RUN, EmrServerless.GET_JOB_RUN,
                                             EmrServerless.CANCEL_JOB_RUN],
                                    resources=[target.application_arn, f"{target.application_arn}/jobruns/*"]),
                iam.PolicyStatement(actions=events, resources=[self._events_rule(RULES["serverless"])]),
                iam.PolicyStatement(actions=[Iam.PASS_ROLE], resources=[role.role_arn],
                                    conditions={"StringLike": {Iam.PASSED_TO_SERVICE: "emr-serverless.amazonaws.com"}}),
            ]  # fmt: skip
        else:
            assert role is not None
            statements += [
                iam.PolicyStatement(actions=[EmrContainers.START_JOB_RUN], resources=[target.virtual_cluster_arn],
                                    conditions={"ArnEquals": {EmrContainers.EXECUTION_ROLE_ARN: role.role_arn}}),
                iam.PolicyStatement(actions=[EmrContainers.DESCRIBE_JOB_RUN, EmrContainers.CANCEL_JOB_RUN],
                                    resources=[f"{target.virtual_cluster_arn}/jobruns/*"]),
                iam.PolicyStatement(actions=events, resources=[self._events_rule(RULES["eks"])]),
            ]  # fmt: skip
        self.policy.add_statements(*statements)

    def _schedule(self, expression: str, enabled: bool) -> None:
        source = {"StringEquals": {"aws:SourceAccount": Stack.of(self).account}}
        invoker = iam.Role(
            self, "SchedulerRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com", conditions=source)
        )
        RolePolicy(self, "SchedulerPolicy", role=invoker, description="Start the Spark pipeline").add_statements(
            iam.PolicyStatement(actions=[States.START_EXECUTION], resources=[self.state_machine_arn])
        )
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            schedule_expression=expression,
            state="ENABLED" if enabled else "DISABLED",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(arn=self.state_machine_arn, role_arn=invoker.role_arn),
        )
        self.schedule.node.add_dependency(invoker)


def _pascal(value: Any) -> Any:
    """camelCase API request -> the PascalCase parameters of the Step Functions optimized integration."""
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: (v if k == "tags" else _pascal(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    return value


__all__ = ["PipelineTarget", "SparkPipeline", "TransientCluster", "local_entry_point"]
