"""Moving an environment to a newer release label, and the synth-time warnings on resources a config change replaces.

The reference app is synthesized (with the four nag packs, so a warning never fails synthesis) for the default
configuration and for an upgraded one that changes each runtime's release label, and the two templates are compared.

AWS facts encoded here:
- ``AWS::EMRServerless::Application`` lists only Name and Type as createOnlyProperties (cfn-lint's schema): a new
  ReleaseLabel is an update of the same application, on the same logical id.
- ``AWS::EMR::Cluster`` lists ReleaseLabel and Name as createOnlyProperties: a new release replaces the cluster.
  CloudFormation creates the replacement first, then deletes the old resource unless its UpdateReplacePolicy is
  Retain ("You can apply the UpdateReplacePolicy attribute to any resource"):
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html
- EMR on EKS takes the release label per job run (StartJobRun releaseLabel); the virtual cluster has none.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match

from stacks.replacement import WARNING_ID
from tests.reference_app import SynthResult, synth_reference_app

NEW_RELEASE = "emr-7.12.0"
UPGRADED = {  # the same environment (so the same stack and resource names), newer releases
    "env": "default",
    "environments": {
        "default": {
            "serverless": {"release_label": NEW_RELEASE},
            "ec2": {"release_label": NEW_RELEASE, "cluster_generation": 1, "keep_replaced_cluster": True},
            "eks": {"release_label": f"{NEW_RELEASE}-latest"},
        }
    },
}


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SynthResult]:
    results = {
        "default": synth_reference_app(tmp_path_factory.mktemp("default")),
        "upgraded": synth_reference_app(tmp_path_factory.mktemp("upgraded"), **UPGRADED),
    }
    for name, result in results.items():
        assert result.error is None, f"{name}: {result.error}"
    return results


def _templates(result: SynthResult, runtime: str) -> dict[str, Any]:
    [template] = [t for name, t in result.templates().items() if name.endswith(f"-{runtime}")]
    return template


def _only(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    [found] = [(lid, r) for lid, r in template["Resources"].items() if r["Type"] == resource_type]
    return found


def _stack(result: SynthResult, runtime: str) -> Stack:
    [stack] = [c for c in result.app.node.children if isinstance(c, Stack) and c.stack_name.endswith(f"-{runtime}")]
    return stack


def test_serverless_upgrades_in_place(apps: dict[str, SynthResult]) -> None:
    before_id, before = _only(_templates(apps["default"], "Serverless"), "AWS::EMRServerless::Application")
    after_id, after = _only(_templates(apps["upgraded"], "Serverless"), "AWS::EMRServerless::Application")
    assert after_id == before_id
    assert after["Properties"]["ReleaseLabel"] == NEW_RELEASE != before["Properties"]["ReleaseLabel"]
    # The create-only properties stay: an update of the same application, not a replacement.
    for prop in ("Name", "Type"):
        assert after["Properties"][prop] == before["Properties"][prop]


def test_ec2_upgrade_creates_a_new_cluster_beside_the_old_one(apps: dict[str, SynthResult]) -> None:
    before_id, before = _only(_templates(apps["default"], "Ec2"), "AWS::EMR::Cluster")
    after_id, after = _only(_templates(apps["upgraded"], "Ec2"), "AWS::EMR::Cluster")
    assert after_id == before_id, "same logical id: CloudFormation replaces the cluster (new physical id)"
    props_before, props_after = before["Properties"], after["Properties"]
    assert props_after["ReleaseLabel"] == NEW_RELEASE != props_before["ReleaseLabel"]
    assert props_after["Name"] != props_before["Name"], "a new name: a custom-named resource is never replaced"
    assert props_after["Name"].endswith("-gen1")
    # The old cluster is retained (left running, out of the stack) on replacement, still terminated on stack delete.
    assert after["UpdateReplacePolicy"] == "Retain" and after["DeletionPolicy"] == "Delete"
    assert "UpdateReplacePolicy" not in before and "DeletionPolicy" not in before
    # The ClusterId output follows the new cluster (emrctl --stack reads it).
    assert _templates(apps["upgraded"], "Ec2")["Outputs"]["ClusterId"]["Value"] == {"Ref": after_id}


def test_eks_upgrades_per_job(apps: dict[str, SynthResult]) -> None:
    before_template, after_template = _templates(apps["default"], "Eks"), _templates(apps["upgraded"], "Eks")
    assert _only(after_template, "AWS::EMRContainers::VirtualCluster") == _only(
        before_template, "AWS::EMRContainers::VirtualCluster"
    )
    assert after_template["Outputs"]["ReleaseLabel"]["Value"] == f"{NEW_RELEASE}-latest"
    assert before_template["Outputs"]["ReleaseLabel"]["Value"] != f"{NEW_RELEASE}-latest"


@pytest.mark.parametrize(
    ("runtime", "path", "fields"),
    [
        ("Ec2", "Cluster/Resource", ["ec2.release_label", "ec2.cluster_generation", "ec2.capacity", "network.cidr"]),
        ("Eks", "VirtualCluster/Resource", ["eks.namespace", "eks.cluster_name", "eks.create_cluster"]),
    ],
)
def test_one_warning_names_the_fields_that_replace_a_stateful_resource(
    apps: dict[str, SynthResult], runtime: str, path: str, fields: list[str]
) -> None:
    stack = _stack(apps["default"], runtime)
    resource_path = f"/{stack.stack_name}/{path}"
    annotations = Annotations.from_stack(stack)
    for field in fields:
        annotations.has_warning(resource_path, Match.string_like_regexp(re.escape(field)))
    warnings = annotations.find_warning("*", Match.string_like_regexp("REPLACES"))
    assert [w.id for w in warnings] == [resource_path], "one warning, on the resource"
    assert f"[ack: {WARNING_ID}]" in str(warnings[0].entry.data)


def test_no_warning_on_the_serverless_application(apps: dict[str, SynthResult]) -> None:
    """No config field sets a create-only property of the application (its name follows the stack name)."""
    stack = _stack(apps["default"], "Serverless")
    assert Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("REPLACES")) == []
