"""EmrStudio: auth modes, roles' trust, the Workspace bucket, the security groups AWS documents, session mappings
only in IAM Identity Center mode, compliance (4 nag packs, cfn-lint) and a masked snapshot of a test stack.

AWS pages the assertions encode:
- service role trust and policy: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-service-role.html
- security group rules: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-security-groups.html
- UserRole only with IAM Identity Center (botocore's emr model, CreateStudio.UserRole: "Only specify a UserRole when
  you use IAM Identity Center authentication").
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
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template
from cfnlint.api import ManualArgs, lint_file

from emr_constructs import (
    EmrServerlessApplication,
    EmrStudio,
    IdentityType,
    SecureBucket,
    StudioAuthMode,
    StudioSessionMapping,
    apply_compliance_checks,
)
from emr_constructs.core.iam_actions import Emr
from tests.conftest import ROOT, new_app, new_stack

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "studio-stack.json"
MASKS = [  # as tests/snapshots/test_snapshots.py masks
    (re.compile(r"[0-9a-f]{64}"), "<ASSET_HASH>"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "<ACCOUNT_ID>"),
]
TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}


def _session_policy(stack: cdk.Stack, name: str) -> iam.ManagedPolicy:
    return iam.ManagedPolicy(
        stack,
        name,
        statements=[
            iam.PolicyStatement(
                actions=[Emr.DESCRIBE_CLUSTER],
                resources=[stack.format_arn(service="elasticmapreduce", resource="cluster", resource_name="j-ABC")],
            )
        ],
    )


def imported_vpc(stack: cdk.Stack) -> ec2.IVpc:
    """An existing VPC with two private subnets: the findings of the stack are the Studio's own."""
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        private_subnet_route_table_ids=["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"],
    )


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    outdir = tmp_path_factory.mktemp("studio")
    app = new_app(outdir)
    apply_compliance_checks(app)
    stack = cdk.Stack(app, "StudioTest")
    vpc = imported_vpc(stack)
    EmrStudio(stack, "IamStudio", vpc=vpc, description="Notebooks for analysts")
    EmrStudio(
        stack,
        "SsoStudio",
        vpc=vpc,
        auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER,
        session_mappings=[
            StudioSessionMapping(
                identity_name="data-engineers",
                identity_type=IdentityType.GROUP,
                session_policy=_session_policy(stack, "EngineersSession"),
            ),
            StudioSessionMapping(
                identity_name="jane@example.com",
                identity_type=IdentityType.USER,
                session_policy=_session_policy(stack, "JaneSession"),
            ),
        ],
    )
    assembly = app.synth()  # raises RuntimeError("ValidationFailed ...") on any unacknowledged nag finding
    return outdir, assembly.get_stack_by_name("StudioTest").template


@pytest.fixture(scope="module")
def template(synthesized: tuple[Path, dict[str, Any]]) -> Template:
    return Template.from_json(synthesized[1])


def _studio(template: Template, prefix: str) -> dict[str, Any]:
    (props,) = [v["Properties"] for k, v in template.find_resources("AWS::EMR::Studio").items() if k.startswith(prefix)]
    return props


def _ref(template: Template, resource_type: str, prefix: str) -> str:
    (logical_id,) = [k for k in template.find_resources(resource_type) if k.startswith(prefix)]
    return logical_id


# ---- auth mode and roles -------------------------------------------------------------------------------------------


def test_each_auth_mode_is_rendered(template: Template) -> None:
    assert _studio(template, "IamStudio")["AuthMode"] == "IAM"
    assert _studio(template, "SsoStudio")["AuthMode"] == "SSO"


def test_only_the_identity_center_studio_has_a_user_role(template: Template) -> None:
    assert "UserRole" not in _studio(template, "IamStudio")
    user_role = _ref(template, "AWS::IAM::Role", "SsoStudioUserRole")
    assert _studio(template, "SsoStudio")["UserRole"] == {"Fn::GetAtt": [user_role, "Arn"]}


