"""Builds the reference app from configuration; ``app.py`` and the tests share it."""

from __future__ import annotations

from typing import Any

from aws_cdk import App, Environment, RemovalPolicy

from emr_constructs.compliance import apply_compliance_checks
from stacks.config import EnvironmentConfig
from stacks.emr_ec2_stack import EmrEc2Stack
from stacks.emr_eks_stack import EmrEksStack
from stacks.emr_serverless_stack import EmrServerlessStack
from stacks.network_stack import NetworkStack
from stacks.shared import cost_allocation_tags

STACK_PREFIX = "Emr"


def build_stacks(app: App, name: str, config: EnvironmentConfig) -> dict[str, object]:
    """Add the compliance packs and every reference stack of environment ``name`` to ``app``."""
    apply_compliance_checks(app)
    env = Environment(account=config.account, region=config.region) if config.account else None
    removal = RemovalPolicy.DESTROY if config.removal_policy == "destroy" else RemovalPolicy.RETAIN
    prefix = f"{STACK_PREFIX}-{name}"
    network = NetworkStack(
        app,
        f"{prefix}-Network",
        config=config.network,
        interface_endpoints=config.network_interface_endpoints(),
        removal_policy=removal,
        env=env,
    )
    cost_allocation_tags(network, application=config.application_tag, cost_center=config.cost_center)
    stacks: dict[str, object] = {"network": network}
    runtimes: list[tuple[str, str, Any, Any]] = [
        ("ec2", "Ec2", EmrEc2Stack, config.ec2),
        ("serverless", "Serverless", EmrServerlessStack, config.serverless),
        ("eks", "Eks", EmrEksStack, config.eks),
    ]
    for key, suffix, stack_class, runtime_config in runtimes:
        if runtime_config.enabled:
            stack = stack_class(
                app,
                f"{prefix}-{suffix}",
                config=runtime_config,
                vpc=network.vpc,
                subnet_type=network.private_subnet_type,
                application_tag=config.application_tag,
                cost_center=config.cost_center,
                removal_policy=removal,
                env=env,
            )
            cost_allocation_tags(stack, application=config.application_tag, cost_center=config.cost_center)
            stacks[key] = stack
    return stacks
