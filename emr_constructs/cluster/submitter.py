"""Submits steps that carry a runtime role: CloudFormation's step types have no ExecutionRoleArn field.

One submitter per stack: aws-cdk-lib's ``AwsCustomResource`` runs in a stack-wide singleton Lambda function, so
its role and log group are shared and every cluster adds its own, narrowly scoped, permissions.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import custom_resources as cr
from constructs import Construct

from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import LOG_STREAM_WRITE_ACTIONS, Emr, Iam
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.storage.secure import SecureLogGroup

SUBMITTER_ID = "EmrRuntimeRoleStepSubmitter"
PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287"
"""The construct id aws-cdk-lib gives the AwsCustomResource singleton function."""


class StepSubmitter(Construct):
    """The role and encrypted log group of the Lambda function that calls AddJobFlowSteps."""

    @classmethod
    def of(cls, scope: Construct) -> StepSubmitter:
        stack = Stack.of(scope)
        existing = stack.node.try_find_child(SUBMITTER_ID)
        return existing if isinstance(existing, StepSubmitter) else cls(stack, SUBMITTER_ID)

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.log_group = SecureLogGroup(self, "Logs").log_group
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Submits EMR steps that run under a runtime role",
        )
        self.policy = RolePolicy(self, "Policy", role=self.role, description="Submit EMR runtime-role steps")
        self.policy.add_statements(
            iam.PolicyStatement(
                actions=LOG_STREAM_WRITE_ACTIONS,
                resources=[self.log_group.log_group_arn],
            )
        )

    def allow(self, cluster_arn: str, runtime_role: iam.IRole) -> None:
        """AddJobFlowSteps on one cluster, passing one runtime role."""
        self.policy.add_statements(
            iam.PolicyStatement(actions=[Emr.ADD_JOB_FLOW_STEPS], resources=[cluster_arn]),
            iam.PolicyStatement(actions=[Iam.PASS_ROLE], resources=[runtime_role.role_arn]),
        )

    def submit(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster_id: str,
        cluster_arn: str,
        step_request: dict[str, Any],
        runtime_role: iam.IRole,
        after: cr.AwsCustomResource | None,
    ) -> cr.AwsCustomResource:
        """Submit one step as ``runtime_role`` once the cluster exists, after the step ``after``."""
        self.allow(cluster_arn, runtime_role)
        call = cr.AwsSdkCall(
            service="EMR",
            action="addJobFlowSteps",
            parameters={"JobFlowId": cluster_id, "ExecutionRoleArn": runtime_role.role_arn, "Steps": [step_request]},
            physical_resource_id=cr.PhysicalResourceId.from_response("StepIds.0"),
        )
        submission = cr.AwsCustomResource(
            scope,
            construct_id,
            on_create=call,
            install_latest_aws_sdk=False,
            role=self.role,
            log_group=self.log_group,
        )
        submission.node.add_dependency(self)
        if after is not None:
            submission.node.add_dependency(after)
        self.acknowledge_provider()
        return submission

    def acknowledge_provider(self) -> None:
        provider = Stack.of(self).node.try_find_child(PROVIDER_ID)
        if provider is not None:
            acknowledge(provider, Reason.CDK_CUSTOM_RESOURCE_PROVIDER)
