"""``ApplicationLifecycleGuards``: let ``cdk deploy`` and ``cdk destroy`` succeed while an application is STARTED.

EMR Serverless rejects UpdateApplication unless the application is CREATED or STOPPED (only
``schedulerConfiguration.maxConcurrentRuns``, ``maximumCapacity``, ``imageConfiguration``,
``workerTypeSpecifications.imageConfiguration`` and extended-support settings may change while STARTED), and
DeleteApplication needs CREATED or STOPPED too; an application that ran a job stays STARTED until auto-stop stops it.
See: https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html,
https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_DeleteApplication.html,
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/updating-running-applications.html and
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/application-states.html

One custom resource cannot run both before the application's update and before its delete, so there are two:
- the update guard, which the application depends on (updated first); its properties carry a hash of the
  application's rendered properties (and the references in them), so it is updated whenever the application is; it
  finds the application by name, a create-only property, since it cannot reference the application's id; it also
  acts when it is created, for a live stack that adopts the guards and changes the application in the same deploy;
- the delete guard, which depends on the application (deleted first); its Delete handler stops the application.
StopApplication fails while jobs are scheduled or running
(https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StopApplication.html): ``RunningJobsOnChange``
says what the guards do with them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Aws, CfnResource, CustomResource, Duration, IStableAnyProducer, Lazy, RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from emr_constructs._internal.types import check_enum, check_type
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import LOG_STREAM_WRITE_ACTIONS, CloudFormation, EmrServerless
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION, SecureLogGroup

HANDLER_DIR = Path(__file__).parent / "_guard_handler"
UPDATE_GUARD_TYPE = "Custom::EmrServerlessUpdateGuard"
DELETE_GUARD_TYPE = "Custom::EmrServerlessDeleteGuard"
HANDLER_TIMEOUT = Duration.minutes(15)
"""Lambda's maximum: ``wait`` waits up to about 14 minutes (the handler keeps a minute to answer CloudFormation)."""
SERVICE_TIMEOUT = Duration.minutes(17)
"""CloudFormation gives up on a custom resource that has not answered by then (e.g. the function crashed)."""


class RunningJobsOnChange(Enum):
    """What the lifecycle guards do with job runs that are still unfinished when the application must stop.

    StopApplication fails while jobs are scheduled or running, and the application must be stopped before
    CloudFormation updates or deletes it.
    """

    WAIT = "wait"
    """Wait for them, up to about 14 minutes (the handler's Lambda timeout less a minute); then fail the deployment
    with a message naming the runs. CloudFormation rolls the change back; nothing is cancelled."""
    CANCEL = "cancel"
    """Cancel each unfinished run (CancelJobRun), then stop. The deployment always proceeds; the jobs are lost."""
    FAIL = "fail"
    """Fail the deployment at once, naming the runs; nothing waits, nothing is cancelled."""


DEFAULT_RUNNING_JOBS_ON_CHANGE = RunningJobsOnChange.WAIT


@jsii.implements(IStableAnyProducer)
class _PropertiesHash:
    """The SHA-256 of an L1 resource's rendered properties (tags included).

    Produced at synthesis, after aspects (``Tags``) ran; tokens hash as the intrinsics they render to.
    """

    def __init__(self, resource: CfnResource) -> None:
        self._resource = resource

    def produce(self) -> Any:
        return _properties_hash(_rendered_properties(self._resource))


@jsii.implements(IStableAnyProducer)
class _References:
    """The unresolved values (references, joins, imports) in an L1 resource's properties, each once: CloudFormation
    resolves them in the guard too, so a changed subnet id or key ARN changes the guard's properties even though the
    template's hash does not. Kept as tokens (not rendered intrinsics), so a reference to another stack becomes an
    import here as it does in the resource."""

    def __init__(self, resource: CfnResource) -> None:
        self._resource = resource

    def produce(self) -> Any:
        found: dict[str, Any] = {}
        _collect_tokens(self._resource._cfn_properties, found)  # protected in TypeScript, public in jsii
        return list(found.values()) or None


def _rendered_properties(resource: CfnResource) -> Any:
    """The resource's properties (tags included) with tokens resolved to intrinsics; escape-hatch overrides
    (``add_property_override``) are not part of them."""
    return Stack.of(resource).resolve(resource._cfn_properties)  # protected in TypeScript, public in jsii


