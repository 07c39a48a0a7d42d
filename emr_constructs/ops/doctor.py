"""``emrctl doctor``: read-only preflight checks of the AWS account around a stack, each with the fix of its failure.

The stacks' outputs say which runtime each one is (``ClusterId``: EMR on EC2, ``ApplicationId``: EMR Serverless,
``VirtualClusterId``: EMR on EKS, ``VpcId``: the network stack). Each check is a small function that returns
``CheckResult``\\ s; ``Doctor`` only gathers what they look at. Every AWS client comes from the ``client`` factory
(and IAM's policy simulator from ``simulator``), so tests mix moto-server clients with Stubber-wrapped ones.

boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import click
from botocore.exceptions import ClientError

from emr_constructs.core.iam_actions import S3, Iam, Logs
from emr_constructs.core.outputs import Ec2Output, EksOutput, NetworkOutput, ServerlessOutput
from emr_constructs.ops.common import EXIT_JOB_FAILED, EXIT_NOT_FOUND, Context, Failure, aws_errors

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
RUNTIMES = ("ec2", "serverless", "eks")
EMR_MANAGED_POLICY_TAG = ("for-use-with-amazon-emr-managed-policies", "true")
"""AmazonEMRServicePolicy_v2 (the EMR on EC2 service role's policy) creates network interfaces, instances and fleets
only in subnets and security groups with this tag (statement ``CreateInTaggedNetwork``).

See: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html
EMR Serverless's and EMR on EKS's policies carry no such condition (AmazonEMRServerlessServiceRolePolicy allows
``ec2:CreateNetworkInterface`` on ``*``), so the tag is checked for EMR on EC2 only.
"""
PROBE = "emrctl-doctor-probe"
"""The object key / log stream name whose write permission is simulated (nothing is written)."""
NOT_SIMULATED = "not simulated"
ACCESS_DENIED = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess")


@dataclass(frozen=True)
class CheckResult:
    """One line of the report: ``STATUS check: what`` and, for a failure, the fix."""

    status: str
    check: str
    what: str
    fix: str | None = None

    def line(self) -> str:
        text = f"{self.status} {self.check}: {self.what}"
        return text + (f"\n     fix: {self.fix}" if self.status == FAIL and self.fix else "")


@dataclass(frozen=True)
class ServiceLinkedRole:
    """A service-linked role by its real name; IAM puts it under ``/aws-service-role/<service>/``."""

    name: str
    service: str
    doc: str

    @property
    def path(self) -> str:
        return f"/aws-service-role/{self.service}/"


EMR_CLEANUP = ServiceLinkedRole(
    "AWSServiceRoleForEMRCleanup",
    "elasticmapreduce.amazonaws.com",
    "https://docs.aws.amazon.com/emr/latest/ManagementGuide/using-service-linked-roles-cleanup.html",
)
EMR_SERVERLESS = ServiceLinkedRole(
    "AWSServiceRoleForAmazonEMRServerless",
    "ops.emr-serverless.amazonaws.com",
    "https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-service-linked-roles.html",
)
EMR_CONTAINERS = ServiceLinkedRole(
    "AWSServiceRoleForAmazonEMRContainers",
    "emr-containers.amazonaws.com",
    "https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/using-service-linked-roles.html",
)
EC2_SPOT = ServiceLinkedRole(
    "AWSServiceRoleForEC2Spot",
    "spot.amazonaws.com",
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-prerequisites.html",
)
SERVICE_LINKED_ROLES = {"ec2": EMR_CLEANUP, "serverless": EMR_SERVERLESS, "eks": EMR_CONTAINERS}


@dataclass(frozen=True)
class Identity:
    """Who asks: the account, the partition and the IAM principal whose policies are simulated (``None``: the
    root user or a federated user, which SimulatePrincipalPolicy cannot take)."""

    account: str
    partition: str
    principal_arn: str | None


@dataclass(frozen=True)
class LogDestination:
    """A role and where the runtime writes its logs as that role."""

    role_arn: str
    runtime: str
    s3_uri: str | None = None
    log_group: str | None = None


@dataclass
class Findings:
    """What the stacks point at, gathered once; the checks read it."""

    runtimes: list[str] = field(default_factory=list)
    spot: bool = False
    tagged_subnets: list[str] = field(default_factory=list)
    """Subnets that AmazonEMRServicePolicy_v2 launches into (EMR on EC2, or the network stack's private subnets)."""
    tagged_security_groups: list[str] = field(default_factory=list)
    private_subnets: list[str] = field(default_factory=list)
    network_subnets: list[str] = field(default_factory=list)
    """The network stack's private subnets: EMR on EC2 launches there, so they need the tag when it is checked."""
    eks_clusters: list[str] = field(default_factory=list)
    log_destinations: list[LogDestination] = field(default_factory=list)
    tls_certificate_uris: list[str] = field(default_factory=list)


def _add(items: list[str], values: Iterable[str | None]) -> None:
    items.extend(v for v in values if v and v not in items)


def _error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _s3_parts(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


# ---- checks: each returns results, never raises for a finding -------------------------------------------------


def check_service_linked_role(
    iam: Any, simulator: Any, identity: Identity, role: ServiceLinkedRole, why: str
) -> CheckResult:
    """The role exists under its service path, or the principal may create it (``iam:CreateServiceLinkedRole`` with
    ``iam:AWSServiceName``; the service creates the role on first use).

    See: https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html and ``role.doc``.
    """
    check = f"service-linked role {role.name}"
    fix = f"aws iam create-service-linked-role --aws-service-name {role.service}"
    try:
        found = iam.get_role(RoleName=role.name)["Role"]
    except ClientError as err:
        if _error_code(err) != "NoSuchEntity":
            raise
    else:
        if found.get("Path") == role.path:
            return CheckResult(PASS, check, f"exists ({why})")
        return CheckResult(
            FAIL,
            check,
            f"a role of that name exists under path {found.get('Path')!r}, not {role.path!r}: it is not the "
            "service-linked role, and IAM will not create the real one while the name is taken",
            f"delete or rename that role, then {fix}",
        )
    if identity.principal_arn is None:
        return CheckResult(FAIL, check, f"missing ({why}); cannot tell whether the caller may create it", fix)
    resource = f"arn:{identity.partition}:iam::{identity.account}:role{role.path}{role.name}"
    decision = _simulate(
        simulator,
        identity.principal_arn,
        [Iam.CREATE_SERVICE_LINKED_ROLE],
        [resource],
        context={Iam.AWS_SERVICE_NAME: role.service},
    )
    if decision is None or decision.startswith(NOT_SIMULATED):
        reason = decision or "iam:SimulatePrincipalPolicy was denied"
        return CheckResult(
            FAIL, check, f"missing ({why}); cannot tell whether the caller may create it ({reason})", fix
        )
    if decision == "allowed":
        return CheckResult(
            PASS, check, f"missing, but {identity.principal_arn} may create it (the service does on first use)"
        )
    return CheckResult(
        FAIL,
        check,
        f"missing ({why}), and {identity.principal_arn} may not create it ({Iam.CREATE_SERVICE_LINKED_ROLE}: "
        f"{decision})",
        f"{fix}  (as an administrator, once per account)",
    )


def _simulate(
    simulator: Any,
    principal_arn: str,
    actions: Sequence[str],
    resources: Sequence[str],
    context: Mapping[str, str] | None = None,
) -> str | None:
    """The least favourable decision of ``actions`` on ``resources``: ``allowed``, ``implicitDeny`` or
    ``explicitDeny``; ``None`` when the caller may not simulate, ``not simulated: <code>`` for another error."""
    request: dict[str, Any] = {"PolicySourceArn": principal_arn, "ActionNames": list(actions)}
    request["ResourceArns"] = list(resources)
    if context:
        request["ContextEntries"] = [
            {"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": "string"} for k, v in context.items()
        ]
    try:
        results = simulator.simulate_principal_policy(**request)["EvaluationResults"]
    except ClientError as err:  # denied, or a principal IAM cannot simulate: the check cannot tell
        return None if _error_code(err) in ACCESS_DENIED else f"{NOT_SIMULATED}: {_error_code(err) or err}"
    decisions = [r["EvalDecision"] for r in results]
    for worst in ("explicitDeny", "implicitDeny"):
        if worst in decisions:
            return worst
    return "allowed" if decisions else "implicitDeny"


def check_tags(ec2: Any, subnet_ids: Sequence[str], security_group_ids: Sequence[str]) -> list[CheckResult]:
    """Subnets and security groups carry ``for-use-with-amazon-emr-managed-policies=true`` (AmazonEMRServicePolicy_v2
    launches nothing elsewhere). See ``EMR_MANAGED_POLICY_TAG``."""
    key, value = EMR_MANAGED_POLICY_TAG
    results: list[CheckResult] = []
    kinds: list[tuple[str, Sequence[str], Callable[..., Any], str, str]] = [
        ("subnet", subnet_ids, ec2.describe_subnets, "SubnetIds", "Subnets"),
        ("security group", security_group_ids, ec2.describe_security_groups, "GroupIds", "SecurityGroups"),
    ]
    for kind, ids, describe, param, key_out in kinds:
        if not ids:
            continue
        items = describe(**{param: list(ids)})[key_out]
        untagged = [
            item.get("SubnetId") or item.get("GroupId")
            for item in items
            if {t["Key"]: t["Value"] for t in item.get("Tags", [])}.get(key) != value
        ]
        check = f"{kind} tag {key}"
        if untagged:
            results.append(
                CheckResult(
                    FAIL,
                    check,
                    f"{', '.join(untagged)} lack(s) {key}={value}; AmazonEMRServicePolicy_v2 cannot launch "
                    "the cluster there",
                    f"aws ec2 create-tags --resources {' '.join(untagged)} --tags Key={key},Value={value}",
                )
            )
        else:
            results.append(CheckResult(PASS, check, f"{', '.join(ids)} tagged {key}={value}"))
    return results


def _route_table(ec2: Any, subnet: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])
    if not tables["RouteTables"]:  # no explicit association: the VPC's main route table
        tables = ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [subnet["VpcId"]]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )
    return tables["RouteTables"][0] if tables["RouteTables"] else None


def check_egress(ec2: Any, subnet_ids: Sequence[str], region: str) -> list[CheckResult]:
    """Each subnet reaches S3 and CloudWatch Logs: a default route to a NAT gateway (or an internet gateway), or an
    S3 gateway endpoint on its route table plus a CloudWatch Logs interface endpoint in its VPC.

    See: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html (gateway endpoints are route
    table entries) and https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html
    """
    results: list[CheckResult] = []
    if not subnet_ids:
        return results
    for subnet in ec2.describe_subnets(SubnetIds=list(subnet_ids))["Subnets"]:
        subnet_id, vpc_id = subnet["SubnetId"], subnet["VpcId"]
        check = f"egress {subnet_id}"
        table = _route_table(ec2, subnet)
        routes = table.get("Routes", []) if table else []
        default = [r for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0" and r.get("State") != "blackhole"]
        if any(r.get("NatGatewayId") for r in default):
            results.append(CheckResult(PASS, check, "default route to a NAT gateway"))
            continue
        if any(str(r.get("GatewayId", "")).startswith("igw-") for r in default):
            results.append(CheckResult(PASS, check, "public subnet (default route to an internet gateway)"))
            continue
        endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"]
        live = [e for e in endpoints if str(e.get("State", "available")).lower() == "available"]
        table_id = table.get("RouteTableId") if table else None
        s3 = any(
            e["ServiceName"].endswith(f".{region}.s3")
            and e.get("VpcEndpointType") == "Gateway"
            and table_id in e.get("RouteTableIds", [])
            for e in live
        )
        logs = any(
            e["ServiceName"].endswith(f".{region}.logs") and e.get("VpcEndpointType") == "Interface" for e in live
        )
        if s3 and logs:
            results.append(CheckResult(PASS, check, "no NAT; S3 gateway endpoint and CloudWatch Logs endpoint"))
            continue
        missing, fixes = [], []
        if not s3:
            missing.append(f"an S3 gateway endpoint on route table {table_id}")
            fixes.append(
                f"aws ec2 create-vpc-endpoint --vpc-id {vpc_id} --vpc-endpoint-type Gateway "
                f"--service-name com.amazonaws.{region}.s3 --route-table-ids {table_id}"
            )
        if not logs:
            missing.append(f"a CloudWatch Logs interface endpoint in {vpc_id}")
            fixes.append(
                f"aws ec2 create-vpc-endpoint --vpc-id {vpc_id} --vpc-endpoint-type Interface "
                f"--service-name com.amazonaws.{region}.logs --subnet-ids {subnet_id} --private-dns-enabled"
            )
        results.append(
            CheckResult(
                FAIL,
                check,
                f"no route to a NAT gateway and no {' or '.join(missing)}: jobs cannot reach S3 / CloudWatch Logs",
                'in cdk.json set environments.<env>.network.nat_gateways to 1, or keep 0 and list "logs" in '
                "environments.<env>.network.interface_endpoints (the network stack always adds the S3 gateway "
                "endpoint), then cdk deploy; for a VPC of your own: " + " && ".join(fixes),
            )
        )
    return results


def check_eks_access(eks: Any, cluster_name: str, identity: Identity) -> list[CheckResult]:
    """The EKS cluster admits EMR on EKS: authentication mode ``API`` or ``API_AND_CONFIG_MAP`` (access entries)
    and an access entry for ``AWSServiceRoleForAmazonEMRContainers`` (EMR creates it with the virtual cluster).
    With ``CONFIG_MAP`` EMR's access lives only in ``aws-auth``, which no AWS API shows.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-cluster-access.html
    """
    mode = eks.describe_cluster(name=cluster_name)["cluster"].get("accessConfig", {}).get("authenticationMode")
    update = (
        f"aws eks update-cluster-config --name {cluster_name} --access-config authenticationMode=API_AND_CONFIG_MAP"
    )
    mode_check = f"EKS {cluster_name} authentication mode"
    if mode not in ("API", "API_AND_CONFIG_MAP"):
        return [
            CheckResult(
                WARN,
                mode_check,
                f"{mode or 'CONFIG_MAP'}: EMR's access can only be in the aws-auth ConfigMap, which emrctl cannot "
                f"read (kubectl -n kube-system get configmap aws-auth); {update} lets EMR use an access entry",
                update,
            )
        ]
    results = [CheckResult(PASS, mode_check, mode)]
    entries: list[str] = []
    paginator_args: dict[str, Any] = {"clusterName": cluster_name}
    while True:
        page = eks.list_access_entries(**paginator_args)
        entries += page.get("accessEntries", [])
        if not page.get("nextToken"):
            break
        paginator_args["nextToken"] = page["nextToken"]
    entry_check = f"EKS {cluster_name} access entry for {EMR_CONTAINERS.name}"
    if any(e.rsplit("/", 1)[-1] == EMR_CONTAINERS.name for e in entries):
        results.append(CheckResult(PASS, entry_check, "present"))
        return results
    principal = f"arn:{identity.partition}:iam::{identity.account}:role/{EMR_CONTAINERS.name}"
    status = FAIL if mode == "API" else WARN
    where = "" if mode == "API" else " (it may still be mapped in aws-auth, which emrctl cannot read)"
    results.append(
        CheckResult(
            status,
            entry_check,
            f"none; EMR on EKS cannot reach the namespace{where}",
            f"aws eks create-access-entry --cluster-name {cluster_name} --principal-arn {principal} "
            "(or recreate the virtual cluster: EMR adds the entry itself)",
        )
    )
    return results


def check_log_destination(simulator: Any, identity: Identity, region: str, dest: LogDestination) -> list[CheckResult]:
    """The role may write where its runtime logs: ``s3:PutObject`` under the S3 prefix, ``logs:CreateLogStream`` and
    ``logs:PutLogEvents`` in the log group (simulated, nothing is written).

    See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html,
    https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-jobs-s3.html and, for EMR on EC2
    (the instance profile uploads the cluster's logs),
    https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-for-ec2.html
    """
    role_name = dest.role_arn.rsplit("/", 1)[-1]
    checks: list[tuple[str, list[str], str]] = []
    if dest.s3_uri:
        bucket, key = _s3_parts(dest.s3_uri)
        checks.append((dest.s3_uri, [S3.PUT_OBJECT], f"arn:{identity.partition}:s3:::{bucket}/{key}{PROBE}"))
    if dest.log_group:
        arn = f"arn:{identity.partition}:logs:{region}:{identity.account}:log-group:{dest.log_group}:log-stream:{PROBE}"
        checks.append((dest.log_group, [Logs.CREATE_LOG_STREAM, Logs.PUT_LOG_EVENTS], arn))
    results: list[CheckResult] = []
    for where, actions, resource in checks:
        check = f"{dest.runtime} log writes by {role_name}"
        decision = _simulate(simulator, dest.role_arn, actions, [resource])
        if decision is None or decision.startswith(NOT_SIMULATED):
            reason = decision or "iam:SimulatePrincipalPolicy was denied"
            results.append(CheckResult(WARN, check, f"cannot tell for {where} ({reason})"))
        elif decision == "allowed":
            results.append(CheckResult(PASS, check, f"{', '.join(actions)} on {where}"))
        else:
            statement = {"Effect": "Allow", "Action": actions, "Resource": resource.replace(PROBE, "*")}
            policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, separators=(",", ":"))
            results.append(
                CheckResult(
                    FAIL,
                    check,
                    f"{', '.join(actions)} on {where}: {decision}",
                    f"aws iam put-role-policy --role-name {role_name} --policy-name emr-log-writes "
                    f"--policy-document '{policy}'",
                )
            )
    return results


def check_tls_certificate(s3: Any, uri: str) -> CheckResult:
    """The in-transit encryption certificate zip exists (the security configuration points at it; a cluster cannot
    start without it). See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html"""
    bucket, key = _s3_parts(uri)
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as err:
        if _error_code(err) not in ("404", "NoSuchKey", "NotFound", "NoSuchBucket"):
            raise
        return CheckResult(
            FAIL,
            "TLS certificate",
            f"{uri} does not exist",
            "run cdk deploy on the EC2 stack (it writes the generated certificate zip), or upload your own: "
            f"aws s3 cp emr-certificates.zip {uri} and set environments.<env>.ec2.tls_certificate_s3_uri to it",
        )
    return CheckResult(PASS, "TLS certificate", f"{uri} exists")


# ---- gathering and running -------------------------------------------------------------------------------------


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
        caller = self.client("sts").get_caller_identity()
        partition = caller["Arn"].split(":")[1]
        arn = principal or caller["Arn"]
        kind = arn.split(":", 5)[-1]
        if kind.startswith("assumed-role/"):  # sts session -> the IAM role (with its path) for the simulator
            name = kind.split("/")[1]
            arn = self.client("iam").get_role(RoleName=name)["Role"]["Arn"]
        elif kind.startswith(("role/", "user/")) and arn.split(":")[2] != "iam":
            arn = f"arn:{partition}:iam::{caller['Account']}:{kind}"
        elif kind.startswith(("role/", "user/")):
            pass
        else:  # the root user or a federated user: nothing to simulate
            arn = ""
        return Identity(account=caller["Account"], partition=partition, principal_arn=arn or None)

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
        _add(found.runtimes, runtimes)
        return found

    def _ec2(self, found: Findings, outputs: Mapping[str, str]) -> None:
        emr = self.client("emr")
        cluster = emr.describe_cluster(ClusterId=outputs[Ec2Output.CLUSTER_ID.key])["Cluster"]
        _add(found.runtimes, ["ec2"])
        attrs = cluster.get("Ec2InstanceAttributes", {})
        subnets = [attrs.get("Ec2SubnetId"), *attrs.get("RequestedEc2SubnetIds", [])]
        _add(found.tagged_subnets, subnets)
        _add(found.private_subnets, subnets)
        _add(
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
        log_uri = cluster.get("LogUri") or outputs.get(Ec2Output.LOG_URI.key)
        if profile and log_uri:
            name = profile.rsplit("/", 1)[-1]
            roles = self.client("iam").get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]
            found.log_destinations += [LogDestination(r["Arn"], "ec2", s3_uri=log_uri) for r in roles[:1]]
        _add(found.tls_certificate_uris, [outputs.get(Ec2Output.TLS_CERTIFICATE_URI.key)])

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
        _add(found.runtimes, ["serverless"])
        _add(found.private_subnets, (app.get("networkConfiguration") or {}).get("subnetIds", []))
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
        _add(found.runtimes, ["eks"])
        name = virtual["containerProvider"]["id"]
        _add(found.eks_clusters, [name])
        cluster = self.client("eks").describe_cluster(name=name)["cluster"]
        _add(found.private_subnets, cluster.get("resourcesVpcConfig", {}).get("subnetIds", []))
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
            table = _route_table(ec2, subnet)
            routes = table.get("Routes", []) if table else []
            if not any(str(r.get("GatewayId", "")).startswith("igw-") for r in routes):
                private.append(subnet["SubnetId"])
        _add(found.private_subnets, private)
        _add(found.network_subnets, private)

    def run(
        self, stacks: Sequence[str], runtimes: Sequence[str] = (), principal: str | None = None
    ) -> list[CheckResult]:
        found = self.gather(stacks, runtimes)
        if not found.runtimes:  # only a network stack: before the first runtime deploy, check for all of them
            found.runtimes = list(RUNTIMES)
        if "ec2" in found.runtimes:
            _add(found.tagged_subnets, found.network_subnets)
        identity = self.identity(principal)
        iam, ec2 = self.client("iam"), self.client("ec2")
        region = str(ec2.meta.region_name)
        results = [
            check_service_linked_role(iam, self.simulator, identity, SERVICE_LINKED_ROLES[r], f"EMR on {r}")
            for r in RUNTIMES
            if r in found.runtimes
        ]
        if found.spot:
            results.append(check_service_linked_role(iam, self.simulator, identity, EC2_SPOT, "the cluster uses Spot"))
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
