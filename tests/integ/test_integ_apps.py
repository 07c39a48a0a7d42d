"""The integration apps, offline: each synthesizes without credentials, passes the four nag packs and cfn-lint, has a
masked snapshot, and its assertion stack makes the right API calls with deployment-failing, time-limited waits.

Update the snapshots after an intended change with ``UPDATE_SNAPSHOTS=1 make test``.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import botocore.session
import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file

from stacks.app_builder import STACK_PREFIX as REFERENCE_STACK_PREFIX
from tests.conftest import ROOT, cdk_context
from tests.integ import common, run
from tests.integ.names import RUNTIMES, STACK_PREFIX, app_file, integ_stack_names
from tests.reference_app import is_annotation_warning
from tests.snapshots.test_snapshots import MASKS

SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__"
SALT = (re.compile(r'"salt": "\d+"'), '"salt": "<SALT>"')
"""integ-tests-alpha stamps every API call with ``Date.now()`` so CloudFormation re-runs it on each deploy."""
SDK_CALL = "Custom::DeployAssert@SdkCall"
CUSTOM_RESOURCE_LIMIT_SECONDS = 3600
"""CloudFormation waits at most one hour for a custom resource (ServiceTimeout 1-3600 s). See:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
"""

# (service as the app names it, botocore service name, API, the state it waits for or None, its time limit).
# Every state is checked against botocore's service model below, not against our own code.
EXPECTED_CALLS: dict[str, list[tuple[str, str, str, dict[str, Any] | None]]] = {
    "serverless": [
        ("EMRServerless", "emr-serverless", "GetApplication", {"application": {"state": ("CREATED", "STARTED")}}),
        ("EMRServerless", "emr-serverless", "StartJobRun", None),
        ("EMRServerless", "emr-serverless", "GetJobRun", {"jobRun": {"state": ("SUCCESS",)}}),
    ],
    "ec2": [
        ("EMR", "emr", "DescribeCluster", {"Cluster": {"Status": {"State": ("WAITING", "RUNNING")}}}),
        ("EMR", "emr", "AddJobFlowSteps", None),
        ("EMR", "emr", "DescribeStep", {"Step": {"Status": {"State": ("COMPLETED",)}}}),
    ],
    "eks": [
        ("EKS", "eks", "DescribeCluster", {"cluster": {"status": ("ACTIVE",)}}),
        ("EMRcontainers", "emr-containers", "DescribeVirtualCluster", {"virtualCluster": {"state": ("RUNNING",)}}),
        ("EMRcontainers", "emr-containers", "StartJobRun", None),
        ("EMRcontainers", "emr-containers", "DescribeJobRun", {"jobRun": {"state": ("COMPLETED",)}}),
    ],
}
JOB_TIMEOUTS = {"serverless": "GetJobRun", "ec2": "DescribeStep", "eks": "DescribeJobRun"}


@dataclass
class Synth:
    runtime: str
    outdir: Path
    templates: dict[str, dict[str, Any]]
    error: str | None

    @property
    def names(self) -> dict[str, str]:
        return integ_stack_names(self.runtime)

    @property
    def assertions(self) -> dict[str, Any]:
        return self.templates[self.names["assertions"]]

    @property
    def runtime_template(self) -> dict[str, Any]:
        return self.templates[self.names["runtime"]]

    def violations(self) -> list[tuple[str, str]]:
        report = json.loads((self.outdir / "validation-report.json").read_text())
        return [
            (v["ruleName"], c["constructPath"])
            for plugin in report["pluginReports"]
            for v in plugin["violations"]
            if not is_annotation_warning(plugin, v)
            for c in v["violatingConstructs"]
        ]

    def sdk_calls(self, api: str) -> list[dict[str, Any]]:
        """The assertion stack's SDK-call custom resources for ``api`` (``Custom::DeployAssert@SdkCall<svc><api>``)."""
        lowered = api[0].lower() + api[1:]
        return [
            {"LogicalId": logical_id, **resource}
            for logical_id, resource in self.assertions["Resources"].items()
            if resource["Type"].startswith(SDK_CALL) and resource["Properties"]["api"] == lowered
        ]

    def sdk_call(self, api: str) -> dict[str, Any]:
        found = self.sdk_calls(api)
        assert len(found) == 1, f"expected one {api} call, found {len(found)}"
        return found[0]