def test_the_service_role_trusts_only_this_accounts_emr_studio(template: Template) -> None:
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Description": "EMR Studio service role",
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "elasticmapreduce.amazonaws.com"},
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                            "ArnLike": {
                                "aws:SourceArn": {
                                    "Fn::Join": [
                                        "",
                                        Match.array_with([Match.string_like_regexp(":elasticmapreduce:"), ":*"]),
                                    ]
                                }
                            },
                        },
                    }
                ]
            },
        },
    )
    roles = template.find_resources(
        "AWS::IAM::Role", {"Properties": {"Description": Match.string_like_regexp("EMR Studio")}}
    )
    assert len(roles) == 3  # two service roles, one user role; every one with the same conditions
    for role in roles.values():
        (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert set(statement["Condition"]) == {"StringEquals", "ArnLike"}


def _service_policy(template: Template, prefix: str) -> dict[str, dict[str, Any]]:
    (policy,) = [
        v["Properties"]["PolicyDocument"]
        for k, v in template.find_resources("AWS::IAM::ManagedPolicy").items()
        if k.startswith(f"{prefix}ServicePolicy")
    ]
    return {s.get("Sid", f"#{i}"): s for i, s in enumerate(policy["Statement"])}


def test_the_service_role_may_set_up_the_network_channel_to_an_attached_cluster(template: Template) -> None:
    statements = _service_policy(template, "IamStudio")
    assert set(statements["AllowEMRReadOnlyActions"]["Action"]) == {
        "elasticmapreduce:ListInstances",
        "elasticmapreduce:DescribeCluster",
        "elasticmapreduce:ListSteps",
    }
    assert statements["AllowEC2ENIAttributeAction"]["Action"] == "ec2:ModifyNetworkInterfaceAttribute"
    for sid in ("AllowEC2ENIActionsWithEMRTags", "AllowEC2SecurityGroupActionsWithEMRTags"):
        assert statements[sid]["Condition"] == {
            "StringEquals": {"aws:ResourceTag/for-use-with-amazon-emr-managed-policies": "true"}
        }
    # "must remain unchanged": the two tag-on-create statements
    assert statements["AllowAddingEMRTagsDuringDefaultSecurityGroupCreation"]["Condition"] == {
        "StringEquals": {
            "aws:RequestTag/for-use-with-amazon-emr-managed-policies": "true",
            "ec2:CreateAction": "CreateSecurityGroup",
        }
    }
    assert statements["AllowAddingTagsDuringEC2ENICreation"]["Condition"] == {
        "StringEquals": {"ec2:CreateAction": "CreateNetworkInterface"}
    }
    # the Studio's own subnets by ARN (the library does not tag a VPC it was given)
    subnets = statements["AllowEC2ENICreationInStudioSubnets"]["Resource"]
    assert len(subnets) == 2 and all("subnet/" in json.dumps(s) for s in subnets)
    assert statements["AllowSecretsManagerReadOnlyActionsWithEMRTags"]["Action"] == "secretsmanager:GetSecretValue"


def test_the_service_role_reads_and_writes_notebooks_under_the_default_location(template: Template) -> None:
    actions = [s["Action"] for s in _service_policy(template, "IamStudio").values()]
    flat = {a for action in actions for a in (action if isinstance(action, list) else [action])}
    # AWS's minimum S3 set, and KMS for the encrypted bucket
    assert {"s3:PutObject", "s3:GetObject", "s3:GetEncryptionConfiguration", "s3:ListBucket", "s3:DeleteObject"} <= flat
    assert {"kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"} <= flat


def test_the_studio_waits_for_its_service_policy(synthesized: tuple[Path, dict[str, Any]]) -> None:
    resources = synthesized[1]["Resources"]
    (studio,) = [v for k, v in resources.items() if k.startswith("IamStudio") and v["Type"] == "AWS::EMR::Studio"]
    assert any(d.startswith("IamStudioServicePolicy") for d in studio["DependsOn"])


# ---- Workspace bucket ----------------------------------------------------------------------------------------------


def test_the_default_s3_location_is_the_workspace_prefix_of_a_kms_bucket_that_is_retained(template: Template) -> None:
    bucket = _ref(template, "AWS::S3::Bucket", "IamStudioWorkspacesBucket")
    assert _studio(template, "IamStudio")["DefaultS3Location"] == {
        "Fn::Join": ["", ["s3://", {"Ref": bucket}, "/workspaces/"]]
    }
    resource = template.to_json()["Resources"][bucket]
    assert resource["DeletionPolicy"] == "Retain"
    (rule,) = resource["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            },
        },
    )


# ---- security groups (emr-studio-security-groups.html) -------------------------------------------------------------


