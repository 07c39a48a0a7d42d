"""``emrctl doctor``: preflight checks against moto in server mode, each scenario in an account of its own.

Moto models IAM roles, VPCs, EMR clusters, EMR Serverless applications, CloudFormation stacks and S3; it does not
implement ``iam:SimulatePrincipalPolicy`` or EKS access entries and authentication modes, so those come from
botocore's Stubber and a tiny fake EKS client. Service-linked roles are seeded with their real names and
``/aws-service-role/<service>/`` paths through ``create_role`` (moto's ``create_service_linked_role`` invents other
names). AWS pages for each rule are cited where the test encodes it.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import boto3
import pytest
from botocore.stub import Stubber

from emr_constructs.ops.doctor import Doctor
from emr_constructs.ops.preflight import (
    EC2_SPOT,
    EMR_CLEANUP,
    EMR_CONTAINERS,
    EMR_SERVERLESS,
    FAIL,
    PASS,
    WARN,
    CheckResult,
    ServiceLinkedRole,
)
from tests.ops.conftest import REGION, Result

EMR_TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}
"""https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html
(statement CreateInTaggedNetwork: subnets and security groups need this tag)."""
DEPLOYER = "deployer"


@dataclass
class Account:
    """A moto account of its own (credentials from an AssumeRole into it) and what a test seeded there."""

    id: str
    credentials: dict[str, str]
    endpoint: str
    ids: dict[str, str] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id=self.credentials["AccessKeyId"],
            aws_secret_access_key=self.credentials["SecretAccessKey"],
            aws_session_token=self.credentials["SessionToken"],
        )

    def env(self, base: dict[str, str]) -> dict[str, str]:
        return {
            **base,
            "AWS_ACCESS_KEY_ID": self.credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": self.credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": self.credentials["SessionToken"],
        }

    def arn(self, kind: str) -> str:
        return f"arn:aws:iam::{self.id}:{kind}"


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed_service_linked_role(account: Account, role: ServiceLinkedRole) -> None:
    """The role as IAM names it: e.g. /aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html)."""
    account.client("iam").create_role(
        RoleName=role.name, Path=f"/aws-service-role/{role.service}/", AssumeRolePolicyDocument=_trust(role.service)
    )


@pytest.fixture
def account(client: Callable[[str], Any], moto_endpoint: str) -> Account:
    account_id = str(random.SystemRandom().randrange(10**11, 10**12))
    credentials = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{DEPLOYER}", RoleSessionName="doctor"
    )["Credentials"]
    acct = Account(account_id, {k: str(v) for k, v in credentials.items()}, moto_endpoint)
    acct.client("iam").create_role(RoleName=DEPLOYER, AssumeRolePolicyDocument=_trust("ec2.amazonaws.com"))
    return acct


def seed_network(account: Account, *, tag_subnet: bool = True, tag_groups: bool = True, endpoints: bool = True) -> None:
    """A VPC with a private subnet whose route table has no NAT route, the S3 gateway endpoint on that route table
    and a CloudWatch Logs interface endpoint (the network stack's shape with nat_gateways: 0)."""
    ec2 = account.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    tags = [{"ResourceType": "subnet", "Tags": [EMR_TAG]}] if tag_subnet else []
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/20", TagSpecifications=tags)["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    groups = []
    for name in ("primary", "core", "service-access"):
        spec = [{"ResourceType": "security-group", "Tags": [EMR_TAG]}] if tag_groups else []
        groups.append(
            ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc, TagSpecifications=spec)["GroupId"]
        )
    if endpoints:
        ec2.create_vpc_endpoint(
            VpcId=vpc, VpcEndpointType="Gateway", ServiceName=f"com.amazonaws.{REGION}.s3", RouteTableIds=[table]
        )
        ec2.create_vpc_endpoint(
            VpcId=vpc, VpcEndpointType="Interface", ServiceName=f"com.amazonaws.{REGION}.logs", SubnetIds=[subnet]
        )
    account.ids.update(vpc=vpc, subnet=subnet, table=table, primary=groups[0], core=groups[1], service=groups[2])