@pytest.fixture(scope="module", params=RUNTIMES)
def synth(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """Each integration app, synthesized once per module as ``make integ`` would (default environment)."""
    runtime = request.param
    outdir = tmp_path_factory.mktemp(f"integ-{runtime}")
    context = cdk_context()
    app = cdk.App(context=context, outdir=str(outdir))
    importlib.import_module(f"tests.integ.integ_{runtime}").build(app, context)
    try:
        assembly = app.synth()
    except RuntimeError as err:  # "ValidationFailed": findings of the nag packs
        return Synth(runtime, outdir, {}, str(err))
    return Synth(runtime, outdir, {s.stack_name: s.template for s in assembly.stacks}, None)


def mask(template: dict[str, Any]) -> str:
    text = json.dumps(template, indent=1, sort_keys=True)
    for pattern, replacement in [*MASKS, SALT]:
        text = pattern.sub(replacement, text)
    return text + "\n"


def _resource(template: dict[str, Any], ref: Any) -> dict[str, Any]:
    logical_id = ref["Ref"] if "Ref" in ref else ref["Fn::GetAtt"][0]
    return dict(template["Resources"][logical_id])


def _parameter(call: dict[str, Any], name: str) -> Any:
    """A parameter of an SDK call as written: integ-tests-alpha JSON-encodes each value (tokens stay intrinsics)."""
    return call["Properties"]["parameters"][name]


def _text(value: Any) -> str:
    """A template string value with its intrinsics rendered as ``<...>`` (enough to read parameters and regexps)."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        return "".join(_text(part) for part in value["Fn::Join"][1])
    return "<" + json.dumps(value, sort_keys=True) + ">"


def _stack_output(synth: Synth, value: Any) -> Any:
    """Follow a cross-stack reference (``Fn::GetStackOutput``) into the runtime stack's output value."""
    reference = value["Fn::GetStackOutput"]
    assert reference["StackName"] == synth.names["runtime"]
    return synth.runtime_template["Outputs"][reference["OutputName"]]["Value"]


def _unquoted(value: Any) -> Any:
    """A JSON-encoded string parameter (``"\\"" + token + "\\""``) as the token it quotes."""
    parts = value["Fn::Join"][1]
    assert parts[0] == '"' and parts[-1] == '"' and len(parts) == 3, value
    return parts[1]


def _waiter(synth: Synth, call: dict[str, Any]) -> dict[str, Any]:
    """The waiter state machine's definition, with its task Lambda handlers resolved."""
    machine = _resource(synth.assertions, call["Properties"]["stateMachineArn"])
    assert machine["Type"] == "AWS::StepFunctions::StateMachine"
    joined = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    handlers = {}
    text = ""
    for part in joined:
        if isinstance(part, str):
            text += part
        else:
            placeholder = f"HANDLER{len(handlers)}"
            handlers[placeholder] = _resource(synth.assertions, part)["Properties"]["Handler"]
            text += placeholder
    definition: dict[str, Any] = json.loads(text)
    for state in definition["States"].values():
        state["Handler"] = handlers.get(state.get("Resource", ""), None)
    return definition


def _waits(synth: Synth, call: dict[str, Any]) -> int:
    """Seconds the waiter retries ``call`` before its timeout handler fails the deployment."""
    definition = _waiter(synth, call)
    task = definition["States"][definition["StartAt"]]
    (retry,) = task["Retry"]
    assert task["Handler"] == "index.isComplete"
    assert retry["BackoffRate"] == 1
    (catch,) = task["Catch"]
    # Retries exhausted -> onTimeout, which answers FAILED to CloudFormation: an unmet expectation fails the deploy.
    assert definition["States"][catch["Next"]]["Handler"] == "index.onTimeout"
    return int(retry["MaxAttempts"] * retry["IntervalSeconds"])


def _output_shape_enum(service: str, operation: str, path: dict[str, Any]) -> tuple[list[str], tuple[str, ...]]:
    """Walk ``path`` (nested keys ending in the expected states) through botocore's output shape of ``operation``;
    return the enum of the final member and the expected states."""
    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).output_shape
    node: Any = path
    while isinstance(node, dict):
        ((key, node),) = node.items()
        assert key in shape.members, f"{service} {operation}: no member {key!r} in {shape.name}"
        shape = shape.members[key]
    return list(shape.enum), node


def _expected_states(expected: dict[str, Any]) -> tuple[str, ...]:
    """The states an expectation accepts: an exact string or a ``^(A|B)$`` regexp."""
    node: Any = expected["$ObjectLike"]
    while isinstance(node, dict) and "$StringLike" not in node:
        ((_, node),) = node.items()
    if isinstance(node, dict):
        match = re.fullmatch(r"\^\(([A-Z_|]+)\)\$", node["$StringLike"])
        assert match, node
        return tuple(match.group(1).split("|"))
    return (node,)


