"""Karpenter for ``EmrEksCluster``: Spark capacity from NodePools instead of fixed managed node groups.

The controller runs on the system node group with an EKS Pod Identity role; it launches Graviton nodes from two
NodePools (``spark-driver``: On-Demand; ``spark-executor``: Spot, tainted) and handles Spot interruptions from an
SQS queue fed by EventBridge. The controller policy (``_karpenter_policy.py``) follows Karpenter's reference policy
for the pinned version (https://karpenter.sh/docs/reference/cloudformation/): it launches, tags and terminates only
what carries this cluster's tags (``kubernetes.io/cluster/<name>: owned``, ``karpenter.sh/nodepool``) and manages
only instance profiles tagged for this cluster and Region.
See: https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsii
from aws_cdk import Duration, Stack
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from emr_constructs._internal.validation import check_pattern, fail, is_token
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import Sqs, Sts
from emr_constructs.eks._karpenter_policy import controller_statements
from emr_constructs.eks.scheduling import ROLE_LABEL, SPOT_TAINT_EFFECT, SPOT_TAINT_KEY, SPOT_TAINT_VALUE
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
    """How Karpenter is installed and what its Spark NodePools may start.

    :param version: Karpenter Helm chart version. :param instance_families: Graviton families NodePools may use.
    :param executor_cpu_limit: the most vCPU the executor NodePool may run. Default: 256.
    :param controller_replicas: Default: one per always-running system node, at most two (the chart's default; it
        places one replica per node)."""

    version: str = DEFAULT_KARPENTER_VERSION
    instance_families: tuple[str, ...] = field(default=("m7g", "m6g", "r7g", "r6g", "c7g"))
    driver_cpu_limit: int = 32
    executor_cpu_limit: int = 256
    controller_replicas: int | None = None

    def validate(self) -> None:
        check_pattern("karpenter.version", self.version, r"\d+\.\d+\.\d+", "a chart version such as '1.6.3'")
        if not self.instance_families:
            raise fail("karpenter.instance_families", [], "name at least one instance family")
        for limit in ("driver_cpu_limit", "executor_cpu_limit", "controller_replicas"):
            if getattr(self, limit) is not None and getattr(self, limit) < 1:
                raise fail(f"karpenter.{limit}", getattr(self, limit), "must be at least 1")


@jsii.implements(events.IRuleTarget)
class _QueueTarget:
    """The queue as a rule target, without ``aws_events_targets.SqsQueue``'s own (broader) queue policy statements."""

    def __init__(self, queue: sqs.IQueue) -> None:
        self._queue = queue

    def bind(self, _rule: Any, _id: str | None = None) -> events.RuleTargetConfig:
        return events.RuleTargetConfig(arn=self._queue.queue_arn)


class Karpenter(Construct):
    """Installs Karpenter on ``cluster`` with an EC2NodeClass and the Spark NodePools.

    ``cluster`` must have a literal name (``EmrEksCluster`` gives it one): the controller policy names the cluster in
    IAM tag-condition keys.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: eks.Cluster,
        options: KarpenterOptions,
        subnet_ids: list[str],
        controller_replicas: int = 2,
    ) -> None:
        super().__init__(scope, construct_id)
        options.validate()
        stack = Stack.of(self)
        cfn_cluster = cluster.node.default_child
        name = cfn_cluster.name if isinstance(cfn_cluster, eks.CfnCluster) else None
        if name is None or is_token(name):
            raise fail(
                "cluster",
                name,
                "must be created with a literal cluster_name: Karpenter's controller policy "
                "names the cluster in IAM tag-condition keys",
            )
        self.cluster_name = name
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
        self.queue = sqs.Queue(
            self,
            "Interruptions",
            retention_period=Duration.minutes(5),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        acknowledge(self.queue, Reason.KARPENTER_INTERRUPTION_QUEUE)
        rules = [
            events.Rule(
                self,
                rule_id,
                event_pattern=events.EventPattern(source=[source], detail_type=[detail_type]),
                targets=[_QueueTarget(self.queue)],
            )
            for rule_id, (source, detail_type) in INTERRUPTION_EVENTS.items()
        ]
        # EventBridge delivers to SQS through the queue policy; only this stack's rules, in this account.
        # See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
        self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=[Sqs.SEND_MESSAGE],
                resources=[self.queue.queue_arn],
                conditions={
                    "ArnEquals": {"aws:SourceArn": [r.rule_arn for r in rules]},
                    "StringEquals": {"aws:SourceAccount": stack.account},
                },
            )
        )

        self.controller_role = iam.Role(
            self, "ControllerRole", assumed_by=iam.ServicePrincipal("pods.eks.amazonaws.com")
        )
        assert self.controller_role.assume_role_policy is not None
        self.controller_role.assume_role_policy.add_statements(
            iam.PolicyStatement(principals=[iam.ServicePrincipal("pods.eks.amazonaws.com")], actions=[Sts.TAG_SESSION])
        )
        # Two policies: the cluster name appears in many condition keys, and a managed policy holds 6,144 characters.
        ec2_statements, iam_statements = controller_statements(
            stack, cluster, name, queue_arn=self.queue.queue_arn, node_role_arn=self.node_role.role_arn
        )
        policies = []
        for policy_id, statements in (("ControllerPolicy", ec2_statements), ("ControllerIamPolicy", iam_statements)):
            policy = RolePolicy(self, policy_id, role=self.controller_role, description="Karpenter controller")
            policy.add_statements(*statements)
            assert policy.policy is not None
            acknowledge(policy.policy, Reason.KARPENTER_CONTROLLER)
            policies.append(policy.policy)
        association = eks.CfnPodIdentityAssociation(
            self,
            "PodIdentity",
            cluster_name=cluster.cluster_name,
            namespace=KARPENTER_NAMESPACE,
            service_account="karpenter",
            role_arn=self.controller_role.role_arn,
        )
        chart = cluster.add_helm_chart(
            "Chart",
            chart="karpenter",
            repository="oci://public.ecr.aws/karpenter/karpenter",
            version=options.version,
            namespace=KARPENTER_NAMESPACE,
            wait=True,
            values={
                "settings": {"clusterName": name, "interruptionQueue": self.queue.queue_name},
                "nodeSelector": {ROLE_LABEL: "system"},
                "replicas": controller_replicas,
            },
        )
        # The controller starts with its permissions and keeps them until NodePools and chart are gone (on stack
        # deletion Karpenter still terminates the nodes it launched).
        chart.node.add_dependency(association, *policies)
        pools = cluster.add_manifest(
            "NodePools", *self.manifests(subnet_ids, cluster.cluster_security_group_id, options)
        )
        pools.node.add_dependency(chart)

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
                "metadata": {"labels": {ROLE_LABEL: name}},
                "spec": {
                    "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "emr-spark"},
                    "requirements": [
                        *requirements,
                        {"key": "karpenter.sh/capacity-type", "operator": "In", "values": [capacity]},
                    ],
                },
            }
            if taints:
                template["spec"]["taints"] = taints
            return {
                "apiVersion": "karpenter.sh/v1",
                "kind": "NodePool",
                "metadata": {"name": f"spark-{name}"},
                "spec": {
                    "template": template,
                    "limits": {"cpu": str(cpu)},
                    "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "1m"},
                },
            }

        spot_taint = [{"key": SPOT_TAINT_KEY, "value": SPOT_TAINT_VALUE, "effect": SPOT_TAINT_EFFECT}]
        return [
            node_class,
            pool("driver", "on-demand", options.driver_cpu_limit, []),
            pool("executor", "spot", options.executor_cpu_limit, spot_taint),
        ]
