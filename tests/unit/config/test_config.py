"""The cdk.json configuration: defaults, overrides, and errors that name the key path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emr_constructs.releases import ReleaseLabel
from stacks.config import ConfigError, EnvironmentConfig, load_config
from tests.conftest import ROOT, cdk_context


def test_default_environment_synthesizes_env_agnostic_with_frugal_defaults() -> None:
    name, config = load_config(cdk_context())
    assert name == "default"
    assert config.account is None and config.region is None
    assert config.network.nat_gateways == 1
    assert config.ec2.release_label == ReleaseLabel.EMR_7_10_0
    assert config.ec2.idle_timeout_minutes == 60
    assert config.removal_policy == "retain"


def test_named_environment_overrides_only_what_it_sets() -> None:
    name, config = load_config(cdk_context(env="prod"))
    assert (name, config.account, config.region) == ("prod", "123456789012", "eu-west-1")
    assert config.ec2.idle_timeout_minutes == 120
    assert config.ec2.managed_scaling.maximum_units == 40
    assert config.ec2.managed_scaling.minimum_units == 2


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"ec2": {"idle_timeout_minutes": 0}},
            r"environments\.bad\.ec2\.idle_timeout_minutes: Input should be greater",
        ),
        (
            {"ec2": {"release_label": "emr7"}},
            r"environments\.bad\.ec2\.release_label: Value error, release_label: got 'emr7'",
        ),
        (
            {"ec2": {"applications": ["Sparkle"]}},
            r"environments\.bad\.ec2\.applications: Value error, unknown \['Sparkle'\]",
        ),
        (
            {"ec2": {"idle_timout_minutes": 5}},
            r"environments\.bad\.ec2\.idle_timout_minutes: Extra inputs are not permitted",
        ),
        (
            {"network": {"flow_log_retention_days": 42}},
            r"environments\.bad\.network\.flow_log_retention_days: .*CloudWatch Logs allows",
        ),
        (
            {"network": {"nat_gateways": 3}},
            r"environments\.bad\.network\.nat_gateways: Input should be less than or equal to 1",
        ),
        ({"account": "123456789012"}, r"account and region must be set together"),
        ({"account": "123456789012", "region": "eu-west-1"}, r"network\.availability_zones is required"),
        (
            {"ec2": {"tls_certificate_s3_uri": "https://bkt/certs.zip"}},
            r"environments\.bad\.ec2\.tls_certificate_s3_uri: .*must be an s3:// URI",
        ),
        (
            {"ec2": {"tls_certificate_s3_uri": "s3://my-certs"}},
            r"environments\.bad\.ec2\.tls_certificate_s3_uri: .*must name an object",
        ),
        (
            {"serverless": {"architecture": "arm"}},
            r"environments\.bad\.serverless\.architecture: Input should be 'ARM64' or 'X86_64'",
        ),
        (
            {"serverless": {"idle_timeout_minutes": 20000}},
            r"environments\.bad\.serverless\.idle_timeout_minutes: Input should be less than or equal to 10080",
        ),
        (
            {"serverless": {"glue_database": "Sales-DB"}},
            r"environments\.bad\.serverless\.glue_database: String should match pattern",
        ),
        (
            {"serverless": {"release_label": "6.15"}},
            r"environments\.bad\.serverless\.release_label: Value error, release_label: got '6.15'",
        ),
        (
            {"eks": {"namespace": "kube-system"}},
            r"environments\.bad\.eks\.namespace: Value error, namespace: got 'kube-system'",
        ),
        (
            {"eks": {"release_label": "emr-6.1.0-latest"}},
            r"environments\.bad\.eks\.release_label: Value error, release_label: got 'emr-6.1.0-latest'; EMR on EKS needs",
        ),
        ({"eks": {"quota_memory": "16GB"}}, r"environments\.bad\.eks\.quota_memory: Value error, quota: got '16GB'"),
        (
            {"eks": {"execution_role_trust": "oidc"}},
            r"environments\.bad\.eks\.execution_role_trust: Input should be 'irsa' or 'pod_identity'",
        ),
        ({"removal_policy": "snapshot"}, r"environments\.bad\.removal_policy: Input should be 'retain' or 'destroy'"),
    ],
)
def test_wrong_configuration_names_the_key(environment: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(cdk_context(env="bad", environments={"bad": environment}))


def test_unknown_environment_lists_the_defined_ones() -> None:
    with pytest.raises(ConfigError, match=r"env: got 'staging'; defined environments: default, prod"):
        load_config(cdk_context(env="staging"))


def test_config_model_is_frozen() -> None:
    with pytest.raises(Exception, match="frozen"):
        EnvironmentConfig().ec2.enabled = False  # type: ignore[misc]


def test_app_py_exits_with_the_key_path_and_no_traceback(tmp_path: Path) -> None:
    context = cdk_context(environments={"default": {"ec2": {"idle_timeout_minutes": -5}}})
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "environments.default.ec2.idle_timeout_minutes" in result.stderr
    assert "Traceback" not in result.stderr


def test_cdk_json_carries_exactly_the_recommended_feature_flags_of_the_installed_aws_cdk_lib() -> None:
    import tarfile

    import aws_cdk

    bundle = next((Path(aws_cdk.__file__).parent / "_jsii").glob("aws-cdk-lib@*.jsii.tgz"))
    with tarfile.open(bundle) as archive:
        member = archive.extractfile("package/recommended-feature-flags.json")
        assert member is not None
        recommended = json.load(member)
    flags = {k: v for k, v in json.loads((ROOT / "cdk.json").read_text())["context"].items() if k != "environments"}
    assert flags == recommended


# EKS private clusters: without outbound internet access, nodes and pods reach AWS only through VPC endpoints.
# https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html lists EC2 (the EKS optimized AMI names
# the node through EC2), ECR api + dkr + the S3 gateway (image pulls), CloudWatch Logs (node and pod logs), STS
# (IRSA), EKS Auth (Pod Identity) and EKS. The CDK kubectl provider's framework function, placed in the same
# private subnets, invokes its handler through the Lambda API (https://github.com/aws/aws-cdk/issues/12608).
PRIVATE_CLUSTER_ENDPOINTS = ("ec2", "ecr.api", "ecr.dkr", "logs", "sts", "eks", "lambda")
NO_NAT_CREATED_CLUSTER = {
    "network": {"nat_gateways": 0, "interface_endpoints": ["glue"]},
    "eks": {"create_cluster": True},
}


def test_created_eks_cluster_without_nat_gets_the_private_cluster_endpoints() -> None:
    _, config = load_config(cdk_context(env="x", environments={"x": NO_NAT_CREATED_CLUSTER}))
    endpoints = config.network_interface_endpoints()
    assert set(PRIVATE_CLUSTER_ENDPOINTS) <= set(endpoints)
    assert endpoints[0] == "glue" and len(endpoints) == len(set(endpoints))
    assert "eks-auth" not in endpoints  # IRSA (the default trust) needs STS, not EKS Auth


def test_pod_identity_without_nat_also_gets_eks_auth() -> None:
    environment = {**NO_NAT_CREATED_CLUSTER, "eks": {"create_cluster": True, "execution_role_trust": "pod_identity"}}
    _, config = load_config(cdk_context(env="x", environments={"x": environment}))
    assert "eks-auth" in config.network_interface_endpoints()


@pytest.mark.parametrize(
    "environment",
    [
        {"network": {"interface_endpoints": ["glue"]}, "eks": {"create_cluster": True}},  # a NAT gateway
        {"network": {"nat_gateways": 0, "interface_endpoints": ["glue"]}},  # an imported cluster
        {**NO_NAT_CREATED_CLUSTER, "eks": {"enabled": False, "create_cluster": True}},
    ],
)
def test_no_extra_endpoints_unless_a_created_eks_cluster_has_no_nat(environment: dict) -> None:
    _, config = load_config(cdk_context(env="x", environments={"x": environment}))
    assert config.network_interface_endpoints() == ("glue",)


def test_karpenter_without_nat_is_rejected_naming_both_keys() -> None:
    """Karpenter's chart and images come from public.ecr.aws, which no VPC endpoint serves."""
    environment = {"network": {"nat_gateways": 0}, "eks": {"create_cluster": True, "capacity_provider": "karpenter"}}
    with pytest.raises(
        ConfigError,
        match=r"network\.nat_gateways.*eks\.capacity_provider|eks\.capacity_provider.*network\.nat_gateways",
    ):
        load_config(cdk_context(env="x", environments={"x": environment}))