def seed_cluster(account: Account, *, market: str = "ON_DEMAND", tls: bool = True) -> dict[str, str]:
    """An EMR on EC2 cluster in the seeded subnet, its instance profile, the TLS zip, and the EC2 stack's outputs."""
    iam, ids = account.client("iam"), account.ids
    role = iam.create_role(RoleName="EmrInstanceRole", AssumeRolePolicyDocument=_trust("ec2.amazonaws.com"))["Role"]
    iam.create_instance_profile(InstanceProfileName="EmrInstanceProfile")
    iam.add_role_to_instance_profile(InstanceProfileName="EmrInstanceProfile", RoleName=role["RoleName"])
    ids["instance_role_arn"] = role["Arn"]
    cluster = account.client("emr").run_job_flow(
        Name="platform",
        ReleaseLabel="emr-7.10.0",
        JobFlowRole="EmrInstanceProfile",
        ServiceRole="EMR_DefaultRole_V2",
        LogUri="s3://logs-bucket/emr/",
        Instances={
            "InstanceGroups": [
                {"InstanceRole": "MASTER", "InstanceType": "m7g.xlarge", "InstanceCount": 1, "Market": "ON_DEMAND"},
                {"InstanceRole": "CORE", "InstanceType": "m7g.xlarge", "InstanceCount": 2, "Market": market},
            ],
            "Ec2SubnetId": ids["subnet"],
            "EmrManagedMasterSecurityGroup": ids["primary"],
            "EmrManagedSlaveSecurityGroup": ids["core"],
            "ServiceAccessSecurityGroup": ids["service"],
            "KeepJobFlowAliveWhenNoSteps": True,
        },
    )["JobFlowId"]
    s3, bucket = account.client("s3"), f"data-{account.id}"
    s3.create_bucket(Bucket=bucket)
    if tls:
        s3.put_object(Bucket=bucket, Key="tls/emr-certificates.zip", Body=b"PK")
    return {
        "ClusterId": cluster,
        "LogUri": "s3://logs-bucket/emr/",
        "TlsCertificateUri": f"s3://{bucket}/tls/emr-certificates.zip",
    }


def deploy_stack(account: Account, name: str, outputs: dict[str, str]) -> None:
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    account.client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))


