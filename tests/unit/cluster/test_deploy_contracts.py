"""EMR's deploy-time contracts on an EMR on EC2 cluster that static checks cannot see: the request tag that
AmazonEMRServicePolicy_v2 needs, and the Glue Data Catalog access of step runtime roles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Token
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs import EmrCluster, EmrSecurityConfiguration, RuntimeRoleAuthorization
from tests.conftest import new_stack

V2_POLICY = "AmazonEMRServicePolicy_v2"
MANAGED_POLICY_TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}
# The Glue Data Catalog permissions AWS documents for a job runtime role (create and read the catalog):
# https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
DOCUMENTED_RUNTIME_GLUE_ACTIONS = {
    "glue:GetDatabase",
    "glue:CreateDatabase",
    "glue:GetDatabases",
    "glue:CreateTable",
    "glue:GetTable",
    "glue:UpdateTable",
    "glue:DeleteTable",
    "glue:GetTables",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:CreatePartition",
    "glue:BatchCreatePartition",
    "glue:GetUserDefinedFunctions",
}


@pytest.fixture(scope="module")
def template() -> Template:
    stack, vpc = new_stack()
    EmrCluster(stack, "Plain", vpc=vpc)
    own_role = iam.Role(
        stack,
        "OwnServiceRole",
        assumed_by=iam.ServicePrincipal("elasticmapreduce.amazonaws.com"),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(f"service-role/{V2_POLICY}")],
    )
    EmrCluster(stack, "OwnRole", vpc=vpc, service_role=own_role)
    runtime_roles = RuntimeRoleAuthorization()
    for cluster_id, props in {
        "Lakehouse": {"glue_data_catalog": True, "iceberg": True, "glue_databases": ["default", "curated"]},
        "CatalogDefault": {"glue_data_catalog": True},
        "NoCatalog": {},
    }.items():
        security = EmrSecurityConfiguration(stack, f"{cluster_id}Security", runtime_roles=runtime_roles)
        cluster = EmrCluster(stack, cluster_id, vpc=vpc, security_configuration=security, **props)  # type: ignore[arg-type]
        cluster.add_runtime_role("JobRole")
    return Template.from_stack(stack)


def _cluster(template: Template, prefix: str) -> dict[str, Any]:
    (cluster,) = [v for k, v in template.find_resources("AWS::EMR::Cluster").items() if k.startswith(prefix)]
    return dict(cluster["Properties"])


def _role_of(template: Template, role_ref: Any) -> dict[str, Any]:
    """The role resource a ``Fn::GetAtt [Role, Arn]`` points at."""
    logical_id = role_ref["Fn::GetAtt"][0]
    return dict(template.to_json()["Resources"][logical_id]["Properties"])


def _statements_of_role(template: Template, prefix: str) -> list[dict[str, Any]]:
    policies = [
        v for k, v in template.find_resources("AWS::IAM::ManagedPolicy").items() if k.startswith(f"{prefix}JobRole")
    ]
    return [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]


# ---- AmazonEMRServicePolicy_v2 request tag ------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["Plain", "OwnRole"])
def test_cluster_whose_service_role_uses_service_policy_v2_carries_the_managed_policy_tag(
    template: Template, prefix: str
) -> None:
    """Rule: with AmazonEMRServicePolicy_v2 EMR may only launch instances, volumes and ENIs for a cluster provisioned
    with the user tag ``for-use-with-amazon-emr-managed-policies = true`` (EMR propagates it to what it creates).
    A user-supplied service role is treated alike: the tag is harmless when the role does not need it."""
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role.html
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html
    cluster = _cluster(template, prefix)
    role = _role_of(template, cluster["ServiceRole"])
    assert V2_POLICY in json.dumps(role["ManagedPolicyArns"]), "precondition: the service role uses the v2 policy"
    assert MANAGED_POLICY_TAG in cluster["Tags"]


# ---- Glue Data Catalog access of step runtime roles ---------------------------------------------------------------


def _glue_statement(template: Template, prefix: str) -> dict[str, Any]:
    glue = [s for s in _statements_of_role(template, prefix) if any(a.startswith("glue:") for a in _list(s["Action"]))]
    assert len(glue) == 1, glue
    return glue[0]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_runtime_role_gets_the_documented_glue_catalog_actions_when_catalog_and_iceberg_are_on(
    template: Template,
) -> None:
    """Rule: with runtime roles a step reaches the Glue Data Catalog with the runtime role's credentials, so the
    role needs the catalog permissions (create and read, which Iceberg commits also need)."""
    # https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
    # https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
    statement = _glue_statement(template, "Lakehouse")
    assert DOCUMENTED_RUNTIME_GLUE_ACTIONS <= set(_list(statement["Action"]))


def test_runtime_role_glue_access_is_scoped_to_catalog_and_named_databases(template: Template) -> None:
    resources = [json.dumps(r) for r in _list(_glue_statement(template, "Lakehouse")["Resource"])]
    assert not any(r == '"*"' for r in resources)
    joined = " ".join(resources)
    expected = [
        ":catalog",
        ":database/default",
        ":database/curated",
        ":table/default/*",
        ":table/curated/*",
        ":userDefinedFunction/default/*",
        ":userDefinedFunction/curated/*",
    ]
    for arn_end in expected:
        assert arn_end + '"' in joined, arn_end
    assert "database/*" not in joined and "table/*/*" not in joined


def test_runtime_role_glue_databases_default_to_default(template: Template) -> None:
    joined = json.dumps(_glue_statement(template, "CatalogDefault")["Resource"])
    assert ':database/default"' in joined and joined.count(":database/") == 1


def test_runtime_role_gets_no_glue_access_without_catalog_options(template: Template) -> None:
    statements = _statements_of_role(template, "NoCatalog")
    assert not any(a.startswith("glue:") for s in statements for a in _list(s["Action"]))


def test_bad_glue_databases_name_the_prop() -> None:
    stack, vpc = new_stack()
    with pytest.raises(ValueError, match=r"glue_databases: got \[\]; name at least one Glue database"):
        EmrCluster(stack, "Empty", vpc=vpc, glue_data_catalog=True, glue_databases=[])
    with pytest.raises(ValueError, match=r"glue_databases: got 'Sales-DB'; "):
        EmrCluster(stack, "Bad", vpc=vpc, glue_data_catalog=True, glue_databases=["Sales-DB"])
    EmrCluster(stack, "Token", vpc=vpc, glue_data_catalog=True, glue_databases=[Token.as_string({"Ref": "Db"})])