def _group(template: Template, prefix: str) -> tuple[str, dict[str, Any]]:
    logical_id = _ref(template, "AWS::EC2::SecurityGroup", prefix)
    return logical_id, template.to_json()["Resources"][logical_id]["Properties"]


def test_the_engine_group_admits_only_the_workspaces_on_18888(template: Template) -> None:
    engine, props = _group(template, "IamStudioEngineSecurityGroup")
    workspace, _ = _group(template, "IamStudioWorkspaceSecurityGroup")
    assert "SecurityGroupIngress" not in props
    ingress = template.find_resources(
        "AWS::EC2::SecurityGroupIngress", {"Properties": {"GroupId": {"Fn::GetAtt": [engine, "GroupId"]}}}
    )
    assert [r["Properties"] for r in ingress.values()] == [
        {
            "GroupId": {"Fn::GetAtt": [engine, "GroupId"]},
            "SourceSecurityGroupId": {"Fn::GetAtt": [workspace, "GroupId"]},
            "IpProtocol": "tcp",
            "FromPort": 18888,
            "ToPort": 18888,
            "Description": "EMR Studio Workspaces to attached clusters",
        }
    ]
    # no outbound of its own: only CDK's placeholder rule, which matches no traffic
    (egress,) = props["SecurityGroupEgress"]
    assert egress["CidrIp"] == "255.255.255.255/32"


def test_the_workspace_group_has_no_inbound_and_reaches_the_engine_on_18888_and_https(template: Template) -> None:
    engine, _ = _group(template, "IamStudioEngineSecurityGroup")
    workspace, props = _group(template, "IamStudioWorkspaceSecurityGroup")
    assert "SecurityGroupIngress" not in props
    assert not template.find_resources(
        "AWS::EC2::SecurityGroupIngress", {"Properties": {"GroupId": {"Fn::GetAtt": [workspace, "GroupId"]}}}
    )
    assert props["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "HTTPS: Git repositories",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupEgress",
        {
            "GroupId": {"Fn::GetAtt": [workspace, "GroupId"]},
            "DestinationSecurityGroupId": {"Fn::GetAtt": [engine, "GroupId"]},
            "IpProtocol": "tcp",
            "FromPort": 18888,
            "ToPort": 18888,
        },
    )


def test_both_groups_carry_the_tag_the_service_policy_conditions_on(template: Template) -> None:
    for prefix in ("IamStudioEngineSecurityGroup", "IamStudioWorkspaceSecurityGroup"):
        _, props = _group(template, prefix)
        assert TAG in props["Tags"], prefix
    studio = _studio(template, "IamStudio")
    assert studio["EngineSecurityGroupId"] == {
        "Fn::GetAtt": [_group(template, "IamStudioEngineSecurityGroup")[0], "GroupId"]
    }


# ---- session mappings ----------------------------------------------------------------------------------------------


def test_session_mappings_map_each_identity_with_its_session_policy(template: Template) -> None:
    mappings = template.find_resources("AWS::EMR::StudioSessionMapping")
    assert len(mappings) == 2 and all(k.startswith("SsoStudioSessionMapping") for k in mappings)
    studio = _ref(template, "AWS::EMR::Studio", "SsoStudio")
    template.has_resource_properties(
        "AWS::EMR::StudioSessionMapping",
        {
            "StudioId": {"Fn::GetAtt": [studio, "StudioId"]},
            "IdentityName": "data-engineers",
            "IdentityType": "GROUP",
            "SessionPolicyArn": {"Ref": Match.string_like_regexp("^EngineersSession")},
        },
    )
    template.has_resource_properties(
        "AWS::EMR::StudioSessionMapping", {"IdentityName": "jane@example.com", "IdentityType": "USER"}
    )


def test_the_user_role_may_use_workspaces_and_pass_only_the_service_role(template: Template) -> None:
    (policy,) = [
        v["Properties"]
        for k, v in template.find_resources("AWS::IAM::ManagedPolicy").items()
        if k.startswith("SsoStudioUserPolicy")
    ]
    statements = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
    assert "elasticmapreduce:AttachEditor" in statements["AllowEMRBasicActions"]["Action"]
    passing = statements["AllowPassingServiceRoleForWorkspaceCreation"]
    service_role = _ref(template, "AWS::IAM::Role", "SsoStudioServiceRole")
    assert passing["Resource"] == {"Fn::GetAtt": [service_role, "Arn"]}
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "elasticmapreduce.amazonaws.com"}}


