"""EMR on EKS with EKS Pod Identity: the role is only assumed through pod identity associations of EMR's own service
accounts, so the virtual cluster creates one per service account for each execution role it is given.

Facts from AWS, not from this library:
- EMR on EKS supports EKS Pod Identity for StartJobRun from emr-7.3.0; the job execution role trusts
  ``pods.eks.amazonaws.com`` and the role is associated with EMR's service accounts in the job namespace
  (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html).
- The associations that page creates (``aws emr-containers create-role-associations``, the AWS CLI's
  awscli/customizations/emrcontainers/create_role_associations.py and constants.py) are, for the start_job_run
  type, one per component ``client``, ``driver``, ``executor``, each named
  ``emr-containers-sa-%(FRAMEWORK)s-%(COMPONENT)s-%(AWS_ACCOUNT_ID)s-%(BASE36_ENCODED_ROLE_NAME)s`` with FRAMEWORK
  ``spark``; the CLI's base36 reads the role name one character at a time (``result * 256 + ord(char)``).
- Pods get the credentials from the EKS Pod Identity Agent add-on, which calls eks-auth:AssumeRoleForPodIdentity
  with the node role; AmazonEKSWorkerNodePolicy (v3) grants that action
  (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSWorkerNodePolicy.html).
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs import JobRuntimeRole, ReleaseLabel, RuntimeRoleTrust
from emr_constructs.eks import EmrEksVirtualCluster
from stacks.config import EksConfig
from stacks.emr_eks_stack import EmrEksStack
from tests.conftest import new_app

ACCOUNT = "123456789012"
ENV = Environment(account=ACCOUNT, region="eu-west-1")
AZS = ["eu-west-1a", "eu-west-1b"]
PAGE = "https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html"


def cli_base36(text: str) -> str:
    """The AWS CLI's Base36.encode, written out independently of the library's."""
    number = 0
    for char in text:
        number = number * 256 + ord(char)
    alphabet, out = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    while number:
        number, digit = divmod(number, 36)
        out = alphabet[digit] + out
    return out or "0"


def start_job_run_service_accounts(account: str, role_name: str) -> set[str]:
    return {
        f"emr-containers-sa-spark-{component}-{account}-{cli_base36(role_name)}"
        for component in ("client", "driver", "executor")
    }


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def _role(template: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    (found,) = [(k, v) for k, v in _resources(template, "AWS::IAM::Role").items() if k.startswith(prefix)]
    return found


@pytest.fixture(scope="module")
def created() -> dict[str, Any]:
    """The reference EMR on EKS stack with a created cluster and the Pod Identity trust."""
    app = new_app()
    network = Stack(app, "Net", env=ENV)
    vpc = ec2.Vpc(network, "Vpc", availability_zones=AZS, nat_gateways=1)
    config = EksConfig(create_cluster=True, execution_role_trust="pod_identity")
    stack = EmrEksStack(
        app,
        "Eks",
        config=config,
        vpc=vpc,
        subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS,
        application_tag="emr",
        cost_center="data",
        env=ENV,
    )
    return Template.from_stack(stack).to_json()


@pytest.fixture(scope="module")
def imported() -> dict[str, Any]:
    """A virtual cluster on a cluster imported by name, with a Pod Identity role and an IRSA role."""
    stack = Stack(new_app(), "Imported", env=ENV)
    vpc = ec2.Vpc(stack, "Vpc", availability_zones=AZS, nat_gateways=1)
    cluster = eks.Cluster.from_cluster_attributes(stack, "Cluster", cluster_name="corp-eks", vpc=vpc)
    vc = EmrEksVirtualCluster(stack, "Analytics", cluster=cluster, namespace="analytics", create_namespace=False)
    pod_identity = JobRuntimeRole(
        stack, "JobRole", trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.3.0"))
    )
    associations = vc.add_execution_role(pod_identity)
    provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
        stack, "Oidc", f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    )
    irsa = JobRuntimeRole(
        stack, "IrsaRole", trust=RuntimeRoleTrust.eks_irsa(open_id_connect_provider=provider, namespace="analytics")
    )
    assert vc.add_execution_role(irsa) == []
    assert len(associations) == 3
    return Template.from_stack(stack).to_json()


def test_created_cluster_associates_the_execution_role_with_emrs_three_service_accounts(created: dict) -> None:
    """EMR on EKS Pod Identity: one association per EMR service account (client, driver, executor) in the
    virtual cluster's namespace, on the created cluster, for the execution role (see PAGE)."""
    role_id, role = _role(created, "ExecutionRole")
    role_name = role["Properties"]["RoleName"]
    assert isinstance(role_name, str), "the role name must be literal: its base36 form is in the service accounts"
    (cluster_id,) = _resources(created, "AWS::EKS::Cluster")
    associations = [a["Properties"] for a in _resources(created, "AWS::EKS::PodIdentityAssociation").values()]
    assert {a["ServiceAccount"] for a in associations} == start_job_run_service_accounts(ACCOUNT, role_name)
    for association in associations:
        assert association["ClusterName"] == {"Ref": cluster_id}
        assert association["Namespace"] == EksConfig().namespace
        assert association["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_the_associated_role_trusts_eks_pod_identity(created: dict) -> None:
    _, role = _role(created, "ExecutionRole")
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"sts:AssumeRole", "sts:TagSession"}
    assert all(s["Principal"] == {"Service": "pods.eks.amazonaws.com"} for s in statements)