class Simulator:
    """An IAM client under botocore's Stubber: moto does not implement SimulatePrincipalPolicy. Each expected
    request names the action, the resource and (for service-linked roles) the iam:AWSServiceName context."""

    def __init__(self) -> None:
        self.client = boto3.client(
            "iam", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self.stub = Stubber(self.client)
        self.stub.activate()

    def expect(self, decision: str, request: dict[str, Any]) -> None:
        results = [
            {"EvalActionName": action, "EvalResourceName": request["ResourceArns"][0], "EvalDecision": decision}
            for action in request["ActionNames"]
        ]
        self.stub.add_response("simulate_principal_policy", {"EvaluationResults": results}, request)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stub.assert_no_pending_responses()


class SimulatingProxy:
    """For ``emrctl`` as a subprocess: an endpoint that answers IAM's SimulatePrincipalPolicy (which moto lacks)
    with ``decisions[action]`` (default ``allowed``), records those requests, and forwards every other request to
    the moto server unchanged."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.decisions: dict[str, str] = {}
        self.requests: list[dict[str, list[str]]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                form = parse_qs(body.decode("utf-8", "replace")) if self.command == "POST" else {}
                if form.get("Action") == ["SimulatePrincipalPolicy"]:
                    proxy.requests.append(form)
                    self._reply(200, {"Content-Type": "text/xml"}, proxy.simulated(form))
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                request = urllib.request.Request(
                    proxy.upstream + self.path, data=body or None, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request) as response:
                        self._reply(response.status, dict(response.headers), response.read())
                except urllib.error.HTTPError as err:
                    self._reply(err.code, dict(err.headers), err.read())

            def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def simulated(self, form: dict[str, list[str]]) -> bytes:
        actions = [v[0] for k, v in sorted(form.items()) if k.startswith("ActionNames.member.")]
        resource = form.get("ResourceArns.member.1", ["*"])[0]
        members = "".join(
            f"<member><EvalActionName>{escape(a)}</EvalActionName><EvalResourceName>{escape(resource)}"
            f"</EvalResourceName><EvalDecision>{self.decisions.get(a, 'allowed')}</EvalDecision></member>"
            for a in actions
        )
        return (
            '<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
            f"<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>{members}"
            "</EvaluationResults></SimulatePrincipalPolicyResult>"
            "<ResponseMetadata><RequestId>doctor</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>"
        ).encode()


@pytest.fixture
def proxy(moto_endpoint: str) -> Iterator[SimulatingProxy]:
    server = SimulatingProxy(moto_endpoint)
    yield server
    server.server.shutdown()
    server.server.server_close()


def slr_request(account: Account, role: ServiceLinkedRole) -> dict[str, Any]:
    """iam:CreateServiceLinkedRole on the role's ARN, conditioned on iam:AWSServiceName
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html#service-linked-role-permissions)."""
    return {
        "PolicySourceArn": account.arn(f"role/{DEPLOYER}"),
        "ActionNames": ["iam:CreateServiceLinkedRole"],
        "ResourceArns": [account.arn(f"role/aws-service-role/{role.service}/{role.name}")],
        "ContextEntries": [
            {"ContextKeyName": "iam:AWSServiceName", "ContextKeyValues": [role.service], "ContextKeyType": "string"}
        ],
    }


def s3_log_request(role_arn: str, prefix: str) -> dict[str, Any]:
    return {
        "PolicySourceArn": role_arn,
        "ActionNames": ["s3:PutObject"],
        "ResourceArns": [f"arn:aws:s3:::{prefix}emrctl-doctor-probe"],
    }


def run_doctor(account: Account, simulator: Simulator, stacks: list[str], **clients: Any) -> list[CheckResult]:
    def client(service: str) -> Any:
        return clients.get(service) or account.client(service)

    return Doctor(client, simulator=simulator.client).run(stacks)


def by_check(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.check: r for r in results}


# ---- EMR on EC2 ------------------------------------------------------------------------------------------------


def test_a_ready_ec2_stack_passes_every_check(account: Account) -> None:
    # Given the cleanup role, a tagged subnet and groups with endpoints, the TLS zip and an instance role that may log
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        # When
        results = run_doctor(account, sim, ["Emr-dev-Ec2"])
    # Then
    assert [r.status for r in results] == [PASS] * len(results), [r.line() for r in results]
    assert set(by_check(results)) == {
        f"service-linked role {EMR_CLEANUP.name}",
        "subnet tag for-use-with-amazon-emr-managed-policies",
        "security group tag for-use-with-amazon-emr-managed-policies",
        f"egress {account.ids['subnet']}",
        "ec2 log writes by EmrInstanceRole",
        "TLS certificate",
    }


def test_the_cli_exits_0_when_every_check_passes_and_prints_json(
    account: Account, emrctl: Callable[..., Result], aws_env: dict[str, str]
) -> None:
    # Given a ready network stack only (moto cannot simulate, and no role or log destination needs it)
    seed_network(account)
    for role in (EMR_CLEANUP, EMR_SERVERLESS, EMR_CONTAINERS):
        seed_service_linked_role(account, role)
    deploy_stack(account, "Emr-dev-Network", {"VpcId": account.ids["vpc"]})
    # When
    result = emrctl("--json", "doctor", "--stack", "Emr-dev-Network", env=account.env(aws_env))
    # Then
    assert result.code == 0, result.stderr
    checks = result.json()
    assert {c["status"] for c in checks} == {PASS}
    assert {c["check"] for c in checks} >= {f"service-linked role {r}" for r in (EMR_CLEANUP.name, EMR_SERVERLESS.name)}
    assert set(checks[0]) == {"status", "check", "what", "fix"}


def test_cli_a_missing_service_linked_role_fails_with_the_command_that_creates_it(
    account: Account, emrctl: Callable[..., Result], aws_env: dict[str, str], proxy: SimulatingProxy
) -> None:
    # Given an EC2 stack in an account without AWSServiceRoleForEMRCleanup, and a deployer IAM does not allow to
    # create it
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    proxy.decisions["iam:CreateServiceLinkedRole"] = "implicitDeny"
    # When
    result = emrctl("doctor", "--stack", "Emr-dev-Ec2", env={**account.env(aws_env), "EMRCTL_ENDPOINT_URL": proxy.url})
    # Then: FAIL with the fix, exit 1 (EXIT_JOB_FAILED: "checks failed")
    assert result.code == 1, result.stderr
    assert proxy.requests[0]["PolicySourceArn"] == [account.arn(f"role/{DEPLOYER}")]
    assert proxy.requests[0]["ContextEntries.member.1.ContextKeyValues.member.1"] == ["elasticmapreduce.amazonaws.com"]
    assert f"FAIL service-linked role {EMR_CLEANUP.name}: missing" in result.stdout
    assert "fix: aws iam create-service-linked-role --aws-service-name elasticmapreduce.amazonaws.com" in result.stdout
    assert "PASS TLS certificate" in result.stdout
    assert result.stderr.strip().startswith("error: 1 of ") and "checks failed" in result.stderr


def test_cli_an_untagged_subnet_fails_with_the_tag_command(
    account: Account, emrctl: Callable[..., Result], aws_env: dict[str, str], proxy: SimulatingProxy
) -> None:
    # Given the cluster's subnet lacks the tag AmazonEMRServicePolicy_v2 requires
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account, tag_subnet=False)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    # When
    result = emrctl("doctor", "--stack", "Emr-dev-Ec2", env={**account.env(aws_env), "EMRCTL_ENDPOINT_URL": proxy.url})
    # Then
    assert result.code == 1, result.stderr
    assert "PASS ec2 log writes by EmrInstanceRole: s3:PutObject on s3://logs-bucket/emr/" in result.stdout
    subnet = account.ids["subnet"]
    assert f"FAIL subnet tag for-use-with-amazon-emr-managed-policies: {subnet} not tagged" in result.stdout
    assert (
        f"fix: aws ec2 create-tags --resources {subnet} --tags Key=for-use-with-amazon-emr-managed-policies,Value=true"
        in result.stdout
    )
    assert "PASS security group tag" in result.stdout


