"""``EmrEksCluster``: an EKS cluster (aws-cdk-lib ``aws_eks_v2``) ready for EMR on EKS.

- API_AND_CONFIG_MAP authentication: access entries; this library writes no aws-auth ConfigMap.
- A private API endpoint, control-plane logging, KMS envelope encryption of secrets.
- The managed add-ons EMR on EKS needs: CoreDNS, kube-proxy, VPC CNI, EKS Pod Identity agent.
- Graviton managed node groups: a small On-Demand system group, On-Demand Spark drivers, Spot Spark executors.
  Pods are steered by the ``eks.amazonaws.com/capacityType`` label EKS puts on managed nodes; executors tolerate
  the Spot taint (see ``PodTemplates``). No autoscaler runs on the node groups, so every group keeps at least one
  node: a group at zero would never start one for the pods pinned to it. Capacity from zero is Karpenter's job.
- With Karpenter, NodePools replace the Spark node groups and pods select ``karpenter.sh/capacity-type``
  (``capacity_provider`` tells ``PodTemplates`` which label).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aws_cdk import Names, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk.lambda_layer_kubectl_v33 import KubectlV33Layer
from constructs import Construct

from emr_constructs._internal.validation import check_pattern, check_range, fail, is_token
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.eks.karpenter import Karpenter, KarpenterOptions
from emr_constructs.eks.scheduling import ROLE_LABEL, SPOT_TAINT_KEY, SPOT_TAINT_VALUE, CapacityProvider
from emr_constructs.storage.secure import EncryptionKey

DEFAULT_KUBERNETES_VERSION = eks.KubernetesVersion.V1_33
"""Matches the kubectl layer (``aws-cdk.lambda-layer-kubectl-v33``)."""
SPOT_TAINT = eks.TaintSpec(key=SPOT_TAINT_KEY, value=SPOT_TAINT_VALUE, effect=eks.TaintEffect.NO_SCHEDULE)
CLUSTER_NAME_PATTERN = r"[0-9A-Za-z][A-Za-z0-9\-_]{0,99}"
MANAGED_ADDONS = ("coredns", "kube-proxy", "vpc-cni", "eks-pod-identity-agent")
"""See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-eks-cluster.html"""


@dataclass(frozen=True, kw_only=True)
class NodeGroupSpec:
    """A managed node group: Graviton instance types, size limits.

    :param instance_types: Default depends on the group (m7g/r7g family).
    :param min_size: nodes that always run. Default: 1. No autoscaler runs on these groups: ``desired_size``
        (default: ``min_size``) is the group's size until you change it; ``max_size`` bounds that change.
    """

    instance_types: Sequence[str]
    min_size: int = 1
    max_size: int = 10
    desired_size: int | None = None

    def validate(self, prop: str) -> None:
        if not self.instance_types:
            raise fail(f"{prop}.instance_types", list(self.instance_types), "name at least one instance type")
        check_range(f"{prop}.min_size", self.min_size, 0, 1000)
        check_range(f"{prop}.max_size", self.max_size, 1, 1000)
        if self.min_size > self.max_size:
            raise fail(f"{prop}.min_size", self.min_size, f"must not exceed max_size ({self.max_size})")
        desired = self.desired_size
        if desired is not None and not is_token(desired) and not self.min_size <= desired <= self.max_size:
            raise fail(
                f"{prop}.desired_size",
                desired,
                f"must be between min_size ({self.min_size}) and max_size ({self.max_size})",
            )

    def validate_pinned(self, prop: str) -> None:
        """Spark pods are pinned to this group and nothing scales it from zero: it must keep a node."""
        if not is_token(self.min_size) and self.min_size < 1:
            raise fail(
                f"{prop}.min_size",
                self.min_size,
                "must be at least 1: no autoscaler runs on the node groups, so a group at zero never starts "
                "a node for the Spark pods pinned to it (use karpenter for capacity from zero)",
            )


@dataclass(frozen=True, kw_only=True)
class EksCapacity:
    """Node groups of the cluster. Defaults: system 1-2 x m7g.large On-Demand; drivers 1 (up to 4) On-Demand;
    executors 1 (up to 20) Spot across four Graviton types. With Karpenter only ``system`` is used."""

    system: NodeGroupSpec = field(
        default_factory=lambda: NodeGroupSpec(instance_types=["m7g.large"], min_size=1, max_size=2, desired_size=1)
    )
    drivers: NodeGroupSpec = field(
        default_factory=lambda: NodeGroupSpec(instance_types=["m7g.xlarge", "m6g.xlarge"], max_size=4)
    )
    executors: NodeGroupSpec = field(
        default_factory=lambda: NodeGroupSpec(
            instance_types=["m7g.2xlarge", "m6g.2xlarge", "r7g.2xlarge", "r6g.2xlarge"], max_size=20
        )
    )


class EmrEksCluster(Construct):
    """An EKS cluster for EMR on EKS. ``cluster`` is the ``aws_eks_v2.Cluster``.

    :param vpc: nodes and the kubectl provider run in its private subnets.
    :param capacity: Default: ``EksCapacity()``.
    :param version: Default: Kubernetes 1.33.
    :param subnet_type: subnets of the nodes and the kubectl provider. Default: private with egress.
    :param karpenter: Default: none, Spark runs on the driver/executor managed node groups. With options, Karpenter
        NodePools (On-Demand drivers, Spot executors) replace those two groups; the system group stays.
    :param cluster_name: Default: derived from the construct path (``Names.unique_resource_name``), fixed at synth
        time: Karpenter's controller policy names the cluster inside IAM tag-condition keys
        (``aws:ResourceTag/kubernetes.io/cluster/<name>``), which CloudFormation cannot compute. Changing it
        replaces the cluster.
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
        cluster_name: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        capacity = capacity or EksCapacity()
        for prop in ("system", "drivers", "executors"):
            getattr(capacity, prop).validate(f"capacity.{prop}")
        if karpenter is None:
            capacity.drivers.validate_pinned("capacity.drivers")
            capacity.executors.validate_pinned("capacity.executors")
        elif cluster_name is not None and is_token(cluster_name):
            raise fail(
                "cluster_name",
                cluster_name,
                "must be a literal name with karpenter: its controller policy names the cluster in IAM tag keys",
            )
        check_pattern("cluster_name", cluster_name, CLUSTER_NAME_PATTERN, "1-100 letters, digits, '-' or '_'")
        self.cluster_name = cluster_name or Names.unique_resource_name(self, max_length=100, separator="-")
        self.capacity_provider = (
            CapacityProvider.MANAGED_NODE_GROUPS if karpenter is None else CapacityProvider.KARPENTER
        )
        """The label vocabulary of the nodes Spark runs on: pass it to ``PodTemplates``."""
        private = vpc.select_subnets(subnet_type=subnet_type)
        secrets_key = EncryptionKey(self, "SecretsKey", description="EKS secrets", removal_policy=removal_policy).key
        self.cluster = eks.Cluster(
            self,
            "Cluster",
            cluster_name=self.cluster_name,
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
            replicas = karpenter.controller_replicas
            if replicas is None:
                replicas = min(2, capacity.system.min_size)
            elif replicas > capacity.system.min_size:
                raise fail(
                    "karpenter.controller_replicas",
                    replicas,
                    f"must not exceed capacity.system.min_size ({capacity.system.min_size}): the chart runs "
                    "one replica per node, on system nodes, which only the node group starts",
                )
            self.karpenter = Karpenter(
                self,
                "Karpenter",
                cluster=self.cluster,
                options=karpenter,
                subnet_ids=list(private.subnet_ids),
                controller_replicas=replicas,
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
            labels={ROLE_LABEL: role},
            taints=list(taints) or None,
            subnets=ec2.SubnetSelection(subnet_type=subnet_type),
        )
