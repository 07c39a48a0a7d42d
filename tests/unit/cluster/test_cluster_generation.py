"""Recreating the reference stack's cluster after EMR terminated it (idle auto-termination): CloudFormation still
holds the TERMINATED cluster, so ``ec2.cluster_generation`` renames it, and a new name means a new cluster."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest

from stacks.config import ConfigError, load_config
from stacks.emr_ec2_stack import EmrEc2Stack
from stacks.network_stack import NetworkStack
from tests.conftest import ROOT, cdk_context

CFN_LINT_SCHEMAS = next((ROOT / ".venv").glob("lib/python*/site-packages/cfnlint/data/schemas"))


def _ec2_template(generation: int) -> dict[str, Any]:
    context = cdk_context(environments={"default": {"ec2": {"cluster_generation": generation}}})
    _, config = load_config(context)
    app = cdk.App(context=context)
    network = NetworkStack(
        app, "Emr-default-Network", config=config.network, interface_endpoints=config.network_interface_endpoints()
    )
    stack = EmrEc2Stack(
        app,
        "Emr-default-Ec2",
        config=config.ec2,
        vpc=network.vpc,
        subnet_type=network.private_subnet_type,
        application_tag="emr-platform",
        cost_center="data",
    )
    return dict(app.synth().get_stack_by_name(stack.stack_name).template)


@pytest.fixture(scope="module")
def templates() -> tuple[dict[str, Any], dict[str, Any]]:
    return _ec2_template(0), _ec2_template(1)


def _create_only(resource_type: str) -> set[str]:
    """The create-only properties of ``resource_type`` in the CloudFormation registry schema cfn-lint ships: changing
    one makes CloudFormation replace the resource."""
    index = json.loads((CFN_LINT_SCHEMAS / "providers" / "us-east-1.json").read_text())
    schema = json.loads((CFN_LINT_SCHEMAS / "resources" / f"{index[resource_type]}.json").read_text())
    return {p.removeprefix("/properties/") for p in schema["createOnlyProperties"]}


def _cluster(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (found,) = [(k, v) for k, v in template["Resources"].items() if v["Type"] == "AWS::EMR::Cluster"]
    return found


def test_a_new_generation_changes_a_create_only_property_of_the_cluster(templates: tuple[dict, dict]) -> None:
    """Rule: CloudFormation replaces an ``AWS::EMR::Cluster`` when a create-only property such as ``Name`` changes;
    a terminated cluster cannot be restarted, so replacement is the only way to get a running one."""
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-emr-cluster.html (Name:
    # "Update requires: Replacement"); https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-auto-termination-policy.html
    (_, before), (_, after) = _cluster(templates[0]), _cluster(templates[1])
    changed = {
        p
        for p in before["Properties"].keys() | after["Properties"].keys()
        if before["Properties"].get(p) != after["Properties"].get(p)
    }
    assert changed == {"Name"}
    assert "Name" in _create_only("AWS::EMR::Cluster")


def test_generation_zero_keeps_the_name_a_deployed_stack_already_has(templates: tuple[dict, dict]) -> None:
    assert _cluster(templates[0])[1]["Properties"]["Name"] == "Emr-default-Ec2-Cluster"
    assert _cluster(templates[1])[1]["Properties"]["Name"] == "Emr-default-Ec2-Cluster-gen1"


def test_a_new_generation_changes_nothing_else_stateful(templates: tuple[dict, dict]) -> None:
    """Same logical ids (buckets, keys, roles, log groups keep their identity); only the cluster differs."""
    before, after = templates
    assert before["Resources"].keys() == after["Resources"].keys()
    different = [k for k in before["Resources"] if before["Resources"][k] != after["Resources"][k]]
    assert different == [_cluster(before)[0]]


def test_cluster_generation_must_not_be_negative() -> None:
    context = cdk_context(environments={"default": {"ec2": {"cluster_generation": -1}}})
    with pytest.raises(ConfigError, match=r"environments\.default\.ec2\.cluster_generation: .*greater than or equal"):
        load_config(context)