def test_an_untagged_security_group_fails(account: Account) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account, tag_groups=False)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        results = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))
    group = results["security group tag for-use-with-amazon-emr-managed-policies"]
    assert group.status == FAIL
    ids = account.ids
    assert group.fix is not None and all(ids[k] in group.fix for k in ("primary", "core", "service"))
    assert results["subnet tag for-use-with-amazon-emr-managed-policies"].status == PASS


def test_a_private_subnet_without_nat_or_endpoints_fails(account: Account) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account, endpoints=False)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        results = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))
    egress = results[f"egress {account.ids['subnet']}"]
    assert egress.status == FAIL
    assert "S3 gateway endpoint" in egress.what and "CloudWatch Logs interface endpoint" in egress.what
    assert egress.fix is not None
    assert "network.nat_gateways" in egress.fix
    assert f"--service-name com.amazonaws.{REGION}.s3 --route-table-ids {account.ids['table']}" in egress.fix


def test_a_nat_gateway_route_is_enough_egress(account: Account) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account, endpoints=False)
    ec2, ids = account.client("ec2"), account.ids
    public = ec2.create_subnet(VpcId=ids["vpc"], CidrBlock="10.0.16.0/24")["Subnet"]["SubnetId"]
    nat = ec2.create_nat_gateway(SubnetId=public)["NatGateway"]["NatGatewayId"]
    ec2.create_route(RouteTableId=ids["table"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(ids["instance_role_arn"], "logs-bucket/emr/"))
        egress = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))[f"egress {ids['subnet']}"]
    assert (egress.status, egress.what) == (PASS, "default route to a NAT gateway")


