"""The configuration is parsed once into the library's types: the stacks receive a ``ReleaseLabel``, a
``ClusterCapacity``, an ``Architecture``, a ``CapacityProvider`` and ``logs.RetentionDays``, never the text of
``cdk.json``; a bad value still fails at load time naming its key path; and the parsed config dumps back to the
same plain JSON that ``cdk.json`` holds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import aws_logs as logs
from pydantic import ValidationError

from emr_constructs.cluster.capacity import ClusterCapacity
from emr_constructs.eks.scheduling import CapacityProvider
from emr_constructs.releases import ReleaseLabel
from emr_constructs.serverless import Architecture
from stacks.config import ConfigError, EksConfig, EnvironmentConfig, load_config
from tests.conftest import cdk_context

VARIANT = {
    "network": {"flow_log_retention_days": 30},
    "ec2": {"release_label": "emr-6.15.0", "capacity": "groups"},
    "serverless": {"release_label": "emr-7.5.0", "architecture": "X86_64", "log_retention_days": 7},
    "eks": {"release_label": "emr-7.5.0-20250131", "capacity_provider": "karpenter", "log_retention_days": 3653},
}


def _load(environment: dict[str, Any]) -> EnvironmentConfig:
    return load_config(cdk_context(env="x", environments={"x": environment}))[1]


def test_release_labels_are_release_label_instances() -> None:
    config = _load(VARIANT)
    releases = {"ec2": config.ec2.release_label, "serverless": config.serverless.release_label}
    releases["eks"] = config.eks.release_label
    assert all(isinstance(release, ReleaseLabel) for release in releases.values())
    assert releases["ec2"].version == (6, 15, 0) and releases["ec2"].suffix is None
    assert releases["eks"].version == (7, 5, 0) and releases["eks"].suffix == "20250131"


def test_defaults_are_library_values_too() -> None:
    config = EnvironmentConfig()
    assert isinstance(config.ec2.release_label, ReleaseLabel)
    assert isinstance(config.ec2.capacity, ClusterCapacity) and config.ec2.capacity.kind == "fleets"
    assert config.serverless.architecture is Architecture.ARM64
    assert config.eks.capacity_provider is CapacityProvider.MANAGED_NODE_GROUPS
    assert config.eks.log_retention_days == logs.RetentionDays.ONE_YEAR


def test_choices_are_the_library_objects_they_name() -> None:
    config = _load(VARIANT)
    assert config.ec2.capacity == ClusterCapacity.instance_groups()
    assert config.serverless.architecture is Architecture.X86_64
    assert config.eks.capacity_provider is CapacityProvider.KARPENTER
    assert config.network.flow_log_retention_days == logs.RetentionDays.ONE_MONTH
    assert config.serverless.log_retention_days == logs.RetentionDays.ONE_WEEK
    assert config.eks.log_retention_days == logs.RetentionDays.TEN_YEARS


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"ec2": {"release_label": "emr-7.5.0-latest"}},
            r"environments\.x\.ec2\.release_label: Value error, release_label: got 'emr-7\.5\.0-latest'; EMR on EC2 "
            r"takes 'emr-X\.Y\.Z'",
        ),
        ({"serverless": {"release_label": 7}}, r"environments\.x\.serverless\.release_label: .*must be a string"),
        ({"eks": {"release_label": "emr-7.5"}}, r"environments\.x\.eks\.release_label: .*got 'emr-7\.5'; must look"),
        (
            {"ec2": {"capacity": "mixed"}},
            r"environments\.x\.ec2\.capacity: Value error, capacity: got 'mixed'; must be 'fleets' or 'groups'",
        ),
        (
            {"eks": {"capacity_provider": "fargate"}},
            r"environments\.x\.eks\.capacity_provider: .*got 'fargate'; must be 'node_groups' or 'karpenter'",
        ),
        ({"eks": {"log_retention_days": 42}}, r"environments\.x\.eks\.log_retention_days: .*CloudWatch Logs allows"),
        ({"eks": {"log_retention_days": "a year"}}, r"environments\.x\.eks\.log_retention_days: .*valid integer"),
    ],
)
def test_a_bad_value_names_its_key_path(environment: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _load(environment)


def test_a_library_value_given_in_code_is_still_checked() -> None:
    # Given a ReleaseLabel object below the EMR on EKS floor, Then the model rejects it like the text form.
    with pytest.raises(ValidationError, match=r"release_label: got 'emr-6\.1\.0-latest'; EMR on EKS needs"):
        EksConfig(release_label=ReleaseLabel.of("emr-6.1.0-latest"))
    assert EksConfig(capacity_provider=CapacityProvider.KARPENTER).capacity_provider is CapacityProvider.KARPENTER


@pytest.mark.parametrize("environment", [{}, VARIANT], ids=["default", "variant"])
def test_the_parsed_config_dumps_back_to_the_json_of_cdk_json(environment: dict[str, Any]) -> None:
    # Given a loaded environment, When dumping it as JSON, Then each value written in cdk.json comes back as written
    # and loading the dump dumps the same again.
    config = _load(environment)
    dumped = json.loads(config.model_dump_json())
    for section, values in environment.items():
        for key, value in values.items():
            assert dumped[section][key] == value
    assert dumped["ec2"]["release_label"] == str(config.ec2.release_label)
    assert json.loads(EnvironmentConfig.model_validate(dumped).model_dump_json()) == dumped
