"""EMR on EKS job execution roles: the IRSA service-account pattern and its base36 role-name encoding."""

from __future__ import annotations

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs import JobRuntimeRole, ReleaseLabel, RuntimeRoleTrust
from emr_constructs._internal.naming import base36
from emr_constructs.iam.runtime_role import emr_eks_service_account_pattern
from tests.conftest import new_app

PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"


def test_base36_of_a_known_role_name_matches_the_hand_computation() -> None:
    # "ab" -> bytes 0x61 0x62 -> 97 * 256 + 98 = 24930.
    # 24930 = 19 * 36**2 + 8 * 36 + 18  (19 * 1296 = 24624; 306 = 8 * 36 + 18)
    # digits 19, 8, 18 -> 'j', '8', 'i'  (10 -> 'a', so 19 -> 'j' and 18 -> 'i')
    assert base36("ab") == "j8i"
    # "emr" -> 0x65 0x6d 0x72 -> 101 * 65536 + 109 * 256 + 114 = 6_647_154
    # 6_647_154 = 3 * 36**4 (5_038_848) + 34 * 36**3 (1_586_304) + 16 * 36**2 (20_736) + 35 * 36 (1_260) + 6
    # digits 3, 34, 16, 35, 6 -> '3', 'y', 'g', 'z', '6'
    assert base36("emr") == "3ygz6"
    assert base36("") == "0"


def test_service_account_pattern_for_a_known_role_name() -> None:
    assert emr_eks_service_account_pattern("spark-jobs", "123456789012", "ab") == (
        "system:serviceaccount:spark-jobs:emr-containers-sa-*-*-123456789012-j8i"
    )


def test_pattern_needs_a_literal_role_name() -> None:
    with pytest.raises(
        ValueError, match=r"execution_role: got 'a role whose name is a token'; IRSA needs the role name"
    ):
        emr_eks_service_account_pattern("spark-jobs", "123456789012", Token.as_string({"Ref": "RoleName"}))


@pytest.fixture(scope="module")
def template() -> Template:
    stack = Stack(new_app(), "Eks")
    provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(stack, "Oidc", PROVIDER_ARN)
    role = JobRuntimeRole(
        stack, "Exec", trust=RuntimeRoleTrust.eks_irsa(open_id_connect_provider=provider, namespace="spark-jobs")
    )
    assert role.role_name is not None and role.role_name.startswith("emr-eks-job-")
    JobRuntimeRole(
        stack, "PodIdentity", trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.3.0"))
    )
    return Template.from_stack(stack)


def test_irsa_trust_uses_the_generated_name_in_the_pattern(template: Template) -> None:
    (role,) = [r for k, r in template.find_resources("AWS::IAM::Role").items() if k.startswith("Exec")]
    name = role["Properties"]["RoleName"]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": PROVIDER_ARN}
    subject = statement["Condition"]["StringLike"]["oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub"]
    assert subject == {
        "Fn::Join": [
            "",
            ["system:serviceaccount:spark-jobs:emr-containers-sa-*-*-", {"Ref": "AWS::AccountId"}, f"-{base36(name)}"],
        ]
    }


def test_pod_identity_trust(template: Template) -> None:
    (role,) = [r for k, r in template.find_resources("AWS::IAM::Role").items() if k.startswith("PodIdentity")]
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert all(s["Principal"] == {"Service": "pods.eks.amazonaws.com"} for s in statements)
    actions = [a for s in statements for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])]
    assert sorted(actions) == ["sts:AssumeRole", "sts:TagSession"]


def test_pod_identity_needs_emr_7_3() -> None:
    with pytest.raises(
        ValueError, match=r"release_label: got 'emr-7.2.0'; EMR on EKS with EKS Pod Identity needs emr-7.3.0"
    ):
        RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.2.0"))


def test_pod_identity_role_has_a_literal_generated_name(template: Template) -> None:
    """EMR's Pod Identity service-account names contain base36 of the role name, so it must be known at synth.
    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html"""
    (role,) = [r for k, r in template.find_resources("AWS::IAM::Role").items() if k.startswith("PodIdentity")]
    name = role["Properties"]["RoleName"]
    assert isinstance(name, str) and name.startswith("emr-eks-job-") and len(name) <= 64