def test_network_template_has_the_private_cluster_endpoints(tmp_path: Path) -> None:
    from tests.reference_app import synth_reference_app

    environment = {**NO_NAT_CREATED_CLUSTER, "ec2": {"enabled": False}, "serverless": {"enabled": False}}
    result = synth_reference_app(tmp_path, env="x", environments={"x": environment})
    network = result.templates()["Emr-x-Network"]["Resources"]
    endpoints = [r["Properties"] for r in network.values() if r["Type"] == "AWS::EC2::VPCEndpoint"]
    interface = {e["ServiceName"]["Fn::Join"][1][-1] for e in endpoints if e["VpcEndpointType"] == "Interface"}
    assert {f".{name}" for name in PRIVATE_CLUSTER_ENDPOINTS} <= interface
    gateway = [e["ServiceName"]["Fn::Join"][1][-1] for e in endpoints if e.get("VpcEndpointType") == "Gateway"]
    assert gateway == [".s3"]
    assert all(e["PrivateDnsEnabled"] for e in endpoints if e["VpcEndpointType"] == "Interface")
    assert not [r for r in network.values() if r["Type"] == "AWS::EC2::NatGateway"]


# Interface endpoints cost per hour in every AZ (https://aws.amazon.com/privatelink/pricing/): by default only isolated
# subnets (no NAT gateway, no other way to reach AWS APIs) get them; the user's list wins either way.
@pytest.mark.parametrize(
    ("network", "expected"),
    [
        ({}, ()),
        ({"nat_gateways": 0}, ("elasticmapreduce", "sts", "kms", "logs", "monitoring", "glue")),
        ({"interface_endpoints": ["glue"]}, ("glue",)),
        ({"nat_gateways": 0, "interface_endpoints": []}, ()),
        ({"interface_endpoints": None}, ()),
    ],
)
def test_interface_endpoints_default_only_without_nat(network: dict, expected: tuple[str, ...]) -> None:
    _, config = load_config(cdk_context(env="x", environments={"x": {"network": network}}))
    assert config.network.resolved_interface_endpoints() == expected
    assert config.network_interface_endpoints() == expected


def test_created_eks_cluster_without_nat_keeps_the_default_endpoints_too() -> None:
    environment = {"network": {"nat_gateways": 0}, "eks": {"create_cluster": True}}
    _, config = load_config(cdk_context(env="x", environments={"x": environment}))
    endpoints = config.network_interface_endpoints()
    assert endpoints[:6] == ("elasticmapreduce", "sts", "kms", "logs", "monitoring", "glue")
    assert set(PRIVATE_CLUSTER_ENDPOINTS) <= set(endpoints) and len(endpoints) == len(set(endpoints))
