"""What the three integration apps share: the reference stacks of one runtime, the word-count assets, and the
deploy-time assertions every runtime makes (output object, alarm delivery).

An integration app is the reference network stack and one runtime stack, built by ``stacks.app_builder`` from a
``cdk.json`` environment (``-c env=NAME``, default ``default``) with only that runtime enabled and
``removal_policy: destroy``, plus an assertion stack (``aws-cdk.integ-tests-alpha``) that uploads the job, runs it
and checks the result while it deploys. Every expectation waits with ``wait_for_assertions``: one still unmet at
its time limit fails the deployment (a bare ``expect`` would only be reported in the stack outputs).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_sns as sns
from aws_cdk.integ_tests_alpha import ExpectedResult, IApiCall, IntegTest, Match

from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.storage import SecureBucket, SecureLogGroup
from stacks.app_builder import build_stacks
from stacks.config import ConfigError, EnvironmentConfig, load_config
from tests.integ.names import STACK_PREFIX, environment_name, integ_stack_names

ASSETS = Path(__file__).parent / "assets"
ALARM_REASON = "emr-constructs integration test: alarm delivery"
"""The state reason of the forced ALARM transition; CloudWatch copies it into the notification it publishes."""

# Time limits of the deploy-time waits. CloudFormation gives a custom resource at most one hour.
READY_TIMEOUT = cdk.Duration.minutes(20)
JOB_TIMEOUT = cdk.Duration.minutes(40)
OUTPUT_TIMEOUT = cdk.Duration.minutes(5)
ALARM_TIMEOUT = cdk.Duration.minutes(10)
POLL_INTERVAL = cdk.Duration.seconds(30)


def integ_environment(context: Mapping[str, Any], runtime: str) -> tuple[str, EnvironmentConfig]:
    """The environment of ``context['env']`` with only ``runtime`` enabled and every resource deleted with its stack
    (EMR on EKS on a created EKS cluster)."""
    name = environment_name(runtime)
    _, base = load_config(context)
    eks_update: dict[str, Any] = {"enabled": runtime == "eks"}
    if runtime == "eks":
        eks_update["create_cluster"] = True
    config = base.model_copy(
        update={
            "removal_policy": "destroy",
            "ec2": base.ec2.model_copy(update={"enabled": runtime == "ec2"}),
            "serverless": base.serverless.model_copy(update={"enabled": runtime == "serverless"}),
            "eks": base.eks.model_copy(update=eks_update),
        }
    )
    return name, config


@dataclass(frozen=True)
class IntegApp:
    """The stacks of one runtime's integration app and its ``IntegTest``."""

    app: cdk.App
    runtime: str
    config: EnvironmentConfig
    network: cdk.Stack
    runtime_stack: Any
    assertions: cdk.Stack
    test: IntegTest

    @classmethod
    def create(cls, app: cdk.App, runtime: str, context: Mapping[str, Any]) -> IntegApp:
        name, config = integ_environment(context, runtime)
        stacks = build_stacks(app, name, config)
        network, runtime_stack = stacks["network"], stacks[runtime]
        assert isinstance(network, cdk.Stack) and isinstance(runtime_stack, cdk.Stack)
        env = cdk.Environment(account=config.account, region=config.region) if config.account else None
        names = integ_stack_names(runtime)
        assertions = cdk.Stack(
            app,
            names["assertions"],
            env=env,
            description=f"Deploy-time assertions of the {runtime} integration test: uploads and runs a word count",
        )
        # The assertions read the test stacks' resources (cross-stack references); the explicit dependency also
        # orders `cdk deploy` and `cdk destroy` when a caller names several stacks.
        assertions.add_stack_dependency(runtime_stack)
        test = IntegTest(
            app,
            f"{STACK_PREFIX}-integ-{runtime}",
            test_cases=[network, runtime_stack],
            assertion_stack=assertions,
            diff_assets=False,
            stack_update_workflow=False,
        )
        return cls(app, runtime, config, network, runtime_stack, assertions, test)

    def data_bucket(self) -> s3.IBucket:
        """The runtime stack's data bucket (construct id ``Data``, see ``stacks.shared.platform_storage``)."""
        data = self.runtime_stack.node.find_child("Data")
        assert isinstance(data, SecureBucket)
        return data.bucket

    def alarm_topic(self) -> sns.Topic:
        """The runtime stack's alarm topic: the topic at or under construct id ``Alarms`` (``stacks.shared``)."""
        scope = self.runtime_stack.node.find_child("Alarms")
        topics = [c for c in scope.node.find_all() if isinstance(c, sns.Topic)]
        assert len(topics) == 1, f"expected one topic under {scope.node.path}, found {len(topics)}"
        return topics[0]

    def output(self, key: str, value: str, description: str) -> None:
        """A stack output of the assertion stack that ``make integ`` reads (e.g. the job's S3 locations)."""
        cdk.CfnOutput(self.assertions, key, value=value, description=description)

    def finish(self) -> None:
        """Correct the derived IAM actions and acknowledge the nag findings of the test-only infrastructure (after
        every assertion is added)."""
        replace_derived_action(self.assertions, LIST_OBJECTS_DERIVED, "s3:ListBucket", self.data_bucket().bucket_arn)
        acknowledge_test_infrastructure(self.assertions)


