"""Strict configuration (issue 9): JSON types as written (no bool-as-int, no string numbers), CIDRs that make a VPC,
bounds across keys, no look-alike digits or stray whitespace; each error names its full key path, and ``app.py``
prints it as one line with exit code 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from stacks.config import ConfigError, EnvironmentConfig, load_config, subnet_space_needed
from tests.conftest import ROOT, cdk_context

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10)))


def look_alike(text: str) -> str:
    """``text`` with its ASCII digits replaced by ARABIC-INDIC DIGITs (which ``str.isdigit`` and ``\\d`` accept)."""
    return text.translate(ARABIC_INDIC)


AZS = {"availability_zones": ["eu-west-1a", "eu-west-1b"]}
PINNED = {"account": "123456789012", "region": "eu-west-1"}

BAD: list[tuple[str, dict[str, Any]]] = [
    # strict JSON types
    ("ec2.idle_timeout_minutes", {"ec2": {"idle_timeout_minutes": True}}),
    ("ec2.idle_timeout_minutes", {"ec2": {"idle_timeout_minutes": "60"}}),
    ("ec2.idle_timeout_minutes", {"ec2": {"idle_timeout_minutes": 60.0}}),
    ("ec2.enabled", {"ec2": {"enabled": 1}}),
    ("ec2.enabled", {"ec2": {"enabled": "true"}}),
    ("serverless.iceberg", {"serverless": {"iceberg": "yes"}}),
    ("eks.create_cluster", {"eks": {"create_cluster": 0}}),
    ("network.max_azs", {"network": {"max_azs": "2"}}),
    ("network.nat_gateways", {"network": {"nat_gateways": False}}),
    ("network.flow_log_retention_days", {"network": {"flow_log_retention_days": "30"}}),
    ("serverless.log_retention_days", {"serverless": {"log_retention_days": True}}),
    ("ec2.managed_scaling.maximum_units", {"ec2": {"managed_scaling": {"maximum_units": "4"}}}),
    ("eks.quota_pods", {"eks": {"quota_pods": 2.5}}),
    ("eks.quota_cpu", {"eks": {"quota_cpu": 64}}),
    ("application_tag", {"application_tag": 7}),
    ("ec2.applications.0", {"ec2": {"applications": [1]}}),
    ("network.interface_endpoints", {"network": {"interface_endpoints": "sts"}}),
    ("ec2.managed_scaling", {"ec2": {"managed_scaling": [2, 10]}}),
    # CIDR
    ("network.cidr", {"network": {"cidr": "10.0.0.1/16"}}),
    ("network.cidr", {"network": {"cidr": "8.8.0.0/16"}}),
    ("network.cidr", {"network": {"cidr": "10.0.0.0/8"}}),
    ("network.cidr", {"network": {"cidr": "192.168.0.0/29"}}),
    ("network.cidr", {"network": {"cidr": "fd00::/48"}}),
    ("network.cidr", {"network": {"cidr": "10.0.0.0"}}),
    ("network.cidr", {"network": {"cidr": "10.0.0.0/22"}}),
    ("network.cidr", {"network": {"cidr": "10.0.0.0/19", "max_azs": 2}}),
    ("network.cidr", {"network": {"cidr": " 10.0.0.0/16"}}),
    ("network.cidr", {"network": {"cidr": "100.64.0.0/16"}}),
    # bounds across keys and against the library's limits
    ("ec2.managed_scaling.maximum_units", {"ec2": {"managed_scaling": {"minimum_units": 5, "maximum_units": 3}}}),
    ("ec2.managed_scaling.maximum_units", {"ec2": {"managed_scaling": {"maximum_units": 2001}}}),
    ("ec2.managed_scaling.maximum_on_demand_units", {"ec2": {"managed_scaling": {"maximum_on_demand_units": 11}}}),
    ("ec2.managed_scaling.maximum_core_units", {"ec2": {"managed_scaling": {"maximum_core_units": 12}}}),
    ("ec2.managed_scaling.maximum_core_units", {"ec2": {"managed_scaling": {"maximum_core_units": 1}}}),
    ("ec2.cluster_generation", {"ec2": {"cluster_generation": 10**6}}),
    ("serverless.max_vcpu", {"serverless": {"max_vcpu": 10**7}}),
    ("eks.quota_pods", {"eks": {"quota_pods": 0}}),
    ("network.availability_zones", {**PINNED, "network": {"availability_zones": ["us-east-1a"]}}),
    ("network.availability_zones", {**PINNED, "network": {"availability_zones": ["eu-west-1a", "eu-west-1a"]}}),
    ("network.availability_zones", {**PINNED, "network": {"availability_zones": []}}),
    ("ec2.applications", {"ec2": {"applications": ["Spark", "Spark"]}}),
    # look-alike digits, stray whitespace, bad text
    ("account", {**PINNED, "account": look_alike("123456789012"), "network": AZS}),
    ("region", {**PINNED, "region": look_alike("eu-west-1"), "network": AZS}),
    ("eks.quota_cpu", {"eks": {"quota_cpu": look_alike("64")}}),
    ("eks.quota_memory", {"eks": {"quota_memory": "256Gi "}}),
    ("application_tag", {"application_tag": " emr-platform"}),
    ("cost_center", {"cost_center": "data\tplatform"}),
    ("cost_center", {"cost_center": ""}),
    ("serverless.alarm_email", {"serverless": {"alarm_email": "ops"}}),
    ("eks.alarm_email", {"eks": {"alarm_email": "ops@example.com\n"}}),
    ("eks.kubectl_role_arn", {"eks": {"kubectl_role_arn": "arn:aws:iam::" + look_alike("111111111111") + ":role/k"}}),
    ("serverless.pipeline_schedule", {"serverless": {"pipeline_schedule": "cron(0 3 * * ? *) "}}),
    ("network.interface_endpoints.0", {"network": {"interface_endpoints": ["sts "]}}),
]


@pytest.mark.parametrize(("key", "environment"), BAD, ids=[f"{i}-{key}" for i, (key, _) in enumerate(BAD)])
def test_a_bad_value_is_rejected_naming_its_full_key_path(key: str, environment: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(cdk_context(env="bad", environments={"bad": environment}))
    message = str(caught.value)
    assert re.search(rf"environments\.bad\.{re.escape(key)}(\.\w+)?: ", message), message
    assert "\n" not in message


def test_the_table_is_large_and_distinct() -> None:
    assert len(BAD) >= 30
    assert len({json.dumps(environment, sort_keys=True) for _, environment in BAD}) == len(BAD)


@pytest.mark.parametrize(
    "environment",
    [
        {"network": {"cidr": "10.0.0.0/16"}},
        {"network": {"cidr": "172.16.0.0/18", "max_azs": 3}},
        {"network": {"cidr": "192.168.0.0/20", "nat_gateways": 0, "max_azs": 1}},
        {"serverless": {"architecture": "X86_64"}},
        {"ec2": {"managed_scaling": {"minimum_units": 10, "maximum_units": 10, "maximum_core_units": None}}},
        {**PINNED, "network": AZS},
    ],
)
def test_good_values_still_load(environment: dict[str, Any]) -> None:
    assert isinstance(load_config(cdk_context(env="ok", environments={"ok": environment}))[1], EnvironmentConfig)


def test_subnet_space_is_allocated_in_order_and_aligned() -> None:
    # Two /24 public subnets (0-511), then /20s aligned on 4096: 4096-8191 and 8192-12287.
    assert subnet_space_needed(2, 1) == 12288
    assert subnet_space_needed(2, 0) == 8192


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"environments": ["default"]}, r"environments: got list"),
        ({"environments": {"default": 5}}, r"environments\.default: got int"),
        ({"env": 3}, r"env: got 3"),
    ],
)
def test_a_bad_context_shape_is_a_config_error(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(cdk_context(**context))


def _run_app(tmp_path: Path, context: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    # The CDK CLI passes `-c key=value` and cdk.json context to the app in CDK_CONTEXT_JSON; App() reads it.
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.mark.parametrize(
    ("context", "key"),
    [
        (cdk_context(env="prod", environments={"prod": {"ec2": {"managed_scaling": {"maximum_units": "4"}}}}), "ec2"),
        (cdk_context(env="nope"), "env"),
        (cdk_context(environments={"default": {"network": {"cidr": "10.0.0.0/24"}}}), "network.cidr"),
    ],
    ids=["string-number", "unknown-env", "small-cidr"],
)
def test_app_py_prints_exactly_one_line_and_exits_2(tmp_path: Path, context: dict[str, Any], key: str) -> None:
    result = _run_app(tmp_path, context)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and key in lines[0]
    assert result.stdout == ""


def test_app_py_turns_a_construct_error_into_one_line(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    # Given a construct that rejects a value taken from the config, When app.py runs, Then one line and exit 2.
    import app

    def reject(*_: object) -> None:
        raise ValueError("managed_scaling.maximum_units: got 3;\n  must be at least 5")

    # (the jsii node process already runs, so CDK_CONTEXT_JSON set now would not reach App(): pass the context)
    monkeypatch.setattr(app, "App", lambda: App(context=cdk_context()))
    monkeypatch.setattr(app, "build_stacks", reject)
    with pytest.raises(SystemExit) as exited:
        app.main()
    assert exited.value.code == 2
    assert capsys.readouterr().err == "error: managed_scaling.maximum_units: got 3; must be at least 5\n"
