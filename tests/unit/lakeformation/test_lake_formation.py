"""Lake Formation with runtime roles, end to end: a registered location, grants per level to a ``JobRuntimeRole``,
the role's ``lakeformation:GetDataAccess``, the EC2 security configuration and Serverless switch, and the opt-in
account settings.

AWS rules encoded here:
- EMR cannot read a location registered with the Lake Formation service-linked role: "If you plan to access the
  location using Amazon EMR, you must use a user-defined role".
  See: https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html
- The EMR on EC2 security configuration for Lake Formation with runtime roles: ``IAMConfiguration`` with
  ``EnableApplicationScopedIAMRole`` and ``LakeFormationConfiguration.AuthorizedSessionTagValue`` "Amazon EMR".
  See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-lf-enable.html
- EMR Serverless fine-grained access control: ``spark.emr-serverless.lakeformation.enabled`` in ``spark-defaults``
  (emr-7.2.0 and later). See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/emr-serverless-lf-enable.html
- ``lakeformation:GetDataAccess`` has no resource type, so it is granted on ``*``.
  See: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslakeformation.html
- PutDataLakeSettings "replaces the current list of data lake admins".
  See: https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_PutDataLakeSettings.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template
from cfnlint.api import ManualArgs, lint_file

from emr_constructs import (
    EmrEksLakeFormationSecurityConfiguration,
    EmrEksVirtualCluster,
    EmrSecurityConfiguration,
    GlueDatabase,
    InTransitEncryption,
    JobRuntimeRole,
    LakeFormationDataLakeSettings,
    LakeFormationDataLocation,
    LakeFormationPermissions,
    RuntimeRoleAuthorization,
    RuntimeRoleTrust,
    SecureBucket,
    lake_formation_fine_grained_access,
)
from emr_constructs.compliance import apply_compliance_checks
from emr_constructs.releases import ReleaseLabel
from tests.conftest import ROOT, new_app

PRINCIPAL = {"DataLakePrincipalIdentifier": {"Fn::GetAtt": [Match.string_like_regexp("JobRole"), "Arn"]}}


class Built:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.app = new_app(outdir)
        apply_compliance_checks(self.app)
        stack = cdk.Stack(self.app, "LakeFormation")
        data = SecureBucket(stack, "Data").bucket
        instance_role = iam.Role(stack, "InstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
        self.role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.ec2_step(instance_role, lake_formation=True))
        self.database = GlueDatabase(stack, "Sales", database_name="sales", bucket=data)
        self.location = LakeFormationDataLocation(stack, "Location", bucket=data, prefix="warehouse/")
        self.slr_location = LakeFormationDataLocation(
            stack, "SlrLocation", bucket=data, prefix="landing/", use_service_linked_role=True
        )
        grants = LakeFormationPermissions(stack, "Grants", role=self.role)
        grants.grant_database("Database", database=self.database)
        grants.grant_table("AllTables", database=self.database)
        grants.grant_table("Orders", database="sales", table="orders", permissions=["SELECT", "INSERT", "DESCRIBE"])
        grants.grant_columns("Customers", database="sales", table="customers", columns=["id", "country"])
        grants.grant_columns("Payments", database="sales", table="payments", excluded_columns=["card_number"])
        grants.grant_data_location("Warehouse", self.location)
        EmrSecurityConfiguration(
            stack,
            "Security",
            in_transit=InTransitEncryption(certificate_s3_uri="s3://corp-pki/emr/certs.zip"),
            runtime_roles=RuntimeRoleAuthorization(lake_formation=True),
        )
        settings_stack = cdk.Stack(self.app, "AccountSettings")
        admin = iam.Role.from_role_arn(settings_stack, "Admin", "arn:aws:iam::111122223333:role/DataLakeAdmin")
        self.settings = LakeFormationDataLakeSettings(settings_stack, "Settings", admins=[admin])
        self.stack, self.settings_stack = stack, settings_stack
        self.eks_stack = eks_stack = cdk.Stack(self.app, "Eks")
        kubectl = eks.KubectlProvider.from_kubectl_provider_attributes(
            eks_stack, "Kubectl", service_token="arn:aws:lambda:eu-west-1:123456789012:function:kubectl", role=None
        )
        cluster = eks.Cluster.from_cluster_attributes(
            eks_stack, "Cluster", cluster_name="corp-eks", kubectl_provider=kubectl
        )
        virtual_cluster = EmrEksVirtualCluster(eks_stack, "Vc", cluster=cluster, namespace="analytics")
        engine = iam.Role(eks_stack, "QueryEngine", assumed_by=iam.ServicePrincipal("emr-containers.amazonaws.com"))
        execution = JobRuntimeRole(
            eks_stack,
            "Execution",
            trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.7.0-latest")),
        )
        security = EmrEksLakeFormationSecurityConfiguration(
            eks_stack,
            "LakeFormation",
            eks_cluster_name="corp-eks",
            system_namespace="emr-system",
            query_engine_role=engine,
            authorized_session_tag_value="EMR on EKS Engine",
        )
        security.apply_to(virtual_cluster)
        security.allow_query_engine(execution)
        LakeFormationPermissions(eks_stack, "Grants", role=execution).grant_table("Sales", database="sales")
        self.app.synth()
        self.eks_template = Template.from_stack(self.eks_stack)
        self.template = Template.from_stack(stack)
        self.settings_template = Template.from_stack(settings_stack)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("lakeformation"))


def _resources(template: Template, kind: str) -> dict[str, Any]:
    return dict(template.find_resources(kind))


# ---- registration ------------------------------------------------------------------------------------------------


def test_the_location_is_registered_with_a_user_defined_role_emr_can_use(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::Resource",
        {
            "ResourceArn": {"Fn::Join": ["", [{"Fn::GetAtt": [Match.any_value(), "Arn"]}, "/warehouse"]]},
            "UseServiceLinkedRole": False,
            "RoleArn": {"Fn::GetAtt": [Match.string_like_regexp("^LocationRole"), "Arn"]},
        },
    )
    built.template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [Match.object_like({"Principal": {"Service": "lakeformation.amazonaws.com"}})]
            }
        },
    )


def test_the_registration_role_reads_and_writes_only_the_registered_prefix(built: Built) -> None:
    policies = [
        p
        for p in _resources(built.template, "AWS::IAM::ManagedPolicy").values()
        if p["Properties"]["Description"] == "Lake Formation data location access"
    ]
    assert len(policies) == 1
    text = json.dumps(policies[0]["Properties"]["PolicyDocument"])
    assert "/warehouse/*" in text and '"s3:PutObject"' in text
    assert '"Resource": "*"' not in text


def test_the_service_linked_role_is_an_explicit_opt_in(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::Resource",
        {"UseServiceLinkedRole": True, "RoleArn": Match.absent(), "ResourceArn": Match.any_value()},
    )


# ---- permissions per level -----------------------------------------------------------------------------------------


def test_database_permissions(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Principal": PRINCIPAL,
            "Permissions": ["DESCRIBE"],
            "PermissionsWithGrantOption": [],
            "Resource": {"Database": {"CatalogId": {"Ref": "AWS::AccountId"}, "Name": "sales"}},
        },
    )


def test_table_permissions_on_all_tables_and_on_one_table(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Permissions": ["SELECT", "DESCRIBE"],
            "Resource": {
                "Table": {"CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseName": "sales", "TableWildcard": {}}
            },
        },
    )
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Permissions": ["SELECT", "INSERT", "DESCRIBE"],
            "Resource": {"Table": {"DatabaseName": "sales", "Name": "orders", "CatalogId": Match.any_value()}},
        },
    )


def test_column_permissions_by_name_and_by_exclusion(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Permissions": ["SELECT"],
            "Resource": {
                "TableWithColumns": {
                    "CatalogId": {"Ref": "AWS::AccountId"},
                    "DatabaseName": "sales",
                    "Name": "customers",
                    "ColumnNames": ["id", "country"],
                }
            },
        },
    )
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Resource": {
                "TableWithColumns": Match.object_like(
                    {"Name": "payments", "ColumnWildcard": {"ExcludedColumnNames": ["card_number"]}}
                )
            }
        },
    )


def test_data_location_access_names_the_registered_arn(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Permissions": ["DATA_LOCATION_ACCESS"],
            "Resource": {"DataLocation": {"CatalogId": Match.any_value(), "ResourceArn": Match.any_value()}},
        },
    )


def test_grants_of_a_glue_database_wait_for_it(built: Built) -> None:
    database_id = built.template.find_resources("AWS::Glue::Database")
    (logical_id,) = database_id
    grants = _resources(built.template, "AWS::LakeFormation::PrincipalPermissions")
    on_database = [g for g in grants.values() if "Database" in g["Properties"]["Resource"]]
    assert logical_id in on_database[0]["DependsOn"]


def test_the_runtime_role_may_get_data_access_from_lake_formation(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^JobRole")}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [{"Action": "lakeformation:GetDataAccess", "Effect": "Allow", "Resource": "*"}]
                )
            },
        },
    )


def test_the_ec2_runtime_role_trust_allows_session_tags(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Action": Match.array_with(["sts:AssumeRole", "sts:TagSession"])})]
                )
            }
        },
    )


# ---- EC2 security configuration and Serverless -------------------------------------------------------------------


def test_the_security_configuration_enables_lake_formation_for_runtime_roles(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::EMR::SecurityConfiguration",
        {
            "SecurityConfiguration": Match.object_like(
                {
                    "AuthorizationConfiguration": {
                        "IAMConfiguration": {
                            "EnableApplicationScopedIAMRole": True,
                            "ApplicationScopedIAMRoleConfiguration": {"PropagateSourceIdentity": True},
                        },
                        "LakeFormationConfiguration": {"AuthorizedSessionTagValue": "Amazon EMR"},
                    }
                }
            )
        },
    )


def test_serverless_fine_grained_access_is_a_spark_defaults_switch() -> None:
    (conf,) = lake_formation_fine_grained_access()
    assert conf.classification == "spark-defaults"
    assert dict(conf.properties) == {"spark.emr-serverless.lakeformation.enabled": "true"}


def test_serverless_fine_grained_access_needs_emr_7_2_0() -> None:
    lake_formation_fine_grained_access(ReleaseLabel.of("emr-7.2.0"))
    with pytest.raises(ValueError, match=r"release_label: got 'emr-7.1.0'; .*needs emr-7.2.0"):
        lake_formation_fine_grained_access(ReleaseLabel.of("emr-7.1.0"))


def test_eks_security_configuration_names_the_secure_namespace_and_query_engine(built: Built) -> None:
    # https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/security_iam_fgac-lf-enable.html
    built.eks_template.has_resource_properties(
        "AWS::EMRContainers::SecurityConfiguration",
        {
            "SecurityConfigurationData": {
                "AuthorizationConfiguration": {
                    "LakeFormationConfiguration": {
                        "AuthorizedSessionTagValue": "EMR on EKS Engine",
                        "QueryEngineRoleArn": {"Fn::GetAtt": [Match.string_like_regexp("^QueryEngine"), "Arn"]},
                        "SecureNamespaceInfo": {"ClusterId": "corp-eks", "Namespace": "emr-system"},
                    }
                }
            }
        },
    )
    (sc_id,) = built.eks_template.find_resources("AWS::EMRContainers::SecurityConfiguration")
    built.eks_template.has_resource_properties(
        "AWS::EMRContainers::VirtualCluster", {"SecurityConfigurationId": {"Fn::GetAtt": [sc_id, "Id"]}}
    )


def test_the_query_engine_may_assume_the_execution_role_only_with_its_session_tag(built: Built) -> None:
    # https://docs.aws.amazon.com/lake-formation/latest/dg/register-query-engine.html
    engine = {"AWS": {"Fn::GetAtt": [Match.string_like_regexp("^QueryEngine"), "Arn"]}}
    built.eks_template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": engine},
                        {
                            "Action": "sts:TagSession",
                            "Effect": "Allow",
                            "Principal": engine,
                            "Condition": {
                                "StringEquals": {"aws:RequestTag/LakeFormationAuthorizedCaller": "EMR on EKS Engine"}
                            },
                        },
                    ]
                )
            }
        },
    )


# ---- account settings ---------------------------------------------------------------------------------------------


def test_no_data_lake_settings_by_default(built: Built) -> None:
    built.template.resource_count_is("AWS::LakeFormation::DataLakeSettings", 0)


def test_opted_in_settings_name_the_admins_and_authorize_emr_session_tags(built: Built) -> None:
    built.settings_template.has_resource_properties(
        "AWS::LakeFormation::DataLakeSettings",
        {
            "Admins": [{"DataLakePrincipalIdentifier": "arn:aws:iam::111122223333:role/DataLakeAdmin"}],
            "AllowExternalDataFiltering": True,
            "AuthorizedSessionTagValueList": ["Amazon EMR"],
            "ExternalDataFilteringAllowList": [{"DataLakePrincipalIdentifier": {"Ref": "AWS::AccountId"}}],
        },
    )


def test_opted_in_settings_warn_that_they_replace_the_admins(built: Built) -> None:
    Annotations.from_stack(built.settings_stack).has_warning(
        "/AccountSettings/Settings",
        Match.string_like_regexp("REPLACES this account's Lake Formation data lake administrators"),
    )
    Annotations.from_stack(built.stack).has_no_warning("*", Match.string_like_regexp("REPLACES"))


# ---- compliance -----------------------------------------------------------------------------------------------------


def test_four_nag_packs_pass(built: Built) -> None:
    report = json.loads((built.outdir / "validation-report.json").read_text())
    findings = [
        v
        for p in report["pluginReports"]
        for v in p["violations"]
        if not (p["pluginName"] == "Construct Annotations" and v.get("severity") == "warning")
    ]
    assert findings == []


def test_cfn_lint_is_clean(built: Built) -> None:
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    templates = sorted(built.outdir.glob("*.template.json"))
    assert len(templates) == 3
    for template in templates:
        matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
        assert [str(m) for m in matches] == [], template.name


# ---- bad input ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> tuple[cdk.Stack, JobRuntimeRole, Any]:
    stack = cdk.Stack(new_app(), "Bad")
    role = JobRuntimeRole(stack, "Job", trust=RuntimeRoleTrust.serverless(stack))
    return stack, role, SecureBucket(stack, "Data").bucket


_counter = iter(range(1000))


@pytest.mark.parametrize(
    ("method", "kwargs", "match"),
    [
        ("grant_database", {"database": "Sales"}, r"database: got 'Sales'; must be 1-255 lowercase"),
        ("grant_database", {"database": "sales", "permissions": ["SELECT"]}, r"permissions: got 'SELECT'; allowed"),
        ("grant_database", {"database": "sales", "permissions": []}, r"permissions: got \[\]; name at least one"),
        ("grant_table", {"database": "sales", "permissions": ["CREATE_TABLE"]}, r"permissions: got 'CREATE_TABLE'"),
        ("grant_table", {"database": "sales", "table": ""}, r"table: got ''"),
        ("grant_columns", {"database": "sales", "table": "t"}, r"columns: got None; give exactly one of"),
        (
            "grant_columns",
            {"database": "sales", "table": "t", "columns": ["a"], "excluded_columns": ["b"]},
            r"columns: got \['a'\]; give exactly one of",
        ),
        ("grant_columns", {"database": "sales", "table": "t", "columns": []}, r"columns: got \[\]; name at least"),
        ("grant_columns", {"database": "sales", "table": "t", "columns": "id"}, r"columns: got 'id'"),
    ],
)
def test_bad_grants_name_the_prop(
    scratch: tuple[cdk.Stack, JobRuntimeRole, Any], method: str, kwargs: dict[str, Any], match: str
) -> None:
    stack, role, _ = scratch
    grants = LakeFormationPermissions(stack, f"Grants{next(_counter)}", role=role)
    with pytest.raises((ValueError, TypeError), match=match):
        getattr(grants, method)("Grant", **kwargs)


def test_bad_locations_and_settings_name_the_prop(scratch: tuple[cdk.Stack, JobRuntimeRole, Any]) -> None:
    stack, role, bucket = scratch
    with pytest.raises(ValueError, match=r"prefix: got 's3://x/y'"):
        LakeFormationDataLocation(stack, "L1", bucket=bucket, prefix="s3://x/y")
    with pytest.raises(ValueError, match=r"use_service_linked_role: got True; give either a role"):
        LakeFormationDataLocation(stack, "L2", bucket=bucket, role=role.role, use_service_linked_role=True)
    with pytest.raises(ValueError, match=r"admins: got \[\]; name at least one admin"):
        LakeFormationDataLakeSettings(stack, "S1", admins=[])
    engine = iam.Role(stack, "Engine", assumed_by=iam.ServicePrincipal("emr-containers.amazonaws.com"))
    good = {"eks_cluster_name": "corp-eks", "system_namespace": "emr-system", "query_engine_role": engine}
    with pytest.raises(ValueError, match=r"authorized_session_tag_value: got 'a:b'; must be 1-256"):
        EmrEksLakeFormationSecurityConfiguration(stack, "E1", authorized_session_tag_value="a:b", **good)
    with pytest.raises(ValueError, match=r"system_namespace: got 'kube-system'"):
        EmrEksLakeFormationSecurityConfiguration(
            stack, "E2", authorized_session_tag_value="x", **{**good, "system_namespace": "kube-system"}
        )
    with pytest.raises(ValueError, match=r"eks_cluster_name: got '-eks'"):
        EmrEksLakeFormationSecurityConfiguration(
            stack, "E3", authorized_session_tag_value="x", **{**good, "eks_cluster_name": "-eks"}
        )
    with pytest.raises(TypeError, match=r"role: got"):
        LakeFormationPermissions(stack, "P1", role=role.role)  # type: ignore[arg-type]