@dataclass(frozen=True)
class WordCount:
    """S3 locations of the word-count job and the deployments that upload its script and dataset."""

    bucket: s3.IBucket
    script_key: str
    input_prefix: str
    output_prefix: str
    uploads: tuple[s3deploy.BucketDeployment, ...]

    @property
    def script_uri(self) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.script_key}"

    @property
    def input_uri(self) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.input_prefix}"

    def output_uri(self, run: str) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.output_key(run)}"

    def output_key(self, run: str) -> str:
        return f"{self.output_prefix}{run}/"


def upload_word_count(
    integ: IntegApp, *, script_prefix: str, input_prefix: str, output_prefix: str, runtime_role: iam.IRole
) -> WordCount:
    """Upload ``assets/job/wordcount.py`` and ``assets/data/`` to the data bucket as CDK assets (in the runtime
    stack, next to the bucket), and publish the locations for ``make integ`` as outputs of the assertion stack."""
    bucket = integ.data_bucket()
    stack = integ.runtime_stack
    # BucketDeployment's handler logs to a KMS-encrypted group, as everything else of the platform does.
    log_group = SecureLogGroup(
        stack, "IntegUploadLogs", retention=logs.RetentionDays.ONE_WEEK, removal_policy=cdk.RemovalPolicy.DESTROY
    ).log_group
    uploads = tuple(
        s3deploy.BucketDeployment(
            stack,
            construct_id,
            sources=[s3deploy.Source.asset(str(ASSETS / folder))],
            destination_bucket=bucket,
            destination_key_prefix=prefix,
            retain_on_delete=False,
            log_group=log_group,
        )
        for construct_id, folder, prefix in (
            ("IntegWordCountScript", "job", script_prefix),
            ("IntegWordCountDataset", "data", input_prefix),
        )
    )
    for child in stack.node.children:  # BucketDeployment's stack-wide singleton function, as in PodTemplates
        if child.node.id.startswith("Custom::CDKBucketDeployment"):
            acknowledge(child, Reason.CDK_CUSTOM_RESOURCE_PROVIDER)
    job = WordCount(bucket, f"{script_prefix}wordcount.py", input_prefix, output_prefix, uploads)
    integ.output("EntryPoint", job.script_uri, "The word-count script (emrctl --entry-point)")
    integ.output("InputUri", job.input_uri, "The word-count dataset (first argument)")
    integ.output("OutputPrefix", f"s3://{bucket.bucket_name}/{output_prefix}", "Outputs go under <prefix><run>/")
    integ.output("RuntimeRoleArn", runtime_role.role_arn, "The role the job runs as")
    return job


def allow(call: IApiCall, actions: list[str], resources: list[str]) -> None:
    """Add a statement to the roles of the functions that make ``call``: its provider and, once it waits, the
    waiter's is-complete provider (which repeats the call). integ-tests-alpha derives one action per call from the
    API name, which is not always an IAM action (``s3:ListObjectsV2`` is ``s3:ListBucket``)."""
    statement = {"Effect": "Allow", "Action": actions, "Resource": resources}
    call.provider.add_to_role_policy(statement)
    waiter = getattr(call, "waiter_provider", None)
    if waiter is not None:
        waiter.add_to_role_policy(statement)


def pass_role(call: IApiCall, role: iam.IRole) -> None:
    """Let the function that makes ``call`` pass ``role`` to the EMR service (job submission)."""
    allow(call, ["iam:PassRole"], [role.role_arn])


def wait(call: IApiCall, expected: dict[str, Any], total_timeout: cdk.Duration) -> IApiCall:
    """Poll ``call`` until its response is like ``expected``; still unlike it after ``total_timeout`` fails the
    deployment (the waiter state machine's timeout handler answers FAILED to CloudFormation)."""
    return call.expect(ExpectedResult.object_like(expected)).wait_for_assertions(
        total_timeout=total_timeout, interval=POLL_INTERVAL
    )


def assert_output_exists(integ: IntegApp, job: WordCount, run: str) -> IApiCall:
    """The job wrote a ``part-`` file under its output prefix (ListObjectsV2: s3:ListBucket on the bucket)."""
    listing = integ.test.assertions.aws_api_call(
        "S3", "listObjectsV2", {"Bucket": job.bucket.bucket_name, "Prefix": job.output_key(run)}
    )
    pattern = Match.object_like({"Key": Match.string_like_regexp(f"^{job.output_key(run)}part-")})
    return wait(listing, {"Contents": Match.array_with([pattern])}, OUTPUT_TIMEOUT)