# ---- synthesis, compliance, snapshots -----------------------------------------------------------------------------


def test_each_app_synthesizes_its_test_stacks_and_assertion_stack_offline(synth: Synth) -> None:
    assert synth.error is None, synth.error
    assert set(synth.templates) == set(synth.names.values())


def test_no_nag_finding(synth: Synth) -> None:
    assert synth.violations() == []


def test_cfn_lint_is_clean_on_every_template(synth: Synth) -> None:
    templates = sorted(synth.outdir.glob("*.template.json"))
    assert len(templates) == 3
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    for template in templates:
        matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
        assert [str(m) for m in matches] == [], template.name


def test_every_stack_matches_its_snapshot(synth: Synth) -> None:
    for name, template in synth.templates.items():
        path = SNAPSHOT_DIR / f"{name}.json"
        actual = mask(template)
        if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (not path.exists() and os.environ.get("CI") != "true"):
            SNAPSHOT_DIR.mkdir(exist_ok=True)
            path.write_text(actual)
        assert path.exists(), f"missing snapshot {path}; run UPDATE_SNAPSHOTS=1 make test"
        assert actual == path.read_text(), f"{name} differs from {path}; review, then UPDATE_SNAPSHOTS=1 make test"


def test_masking_hides_the_per_deploy_salt() -> None:
    masked = mask({"Properties": {"salt": "1796397652266", "api": "getJobRun"}})
    assert '"salt": "<SALT>"' in masked and "1796397652266" not in masked


# ---- the stacks: reference defaults, deploy order, teardown ---------------------------------------------------------


def test_what_cloudformation_retains_is_what_teardown_deletes(synth: Synth) -> None:
    """With ``removal_policy: destroy`` the test stacks delete their resources, and aws-cdk-lib's auto-delete
    handler empties each bucket first. What is still retained (aws-cdk-lib's kubectl handler log group in the EKS
    stack) is of a type the driver's teardown deletes after ``cdk destroy``."""
    retained = []
    for name in (synth.names["network"], synth.names["runtime"]):
        resources = synth.templates[name]["Resources"]
        for logical_id, resource in resources.items():
            if resource.get("DeletionPolicy", "Delete") != "Delete":
                retained.append((name, logical_id, resource["Type"]))
            if resource["Type"] == "AWS::S3::Bucket":
                assert any(
                    r["Type"] == "Custom::S3AutoDeleteObjects" and r["Properties"]["BucketName"] == {"Ref": logical_id}
                    for r in resources.values()
                ), (name, logical_id)
    assert all(kind in run.CLEANED_TYPES for _, _, kind in retained), retained
    assert (synth.runtime == "eks") == bool(retained), retained


def test_the_assertion_stack_deploys_after_the_test_stacks(synth: Synth) -> None:
    """Deploy order: test stacks first, then the assertion stack (a stack dependency in the cloud assembly)."""
    manifest = json.loads((synth.outdir / "manifest.json").read_text())
    artifacts = manifest["artifacts"]
    assert synth.names["runtime"] in artifacts[synth.names["assertions"]]["dependencies"]
    assert synth.names["network"] in artifacts[synth.names["runtime"]]["dependencies"]
    integ = json.loads((synth.outdir / "integ.json").read_text())
    (case,) = integ["testCases"].values()
    assert case["stacks"] == [synth.names["network"], synth.names["runtime"]]
    assert case["assertionStack"] == synth.names["assertions"]


def test_stack_names_of_the_driver_match_the_apps() -> None:
    assert STACK_PREFIX == REFERENCE_STACK_PREFIX
    for runtime in RUNTIMES:
        assert (ROOT / app_file(runtime)).is_file()


# ---- the assertions -------------------------------------------------------------------------------------------------


def test_the_api_calls_wait_for_states_that_aws_defines(synth: Synth) -> None:
    """Each call is an operation of the service's botocore model, and each awaited state is a value of the response
    member's enum (e.g. emr-serverless GetJobRun jobRun.state SUCCESS), so a typo cannot wait forever."""
    for service, botocore_name, api, path in EXPECTED_CALLS[synth.runtime]:
        call = synth.sdk_call(api)
        assert call["Properties"]["service"] == service
        assert call["Type"] == f"{SDK_CALL}{service}{api[0].lower()}{api[1:]}"[:60]
        if path is None:
            assert "expected" not in call["Properties"] and "stateMachineArn" not in call["Properties"]
            continue
        enum, states = _output_shape_enum(botocore_name, api, path)
        assert set(states) <= set(enum), (api, states, enum)
        assert set(_expected_states(json.loads(call["Properties"]["expected"]))) == set(states)
        assert "stateMachineArn" in call["Properties"], f"{api}: an expectation without a waiter fails nothing"