# ---- compliance and snapshot ---------------------------------------------------------------------------------------


def test_four_nag_packs_report_nothing(synthesized: tuple[Path, dict[str, Any]]) -> None:
    report = json.loads((synthesized[0] / "validation-report.json").read_text())
    assert [v for p in report["pluginReports"] for v in p["violations"]] == []


def test_cfn_lint_is_clean(synthesized: tuple[Path, dict[str, Any]]) -> None:
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    template = synthesized[0] / "StudioTest.template.json"
    matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
    assert [str(m) for m in matches] == []


def _mask(template: dict[str, Any]) -> str:
    text = json.dumps(template, indent=1, sort_keys=True)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text + "\n"


def test_the_test_stack_matches_its_snapshot(synthesized: tuple[Path, dict[str, Any]]) -> None:
    """Logical ids are part of the contract. Update after an intended change with UPDATE_SNAPSHOTS=1."""
    actual = _mask(synthesized[1])
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (not SNAPSHOT.exists() and os.environ.get("CI") != "true"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(actual)
    assert actual == SNAPSHOT.read_text(), f"{SNAPSHOT} differs; review, then UPDATE_SNAPSHOTS=1"


# ---- bad input -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> tuple[cdk.Stack, ec2.Vpc]:
    return new_stack(new_app(), "Bad")


_n = iter(range(10_000))


def _build(env: tuple[cdk.Stack, ec2.Vpc], **props: Any) -> EmrStudio:
    stack, vpc = env
    return EmrStudio(stack, f"S{next(_n)}", **{"vpc": vpc, **props})


def _mapping(stack: cdk.Stack, name: str = "analysts") -> StudioSessionMapping:
    policy = iam.ManagedPolicy.from_managed_policy_name(stack, f"P{next(_n)}", "StudioAnalysts")
    return StudioSessionMapping(identity_name=name, identity_type=IdentityType.GROUP, session_policy=policy)


def test_session_mappings_need_identity_center(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    with pytest.raises(
        ValueError, match=r"session_mappings: got .*applies only with auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER"
    ):
        _build(env, session_mappings=[_mapping(env[0])])


def test_a_user_role_needs_identity_center(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    role = iam.Role.from_role_name(env[0], f"R{next(_n)}", "StudioUsers")
    with pytest.raises(
        ValueError, match=r"user_role: got .*applies only with auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER"
    ):
        _build(env, user_role=role)


def test_idp_federation_is_for_iam_mode(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    with pytest.raises(
        ValueError,
        match=r"idp_auth_url: got 'https://idp.example.com/sso'; applies only with auth_mode=StudioAuthMode.IAM",
    ):
        _build(env, auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER, idp_auth_url="https://idp.example.com/sso")


@pytest.mark.parametrize(
    ("props", "match"),
    [
        ({"name": "my studio"}, r"name: got 'my studio'; must be 1-256 letters, digits, '_' or '-'"),
        ({"name": "x" * 257}, r"name: got 'x{257}'"),
        ({"description": "d" * 257}, r"description: got 'd{257}'; must be at most 256 characters"),
        (
            {"idp_auth_url": "http://idp.example.com"},
            r"idp_auth_url: got 'http://idp.example.com'; must be an https://",
        ),
        (
            {"idp_relay_state_parameter_name": "RelayState"},
            r"idp_relay_state_parameter_name: got 'RelayState'; needs idp_auth_url",
        ),
        ({"workspace_prefix": "s3://bucket/ws/"}, r"workspace_prefix: got 's3://bucket/ws/'"),
        ({"auth_mode": "SSO"}, r"auth_mode"),
        ({"workspace_bucket": "my-bucket"}, r"workspace_bucket"),
        ({"vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC, one_per_az=False)}, None),
    ],
)
def test_bad_props_name_the_prop(env: tuple[cdk.Stack, ec2.Vpc], props: dict[str, Any], match: str | None) -> None:
    if match is None:  # two public subnets are a valid selection: the guard case for the parametrization
        _build(env, **props)
        return
    with pytest.raises((ValueError, TypeError), match=match):
        _build(env, **props)


def test_more_than_five_subnets_are_rejected() -> None:
    stack = cdk.Stack(new_app(), "Wide")
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=3,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name=f"p{i}", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED) for i in range(3)
        ],
    )
    with pytest.raises(ValueError, match=r"vpc_subnets: got .*must select 1 to 5 subnets"):
        EmrStudio(
            stack, "Studio", vpc=vpc, vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        )


@pytest.mark.parametrize(
    ("props", "match"),
    [
        ({"identity_name": ""}, r"identity_name: got ''"),
        ({"identity_name": "x" * 257}, r"identity_name: got 'x{257}'; must be at most 256 characters"),
        ({"identity_type": "GROUP"}, r"identity_type"),
        ({"session_policy": "arn:aws:iam::123456789012:policy/p"}, r"session_policy"),
    ],
)
def test_bad_session_mappings_name_the_prop(env: tuple[cdk.Stack, ec2.Vpc], props: dict[str, Any], match: str) -> None:
    policy = iam.ManagedPolicy.from_managed_policy_name(env[0], f"P{next(_n)}", "StudioAnalysts")
    base: dict[str, Any] = {"identity_name": "analysts", "identity_type": IdentityType.GROUP, "session_policy": policy}
    with pytest.raises((ValueError, TypeError), match=match):
        StudioSessionMapping(**{**base, **props})


def test_the_same_identity_twice_is_rejected(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    stack = env[0]
    with pytest.raises(ValueError, match=r"session_mappings\[1\]: got 'analysts'; maps the same GROUP twice"):
        _build(env, auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER, session_mappings=[_mapping(stack), _mapping(stack)])


def test_tokens_pass_validation(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    stack = env[0]
    name = cdk.Token.as_string({"Ref": "StudioName"})
    policy = iam.ManagedPolicy.from_managed_policy_name(stack, f"P{next(_n)}", "StudioAnalysts")
    _build(
        env,
        name=name,
        description=cdk.Token.as_string({"Ref": "Description"}),
        auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER,
        workspace_bucket=s3.Bucket.from_bucket_name(stack, f"B{next(_n)}", cdk.Token.as_string({"Ref": "Bucket"})),
        session_mappings=[
            StudioSessionMapping(identity_name=name, identity_type=IdentityType.USER, session_policy=policy),
            StudioSessionMapping(identity_name=name, identity_type=IdentityType.USER, session_policy=policy),
        ],
    )


def test_an_existing_bucket_and_user_role_are_used_as_given(env: tuple[cdk.Stack, ec2.Vpc]) -> None:
    stack = env[0]
    bucket = SecureBucket(stack, f"Given{next(_n)}").bucket
    role = iam.Role.from_role_name(stack, f"R{next(_n)}", "StudioUsers")
    studio = _build(env, auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER, workspace_bucket=bucket, user_role=role)
    assert studio.workspace_bucket is bucket and studio.user_role is role


def test_iam_mode_users_are_granted_the_presigned_url_of_this_studio_only() -> None:
    stack = cdk.Stack(new_app(), "Grant")
    studio = EmrStudio(stack, "Studio", vpc=imported_vpc(stack))
    users = iam.Role(stack, "Analysts", assumed_by=iam.AccountRootPrincipal())
    studio.grant_create_presigned_url(users)
    studio_id = Template.from_stack(stack).find_resources("AWS::EMR::Studio").popitem()[0]
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "elasticmapreduce:CreateStudioPresignedUrl",
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [studio_id, "Arn"]},
                    }
                ]
            }
        },
    )


def test_studio_users_may_attach_to_one_interactive_serverless_application_as_one_runtime_role() -> None:
    # See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/interactive-workloads.html
    stack = cdk.Stack(new_app(), "ServerlessNotebooks")
    studio = EmrStudio(stack, "Studio", vpc=imported_vpc(stack), auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER)
    application = EmrServerlessApplication.from_application_id(stack, "App", "00f6b0eou5biqd0l")
    runtime_role = iam.Role.from_role_arn(stack, "Runtime", "arn:aws:iam::123456789012:role/notebooks")
    assert studio.user_role is not None
    studio.grant_serverless_notebooks(studio.user_role, application, runtime_role)
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "emr-serverless:AccessInteractiveEndpoints",
                        "Effect": "Allow",
                        "Resource": Match.object_like(
                            {"Fn::Join": ["", Match.array_with([":/applications/00f6b0eou5biqd0l"])]}
                        ),
                    },
                    {
                        "Action": "iam:PassRole",
                        "Effect": "Allow",
                        "Resource": "arn:aws:iam::123456789012:role/notebooks",
                        "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}},
                    },
                ]
            }
        },
    )
