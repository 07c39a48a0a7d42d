"""The lifecycle guards' place in the template: CloudFormation runs the update guard before it updates the application
and the delete guard before it deletes it, and the update guard changes whenever the application does.

AWS rules encoded here:
- UpdateApplication needs CREATED or STOPPED (a few fields excepted), DeleteApplication too:
  https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html,
  https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_DeleteApplication.html
- CloudFormation updates and creates a resource after the resources in its DependsOn, and deletes it before them:
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
- emr-serverless:ListApplications has no resource-level permissions; the application ARN is
  arn:${Partition}:emr-serverless:${Region}:${Account}:/applications/${ApplicationId}:
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonemrserverless.html
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Token
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from emr_constructs import EmrServerlessApplication, MaximumCapacity, RunningJobsOnChange
from emr_constructs.core.validation import PropTypeError
from tests.conftest import new_stack

UPDATE_GUARD = "Custom::EmrServerlessUpdateGuard"
DELETE_GUARD = "Custom::EmrServerlessDeleteGuard"


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    """Applications that share a name, a tag and a log bucket, so their properties differ only where a test says."""
    stack, vpc = new_stack()
    bucket = s3.Bucket(stack, "Shared")
    same = {"name": "guarded", "application_tag": "t", "log_bucket": bucket, "cloudwatch_logs": False}
    apps = {
        "base": EmrServerlessApplication(stack, "Base", **same),
        "twin": EmrServerlessApplication(stack, "Twin", **same),
        "tagged": EmrServerlessApplication(stack, "Tagged", cost_center="finance", **same),
        "bigger": EmrServerlessApplication(
            stack, "Bigger", maximum_capacity=MaximumCapacity(cpu_vcpu=64, memory_gb=256), **same
        ),
        "cancel": EmrServerlessApplication(stack, "Cancel", running_jobs_on_change=RunningJobsOnChange.CANCEL, **same),
        "vpc": EmrServerlessApplication(stack, "InVpc", vpc=vpc),
        "off": EmrServerlessApplication(stack, "Off", lifecycle_guards=False, **same),
    }
    template = Template.from_stack(stack)
    return {"stack": stack, "apps": apps, "template": template, "resources": template.to_json()["Resources"]}


def logical_id(built: dict[str, Any], key: str) -> str:
    app = built["apps"][key]
    return str(built["stack"].get_logical_id(app.node.default_child))


def guard(built: dict[str, Any], key: str, kind: str) -> tuple[str, dict[str, Any]]:
    prefix = f"{key.capitalize() if key != 'vpc' else 'InVpc'}LifecycleGuards"
    found = [(lid, res) for lid, res in built["resources"].items() if res["Type"] == kind and lid.startswith(prefix)]
    assert len(found) == 1, f"{kind} of {key}: {[lid for lid, _ in found]}"
    return found[0]


def app_hash(built: dict[str, Any], key: str) -> str:
    return str(guard(built, key, UPDATE_GUARD)[1]["Properties"]["ApplicationPropertiesHash"])


def test_the_application_depends_on_its_update_guard(built: dict[str, Any]) -> None:
    update_id, _ = guard(built, "base", UPDATE_GUARD)
    assert update_id in built["resources"][logical_id(built, "base")]["DependsOn"]


def test_the_delete_guard_depends_on_the_application(built: dict[str, Any]) -> None:
    _, delete = guard(built, "base", DELETE_GUARD)
    assert logical_id(built, "base") in delete["DependsOn"]
    assert delete["Properties"]["ApplicationId"] == {"Ref": logical_id(built, "base")}


def test_both_guards_hold_their_permissions_before_they_run(built: dict[str, Any]) -> None:
    policies = [
        lid
        for lid, res in built["resources"].items()
        if res["Type"] == "AWS::IAM::ManagedPolicy" and lid.startswith("BaseLifecycleGuards")
    ]
    assert len(policies) == 1
    for kind in (UPDATE_GUARD, DELETE_GUARD):
        assert policies[0] in guard(built, "base", kind)[1]["DependsOn"]


def test_the_update_guard_finds_the_application_by_its_name(built: dict[str, Any]) -> None:
    _, update = guard(built, "base", UPDATE_GUARD)
    assert update["Properties"]["ApplicationName"] == "guarded"
    assert built["resources"][logical_id(built, "base")]["Properties"]["Name"] == "guarded"


def test_the_hash_is_the_same_for_the_same_properties(built: dict[str, Any]) -> None:
    assert app_hash(built, "base") == app_hash(built, "twin")
    assert len(app_hash(built, "base")) == 64


def test_the_hash_changes_with_a_tag(built: dict[str, Any]) -> None:
    # Tags are applied by an aspect at synthesis: the hash is computed after it.
    assert app_hash(built, "tagged") != app_hash(built, "base")


def test_the_hash_changes_with_the_maximum_capacity(built: dict[str, Any]) -> None:
    assert app_hash(built, "bigger") != app_hash(built, "base")


def test_the_guard_changes_when_a_referenced_value_changes_at_deploy_time(built: dict[str, Any]) -> None:
    # A replaced subnet or security group changes the application but not its template: the references themselves
    # are guard properties, resolved by CloudFormation.
    _, update = guard(built, "vpc", UPDATE_GUARD)
    references = update["Properties"]["ApplicationReferences"]
    subnet_refs = [r for r in references if "Ref" in r and "Subnet" in r["Ref"]]
    assert len(subnet_refs) == 2
    assert any("Fn::GetAtt" in r and r["Fn::GetAtt"][1] == "GroupId" for r in references)


def test_the_running_jobs_choice_reaches_both_guards(built: dict[str, Any]) -> None:
    for kind in (UPDATE_GUARD, DELETE_GUARD):
        assert guard(built, "base", kind)[1]["Properties"]["RunningJobs"] == "wait"
        assert guard(built, "cancel", kind)[1]["Properties"]["RunningJobs"] == "cancel"


def test_opting_out_removes_both_guards_and_the_dependency(built: dict[str, Any]) -> None:
    off = [lid for lid in built["resources"] if lid.startswith("OffLifecycleGuards")]
    assert off == []
    assert "DependsOn" not in built["resources"][logical_id(built, "off")]
    assert built["apps"]["off"].lifecycle_guards is None


def test_the_handler_has_a_bounded_time_and_an_encrypted_retained_log_group(built: dict[str, Any]) -> None:
    functions = {
        lid: res
        for lid, res in built["resources"].items()
        if res["Type"] == "AWS::Lambda::Function" and lid.startswith("BaseLifecycleGuards")
    }
    ((_, function),) = functions.items()
    assert function["Properties"]["Timeout"] == 900
    assert function["Properties"]["Runtime"].startswith("python3.")
    group_ref = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    group = built["resources"][group_ref]
    assert group["DeletionPolicy"] == "Retain"
    assert "KmsKeyId" in group["Properties"]
    _, update = guard(built, "base", UPDATE_GUARD)
    assert int(update["Properties"]["ServiceTimeout"]) > 900, "CloudFormation waits longer than the function runs"


def _statements(built: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    ((_, policy),) = (
        (lid, res)
        for lid, res in built["resources"].items()
        if res["Type"] == "AWS::IAM::ManagedPolicy" and lid.startswith(prefix)
    )
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def test_the_handler_role_is_least_privilege(built: dict[str, Any]) -> None:
    statements = _statements(built, "BaseLifecycleGuards")
    by_action = {action: statement for statement in statements for action in _actions(statement)}
    assert set(by_action) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "emr-serverless:ListApplications",
        "emr-serverless:GetApplication",
        "emr-serverless:StopApplication",
        "emr-serverless:ListJobRuns",
        "emr-serverless:CancelJobRun",
        "cloudformation:DescribeStacks",
    }
    assert by_action["emr-serverless:ListApplications"]["Resource"] == "*"
    applications = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":emr-serverless:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":/applications/*",
            ],
        ]
    }
    for action in ("GetApplication", "StopApplication", "ListJobRuns"):
        assert by_action[f"emr-serverless:{action}"]["Resource"] == applications
    cancel = by_action["emr-serverless:CancelJobRun"]["Resource"]
    assert cancel["Fn::Join"][1][-1] == ":/applications/*/jobruns/*"
    assert by_action["cloudformation:DescribeStacks"]["Resource"] == {"Ref": "AWS::StackId"}
    # No UpdateApplication, DeleteApplication or StartApplication: the guards only stop.
    assert not any("Delete" in a or "Update" in a or "Start" in a for a in by_action)


def test_a_token_name_does_not_raise() -> None:
    stack, _ = new_stack()
    name = Token.as_string({"Ref": "AWS::StackName"})
    app = EmrServerlessApplication(stack, "Named", name=name)
    assert app.lifecycle_guards is not None


@pytest.mark.parametrize(
    ("prop", "value"),
    [("lifecycle_guards", "yes"), ("running_jobs_on_change", "cancel")],
)
def test_wrong_types_name_the_prop(prop: str, value: Any) -> None:
    stack, _ = new_stack()
    with pytest.raises(PropTypeError, match=prop):
        EmrServerlessApplication(stack, "Bad", **{prop: value})