def test_every_expectation_fails_the_deployment_within_the_custom_resource_limit(synth: Synth) -> None:
    calls = [r for r in synth.assertions["Resources"].values() if r["Type"].startswith(SDK_CALL)]
    expecting = [c for c in calls if "expected" in c["Properties"]]
    assert len(expecting) >= 4
    for call in expecting:
        call = {"LogicalId": "", **call}
        seconds = _waits(synth, call)
        assert 0 < seconds <= CUSTOM_RESOURCE_LIMIT_SECONDS, (call["Type"], seconds)


def test_the_job_waits_forty_minutes_and_the_output_five(synth: Synth) -> None:
    assert _waits(synth, synth.sdk_call(JOB_TIMEOUTS[synth.runtime])) == common.JOB_TIMEOUT.to_seconds() == 2400
    assert _waits(synth, synth.sdk_call("ListObjectsV2")) == common.OUTPUT_TIMEOUT.to_seconds() == 300


def test_the_job_runs_after_the_ready_check_and_is_the_run_that_is_awaited(synth: Synth) -> None:
    """Order through DependsOn: ready state -> submit -> job state -> output; the awaited run id is the submitted
    one (a GetAtt of the submit call's response)."""
    calls = EXPECTED_CALLS[synth.runtime]
    chain = [synth.sdk_call(api)["LogicalId"] for _, _, api, _ in calls] + [
        synth.sdk_call("ListObjectsV2")["LogicalId"]
    ]
    for before, after in itertools.pairwise(chain):
        assert before in synth.assertions["Resources"][after].get("DependsOn", []), (before, after)
    submit, awaited = calls[-2][2], calls[-1][2]
    run_id = {"serverless": "jobRunId", "ec2": "StepId", "eks": "id"}[synth.runtime]
    attribute = {
        "serverless": "apiCallResponse.jobRunId",
        "ec2": "apiCallResponse.StepIds.0",
        "eks": "apiCallResponse.id",
    }
    assert _unquoted(_parameter(synth.sdk_call(awaited), run_id)) == {
        "Fn::GetAtt": [synth.sdk_call(submit)["LogicalId"], attribute[synth.runtime]]
    }


def test_the_job_reads_the_uploaded_dataset_and_writes_where_the_output_is_checked(synth: Synth) -> None:
    submit = EXPECTED_CALLS[synth.runtime][-2][2]
    request = json.dumps(synth.sdk_call(submit)["Properties"]["parameters"])
    assert "integ/wordcount.py" in request and "raw/integ/wordcount/" in request
    assert "curated/integ/wordcount/deploy/" in request
    listing = synth.sdk_call("ListObjectsV2")
    assert _parameter(listing, "Prefix") == '"curated/integ/wordcount/deploy/"'
    expected = json.loads(listing["Properties"]["expected"])
    (item,) = expected["$ObjectLike"]["Contents"]["$ArrayWith"]
    assert item["$ObjectLike"]["Key"]["$StringLike"] == "^curated/integ/wordcount/deploy/part-"
    deployments = [
        r for r in synth.runtime_template["Resources"].values() if r["Type"] == "Custom::CDKBucketDeployment"
    ]
    prefixes = {d["Properties"].get("DestinationBucketKeyPrefix") for d in deployments}
    assert "raw/integ/wordcount/" in prefixes and any(p and p.endswith("integ/") for p in prefixes)


def test_the_submitting_function_may_pass_only_the_runtime_role(synth: Synth) -> None:
    submit = synth.sdk_call(EXPECTED_CALLS[synth.runtime][-2][2])
    role_parameter = {"serverless": "executionRoleArn", "ec2": "ExecutionRoleArn", "eks": "executionRoleArn"}
    role_arn = _unquoted(_parameter(submit, role_parameter[synth.runtime]))
    provider = _resource(synth.assertions, submit["Properties"]["ServiceToken"])
    role = _resource(synth.assertions, provider["Properties"]["Role"])
    statements = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    passing = [s for s in statements if "iam:PassRole" in s["Action"]]
    assert passing == [{"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": [role_arn]}]


