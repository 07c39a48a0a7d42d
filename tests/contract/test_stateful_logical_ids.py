"""Contract stability: the logical ids of stateful resources in every reference stack are pinned.

Renaming a construct (or moving it to another parent) changes its logical id, and CloudFormation then REPLACES the
resource: a new bucket, key, log group, cluster or database, with the old one deleted or orphaned. The pins in
``stateful_logical_ids.json`` make such a change fail here, loudly, before it reaches a deployment.

A new stateful resource must be pinned on purpose too. After checking that a change is intended, update the pins:

    UPDATE_PINS=1 .venv/bin/python -m pytest tests/contract -q -p no:xdist
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.reference_app import synth_reference_app

PINS_FILE = Path(__file__).with_name("stateful_logical_ids.json")
UPDATE = os.environ.get("UPDATE_PINS") == "1"
HOW_TO_UPDATE = "if intended, update the pins: UPDATE_PINS=1 .venv/bin/python -m pytest tests/contract -p no:xdist"

STATEFUL_TYPES = frozenset(
    {
        "AWS::EMR::Cluster",
        "AWS::EMRServerless::Application",
        "AWS::EMRContainers::VirtualCluster",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
        "AWS::Glue::Database",
        "AWS::EKS::Cluster",
        "AWS::SNS::Topic",
        "AWS::EMR::SecurityConfiguration",
    }
)

# The reference configurations whose stacks are pinned (context for synth_reference_app).
CONFIGS: dict[str, dict[str, Any]] = {
    "default": {"env": "default"},
    "prod": {"env": "prod"},
    "eks-created-cluster": {
        "env": "eks",
        "environments": {
            "eks": {"eks": {"create_cluster": True}, "ec2": {"enabled": False}, "serverless": {"enabled": False}}
        },
    },
}

Pins = dict[str, dict[str, str]]  # stack name -> logical id -> resource type


def stateful_resources(templates: dict[str, dict[str, Any]]) -> Pins:
    return {
        stack: {
            logical_id: resource["Type"]
            for logical_id, resource in sorted(template.get("Resources", {}).items())
            if resource["Type"] in STATEFUL_TYPES
        }
        for stack, template in sorted(templates.items())
    }


def replaced(pinned: Pins, actual: Pins) -> list[str]:
    """Pinned resources that are gone or changed type: CloudFormation would replace them."""
    found = []
    for stack, resources in sorted(pinned.items()):
        for logical_id, resource_type in sorted(resources.items()):
            now = actual.get(stack, {}).get(logical_id)
            if now != resource_type:
                found.append(f"would REPLACE {stack}/{logical_id} ({resource_type})")
    return found


def unpinned(pinned: Pins, actual: Pins) -> list[str]:
    return [
        f"{stack}/{logical_id} ({resource_type})"
        for stack, resources in sorted(actual.items())
        for logical_id, resource_type in sorted(resources.items())
        if logical_id not in pinned.get(stack, {})
    ]


def load_pins() -> dict[str, Pins]:
    return json.loads(PINS_FILE.read_text()) if PINS_FILE.exists() else {}


@pytest.fixture(scope="module", params=list(CONFIGS))
def config(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Pins]:
    result = synth_reference_app(tmp_path_factory.mktemp(request.param), **CONFIGS[request.param])
    assert result.error is None, result.error
    return request.param, stateful_resources(result.templates())


def test_no_pinned_stateful_resource_is_replaced(config: tuple[str, Pins]) -> None:
    name, actual = config
    if UPDATE:
        pins = load_pins()
        pins[name] = actual
        PINS_FILE.write_text(json.dumps(dict(sorted(pins.items())), indent=2, sort_keys=True) + "\n")
    pinned = load_pins().get(name)
    assert pinned, f"no pins for reference config {name!r} in {PINS_FILE.name}; {HOW_TO_UPDATE}"
    gone = replaced(pinned, actual)
    assert not gone, f"{name}: " + "; ".join(gone) + f". Keep the construct ids (or {HOW_TO_UPDATE})"


def test_every_stateful_resource_is_pinned(config: tuple[str, Pins]) -> None:
    name, actual = config
    new = unpinned(load_pins().get(name, {}), actual)
    assert not new, f"{name}: unpinned stateful resources: {', '.join(new)}; {HOW_TO_UPDATE}"


def test_the_pins_cover_every_stateful_type_and_only_the_reference_configs() -> None:
    pins = load_pins()
    assert set(pins) == set(CONFIGS)
    types = {t for stacks in pins.values() for resources in stacks.values() for t in resources.values()}
    assert types == STATEFUL_TYPES, sorted(STATEFUL_TYPES - types)


def test_a_renamed_resource_is_reported_as_a_replacement() -> None:
    """The comparison itself: a rename is one replacement plus one unpinned id; a type change is a replacement."""
    pinned = {"Emr-x-Data": {"LogsBucketA1": "AWS::S3::Bucket", "KeyB2": "AWS::KMS::Key"}}
    renamed = {"Emr-x-Data": {"LogBucketC3": "AWS::S3::Bucket", "KeyB2": "AWS::KMS::Key"}}
    assert replaced(pinned, renamed) == ["would REPLACE Emr-x-Data/LogsBucketA1 (AWS::S3::Bucket)"]
    assert unpinned(pinned, renamed) == ["Emr-x-Data/LogBucketC3 (AWS::S3::Bucket)"]
    retyped = {"Emr-x-Data": {"LogsBucketA1": "AWS::S3::Bucket", "KeyB2": "AWS::KMS::Alias"}}
    assert replaced(pinned, retyped) == ["would REPLACE Emr-x-Data/KeyB2 (AWS::KMS::Key)"]
    assert replaced(pinned, {}) == [
        "would REPLACE Emr-x-Data/KeyB2 (AWS::KMS::Key)",
        "would REPLACE Emr-x-Data/LogsBucketA1 (AWS::S3::Bucket)",
    ]
    assert stateful_resources(
        {"S": {"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "P": {"Type": "AWS::IAM::Role"}}}}
    ) == {"S": {"T": "AWS::SNS::Topic"}}
