"""EmrEksVirtualCluster over generated namespaces, ResourceQuota and LimitRange."""

from __future__ import annotations

from collections.abc import Callable

from aws_cdk import Stack
from aws_cdk import aws_eks_v2 as eks
from aws_cdk.lambda_layer_kubectl_v33 import KubectlV33Layer
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs.eks import EmrEksVirtualCluster, LimitRange, ResourceQuota
from tests.property.harness import Harness, V, bad, bounded, good, maybe, mix

NAMESPACE = mix(
    good(
        st.sampled_from(["emr-jobs", "a", "spark0", "a" * 63])
        | st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True)
    ),
    bad("Spark", "spark_jobs", "a" * 64, "", " emr", "emr ", "-emr", "emr-", "kube-system", "émr"),
)
QUANTITY = mix(
    good(st.sampled_from([None, "500m", "4", "16Gi", "1.5G", "100", "0.5", "64Mi"])),
    # "1e3" is a Kubernetes quantity (decimal exponent) the library rejects: stricter, not wrong.
    maybe(st.just("1e3")),
    # Non-ASCII digits ("\u0664", "\uff18Gi") are accepted: finding, see test_findings.py.
    bad("", " 4", "4 ", "four", "16 Gi", "-1", "4GB"),
)
# A cap on limits needs LimitRange(default_memory=...): mostly no cap, so that more examples synthesize.
LIMITS = mix(good(st.none()), maybe(QUANTITY.map(lambda v: v.value)), valid_in_ten=6)
PODS = mix(good(st.none() | st.integers(1, 10_000)), bad(0, -1))


def test_emr_eks_virtual_cluster_synthesizes_or_rejects_the_prop(
    record_property: Callable[[str, object], None],
) -> None:
    harness = Harness("EmrEksVirtualCluster")

    @bounded(16)
    @given(
        namespace=NAMESPACE,
        requests_cpu=QUANTITY,
        requests_memory=QUANTITY,
        limits_memory=LIMITS,
        default_memory=QUANTITY,
        pods=PODS,
        default_cpu=QUANTITY,
        default_request_memory=QUANTITY,
    )
    def virtual_cluster(
        namespace: V,
        requests_cpu: V,
        requests_memory: V,
        limits_memory: V,
        default_memory: V,
        pods: V,
        default_cpu: V,
        default_request_memory: V,
    ) -> None:
        props = {
            "namespace": namespace,
            "resource_quota.requests_cpu": requests_cpu,
            # A limit cap needs default limits (LimitRange) for containers without one: depends on the other props.
            "resource_quota.limits_memory": V(limits_memory.value, limits_memory.bad or None),
            "resource_quota.requests_memory": requests_memory,
            "resource_quota.pods": pods,
            "limit_range.default_cpu": default_cpu,
            "limit_range.default_memory": default_memory,
            "limit_range.default_request_memory": default_request_memory,
        }

        def build(stack: Stack) -> None:
            bare = eks.Cluster.from_cluster_attributes(stack, "Bare", cluster_name="emr-platform")
            provider = eks.KubectlProvider(
                stack, "Kubectl", cluster=bare, kubectl_layer=KubectlV33Layer(stack, "Layer")
            )
            cluster = eks.Cluster.from_cluster_attributes(
                stack, "Cluster", cluster_name="emr-platform", kubectl_provider=provider
            )
            EmrEksVirtualCluster(
                stack,
                "Vc",
                cluster=cluster,
                namespace=namespace.value,
                resource_quota=ResourceQuota(
                    requests_cpu=requests_cpu.value,
                    requests_memory=requests_memory.value,
                    limits_memory=limits_memory.value,
                    pods=pods.value,
                ),
                limit_range=LimitRange(
                    default_cpu=default_cpu.value,
                    default_memory=default_memory.value,
                    default_request_memory=default_request_memory.value,
                ),
            )

        harness.check(props, build)

    virtual_cluster()
    harness.record(record_property)
