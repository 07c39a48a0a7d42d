"""SparkPipeline's ``.sync`` tasks: the state machine role holds each integration's published ``.sync`` policy (cancel
included), every Task state has a timeout, and EMR Serverless runs carry ``executionTimeoutMinutes`` as the
service-side backstop (stopping an execution cancels its job only best-effort).

The expected policies are typed from the Step Functions developer guide, not from our code:
https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html (StartJobRun, Run a Job (.sync)),
https://docs.aws.amazon.com/step-functions/latest/dg/emr-eks-iam.html (StartJobRun, Run a Job (.sync)) and
https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html (addStep, createCluster, terminateCluster).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from aws_cdk import Duration, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from emr_constructs import EmrCluster, EmrServerlessApplication
from emr_constructs.eks import EmrEksVirtualCluster
from emr_constructs.jobs import SparkJob
from emr_constructs.jobs.pipeline import PipelineTarget, SparkPipeline, TransientCluster
from tests.conftest import new_app

ACCOUNT, REGION = "123456789012", "eu-west-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/JobRole"
APPLICATION_ID, CLUSTER_ID, VIRTUAL_CLUSTER_ID = "00fabcdefghijk12", "j-2AXXXXXXGAPLF", "abc123vc"
JOBS = [
    SparkJob(name="prepare", entry_point="s3://bkt/prepare.py", timeout_minutes=45),
    SparkJob(name="report", entry_point="s3://bkt/report.py", arguments=["--day", "2026-12-04"]),
]
PIPELINE_TIMEOUT = Duration.hours(3)
TARGETS = ("Serverless", "Ec2Cluster", "TransientEc2", "Eks")


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    """One App, one stack per target (a fixed account and region, so ARNs render as plain text)."""
    app = new_app()
    env = Environment(account=ACCOUNT, region=REGION)
    stacks = {name: Stack(app, name, env=env) for name in TARGETS}

    def role(stack: Stack) -> iam.IRole:
        return iam.Role.from_role_arn(stack, "JobRole", ROLE_ARN, mutable=False)

    stack = stacks["Serverless"]
    application = EmrServerlessApplication.from_application_id(stack, "App", APPLICATION_ID)
    target = PipelineTarget.serverless(application, role(stack))
    SparkPipeline(stack, "Pipeline", jobs=JOBS, target=target, timeout=PIPELINE_TIMEOUT)

    stack = stacks["Ec2Cluster"]
    cluster = EmrCluster.from_cluster_id(stack, "Cluster", CLUSTER_ID)
    target = PipelineTarget.ec2_cluster(cluster, role(stack))
    SparkPipeline(stack, "Pipeline", jobs=JOBS, target=target, timeout=PIPELINE_TIMEOUT)

    stack = stacks["TransientEc2"]
    target = PipelineTarget.transient_ec2(TransientCluster(subnet_id="subnet-12345678"), role(stack))
    SparkPipeline(stack, "Pipeline", jobs=JOBS, target=target, timeout=PIPELINE_TIMEOUT)

    stack = stacks["Eks"]
    virtual_cluster = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", VIRTUAL_CLUSTER_ID)
    target = PipelineTarget.eks(virtual_cluster, role(stack), "emr-7.10.0-latest")
    SparkPipeline(stack, "Pipeline", jobs=JOBS, target=target, timeout=PIPELINE_TIMEOUT)

    return {name: Template.from_stack(stack) for name, stack in stacks.items()}


def _arn(rest: str) -> str:
    """An ARN as the template renders it (the stack's region fixes the partition)."""
    return f"arn:aws{rest}"


def _rule(name: str) -> str:
    return _arn(f":events:{REGION}:{ACCOUNT}:rule/{name}")


def _holds(template: Template, action: str, resource: Any, condition: tuple[str, Any, list[str]] | None = None) -> None:
    """The state machine's customer-managed policy allows ``action`` on ``resource`` in one statement, with
    ``condition`` (key, value, the operators that express it) when given. A single action or resource renders as
    a string, several as a list: both shapes are accepted."""
    errors = []
    for actions in (Match.array_with([action]), action):
        for resources in (Match.array_with([resource]), resource):
            statement: dict[str, Any] = {"Effect": "Allow", "Action": actions, "Resource": resources}
            operators: list[str | None] = list(condition[2]) if condition else [None]
            for operator in operators:
                if condition is not None:
                    statement["Condition"] = {operator: {condition[0]: condition[1]}}
                try:
                    template.has_resource_properties(
                        "AWS::IAM::ManagedPolicy",
                        {
                            "Description": "Spark pipeline state machine",
                            "PolicyDocument": {"Statement": Match.array_with([Match.object_like(statement)])},
                        },
                    )
                    return
                except RuntimeError as error:  # jsii's assertion failure: try the next rendering shape
                    errors.append(str(error).splitlines()[0])
    raise AssertionError(f"no statement allows {action} on {json.dumps(resource)} ({condition}): {errors[0]}")


def _statements(template: Template) -> list[dict[str, Any]]:
    (policy,) = [
        p
        for p in template.find_resources("AWS::IAM::ManagedPolicy").values()
        if p["Properties"].get("Description") == "Spark pipeline state machine"
    ]
    return policy["Properties"]["PolicyDocument"]["Statement"]


# ---- the published .sync policies ---------------------------------------------------------------------------------

APPLICATION = f":emr-serverless:{REGION}:{ACCOUNT}:/applications/{APPLICATION_ID}"
SERVERLESS_SYNC = [
    # emr-serverless-iam.html, "StartJobRun", Static resources, Run a Job (.sync):
    ("emr-serverless:StartJobRun", _arn(APPLICATION)),
    ("emr-serverless:GetJobRun", _arn(f"{APPLICATION}/jobruns/*")),
    ("emr-serverless:CancelJobRun", _arn(f"{APPLICATION}/jobruns/*")),  # cancel
    ("events:PutTargets", _rule("StepFunctionsGetEventsForEMRServerlessJobRule")),
    ("events:PutRule", _rule("StepFunctionsGetEventsForEMRServerlessJobRule")),
    ("events:DescribeRule", _rule("StepFunctionsGetEventsForEMRServerlessJobRule")),
]
VIRTUAL_CLUSTER = f":emr-containers:{REGION}:{ACCOUNT}:/virtualclusters/{VIRTUAL_CLUSTER_ID}"
EKS_SYNC = [
    # emr-eks-iam.html, "StartJobRun", Static resources, Run a Job (.sync) (StartJobRun's execution-role
    # condition is asserted below); the page lists no EventBridge rule for this integration.
    ("emr-containers:StartJobRun", _arn(VIRTUAL_CLUSTER)),
    ("emr-containers:DescribeJobRun", _arn(f"{VIRTUAL_CLUSTER}/jobruns/*")),
    ("emr-containers:CancelJobRun", _arn(f"{VIRTUAL_CLUSTER}/jobruns/*")),  # cancel
]
CLUSTER = f":elasticmapreduce:{REGION}:{ACCOUNT}:cluster/{CLUSTER_ID}"
ADD_STEP_RULE = "StepFunctionsGetEventForEMRAddJobFlowStepsRule"
EC2_CLUSTER_SYNC = [
    # emr-iam.html, "addStep", Static resources. The EventBridge rule is the one the page named in its earlier
    # revision (awsdocs/aws-step-functions-developer-guide, doc_source/emr-iam.md), "GetEvent", singular; the
    # current page lists the elasticmapreduce statement only.
    ("elasticmapreduce:AddJobFlowSteps", _arn(CLUSTER)),
    ("elasticmapreduce:DescribeStep", _arn(CLUSTER)),
    ("elasticmapreduce:CancelSteps", _arn(CLUSTER)),  # cancel
    ("events:PutTargets", _rule(ADD_STEP_RULE)),
    ("events:PutRule", _rule(ADD_STEP_RULE)),
    ("events:DescribeRule", _rule(ADD_STEP_RULE)),
]
TAGGED_CLUSTERS = _arn(f":elasticmapreduce:{REGION}:{ACCOUNT}:cluster/*")
TRANSIENT_SYNC = [
    # emr-iam.html, "createCluster" (RunJobFlow, DescribeCluster, TerminateJobFlows on "*": the cluster does not
    # exist yet; we scope DescribeCluster and TerminateJobFlows to clusters carrying the pipeline's tag and
    # RunJobFlow to requests carrying it, asserted in test_pipeline.py), "addStep" and "terminateCluster"
    # (TerminateJobFlows, DescribeCluster) on that cluster; rules as named in the page's earlier revision.
    ("elasticmapreduce:DescribeCluster", TAGGED_CLUSTERS),
    ("elasticmapreduce:TerminateJobFlows", TAGGED_CLUSTERS),  # cancel of createCluster
    ("elasticmapreduce:AddJobFlowSteps", TAGGED_CLUSTERS),
    ("elasticmapreduce:DescribeStep", TAGGED_CLUSTERS),
    ("elasticmapreduce:CancelSteps", TAGGED_CLUSTERS),  # cancel
    *[
        (action, _rule(rule))
        for rule in (
            "StepFunctionsGetEventForEMRRunJobFlowRule",
            ADD_STEP_RULE,
            "StepFunctionsGetEventForEMRTerminateJobFlowsRule",
        )
        for action in ("events:PutTargets", "events:PutRule", "events:DescribeRule")
    ],
]
PUBLISHED = {
    "Serverless": SERVERLESS_SYNC,
    "Ec2Cluster": EC2_CLUSTER_SYNC,
    "TransientEc2": TRANSIENT_SYNC,
    "Eks": EKS_SYNC,
}


@pytest.mark.parametrize(
    ("target", "action", "resource"), [(t, a, r) for t, expected in PUBLISHED.items() for a, r in expected]
)
def test_role_holds_each_action_of_the_published_sync_policy(
    templates: dict[str, Template], target: str, action: str, resource: Any
) -> None:
    _holds(templates[target], action, resource)


def test_transient_cluster_terminate_is_tag_scoped(templates: dict[str, Template]) -> None:
    _holds(
        templates["TransientEc2"],
        "elasticmapreduce:TerminateJobFlows",
        TAGGED_CLUSTERS,
        ("aws:ResourceTag/emr-constructs:pipeline", Match.any_value(), ["StringEquals"]),
    )


def test_serverless_passes_the_job_role_only_to_emr_serverless(templates: dict[str, Template]) -> None:
    # emr-serverless-iam.html: iam:PassRole on the job role, "StringEquals": {"iam:PassedToService":
    # "emr-serverless.amazonaws.com"} (StringLike without a wildcard is the same test).
    _holds(
        templates["Serverless"],
        "iam:PassRole",
        ROLE_ARN,
        ("iam:PassedToService", "emr-serverless.amazonaws.com", ["StringEquals", "StringLike"]),
    )


def test_eks_start_job_run_pins_the_execution_role(templates: dict[str, Template]) -> None:
    # emr-eks-iam.html: "StringEquals": {"emr-containers:ExecutionRoleArn": [executionRoleArn]} (ArnEquals is the
    # ARN form of the same test).
    _holds(
        templates["Eks"],
        "emr-containers:StartJobRun",
        _arn(VIRTUAL_CLUSTER),
        ("emr-containers:ExecutionRoleArn", ROLE_ARN, ["StringEquals", "ArnEquals"]),
    )


@pytest.mark.parametrize("target", TARGETS)
def test_events_rules_are_exactly_the_published_ones(templates: dict[str, Template], target: str) -> None:
    expected = {json.dumps(r) for a, r in PUBLISHED[target] if a.startswith("events:")}
    found = set()
    for statement in _statements(templates[target]):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(a.startswith("events:") for a in actions):
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            found |= {json.dumps(r) for r in resources}
    assert found == expected


# ---- timeouts -----------------------------------------------------------------------------------------------------


def _definition(template: Template) -> dict[str, Any]:
    """The state machine definition, parsed; a token inside a JSON string becomes the text TOKEN."""
    (machine,) = template.find_resources("AWS::StepFunctions::StateMachine").values()
    definition = machine["Properties"]["DefinitionString"]
    if isinstance(definition, dict):
        definition = "".join(p if isinstance(p, str) else "TOKEN" for p in definition["Fn::Join"][1])
    parsed: dict[str, Any] = json.loads(definition)
    return parsed


def _tasks(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, state in states.items():
        if state["Type"] == "Task":
            yield name, state
        for branch in state.get("Branches", []):
            yield from _tasks(branch["States"])
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from _tasks(state[key]["States"])


@pytest.mark.parametrize("target", TARGETS)
def test_every_task_state_has_a_timeout(templates: dict[str, Template], target: str) -> None:
    tasks = dict(_tasks(_definition(templates[target])["States"]))
    assert tasks
    missing = [name for name, state in tasks.items() if not {"TimeoutSeconds", "TimeoutSecondsPath"} & set(state)]
    assert not missing, f"Task states without a timeout: {missing}"


def _job_task(template: Template, job: str) -> dict[str, Any]:
    """The Task state that runs ``job`` (named after the job, or commented with it)."""
    (state,) = [s for n, s in _tasks(_definition(template)["States"]) if job in (n, s.get("Comment"))]
    return state


@pytest.mark.parametrize("target", TARGETS)
def test_job_tasks_time_out_after_the_job_timeout_else_the_pipeline_timeout(
    templates: dict[str, Template], target: str
) -> None:
    assert _job_task(templates[target], "prepare")["TimeoutSeconds"] == 45 * 60
    assert _job_task(templates[target], "report")["TimeoutSeconds"] == 3 * 60 * 60


def test_serverless_runs_carry_the_same_execution_timeout(templates: dict[str, Template]) -> None:
    # StartJobRun executionTimeoutMinutes: "If the job run exceeds this duration, Amazon EMR Serverless cancels it
    # automatically" (botocore emr-serverless service model).
    assert _job_task(templates["Serverless"], "prepare")["Parameters"]["ExecutionTimeoutMinutes"] == 45
    assert _job_task(templates["Serverless"], "report")["Parameters"]["ExecutionTimeoutMinutes"] == 180


# ---- validation ---------------------------------------------------------------------------------------------------


def _pipeline(jobs: list[SparkJob], timeout: Duration | None, serverless: bool = False) -> None:
    stack = Stack(new_app(), "Bad")
    if serverless:
        role = iam.Role.from_role_arn(stack, "JobRole", ROLE_ARN, mutable=False)
        application = EmrServerlessApplication.from_application_id(stack, "App", APPLICATION_ID)
        target = PipelineTarget.serverless(application, role)
    else:
        target = PipelineTarget.ec2_cluster(EmrCluster.from_cluster_id(stack, "Cluster", CLUSTER_ID))
    SparkPipeline(stack, "P", jobs=jobs, target=target, timeout=timeout)


@pytest.mark.parametrize(
    ("jobs", "timeout", "serverless", "message"),
    [
        (
            [JOBS[1], SparkJob(name="long", entry_point="s3://bkt/l.py", timeout_minutes=361)],
            None,
            False,
            r"jobs\[1\]\.timeout_minutes: got 361; must not exceed the pipeline's timeout \(360 minutes\)",
        ),
        (
            [SparkJob(name="long", entry_point="s3://bkt/l.py", timeout_minutes=121)],
            Duration.hours(2),
            True,
            r"jobs\[0\]\.timeout_minutes: got 121; must not exceed the pipeline's timeout \(120 minutes\)",
        ),
        ([JOBS[1]], Duration.seconds(30), False, r"timeout: got '30 seconds'; must be at least one minute"),
        # EMR Serverless: "For BATCH mode job runs, the maximum value is 10080 minutes (7 days)" (botocore model)
        (
            [SparkJob(name="long", entry_point="s3://bkt/l.py", timeout_minutes=10081)],
            Duration.days(8),
            True,
            r"jobs\[0\]\.timeout_minutes: got 10081; EMR Serverless allows at most 10080 minutes",
        ),
        ([JOBS[1]], Duration.days(8), True, r"timeout: got '8 days'; .*EMR Serverless allows at most 10080 minutes"),
    ],
)
def test_bad_timeouts(jobs: list[SparkJob], timeout: Duration | None, serverless: bool, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _pipeline(jobs, timeout, serverless)


def test_a_job_timeout_equal_to_the_pipeline_timeout_is_allowed() -> None:
    _pipeline([SparkJob(name="full", entry_point="s3://bkt/f.py", timeout_minutes=360)], None)
