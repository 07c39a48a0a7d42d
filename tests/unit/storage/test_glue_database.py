"""``GlueDatabase``: location under a data bucket prefix, RETAIN by default, validated name, and grants scoped to the
database for the roles of all three runtimes; Iceberg catalog settings identical on EC2, Serverless and EKS.

See: https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html (catalog, database and table ARNs),
https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-iceberg-use-spark-cluster.html,
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-iceberg.html,
https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/tutorial-iceberg.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from cfnlint.api import ManualArgs, lint_file

from emr_constructs import (
    GlueDatabase,
    JobRuntimeRole,
    RuntimeRoleTrust,
    SecureBucket,
    iceberg,
    iceberg_configuration_overrides,
    iceberg_configurations,
)
from emr_constructs.compliance import apply_compliance_checks
from emr_constructs.releases import ReleaseLabel
from tests.conftest import ROOT, new_app

OIDC_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789"


class Built:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        app = new_app(outdir)
        apply_compliance_checks(app)
        stack = cdk.Stack(app, "Glue")
        data = SecureBucket(stack, "Data").bucket
        self.sales = GlueDatabase(stack, "Sales", database_name="sales", bucket=data, description="Sales data")
        self.raw = GlueDatabase(
            stack,
            "Raw",
            database_name="raw",
            bucket=data,
            prefix="landing/raw",
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        instance_role = iam.Role(stack, "InstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(stack, "Oidc", OIDC_ARN)
        self.roles = {
            "Ec2": JobRuntimeRole(stack, "Ec2", trust=RuntimeRoleTrust.ec2_step(instance_role)),
            "Serverless": JobRuntimeRole(stack, "Serverless", trust=RuntimeRoleTrust.serverless(stack)),
            "EksIrsa": JobRuntimeRole(
                stack, "EksIrsa", trust=RuntimeRoleTrust.eks_irsa(open_id_connect_provider=provider, namespace="spark")
            ),
            "EksPodIdentity": JobRuntimeRole(
                stack,
                "EksPodIdentity",
                trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.5.0-latest")),
            ),
        }
        for role in self.roles.values():
            self.sales.grant_read_write(role)
        self.raw.grant_read(self.roles["Serverless"])
        app.synth()
        self.template = Template.from_stack(stack)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("glue"))


def _policy_of(template: Template, construct_id: str) -> dict[str, Any]:
    policies = template.find_resources(
        "AWS::IAM::ManagedPolicy",
        {"Properties": {"Roles": [{"Ref": Match.string_like_regexp(f"^{construct_id}Role")}]}},
    )
    assert len(policies) == 1, construct_id
    return next(iter(policies.values()))["Properties"]["PolicyDocument"]


def test_the_database_is_located_under_a_prefix_of_the_data_bucket(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::Glue::Database",
        {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {
                "Name": "sales",
                "Description": "Sales data",
                "LocationUri": {
                    "Fn::Join": ["", ["s3://", {"Ref": Match.string_like_regexp("^Data")}, "/warehouse/sales/"]]
                },
            },
        },
    )
    built.template.has_resource_properties(
        "AWS::Glue::Database",
        {
            "DatabaseInput": Match.object_like(
                {"Name": "raw", "LocationUri": {"Fn::Join": ["", Match.array_with(["/landing/raw/"])]}}
            )
        },
    )


def test_the_database_is_retained_unless_destroy_is_asked_for(built: Built) -> None:
    built.template.has_resource(
        "AWS::Glue::Database",
        {
            "Properties": {"DatabaseInput": Match.object_like({"Name": "sales"})},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    built.template.has_resource(
        "AWS::Glue::Database",
        {"Properties": {"DatabaseInput": Match.object_like({"Name": "raw"})}, "DeletionPolicy": "Delete"},
    )


def _arn(resource: str) -> dict[str, Any]:
    """``Stack.format_arn(service="glue", resource=...)`` as synthesized (partition, region, account pseudo params)."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":glue:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":{resource}",
            ],
        ]
    }


def _names(statement: dict[str, Any], resource: str) -> bool:
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return _arn(resource) in resources


@pytest.mark.parametrize("runtime", ["Ec2", "Serverless", "EksIrsa", "EksPodIdentity"])
def test_every_runtime_role_gets_the_catalog_of_that_database_only(built: Built, runtime: str) -> None:
    document = _policy_of(built.template, runtime)
    glue = [s for s in document["Statement"] if _names(s, "database/sales")]
    assert len(glue) == 1
    assert "glue:UpdateTable" in glue[0]["Action"]  # Iceberg commits with UpdateTable
    assert glue[0]["Resource"] == [_arn("catalog"), _arn("database/sales"), _arn("table/sales/*")]