def test_a_missing_tls_certificate_fails(account: Account) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account, tls=False))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        tls = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))["TLS certificate"]
    assert tls.status == FAIL
    assert f"s3://data-{account.id}/tls/emr-certificates.zip does not exist" in tls.what
    assert tls.fix is not None and "tls_certificate_s3_uri" in tls.fix


def test_spot_capacity_needs_the_ec2_spot_role_and_a_denied_principal_fails(account: Account) -> None:
    # Given a cluster with a Spot instance group, no AWSServiceRoleForEC2Spot, and a deployer IAM does not allow
    # to create it
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account, market="SPOT"))
    with Simulator() as sim:
        sim.expect("implicitDeny", slr_request(account, EC2_SPOT))
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        results = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))
    spot = results[f"service-linked role {EC2_SPOT.name}"]
    assert spot.status == FAIL
    assert "may not create it" in spot.what and "implicitDeny" in spot.what
    assert spot.fix is not None and spot.fix.startswith("aws iam create-service-linked-role --aws-service-name spot")


class FleetEmr:
    """Moto's EMR lacks ListInstanceFleets: the moto cluster, described as an instance-fleet cluster (the reference
    EC2 stack's default) whose core fleet targets ``spot`` Spot units."""

    def __init__(self, emr: Any, spot: int) -> None:
        self.emr, self.spot = emr, spot

    def describe_cluster(self, **request: Any) -> Any:
        response = self.emr.describe_cluster(**request)
        response["Cluster"]["InstanceCollectionType"] = "INSTANCE_FLEET"
        return response

    def list_instance_fleets(self, ClusterId: str) -> dict[str, Any]:
        return {
            "InstanceFleets": [
                {"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1, "TargetSpotCapacity": 0},
                {"InstanceFleetType": "CORE", "TargetOnDemandCapacity": 0, "TargetSpotCapacity": self.spot},
            ]
        }


@pytest.mark.parametrize("spot", [0, 4])
def test_an_instance_fleet_with_spot_capacity_needs_the_ec2_spot_role(account: Account, spot: int) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_service_linked_role(account, EC2_SPOT)
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        results = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"], emr=FleetEmr(account.client("emr"), spot)))
    spot_check = results.get(f"service-linked role {EC2_SPOT.name}")
    assert (spot_check.status if spot_check else None) == (PASS if spot else None)


def test_a_missing_role_the_deployer_may_create_passes(account: Account) -> None:
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", slr_request(account, EMR_CLEANUP))
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        cleanup = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))[f"service-linked role {EMR_CLEANUP.name}"]
    assert cleanup.status == PASS and "may create it" in cleanup.what


def test_principal_names_who_deploys(account: Account) -> None:
    # Given CDK deploys as its CloudFormation execution role, not as the caller
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    exec_role = account.arn("role/cdk-hnb659fds-cfn-exec-role")
    with Simulator() as sim:
        sim.expect("allowed", {**slr_request(account, EMR_CLEANUP), "PolicySourceArn": exec_role})
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        # When
        results = Doctor(account.client, simulator=sim.client).run(["Emr-dev-Ec2"], principal=exec_role)
    # Then the simulation is of that role (the Stubber checks the request)
    cleanup = by_check(results)[f"service-linked role {EMR_CLEANUP.name}"]
    assert cleanup.status == PASS and exec_role in cleanup.what


def test_a_role_with_the_name_but_not_the_service_path_fails(account: Account) -> None:
    # Given a plain role squatting on the service-linked role's name (e.g. created by hand, or by moto's
    # create_role without the path)
    seed_network(account)
    account.client("iam").create_role(RoleName=EMR_CLEANUP.name, AssumeRolePolicyDocument=_trust(EMR_CLEANUP.service))
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        cleanup = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))[f"service-linked role {EMR_CLEANUP.name}"]
    assert cleanup.status == FAIL and "/aws-service-role/elasticmapreduce.amazonaws.com/" in cleanup.what


