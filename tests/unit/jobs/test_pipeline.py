"""SparkPipeline: optimized Step Functions integrations, a least-privilege role, logs, tracing, alarm, schedule."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from emr_constructs import EmrCluster, EmrServerlessApplication
from emr_constructs.eks import EmrEksVirtualCluster
from emr_constructs.jobs import SparkJob
from emr_constructs.jobs.pipeline import PipelineTarget, SparkPipeline
from tests.conftest import new_app

JOBS = [
    SparkJob(name="prepare", entry_point="s3://bkt/prepare.py", arguments=["--day", "2026-11-23"]),
    SparkJob(name="report", entry_point="s3://bkt/report.py", executor_memory="4g"),
]
ROLE_ARN = "arn:aws:iam::123456789012:role/JobRole"


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Pipelines")
    role = iam.Role.from_role_arn(stack, "JobRole", ROLE_ARN, mutable=False)
    topic = sns.Topic(stack, "Topic")
    application = EmrServerlessApplication(stack, "Etl")
    SparkPipeline(
        stack,
        "Serverless",
        jobs=JOBS,
        target=PipelineTarget.serverless(application, role),
        schedule="cron(0 3 * * ? *)",
        alarm_topic=topic,
    )
    cluster = EmrCluster.from_cluster_id(stack, "Cluster", "j-2AXXXXXXGAPLF")
    SparkPipeline(stack, "Ec2", jobs=JOBS, target=PipelineTarget.ec2_cluster(cluster, role))
    virtual_cluster = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", "abc123vc")
    SparkPipeline(
        stack,
        "Eks",
        jobs=JOBS,
        target=PipelineTarget.eks(virtual_cluster, role, "emr-7.10.0-latest"),
        schedule="rate(1 day)",
        schedule_enabled=False,
    )
    return Template.from_stack(stack)


def _definition(template: Template, prefix: str) -> str:
    (machine,) = [
        v for k, v in template.find_resources("AWS::StepFunctions::StateMachine").items() if k.startswith(prefix)
    ]
    return json.dumps(machine["Properties"]["DefinitionString"])


def _statements(template: Template, prefix: str) -> list[dict[str, Any]]:
    (policy,) = [
        v for k, v in template.find_resources("AWS::IAM::ManagedPolicy").items() if k.startswith(f"{prefix}Policy")
    ]
    return policy["Properties"]["PolicyDocument"]["Statement"]


def test_serverless_uses_the_start_job_run_sync_integration(template: Template) -> None:
    definition = _definition(template, "Serverless")
    assert definition.count(":states:::emr-serverless:startJobRun.sync") == 2
    assert '\\"Next\\":\\"Job1\\"' in definition and '\\"EntryPoint\\":\\"s3://bkt/prepare.py\\"' in definition
    assert '\\"SparkSubmitParameters\\":\\"--conf spark.executor.memory=4g\\"' in definition


def test_ec2_uses_add_step_sync_with_the_runtime_role(template: Template) -> None:
    definition = _definition(template, "Ec2")
    assert definition.count(":states:::elasticmapreduce:addStep.sync") == 2
    assert ROLE_ARN in definition and "command-runner.jar" in definition


def test_eks_uses_start_job_run_sync(template: Template) -> None:
    definition = _definition(template, "Eks")
    assert definition.count(":states:::emr-containers:startJobRun.sync") == 2
    assert "emr-7.10.0-latest" in definition


def test_ec2_role_is_scoped_to_the_cluster_and_passes_the_runtime_role(template: Template) -> None:
    statements = _statements(template, "Ec2")
    steps = next(s for s in statements if "elasticmapreduce:AddJobFlowSteps" in s["Action"])
    assert "cluster/j-2AXXXXXXGAPLF" in json.dumps(steps["Resource"]) and "cluster/*" not in json.dumps(
        steps["Resource"]
    )
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    assert passing["Resource"] == ROLE_ARN


def test_serverless_role_passes_only_to_emr_serverless(template: Template) -> None:
    statements = _statements(template, "Serverless")
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    assert passing["Condition"] == {"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}
    runs = next(s for s in statements if "emr-serverless:StartJobRun" in s["Action"])
    assert "/jobruns/*" in json.dumps(runs["Resource"])


def test_eks_role_pins_the_execution_role(template: Template) -> None:
    statements = _statements(template, "Eks")
    start = next(s for s in statements if s["Action"] == "emr-containers:StartJobRun")
    assert start["Condition"] == {"ArnEquals": {"emr-containers:ExecutionRoleArn": ROLE_ARN}}


def test_no_inline_task_policies_reach_the_state_machine_roles(template: Template) -> None:
    policies = template.find_resources("AWS::IAM::Policy")
    assert not any(k.startswith(("Serverless", "Ec2", "Eks")) for k in policies)


def test_logs_tracing_and_failure_alarm(template: Template) -> None:
    (machine,) = [
        v for k, v in template.find_resources("AWS::StepFunctions::StateMachine").items() if k.startswith("Serverless")
    ]
    props = machine["Properties"]
    assert props["TracingConfiguration"] == {"Enabled": True}
    assert props["LoggingConfiguration"]["Level"] == "ALL"
    (alarm,) = [v for k, v in template.find_resources("AWS::CloudWatch::Alarm").items() if k.startswith("Serverless")]
    assert alarm["Properties"]["MetricName"] == "ExecutionsFailed" and alarm["Properties"]["AlarmActions"]


def test_schedules(template: Template) -> None:
    schedules = {k: v["Properties"] for k, v in template.find_resources("AWS::Scheduler::Schedule").items()}
    enabled = next(v for k, v in schedules.items() if k.startswith("Serverless"))
    disabled = next(v for k, v in schedules.items() if k.startswith("Eks"))
    assert (enabled["ScheduleExpression"], enabled["State"]) == ("cron(0 3 * * ? *)", "ENABLED")
    assert (disabled["ScheduleExpression"], disabled["State"]) == ("rate(1 day)", "DISABLED")


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"jobs": []}, r"jobs: got \[\]; a pipeline needs at least one SparkJob"),
        ({"jobs": [JOBS[0], JOBS[0]]}, r"jobs: got \['prepare', 'prepare'\]; job names must be unique"),
        ({"schedule": "0 3 * * *"}, r"schedule: got '0 3 \* \* \*'; must be a Scheduler expression"),
    ],
)
def test_bad_pipelines(props: dict, message: str) -> None:
    stack = Stack(new_app(), "Bad")
    cluster = EmrCluster.from_cluster_id(stack, "Cluster", "j-2AXXXXXXGAPLF")
    with pytest.raises(ValueError, match=message):
        SparkPipeline(stack, "P", **{"jobs": JOBS, "target": PipelineTarget.ec2_cluster(cluster), **props})


@pytest.fixture(scope="module")
def transient(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from emr_constructs import JobRuntimeRole, RuntimeRoleTrust
    from emr_constructs.jobs.pipeline import TransientCluster, local_entry_point

    script = tmp_path_factory.mktemp("job") / "etl.py"
    script.write_text("print('hello')\n")
    stack = Stack(new_app(), "Transient")
    role = JobRuntimeRole(stack, "JobRole", trust=RuntimeRoleTrust.serverless(stack))
    entry = local_entry_point(stack, "EtlScript", str(script), readers=[role])
    job = SparkJob(name="etl", entry_point=entry)
    SparkPipeline(
        stack,
        "Nightly",
        jobs=[job],
        target=PipelineTarget.transient_ec2(TransientCluster(subnet_id="subnet-12345678", log_uri="s3://my-logs/emr/")),
    )
    return Template.from_stack(stack)


def test_transient_cluster_is_created_stepped_and_terminated(transient: Template) -> None:
    definition = _definition(transient, "Nightly")
    for integration in (
        ":states:::elasticmapreduce:createCluster.sync",
        ":states:::elasticmapreduce:addStep.sync",
        ":states:::elasticmapreduce:terminateCluster.sync",
    ):
        assert integration in definition, integration
    assert "terminate after failure" in definition and "SparkStepFailed" in definition
    assert "m7g.xlarge" in definition and "subnet-12345678" in definition


def test_transient_permissions_are_tag_scoped(transient: Template) -> None:
    statements = _statements(transient, "Nightly")
    run = next(s for s in statements if s["Action"] == "elasticmapreduce:RunJobFlow")
    assert "aws:RequestTag/emr-constructs:pipeline" in run["Condition"]["StringEquals"]
    manage = next(s for s in statements if "elasticmapreduce:TerminateJobFlows" in s["Action"])
    assert "aws:ResourceTag/emr-constructs:pipeline" in manage["Condition"]["StringEquals"]
    roles = transient.find_resources("AWS::IAM::Role")
    assert not any(
        "AmazonElasticMapReduce" in json.dumps(r["Properties"].get("ManagedPolicyArns", [])) for r in roles.values()
    )


def test_local_entry_point_is_an_asset_readable_by_the_job_role(transient: Template) -> None:
    definition = _definition(transient, "Nightly")
    assert "cdk-hnb659fds-assets" in definition or "AssetParameters" in definition or ".py" in definition
    (policy,) = [
        v for k, v in transient.find_resources("AWS::IAM::ManagedPolicy").items() if k.startswith("JobRolePolicy")
    ]
    read = policy["Properties"]["PolicyDocument"]["Statement"][0]
    assert read["Action"] == ["s3:GetObject", "s3:GetObjectVersion"] and ".py" in json.dumps(read["Resource"])


# ---- the state machine's permissions: each runtime's own grants, nothing wider ----------------------------------


def _scope(resource: Any) -> str:
    """A short name for what a resource ARN points at."""
    text = json.dumps(resource)
    rule = re.search(r"rule/(\w+)", text)
    if rule:
        return f"rule/{rule[1]}"
    for needle, name in (("/jobruns/*", "job runs"), (ROLE_ARN, "job role"), ('"Etl', "application")):
        if needle in text:
            return name
    for needle, name in (("cluster/j-2AXXXXXXGAPLF", "cluster"), ("virtualclusters/abc123vc", "virtual cluster")):
        if needle in text:
            return name
    return "*" if resource == "*" else text


def _permissions(template: Template, prefix: str) -> set[tuple[tuple[str, ...], tuple[str, ...], str]]:
    """(actions, resources, condition) of each statement, without the log delivery and X-Ray statement."""
    found = set()
    for statement in _statements(template, prefix):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if actions[0].startswith(("logs:", "xray:")):
            continue
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        condition = json.dumps(statement.get("Condition", {}), sort_keys=True)
        found.add((tuple(sorted(actions)), tuple(sorted(_scope(r) for r in resources)), condition))
    return found


EVENTS = ("events:DescribeRule", "events:PutRule", "events:PutTargets")
EXPECTED_PERMISSIONS = {
    # The statements of the state machine role (the runtimes' grants, the EventBridge rules AWS documents).
    "Ec2": {
        (
            ("elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:CancelSteps", "elasticmapreduce:DescribeStep"),
            ("cluster",),
            "{}",
        ),
        (("iam:PassRole",), ("job role",), "{}"),
        # the rule as https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html named it ("GetEvent")
        (EVENTS, ("rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule",), "{}"),
    },
    "Serverless": {
        (
            ("emr-serverless:CancelJobRun", "emr-serverless:GetJobRun", "emr-serverless:StartJobRun"),
            ("application", "job runs"),
            "{}",
        ),
        (("iam:PassRole",), ("job role",), '{"StringLike": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}'),
        (EVENTS, ("rule/StepFunctionsGetEventsForEMRServerlessJobRule",), "{}"),
    },
    "Eks": {
        (
            ("emr-containers:StartJobRun",),
            ("virtual cluster",),
            f'{{"ArnEquals": {{"emr-containers:ExecutionRoleArn": "{ROLE_ARN}"}}}}',
        ),
        (("emr-containers:CancelJobRun", "emr-containers:DescribeJobRun"), ("job runs",), "{}"),
        # no EventBridge rule: https://docs.aws.amazon.com/step-functions/latest/dg/emr-eks-iam.html lists none
    },
}


@pytest.mark.parametrize("prefix", EXPECTED_PERMISSIONS)
def test_state_machine_permissions_are_exactly_what_the_sync_integration_needs(template: Template, prefix: str) -> None:
    assert _permissions(template, prefix) == EXPECTED_PERMISSIONS[prefix]


@pytest.mark.parametrize("prefix", EXPECTED_PERMISSIONS)
def test_state_machine_never_holds_more_on_the_runtime_than_grant_start_job_run(
    template: Template, prefix: str
) -> None:
    # The targets call the runtime's grant_submit/describe/cancel; together they stay within the CI grant.
    from emr_constructs.core import iam_actions

    ci_grant = {
        "Ec2": set(iam_actions.EMR_STEP_ACTIONS),
        "Serverless": set(iam_actions.EMR_SERVERLESS_JOB_RUN_ACTIONS),
        "Eks": {*iam_actions.EMR_CONTAINERS_JOB_RUN_ACTIONS, iam_actions.EmrContainers.START_JOB_RUN},
    }[prefix]
    on_runtime = {
        a for actions, _, _ in _permissions(template, prefix) for a in actions if not a.startswith(("events:", "iam:"))
    }
    assert on_runtime and on_runtime <= ci_grant


def test_eks_job_with_python_dependencies_puts_them_on_the_pythonpath() -> None:
    # The EKS task renders spark-submit parameters itself: it must name the runtime, as python_dependencies needs.
    stack = Stack(new_app(), "EksDeps")
    role = iam.Role.from_role_arn(stack, "JobRole", ROLE_ARN, mutable=False)
    virtual_cluster = EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Vc", "abc123vc")
    job = SparkJob(name="deps", entry_point="s3://bkt/job.py", python_dependencies="s3://bkt/deps.tar.gz")
    SparkPipeline(stack, "P", jobs=[job], target=PipelineTarget.eks(virtual_cluster, role, "emr-7.10.0-latest"))
    definition = _definition(Template.from_stack(stack), "P")
    assert "s3://bkt/deps.tar.gz#deps" in definition and "spark.kubernetes.driverEnv.PYTHONPATH=./deps" in definition