def test_created_cluster_runs_the_pod_identity_agent_on_nodes_allowed_to_use_it(created: dict) -> None:
    """Pod Identity needs the eks-pod-identity-agent add-on and eks-auth:AssumeRoleForPodIdentity on every node
    role (AmazonEKSWorkerNodePolicy v3 grants it)."""
    addons = {a["Properties"]["AddonName"] for a in _resources(created, "AWS::EKS::Addon").values()}
    assert "eks-pod-identity-agent" in addons
    roles = _resources(created, "AWS::IAM::Role")
    node_roles = [
        roles[g["Properties"]["NodeRole"]["Fn::GetAtt"][0]] for g in _resources(created, "AWS::EKS::Nodegroup").values()
    ]
    assert node_roles
    for role in node_roles:
        policies = str(role["Properties"]["ManagedPolicyArns"])
        assert ":iam::aws:policy/AmazonEKSWorkerNodePolicy" in policies


def test_cluster_imported_by_name_gets_the_associations_for_the_pod_identity_role_only(imported: dict) -> None:
    role_id, role = _role(imported, "JobRole")
    associations = [a["Properties"] for a in _resources(imported, "AWS::EKS::PodIdentityAssociation").values()]
    assert {a["ServiceAccount"] for a in associations} == start_job_run_service_accounts(
        ACCOUNT, role["Properties"]["RoleName"]
    )
    assert {(a["ClusterName"], a["Namespace"]) for a in associations} == {("corp-eks", "analytics")}
    assert all(a["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]} for a in associations)


def _virtual_cluster(stack: Stack, namespace: str = "analytics") -> EmrEksVirtualCluster:
    vpc = ec2.Vpc(stack, "Vpc", availability_zones=AZS, nat_gateways=0)
    cluster = eks.Cluster.from_cluster_attributes(stack, "Cluster", cluster_name="corp-eks", vpc=vpc)
    return EmrEksVirtualCluster(stack, "Vc", cluster=cluster, namespace=namespace, create_namespace=False)


def test_an_irsa_role_of_another_namespace_is_refused() -> None:
    stack = Stack(new_app(), "S", env=ENV)
    vc = _virtual_cluster(stack)
    provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
        stack, "Oidc", f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    )
    role = JobRuntimeRole(
        stack, "R", trust=RuntimeRoleTrust.eks_irsa(open_id_connect_provider=provider, namespace="other")
    )
    with pytest.raises(ValueError, match=r"role: got 'other'; .*trusts service accounts of namespace 'other'"):
        vc.add_execution_role(role)


def test_a_role_without_an_eks_trust_is_refused() -> None:
    stack = Stack(new_app(), "S", env=ENV)
    vc = _virtual_cluster(stack)
    role = JobRuntimeRole(stack, "R", trust=RuntimeRoleTrust.serverless(stack))
    with pytest.raises(ValueError, match=r"role: got 'serverless'; .*EKS trust"):
        vc.add_execution_role(role)


def test_an_imported_pod_identity_role_with_a_token_name_is_refused() -> None:
    stack = Stack(new_app(), "S", env=ENV)
    vc = _virtual_cluster(stack)
    other = iam.Role(stack, "Other", assumed_by=iam.ServicePrincipal("pods.eks.amazonaws.com"))
    role = JobRuntimeRole.from_role_arn(
        stack,
        "R",
        other.role_arn,
        trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.3.0")),
    )
    with pytest.raises(ValueError, match=r"role: got 'a role whose name is a token'"):
        vc.add_execution_role(role)


def test_an_imported_pod_identity_role_by_literal_arn_is_associated() -> None:
    stack = Stack(new_app(), "S", env=ENV)
    vc = _virtual_cluster(stack)
    role = JobRuntimeRole.from_role_arn(
        stack,
        "R",
        f"arn:aws:iam::{ACCOUNT}:role/team/spark-jobs",
        trust=RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-7.3.0")),
    )
    vc.add_execution_role(role)
    associations = Template.from_stack(stack).find_resources("AWS::EKS::PodIdentityAssociation")
    # EMR encodes the role NAME (without its path), as the CLI does with --role-name.
    assert {a["Properties"]["ServiceAccount"] for a in associations.values()} == start_job_run_service_accounts(
        ACCOUNT, "spark-jobs"
    )
