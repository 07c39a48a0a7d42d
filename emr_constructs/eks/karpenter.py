"""Karpenter for ``EmrEksCluster``: Spark capacity from NodePools instead of fixed managed node groups.

The controller runs on the system node group with an EKS Pod Identity role; it launches Graviton nodes from two
NodePools (``spark-driver``: On-Demand; ``spark-executor``: Spot, tainted) and handles Spot interruptions from an
SQS queue fed by EventBridge.
See: https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from emr_constructs._internal.validation import check_pattern, fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.iam.policies import RolePolicy

DEFAULT_KARPENTER_VERSION = "1.6.3"
KARPENTER_NAMESPACE = "kube-system"
INTERRUPTION_EVENTS = {
    "SpotInterruption": ("aws.ec2", "EC2 Spot Instance Interruption Warning"),
    "Rebalance": ("aws.ec2", "EC2 Instance Rebalance Recommendation"),
    "StateChange": ("aws.ec2", "EC2 Instance State-change Notification"),
    "ScheduledChange": ("aws.health", "AWS Health Event"),
}


@dataclass(frozen=True, kw_only=True)
class KarpenterOptions:
    """:param version: Karpenter Helm chart version. :param instance_families: Graviton families NodePools may use.
    :param executor_cpu_limit: the most vCPU the executor NodePool may run. Default: 256."""

    version: str = DEFAULT_KARPENTER_VERSION
    instance_families: tuple[str, ...] = field(default=("m7g", "m6g", "r7g", "r6g", "c7g"))
    driver_cpu_limit: int = 32
    executor_cpu_limit: int = 256

    def validate(self) -> None:
        check_pattern("karpenter.version", self.version, r"\d+\.\d+\.\d+", "a chart version such as '1.6.3'")
        if not self.instance_families:
            raise fail("karpenter.instance_families", [], "name at least one instance family")
        for limit in ("driver_cpu_limit", "executor_cpu_limit"):
            if getattr(self, limit) < 1:
                raise fail(f"karpenter.{limit}", getattr(self, limit), "must be at least 1")


class Karpenter(Construct):
    """Installs Karpenter on ``cluster`` with an EC2NodeClass and the Spark NodePools."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: eks.Cluster,
        options: KarpenterOptions,
        subnet_ids: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        options.validate()
        stack = Stack.of(self)
        node_policies = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly")
        self.node_role = iam.Role(
            self,
            "NodeRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(n) for n in node_policies],
        )
        acknowledge(self.node_role, Reason.EKS_MANAGED_POLICIES)
        eks.AccessEntry(
            self,
            "NodeAccess",
            cluster=cluster,  # type: ignore[arg-type]
            principal=self.node_role.role_arn,
            access_entry_type=eks.AccessEntryType.EC2_LINUX,
            access_policies=[],
        )
        self.queue = sqs.Queue(self, "Interruptions", retention_period=Duration.minutes(5),
                               encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True)  # fmt: skip
        acknowledge(self.queue, Reason.KARPENTER_INTERRUPTION_QUEUE)
        for name, (source, detail_type) in INTERRUPTION_EVENTS.items():
            events.Rule(self, name, event_pattern=events.EventPattern(source=[source], detail_type=[detail_type]),
                        targets=[targets.SqsQueue(self.queue)])  # fmt: skip

        self.controller_role = iam.Role(
            self, "ControllerRole", assumed_by=iam.ServicePrincipal("pods.eks.amazonaws.com")
        )
        assert self.controller_role.assume_role_policy is not None
        self.controller_role.assume_role_policy.add_statements(
            iam.PolicyStatement(principals=[iam.ServicePrincipal("pods.eks.amazonaws.com")], actions=["sts:TagSession"])
        )
        policy = RolePolicy(self, "ControllerPolicy", role=self.controller_role, description="Karpenter controller")
        policy.add_statements(*self._controller_statements(stack, cluster))
        assert policy.policy is not None
        acknowledge(policy.policy, Reason.KARPENTER_CONTROLLER)
        association = eks.CfnPodIdentityAssociation(
            self, "PodIdentity", cluster_name=cluster.cluster_name, namespace=KARPENTER_NAMESPACE,
            service_account="karpenter", role_arn=self.controller_role.role_arn)  # fmt: skip
        chart = cluster.add_helm_chart(
            "Chart", chart="karpenter", repository="oci://public.ecr.aws/karpenter/karpenter",
            version=options.version, namespace=KARPENTER_NAMESPACE, wait=True,
            values={"settings": {"clusterName": cluster.cluster_name, "interruptionQueue": self.queue.queue_name},
                    "nodeSelector": {"emr-constructs.io/role": "system"}},
        )  # fmt: skip
        chart.node.add_dependency(association)
        pools = cluster.add_manifest(
            "NodePools", *self.manifests(subnet_ids, cluster.cluster_security_group_id, options)
        )
        pools.node.add_dependency(chart)

    def _controller_statements(self, stack: Stack, cluster: eks.Cluster) -> list[iam.PolicyStatement]:
        # Karpenter tags the instances it launches with eks:eks-cluster-name (a literal key, unlike the cluster tag).
        tag_condition = {"StringEquals": {"aws:ResourceTag/eks:eks-cluster-name": cluster.cluster_name}}
        describe = ["ec2:DescribeAvailabilityZones", "ec2:DescribeImages", "ec2:DescribeInstances",
                    "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates",
                    "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets"]  # fmt: skip
        return [
            iam.PolicyStatement(  # Describe/Get calls do not support resource-level permissions
                actions=[*describe, "pricing:GetProducts"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                actions=["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:CreateTags"],
                resources=["*"],
                conditions={"StringEquals": {"aws:RequestedRegion": stack.region}},
            ),
            iam.PolicyStatement(
                actions=["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                resources=["*"],
                conditions=tag_condition,
            ),
            iam.PolicyStatement(actions=["iam:PassRole"], resources=[self.node_role.role_arn],
                                conditions={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
            iam.PolicyStatement(actions=["iam:CreateInstanceProfile", "iam:TagInstanceProfile",
                                         "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
                                         "iam:DeleteInstanceProfile", "iam:GetInstanceProfile"],
                                resources=[stack.format_arn(service="iam", region="", resource="instance-profile",
                                                            resource_name="*")]),
            iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[stack.format_arn(
                service="ssm", account="", resource="parameter", resource_name="aws/service/*")]),
            iam.PolicyStatement(actions=["eks:DescribeCluster"], resources=[cluster.cluster_arn]),
            iam.PolicyStatement(actions=["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                                resources=[self.queue.queue_arn]),
        ]  # fmt: skip

    def manifests(
        self, subnet_ids: list[str], security_group_id: str, options: KarpenterOptions
    ) -> list[dict[str, Any]]:
        """The EC2NodeClass and the driver (On-Demand) and executor (Spot, tainted) NodePools."""
        requirements = [
            {"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]},
            {"key": "karpenter.k8s.aws/instance-family", "operator": "In", "values": list(options.instance_families)},
        ]
        node_class = {
            "apiVersion": "karpenter.k8s.aws/v1",
            "kind": "EC2NodeClass",
            "metadata": {"name": "emr-spark"},
            "spec": {
                "role": self.node_role.role_name,
                "amiSelectorTerms": [{"alias": "al2023@latest"}],
                # IDs instead of discovery tags: this construct never tags resources it does not own.
                "subnetSelectorTerms": [{"id": subnet_id} for subnet_id in subnet_ids],
                "securityGroupSelectorTerms": [{"id": security_group_id}],
            },
        }

        def pool(name: str, capacity: str, cpu: int, taints: list[dict[str, str]]) -> dict[str, Any]:
            template: dict[str, Any] = {
                "metadata": {"labels": {"emr-constructs.io/role": name}},
                "spec": {
                    "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "emr-spark"},
                    "requirements": [*requirements,
                                     {"key": "karpenter.sh/capacity-type", "operator": "In", "values": [capacity]}],
                },
            }  # fmt: skip
            if taints:
                template["spec"]["taints"] = taints
            return {
                "apiVersion": "karpenter.sh/v1",
                "kind": "NodePool",
                "metadata": {"name": f"spark-{name}"},
                "spec": {"template": template, "limits": {"cpu": str(cpu)},
                         "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "1m"}},
            }  # fmt: skip

        spot_taint = [{"key": "emr-constructs.io/spot", "value": "true", "effect": "NoSchedule"}]
        return [
            node_class,
            pool("driver", "on-demand", options.driver_cpu_limit, []),
            pool("executor", "spot", options.executor_cpu_limit, spot_taint),
        ]
