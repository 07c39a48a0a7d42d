"""The reference Serverless stack guards its application by default; ``serverless.lifecycle_guards`` turns it off.

EMR Serverless updates and deletes only a CREATED or STOPPED application:
https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_UpdateApplication.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from emr_constructs import RunningJobsOnChange
from stacks.config import ConfigError, ServerlessConfig, load_config
from stacks.emr_serverless_stack import EmrServerlessStack
from tests.conftest import cdk_context, new_app

UPDATE_GUARD = "Custom::EmrServerlessUpdateGuard"
DELETE_GUARD = "Custom::EmrServerlessDeleteGuard"


def _serverless_template(config: ServerlessConfig, tmp_path: Path) -> dict[str, Any]:
    app = new_app(tmp_path)
    network = cdk.Stack(app, "Network")
    vpc = cdk.aws_ec2.Vpc(network, "Vpc", max_azs=2, nat_gateways=1)
    stack = EmrServerlessStack(
        app,
        "Serverless",
        config=config,
        vpc=vpc,
        subnet_type=cdk.aws_ec2.SubnetType.PRIVATE_WITH_EGRESS,
        application_tag="emr-platform",
        cost_center="data",
    )
    template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return template


def _types(template: dict[str, Any]) -> list[str]:
    return [r["Type"] for r in template["Resources"].values()]


def test_the_config_defaults_to_guards_that_wait_for_running_jobs() -> None:
    _, config = load_config(cdk_context())
    assert config.serverless.lifecycle_guards is True
    assert config.serverless.running_jobs_on_change is RunningJobsOnChange.WAIT


def test_the_config_reads_the_choice_by_its_value() -> None:
    environment = {"serverless": {"lifecycle_guards": False, "running_jobs_on_change": "cancel"}}
    _, config = load_config(cdk_context(env="x", environments={"x": environment}))
    assert config.serverless.lifecycle_guards is False
    assert config.serverless.running_jobs_on_change is RunningJobsOnChange.CANCEL


def test_a_wrong_choice_names_the_key() -> None:
    environment = {"serverless": {"running_jobs_on_change": "ignore"}}
    with pytest.raises(ConfigError, match=r"environments\.bad\.serverless\.running_jobs_on_change: Input should be"):
        load_config(cdk_context(env="bad", environments={"bad": environment}))


def test_the_reference_stack_guards_its_application(tmp_path: Path) -> None:
    template = _serverless_template(ServerlessConfig(running_jobs_on_change=RunningJobsOnChange.FAIL), tmp_path)
    guards = {r["Type"]: r for r in template["Resources"].values() if r["Type"] in (UPDATE_GUARD, DELETE_GUARD)}
    assert set(guards) == {UPDATE_GUARD, DELETE_GUARD}
    assert {g["Properties"]["RunningJobs"] for g in guards.values()} == {"fail"}
    ((app_id, application),) = (
        (lid, r) for lid, r in template["Resources"].items() if r["Type"] == "AWS::EMRServerless::Application"
    )
    assert any(template["Resources"][d]["Type"] == UPDATE_GUARD for d in application["DependsOn"])
    assert app_id in guards[DELETE_GUARD]["DependsOn"]
    # The subnets live in the network stack: the guard refers to them the way the application does.
    references = guards[UPDATE_GUARD]["Properties"]["ApplicationReferences"]
    subnets = application["Properties"]["NetworkConfiguration"]["SubnetIds"]
    assert len(subnets) == 2 and all(subnet in references for subnet in subnets), references
    assert not any("Ref" in subnet for subnet in subnets)


def test_the_reference_stack_can_opt_out(tmp_path: Path) -> None:
    template = _serverless_template(ServerlessConfig(lifecycle_guards=False), tmp_path)
    assert UPDATE_GUARD not in _types(template) and DELETE_GUARD not in _types(template)
