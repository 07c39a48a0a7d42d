"""``SparkPipeline``: a Step Functions state machine that runs ``SparkJob`` s in order on one EMR runtime.

Optimized integrations only, no SDK polling: ``EmrAddStep`` (.sync, with the step's runtime role), EMR Serverless
``startJobRun.sync`` (a custom state on the service integration ARN) and ``EmrContainersStartJobRun`` (.sync).
The state machine role is least privilege: aws-cdk-lib's task policies (EmrAddStep grants on ``cluster/*`` and
adds no ``iam:PassRole`` for the runtime role) are replaced by the target runtime's own grants, scoped to the
target and its role (see ``emr_constructs.jobs.targets``), which land in the role's customer-managed policy and
cover each action of the integration's published ``.sync`` policy, cancel included.

Every task has a timeout: the job's ``timeout_minutes``, else the pipeline's ``timeout`` (whole minutes). When an
execution stops or a task times out, Step Functions tries to cancel the job; AWS's documentation does not promise
it, so EMR Serverless runs also carry the same value as ``executionTimeoutMinutes`` and the service stops them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_type
from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import SFN_LOG_DELIVERY_ACTIONS, XRAY_ACTIONS, States
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.jobs.targets import PIPELINE_TAG, PipelineTarget, TransientCluster, local_entry_point
from emr_constructs.monitoring.alarms import notify
from emr_constructs.storage.secure import SecureLogGroup

DEFAULT_TIMEOUT = Duration.hours(6)
"""Of one execution, and of each job without ``timeout_minutes``."""


class _PolicyRole(iam.Role):
    """A role whose grants (``iam.Grant.add_to_principal``) land in its ``RolePolicy`` (customer-managed, as the
    compliance packs require) instead of an inline default policy."""

    def __init__(self, scope: Construct, construct_id: str, *, assumed_by: iam.IPrincipal, description: str) -> None:
        super().__init__(scope, construct_id, assumed_by=assumed_by)
        self.policy = RolePolicy(scope, "Policy", role=self, description=description)

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        self.policy.add_statements(statement)
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=self.policy)


class SparkPipeline(Construct):
    """Runs ``jobs`` in order on ``target``.

    :param schedule: an EventBridge Scheduler expression such as ``"cron(0 3 * * ? *)"``. Default: no schedule.
    :param schedule_enabled: Default: on (when a schedule is given).
    :param alarm_topic: notified when an execution fails. Default: no action.
    :param timeout: of one execution, at least one minute; also the task timeout of every job without
        ``timeout_minutes`` (in whole minutes; on EMR Serverless also its ``executionTimeoutMinutes``) and of the
        transient cluster's create and terminate tasks. A job's ``timeout_minutes`` may not exceed it.
        Default: 6 hours.
    :param log_encryption_key: the KMS key of the state machine's log group. Default: a new key for it. Pass the
        stack's key to share one (it gets the CloudWatch Logs statement once, see ``allow_cloudwatch_logs``).
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
        log_encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_sequence_of("jobs", jobs, SparkJob, optional=False)
        check_type("schedule", schedule, str, optional=True)
        check_type("schedule_enabled", schedule_enabled, bool)
        check_type("timeout", timeout, Duration, optional=True)
        check_type("log_encryption_key", log_encryption_key, kms.IKey, optional=True)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        if not jobs:
            raise fail("jobs", list(jobs), "a pipeline needs at least one SparkJob")
        if len({j.name for j in jobs}) != len(jobs):
            raise fail("jobs", [j.name for j in jobs], "job names must be unique (they name the states)")
        if schedule is not None and not schedule.startswith(("cron(", "rate(", "at(")):
            raise fail("schedule", schedule, "must be a Scheduler expression: cron(...), rate(...) or at(...)")
        timeout = timeout or DEFAULT_TIMEOUT
        jobs = _with_timeouts(jobs, timeout, target._max_timeout_minutes)
        self.target = target
        self.role = _PolicyRole(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            description="Spark pipeline state machine",
        )
        self.policy = self.role.policy
        states = [target._task(self, f"Job{i}", job) for i, job in enumerate(jobs)]
        chain = sfn.Chain.start(states[0])
        for state in states[1:]:
            chain = chain.next(state)
        chain = target._wrap(self, chain, Duration.minutes(int(timeout.to_seconds() // 60)))
        self.log_group = SecureLogGroup(
            self, "Logs", encryption_key=log_encryption_key, removal_policy=removal_policy
        ).log_group
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(chain),
            role=self.role.without_policy_updates(),  # aws-cdk-lib's task policies are replaced below
            timeout=timeout,
            tracing_enabled=True,
            logs=sfn.LogOptions(destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        )
        self.state_machine.node.add_dependency(self.policy)
        target._grant(self, self.role)
        self._check_sync_actions(target)
        self.policy.add_statements(
            iam.PolicyStatement(actions=SFN_LOG_DELIVERY_ACTIONS, resources=["*"]),
            iam.PolicyStatement(actions=XRAY_ACTIONS, resources=["*"]),
        )
        assert self.policy.policy is not None
        acknowledge(self.policy.policy, Reason.SFN_SERVICE_WILDCARDS)
        for reason in target._acknowledgments:
            acknowledge(self.policy.policy, reason)
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

    def _check_sync_actions(self, target: PipelineTarget) -> None:
        """The runtimes' grants cover each action of the target's published ``.sync`` policies (a library
        invariant: were a grant narrowed, Step Functions could no longer follow or cancel the job)."""
        assert self.policy.policy is not None
        document = Stack.of(self).resolve(self.policy.policy.document)
        held: set[str] = set()
        for statement in document["Statement"]:
            actions = statement["Action"]
            held.update([actions] if isinstance(actions, str) else actions)
        missing = [action for action in target._sync_actions if action not in held]
        if missing:
            raise AssertionError(f"SparkPipeline: the state machine role lacks {missing} of the .sync integration")

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


def _with_timeouts(jobs: Sequence[SparkJob], timeout: Duration, limit: int | None) -> list[SparkJob]:
    """``jobs``, each with its task timeout in ``timeout_minutes``: its own, else the pipeline's in whole minutes."""
    minutes = int(timeout.to_seconds() // 60)
    if minutes < 1:
        raise fail("timeout", timeout.to_human_string(), "must be at least one minute")
    result = []
    for i, job in enumerate(jobs):
        own = job.timeout_minutes
        if own is not None and own > minutes:
            raise fail(f"jobs[{i}].timeout_minutes", own, f"must not exceed the pipeline's timeout ({minutes} minutes)")
        if limit is not None and own is not None and own > limit:
            raise fail(f"jobs[{i}].timeout_minutes", own, f"EMR Serverless allows at most {limit} minutes")
        if limit is not None and own is None and minutes > limit:
            raise fail(
                "timeout",
                timeout.to_human_string(),
                f"jobs without timeout_minutes (jobs[{i}]) run with it as their limit and EMR Serverless allows at "
                f"most {limit} minutes; set the jobs' timeout_minutes or a shorter timeout",
            )
        result.append(job if own is not None else dataclasses.replace(job, timeout_minutes=minutes))
    return result


__all__ = ["PIPELINE_TAG", "PipelineTarget", "SparkPipeline", "TransientCluster", "local_entry_point"]