def _properties_hash(properties: Any) -> str:
    """Deterministic: the same properties give the same hash in every synthesis."""
    text = json.dumps(properties, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _collect_tokens(value: Any, found: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for item in value.values():
            _collect_tokens(item, found)
    elif isinstance(value, (list, tuple)) and not Token.is_unresolved(value):
        for item in value:
            _collect_tokens(item, found)
    elif not isinstance(value, bool) and value is not None and Token.is_unresolved(value):
        found.setdefault(str(value) if isinstance(value, str) else repr(value), value)


class ApplicationLifecycleGuards(Construct):
    """The update guard and the delete guard of one ``AWS::EMRServerless::Application`` (see the module docstring).

    :param application: the L1 application; it gets a DependsOn on the update guard, the delete guard one on it.
    :param application_name: its name (create-only), by which the update guard finds it.
    :param running_jobs_on_change: Default: ``WAIT``.
    :param encryption_key: of the handler's log group. Default: a new key.
    :param log_retention: of the handler's log group. Default: one year.
    :param removal_policy: of the handler's log group (and key). Default: RETAIN.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        application: CfnResource,
        application_name: str,
        running_jobs_on_change: RunningJobsOnChange = DEFAULT_RUNNING_JOBS_ON_CHANGE,
        encryption_key: kms.IKey | None = None,
        log_retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("application", application, CfnResource)
        check_type("application_name", application_name, str)
        check_enum("running_jobs_on_change", running_jobs_on_change, RunningJobsOnChange, optional=False)
        self.running_jobs_on_change = running_jobs_on_change
        stack = Stack.of(self)
        self.log_group = SecureLogGroup(
            self, "Logs", encryption_key=encryption_key, retention=log_retention, removal_policy=removal_policy
        ).log_group
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Stops an EMR Serverless application before CloudFormation updates or deletes it",
        )
        applications = stack.format_arn(service="emr-serverless", resource="/applications", resource_name="*")
        policy = RolePolicy(self, "Policy", role=role, description="Stop EMR Serverless applications of this stack")
        policy.add_statements(
            iam.PolicyStatement(actions=LOG_STREAM_WRITE_ACTIONS, resources=[self.log_group.log_group_arn]),
            # No resource-level permissions: the Service Authorization Reference lists no resource type for it.
            # See: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonemrserverless.html
            iam.PolicyStatement(actions=[EmrServerless.LIST_APPLICATIONS], resources=["*"]),
            iam.PolicyStatement(
                actions=[EmrServerless.GET_APPLICATION, EmrServerless.STOP_APPLICATION, EmrServerless.LIST_JOB_RUNS],
                resources=[applications],
            ),
            iam.PolicyStatement(actions=[EmrServerless.CANCEL_JOB_RUN], resources=[f"{applications}/jobruns/*"]),
            # Is the stack rolling back? Then the update guard never fails (a failed rollback needs manual repair).
            iam.PolicyStatement(actions=[CloudFormation.DESCRIBE_STACKS], resources=[Aws.STACK_ID]),
        )
        self.function = lambda_.Function(
            self,
            "Handler",
            description="Stops an EMR Serverless application before CloudFormation updates or deletes it",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_asset(str(HANDLER_DIR), exclude=["__pycache__", "*.pyc"]),
            timeout=HANDLER_TIMEOUT,
            memory_size=128,
            role=role,
            log_group=self.log_group,
        )
        common = {"ApplicationName": application_name, "RunningJobs": running_jobs_on_change.value}
        self.update_guard = CustomResource(
            self,
            "UpdateGuard",
            service_token=self.function.function_arn,
            resource_type=UPDATE_GUARD_TYPE,
            properties={
                **common,
                "ApplicationPropertiesHash": Lazy.any(_PropertiesHash(application)),
                "ApplicationReferences": Lazy.any(_References(application)),
            },
            service_timeout=SERVICE_TIMEOUT,
        )
        self.delete_guard = CustomResource(
            self,
            "DeleteGuard",
            service_token=self.function.function_arn,
            resource_type=DELETE_GUARD_TYPE,
            properties={**common, "ApplicationId": application.ref},
            service_timeout=SERVICE_TIMEOUT,
        )
        assert policy.policy is not None
        for guard in (self.update_guard, self.delete_guard):
            # The function holds its permissions before CloudFormation invokes it, and until the guard is deleted.
            guard.node.add_dependency(policy.policy)
        update_cfn = self.update_guard.node.default_child
        delete_cfn = self.delete_guard.node.default_child
        assert isinstance(update_cfn, CfnResource) and isinstance(delete_cfn, CfnResource)
        application.add_resource_dependency(update_cfn)  # updated before the application
        delete_cfn.add_resource_dependency(application)  # deleted before the application
        acknowledge(self, Reason.SERVERLESS_LIFECYCLE_GUARD)
