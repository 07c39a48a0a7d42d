"""EMR-managed security groups: primary, core/task and (private subnets) service access.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from emr_constructs.iam.service_roles import tag_for_emr_managed_policy
from emr_constructs.releases import ReleaseLabel

SERVICE_ACCESS_PORT_LEGACY = 9443
"""emr-5.30.0 to 7.x: the service-access group accepts 9443 from the primary group."""
SERVICE_ACCESS_PORT_8X = 443
"""8.x and emr-spark-8.x: the service-access group accepts 443 from the VPC."""
EMR_AGENT_PORT = 8443


@dataclass(frozen=True)
class EmrSecurityGroups:
    """The security groups EMR manages for a cluster. Supply your own or let ``EmrCluster`` create them.

    ``service_access`` is only used in private subnets.
    """

    primary: ec2.ISecurityGroup
    core: ec2.ISecurityGroup
    service_access: ec2.ISecurityGroup | None = None

    @classmethod
    def create(
        cls, scope: Construct, construct_id: str, *, vpc: ec2.IVpc, release_label: ReleaseLabel, private_subnet: bool
    ) -> EmrSecurityGroups:
        """Create the groups, tagged for AmazonEMRServicePolicy_v2, with the release-dependent service-access rules."""
        holder = Construct(scope, construct_id)
        primary = ec2.SecurityGroup(holder, "Primary", vpc=vpc, description="EMR-managed primary node group")
        core = ec2.SecurityGroup(holder, "CoreTask", vpc=vpc, description="EMR-managed core and task node group")
        service = None
        if private_subnet:
            service = ec2.SecurityGroup(
                holder,
                "ServiceAccess",
                vpc=vpc,
                description="EMR service access from the private subnet",
                allow_all_outbound=False,
            )
            if release_label.major is not None and release_label.major >= 8:
                service.add_ingress_rule(
                    ec2.Peer.ipv4(vpc.vpc_cidr_block),
                    ec2.Port.tcp(SERVICE_ACCESS_PORT_8X),
                    "EMR 8.x service access from the VPC",
                )
            else:
                service.add_ingress_rule(
                    primary, ec2.Port.tcp(SERVICE_ACCESS_PORT_LEGACY), "EMR service access from the primary node"
                )
            for target in (primary, core):
                service.add_egress_rule(target, ec2.Port.tcp(EMR_AGENT_PORT), "EMR service to node agents")
        for group in (primary, core, service):
            if group is not None:
                tag_for_emr_managed_policy(group)
        return cls(primary=primary, core=core, service_access=service)