def test_an_instance_role_that_may_not_write_the_log_uri_fails(account: Account) -> None:
    seed_service_linked_role(account, EMR_CLEANUP)
    seed_network(account)
    deploy_stack(account, "Emr-dev-Ec2", seed_cluster(account))
    with Simulator() as sim:
        sim.expect("implicitDeny", s3_log_request(account.ids["instance_role_arn"], "logs-bucket/emr/"))
        logs = by_check(run_doctor(account, sim, ["Emr-dev-Ec2"]))["ec2 log writes by EmrInstanceRole"]
    assert logs.status == FAIL and "s3:PutObject on s3://logs-bucket/emr/: implicitDeny" in logs.what
    assert logs.fix is not None and "aws iam put-role-policy --role-name EmrInstanceRole" in logs.fix
    assert '"Resource":"arn:aws:s3:::logs-bucket/emr/*"' in logs.fix


# ---- EMR Serverless ---------------------------------------------------------------------------------------------


@pytest.fixture
def serverless_stack(account: Account) -> Iterator[str]:
    seed_service_linked_role(account, EMR_SERVERLESS)
    seed_network(account)
    app = account.client("emr-serverless").create_application(
        name="platform",
        releaseLabel="emr-7.10.0",
        type="SPARK",
        networkConfiguration={"subnetIds": [account.ids["subnet"]], "securityGroupIds": [account.ids["core"]]},
    )["applicationId"]
    role = account.client("iam").create_role(
        RoleName="JobRole", AssumeRolePolicyDocument=_trust("emr-serverless.amazonaws.com")
    )["Role"]["Arn"]
    account.ids["job_role"] = role
    outputs = {
        "ApplicationId": app,
        "RuntimeRoleArn": role,
        "LogUri": "s3://logs-bucket/serverless/",
        "LogGroupName": "/emr-serverless/platform",
    }
    deploy_stack(account, "Emr-dev-Serverless", outputs)
    yield "Emr-dev-Serverless"


def logs_request(account: Account, role_arn: str, group: str) -> dict[str, Any]:
    return {
        "PolicySourceArn": role_arn,
        "ActionNames": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "ResourceArns": [f"arn:aws:logs:{REGION}:{account.id}:log-group:{group}:log-stream:emrctl-doctor-probe"],
    }


def test_a_serverless_stack_checks_its_role_subnets_and_both_log_destinations(
    account: Account, serverless_stack: str
) -> None:
    role = account.ids["job_role"]
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(role, "logs-bucket/serverless/"))
        sim.expect("explicitDeny", logs_request(account, role, "/emr-serverless/platform"))
        results = run_doctor(account, sim, [serverless_stack])
    checks = {(r.check, r.status) for r in results}
    assert (f"service-linked role {EMR_SERVERLESS.name}", PASS) in checks
    assert (f"egress {account.ids['subnet']}", PASS) in checks
    # The v2 service policy's tag condition is EMR on EC2's: no tag check for Serverless.
    assert not any("tag" in r.check for r in results)
    writes = [r for r in results if r.check == "serverless log writes by JobRole"]
    assert [w.status for w in writes] == [PASS, FAIL]
    assert "logs:CreateLogStream, logs:PutLogEvents on /emr-serverless/platform: explicitDeny" in writes[1].what


def test_a_caller_who_may_not_simulate_gets_a_warning_not_a_pass(account: Account, serverless_stack: str) -> None:
    with Simulator() as sim:
        for _ in range(2):
            sim.stub.add_client_error("simulate_principal_policy", "AccessDenied", "not authorized")
        results = run_doctor(account, sim, [serverless_stack])
    writes = [r for r in results if r.check == "serverless log writes by JobRole"]
    assert [w.status for w in writes] == [WARN, WARN]


# ---- EMR on EKS -------------------------------------------------------------------------------------------------


