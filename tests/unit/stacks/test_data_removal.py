"""Data follows the environment's ``removal_policy``: RETAINed by default; with ``destroy``, deleting a stack succeeds.

AWS rules encoded here:
- CloudFormation cannot delete a bucket that still holds objects; in a versioned bucket every object version and
  delete marker counts. See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html and
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html ("You can only delete
  empty buckets. Deletion fails for buckets that have contents.").
- A resource without a DeletionPolicy is deleted with its stack; an ``AWS::Glue::Database`` deletion drops its table
  definitions. See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack

from emr_constructs import SecureBucket
from tests.conftest import new_app
from tests.reference_app import SynthResult, synth_reference_app

DESTROY = {"env": "scratch", "environments": {"scratch": {"removal_policy": "destroy"}}}


@pytest.fixture(scope="module")
def retained(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(tmp_path_factory.mktemp("retain"))


@pytest.fixture(scope="module")
def destroyed(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(tmp_path_factory.mktemp("destroy"), **DESTROY)


def _resources(result: SynthResult, resource_type: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        f"{stack}/{logical_id}": (stack, resource)
        for stack, template in result.templates().items()
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def _emptied_buckets(result: SynthResult) -> set[str]:
    """The buckets (as stack/logical id) that an aws-cdk-lib auto-delete custom resource empties before deletion."""
    emptied = set()
    for stack, resource in _resources(result, "Custom::S3AutoDeleteObjects").values():
        emptied.add(f"{stack}/{resource['Properties']['BucketName']['Ref']}")
    return emptied


def test_every_bucket_and_the_glue_database_are_retained_by_default(retained: SynthResult) -> None:
    stateful = _resources(retained, "AWS::S3::Bucket") | _resources(retained, "AWS::Glue::Database")
    assert len(stateful) >= 7
    assert {name: r.get("DeletionPolicy") for name, (_, r) in stateful.items()} == {name: "Retain" for name in stateful}
    assert _emptied_buckets(retained) == set()


def test_with_destroy_every_bucket_is_emptied_before_deletion(destroyed: SynthResult) -> None:
    buckets = _resources(destroyed, "AWS::S3::Bucket")
    assert buckets
    assert all(r.get("DeletionPolicy") == "Delete" for _, r in buckets.values())
    assert _emptied_buckets(destroyed) == set(buckets)


def test_the_auto_delete_runs_before_the_bucket_is_deleted(destroyed: SynthResult) -> None:
    """CloudFormation deletes in reverse dependency order: the custom resource depends on the bucket (and its
    policy, which lets the handler list and delete versions), so it runs first."""
    templates = destroyed.templates()
    for stack, resource in _resources(destroyed, "Custom::S3AutoDeleteObjects").values():
        bucket = resource["Properties"]["BucketName"]["Ref"]
        stack_resources = templates[stack]["Resources"]
        policies = [
            stack_resources[dep]
            for dep in resource["DependsOn"]
            if stack_resources[dep]["Type"] == "AWS::S3::BucketPolicy"
        ]
        assert [p["Properties"]["Bucket"] for p in policies] == [{"Ref": bucket}]


def test_with_destroy_the_glue_database_is_deleted_with_its_stack(destroyed: SynthResult) -> None:
    databases = _resources(destroyed, "AWS::Glue::Database")
    assert databases
    assert all(r.get("DeletionPolicy") == "Delete" for _, r in databases.values())


def test_auto_delete_objects_needs_destroy() -> None:
    stack = Stack(new_app(), "T")
    with pytest.raises(ValueError, match=r"auto_delete_objects: got True; only applies with removal_policy"):
        SecureBucket(stack, "Data", auto_delete_objects=True)
    # An explicit opt-out with DESTROY is the user's choice (e.g. buckets emptied by their own tooling).
    SecureBucket(stack, "Kept", removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=False)


def test_destroy_variant_synthesizes_without_findings(destroyed: SynthResult, tmp_path: Path) -> None:
    assert destroyed.error is None
    assert destroyed.violations() == []
