"""Karpenter for ``EmrEksCluster``: Spark capacity from NodePools instead of fixed managed node groups.

The controller runs on the system node group with an EKS Pod Identity role; it launches Graviton nodes from two
NodePools (``spark-driver``: On-Demand; ``spark-executor``: Spot, tainted) and handles Spot interruptions from an
SQS queue fed by EventBridge. The controller policy follows Karpenter's reference policy for the pinned version
(https://karpenter.sh/docs/reference/cloudformation/): it launches, tags and terminates only what carries this
cluster's tags (``kubernetes.io/cluster/<name>: owned``, ``karpenter.sh/nodepool``) and manages only instance profiles
tagged for this cluster and Region.
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
from emr_constructs.core.iam_actions import Ec2, Eks, Iam, Pricing, Sqs, Ssm, Sts
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
    """:param version: Karpenter Helm chart version. :param instance_families: Graviton families NodePools may use.
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
            raise fail("cluster", name, "must be created with a literal cluster_name: Karpenter's controller policy "
                       "names the cluster in IAM tag-condition keys")  # fmt: skip
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
        self.queue = sqs.Queue(self, "Interruptions", retention_period=Duration.minutes(5),
                               encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True)  # fmt: skip
        acknowledge(self.queue, Reason.KARPENTER_INTERRUPTION_QUEUE)
        rules = [
            events.Rule(self, rule_id, event_pattern=events.EventPattern(source=[source], detail_type=[detail_type]),
                        targets=[_QueueTarget(self.queue)])
            for rule_id, (source, detail_type) in INTERRUPTION_EVENTS.items()
        ]  # fmt: skip
        # EventBridge delivers to SQS through the queue policy; only this stack's rules, in this account.
        # See: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
        self.queue.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal("events.amazonaws.com")], actions=[Sqs.SEND_MESSAGE],
            resources=[self.queue.queue_arn],
            conditions={"ArnEquals": {"aws:SourceArn": [r.rule_arn for r in rules]},
                        "StringEquals": {"aws:SourceAccount": stack.account}}))  # fmt: skip

        self.controller_role = iam.Role(
            self, "ControllerRole", assumed_by=iam.ServicePrincipal("pods.eks.amazonaws.com")
        )
        assert self.controller_role.assume_role_policy is not None
        self.controller_role.assume_role_policy.add_statements(
            iam.PolicyStatement(principals=[iam.ServicePrincipal("pods.eks.amazonaws.com")], actions=[Sts.TAG_SESSION])
        )
        # Two policies: the cluster name appears in many condition keys, and a managed policy holds 6,144 characters.
        ec2_statements, iam_statements = self._controller_statements(stack, cluster, name)
        policies = []
        for policy_id, statements in (("ControllerPolicy", ec2_statements), ("ControllerIamPolicy", iam_statements)):
            policy = RolePolicy(self, policy_id, role=self.controller_role, description="Karpenter controller")
            policy.add_statements(*statements)
            assert policy.policy is not None
            acknowledge(policy.policy, Reason.KARPENTER_CONTROLLER)
            policies.append(policy.policy)
        association = eks.CfnPodIdentityAssociation(
            self, "PodIdentity", cluster_name=cluster.cluster_name, namespace=KARPENTER_NAMESPACE,
            service_account="karpenter", role_arn=self.controller_role.role_arn)  # fmt: skip
        chart = cluster.add_helm_chart(
            "Chart", chart="karpenter", repository="oci://public.ecr.aws/karpenter/karpenter",
            version=options.version, namespace=KARPENTER_NAMESPACE, wait=True,
            values={"settings": {"clusterName": name, "interruptionQueue": self.queue.queue_name},
                    "nodeSelector": {ROLE_LABEL: "system"}, "replicas": controller_replicas},
        )  # fmt: skip
        # The controller starts with its permissions and keeps them until NodePools and chart are gone (on stack
        # deletion Karpenter still terminates the nodes it launched).
        chart.node.add_dependency(association, *policies)
        pools = cluster.add_manifest(
            "NodePools", *self.manifests(subnet_ids, cluster.cluster_security_group_id, options)
        )
        pools.node.add_dependency(chart)

    def _controller_statements(
        self, stack: Stack, cluster: eks.Cluster, name: str
    ) -> tuple[list[iam.PolicyStatement], list[iam.PolicyStatement]]:
        """Karpenter's reference controller policy (see the module docstring), statement by statement: the EC2, SSM,
        pricing, SQS and EKS part, and the IAM (node role, instance profiles) part."""
        region = stack.region

        def ec2(resource: str, account: str | None = None) -> str:
            return stack.format_arn(service="ec2", account=account, resource=resource, resource_name="*")

        created = [ec2(r) for r in ("fleet", "instance", "volume", "network-interface", "launch-template",
                                    "spot-instances-request")]  # fmt: skip
        cluster_tag = f"kubernetes.io/cluster/{name}"
        owned = {f"aws:ResourceTag/{cluster_tag}": "owned"}
        requested = {f"aws:RequestTag/{cluster_tag}": "owned", "aws:RequestTag/eks:eks-cluster-name": name}
        of_node_pool = {"StringLike": {"aws:ResourceTag/karpenter.sh/nodepool": "*"}}
        for_node_pool = {"StringLike": {"aws:RequestTag/karpenter.sh/nodepool": "*"}}
        in_region = {"aws:ResourceTag/topology.kubernetes.io/region": region}
        to_region = {**requested, "aws:RequestTag/topology.kubernetes.io/region": region}
        node_class = "karpenter.k8s.aws/ec2nodeclass"
        profiles = [stack.format_arn(service="iam", region="", resource="instance-profile", resource_name="*")]
        describe = [Ec2.DESCRIBE_CAPACITY_RESERVATIONS, Ec2.DESCRIBE_IMAGES, Ec2.DESCRIBE_INSTANCES,
                    Ec2.DESCRIBE_INSTANCE_TYPE_OFFERINGS, Ec2.DESCRIBE_INSTANCE_TYPES, Ec2.DESCRIBE_LAUNCH_TEMPLATES,
                    Ec2.DESCRIBE_SECURITY_GROUPS, Ec2.DESCRIBE_SPOT_PRICE_HISTORY, Ec2.DESCRIBE_SUBNETS]  # fmt: skip
        launch = [Ec2.RUN_INSTANCES, Ec2.CREATE_FLEET]
        create_actions = ["RunInstances", "CreateFleet", "CreateLaunchTemplate"]
        retag_keys = ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"]
        profile_changes = [Iam.ADD_ROLE_TO_INSTANCE_PROFILE, Iam.REMOVE_ROLE_FROM_INSTANCE_PROFILE,
                           Iam.DELETE_INSTANCE_PROFILE]  # fmt: skip
        statement = iam.PolicyStatement
        ec2_part = [
            # Launch inputs: AMIs and snapshots; subnets, security groups and reservations (also shared ones).
            statement(actions=launch, resources=[ec2("image", ""), ec2("snapshot", ""), ec2("security-group", "*"),
                                                 ec2("subnet", "*"), ec2("capacity-reservation", "*")]),
            statement(actions=launch, resources=[ec2("launch-template")],
                      conditions={"StringEquals": owned, **of_node_pool}),
            # What a launch creates must be requested with the cluster's tags.
            statement(actions=[*launch, Ec2.CREATE_LAUNCH_TEMPLATE],
                      resources=[*created, ec2("capacity-reservation", "*")],
                      conditions={"StringEquals": requested, **for_node_pool}),
            statement(actions=[Ec2.CREATE_TAGS], resources=created,
                      conditions={"StringEquals": {**requested, Ec2.CREATE_ACTION: create_actions}, **for_node_pool}),
            statement(actions=[Ec2.CREATE_TAGS], resources=[ec2("instance")],
                      conditions={"StringEquals": owned, **of_node_pool,
                                  "StringEqualsIfExists": {"aws:RequestTag/eks:eks-cluster-name": name},
                                  "ForAllValues:StringEquals": {"aws:TagKeys": retag_keys}}),
            statement(actions=[Ec2.TERMINATE_INSTANCES, Ec2.DELETE_LAUNCH_TEMPLATE],
                      resources=[ec2("instance"), ec2("launch-template")],
                      conditions={"StringEquals": owned, **of_node_pool}),
            # Describe and pricing calls do not support resource-level permissions.
            statement(actions=describe, resources=["*"],
                      conditions={"StringEquals": {"aws:RequestedRegion": region}}),
            statement(actions=[Pricing.GET_PRODUCTS], resources=["*"]),
            statement(actions=[Ssm.GET_PARAMETER], resources=[stack.format_arn(
                service="ssm", account="", resource="parameter", resource_name="aws/service/*")]),
            statement(actions=[Sqs.DELETE_MESSAGE, Sqs.GET_QUEUE_URL, Sqs.RECEIVE_MESSAGE],
                      resources=[self.queue.queue_arn]),
            statement(actions=[Eks.DESCRIBE_CLUSTER], resources=[cluster.cluster_arn]),
        ]  # fmt: skip
        iam_part = [
            statement(actions=[Iam.PASS_ROLE], resources=[self.node_role.role_arn], conditions={
                "StringEquals": {Iam.PASSED_TO_SERVICE: ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]}}),
            # Instance profiles Karpenter creates for the EC2NodeClass, tagged for this cluster and Region.
            statement(actions=[Iam.CREATE_INSTANCE_PROFILE], resources=profiles,
                      conditions={"StringEquals": to_region, "StringLike": {f"aws:RequestTag/{node_class}": "*"}}),
            statement(actions=[Iam.TAG_INSTANCE_PROFILE], resources=profiles,
                      conditions={"StringEquals": {**owned, **in_region, **to_region},
                                  "StringLike": {f"aws:ResourceTag/{node_class}": "*",
                                                 f"aws:RequestTag/{node_class}": "*"}}),
            statement(actions=profile_changes, resources=profiles,
                      conditions={"StringEquals": {**owned, **in_region},
                                  "StringLike": {f"aws:ResourceTag/{node_class}": "*"}}),
            statement(actions=[Iam.GET_INSTANCE_PROFILE], resources=profiles),
        ]  # fmt: skip
        return ec2_part, iam_part

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

        spot_taint = [{"key": SPOT_TAINT_KEY, "value": SPOT_TAINT_VALUE, "effect": SPOT_TAINT_EFFECT}]
        return [
            node_class,
            pool("driver", "on-demand", options.driver_cpu_limit, []),
            pool("executor", "spot", options.executor_cpu_limit, spot_taint),
        ]
