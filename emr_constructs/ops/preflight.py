"""The checks of ``emrctl doctor``: small read-only functions, each given its clients and facts, each returning
``CheckResult``\\ s (PASS / FAIL / WARN, and the fix of a FAIL) and never raising for a finding.

``emr_constructs.ops.doctor`` gathers the facts from the stacks and runs them. boto3 only (no aws_cdk).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from emr_constructs.core.iam_actions import S3, Iam, Logs
from emr_constructs.core.tags import EMR_MANAGED_POLICY_TAG

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
RUNTIMES = ("ec2", "serverless", "eks")
RUNTIME_NAMES = {"ec2": "EMR on EC2", "serverless": "EMR Serverless", "eks": "EMR on EKS"}
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


def add_unique(items: list[str], values: Iterable[str | None]) -> None:
    items.extend(v for v in values if v and v not in items)


def _error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _s3_parts(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.split("://", 1)[-1].partition("/")  # DescribeCluster may answer s3n://
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
            return CheckResult(PASS, check, f"exists (for {why})")
        return CheckResult(
            FAIL,
            check,
            f"a role of that name exists under path {found.get('Path')!r}, not {role.path!r}: it is not the "
            "service-linked role, and IAM will not create the real one while the name is taken",
            f"delete or rename that role, then {fix}",
        )
    if identity.principal_arn is None:
        return CheckResult(FAIL, check, f"missing (for {why}); cannot tell whether the caller may create it", fix)
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
            FAIL, check, f"missing (for {why}); cannot tell whether the caller may create it ({reason})", fix
        )
    if decision == "allowed":
        return CheckResult(
            PASS, check, f"missing, but {identity.principal_arn} may create it (the service does on first use)"
        )
    return CheckResult(
        FAIL,
        check,
        f"missing (for {why}), and {identity.principal_arn} may not create it ({Iam.CREATE_SERVICE_LINKED_ROLE}: "
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
    """Subnets and security groups carry ``for-use-with-amazon-emr-managed-policies=true``: AmazonEMRServicePolicy_v2
    launches nothing elsewhere (see ``EMR_MANAGED_POLICY_TAG``). Checked for EMR on EC2 only: EMR Serverless's and
    EMR on EKS's service-linked role policies carry no such condition (AmazonEMRServerlessServiceRolePolicy allows
    ``ec2:CreateNetworkInterface`` on ``*``: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServerlessServiceRolePolicy.html).
    """
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
                    f"{', '.join(untagged)} not tagged {key}={value}: AmazonEMRServicePolicy_v2 launches nothing there",
                    f"aws ec2 create-tags --resources {' '.join(untagged)} --tags Key={key},Value={value}",
                )
            )
        else:
            results.append(CheckResult(PASS, check, f"{', '.join(ids)} tagged {key}={value}"))
    return results


def route_table(ec2: Any, subnet: Mapping[str, Any]) -> Mapping[str, Any] | None:
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
        table = route_table(ec2, subnet)
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
