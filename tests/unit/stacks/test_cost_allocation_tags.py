"""Cost per application: every taggable resource of every reference stack carries the cost-allocation tags.

A resource type is taggable when its CloudFormation schema (as cfn-lint ships it) says ``taggable: true`` or has a
``Tags`` property; the tags are read from the schema's ``tagProperty``. Cost Explorer and AWS Budgets only see a
resource's cost under a tag the resource itself carries.
See: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from emr_constructs.core.tags import APPLICATION_TAG, COST_CENTER_TAG
from tests.reference_app import SynthResult, synth_reference_app

# Every runtime and both EKS capacity providers (a created cluster brings node groups, launch templates, Karpenter).
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {"env": "default"},
    "prod": {"env": "prod"},
    "eks-karpenter-groups": {
        "env": "karpenter",
        "environments": {
            "karpenter": {
                "eks": {"create_cluster": True, "capacity_provider": "karpenter"},
                "ec2": {"capacity": "groups"},
            }
        },
    },
    "budgets": {
        "env": "budgets",
        "environments": {
            "budgets": {
                "application_tag": "sales-etl",
                "cost_center": "analytics",
                "ec2": {"monthly_budget_usd": 2000},
                "serverless": {"monthly_budget_usd": 500},
                "eks": {"monthly_budget_usd": 1000},
            }
        },
    },
}
EXPECTED = {
    "default": ("emr-platform", "data-platform"),
    "prod": ("emr-platform", "analytics"),
    "budgets": ("sales-etl", "analytics"),
}

# Resources that ``Tags.of`` cannot reach, by logical-id prefix and type, with the reason. CDK writes them as raw
# ``CfnResource``s (no tag manager), and none costs anything at rest: a custom-resource provider's role and its
# Lambda function invoked only during deployments, and a standard-tier SSM String parameter (free).
_CDK_PROVIDER = "a CDK-internal CustomResourceProvider (raw CfnResource); runs only during deployments"
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("CustomVpcRestrictDefaultSGCustomResourceProviderRole", "AWS::IAM::Role"): _CDK_PROVIDER,
    ("CustomVpcRestrictDefaultSGCustomResourceProviderHandler", "AWS::Lambda::Function"): _CDK_PROVIDER,
    ("AWSCDKCfnUtilsProviderCustomResourceProviderRole", "AWS::IAM::Role"): _CDK_PROVIDER,
    ("AWSCDKCfnUtilsProviderCustomResourceProviderHandler", "AWS::Lambda::Function"): _CDK_PROVIDER,
    ("EksClusterKubectlReadyBarrier", "AWS::SSM::Parameter"): "aws-eks' kubectl barrier (raw CfnResource); free",
}


def _excepted(logical_id: str, resource_type: str) -> bool:
    return any(logical_id.startswith(prefix) and resource_type == t for prefix, t in EXCEPTIONS)


@pytest.fixture(scope="module", params=list(VARIANTS))
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, SynthResult]:
    result = synth_reference_app(Path(tmp_path_factory.mktemp(request.param)), **VARIANTS[request.param])
    assert result.assembly is not None, result.error
    return request.param, result


def _tag_property(resource_type: str) -> str | None:
    """The property holding the tags of ``resource_type``, or None when the type takes no tags."""
    if resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
        return None
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    tagging = schema.get("tagging") or {}
    if tagging.get("taggable") is True and "tagProperty" in tagging:
        return str(tagging["tagProperty"]).rsplit("/", 1)[-1]
    return "Tags" if "Tags" in schema.get("properties", {}) else None


def _tags(value: Any) -> dict[str, Any]:
    """Tags as a mapping, whether the template writes a list of Key/Value objects or a map."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return {t.get("Key", t.get("key")): t.get("Value", t.get("value")) for t in value if isinstance(t, dict)}
    return {}


def test_every_taggable_resource_carries_both_cost_tags(synthesized: tuple[str, SynthResult]) -> None:
    # Given every template of the variant; When each resource's tags are read; Then both keys are there
    variant, result = synthesized
    missing = []
    values: set[tuple[Any, Any]] = set()
    for stack_name, template in result.templates().items():
        for logical_id, resource in template.get("Resources", {}).items():
            resource_type = resource["Type"]
            prop = _tag_property(resource_type)
            if prop is None or _excepted(logical_id, resource_type):
                continue
            tags = _tags(resource.get("Properties", {}).get(prop))
            if APPLICATION_TAG not in tags or COST_CENTER_TAG not in tags:
                missing.append(f"{stack_name}/{logical_id} ({resource_type}.{prop})")
            else:
                values.add((tags[APPLICATION_TAG], tags[COST_CENTER_TAG]))
    assert not missing, f"{len(missing)} taggable resources lack the cost tags:\n" + "\n".join(missing)
    if variant in EXPECTED:
        assert values == {EXPECTED[variant]}


def test_exceptions_are_taggable_types() -> None:
    for _, resource_type in EXCEPTIONS:
        assert _tag_property(resource_type) is not None, resource_type