@pytest.mark.parametrize("runtime", ["Ec2", "Serverless", "EksIrsa", "EksPodIdentity"])
def test_every_runtime_role_reads_and_writes_only_the_database_location(built: Built, runtime: str) -> None:
    text = json.dumps(_policy_of(built.template, runtime))
    assert "/warehouse/sales/*" in text and "s3:PutObject" in text
    assert "/landing/raw/" not in text or runtime == "Serverless"


def test_grant_read_does_not_write(built: Built) -> None:
    document = _policy_of(built.template, "Serverless")
    raw = [s for s in document["Statement"] if _names(s, "database/raw")]
    assert len(raw) == 1 and "glue:UpdateTable" not in raw[0]["Action"]


def test_four_nag_packs_and_cfn_lint_pass(built: Built) -> None:
    report = json.loads((built.outdir / "validation-report.json").read_text())
    assert [v for p in report["pluginReports"] for v in p["violations"]] == []
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    (template,) = built.outdir.glob("*.template.json")
    assert [str(m) for m in lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1"]))] == []


@pytest.mark.parametrize(
    ("props", "match"),
    [
        ({"database_name": "Sales"}, r"database_name: got 'Sales'; must be 1-255 lowercase"),
        ({"database_name": "sales-db"}, r"database_name: got 'sales-db'"),
        ({"database_name": "a" * 256}, r"database_name: got 'a{256}'"),
        ({"database_name": "sales", "prefix": "s3://bucket/x"}, r"prefix: got 's3://bucket/x'"),
        ({"database_name": "sales", "prefix": "*"}, r"prefix: got '\*'"),
    ],
)
def test_bad_input_names_the_prop(props: dict[str, Any], match: str) -> None:
    stack = cdk.Stack(new_app(), "Bad")
    with pytest.raises(ValueError, match=match):
        GlueDatabase(stack, "Db", bucket=SecureBucket(stack, "Data").bucket, **props)


def test_a_token_name_passes_validation() -> None:
    stack = cdk.Stack(new_app(), "Token")
    name = cdk.CfnParameter(stack, "Name").value_as_string
    GlueDatabase(stack, "Db", database_name=name, bucket=SecureBucket(stack, "Data").bucket)


# ---- Iceberg on every runtime ---------------------------------------------------------------------------------------


CATALOG = {
    "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
    "spark.sql.catalog.glue_catalog": "org.apache.iceberg.spark.SparkCatalog",
    "spark.sql.catalog.glue_catalog.catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
    "spark.sql.catalog.glue_catalog.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
    "spark.sql.catalog.glue_catalog.warehouse": "s3://lake/warehouse/",
}
"""The catalog settings of the three AWS pages above, written out (not taken from the code under test)."""


def _catalog_settings(properties: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in properties.items() if k.startswith("spark.sql.")}


def test_iceberg_catalog_settings_are_the_same_on_ec2_serverless_and_eks() -> None:
    ec2 = {c.classification: dict(c.properties) for c in iceberg_configurations("s3://lake/warehouse/")}
    (serverless,) = iceberg("s3://lake/warehouse/")
    (eks,) = iceberg_configuration_overrides("s3://lake/warehouse/")["applicationConfiguration"]
    assert ec2["iceberg-defaults"] == {"iceberg.enabled": "true"}
    assert serverless.classification == "spark-defaults" and eks["classification"] == "spark-defaults"
    rendered = {
        "ec2": _catalog_settings(ec2["spark-defaults"]),
        "serverless": _catalog_settings(dict(serverless.properties)),
        "eks": _catalog_settings(eks["properties"]),
    }
    assert rendered == {"ec2": CATALOG, "serverless": CATALOG, "eks": CATALOG}


def test_serverless_and_eks_load_the_iceberg_runtime_from_the_image() -> None:
    (serverless,) = iceberg()
    (eks,) = iceberg_configuration_overrides()["applicationConfiguration"]
    assert serverless.properties["spark.jars"] == "/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar"
    assert eks["properties"]["spark.jars"] == "local:///usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar"
    assert "spark.sql.catalog.glue_catalog.warehouse" not in eks["properties"]  # no warehouse unless given


def test_a_named_catalog_and_bad_iceberg_input() -> None:
    (conf,) = iceberg(catalog="lake")
    assert conf.properties["spark.sql.catalog.lake.catalog-impl"] == "org.apache.iceberg.aws.glue.GlueCatalog"
    with pytest.raises(ValueError, match=r"warehouse: got 'lake/warehouse'; must be an s3:// URI"):
        iceberg_configurations("lake/warehouse")
    with pytest.raises(ValueError, match=r"catalog: got 'Glue-Catalog'; must be 1-64 lowercase"):
        iceberg_configuration_overrides(catalog="Glue-Catalog")