class FakeEks:
    """What moto's EKS lacks: the cluster's accessConfig and ListAccessEntries."""

    def __init__(self, mode: str, entries: list[str], subnet: str) -> None:
        self.mode, self.entries, self.subnet = mode, entries, subnet

    def describe_cluster(self, name: str) -> dict[str, Any]:
        return {
            "cluster": {
                "name": name,
                "accessConfig": {"authenticationMode": self.mode},
                "resourcesVpcConfig": {"subnetIds": [self.subnet]},
            }
        }

    def list_access_entries(self, clusterName: str, **_: Any) -> dict[str, Any]:
        return {"accessEntries": self.entries}


@pytest.fixture
def eks_stack(account: Account) -> str:
    seed_service_linked_role(account, EMR_CONTAINERS)
    seed_network(account)
    virtual = account.client("emr-containers").create_virtual_cluster(
        name="analytics",
        containerProvider={"id": "emr-platform", "type": "EKS", "info": {"eksInfo": {"namespace": "emr-jobs"}}},
    )["id"]
    deploy_stack(account, "Emr-dev-Eks", {"VirtualClusterId": virtual})
    return "Emr-dev-Eks"


def test_eks_access_entry_for_emr_passes(account: Account, eks_stack: str) -> None:
    eks = FakeEks("API_AND_CONFIG_MAP", [account.arn(f"role/{EMR_CONTAINERS.name}")], account.ids["subnet"])
    with Simulator() as sim:
        results = by_check(run_doctor(account, sim, [eks_stack], eks=eks))
    assert results["EKS emr-platform authentication mode"].status == PASS
    assert results[f"EKS emr-platform access entry for {EMR_CONTAINERS.name}"].status == PASS
    assert results[f"egress {account.ids['subnet']}"].status == PASS


def test_eks_api_mode_without_an_access_entry_for_emr_fails(account: Account, eks_stack: str) -> None:
    eks = FakeEks("API", [account.arn("role/NodeRole")], account.ids["subnet"])
    with Simulator() as sim:
        entry = by_check(run_doctor(account, sim, [eks_stack], eks=eks))[
            f"EKS emr-platform access entry for {EMR_CONTAINERS.name}"
        ]
    assert entry.status == FAIL
    assert entry.fix is not None and "aws eks create-access-entry --cluster-name emr-platform" in entry.fix


def test_eks_config_map_mode_warns_with_the_update_command(account: Account, eks_stack: str) -> None:
    # https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-cluster-access.html
    eks = FakeEks("CONFIG_MAP", [], account.ids["subnet"])
    with Simulator() as sim:
        mode = by_check(run_doctor(account, sim, [eks_stack], eks=eks))["EKS emr-platform authentication mode"]
    assert mode.status == WARN
    assert mode.fix == (
        "aws eks update-cluster-config --name emr-platform --access-config authenticationMode=API_AND_CONFIG_MAP"
    )


# ---- stacks ------------------------------------------------------------------------------------------------------


def test_a_stack_without_a_runtime_or_vpc_output_is_not_found(
    account: Account, emrctl: Callable[..., Result], aws_env: dict[str, str]
) -> None:
    deploy_stack(account, "Unrelated", {"Something": "else"})
    result = emrctl("doctor", "--stack", "Unrelated", env=account.env(aws_env))
    assert result.code == 3
    assert "has none of the outputs ClusterId, ApplicationId, VirtualClusterId or VpcId" in result.stderr


def test_network_and_runtime_stacks_together_check_each_subnet_once(account: Account, serverless_stack: str) -> None:
    deploy_stack(account, "Emr-dev-Network", {"VpcId": account.ids["vpc"]})
    role = account.ids["job_role"]
    with Simulator() as sim:
        sim.expect("allowed", s3_log_request(role, "logs-bucket/serverless/"))
        sim.expect("allowed", logs_request(account, role, "/emr-serverless/platform"))
        results = run_doctor(account, sim, ["Emr-dev-Network", serverless_stack])
    assert [r.check for r in results].count(f"egress {account.ids['subnet']}") == 1
    assert all(r.status == PASS for r in results), [r.line() for r in results]
