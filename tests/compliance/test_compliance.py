"""Compliance over every synthesized reference stack: the four cdk-nag packs and cfn-lint.

Variants cover the default environment, an environment with account/region, instance groups with no NAT gateway,
and TLS certificates in an existing bucket.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_s3 as s3
from cfnlint.api import ManualArgs, lint_file

from emr_constructs.compliance import NAG_PACKS, Reason
from stacks.app_builder import build_stacks
from stacks.config import load_config
from tests.conftest import cdk_context
from tests.reference_app import SynthResult, is_annotation_warning, synth_reference_app

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = {
    "default": {"env": "default"},
    "prod": {"env": "prod"},
    "groups-no-nat": {
        "env": "variant",
        "environments": {"variant": {"network": {"nat_gateways": 0}, "ec2": {"capacity": "groups"}}},
    },
    "eks-created-cluster": {
        "env": "eks",
        "environments": {
            "eks": {"eks": {"create_cluster": True}, "ec2": {"enabled": False}, "serverless": {"enabled": False}}
        },
    },
    "eks-karpenter": {
        "env": "karpenter",
        "environments": {
            "karpenter": {
                "eks": {"create_cluster": True, "capacity_provider": "karpenter"},
                "ec2": {"enabled": False},
                "serverless": {"enabled": False},
            }
        },
    },
    "eks-no-nat-pod-identity": {
        "env": "isolated",
        "environments": {
            "isolated": {
                "network": {"nat_gateways": 0},
                "eks": {"create_cluster": True, "execution_role_trust": "pod_identity"},
                "ec2": {"enabled": False},
                "serverless": {"enabled": False},
            }
        },
    },
    "destroy": {"env": "scratch", "environments": {"scratch": {"removal_policy": "destroy"}}},
    "own-certificates": {
        "env": "certs",
        "environments": {"certs": {"ec2": {"tls_certificate_s3_uri": "s3://corp-pki/emr/certs.zip"}}},
    },
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(tmp_path_factory.mktemp(request.param), **VARIANTS[request.param])


def test_the_four_packs_guard_the_reference_app(tmp_path: Path) -> None:
    """Canary: the same app with one insecure bucket added must fail in all four packs."""
    ctx = cdk_context()
    app = cdk.App(context=ctx, outdir=str(tmp_path))
    stacks = build_stacks(app, *load_config(ctx))
    s3.Bucket(stacks["network"], "InsecureCanary")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    findings = [(p, v) for p in report["pluginReports"] for v in p["violations"] if not is_annotation_warning(p, v)]
    failing = {p["pluginName"] for p, _ in findings}
    assert failing == set(NAG_PACKS)
    paths = {c["constructPath"] for _, v in findings for c in v["violatingConstructs"]}
    assert paths == {"Emr-default-Network/InsecureCanary/Resource"}


def test_no_unacknowledged_nag_finding(synthesized: SynthResult) -> None:
    assert synthesized.violations() == []
    assert synthesized.error is None


def test_acknowledgments_come_from_the_registry_and_sit_on_narrow_constructs(synthesized: SynthResult) -> None:
    # aws-cdk-lib acknowledges its own CloudFormation-Validate rules (e.g. W3010 for stack.availabilityZones).
    acknowledgments = [a for a in synthesized.acknowledgments() if a[1].split("::")[-1].startswith(NAG_PACKS)]
    assert len(acknowledgments) >= 10
    registry = {reason.text for reason in Reason}
    for construct, rule, reason in acknowledgments:
        assert reason in registry, (construct.node.path, rule)
        assert not isinstance(construct, (cdk.Stack, cdk.App, cdk.Stage)), (construct.node.path, rule)
        assert rule.split("::")[-1].split("[")[0] in {r for x in Reason for r in x.rules}, rule


def test_cfn_lint_is_clean_on_every_template(synthesized: SynthResult) -> None:
    templates = sorted(synthesized.outdir.glob("*.template.json"))
    assert templates
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    for template in templates:
        matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
        assert [str(m) for m in matches] == [], template.name