def test_the_output_listing_may_list_the_data_bucket_only_and_no_made_up_action(synth: Synth) -> None:
    """ListObjectsV2 needs s3:ListBucket on the bucket; integ-tests-alpha derives ``s3:ListObjectsV2`` (no IAM
    action) on ``*``. Both functions that list (the caller and the waiter's is-complete function) get ListBucket on
    the data bucket instead.
    See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
    """
    listing = synth.sdk_call("ListObjectsV2")
    roles = [r for r in synth.assertions["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    statements = [
        s for r in roles for p in r["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]
    ]
    assert not [s for s in statements if common.LIST_OBJECTS_DERIVED in s["Action"]]
    granted = [s for s in statements if s["Action"] == ["s3:ListBucket"]]
    assert len(granted) == 2  # the calling function and the waiter's is-complete function
    bucket = _unquoted(_parameter(listing, "Bucket"))
    for statement in granted:
        (arn,) = statement["Resource"]
        assert _stack_output(synth, arn) == {"Fn::GetAtt": [_stack_output(synth, bucket)["Ref"], "Arn"]}


def test_alarm_delivery_is_forced_on_an_alarm_of_the_stack_that_notifies_the_encrypted_topic(synth: Synth) -> None:
    """SetAlarmState(ALARM) on an alarm whose AlarmActions hold the stack's KMS-encrypted topic, then
    DescribeAlarmHistory(HistoryItemType=Action) must list 'Successfully executed action <topic>' with the forced
    reason: CloudWatch itself published to the topic.
    See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
    """
    force = synth.sdk_call("SetAlarmState")
    assert _parameter(force, "StateValue") == '"ALARM"'
    assert _parameter(force, "StateReason") == json.dumps(common.ALARM_REASON)
    alarm_ref = _stack_output(synth, _unquoted(_parameter(force, "AlarmName")))
    alarm = _resource(synth.runtime_template, alarm_ref)
    assert alarm["Type"] == "AWS::CloudWatch::Alarm"
    (topic_ref,) = [a for a in alarm["Properties"]["AlarmActions"] if "Ref" in a]
    topic = _resource(synth.runtime_template, topic_ref)
    assert topic["Type"] == "AWS::SNS::Topic" and "KmsMasterKeyId" in topic["Properties"]

    history = synth.sdk_call("DescribeAlarmHistory")
    assert _parameter(history, "HistoryItemType") == '"Action"'
    assert _parameter(history, "AlarmName") == _parameter(force, "AlarmName")
    assert force["LogicalId"] in history["DependsOn"]
    prefix, topic_arn, suffix = history["Properties"]["expected"]["Fn::Join"][1]  # the topic ARN is a token
    (item,) = json.loads(prefix + "TOPIC" + suffix)["$ObjectLike"]["AlarmHistoryItems"]["$ArrayWith"]
    assert item["$ObjectLike"]["HistorySummary"]["$StringLike"] == "^Successfully executed action TOPIC$"
    assert _stack_output(synth, topic_arn) == topic_ref
    assert item["$ObjectLike"]["HistoryData"]["$StringLike"] == common.ALARM_REASON
    assert 0 < _waits(synth, history) <= CUSTOM_RESOURCE_LIMIT_SECONDS


def test_the_driver_reads_the_job_locations_from_the_assertion_stack(synth: Synth) -> None:
    outputs = synth.assertions["Outputs"]
    for key in ("EntryPoint", "InputUri", "OutputPrefix", "RuntimeRoleArn", "AlarmName"):
        assert key in outputs, key
    assert _text(outputs["EntryPoint"]["Value"]).endswith("integ/wordcount.py")
    if synth.runtime == "eks":
        assert outputs["ReleaseLabel"]["Value"].startswith("emr-")


def _iter_pod_template_confs(parameters: str) -> Iterator[str]:
    tokens = parameters.split()
    for flag, value in itertools.pairwise(tokens):
        if flag == "--conf" and "podTemplateFile" in value:
            yield value


def test_eks_job_uses_the_stacks_pod_templates_unquoted(synth: Synth) -> None:
    if synth.runtime != "eks":
        pytest.skip("EMR on EKS only")
    driver = _text(json.loads(json.dumps(_parameter(synth.sdk_call("StartJobRun"), "jobDriver"))))
    confs = list(_iter_pod_template_confs(driver.replace('\\"', '"')))
    assert len(confs) == 2 and all("'" not in conf for conf in confs), confs
