"""The IAM statements of the Karpenter controller (one idea of ``emr_constructs.eks.karpenter``, kept apart).

They follow Karpenter's reference controller policy for the pinned version
(https://karpenter.sh/docs/reference/cloudformation/): the controller launches, tags and terminates only what carries
the cluster's tags (``kubernetes.io/cluster/<name>: owned``, ``karpenter.sh/nodepool``) and manages only instance
profiles tagged for the cluster and Region.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam

from emr_constructs.core.iam_actions import Ec2, Eks, Iam, Pricing, Sqs, Ssm


def controller_statements(
    stack: Stack, cluster: eks.Cluster, name: str, *, queue_arn: str, node_role_arn: str
) -> tuple[list[iam.PolicyStatement], list[iam.PolicyStatement]]:
    """Karpenter's reference controller policy for the pinned version, statement by statement: the EC2, SSM,
    pricing, SQS and EKS part, and the IAM (node role, instance profiles) part."""
    region = stack.region

    def ec2(resource: str, account: str | None = None) -> str:
        return stack.format_arn(service="ec2", account=account, resource=resource, resource_name="*")

    created = [
        ec2(r)
        for r in ("fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request")
    ]
    cluster_tag = f"kubernetes.io/cluster/{name}"
    owned = {f"aws:ResourceTag/{cluster_tag}": "owned"}
    requested = {f"aws:RequestTag/{cluster_tag}": "owned", "aws:RequestTag/eks:eks-cluster-name": name}
    of_node_pool = {"StringLike": {"aws:ResourceTag/karpenter.sh/nodepool": "*"}}
    for_node_pool = {"StringLike": {"aws:RequestTag/karpenter.sh/nodepool": "*"}}
    in_region = {"aws:ResourceTag/topology.kubernetes.io/region": region}
    to_region = {**requested, "aws:RequestTag/topology.kubernetes.io/region": region}
    node_class = "karpenter.k8s.aws/ec2nodeclass"
    profiles = [stack.format_arn(service="iam", region="", resource="instance-profile", resource_name="*")]
    describe = [
        Ec2.DESCRIBE_CAPACITY_RESERVATIONS,
        Ec2.DESCRIBE_IMAGES,
        Ec2.DESCRIBE_INSTANCES,
        Ec2.DESCRIBE_INSTANCE_TYPE_OFFERINGS,
        Ec2.DESCRIBE_INSTANCE_TYPES,
        Ec2.DESCRIBE_LAUNCH_TEMPLATES,
        Ec2.DESCRIBE_SECURITY_GROUPS,
        Ec2.DESCRIBE_SPOT_PRICE_HISTORY,
        Ec2.DESCRIBE_SUBNETS,
    ]
    launch = [Ec2.RUN_INSTANCES, Ec2.CREATE_FLEET]
    create_actions = ["RunInstances", "CreateFleet", "CreateLaunchTemplate"]
    retag_keys = ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"]
    profile_changes = [
        Iam.ADD_ROLE_TO_INSTANCE_PROFILE,
        Iam.REMOVE_ROLE_FROM_INSTANCE_PROFILE,
        Iam.DELETE_INSTANCE_PROFILE,
    ]
    statement = iam.PolicyStatement
    ec2_part = [
        # Launch inputs: AMIs and snapshots; subnets, security groups and reservations (also shared ones).
        statement(
            actions=launch,
            resources=[
                ec2("image", ""),
                ec2("snapshot", ""),
                ec2("security-group", "*"),
                ec2("subnet", "*"),
                ec2("capacity-reservation", "*"),
            ],
        ),
        statement(
            actions=launch, resources=[ec2("launch-template")], conditions={"StringEquals": owned, **of_node_pool}
        ),
        # What a launch creates must be requested with the cluster's tags.
        statement(
            actions=[*launch, Ec2.CREATE_LAUNCH_TEMPLATE],
            resources=[*created, ec2("capacity-reservation", "*")],
            conditions={"StringEquals": requested, **for_node_pool},
        ),
        statement(
            actions=[Ec2.CREATE_TAGS],
            resources=created,
            conditions={"StringEquals": {**requested, Ec2.CREATE_ACTION: create_actions}, **for_node_pool},
        ),
        statement(
            actions=[Ec2.CREATE_TAGS],
            resources=[ec2("instance")],
            conditions={
                "StringEquals": owned,
                **of_node_pool,
                "StringEqualsIfExists": {"aws:RequestTag/eks:eks-cluster-name": name},
                "ForAllValues:StringEquals": {"aws:TagKeys": retag_keys},
            },
        ),
        statement(
            actions=[Ec2.TERMINATE_INSTANCES, Ec2.DELETE_LAUNCH_TEMPLATE],
            resources=[ec2("instance"), ec2("launch-template")],
            conditions={"StringEquals": owned, **of_node_pool},
        ),
        # Describe and pricing calls do not support resource-level permissions.
        statement(actions=describe, resources=["*"], conditions={"StringEquals": {"aws:RequestedRegion": region}}),
        statement(actions=[Pricing.GET_PRODUCTS], resources=["*"]),
        statement(
            actions=[Ssm.GET_PARAMETER],
            resources=[
                stack.format_arn(service="ssm", account="", resource="parameter", resource_name="aws/service/*")
            ],
        ),
        statement(actions=[Sqs.DELETE_MESSAGE, Sqs.GET_QUEUE_URL, Sqs.RECEIVE_MESSAGE], resources=[queue_arn]),
        statement(actions=[Eks.DESCRIBE_CLUSTER], resources=[cluster.cluster_arn]),
    ]
    iam_part = [
        statement(
            actions=[Iam.PASS_ROLE],
            resources=[node_role_arn],
            conditions={"StringEquals": {Iam.PASSED_TO_SERVICE: ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]}},
        ),
        # Instance profiles Karpenter creates for the EC2NodeClass, tagged for this cluster and Region.
        statement(
            actions=[Iam.CREATE_INSTANCE_PROFILE],
            resources=profiles,
            conditions={"StringEquals": to_region, "StringLike": {f"aws:RequestTag/{node_class}": "*"}},
        ),
        statement(
            actions=[Iam.TAG_INSTANCE_PROFILE],
            resources=profiles,
            conditions={
                "StringEquals": {**owned, **in_region, **to_region},
                "StringLike": {f"aws:ResourceTag/{node_class}": "*", f"aws:RequestTag/{node_class}": "*"},
            },
        ),
        statement(
            actions=profile_changes,
            resources=profiles,
            conditions={
                "StringEquals": {**owned, **in_region},
                "StringLike": {f"aws:ResourceTag/{node_class}": "*"},
            },
        ),
        statement(actions=[Iam.GET_INSTANCE_PROFILE], resources=profiles),
    ]
    return ec2_part, iam_part
