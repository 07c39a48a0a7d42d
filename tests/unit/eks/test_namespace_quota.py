"""The namespace's ResourceQuota and LimitRange admit the pods Spark on EMR on EKS creates.

Kubernetes admission, as the docs state it:
- https://kubernetes.io/docs/concepts/policy/resource-quotas/ : "If the quota has a value specified for
  requests.cpu or requests.memory, then it requires that every incoming container makes an explicit request for
  those resources. If the quota has a value specified for limits.cpu or limits.memory, then it requires that every
  incoming container specifies an explicit limit for those resources."
- https://kubernetes.io/docs/concepts/policy/limit-range/ : "First, the LimitRange admission controller applies
  default request and limit values for all Pods (and their containers) that do not set compute resource
  requirements"; and "A LimitRange does not check the consistency of the default values it applies": a default
  limit below a container's request makes the pod invalid.
- A container that sets a limit and no request gets a request equal to the limit (API defaulting, before admission;
  https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/).

Spark's driver container (BasicDriverFeatureStep in apache/spark resource-managers/kubernetes) requests cpu
(spark.driver.cores / spark.kubernetes.driver.request.cores) and memory, limits memory (memory + overhead), and
limits cpu only when spark.kubernetes.driver.limit.cores is set: unset by default.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk.assertions import Template

from emr_constructs.eks import EmrEksVirtualCluster, LimitRange, ResourceQuota
from stacks.config import EksConfig
from stacks.emr_eks_stack import EmrEksStack
from tests.conftest import new_app

SPARK_DRIVER_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "spec": {
        "containers": [
            {
                "name": "spark-kubernetes-driver",
                "resources": {
                    "requests": {"cpu": "2", "memory": "4505Mi"},
                    "limits": {"memory": "4505Mi"},  # no cpu limit: spark.kubernetes.driver.limit.cores unset
                },
            }
        ]
    },
}
CONTAINER_WITHOUT_RESOURCES: dict[str, Any] = {"name": "sidecar"}
"""A container that declares nothing, e.g. one added by a pod template or a logging sidecar."""

_SUFFIX = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def quantity(text: str) -> float:
    number, suffix = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", text).groups()  # type: ignore[union-attr]
    return float(number) * _SUFFIX.get(suffix, 1)


def admit(pod: dict[str, Any], manifests: list[dict[str, Any]]) -> list[str]:
    """The reasons the namespace's LimitRange + ResourceQuota admission would reject ``pod`` (empty: admitted)."""
    containers = copy.deepcopy(pod["spec"]["containers"])
    quotas = [m["spec"]["hard"] for m in manifests if m["kind"] == "ResourceQuota"]
    items = [i for m in manifests if m["kind"] == "LimitRange" for i in m["spec"]["limits"] if i["type"] == "Container"]
    problems = []
    for container in containers:
        resources = container.setdefault("resources", {})
        requests, limits = resources.setdefault("requests", {}), resources.setdefault("limits", {})
        for name, value in limits.items():  # API defaulting: request = limit when only the limit is set
            requests.setdefault(name, value)
        for item in items:  # 1. LimitRange defaults, only where the container sets nothing
            for name, value in item.get("default", {}).items():
                limits.setdefault(name, value)
            for name, value in {**item.get("default", {}), **item.get("defaultRequest", {})}.items():
                requests.setdefault(name, value)
        for name, value in limits.items():  # the defaults are not checked against the requests
            if name in requests and quantity(requests[name]) > quantity(value):
                problems.append(f"{container['name']}: requests.{name} {requests[name]} > limits.{name} {value}")
        for hard in quotas:  # 2. every quota'd resource must be specified
            for key in hard:
                kind, _, name = key.rpartition(".") if "." in key else ("requests", "", key)
                if name not in ("cpu", "memory"):
                    continue
                declared = requests if kind == "requests" else limits
                if name not in declared:
                    problems.append(f"{container['name']}: must specify {kind}.{name} (quota {key})")
    for hard in quotas:  # 3. the pod fits in an empty namespace
        for key, value in hard.items():
            kind, _, name = key.rpartition(".") if "." in key else ("requests", "", key)
            if name in ("cpu", "memory"):
                used = sum(quantity(c["resources"][kind].get(name, "0")) for c in containers)
                if used > quantity(value):
                    problems.append(f"{key}: {used} > {value}")
    return problems