def notifying_alarm(stack: cdk.Stack, topic: sns.ITopic) -> cw.CfnAlarm:
    """The first alarm (by construct path) of ``stack`` whose ALARM action is ``topic``."""
    topic_ref = stack.resolve(topic.topic_arn)
    alarms = sorted(
        (c for c in stack.node.find_all() if isinstance(c, cw.CfnAlarm)),
        key=lambda alarm: alarm.node.path,
    )
    for alarm in alarms:
        if topic_ref in (stack.resolve(alarm.alarm_actions) or []):
            return alarm
    raise ValueError(f"stack {stack.stack_name} has no alarm whose action is {topic.node.path}")


def assert_alarm_delivery(integ: IntegApp) -> IApiCall:
    """CloudWatch itself delivers an alarm to the stack's (KMS-encrypted) topic: force an alarm of the stack into
    ALARM with ``SetAlarmState``, then wait until ``DescribeAlarmHistory`` lists that transition's action as
    succeeded. A publish by the assertion Lambda would only prove the Lambda's rights, not the topic's and key's
    policies for ``cloudwatch.amazonaws.com``.

    See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
    """
    topic = integ.alarm_topic()
    alarm = notifying_alarm(integ.runtime_stack, topic)
    calls = integ.test.assertions
    force = calls.aws_api_call(
        "CloudWatch", "setAlarmState", {"AlarmName": alarm.ref, "StateValue": "ALARM", "StateReason": ALARM_REASON}
    )
    history = calls.aws_api_call(
        "CloudWatch",
        "describeAlarmHistory",
        {"AlarmName": alarm.ref, "HistoryItemType": "Action", "ScanBy": "TimestampDescending", "MaxRecords": 50},
    )
    delivered = Match.object_like(
        {
            "HistorySummary": Match.string_like_regexp(f"^Successfully executed action {topic.topic_arn}$"),
            "HistoryData": Match.string_like_regexp(ALARM_REASON),
        }
    )
    force.next(wait(history, {"AlarmHistoryItems": Match.array_with([delivered])}, ALARM_TIMEOUT))
    integ.output("AlarmName", alarm.ref, "The alarm the test forced into ALARM")
    return force


LIST_OBJECTS_DERIVED = "s3:ListObjectsV2"
"""The action integ-tests-alpha derives from the API name of S3 ListObjectsV2; IAM calls it s3:ListBucket.
See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html (Permissions)"""


def replace_derived_action(assertions: cdk.Stack, derived: str, action: str, resource: str) -> None:
    """Rewrite each statement ``Allow derived on *`` of the assertion functions' roles into ``Allow action on
    resource``. integ-tests-alpha derives one action per call from the API name, which is not always an IAM action
    (cfn-lint W3037 reports it) and is always on ``*``."""
    for role in _generic_roles(assertions):
        policies = role.stack.resolve(role._cfn_properties).get("Policies") or []  # integ-tests-alpha's Lazy list
        for p, policy in enumerate(policies):
            for i, statement in enumerate(policy["PolicyDocument"]["Statement"]):
                if statement["Action"] in (derived, [derived]):
                    path = f"Policies.{p}.PolicyDocument.Statement.{i}"
                    role.add_property_override(f"{path}.Action", [action])
                    role.add_property_override(f"{path}.Resource", [resource])


def _generic_roles(stack: cdk.Stack) -> list[cdk.CfnResource]:
    """The roles integ-tests-alpha writes as plain ``CfnResource`` (not ``iam.CfnRole``)."""
    return [
        node
        for node in stack.node.find_all()
        if isinstance(node, cdk.CfnResource)
        and not isinstance(node, iam.CfnRole)
        and node.cfn_resource_type == "AWS::IAM::Role"
    ]


def acknowledge_test_infrastructure(assertions: cdk.Stack) -> None:
    """The Lambda functions, roles and waiter state machines that integ-tests-alpha and BucketDeployment generate
    in the assertion stack: deployment-time custom-resource machinery, acknowledged with the registry's reason
    (``acknowledge`` reads integ-tests-alpha's plain ``CfnResource`` roles like ``iam.CfnRole``)."""
    reason = Reason.INTEG_TEST_ASSERTIONS
    for node in assertions.node.find_all():
        if not isinstance(node, cdk.CfnResource):
            continue
        kind = node.cfn_resource_type
        if kind in ("AWS::Lambda::Function", "AWS::IAM::Role") or isinstance(node, iam.CfnPolicy):
            acknowledge(node, reason)


def main(build: Any) -> None:
    """Entry point of an integration app run by the CDK CLI (``cdk --app 'python tests/integ/integ_X.py'``)."""
    app = cdk.App()
    context = {"environments": app.node.try_get_context("environments"), "env": app.node.try_get_context("env")}
    try:
        build(app, context)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    app.synth()
