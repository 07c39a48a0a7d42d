"""The network of the platform: private subnets, VPC endpoints, at most one NAT gateway, flow logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.outputs import NetworkOutput
from emr_constructs.iam.service_roles import EMR_MANAGED_POLICY_TAG
from emr_constructs.storage.secure import SecureLogGroup
from stacks.config import NetworkConfig

RESTRICT_DEFAULT_SG_PROVIDER_ID = "Custom::VpcRestrictDefaultSGCustomResourceProvider"


class NetworkStack(Stack):
    """A VPC whose private subnets reach S3 through a gateway endpoint and the other AWS APIs through one NAT gateway,
    or, with ``nat_gateways: 0`` (isolated subnets), through interface endpoints for EMR, STS, KMS, CloudWatch and Glue.

    :param interface_endpoints: Default: ``config.resolved_interface_endpoints()``. The app passes
        ``EnvironmentConfig.network_interface_endpoints()``, which adds what a created EKS cluster needs in isolated
        subnets.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: NetworkConfig,
        interface_endpoints: Sequence[str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        private_type = ec2.SubnetType.PRIVATE_WITH_EGRESS if config.nat_gateways else ec2.SubnetType.PRIVATE_ISOLATED
        subnets = [ec2.SubnetConfiguration(name="Private", subnet_type=private_type, cidr_mask=20)]
        if config.nat_gateways:
            subnets.insert(
                0,
                ec2.SubnetConfiguration(
                    name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24, map_public_ip_on_launch=False
                ),
            )
        self.private_subnet_type = private_type
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(config.cidr),
            max_azs=None if config.availability_zones else config.max_azs,
            availability_zones=list(config.availability_zones) if config.availability_zones else None,
            nat_gateways=config.nat_gateways,
            subnet_configuration=subnets,
            restrict_default_security_group=True,
        )
        for subnet in self.vpc.select_subnets(subnet_type=private_type).subnets:
            Tags.of(subnet).add(*EMR_MANAGED_POLICY_TAG)
        for subnet in self.vpc.public_subnets:
            default_route = subnet.node.try_find_child("DefaultRoute")
            if default_route is not None:
                acknowledge(default_route, Reason.NAT_PUBLIC_SUBNET_ROUTE)

        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
        endpoints_sg = ec2.SecurityGroup(
            self,
            "EndpointsSecurityGroup",
            vpc=self.vpc,
            description="HTTPS from the VPC to the interface endpoints",
            allow_all_outbound=False,
        )
        # The literal CIDR (not the VpcCidrBlock attribute) keeps the rule checkable at synth time.
        endpoints_sg.add_ingress_rule(ec2.Peer.ipv4(config.cidr), ec2.Port.tcp(443), "HTTPS from the VPC")
        for name in config.resolved_interface_endpoints() if interface_endpoints is None else interface_endpoints:
            self.vpc.add_interface_endpoint(
                f"Endpoint-{name}",
                service=ec2.InterfaceVpcEndpointAwsService(name),
                subnets=ec2.SubnetSelection(subnet_type=private_type),
                private_dns_enabled=True,
                security_groups=[endpoints_sg],
                open=False,
            )

        self._add_flow_logs(config, removal_policy)
        provider = self.node.try_find_child(RESTRICT_DEFAULT_SG_PROVIDER_ID)
        if provider is not None:
            acknowledge(provider, Reason.CDK_CUSTOM_RESOURCE_PROVIDER)
        CfnOutput(self, NetworkOutput.VPC_ID.key, value=self.vpc.vpc_id)

    def _add_flow_logs(self, config: NetworkConfig, removal_policy: RemovalPolicy) -> None:
        log_group = SecureLogGroup(
            self,
            "FlowLogs",
            retention=config.flow_log_retention_days,
            removal_policy=removal_policy,
        ).log_group
        role = iam.Role(self, "FlowLogsRole", assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"))
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(log_group, role),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )
        acknowledge(role, Reason.CDK_FLOW_LOG_ROLE_POLICY)
