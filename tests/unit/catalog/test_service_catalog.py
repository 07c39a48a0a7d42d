"""EmrServiceCatalog: the portfolio, its two products (product stacks with CloudFormation parameters), the launch role
constraint and its least-privilege launch role, principal associations, the asset bucket, compliance (4 nag packs
and cfn-lint on the parent and both product templates) and a masked snapshot.

AWS pages the assertions encode:
- launch role (trust servicecatalog.amazonaws.com; CloudFormation, the template's services, read access to the
  template): https://docs.aws.amazon.com/servicecatalog/latest/adminguide/constraints-launch.html
- launch constraints apply per product-portfolio association, so each product gets one:
  same page ("you must apply the launch constraint to each product individually").
- S3 bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from cfnlint.api import ManualArgs, lint_file

from emr_constructs import EmrServiceCatalog, ManagedScaling, MaximumCapacity, ReleaseLabel, apply_compliance_checks
from emr_constructs.catalog.launch_role import RESOURCE_TYPE_ACTIONS
from tests.conftest import ROOT, new_app
from tests.reference_app import is_annotation_warning

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "service-catalog.json"
MASKS = [  # as tests/snapshots/test_snapshots.py masks
    (re.compile(r"[0-9a-f]{64}"), "<ASSET_HASH>"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "<ACCOUNT_ID>"),
]
ENV = cdk.Environment(account="111122223333", region="us-east-1")
LABELS = (ReleaseLabel.of("emr-7.9.0"), ReleaseLabel.of("emr-7.5.0"))


def imported_vpc(stack: cdk.Stack) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        private_subnet_route_table_ids=["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"],
    )


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    outdir = tmp_path_factory.mktemp("catalog")
    app = new_app(outdir)
    apply_compliance_checks(app)
    stack = cdk.Stack(app, "CatalogTest", env=ENV)
    EmrServiceCatalog(
        stack,
        "Catalog",
        vpc=imported_vpc(stack),
        release_labels=LABELS,
        principals=[iam.Role.from_role_name(stack, "Engineers", "data-engineers")],
        groups=[iam.Group.from_group_name(stack, "Analysts", "analysts")],
    )
    app.synth()
    parent = json.loads((outdir / "CatalogTest.template.json").read_text())
    products = {p.name: json.loads(p.read_text()) for p in outdir.glob("*.product.template.json")}
    (cluster,) = [t for n, t in products.items() if "ClusterProduct" in n]
    (serverless,) = [t for n, t in products.items() if "ServerlessProduct" in n]
    return {"outdir": outdir, "parent": parent, "cluster": cluster, "serverless": serverless}


def _of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def _one(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    (item,) = _of_type(template, resource_type).items()
    return item


# ---- portfolio and products ----------------------------------------------------------------------------------------


def test_a_portfolio_holds_both_products(synthesized: dict[str, Any]) -> None:
    parent = synthesized["parent"]
    portfolio_id, portfolio = _one(parent, "AWS::ServiceCatalog::Portfolio")
    assert portfolio["Properties"]["DisplayName"] == "EMR"
    products = _of_type(parent, "AWS::ServiceCatalog::CloudFormationProduct")
    assert sorted(p["Properties"]["Name"] for p in products.values()) == [
        "EMR Serverless application",
        "EMR on EC2 cluster",
    ]
    for product in products.values():
        (version,) = product["Properties"]["ProvisioningArtifactParameters"]
        assert "LoadTemplateFromURL" in version["Info"]  # the product stack's template, published as an asset
    associations = _of_type(parent, "AWS::ServiceCatalog::PortfolioProductAssociation")
    assert {a["Properties"]["ProductId"]["Ref"] for a in associations.values()} == set(products)
    assert {a["Properties"]["PortfolioId"]["Ref"] for a in associations.values()} == {portfolio_id}


def test_each_product_launches_with_the_launch_role(synthesized: dict[str, Any]) -> None:
    parent = synthesized["parent"]
    constraints = _of_type(parent, "AWS::ServiceCatalog::LaunchRoleConstraint")
    products = _of_type(parent, "AWS::ServiceCatalog::CloudFormationProduct")
    assert {c["Properties"]["ProductId"]["Ref"] for c in constraints.values()} == set(products)
    roles = {json.dumps(c["Properties"]["RoleArn"]) for c in constraints.values()}
    (role_arn,) = roles
    role_id = json.loads(role_arn)["Fn::GetAtt"][0]
    role = parent["Resources"][role_id]
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "servicecatalog.amazonaws.com"}


def test_roles_and_groups_are_associated_with_the_portfolio(synthesized: dict[str, Any]) -> None:
    associations = _of_type(synthesized["parent"], "AWS::ServiceCatalog::PortfolioPrincipalAssociation")
    arns = json.dumps([a["Properties"]["PrincipalARN"] for a in associations.values()])
    assert ":role/data-engineers" in arns and ":group/analysts" in arns
    assert {a["Properties"]["PrincipalType"] for a in associations.values()} == {"IAM"}


def test_the_asset_bucket_is_a_secure_bucket_with_the_literal_name_product_stacks_need(
    synthesized: dict[str, Any],
) -> None:
    buckets = _of_type(synthesized["parent"], "AWS::S3::Bucket")
    (asset,) = [b for b in buckets.values() if "BucketName" in b["Properties"]]
    assert asset["Properties"]["BucketName"] == "emr-catalog-assets-111122223333-us-east-1"
    assert asset["DeletionPolicy"] == "Retain"
    (rule,) = asset["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    (deployment,) = _of_type(synthesized["parent"], "Custom::CDKBucketDeployment").values()
    assert deployment["Properties"]["DestinationBucketName"] == {
        "Ref": next(k for k, v in buckets.items() if v is asset)
    }
    assert deployment["Properties"]["SystemMetadata"]["sse"] == "aws:kms"


# ---- the product templates -----------------------------------------------------------------------------------------


def test_cluster_product_offers_only_release_and_size(synthesized: dict[str, Any]) -> None:
    template = synthesized["cluster"]
    params = {k: v for k, v in template["Parameters"].items() if not k.startswith("BootstrapVersion")}
    assert set(params) == {"ReleaseLabel", "Size"}
    assert params["ReleaseLabel"]["AllowedValues"] == ["emr-7.9.0", "emr-7.5.0"]
    assert params["ReleaseLabel"]["Default"] == "emr-7.9.0"
    assert params["Size"]["AllowedValues"] == ["small", "medium", "large"]
    _, cluster = _one(template, "AWS::EMR::Cluster")
    props = cluster["Properties"]
    assert props["ReleaseLabel"] == {"Ref": "ReleaseLabel"}
    limits = props["ManagedScalingPolicy"]["ComputeLimits"]
    assert limits["MaximumCapacityUnits"] == {"Fn::FindInMap": ["Sizes", {"Ref": "Size"}, "MaximumCapacityUnits"]}
    assert template["Mappings"]["Sizes"]["large"]["MaximumCapacityUnits"] == 100
    assert limits["UnitType"] == "InstanceFleetUnits"


def test_cluster_product_keeps_the_secure_defaults(synthesized: dict[str, Any]) -> None:
    template = synthesized["cluster"]
    config_id, config = _one(template, "AWS::EMR::SecurityConfiguration")
    encryption = config["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True and encryption["EnableInTransitEncryption"] is True
    _, cluster = _one(template, "AWS::EMR::Cluster")
    assert cluster["Properties"]["SecurityConfiguration"] == {"Ref": config_id}
    subnets = cluster["Properties"]["Instances"]["Ec2SubnetIds"]
    assert set(subnets) <= {"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"}  # the platform's VPC


def test_serverless_product_offers_only_release_and_size(synthesized: dict[str, Any]) -> None:
    template = synthesized["serverless"]
    params = {k for k in template["Parameters"] if not k.startswith("BootstrapVersion")}
    assert params == {"ReleaseLabel", "Size"}
    _, app = _one(template, "AWS::EMRServerless::Application")
    assert app["Properties"]["ReleaseLabel"] == {"Ref": "ReleaseLabel"}
    assert app["Properties"]["MaximumCapacity"]["Cpu"] == {"Fn::FindInMap": ["Sizes", {"Ref": "Size"}, "Cpu"]}
    assert template["Mappings"]["Sizes"]["small"] == {"Cpu": "32 vCPU", "Memory": "128 GB", "Disk": "1000 GB"}


# ---- the launch role -----------------------------------------------------------------------------------------------


def _launch_policy(synthesized: dict[str, Any]) -> dict[str, dict[str, Any]]:
    _, policy = _one(synthesized["parent"], "AWS::IAM::ManagedPolicy")
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def test_the_launch_role_covers_every_resource_type_of_both_products(synthesized: dict[str, Any]) -> None:
    """A resource added to a product (by any construct of the library) must be added to the launch role too."""
    types = {r["Type"] for t in ("cluster", "serverless") for r in synthesized[t]["Resources"].values()}
    assert types - set(RESOURCE_TYPE_ACTIONS) == set()
    statements = _launch_policy(synthesized)
    granted = set(statements["ProductResources"]["Action"]) | set(statements["ProductIamResources"]["Action"])
    assert {a for actions in RESOURCE_TYPE_ACTIONS.values() for a in actions} <= granted


def test_the_launch_role_acts_only_through_cloudformation_on_service_catalog_stacks(
    synthesized: dict[str, Any],
) -> None:
    statements = _launch_policy(synthesized)
    via = {"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}}
    assert statements["ProductResources"]["Condition"] == via
    assert statements["ProductIamResources"]["Condition"] == via
    iam_resources = json.dumps(statements["ProductIamResources"]["Resource"])
    assert ":role/SC-*" in iam_resources and ":instance-profile/SC-*" in iam_resources
    assert "stack/SC-*/*" in json.dumps(statements["ProvisionedProductStacks"]["Resource"])
    assert statements["PassProductRoles"]["Condition"]["StringEquals"]["iam:PassedToService"] == [
        "elasticmapreduce.amazonaws.com",
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
    ]
    templates = statements["ReadProductTemplatesFromServiceCatalog"]
    assert templates["Condition"] == {"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": "true"}}
    assert "kms:Decrypt" in json.dumps(statements["DecryptProductAssets"])
    assert "*" not in json.dumps(statements["PassProductRoles"]["Resource"]).replace("SC-*", "")


# ---- compliance and snapshot ---------------------------------------------------------------------------------------


def test_four_nag_packs_report_nothing_on_the_parent_and_product_stacks(synthesized: dict[str, Any]) -> None:
    report = json.loads((synthesized["outdir"] / "validation-report.json").read_text())
    findings = [
        (v["ruleName"], [c["constructPath"] for c in v["violatingConstructs"]])
        for p in report["pluginReports"]
        for v in p["violations"]
        if not is_annotation_warning(p, v)
    ]
    assert findings == []


def test_cfn_lint_is_clean_on_every_template(synthesized: dict[str, Any]) -> None:
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    templates = [synthesized["outdir"] / "CatalogTest.template.json", *synthesized["outdir"].glob("*.product.*")]
    assert len(templates) == 3
    for template in templates:
        matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
        assert [str(m) for m in matches] == [], template.name


def _mask(value: dict[str, Any]) -> str:
    text = json.dumps(value, indent=1, sort_keys=True)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text + "\n"


def test_the_templates_match_their_snapshot(synthesized: dict[str, Any]) -> None:
    """Logical ids are part of the contract. Update after an intended change with UPDATE_SNAPSHOTS=1."""
    actual = _mask({k: synthesized[k] for k in ("parent", "cluster", "serverless")})
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (not SNAPSHOT.exists() and os.environ.get("CI") != "true"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(actual)
    assert actual == SNAPSHOT.read_text(), f"{SNAPSHOT} differs; review, then UPDATE_SNAPSHOTS=1"


# ---- bad input -----------------------------------------------------------------------------------------------------

_n = iter(range(10_000))


def _build(env: cdk.Environment | None = ENV, vpc: ec2.IVpc | None = None, **props: Any) -> EmrServiceCatalog:
    stack = cdk.Stack(new_app(), f"Bad{next(_n)}", env=env)
    return EmrServiceCatalog(stack, "Catalog", vpc=vpc or imported_vpc(stack), **props)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"release_labels": ()}, "release_labels: .*at least one"),
        ({"release_labels": (LABELS[0], LABELS[0])}, "release_labels: .*repeat"),
        ({"release_labels": (ReleaseLabel.of("emr-7.5.0-latest"),)}, r"release_labels\[0\]: .*without a suffix"),
        ({"serverless_release_labels": (ReleaseLabel.of("emr-6.7.0"),)}, r"serverless_release_labels\[0\]"),
        ({"cluster_sizes": {}}, "cluster_sizes: .*at least one size"),
        ({"cluster_sizes": {"Big One": ManagedScaling(minimum_units=2, maximum_units=4)}}, "cluster_sizes key"),
        (
            {"cluster_sizes": {"tiny": ManagedScaling(minimum_units=1, maximum_units=2, maximum_core_units=1)}},
            "maximum_core_units: .*below the initial core capacity",
        ),
        ({"serverless_sizes": {"x": MaximumCapacity(cpu_vcpu=0)}}, "maximum_capacity.cpu_vcpu"),
        ({"asset_bucket_name": "Bad_Name"}, "asset_bucket_name: .*valid S3 bucket name"),
    ],
)
def test_bad_choices_are_rejected(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _build(**props)


def test_an_environment_agnostic_stack_needs_an_asset_bucket_name() -> None:
    with pytest.raises(ValueError, match=r"asset_bucket_name: .*literal name"):
        _build(env=None)


def test_a_vpc_with_deploy_time_ids_is_rejected() -> None:
    stack = cdk.Stack(new_app(), "TokenVpc", env=ENV)
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    with pytest.raises(ValueError, match=r"vpc: .*literal ids"):
        EmrServiceCatalog(stack, "Catalog", vpc=vpc)
