"""``EmrEksCluster``: an EKS cluster (aws-cdk-lib ``aws_eks_v2``) ready for EMR on EKS.

- API_AND_CONFIG_MAP authentication: access entries; this library writes no aws-auth ConfigMap.
- A private API endpoint, control-plane logging, KMS envelope encryption of secrets.
- The managed add-ons EMR on EKS needs: CoreDNS, kube-proxy, VPC CNI, EKS Pod Identity agent.
- Graviton managed node groups: a small On-Demand system group, On-Demand Spark drivers, Spot Spark executors.
  Pods are steered by the ``eks.amazonaws.com/capacityType`` label EKS puts on managed nodes; executors tolerate
  the Spot taint (see ``PodTemplates``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk.lambda_layer_kubectl_v33 import KubectlV33Layer
from constructs import Construct

from emr_constructs._internal.validation import check_range, fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.eks.karpenter import Karpenter, KarpenterOptions
from emr_constructs.storage.secure import EncryptionKey

DEFAULT_KUBERNETES_VERSION = eks.KubernetesVersion.V1_33
"""Matches the kubectl layer (``aws-cdk.lambda-layer-kubectl-v33``)."""
SPOT_TAINT = eks.TaintSpec(key="emr-constructs.io/spot", value="true", effect=eks.TaintEffect.NO_SCHEDULE)
MANAGED_ADDONS = ("coredns", "kube-proxy", "vpc-cni", "eks-pod-identity-agent")
"""See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-eks-cluster.html"""


@dataclass(frozen=True, kw_only=True)
class NodeGroupSpec:
    """A managed node group: Graviton instance types, size limits.

    :param instance_types: Default depends on the group (m7g/r7g family).
    """

    instance_types: Sequence[str]
    min_size: int = 0
    max_size: int = 10
    desired_size: int | None = None

    def validate(self, prop: str) -> None:
        if not self.instance_types:
            raise fail(f"{prop}.instance_types", list(self.instance_types), "name at least one instance type")
        check_range(f"{prop}.min_size", self.min_size, 0, 1000)
        check_range(f"{prop}.max_size", self.max_size, 1, 1000)
        if self.min_size > self.max_size:
            raise fail(f"{prop}.min_size", self.min_size, f"must not exceed max_size ({self.max_size})")


@dataclass(frozen=True, kw_only=True)
class EksCapacity:
    """Node groups of the cluster. Defaults: system 1-2 x m7g.large On-Demand; drivers 0-4 On-Demand; executors
    0-20 Spot across four Graviton types."""

    system: NodeGroupSpec = field(default_factory=lambda: NodeGroupSpec(instance_types=["m7g.large"], min_size=1,
                                                                        max_size=2, desired_size=1))  # fmt: skip
    drivers: NodeGroupSpec = field(default_factory=lambda: NodeGroupSpec(instance_types=["m7g.xlarge", "m6g.xlarge"],
                                                                         max_size=4))  # fmt: skip
    executors: NodeGroupSpec = field(default_factory=lambda: NodeGroupSpec(
        instance_types=["m7g.2xlarge", "m6g.2xlarge", "r7g.2xlarge", "r6g.2xlarge"], max_size=20))  # fmt: skip


class EmrEksCluster(Construct):
    """An EKS cluster for EMR on EKS. ``cluster`` is the ``aws_eks_v2.Cluster``.

    :param vpc: nodes and the kubectl provider run in its private subnets.
    :param capacity: Default: ``EksCapacity()``.
    :param version: Default: Kubernetes 1.33.
    :param subnet_type: subnets of the nodes and the kubectl provider. Default: private with egress.
    :param karpenter: Default: none, Spark runs on the driver/executor managed node groups. With options, Karpenter
        NodePools (On-Demand drivers, Spot executors) replace those two groups; the system group stays.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        capacity: EksCapacity | None = None,
        version: eks.KubernetesVersion = DEFAULT_KUBERNETES_VERSION,
        subnet_type: ec2.SubnetType = ec2.SubnetType.PRIVATE_WITH_EGRESS,
        karpenter: KarpenterOptions | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        capacity = capacity or EksCapacity()
        for prop in ("system", "drivers", "executors"):
            getattr(capacity, prop).validate(f"capacity.{prop}")
        private = vpc.select_subnets(subnet_type=subnet_type)
        secrets_key = EncryptionKey(self, "SecretsKey", description="EKS secrets", removal_policy=removal_policy).key
        self.cluster = eks.Cluster(
            self,
            "Cluster",
            version=version,
            vpc=vpc,
            vpc_subnets=[ec2.SubnetSelection(subnet_type=subnet_type)],
            endpoint_access=eks.EndpointAccess.PRIVATE,
            default_capacity_type=eks.DefaultCapacityType.NODEGROUP,
            default_capacity=0,
            secrets_encryption_key=secrets_key,
            cluster_logging=[
                eks.ClusterLoggingTypes.API,
                eks.ClusterLoggingTypes.AUDIT,
                eks.ClusterLoggingTypes.AUTHENTICATOR,
                eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
                eks.ClusterLoggingTypes.SCHEDULER,
            ],
            kubectl_provider_options=eks.KubectlProviderOptions(
                kubectl_layer=KubectlV33Layer(self, "KubectlLayer"), private_subnets=private.subnets
            ),
        )
        # The EMR on EKS integration with cluster access management is documented for API_AND_CONFIG_MAP.
        cfn_cluster = self.cluster.node.default_child
        assert isinstance(cfn_cluster, eks.CfnCluster)
        cfn_cluster.add_property_override("AccessConfig.AuthenticationMode", "API_AND_CONFIG_MAP")
        for addon in MANAGED_ADDONS:
            eks.Addon(self, f"Addon-{addon}", cluster=self.cluster, addon_name=addon)  # type: ignore[arg-type]
        arm = eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
        on_demand, spot = eks.CapacityType.ON_DEMAND, eks.CapacityType.SPOT
        self.system_nodes = self._nodegroup("System", capacity.system, arm, on_demand, "system", subnet_type)
        groups = [self.system_nodes]
        self.karpenter: Karpenter | None = None
        if karpenter is None:
            self.driver_nodes = self._nodegroup("SparkDrivers", capacity.drivers, arm, on_demand, "driver", subnet_type)
            self.executor_nodes = self._nodegroup(
                "SparkExecutors", capacity.executors, arm, spot, "executor", subnet_type, taints=[SPOT_TAINT]
            )
            groups += [self.driver_nodes, self.executor_nodes]
        else:
            self.karpenter = Karpenter(
                self, "Karpenter", cluster=self.cluster, options=karpenter, subnet_ids=list(private.subnet_ids)
            )
        provider = self.cluster.node.try_find_child("KubectlProvider")
        if provider is not None:
            acknowledge(provider, Reason.CDK_KUBECTL_PROVIDER)
        for role in (self.cluster.role, *(g.role for g in groups)):
            acknowledge(role, Reason.EKS_MANAGED_POLICIES)

    def _nodegroup(
        self,
        construct_id: str,
        spec: NodeGroupSpec,
        ami: eks.NodegroupAmiType,
        capacity_type: eks.CapacityType,
        role: str,
        subnet_type: ec2.SubnetType,
        taints: Sequence[eks.TaintSpec] = (),
    ) -> eks.Nodegroup:
        return self.cluster.add_nodegroup_capacity(
            construct_id,
            ami_type=ami,
            capacity_type=capacity_type,
            instance_types=[ec2.InstanceType(t) for t in spec.instance_types],
            min_size=spec.min_size,
            max_size=spec.max_size,
            desired_size=spec.desired_size if spec.desired_size is not None else spec.min_size,
            labels={"emr-constructs.io/role": role},
            taints=list(taints) or None,
            subnets=ec2.SubnetSelection(subnet_type=subnet_type),
        )