def namespace_manifests(template: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    (manifest,) = [
        r["Properties"]["Manifest"]
        for k, r in template["Resources"].items()
        if r["Type"] == "Custom::AWSCDK-EKS-KubernetesResource" and k.startswith(prefix)
    ]
    assert isinstance(manifest, str), manifest
    return list(json.loads(manifest))


@pytest.fixture(scope="module")
def reference() -> list[dict[str, Any]]:
    """The namespace manifests of the reference EMR on EKS stack (default configuration: quota on requests)."""
    app = new_app()
    network = Stack(app, "Net")
    vpc = ec2.Vpc(network, "Vpc", max_azs=2, nat_gateways=1)
    stack = EmrEksStack(
        app,
        "Eks",
        config=EksConfig(),
        vpc=vpc,
        subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS,
        application_tag="emr",
        cost_center="data",
    )
    return namespace_manifests(Template.from_stack(stack).to_json(), "VirtualClusterNamespace")


def test_the_reference_namespace_has_a_quota(reference: list[dict[str, Any]]) -> None:
    (quota,) = [m for m in reference if m["kind"] == "ResourceQuota"]
    assert {"requests.cpu", "requests.memory"} <= set(quota["spec"]["hard"])


def test_spark_driver_pod_without_cpu_limit_is_admitted_by_the_reference_namespace(
    reference: list[dict[str, Any]],
) -> None:
    """ResourceQuota admission: a quota on limits.cpu rejects a container without a cpu limit, and Spark sets none
    by default; the namespace must admit Spark's driver pod as Spark creates it."""
    assert admit(SPARK_DRIVER_POD, reference) == []


def test_a_container_that_declares_nothing_is_admitted_by_the_reference_namespace(
    reference: list[dict[str, Any]],
) -> None:
    """ResourceQuota admission: a quota on requests.* requires every container to request them; the LimitRange
    shipped with the quota gives such a container default requests."""
    pod = copy.deepcopy(SPARK_DRIVER_POD)
    pod["spec"]["containers"].append(CONTAINER_WITHOUT_RESOURCES)
    assert admit(pod, reference) == []


def test_the_admission_model_rejects_a_limits_quota_without_defaults() -> None:
    """Canary for the model above: the quota this library used to ship (limits defaulted from requests) rejects
    Spark's driver."""
    manifests = [{"kind": "ResourceQuota", "spec": {"hard": {"requests.cpu": "64", "limits.cpu": "64"}}}]
    assert admit(SPARK_DRIVER_POD, manifests) == ["spark-kubernetes-driver: must specify limits.cpu (quota limits.cpu)"]


def _virtual_cluster(**props: Any) -> EmrEksVirtualCluster:
    stack = Stack(new_app(), "S")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0)
    kubectl = eks.KubectlProvider.from_kubectl_provider_attributes(
        stack, "Kubectl", service_token="arn:aws:lambda:eu-west-1:123456789012:function:kubectl", role=None
    )
    cluster = eks.Cluster.from_cluster_attributes(
        stack, "Cluster", cluster_name="corp-eks", vpc=vpc, kubectl_provider=kubectl
    )
    return EmrEksVirtualCluster(stack, "Vc", cluster=cluster, namespace="analytics", **props)


@pytest.mark.parametrize("prop", ["limits_cpu", "limits_memory"])
def test_a_quota_on_limits_needs_a_limit_range_default(prop: str) -> None:
    with pytest.raises(ValueError, match=rf"resource_quota\.{prop}: got '64(Gi)?'; .*limit_range"):
        _virtual_cluster(
            resource_quota=ResourceQuota(requests_cpu="64", **{prop: "64Gi" if "memory" in prop else "64"})
        )


def test_a_quota_on_limits_with_limit_range_defaults_admits_the_driver() -> None:
    vc = _virtual_cluster(
        resource_quota=ResourceQuota(
            requests_cpu="64", requests_memory="256Gi", limits_cpu="96", limits_memory="256Gi"
        ),
        limit_range=LimitRange(default_cpu="4", default_memory="8Gi"),
    )
    manifests = namespace_manifests(Template.from_stack(Stack.of(vc)).to_json(), "VcNamespace")
    assert admit(SPARK_DRIVER_POD, manifests) == []
