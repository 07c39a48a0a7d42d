"""The README's table of properties whose change REPLACES an EMR resource: generated from AWS's facts, kept in sync.

AWS facts encoded here:
- The create-only properties of each resource are the ``createOnlyProperties`` of its CloudFormation resource schema
  (cfn-lint ships them). ``AWS::EMRServerless::Application`` lists Name and Type only: its ReleaseLabel is updated in
  place, which is what the Serverless upgrade path relies on.
- ``AWS::EMR::Cluster``'s schema is a legacy one without the nested properties; the CloudFormation reference marks
  these ``Instances`` properties "Update requires: Replacement":
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-emr-cluster-jobflowinstancesconfig.html
  The aws-cdk CLI's service database (``node_modules/aws-cdk/db.json.gz``, which ``cdk diff`` reads to flag a
  replacement) says the same; the test compares the two when it is installed.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from emr_constructs.core.replacement import (
    CLUSTER,
    CLUSTER_INSTANCES_REPLACEMENT,
    LIBRARY_PROPS,
    SERVERLESS_APPLICATION,
    create_only_properties,
    replacing_properties,
)
from stacks.config import EnvironmentConfig
from stacks.replacement import BEGIN, CONFIG_FIELDS, END, README, readme_table, table, write_readme

ROOT = Path(__file__).resolve().parents[3]
SERVICE_DB = ROOT / "node_modules" / "aws-cdk" / "db.json.gz"


def test_the_readme_table_is_the_generated_one() -> None:
    assert readme_table(README.read_text()) == table(), "run: python -m stacks.replacement --write"


def test_write_refreshes_only_between_the_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{BEGIN}\n| stale |\n{END}\n\nAfter.\n")
    assert write_readme(readme) is True
    text = readme.read_text()
    assert text.startswith("# Title\n\n" + BEGIN + "\n| Resource |") and text.endswith(f"{END}\n\nAfter.\n")
    assert "| stale |" not in text
    assert write_readme(readme) is False


def test_schemas_say_what_the_upgrade_paths_rely_on() -> None:
    assert "ReleaseLabel" in create_only_properties(CLUSTER)
    assert "Name" in create_only_properties(CLUSTER)
    assert set(create_only_properties(SERVERLESS_APPLICATION)) == {"Name", "Type"}


@pytest.mark.skipif(not SERVICE_DB.exists(), reason="the aws-cdk CLI (npm ci) is not installed")
def test_nested_cluster_properties_match_the_cdk_service_database() -> None:
    schema = json.loads(gzip.decompress(SERVICE_DB.read_bytes()))["schema"]
    cluster = next(r for r in schema["resource"]["entities"] if r.get("cloudFormationType") == CLUSTER)
    ref = cluster["properties"]["Instances"]["type"]["reference"]["$ref"]
    instances = next(t for t in schema["typeDefinition"]["entities"] if t["$id"] == ref)
    replacing = {name for name, prop in instances["properties"].items() if prop.get("causesReplacement") == "yes"}
    assert set(CLUSTER_INSTANCES_REPLACEMENT) == replacing


def test_every_mapped_property_replaces_its_resource() -> None:
    """No stale row: each property that a library prop or a config field is mapped to is a replacing one."""
    replacing = {(p.resource_type, p.name) for p in replacing_properties()}
    assert set(LIBRARY_PROPS) - replacing == set()
    assert set(CONFIG_FIELDS) - replacing == set()


@pytest.mark.parametrize("field", sorted({f for fields in CONFIG_FIELDS.values() for f in fields}))
def test_every_config_field_exists(field: str) -> None:
    model: object = EnvironmentConfig()
    for part in field.split("."):
        assert part in type(model).model_fields, f"{field}: no key {part!r}"  # type: ignore[attr-defined]
        model = getattr(model, part)
