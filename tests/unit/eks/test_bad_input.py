"""Invalid EMR on EKS props raise ValueError naming the prop."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.lambda_layer_kubectl_v33 import KubectlV33Layer

from emr_constructs import ReleaseLabel, RuntimeRoleTrust
from emr_constructs.eks import (
    EksCapacity,
    EmrEksCluster,
    EmrEksVirtualCluster,
    LimitRange,
    NodeGroupSpec,
    ResourceQuota,
)
from emr_constructs.eks.pod_templates import PodTemplates
from emr_constructs.iam.runtime_role import emr_eks_service_account_pattern
from tests.conftest import new_app

_ids = itertools.count()
PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"


@pytest.fixture(scope="module")
def env() -> dict[str, Any]:
    stack = Stack(new_app(), "Bad")
    bare = eks.Cluster.from_cluster_attributes(stack, "Bare", cluster_name="emr-platform")
    provider = eks.KubectlProvider(stack, "Kubectl", cluster=bare, kubectl_layer=KubectlV33Layer(stack, "Layer"))
    cluster = eks.Cluster.from_cluster_attributes(
        stack, "Cluster", cluster_name="emr-platform", kubectl_provider=provider
    )
    oidc = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(stack, "Oidc", PROVIDER_ARN)
    return {"stack": stack, "cluster": cluster, "oidc": oidc, "vpc": ec2.Vpc(stack, "Vpc", max_azs=2)}


def vc(e: dict[str, Any], **props: Any) -> EmrEksVirtualCluster:
    props.setdefault("namespace", "emr-jobs")
    return EmrEksVirtualCluster(e["stack"], f"V{next(_ids)}", cluster=e["cluster"], **props)


CASES: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("namespace with uppercase", lambda e: vc(e, namespace="Spark"), r"namespace: got 'Spark'; must be 1-63 lowercase"),
    (
        "namespace with underscore",
        lambda e: vc(e, namespace="spark_jobs"),
        r"namespace: got 'spark_jobs'; must be 1-63",
    ),
    ("namespace longer than 63", lambda e: vc(e, namespace="a" * 64), r"namespace: got 'a{64}'; must be 1-63"),
    (
        "namespace kube-system",
        lambda e: vc(e, namespace="kube-system"),
        r"namespace: got 'kube-system'; must not be a Kubernetes system namespace",
    ),
    (
        "namespace default",
        lambda e: vc(e, namespace="default"),
        r"namespace: got 'default'; must not be a Kubernetes system",
    ),
    (
        "IRSA without an OIDC provider",
        lambda e: RuntimeRoleTrust.eks_irsa(open_id_connect_provider=None, namespace="emr-jobs"),  # type: ignore[arg-type]
        r"open_id_connect_provider: got None; IRSA needs the cluster's IAM OIDC provider",
    ),
    (
        "execution role without a known name",
        lambda e: emr_eks_service_account_pattern(
            "emr-jobs",
            "123456789012",
            iam.Role.from_role_arn(e["stack"], f"R{next(_ids)}", Token.as_string({"Ref": "RoleArn"})).role_name,
        ),
        r"execution_role: got 'a role whose name is a token'",
    ),
    (
        "quota CPU that is not a quantity",
        lambda e: vc(e, resource_quota=ResourceQuota(requests_cpu="lots")),
        r"resource_quota.requests_cpu: got 'lots'; must be a Kubernetes quantity",
    ),
    (
        "quota memory with a non-Kubernetes unit",
        lambda e: vc(e, resource_quota=ResourceQuota(requests_memory="16GB")),
        r"resource_quota.requests_memory: got '16GB'; must be a Kubernetes quantity",
    ),
    (
        "limit range CPU that is not a quantity",
        lambda e: vc(e, limit_range=LimitRange(default_cpu="2 cores")),
        r"limit_range.default_cpu: got '2 cores'; must be a Kubernetes quantity",
    ),
    (
        "zero pods in the quota",
        lambda e: vc(e, resource_quota=ResourceQuota(pods=0)),
        r"resource_quota.pods: got 0; must be at least 1",
    ),
    (
        "quota on an existing namespace",
        lambda e: vc(e, create_namespace=False, resource_quota=ResourceQuota(requests_cpu="4")),
        r"create_namespace: got False; resource_quota and limit_range need create_namespace=True",
    ),
    (
        "Pod Identity before emr-7.3.0",
        lambda e: RuntimeRoleTrust.eks_pod_identity(release_label=ReleaseLabel.of("emr-6.15.0-latest")),
        r"release_label: got 'emr-6.15.0-latest'; EMR on EKS with EKS Pod Identity needs emr-7.3.0",
    ),
    ("virtual cluster name with spaces", lambda e: vc(e, name="my cluster"), r"name: got 'my cluster'; must be 1-64"),
    (
        "imported virtual cluster id with uppercase",
        lambda e: EmrEksVirtualCluster.from_virtual_cluster_id(e["stack"], f"I{next(_ids)}", "ABC"),
        r"virtual_cluster_id: got 'ABC'; must be a virtual cluster id",
    ),
    (
        "node group min above max",
        lambda e: EmrEksCluster(
            e["stack"],
            f"C{next(_ids)}",
            vpc=e["vpc"],
            capacity=EksCapacity(executors=NodeGroupSpec(instance_types=["m7g.2xlarge"], min_size=5, max_size=2)),
        ),
        r"capacity.executors.min_size: got 5; must not exceed max_size \(2\)",
    ),
    (
        "node group without instance types",
        lambda e: EmrEksCluster(
            e["stack"], f"C{next(_ids)}", vpc=e["vpc"], capacity=EksCapacity(drivers=NodeGroupSpec(instance_types=[]))
        ),
        r"capacity.drivers.instance_types: got \[\]; name at least one instance type",
    ),
    (
        "pod template prefix without slash",
        lambda e: PodTemplates(
            e["stack"],
            f"P{next(_ids)}",
            bucket=s3.Bucket.from_bucket_name(e["stack"], f"B{next(_ids)}", "bkt"),
            prefix="templates",
        ),
        r"prefix: got 'templates'; must end with '/'",
    ),
    (
        "pod template architecture",
        lambda e: PodTemplates(
            e["stack"],
            f"P{next(_ids)}",
            bucket=s3.Bucket.from_bucket_name(e["stack"], f"B{next(_ids)}", "bkt"),
            architecture="x86",
        ),
        r"architecture: got 'x86'; allowed values: arm64, amd64",
    ),
]


@pytest.mark.parametrize(("case", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_value_error(env: dict[str, Any], case: str, build: Callable, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build(env)


def test_at_least_ten_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) >= 10


def test_tokens_pass_validation(env: dict[str, Any]) -> None:
    vc(
        env,
        namespace=Token.as_string({"Ref": "Namespace"}),
        resource_quota=ResourceQuota(
            requests_cpu=Token.as_string({"Ref": "Cpu"}), pods=Token.as_number({"Ref": "Pods"})
        ),
    )
