"""``emrctl doctor``: read-only preflight checks of the AWS account around a stack, each with the fix of its failure.

The stacks' outputs say which runtime each one is (``ClusterId``: EMR on EC2, ``ApplicationId``: EMR Serverless,
``VirtualClusterId``: EMR on EKS, ``VpcId``: the network stack). ``Doctor`` gathers what they point at and runs the
checks of ``emr_constructs.ops.preflight``. Every AWS client comes from the ``client`` factory (and IAM's policy
simulator from ``simulator``), so tests mix moto-server clients with Stubber-wrapped ones.

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import click

from emr_constructs.core.outputs import Ec2Output, EksOutput, NetworkOutput, ServerlessOutput
from emr_constructs.ops.common import EXIT_JOB_FAILED, EXIT_NOT_FOUND, Context, Failure, aws_errors
from emr_constructs.ops.preflight import (
    EC2_SPOT,
    FAIL,
    RUNTIME_NAMES,
    RUNTIMES,
    SERVICE_LINKED_ROLES,
    CheckResult,
    Findings,
    Identity,
    LogDestination,
    add_unique,
    check_egress,
    check_eks_access,
    check_log_destination,
    check_service_linked_role,
    check_tags,
    check_tls_certificate,
    route_table,
)


class Doctor:
    """Reads the stacks' outputs, gathers what they point at and runs the checks (all read-only)."""

    def __init__(
        self,
        client: Callable[[str], Any],
        *,
        stack_outputs: Callable[[str], Mapping[str, str]] | None = None,
        simulator: Any = None,
    ) -> None:
        self.client = client
        self.stack_outputs = stack_outputs or self._stack_outputs
        self.simulator = simulator if simulator is not None else client("iam")

    def _stack_outputs(self, stack: str) -> dict[str, str]:
        found = self.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
        return {o["OutputKey"]: o["OutputValue"] for o in found[0].get("Outputs", [])}

    def identity(self, principal: str | None) -> Identity:
        """The caller's account and partition, and the IAM ARN to simulate: ``principal``, else the caller (an STS
        session becomes its role, path included); ``None`` for the root user or a federated user."""
        caller = self.client("sts").get_caller_identity()
        partition, account = caller["Arn"].split(":")[1], caller["Account"]
        arn = principal or caller["Arn"]
        service, kind = arn.split(":")[2], arn.split(":", 5)[-1]
        if kind.startswith("assumed-role/"):
            arn = self.client("iam").get_role(RoleName=kind.split("/")[1])["Role"]["Arn"]
        elif not kind.startswith(("role/", "user/")):
            arn = ""
        elif service != "iam":  # GetCallerIdentity may name a user in the sts namespace
            arn = f"arn:{partition}:iam::{account}:{kind}"
        return Identity(account=account, partition=partition, principal_arn=arn or None)

    def gather(self, stacks: Sequence[str], runtimes: Sequence[str]) -> Findings:
        found = Findings()
        for stack in stacks:
            outputs = self.stack_outputs(stack)
            known = False
            if Ec2Output.CLUSTER_ID.key in outputs:
                known = True
                self._ec2(found, outputs)
            if ServerlessOutput.APPLICATION_ID.key in outputs:
                known = True
                self._serverless(found, outputs)
            if EksOutput.VIRTUAL_CLUSTER_ID.key in outputs:
                known = True
                self._eks(found, outputs)
            if NetworkOutput.VPC_ID.key in outputs:
                known = True
                self._network(found, outputs[NetworkOutput.VPC_ID.key])
            if not known:
                keys = (Ec2Output.CLUSTER_ID, ServerlessOutput.APPLICATION_ID, EksOutput.VIRTUAL_CLUSTER_ID)
                raise Failure(
                    EXIT_NOT_FOUND,
                    f"stack {stack!r} has none of the outputs {', '.join(k.key for k in keys)} or "
                    f"{NetworkOutput.VPC_ID.key}",
                )
        add_unique(found.runtimes, runtimes)
        return found

    def _ec2(self, found: Findings, outputs: Mapping[str, str]) -> None:
        emr = self.client("emr")
        cluster = emr.describe_cluster(ClusterId=outputs[Ec2Output.CLUSTER_ID.key])["Cluster"]
        add_unique(found.runtimes, ["ec2"])
        attrs = cluster.get("Ec2InstanceAttributes", {})
        subnets = [attrs.get("Ec2SubnetId"), *attrs.get("RequestedEc2SubnetIds", [])]
        add_unique(found.tagged_subnets, subnets)
        add_unique(found.private_subnets, subnets)
        add_unique(
            found.tagged_security_groups,
            [
                attrs.get("EmrManagedMasterSecurityGroup"),
                attrs.get("EmrManagedSlaveSecurityGroup"),
                attrs.get("ServiceAccessSecurityGroup"),
                *attrs.get("AdditionalMasterSecurityGroups", []),
                *attrs.get("AdditionalSlaveSecurityGroups", []),
            ],
        )
        found.spot = found.spot or self._uses_spot(emr, cluster)
        profile = attrs.get("IamInstanceProfile")
        log_uri = outputs.get(Ec2Output.LOG_URI.key) or cluster.get("LogUri")
        if profile and log_uri:
            name = profile.rsplit("/", 1)[-1]
            roles = self.client("iam").get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]
            found.log_destinations += [LogDestination(r["Arn"], "ec2", s3_uri=log_uri) for r in roles[:1]]
        add_unique(found.tls_certificate_uris, [outputs.get(Ec2Output.TLS_CERTIFICATE_URI.key)])

    @staticmethod
    def _uses_spot(emr: Any, cluster: Mapping[str, Any]) -> bool:
        """Spot capacity in an instance fleet (target or provisioned) or an instance group's SPOT market."""
        if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET":
            fleets = emr.list_instance_fleets(ClusterId=cluster["Id"])["InstanceFleets"]
            return any(f.get("TargetSpotCapacity", 0) or f.get("ProvisionedSpotCapacity", 0) for f in fleets)
        groups = emr.list_instance_groups(ClusterId=cluster["Id"])["InstanceGroups"]
        return any(g.get("Market") == "SPOT" for g in groups)

    def _serverless(self, found: Findings, outputs: Mapping[str, str]) -> None:
        app = self.client("emr-serverless").get_application(applicationId=outputs[ServerlessOutput.APPLICATION_ID.key])[
            "application"
        ]
        add_unique(found.runtimes, ["serverless"])
        add_unique(found.private_subnets, (app.get("networkConfiguration") or {}).get("subnetIds", []))
        role = outputs.get(ServerlessOutput.RUNTIME_ROLE_ARN.key)
        if role:
            found.log_destinations.append(
                LogDestination(
                    role,
                    "serverless",
                    s3_uri=outputs.get(ServerlessOutput.LOG_URI.key),
                    log_group=outputs.get(ServerlessOutput.LOG_GROUP_NAME.key),
                )
            )

    def _eks(self, found: Findings, outputs: Mapping[str, str]) -> None:
        virtual = self.client("emr-containers").describe_virtual_cluster(id=outputs[EksOutput.VIRTUAL_CLUSTER_ID.key])[
            "virtualCluster"
        ]
        add_unique(found.runtimes, ["eks"])
        name = virtual["containerProvider"]["id"]
        add_unique(found.eks_clusters, [name])
        cluster = self.client("eks").describe_cluster(name=name)["cluster"]
        add_unique(found.private_subnets, cluster.get("resourcesVpcConfig", {}).get("subnetIds", []))
        role = outputs.get(EksOutput.EXECUTION_ROLE_ARN.key)
        if role:
            found.log_destinations.append(
                LogDestination(
                    role,
                    "eks",
                    s3_uri=outputs.get(EksOutput.LOG_URI.key),
                    log_group=outputs.get(EksOutput.LOG_GROUP_NAME.key),
                )
            )

    def _network(self, found: Findings, vpc_id: str) -> None:
        """The VPC's private subnets (no default route to an internet gateway): where the runtimes will run."""
        ec2 = self.client("ec2")
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        private = []
        for subnet in subnets:
            table = route_table(ec2, subnet)
            routes = table.get("Routes", []) if table else []
            if not any(str(r.get("GatewayId", "")).startswith("igw-") for r in routes):
                private.append(subnet["SubnetId"])
        add_unique(found.private_subnets, private)
        add_unique(found.network_subnets, private)

    def run(
        self, stacks: Sequence[str], runtimes: Sequence[str] = (), principal: str | None = None
    ) -> list[CheckResult]:
        found = self.gather(stacks, runtimes)
        if not found.runtimes:  # only a network stack: before the first runtime deploy, check for all of them
            found.runtimes = list(RUNTIMES)
        if "ec2" in found.runtimes:
            add_unique(found.tagged_subnets, found.network_subnets)
        identity = self.identity(principal)
        iam, ec2 = self.client("iam"), self.client("ec2")
        region = str(ec2.meta.region_name)
        results = [
            check_service_linked_role(iam, self.simulator, identity, SERVICE_LINKED_ROLES[r], RUNTIME_NAMES[r])
            for r in RUNTIMES
            if r in found.runtimes
        ]
        if found.spot:
            results.append(
                check_service_linked_role(iam, self.simulator, identity, EC2_SPOT, "the cluster's Spot capacity")
            )
        results += check_tags(ec2, found.tagged_subnets, found.tagged_security_groups)
        results += check_egress(ec2, found.private_subnets, region)
        for name in found.eks_clusters:
            results += check_eks_access(self.client("eks"), name, identity)
        for dest in found.log_destinations:
            results += check_log_destination(self.simulator, identity, region, dest)
        s3 = self.client("s3") if found.tls_certificate_uris else None
        results += [check_tls_certificate(s3, uri) for uri in found.tls_certificate_uris]
        return results


@click.command(
    help="Preflight: read-only checks of what a stack's runtime needs from the account (service-linked roles, subnet "
    "and security group tags, egress to S3 and CloudWatch Logs, EKS access, log write permissions, the TLS "
    "certificate). One line per check, PASS/FAIL/WARN, with the fix of each FAIL; exit 1 if any check fails."
)
@click.option(
    "--stack",
    "stacks",
    multiple=True,
    required=True,
    help="A runtime stack (ClusterId / ApplicationId / VirtualClusterId output) or the network stack (VpcId); "
    "repeatable.",
)
@click.option(
    "--runtime",
    "runtimes",
    multiple=True,
    type=click.Choice(RUNTIMES),
    help="With only the network stack: the runtimes to check for (default: all three). Repeatable.",
)
@click.option(
    "--principal",
    help="The IAM role/user ARN that deploys (may it create the service-linked roles?). Default: the caller; "
    "with CDK's default bootstrap, deployments run as the cdk-hnb659fds-cfn-exec-role-* role.",
)
@click.pass_obj
def doctor(ctx: Context, stacks: tuple[str, ...], runtimes: tuple[str, ...], principal: str | None) -> None:
    with aws_errors():
        results = Doctor(ctx.client, stack_outputs=ctx.stack_outputs).run(stacks, runtimes, principal)
    if ctx.as_json:
        click.echo(json.dumps([asdict(r) for r in results]))
    else:
        for result in results:
            click.echo(result.line())
    failed = [r for r in results if r.status == FAIL]
    if failed:
        raise Failure(EXIT_JOB_FAILED, f"{len(failed)} of {len(results)} checks failed")
